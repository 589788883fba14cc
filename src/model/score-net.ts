/**
 * The two score models a trainer may hold, and what differs between them: the MLP (mlp.ts, every
 * method) and Vincent's tied-weight autoencoder (autoencoder.ts, DSM only). Both keep their
 * weights in one flat θ with named pieces, so Adam, snapshots and weight files treat them alike.
 */
import * as tf from './tf';
import type { Rng } from '../core/rng';
import { autoencoderStep, createAutoencoder, type AutoencoderNet } from './autoencoder';
import { createMlp, forward, type Mlp } from './mlp';
import type { NetConfig, ScoreModel } from './types';

export type ScoreNet = Mlp | AutoencoderNet;

/** The network of `model` for `config`; the autoencoder also takes the data (its units start through it) and its σ. */
export function createScoreNet(model: ScoreModel, config: NetConfig, data: Float32Array, sigma: number, rng: Rng): ScoreNet {
  if (model === 'mlp') return createMlp(config, rng);
  if (model === 'autoencoder') return createAutoencoder(config, data, sigma, rng);
  throw new Error(`invalid model: ${String(model)}; use mlp or autoencoder`);
}

/**
 * The network's output at points (n × d) with weights `flat` (θ, or the average θ̄): the score
 * (score head) or f (MULDE's energy head). An unconditional net ignores σ; the autoencoder uses its
 * own. Call inside a tidy.
 */
export function outputAt(net: ScoreNet, flat: tf.Tensor1D, points: Float32Array, sigma: number | Float32Array): tf.Tensor2D {
  if (net.kind === 'autoencoder') return autoencoderStep(net.params(flat), tf.tensor2d(points, [points.length / net.config.dim, net.config.dim]), net.sigma);
  const f = net.features(points, sigma);
  const nF = net.layout.nFeatures;
  return forward(net.params(flat), net.act, tf.tensor2d(f, [f.length / nF, nF])).out;
}
