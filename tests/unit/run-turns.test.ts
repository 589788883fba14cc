/**
 * Real runs (tfjs cpu) sharing one play loop, as the runs of many widgets share a worker:
 * both playing runs train, a paused one takes no more steps while the other goes on, and each
 * stops exactly at its own step limit.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, test } from 'vitest';
import { nextTask, Run } from '../../src/worker/run';
import { Scheduler } from '../../src/worker/scheduler';
import type { FromWorker, RunConfig } from '../../src/worker/protocol';
import { defaults } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

function config(maxSteps: number): RunConfig {
  return runConfigOf({ ...defaults('bimodal-1d'), nData: 200, seed: 3, width: 16, depth: 2, batchSize: 32, maxSteps }, 'dsm');
}

/**
 * Resolves once `cond` holds, checked between the loop's turns. (The loop yields through the same
 * message queue; Node's timers could wait behind it indefinitely.)
 */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await nextTask();
}

test('two runs on one play loop both train; a paused one stays put while the other goes on', async () => {
  const loop = new Scheduler<Run>(nextTask);
  const frames: FromWorker[] = [];
  const a = new Run(1, config(0), (m) => frames.push(m), loop);
  const b = new Run(2, config(0), (m) => frames.push(m), loop);
  a.start();
  b.start();
  await until(() => a.step >= 5 && b.step >= 5);
  const seen = frames.length;
  a.pause();
  // The frame that says it stopped (sent once a burst in flight has ended).
  await until(() => frames.slice(seen).some((f) => f.type === 'progress' && f.runId === 1 && !f.running));
  const held = a.step;
  const bAt = b.step;
  await until(() => b.step >= bAt + 10);
  expect(a.step).toBe(held);
  expect(loop.waiting).not.toContain(a);
  b.pause();
  a.dispose();
  b.dispose();
}, 120_000);

test('each run stops at its own max-steps on a shared loop', async () => {
  const loop = new Scheduler<Run>(nextTask);
  const a = new Run(1, config(37), () => {}, loop);
  const b = new Run(2, config(83), () => {}, loop);
  a.start();
  b.start();
  await until(() => !a.running && !b.running);
  expect([a.step, b.step]).toEqual([37, 83]);
  a.dispose();
  b.dispose();
}, 120_000);
