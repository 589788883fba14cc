/**
 * Sliced SM's projections per point and its variance-reduced form are live settings: the page's
 * settings carry them to the run, and a running run takes them at its next batch, keeping its
 * weights and step count.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, test } from 'vitest';
import { Run } from '../../src/worker/run';
import { defaults } from '../../src/ui/state/settings';
import { liveSettingsOf, runConfigOf } from '../../src/ui/state/run-config';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

test('the page sends projections and the variance-reduced switch with the live settings', () => {
  const live = liveSettingsOf({ ...defaults(), projections: 4, varianceReduced: true });
  expect(live).toMatchObject({ projections: 4, varianceReduced: true });
  expect(liveSettingsOf(defaults())).toMatchObject({ projections: 1, varianceReduced: false });
});

test('a running SSM run takes M = 4, variance-reduced, at its next batch without starting again', async () => {
  const s = { ...defaults('two-blobs'), nData: 100, seed: 2, width: 16, depth: 2, batchSize: 16 };
  const run = new Run(1, runConfigOf(s, 'ssm'), () => undefined);
  await run.stepN(5);
  const before = await run.trainer.getWeights();
  expect(run.trainer.nextBatch().n).toBe(16);
  run.setLive({ projections: 4, varianceReduced: true });
  expect(run.trainer.settings).toMatchObject({ projections: 4, varianceReduced: true });
  // The same weights (no new network), then rows = batch × M.
  expect(await run.trainer.getWeights()).toEqual(before);
  const batch = run.trainer.nextBatch();
  expect(batch.n).toBe(64);
  // Point-major: each point's four rows are the same point with their own directions.
  expect(batch.x.subarray(0, 2)).toEqual(batch.x.subarray(6, 8));
  await run.stepN(5);
  expect(run.step).toBe(10);
  expect(() => run.setLive({ projections: 0 })).toThrow('invalid projections: 0');
  run.dispose();
});
