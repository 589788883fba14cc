/**
 * The compute worker's exact-score sampler runs (worker/exact-sampling.ts): a `SamplerRun` means
 * what the training worker's sample requests mean, the exact-score run gives the same particles as
 * driving the core sampler directly (as the lesson figures did on the page), its trails hold the
 * start and the end, and on a Gaussian the reverse SDE lands on the target's moments.
 */
import { describe, expect, test } from 'vitest';
import { createMixture, score, smoothMixture, type MixtureSpec } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { annealedLangevin, langevin, priorParticles, runSampler, type BaseSamplerOptions } from '../../src/core/samplers';
import { exactSample } from '../../src/worker/exact-sampling';
import { samplerPlan } from '../../src/worker/sampler-plan';
import { findPreset } from '../../src/core/presets';
import { transferablesOf, type SamplerRun } from '../../src/worker/compute-protocol';

const twoBlobs = findPreset('two-blobs')!.spec;
const x0 = priorParticles(200, new Float32Array([0, 0, 3, 2, 1, 1]), 2, 3, createRng(2));
const runs: SamplerRun[] = [
  { sampler: 'langevin', sigmaMin: 0.1, sigmaMax: 5, levels: 1, stepsPerLevel: 60, eps: 0.01 },
  { sampler: 'annealed', sigmaMin: 0.05, sigmaMax: 5, levels: 6, stepsPerLevel: 10, eps: 1e-4 },
  { sampler: 'reverse-sde', sigmaMin: 0.05, sigmaMax: 5, levels: 40, stepsPerLevel: 1, eps: 1e-4 },
  { sampler: 'pf-ode', sigmaMin: 0.05, sigmaMax: 5, levels: 8, stepsPerLevel: 5, eps: 1e-4 },
  { sampler: 'pc', sigmaMin: 0.05, sigmaMax: 5, levels: 30, stepsPerLevel: 2, eps: 1e-4, snr: 0.16 },
];

describe('samplerPlan (both workers read a request through it)', () => {
  test.each(runs)('$sampler: levels × stepsPerLevel updates (pc: levels predictors, each after its correctors)', (run) => {
    const base: BaseSamplerOptions = { x0, dim: 2, rng: createRng(1) };
    const plan = samplerPlan(run, base);
    const predictors = plan.filter((p) => p.snr === undefined).length;
    if (run.sampler === 'pc') {
      expect(predictors).toBe(run.levels);
      expect(plan.length - predictors).toBe(run.levels * run.stepsPerLevel);
    } else expect(plan.length).toBe(run.levels * run.stepsPerLevel);
    // Noise levels run from σ_max down to σ_min (Langevin: all at σ_min).
    expect(Math.max(...plan.map((p) => p.sigma))).toBeLessThanOrEqual(run.sampler === 'langevin' ? run.sigmaMin : run.sigmaMax * (1 + 1e-12));
    expect(Math.min(...plan.map((p) => p.sigma))).toBeGreaterThanOrEqual(run.sigmaMin * (1 - 1e-12));
  });
});

describe('exactSample', () => {
  const m = createMixture(twoBlobs);
  const exact = (x: Float32Array, s: number) => Float32Array.from(score(smoothMixture(m, s), x));

  test('Langevin: the particles of the core sampler driven directly, bit for bit', () => {
    const direct = runSampler(langevin({ x0, dim: 2, rng: createRng(5), sigma: 0.1, steps: 60, stepSize: 0.01 }), exact);
    expect(exactSample(twoBlobs, runs[0], x0, 5, 0).x).toEqual(direct.x);
  });

  test('annealed Langevin: the same particles and per-level frames as the core sampler', () => {
    const direct = runSampler(
      annealedLangevin({ x0, dim: 2, rng: createRng(3), sigmaMin: 0.05, sigmaMax: 5, levels: 6, stepsPerLevel: 10, eps: 1e-4, trails: { every: 10 } }),
      exact,
    );
    const r = exactSample(twoBlobs, runs[1], x0, 3, 10);
    expect(r.x).toEqual(direct.x);
    expect(r.frames).toBe(7);
    expect(r.trails!.subarray(0, 400)).toEqual(x0);
    expect(r.trails!.subarray(6 * 400)).toEqual(r.x);
    expect(r.trails).toEqual(direct.trails!.data.slice(0, 7 * 400));
  });

  test('reverse SDE on N(1, 0.25): sample mean and variance of 4000 particles within 4 standard errors', () => {
    const g: MixtureSpec = { weights: [1], means: [[1]], covs: [[[0.25]]] };
    const start = priorParticles(4000, new Float32Array([1]), 1, 4, createRng(8));
    const r = exactSample(g, { sampler: 'reverse-sde', sigmaMin: 0.01, sigmaMax: 4, levels: 400, stepsPerLevel: 1, eps: 1e-4 }, start, 9, 0);
    const n = r.x.length;
    const mean = r.x.reduce((a, b) => a + b, 0) / n;
    const v = r.x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    // Standard errors of a Gaussian sample: √(v/n) for the mean, v√(2/(n−1)) for the variance;
    // the 400-step discretisation adds far less than either.
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    expect(Math.abs(v - 0.25)).toBeLessThan(4 * 0.25 * Math.sqrt(2 / (n - 1)));
  });

  test('the answer transfers its arrays rather than copying them', () => {
    const r = exactSample(twoBlobs, runs[1], x0, 3, 10);
    const t = transferablesOf({ type: 'exact-sample', id: 1, result: r });
    expect(t).toContain(r.x.buffer);
    expect(t).toContain(r.trails!.buffer);
  });
});
