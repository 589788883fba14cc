/**
 * Sliced score matching estimates the exact score-matching objective: on fixed points, the mean
 * of the sliced loss over many projections v (Gaussian or Rademacher, plain or variance-reduced)
 * is E[½‖s‖² + tr ∇ₓs], computed here in float64 by the reference with the full trace. The
 * estimates are the losses training uses (gradients.ts, no tape); the bound is Monte Carlo.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../src/core/rng';
import { ssmLossAndGradient } from '../../src/model/gradients';
import { createMlp } from '../../src/model/mlp';
import type { Batch, NetConfig } from '../../src/model/types';
import { refLoss } from './model-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cfg: NetConfig = {
  dim: 2,
  head: 'score',
  width: 8,
  depth: 2,
  activation: 'tanh',
  conditional: false,
  frequencies: 0,
  center: [0.3, -0.2],
  scale: [1.2, 0.8],
};

/** Fixed points: the objective's expectation is over v only. */
const POINTS = 8;
const x = Float32Array.from({ length: POINTS * 2 }, (_, i) => Math.sin(1.7 * i + 0.4) * 2);
/** Independent estimates, each from M projections per point. */
const K = 24;
const M = 200;

/** One sliced batch: every point repeated M times (point-major, as batch.ts lays them out), fresh v. */
function slicedBatch(projection: 'gaussian' | 'rademacher', seed: number): Batch {
  const rng = createRng(seed);
  const n = POINTS * M;
  const xs = new Float32Array(n * 2);
  for (let i = 0; i < POINTS; i++) for (let c = 0; c < M; c++) xs.set(x.subarray(2 * i, 2 * i + 2), 2 * (i * M + c));
  const v = new Float32Array(n * 2);
  if (projection === 'gaussian') rng.fillNormal(v);
  else for (let i = 0; i < v.length; i++) v[i] = rng.uniform() < 0.5 ? -1 : 1;
  return { n, x: xs, sigma: new Float32Array(n).fill(1), z: new Float32Array(0), v };
}

describe('sliced SM is an unbiased estimate of the exact SM loss', () => {
  const net = createMlp(cfg, createRng(5));
  let exact = NaN;
  beforeAll(async () => {
    const theta = await net.getWeights();
    const clean: Batch = { n: POINTS, x, sigma: new Float32Array(POINTS).fill(1), z: new Float32Array(0), v: new Float32Array(0) };
    exact = refLoss('sm', cfg, theta, clean, { beta: 0, varianceReduced: false });
  });

  const spread: Record<string, number> = {};
  for (const projection of ['gaussian', 'rademacher'] as const)
    for (const varianceReduced of [false, true])
      test(`${projection}${varianceReduced ? ', variance-reduced' : ''}: the mean of ${K} × ${M} projections per point is within 4 standard errors`, async () => {
        const estimates: number[] = [];
        for (let k = 0; k < K; k++) {
          const batch = slicedBatch(projection, 100 * k + (projection === 'gaussian' ? 1 : 2));
          const { loss, grad } = ssmLossAndGradient(net, batch, { beta: 0, varianceReduced });
          estimates.push((await loss.data())[0]);
          tf.dispose([loss, grad]);
        }
        const mean = estimates.reduce((a, b) => a + b, 0) / K;
        const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1));
        const se = sd / Math.sqrt(K);
        spread[`${projection}${varianceReduced ? '-vr' : ''}`] = sd;
        // The estimate's own spread bounds it (≈ 1 in 16 000 to fail by chance at 4 SE)…
        expect(Math.abs(mean - exact)).toBeLessThan(4 * se + 1e-5 * Math.abs(exact));
        // …and the spread is small enough for the check to mean something: a biased term of a
        // tenth of the loss would show.
        expect(4 * se).toBeLessThan(0.1 * Math.abs(exact));
      });

  test('the variance-reduced form spreads less than the plain one, for both kinds of v', () => {
    expect(spread['gaussian-vr']).toBeLessThan(spread.gaussian);
    expect(spread['rademacher-vr']).toBeLessThan(spread.rademacher);
  });
});
