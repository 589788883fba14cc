/**
 * Loss and parameter gradient of every method without the gradient tape: DSM and NCSN by plain
 * backpropagation (backprop.ts), SM, sliced SM and MULDE by tangents and the second-order reverse
 * pass (tangent-backprop.ts). The losses are the numbers objectives.ts computes (the tape versions,
 * kept as the reference the tests compare with), written as
 *   loss = ½ Σ y ⊙ G + (the tangent part),  G = ∂loss/∂y,
 * so the value costs a product and a sum on top of the seeds.
 *
 *   SM:    G = y/n,           Ġ_block j = e_j/n            ẏ block j = ∂s/∂x_j
 *   SSM:   G = (yᵀv)v/n (or y/n variance-reduced),  Ġ = v/n,   ẏ = J v
 *   MULDE: G = 2β f/n on the clean rows,  Ġ = 2(σ ẏ − z)σ/n,   ẏ block j = ∂f/∂x_j on the x̃ rows
 */
import * as tf from './tf';
import { denoisingLossAndGradient, type LossAndGradient } from './backprop';
import { directionTangents, oneHotTangents } from './derivatives';
import type { Mlp } from './mlp';
import { noisyPoints } from './objectives';
import { tangentLossAndGradient } from './tangent-backprop';
import type { Batch, Method, ObjectiveOptions } from './types';

export type LossAndGradientFn = (net: Mlp, batch: Batch, opts: ObjectiveOptions) => LossAndGradient;

function requireHead(net: Mlp, head: 'score' | 'energy', method: string): void {
  if (net.config.head !== head) throw new Error(`invalid network: ${method} needs the ${head} head`);
}

/** ½ Σ y ⊙ G. */
const halfDot = (y: tf.Tensor2D, g: tf.Tensor2D): tf.Scalar => tf.mul(0.5, tf.sum(tf.mul(y, g)));

/** Exact score matching: E[½‖s(x)‖² + tr ∇ₓs(x)], the trace from d one-hot tangents. */
export function smLossAndGradient(net: Mlp, batch: Batch): LossAndGradient {
  requireHead(net, 'score', 'SM');
  const { n } = batch;
  const d = net.config.dim;
  const nF = net.layout.nFeatures;
  const mask = new Float32Array(d * n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) mask[(j * n + i) * d + j] = 1 / n;
  const t0 = oneHotTangents(n, d, nF, net.config.scale);
  return tangentLossAndGradient(net, { h0: net.features(batch.x, batch.sigma), t0, n, copies: d }, (y, yDot) => {
    const gY = tf.mul(y, 1 / n) as tf.Tensor2D;
    const gDot = tf.tensor2d(mask, [d * n, d]);
    return { loss: tf.add(halfDot(y, gY), tf.sum(tf.mul(yDot, gDot))), gY, gDot };
  });
}

/** Sliced score matching: E[vᵀ∇ₓs v + ½(vᵀs)²], or E[vᵀ∇ₓs v + ½‖s‖²] variance-reduced. */
export function ssmLossAndGradient(net: Mlp, batch: Batch, opts: ObjectiveOptions): LossAndGradient {
  requireHead(net, 'score', 'sliced SM');
  const { n } = batch;
  const d = net.config.dim;
  const t0 = directionTangents(batch.v, d, net.layout.nFeatures, net.config.scale);
  const vn = batch.v.map((v) => v / n);
  return tangentLossAndGradient(net, { h0: net.features(batch.x, batch.sigma), t0, n, copies: 1 }, (y, yDot) => {
    const gDot = tf.tensor2d(vn, [n, d]);
    const gY = (opts.varianceReduced ? tf.mul(y, 1 / n) : tf.mul(tf.sum(tf.mul(y, gDot), 1, true), tf.tensor2d(batch.v, [n, d]))) as tf.Tensor2D;
    return { loss: tf.add(halfDot(y, gY), tf.sum(tf.mul(yDot, gDot))), gY, gDot };
  });
}

/**
 * MULDE: E‖σ∇ₓ̃f − z‖² + β E f(x,σ)². Value rows [x̃; x] (x dropped when β = 0), tangents on the
 * x̃ rows: block j of ẏ is ∂f/∂x_j, and with w = σ/√n, ζ = z/√n in block order the matching term
 * is Σ (w ẏ − ζ)².
 */
export function muldeLossAndGradient(net: Mlp, batch: Batch, opts: ObjectiveOptions): LossAndGradient {
  requireHead(net, 'energy', 'MULDE');
  const { n } = batch;
  const d = net.config.dim;
  const withReg = opts.beta !== 0;
  const m = withReg ? 2 * n : n;
  const x = new Float32Array(m * d);
  x.set(noisyPoints(batch, d));
  const sigma = new Float32Array(m);
  sigma.set(batch.sigma);
  if (withReg) {
    x.set(batch.x, n * d);
    sigma.set(batch.sigma, n);
  }
  const k = 1 / Math.sqrt(n);
  const w = new Float32Array(d * n);
  const w2 = new Float32Array(d * n);
  const zeta = new Float32Array(d * n);
  for (let j = 0; j < d; j++)
    for (let i = 0; i < n; i++) {
      w[j * n + i] = batch.sigma[i] * k;
      w2[j * n + i] = 2 * batch.sigma[i] * k;
      zeta[j * n + i] = batch.z[i * d + j] * k;
    }
  const regMask = new Float32Array(m);
  regMask.fill((2 * opts.beta) / n, n);
  const t0 = oneHotTangents(n, d, net.layout.nFeatures, net.config.scale);
  return tangentLossAndGradient(net, { h0: net.features(x, sigma), t0, n, copies: d }, (y, yDot) => {
    const r = tf.sub(tf.mul(yDot, tf.tensor2d(w, [d * n, 1])), tf.tensor2d(zeta, [d * n, 1]));
    const gDot = tf.mul(r, tf.tensor2d(w2, [d * n, 1])) as tf.Tensor2D;
    const match = tf.sum(tf.square(r)) as tf.Scalar;
    if (!withReg) return { loss: match, gY: null, gDot };
    const gY = tf.mul(y, tf.tensor2d(regMask, [m, 1])) as tf.Tensor2D;
    return { loss: tf.add(match, halfDot(y, gY)), gY, gDot };
  });
}

/** Loss and gradient of each method, no tape. */
export const lossAndGradient: Readonly<Record<Method, LossAndGradientFn>> = {
  sm: smLossAndGradient,
  ssm: ssmLossAndGradient,
  dsm: denoisingLossAndGradient,
  ncsn: denoisingLossAndGradient,
  mulde: muldeLossAndGradient,
};
