/**
 * Vincent's (2011) score model in tfjs: a denoising autoencoder with tied weights W (J × d),
 * hidden biases b (J) and output bias c (d), read as a score,
 *   s(x) = (Wᵀ sigmoid(Wx + b) + c − x) / σ²,
 * the gradient of −E with the energy
 *   E(x) = −(cᵀx − ½‖x‖² + Σ_j softplus(W_j·x + b_j)) / σ²,
 * so it is conservative by construction and gives its (unnormalised) density exp(−E) directly.
 * σ is the one noise level DSM trains at. It works on x itself: the tied W is what makes s a
 * gradient, and a standardisation x̂ = (x − m)/a per axis would untie it in x.
 *
 * θ = [W (J × d, row-major), b (J), c (d)], flat in one tf.Variable as the MLP's is. The float64
 * reference with the same equations is core/autoencoder.ts; the tests hold this one to it.
 */
import * as tf from './tf';
import type { Rng } from '../core/rng';
import type { Batch, NetConfig } from './types';
import { noisyPoints } from './objectives';
import type { LossAndGradient } from './backprop';
import { mulTA, mulTB, sumRows } from './linalg';
import { flatWeights, type FlatWeights } from './flat-weights';

/** θ cut into its pieces (tensors created inside the caller's tidy). */
export interface AutoencoderParams {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
  c: tf.Tensor1D;
}

export interface AutoencoderNet extends FlatWeights {
  readonly kind: 'autoencoder';
  /** dim, width = J hidden units, head 'score' (depth, activation and the input standardisation are not used). */
  readonly config: Readonly<NetConfig>;
  readonly layout: { pieces: { name: string; shape: number[] }[]; paramCount: number };
  readonly theta: tf.Variable<tf.Rank.R1>;
  readonly paramCount: number;
  /** σ of the model's 1/σ²: the DSM noise level it trains at (the trainer keeps it in step with its live σ). */
  sigma: number;
  /** Cut θ (or another vector of its layout, e.g. the average θ̄) into W, b, c. */
  params(flat?: tf.Tensor1D): AutoencoderParams;
}

/** Pieces of θ in order: W (J × d), b (J), c (d). */
export function autoencoderLayout(dim: number, hidden: number): AutoencoderNet['layout'] {
  const pieces = [
    { name: 'W', shape: [hidden, dim] },
    { name: 'b', shape: [hidden] },
    { name: 'c', shape: [dim] },
  ];
  return { pieces, paramCount: hidden * dim + hidden + dim };
}

/**
 * Initial θ from the core rng, chosen so that the reconstruction starts near the identity,
 * r(x) = Wᵀ sigmoid(Wx + b) + c ≈ x on the data, i.e. a small score instead of one of size
 * |r − x|/σ² that training must first undo. Unit j gets a direction V_j ~ N(0, diag(1/scale²)) and
 * b_j = −W_j·x_i at a training point x_i drawn per unit, so the units' hyperplanes pass through
 * the data (with b = 0 they would all pass through the origin); then W = αV with one α such that
 * the mean slope tr(∂r/∂x)/d = Σ_j ‖W_j‖² h_j(1 − h_j)/d over (up to 256) training points is 1;
 * and c = mean(x − Wᵀh) over those points.
 */
export function initialAutoencoderWeights(c: NetConfig, data: Float32Array, rng: Rng): Float32Array {
  const d = c.dim;
  const J = c.width;
  const n = data.length / d;
  const v = new Float64Array(J * d);
  const at = new Int32Array(J);
  for (let j = 0; j < J; j++) {
    at[j] = rng.int(n);
    for (let k = 0; k < d; k++) v[j * d + k] = rng.normal() / c.scale[k];
  }
  const m = Math.min(n, 256);
  /** t[p·J + j] = V_j·(x_p − x_{i_j}): unit j's pre-activation at point p is α t. */
  const t = new Float64Array(m * J);
  for (let p = 0; p < m; p++)
    for (let j = 0; j < J; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += v[j * d + k] * (data[p * d + k] - data[at[j] * d + k]);
      t[p * J + j] = dot;
    }
  const norm2 = Array.from({ length: J }, (_, j) => v.subarray(j * d, (j + 1) * d).reduce((a, x) => a + x * x, 0));
  const slope = (alpha: number): number => {
    let acc = 0;
    for (let p = 0; p < m; p++)
      for (let j = 0; j < J; j++) {
        const h = 1 / (1 + Math.exp(-alpha * t[p * J + j]));
        acc += alpha * alpha * norm2[j] * h * (1 - h);
      }
    return acc / (m * d);
  };
  // slope(α) ≈ α²·const while the units are unsaturated: a few fixed-point steps settle it.
  let alpha = 1;
  for (let it = 0; it < 12; it++) alpha = Math.min(1e3, Math.max(1e-3, alpha / Math.sqrt(Math.max(slope(alpha), 1e-12))));
  const theta = new Float32Array(J * d + J + d);
  for (let j = 0; j < J; j++) {
    let dot = 0;
    for (let k = 0; k < d; k++) {
      theta[j * d + k] = alpha * v[j * d + k];
      dot += alpha * v[j * d + k] * data[at[j] * d + k];
    }
    theta[J * d + j] = -dot;
  }
  for (let k = 0; k < d; k++) {
    let acc = 0;
    for (let p = 0; p < m; p++) {
      let r = 0;
      for (let j = 0; j < J; j++) r += (alpha * v[j * d + k]) / (1 + Math.exp(-alpha * t[p * J + j]));
      acc += data[p * d + k] - r;
    }
    theta[J * d + J + k] = acc / m;
  }
  return theta;
}

/** A tied-weight autoencoder with `config.width` hidden units and weights drawn from `rng` (see `initialAutoencoderWeights`). */
export function createAutoencoder(config: NetConfig, data: Float32Array, sigma: number, rng: Rng): AutoencoderNet {
  if (config.head !== 'score') throw new Error('invalid network: the autoencoder has a score head only');
  if (!Number.isInteger(config.width) || config.width < 1) throw new Error(`invalid network: width ${config.width}`);
  if (config.conditional) throw new Error('invalid network: the autoencoder is not noise-conditional');
  const cfg: NetConfig = { ...config, center: [...config.center], scale: [...config.scale] };
  const layout = autoencoderLayout(cfg.dim, cfg.width);
  const init = initialAutoencoderWeights(cfg, data, rng);
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(init), true, undefined, 'float32')) as tf.Variable<tf.Rank.R1>;
  const sizes = layout.pieces.map((p) => p.shape.reduce((a, b) => a * b, 1));
  return {
    kind: 'autoencoder',
    config: cfg,
    layout,
    theta,
    paramCount: layout.paramCount,
    sigma,
    params(flat: tf.Tensor1D = theta) {
      const [w, b, c] = tf.split(flat, sizes);
      return { w: tf.reshape(w, [cfg.width, cfg.dim]) as tf.Tensor2D, b: b as tf.Tensor1D, c: c as tf.Tensor1D };
    },
    ...flatWeights(theta, layout.paramCount),
  };
}

/** a·s(x) = a(hW + c − x)/σ², h = sigmoid(xWᵀ + b), for points x (n × d) on the device; call inside a tidy. */
export function autoencoderStep(p: AutoencoderParams, x: tf.Tensor2D, sigma: number, a = 1): tf.Tensor2D {
  const h = tf.sigmoid(tf.add(mulTB(x, p.w), p.b));
  const r = tf.fused.matMul({ a: h, b: p.w, bias: p.c });
  return tf.mul(tf.sub(r, x), a / (sigma * sigma));
}

/** −E(x) = (x·c − ½‖x‖² + Σ_j softplus(W_j·x + b_j))/σ² per point (n values); call inside a tidy. */
export function autoencoderNegEnergy(p: AutoencoderParams, x: tf.Tensor2D, sigma: number): tf.Tensor1D {
  const pre = tf.add(mulTB(x, p.w), p.b);
  const lin = tf.sum(tf.mul(x, tf.sub(p.c, tf.mul(x, 0.5))), 1);
  return tf.div(tf.add(lin, tf.sum(tf.softplus(pre), 1)), sigma * sigma);
}

/**
 * DSM with the playground's weighting: the mean over rows of ½‖σ_i s(x̃_i) + z_i‖², x̃ = x + σz,
 * σ_i the row's noise level (the model's σ is the row's). With y = σ s = (hW + c − x̃)/σ,
 * r = y + z and u = r/(nσ) (n × d):
 *   ∂c = Σ_rows u,   δ = (u W) ⊙ h(1 − h),   ∂b = Σ_rows δ,   ∂W = hᵀu + δᵀx̃
 * (the decoder's and the encoder's share of the tied W). Call inside a tidy.
 */
export function autoencoderLossAndGradient(net: AutoencoderNet, batch: Batch, flat?: tf.Tensor1D): LossAndGradient {
  const { n } = batch;
  const d = net.config.dim;
  const xt = tf.tensor2d(noisyPoints(batch, d), [n, d]);
  const inv = new Float32Array(n);
  const invN = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    inv[i] = 1 / batch.sigma[i];
    invN[i] = inv[i] / n;
  }
  const p = net.params(flat);
  const h = tf.sigmoid(tf.add(mulTB(xt, p.w), p.b));
  const rec = tf.fused.matMul({ a: h, b: p.w, bias: p.c });
  const r = tf.add(tf.mul(tf.sub(rec, xt), tf.tensor2d(inv, [n, 1])), tf.tensor2d(batch.z, [n, d])) as tf.Tensor2D;
  const loss = tf.mul(0.5 / n, tf.sum(tf.square(r))) as tf.Scalar;
  const u = tf.mul(r, tf.tensor2d(invN, [n, 1])) as tf.Tensor2D;
  const delta = tf.mul(mulTB(u, p.w), tf.mul(h, tf.sub(1, h))) as tf.Tensor2D;
  const gW = tf.add(mulTA(h as tf.Tensor2D, u), mulTA(delta, xt));
  const grad = tf.concat([tf.reshape(gW, [-1]), sumRows(delta), sumRows(u)]) as tf.Tensor1D;
  return { loss, grad };
}

/**
 * The sampler's update a·s(x) for particles x (1 × n × d, as model/plan-sampler.ts keeps them)
 * with θ cut once; σ is the model's own, whatever level the plan is at.
 */
export function autoencoderDeviceScore(
  net: AutoencoderNet,
  theta: Float32Array,
): { step(x: tf.Tensor3D, sigma: number, a: number): tf.Tensor3D; dispose(): void } {
  const [w, b, c] = tf.tidy(() => {
    const q = net.params(tf.tensor1d(theta));
    return [q.w, q.b, q.c];
  });
  const p: AutoencoderParams = { w: w as tf.Tensor2D, b: b as tf.Tensor1D, c: c as tf.Tensor1D };
  const sigma = net.sigma;
  return {
    step: (x, _sigma, a) => tf.reshape(autoencoderStep(p, tf.reshape(x, x.shape.slice(1) as [number, number]), sigma, a), x.shape),
    dispose: () => tf.dispose([p.w, p.b, p.c]),
  };
}
