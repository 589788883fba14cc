/**
 * step(n) answers the page between its bursts: a long request must not hold the worker so long
 * that its heartbeat goes unanswered (the host would replace the worker and the request would
 * end at step 0). A timer due at once has to run while the steps are still being taken.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, test } from 'vitest';
import { Run } from '../../src/worker/run';
import type { FromWorker } from '../../src/worker/protocol';
import { defaults } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

test('stepN yields to the event loop between bursts and reports progress on the way', async () => {
  const s = { ...defaults('two-blobs'), nData: 100, seed: 4, width: 16, depth: 2, batchSize: 64 };
  const frames: Extract<FromWorker, { type: 'progress' }>[] = [];
  const run = new Run(1, runConfigOf(s, 'mulde'), (m) => m.type === 'progress' && frames.push(m));
  let seenAt = -1;
  setTimeout(() => (seenAt = run.step), 0);
  await run.stepN(300);
  expect(run.step).toBe(300);
  // The timer ran while stepping, not after the last step.
  expect(seenAt).toBeGreaterThan(0);
  expect(seenAt).toBeLessThan(300);
  expect(frames.at(-1)?.step).toBe(300);
  run.dispose();
});
