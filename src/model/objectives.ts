/**
 * The five training objectives, each a pure function (net, batch, options) → scalar loss tensor,
 * to be called inside a tidy or a gradient tape. Training uses the tape-free gradients.ts; these
 * are the reference its tests compare with (through tfjs's first-order tape). Batches are plain arrays drawn on the JS side
 * (see batch.ts); the per-row weights and constants are folded into the uploaded arrays, so each
 * loss ends in very few kernels. Norms are summed over the d coordinates and averaged over rows.
 *
 * With x̃ = x + σz the denoising target is (x − x̃)/σ² = −z/σ, and the losses are written with z,
 * not with x − x̃, which would cancel in float32 at small σ:
 *   DSM / NCSN:  ½ E[σ² ‖s(x̃,σ) + z/σ‖²] = ½ E‖σ s(x̃,σ) + z‖²        (λ(σ) = σ², constant ½)
 *   MULDE:       E[σ² ‖∇ₓ̃f(x̃,σ) − z/σ‖²] + β E[f(x,σ)²]               (λ(σ) = σ², no ½)
 * so with s = −∇f the MULDE matching term is exactly 2× the NCSN loss on the same batch.
 * DSM is NCSN with every σ equal; the σ² weight keeps its loss O(d) at any σ and on the same
 * scale as NCSN's.
 */
import * as tf from './tf';
import { directionTangents, inputGradient, oneHotTangents, slopes, tangentPass } from './derivatives';
import { forward, type Mlp } from './mlp';
import type { Batch, Method, ObjectiveOptions } from './types';

export type Objective = (net: Mlp, batch: Batch, opts: ObjectiveOptions) => tf.Scalar;

export const defaultObjectiveOptions: ObjectiveOptions = { beta: 0.1, varianceReduced: false };

/** x̃ = x + σz per row (float64 arithmetic, stored as float32). */
export function noisyPoints(batch: Batch, dim: number): Float32Array {
  const xt = new Float32Array(batch.x.length);
  for (let i = 0; i < batch.n; i++) for (let j = 0; j < dim; j++) xt[i * dim + j] = batch.x[i * dim + j] + batch.sigma[i] * batch.z[i * dim + j];
  return xt;
}

function input(net: Mlp, x: Float32Array, sigma: Float32Array): tf.Tensor2D {
  const nF = net.layout.nFeatures;
  const f = net.features(x, sigma);
  return tf.tensor2d(f, [f.length / nF, nF]);
}

function requireHead(net: Mlp, head: 'score' | 'energy', method: string): void {
  if (net.config.head !== head) throw new Error(`invalid network: ${method} needs the ${head} head`);
}

/**
 * Exact (Hyvärinen) score matching on clean data: E[½‖s(x)‖² + tr ∇ₓs(x)], tr from d stacked
 * one-hot tangents. The net is σ-independent in spirit: an unconditional net ignores σ, a
 * conditional one is fed the batch's fixed σ.
 */
export function smLoss(net: Mlp, batch: Batch): tf.Scalar {
  requireHead(net, 'score', 'SM');
  const { n } = batch;
  const d = net.config.dim;
  const nF = net.layout.nFeatures;
  const p = net.params();
  const trace = forward(p, net.act, input(net, batch.x, batch.sigma));
  const t0 = tf.tensor2d(oneHotTangents(n, d, nF, net.config.scale), [d * n, nF]);
  const jac = tangentPass(p, slopes(net.act, trace), t0, d); // block j, column j = ∂s_j/∂x_j
  const mask = new Float32Array(d * n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) mask[(j * n + i) * d + j] = 1 / n;
  const meanTrace = tf.sum(tf.mul(jac, tf.tensor2d(mask, [d * n, d])));
  return tf.add(tf.mul(0.5 / n, tf.sum(tf.square(trace.out))), meanTrace) as tf.Scalar;
}

/**
 * Sliced score matching: E[vᵀ∇ₓs v + ½(vᵀs)²] (v from the batch, one JVP per row), or with
 * `varianceReduced` E[vᵀ∇ₓs v + ½‖s‖²] — equal in expectation since E[vvᵀ] = I for Gaussian and
 * Rademacher v.
 */
export function ssmLoss(net: Mlp, batch: Batch, opts: ObjectiveOptions): tf.Scalar {
  requireHead(net, 'score', 'sliced SM');
  const { n } = batch;
  const d = net.config.dim;
  const nF = net.layout.nFeatures;
  const p = net.params();
  const trace = forward(p, net.act, input(net, batch.x, batch.sigma));
  const t0 = tf.tensor2d(directionTangents(batch.v, d, nF, net.config.scale), [n, nF]);
  const jv = tangentPass(p, slopes(net.act, trace), t0);
  const v = tf.tensor2d(batch.v, [n, d]);
  const vJv = tf.sum(tf.mul(jv, v));
  const quad = opts.varianceReduced ? tf.sum(tf.square(trace.out)) : tf.sum(tf.square(tf.sum(tf.mul(trace.out, v), 1)));
  return tf.mul(1 / n, tf.add(vJv, tf.mul(0.5, quad))) as tf.Scalar;
}

/**
 * ½ E‖σ s(x̃,σ) + z‖² over the batch's rows, as Σ (w_i s_i − ζ_i)² with w_i = σ_i/√(2n),
 * ζ_i = −z_i/√(2n) so that the weights cost no kernels.
 */
function denoisingLoss(net: Mlp, batch: Batch): tf.Scalar {
  requireHead(net, 'score', 'DSM');
  const { n } = batch;
  const d = net.config.dim;
  const { out } = forward(net.params(), net.act, input(net, noisyPoints(batch, d), batch.sigma));
  const k = 1 / Math.sqrt(2 * n);
  const w = new Float32Array(n);
  const zeta = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    w[i] = batch.sigma[i] * k;
    for (let j = 0; j < d; j++) zeta[i * d + j] = -batch.z[i * d + j] * k;
  }
  return tf.sum(tf.squaredDifference(tf.mul(out, tf.tensor2d(w, [n, 1])), tf.tensor2d(zeta, [n, d]))) as tf.Scalar;
}

/** DSM at one σ: ½ E[σ²‖s(x̃,σ) − (x − x̃)/σ²‖²] = ½ E‖σ s(x̃,σ) + z‖² (batch σ all equal). */
export function dsmLoss(net: Mlp, batch: Batch): tf.Scalar {
  return denoisingLoss(net, batch);
}

/** NCSN: ½ E_σ E[σ²‖s(x̃,σ) + z/σ‖²], σ log-uniform per row (drawn in the batch). */
export function ncsnLoss(net: Mlp, batch: Batch): tf.Scalar {
  return denoisingLoss(net, batch);
}

/**
 * MULDE: E[σ²‖∇ₓ̃f(x̃,σ) + (x − x̃)/σ²‖²] + β E[f(x,σ)²] = E‖σ∇ₓ̃f − z‖² + β E f(x,σ)².
 * x̃ and x go through one forward pass of 2n rows; the δ pass runs on the x̃ rows only.
 * With β = 0 the clean rows are skipped.
 */
export function muldeLoss(net: Mlp, batch: Batch, opts: ObjectiveOptions): tf.Scalar {
  requireHead(net, 'energy', 'MULDE');
  const { n } = batch;
  const d = net.config.dim;
  const withReg = opts.beta !== 0;
  const xt = noisyPoints(batch, d);
  let x = xt;
  let sigma = batch.sigma;
  if (withReg) {
    x = new Float32Array(2 * n * d);
    x.set(xt);
    x.set(batch.x, n * d);
    sigma = new Float32Array(2 * n);
    sigma.set(batch.sigma);
    sigma.set(batch.sigma, n);
  }
  const p = net.params();
  const trace = forward(p, net.act, input(net, x, sigma));
  const gHat = inputGradient(p, slopes(net.act, trace, n), d); // ∂f/∂x̂ on the x̃ rows
  // σ_i ∇f_ij − z_ij = (σ_i/scale_j) ∂f/∂x̂_ij − z_ij, with 1/√n folded into both sides.
  const k = 1 / Math.sqrt(n);
  const w = new Float32Array(n * d);
  const zk = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      w[i * d + j] = (batch.sigma[i] / net.config.scale[j]) * k;
      zk[i * d + j] = batch.z[i * d + j] * k;
    }
  const match = tf.sum(tf.squaredDifference(tf.mul(gHat, tf.tensor2d(w, [n, d])), tf.tensor2d(zk, [n, d]))) as tf.Scalar;
  if (!withReg) return match;
  const fClean = tf.slice(trace.out, [n, 0], [n, 1]);
  return tf.add(match, tf.mul(opts.beta / n, tf.sum(tf.square(fClean)))) as tf.Scalar;
}

/** The objective of each method. */
export const objectives: Readonly<Record<Method, Objective>> = {
  sm: smLoss,
  ssm: ssmLoss,
  dsm: dsmLoss,
  ncsn: ncsnLoss,
  mulde: muldeLoss,
};
