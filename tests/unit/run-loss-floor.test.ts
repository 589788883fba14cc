/**
 * The worker sends the loss floor with the losses: one value per step, computed on the very batch
 * that step trained on; none for painted points, whose density is unknown.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, test } from 'vitest';
import { Run, trainerConfigOf, trainingData } from '../../src/worker/run';
import { createTrainer } from '../../src/model/trainer';
import { createMixture } from '../../src/core/mixture';
import { lossFloor } from '../../src/core/loss-floor';
import type { FromWorker, Method, RunConfig } from '../../src/worker/protocol';
import { defaults } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

function config(method: Method, points?: Float32Array): RunConfig {
  // The page always sends its points; `painted` says whether the mixture drew them.
  return runConfigOf({ ...defaults('three-blobs'), nData: 200, seed: 4, width: 16, depth: 2, batchSize: 32 }, method, points, points !== undefined);
}

type Progress = Extract<FromWorker, { type: 'progress' }>;

for (const method of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde'] as const)
  test(`${method}: the floor of each step is the exact score's loss on that step's batch`, async () => {
    const frames: Progress[] = [];
    const c = config(method);
    const run = new Run(1, c, (m) => void (m.type === 'progress' && frames.push(m)));
    await run.stepN(7);
    const losses = frames.flatMap((f) => Array.from(f.losses));
    const floors = frames.flatMap((f) => Array.from(f.floors ?? []));
    expect(losses).toHaveLength(7);
    expect(floors).toHaveLength(7);
    // A second trainer with the same seed draws the same batches (the batch stream is a fork of the seed).
    const twin = createTrainer(trainerConfigOf(c, trainingData(c)));
    const mixture = createMixture(c.dataset);
    for (let i = 0; i < 7; i++) {
      const want = lossFloor(method, mixture, twin.nextBatch());
      // The frame carries float32.
      expect(Math.abs(floors[i] - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
    }
    twin.dispose();
    run.dispose();
  });

test('painted points get no floor', async () => {
  const frames: Progress[] = [];
  const points = Float32Array.from({ length: 80 }, (_, i) => Math.sin(i) * 3);
  const run = new Run(2, config('dsm', points), (m) => void (m.type === 'progress' && frames.push(m)));
  await run.stepN(3);
  expect(frames.flatMap((f) => Array.from(f.losses))).toHaveLength(3);
  expect(frames.every((f) => f.floors === undefined)).toBe(true);
  run.dispose();
});
