/**
 * The average of the weights over steps (θ̄ ← d_t θ̄ + (1 − d_t) θ, d_t = min(d, (1+t)/(10+t))):
 * checked against the same recurrence in float64 on the θ iterates read after every step, and
 * through rollback, loading weights, and read-outs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { createTrainer } from '../../src/model/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const blobs = createMixture({
  weights: [1, 1],
  means: [
    [0, 0],
    [3, 2],
  ],
  covs: [
    [
      [1, 0],
      [0, 1],
    ],
    [
      [0.25, 0],
      [0, 0.25],
    ],
  ],
});
const data = sampleMixture(blobs, 300, createRng(2)).x;
const small = { method: 'ncsn' as const, data, dim: 2 as const, width: 16, depth: 2, batchSize: 32, learningRate: 1e-2, seed: 7 };

const maxRelError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + 1e-3));
  return worst;
};

describe('weight averaging', () => {
  test('getWeights follows the float64 recurrence over the θ iterates', async () => {
    const d = 0.9;
    const tr = createTrainer({ ...small, averageDecay: d });
    const ref = Float64Array.from(await tr.net.getWeights());
    for (let t = 1; t <= 60; t++) {
      tf.dispose(tr.trainStep());
      const theta = await tr.net.getWeights();
      const dt = Math.min(d, (1 + t) / (10 + t));
      for (let i = 0; i < ref.length; i++) ref[i] = dt * ref[i] + (1 - dt) * theta[i];
    }
    const avg = await tr.getWeights();
    const theta = await tr.net.getWeights();
    // float32 updates of O(1) weights over 60 steps: ~60 · 6e-8 rounding; 1e-5 leaves room, while
    // a wrong decay (e.g. d instead of d_t) is off by ≥ 1e-2 here.
    expect(maxRelError(avg, ref)).toBeLessThan(1e-5);
    // The average is not θ: at lr 1e-2 the iterates move, and θ̄ lags them.
    expect(maxRelError(avg, theta)).toBeGreaterThan(1e-3);
    tr.dispose();
  });

  test('averageDecay 0 evaluates θ itself; scoreOn reads the average when it is on', async () => {
    const off = createTrainer({ ...small, averageDecay: 0 });
    await off.trainBurst(20);
    expect(Array.from(await off.getWeights())).toEqual(Array.from(await off.net.getWeights()));
    off.dispose();

    const on = createTrainer({ ...small, averageDecay: 0.99 });
    await on.trainBurst(20);
    const points = new Float32Array([0, 0, 1, 1, 3, 2]);
    const viaAverage = await on.scoreOn(points, 0.3);
    // The same net with θ := θ̄ (setWeights loads both) must give the same field.
    const avg = await on.getWeights();
    const copy = createTrainer({ ...small, averageDecay: 0.99 });
    copy.setWeights(avg);
    expect(maxRelError(await copy.scoreOn(points, 0.3), viaAverage)).toBeLessThan(1e-6);
    expect(Array.from(await copy.net.getWeights())).toEqual(Array.from(avg));
    on.dispose();
    copy.dispose();
  });

  test('a rolled-back burst restores the average with θ', async () => {
    const tr = createTrainer({ ...small, averageDecay: 0.95 });
    expect((await tr.trainBurst(10)).status).toBe('ok');
    const before = await tr.getWeights();
    // A loss limit no loss can meet forces the rollback path.
    tr.setLive({ maxLoss: 1e-30 });
    expect((await tr.trainBurst(10)).status).toBe('diverged');
    expect(Array.from(await tr.getWeights())).toEqual(Array.from(before));
    tr.dispose();
  });

  test('an invalid decay is refused by name', () => {
    expect(() => createTrainer({ ...small, averageDecay: 1 })).toThrow(/invalid averageDecay/);
    expect(() => createTrainer({ ...small, averageDecay: -0.1 })).toThrow(/invalid averageDecay/);
  });

  test('no tensors leak over training with the average on', async () => {
    const tr = createTrainer({ ...small, averageDecay: 0.99 });
    await tr.trainBurst(5);
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await tr.trainBurst(10);
    await tr.scoreOn(new Float32Array([0, 0]), 0.5);
    expect(tf.memory().numTensors).toBe(n0);
    tr.dispose();
  });
});
