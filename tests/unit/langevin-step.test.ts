/**
 * One-σ Langevin's default step moves particles from the sampler's start to the data: on
 * three-blobs with the exact score of q_σ at σ = 0.05, the app's 10 × 30 = 300 steps from the
 * prior start N(mean, Cov(data) + σ_max² I), σ_max = 5.
 */
import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/rng';
import { createMixture, smoothMixture, score, sampleMixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { langevin, priorParticles, runSampler, LANGEVIN_STEP } from '../../src/core/samplers';
import { energyDistance } from '../../src/core/metrics';

const log: (...a: unknown[]) => void = process.env.VERBOSE_TESTS ? console.log : () => {};

describe('Langevin at one σ on three-blobs with the exact score', () => {
  const m = createMixture(findPreset('three-blobs')!.spec);
  const sigma = 0.05;
  const q = smoothMixture(m, sigma);
  const sf = (x: Float32Array) => score(q, x, new Float32Array(x.length)) as Float32Array;
  const data = sampleMixture(m, 300, createRng(1)).x;
  const ref = sampleMixture(m, 1000, createRng(7)).x;
  const run = (stepSize: number) => {
    const x0 = priorParticles(500, data, 2, 5, createRng(3));
    const r = runSampler(langevin({ x0, dim: 2, rng: createRng(4), sigma, steps: 300, stepSize }), sf);
    return { start: energyDistance(x0, ref, 2), end: energyDistance(r.x, ref, 2) };
  };

  it('the default step α brings the particles near the data; the annealed ε in its place leaves them near the start', () => {
    const withAlpha = run(LANGEVIN_STEP);
    const withEps = run(3e-4);
    log(`energy distance: start ${withAlpha.start.toFixed(3)}, α = ${LANGEVIN_STEP}: ${withAlpha.end.toFixed(3)}, ε = 3e-4: ${withEps.end.toFixed(3)}`);
    expect(withEps.end).toBeGreaterThan(0.5 * withEps.start);
    expect(withAlpha.end).toBeLessThan(0.1 * withAlpha.start);
    expect(withAlpha.end).toBeLessThan(0.1);
  });
});
