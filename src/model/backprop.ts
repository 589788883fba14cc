/**
 * Loss and parameter gradient of the denoising objectives (DSM, NCSN) by explicit
 * backpropagation through the MLP: plain forward ops, then the backward pass written out, with
 * no gradient tape at all.
 *
 * Why: a tfjs training step costs per kernel, not per flop (DESIGN.md), and the tape adds kernels
 * that do no arithmetic: an Identity copy for every tensor a custom gradient saves, a Cast in
 * every mul gradient, the split/concat of θ's layers, gradient accumulation. For the NCSN step
 * (3→128→128→128→2, batch 256) this path runs ~45 kernels for the loss and the gradient where the
 * tape ran ~105, and the product shapes are the same, so the matrix products (the real work) are
 * unchanged. The score losses that need input derivatives (SM, sliced SM, MULDE) get the same
 * treatment with tangents in tangent-backprop.ts.
 *
 *   forward:  z₀ = h₀W₀,  h_{l+1} = φ(z_l),  z_l = h_l W_l + b_l,  y = h_L W_L + b_L
 *   backward: G = ∂loss/∂y;  for l = L … 1:  ∂W_l = h_lᵀG,  ∂b_l = Σ_rows G,  G ← (G W_lᵀ) ⊙ φ'(z_{l−1});
 *             ∂W₀ = h₀ᵀG  (h₀ᵀ built on the JS side with the features: no transpose kernel).
 */
import * as tf from './tf';
import { mulTA, mulTB, sumRows } from './linalg';
import type { Mlp, MlpParams } from './mlp';
import { noisyPoints } from './objectives';
import type { Batch } from './types';

export interface LossAndGradient {
  loss: tf.Scalar;
  /** ∂loss/∂θ, flat, in θ's layout. */
  grad: tf.Tensor1D;
}

/**
 * Gradient w.r.t. θ of a loss that depends on the net only through its output y, given
 * G = ∂loss/∂y, the input features transposed (h₀ᵀ, nFeatures × rows), the hidden activations
 * h₁…h_L and the slopes φ'(z₀)…φ'(z_{L−1}).
 */
export function backpropagate(p: MlpParams, h0T: tf.Tensor2D, hidden: tf.Tensor2D[], slope: tf.Tensor2D[], gOut: tf.Tensor2D): tf.Tensor1D {
  const { w } = p;
  const L = w.length - 1;
  // Pieces in θ order: W₀, W₁, b₁, …, W_L, b_L; filled back to front.
  const pieces: tf.Tensor[] = new Array<tf.Tensor>(2 * L + 1);
  let g = gOut;
  for (let l = L; l >= 1; l--) {
    pieces[2 * l - 1] = tf.reshape(mulTA(hidden[l - 1], g), [-1]);
    pieces[2 * l] = sumRows(g);
    g = tf.mul(mulTB(g, w[l]), slope[l - 1]);
  }
  pieces[0] = tf.reshape(tf.matMul(h0T, g), [-1]);
  return tf.concat(pieces) as tf.Tensor1D;
}

/** Features of points as a tensor, plus their transpose built on the JS side. */
function featureTensors(net: Mlp, x: Float32Array, sigma: Float32Array): { h0: tf.Tensor2D; h0T: tf.Tensor2D } {
  const nF = net.layout.nFeatures;
  const f = net.features(x, sigma);
  const n = f.length / nF;
  const fT = new Float32Array(f.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < nF; j++) fT[j * n + i] = f[i * nF + j];
  return { h0: tf.tensor2d(f, [n, nF]), h0T: tf.tensor2d(fT, [nF, n]) };
}

/**
 * DSM / NCSN: loss ½ E‖σ s(x̃,σ) + z‖² (the same number objectives.ts computes, written the
 * same way: Σ (w_i y_i − ζ_i)² with w_i = σ_i/√(2n), ζ_i = −z_i/√(2n)) and its gradient, whose
 * output seed is G_i = 2 w_i (w_i y_i − ζ_i). Call inside a tidy.
 */
export function denoisingLossAndGradient(net: Mlp, batch: Batch): LossAndGradient {
  if (net.config.head !== 'score') throw new Error('invalid network: DSM needs the score head');
  const { n } = batch;
  const d = net.config.dim;
  const { h0, h0T } = featureTensors(net, noisyPoints(batch, d), batch.sigma);
  const k = 1 / Math.sqrt(2 * n);
  const w = new Float32Array(n);
  const w2 = new Float32Array(n);
  const zeta = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    w[i] = batch.sigma[i] * k;
    w2[i] = 2 * w[i];
    for (let j = 0; j < d; j++) zeta[i * d + j] = -batch.z[i * d + j] * k;
  }
  const p = net.params();
  const { w: W, b: B } = p;
  const L = W.length - 1;
  const hidden: tf.Tensor2D[] = [];
  const slope: tf.Tensor2D[] = [];
  let cur = h0;
  for (let l = 0; l < L; l++) {
    const z = l === 0 ? tf.matMul(cur, W[0]) : (tf.fused.matMul({ a: cur, b: W[l], bias: B[l]! }) as tf.Tensor2D);
    const [h, s] = net.act.applyWithSlope(z) as [tf.Tensor2D, tf.Tensor2D];
    hidden.push(h);
    slope.push(s);
    cur = h;
  }
  const y = tf.fused.matMul({ a: cur, b: W[L], bias: B[L]! }) as tf.Tensor2D;
  const r = tf.sub(tf.mul(y, tf.tensor2d(w, [n, 1])), tf.tensor2d(zeta, [n, d])) as tf.Tensor2D;
  const loss = tf.sum(tf.square(r)) as tf.Scalar;
  const gOut = tf.mul(r, tf.tensor2d(w2, [n, 1])) as tf.Tensor2D;
  return { loss, grad: backpropagate(p, h0T, hidden, slope, gOut) };
}
