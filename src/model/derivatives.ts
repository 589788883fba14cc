/**
 * Input derivatives of the MLP written as ordinary forward tfjs ops — no nested autodiff (tfjs
 * 4.22 gets second-order gradients through tanh/sigmoid/exp silently wrong, issue #3252). A loss
 * built from these is an ordinary graph whose parameter gradient is first-order.
 *
 * With φ'_l = φ'(z_l) (rows × width):
 * - forward-mode tangent (JVP) of direction u ∈ R^d, in feature space t₀ = u/scale on the x̂
 *   columns and 0 elsewhere:  t₁ = φ'₀ ⊙ (t₀W₀),  t_{l+1} = φ'_l ⊙ (t_l W_l),  J u = t_L W_L
 *   (biases drop out of tangents). Several tangents per row are stacked along the batch, so the
 *   d one-hot tangents of tr ∇ₓs cost one pass of d·rows rows.
 * - reverse δ for a scalar head (∇ₓf):  g_{L−1} = φ'_{L−1} ⊙ W_Lᵀ,  g_{l−1} = φ'_{l−1} ⊙ (g_l W_lᵀ),
 *   ∂f/∂x̂ = g₀ W₀[x̂ rows]ᵀ,  ∇ₓf = (∂f/∂x̂)/scale.  One pass of `rows` rows whatever d is.
 */
import * as tf from './tf';
import type { ActivationOps } from './activations';
import { matmul, matmulConst, matmulTB } from './linalg';
import type { ForwardTrace, MlpParams } from './mlp';

/** φ'(z_l) for every hidden layer, optionally only for the first `rows` rows. */
export function slopes(act: ActivationOps, trace: ForwardTrace, rows?: number): tf.Tensor2D[] {
  return trace.z.map((z, l) => {
    const s = act.derivative(z, trace.h[l]) as tf.Tensor2D;
    return rows === undefined || rows === z.shape[0] ? s : tf.slice(s, [0, 0], [rows, -1]);
  });
}

/**
 * Jacobian–vector products J(x_i) u for stacked tangent blocks: `t0` is (copies·rows) ×
 * nFeatures, block c holding the feature-space tangents of copy c for every row. Returns
 * (copies·rows) × nOut.
 */
export function tangentPass(p: MlpParams, phi1: tf.Tensor2D[], t0: tf.Tensor2D, copies = 1): tf.Tensor2D {
  const L = p.w.length - 1;
  const tile = (s: tf.Tensor2D): tf.Tensor2D => (copies === 1 ? s : tf.concat(new Array<tf.Tensor2D>(copies).fill(s), 0));
  let t = tf.mul(tile(phi1[0]), matmulConst(t0, p.w[0])) as tf.Tensor2D;
  for (let l = 1; l < L; l++) t = tf.mul(tile(phi1[l]), matmul(t, p.w[l])) as tf.Tensor2D;
  return matmul(t, p.w[L]);
}

/**
 * ∂f/∂x̂ for a scalar head (rows × d) by the reverse δ recursion, from slopes already cut to
 * the rows wanted. Multiply by 1/scale for ∇ₓf.
 */
export function inputGradient(p: MlpParams, phi1: tf.Tensor2D[], dim: number): tf.Tensor2D {
  const L = p.w.length - 1;
  const width = p.w[L].shape[0];
  // W_L is width × 1; as a 1 × width row it broadcasts over the batch (same memory layout).
  let g = tf.mul(phi1[L - 1], tf.reshape(p.w[L], [1, width])) as tf.Tensor2D;
  for (let l = L - 1; l >= 1; l--) g = tf.mul(phi1[l - 1], matmulTB(g, p.w[l])) as tf.Tensor2D;
  return matmulTB(g, tf.slice(p.w[0], [0, 0], [dim, width]));
}

/**
 * Feature-space tangent rows for the trace: d blocks of `rows` rows; block j has 1/scale_j in
 * column j (the one-hot direction e_j of x mapped through x̂ = (x − center)/scale).
 */
export function oneHotTangents(rows: number, dim: number, nFeatures: number, scale: readonly number[]): Float32Array {
  const t = new Float32Array(dim * rows * nFeatures);
  for (let j = 0; j < dim; j++) for (let i = 0; i < rows; i++) t[(j * rows + i) * nFeatures + j] = 1 / scale[j];
  return t;
}

/** Feature-space tangent rows for directions v (rows × d): v_j/scale_j in column j. */
export function directionTangents(v: Float32Array, dim: number, nFeatures: number, scale: readonly number[]): Float32Array {
  const rows = v.length / dim;
  const t = new Float32Array(rows * nFeatures);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) t[i * nFeatures + j] = v[i * dim + j] / scale[j];
  return t;
}
