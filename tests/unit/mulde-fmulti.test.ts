import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { createTrainer } from '../../src/model/trainer';
import { fMulti } from '../../src/worker/f-multi';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = sampleMixture(
  createMixture({
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
  }),
  64,
  createRng(2),
).x;

describe("the worker's f-multi", () => {
  test('n × L point-major values equal one fOn per level, across chunk boundaries', async () => {
    const tr = createTrainer({ method: 'mulde', data, dim: 2, width: 16, depth: 2, batchSize: 32, seed: 3 });
    await tr.trainBurst(5);
    const pts = data.subarray(0, 2 * 13);
    const sigmas = [0.05, 0.4, 3];
    const n0 = tf.memory().numTensors;
    const got = await fMulti(tr, pts, 2, sigmas, 7); // 39 rows in chunks of 7: the last one partial
    expect(tf.memory().numTensors).toBe(n0);
    expect(got.length).toBe(13 * 3);
    for (let l = 0; l < 3; l++) {
      const f = await tr.fOn(pts, sigmas[l]);
      for (let i = 0; i < 13; i++) expect(got[i * 3 + l]).toBeCloseTo(f[i], 5);
    }
    expect(await fMulti(tr, pts, 2, sigmas)).toEqual(got);
    expect(await fMulti(tr, new Float32Array(0), 2, sigmas)).toEqual(new Float32Array(0));
    await expect(fMulti(tr, pts.subarray(0, 3), 2, sigmas)).rejects.toThrow(/invalid request/);
    await expect(fMulti(tr, pts, 2, [0.1, -1])).rejects.toThrow(/invalid request/);
    tr.dispose();
  });
});
