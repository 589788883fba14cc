/**
 * Loss and parameter gradient of the score losses that read input derivatives of the net (SM,
 * sliced SM, MULDE) without the gradient tape: forward-mode tangents carried beside the values,
 * then the reverse pass written out through both, so second order in x and first order in θ.
 *
 * Why: on the tape these cost 2.5–3.5× an NCSN step, mostly in kernels that do no arithmetic
 * (see backprop.ts), and tfjs's nested autodiff is wrong through ops that save their outputs; here
 * every derivative is a forward op, φ'' included (activations.ts).
 *
 * Forward, value rows (m) and tangent rows (K blocks of n rows, tangent rows of block k belonging
 * to value rows 0…n−1; n ≤ m), with a_l = φ'(z_l), c_l = φ''(z_l) and Ā_l the first n rows of a_l
 * tiled over the K blocks:
 *   z₀ = h₀W₀,  z_l = h_l W_l + b_l,  h_{l+1} = φ(z_l),      y = h_L W_L + b_L
 *   u_l = t_l W_l,                     t_{l+1} = Ā_l ⊙ u_l,   ẏ = t_L W_L       (t₀ given)
 * Backward, for a loss ℓ(y, ẏ) with seeds G = ∂ℓ/∂y, Ġ = ∂ℓ/∂ẏ:
 *   H_L = G W_Lᵀ,  Ṫ_L = Ġ W_Lᵀ,  ∂W_L = h_LᵀG + t_LᵀĠ,  ∂b_L = Σ_rows G
 *   for l = L−1 … 0:
 *     U_l = Ā_l ⊙ Ṫ_{l+1}
 *     Z_l = a_l ⊙ H_{l+1} + [c_l ⊙ Σ_k (Ṫ_{l+1} ⊙ u_l)_k ; 0]      (the φ'' term: ∂ℓ/∂a_l through t_{l+1})
 *     ∂W_l = h_lᵀZ_l + t_lᵀU_l,  ∂b_l = Σ_rows Z_l,  H_l = Z_l W_lᵀ,  Ṫ_l = U_l W_lᵀ
 * (b₀ is the last row of W₀ through the constant feature, whose tangent is 0.)
 */
import * as tf from './tf';
import type { LossAndGradient } from './backprop';
import { explicitTransposes, mulTA, sumRows } from './linalg';
import type { Mlp } from './mlp';

/** The loss and its seeds, built by the caller from the net's values y and tangents ẏ. */
export interface TangentSeeds {
  loss: tf.Scalar;
  /** ∂loss/∂y (m × nOut), or null when the loss does not read y. */
  gY: tf.Tensor2D | null;
  /** ∂loss/∂ẏ (K·n × nOut). */
  gDot: tf.Tensor2D;
}

/** Inputs of one pass: feature rows and feature-space tangent rows, both built on the JS side. */
export interface TangentInputs {
  /** Feature rows h₀ (m × nFeatures). */
  h0: Float32Array;
  /** Tangent rows t₀ (copies · n × nFeatures), block-major. */
  t0: Float32Array;
  /** Value rows that carry tangents (the first n). */
  n: number;
  copies: number;
}

/**
 * [A; B]ᵀ for row-major A and B of `cols` columns, built on the JS side: the first layer's inputs
 * are constants, so their transpose costs no kernel.
 */
function stackedTranspose(a: Float32Array, b: Float32Array, cols: number): tf.Tensor2D {
  const rows = (a.length + b.length) / cols;
  const out = new Float32Array(a.length + b.length);
  const ra = a.length / cols;
  for (let i = 0; i < ra; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  for (let i = 0; i < rows - ra; i++) for (let j = 0; j < cols; j++) out[j * rows + ra + i] = b[i * cols + j];
  return tf.tensor2d(out, [cols, rows]);
}

/** x·Wᵀ, with Wᵀ made once per step where products are transposed explicitly (wasm). */
function productsWithTranspose(w: tf.Tensor2D): (x: tf.Tensor2D) => tf.Tensor2D {
  if (!explicitTransposes()) return (x) => tf.matMul(x, w, false, true);
  // Not a reshape for a one-column W, though the memory order is the same: the wasm backend
  // caches XNNPACK's packed right-hand operand by tensor storage, and a reshaped W would reuse the
  // packing made for W's own shape (wrong products, measured).
  const wT = tf.transpose(w) as tf.Tensor2D;
  return (x) => tf.matMul(x, wT);
}

/** Σ over the K row blocks of n rows (K · n × cols → n × cols). */
function blockSum(q: tf.Tensor2D, copies: number, n: number): tf.Tensor2D {
  let s = copies === 1 ? q : (tf.slice(q, [0, 0], [n, -1]) as tf.Tensor2D);
  for (let k = 1; k < copies; k++) s = tf.add(s, tf.slice(q, [k * n, 0], [n, -1])) as tf.Tensor2D;
  return s;
}

/** The tensors of the forward pass the backward pass reads. */
interface TangentTrace {
  /** h_l and t_l, l = 0 … L (h₀, t₀ the inputs). */
  h: tf.Tensor2D[];
  t: tf.Tensor2D[];
  /** u_l = t_l W_l, a_l, Ā_l, c_l (first n rows), l = 0 … L−1. */
  u: tf.Tensor2D[];
  a: tf.Tensor2D[];
  aTiled: tf.Tensor2D[];
  c: tf.Tensor2D[];
  y: tf.Tensor2D;
  yDot: tf.Tensor2D;
}

/**
 * z + b. Not a fused matMul+bias: the wasm backend keeps XNNPACK's packed W per (W, bias) pair, so
 * a plain h·W packs W once and the tangents' t·W right after reuses the packing; packing a fresh W
 * costs more than the separate add.
 */
const withBias = (z: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D => tf.add(z, bias);

function forwardWithTangents(net: Mlp, w: tf.Tensor2D[], b: (tf.Tensor1D | null)[], h0: tf.Tensor2D, t0: tf.Tensor2D, n: number, copies: number): TangentTrace {
  const L = w.length - 1;
  const m = h0.shape[0];
  const tr: TangentTrace = { h: [h0], t: [t0], u: [], a: [], aTiled: [], c: [], y: h0, yDot: t0 };
  const firstRows = (x: tf.Tensor2D) => (m === n ? x : (tf.slice(x, [0, 0], [n, -1]) as tf.Tensor2D));
  for (let l = 0; l < L; l++) {
    const z = l === 0 ? tf.matMul(tr.h[0], w[0]) : withBias(tf.matMul(tr.h[l], w[l]), b[l]!);
    const u: tf.Tensor2D = tf.matMul(tr.t[l], w[l]);
    const [h, a, c] = net.act.applyWithCurvature(z) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const an = firstRows(a);
    // A concat, not tf.tile: the wasm Tile took 4 ms for 256 × 128 (a generic strided copy), the
    // concat 0.02 ms.
    const aTiled = copies === 1 ? an : (tf.concat(new Array<tf.Tensor2D>(copies).fill(an)) as tf.Tensor2D);
    tr.h.push(h);
    tr.t.push(tf.mul(aTiled, u));
    tr.u.push(u);
    tr.a.push(a);
    tr.aTiled.push(aTiled);
    tr.c.push(firstRows(c));
  }
  tr.y = withBias(tf.matMul(tr.h[L], w[L]), b[L]!);
  tr.yDot = tf.matMul(tr.t[L], w[L]);
  return tr;
}

/**
 * Loss and ∂loss/∂θ for a loss of the net's outputs y on `inp.h0` and its tangent outputs ẏ = J t₀
 * on `inp.t0`; `seeds` builds the loss and its seeds from y and ẏ. Call inside a tidy.
 */
export function tangentLossAndGradient(net: Mlp, inp: TangentInputs, seeds: (y: tf.Tensor2D, yDot: tf.Tensor2D) => TangentSeeds): LossAndGradient {
  const nF = net.layout.nFeatures;
  const { n, copies } = inp;
  const m = inp.h0.length / nF;
  const kn = copies * n;
  const { w, b } = net.params();
  const L = w.length - 1;
  const tr = forwardWithTangents(net, w, b, tf.tensor2d(inp.h0, [m, nF]), tf.tensor2d(inp.t0, [kn, nF]), n, copies);
  const { loss, gY, gDot } = seeds(tr.y, tr.yDot);

  // Pieces in θ order: W₀, W₁, b₁, …, W_L, b_L; filled back to front.
  const pieces: tf.Tensor[] = new Array<tf.Tensor>(2 * L + 1);
  const dW = (h: tf.Tensor2D, g: tf.Tensor2D | null, t: tf.Tensor2D, gt: tf.Tensor2D): tf.Tensor =>
    // One product over the stacked rows: one operand to pack instead of two (cheaper on wasm).
    tf.reshape(g ? mulTA(tf.concat([h, t]), tf.concat([g, gt])) : mulTA(t, gt), [-1]);
  let times = productsWithTranspose(w[L]);
  pieces[2 * L - 1] = dW(tr.h[L], gY, tr.t[L], gDot);
  pieces[2 * L] = gY ? sumRows(gY) : tf.zeros([w[L].shape[1]]);
  let H = gY ? times(gY) : null;
  let T = times(gDot);
  for (let l = L - 1; l >= 0; l--) {
    const U = tf.mul(tr.aTiled[l], T) as tf.Tensor2D;
    let corr = tf.mul(tr.c[l], blockSum(tf.mul(T, tr.u[l]) as tf.Tensor2D, copies, n)) as tf.Tensor2D;
    if (m > n)
      corr = tf.pad(corr, [
        [0, m - n],
        [0, 0],
      ]);
    const Z = H ? (tf.add(tf.mul(tr.a[l], H), corr) as tf.Tensor2D) : corr;
    if (l === 0) {
      pieces[0] = tf.reshape(tf.matMul(stackedTranspose(inp.h0, inp.t0, nF), tf.concat([Z, U])), [-1]);
      break;
    }
    pieces[2 * l - 1] = dW(tr.h[l], Z, tr.t[l], U);
    pieces[2 * l] = sumRows(Z);
    times = productsWithTranspose(w[l]);
    H = times(Z);
    T = times(U);
  }
  return { loss, grad: tf.concat(pieces) as tf.Tensor1D };
}
