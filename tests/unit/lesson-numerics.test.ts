/**
 * The lessons' numeric requests of the compute worker (worker/lesson-numerics.ts) give what the
 * figures computed on the page before: the same numbers from the same seeds. The math itself is
 * checked against references in dsm-noise and autoencoder tests.
 */
import { describe, expect, test } from 'vitest';
import { autoencoderLogDensity, autoencoderScore, initAutoencoder, trainAutoencoder } from '../../src/core/autoencoder';
import { normaliseLogDensity } from '../../src/core/density';
import { dsmNoise } from '../../src/core/dsm-noise';
import { grid1d } from '../../src/core/grid';
import { totalVariation } from '../../src/core/metrics';
import { createMixture, pdf, sampleMixture, smoothMixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { createRng } from '../../src/core/rng';
import { dsmNoiseAcross, fitAutoencoder } from '../../src/worker/lesson-numerics';

const spec = findPreset('bimodal-1d')!.spec;

describe('dsmNoiseAcross', () => {
  test('each σ with its own seed, as dsmNoise alone', () => {
    const got = dsmNoiseAcross(spec, [1, 0.03], 500, [7, 8]);
    const m = createMixture(spec);
    expect(got).toEqual([dsmNoise(m, 1, 500, createRng(7)), dsmNoise(m, 0.03, 500, createRng(8))]);
  });
  test('a seed per σ, or a clear error', () => {
    expect(() => dsmNoiseAcross(spec, [1, 0.03], 500, [7])).toThrow('2 σ values but 1 seeds');
  });
});

describe('fitAutoencoder', () => {
  test('the score, TV and mean loss of the model trained with seeds 1, 2, 3', () => {
    const g = grid1d(-8, 8, 101);
    const m = createMixture(spec);
    const model = initAutoencoder(1, 8, createRng(2));
    const losses = trainAutoencoder(model, sampleMixture(m, 256, createRng(1)).x, 0.3, { steps: 300, batch: 128, lr: 0.01, rng: createRng(3) });
    const own = normaliseLogDensity(autoencoderLogDensity(model, 0.3, g.points), g.dx).density;
    const tail = losses.subarray(100);
    const got = fitAutoencoder(spec, 256, 0.3, 8, 300, [-8, 8], 101);
    expect(got.score).toEqual(autoencoderScore(model, 0.3, g.points));
    expect(got.tv).toBe(totalVariation(own, pdf(smoothMixture(m, 0.3), g.points), g));
    expect(got.loss).toBeCloseTo(tail.reduce((a, b) => a + b, 0) / 200, 12);
  });
});
