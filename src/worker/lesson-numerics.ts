/**
 * The lessons' other numeric work, for the compute worker: the noise of the DSM loss across σ and
 * Vincent's autoencoder score model trained by DSM, each a few hundred milliseconds of arithmetic
 * that would otherwise hold up the page.
 */
import { autoencoderLogDensity, autoencoderScore, initAutoencoder, trainAutoencoder } from '../core/autoencoder';
import { normaliseLogDensity } from '../core/density';
import { dsmNoise, type DsmNoise } from '../core/dsm-noise';
import { totalVariation } from '../core/metrics';
import { createMixture, pdf, sampleMixture, smoothMixture, type MixtureSpec } from '../core/mixture';
import { createRng } from '../core/rng';
import { grid1d } from '../core/grid';
import type { AutoencoderFit } from './compute-protocol';

/** `dsmNoise` at each σ_i from n draws, the i-th with its own seed. */
export function dsmNoiseAcross(spec: MixtureSpec, sigmas: readonly number[], n: number, seeds: readonly number[]): DsmNoise[] {
  if (seeds.length !== sigmas.length) throw new Error(`dsm-noise: ${sigmas.length} σ values but ${seeds.length} seeds`);
  const m = createMixture(spec);
  return sigmas.map((s, i) => dsmNoise(m, s, n, createRng(seeds[i])));
}

/**
 * Vincent's model with `hidden` units trained by DSM at σ on n points of a 1D mixture (data seed 1,
 * initial weights seed 2, batches seed 3; Adam, batch 128, learning rate 0.01): its score on the
 * grid of nx points over [lo, hi], the total variation of its own normalised density exp(−E) to q_σ,
 * and its mean loss over the last 200 steps.
 */
export function fitAutoencoder(
  spec: MixtureSpec,
  n: number,
  sigma: number,
  hidden: number,
  steps: number,
  range: readonly number[],
  nx: number,
): AutoencoderFit {
  const g = grid1d(range[0], range[1], nx);
  const mixture = createMixture(spec);
  const data = sampleMixture(mixture, n, createRng(1)).x;
  const model = initAutoencoder(1, hidden, createRng(2));
  const losses = trainAutoencoder(model, data, sigma, { steps, batch: 128, lr: 0.01, rng: createRng(3) });
  const own = normaliseLogDensity(autoencoderLogDensity(model, sigma, g.points), g.dx).density;
  const tv = totalVariation(own, pdf(smoothMixture(mixture, sigma), g.points), g);
  const tail = losses.subarray(Math.max(0, steps - 200));
  return { score: autoencoderScore(model, sigma, g.points), tv, loss: tail.reduce((a, b) => a + b, 0) / tail.length };
}
