/**
 * `max-steps`: the play loop and `step(n)` stop at the limit exactly, whatever the burst size, and
 * a run at its limit does not start again.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, test } from 'vitest';
import { Run } from '../../src/worker/run';
import type { FromWorker, RunConfig } from '../../src/worker/protocol';
import { defaults } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

function config(maxSteps: number): RunConfig {
  return runConfigOf({ ...defaults('bimodal-1d'), nData: 200, seed: 3, width: 16, depth: 2, batchSize: 32, maxSteps }, 'dsm');
}

type Progress = Extract<FromWorker, { type: 'progress' }>;

/** Start the loop and resolve with the first frame that says it stopped. */
function playToStop(run: Run, frames: Progress[]): Promise<Progress> {
  return new Promise((resolve) => {
    const seen = frames.length;
    const poll = setInterval(() => {
      const stop = frames.slice(seen).find((f) => !f.running);
      if (stop) {
        clearInterval(poll);
        resolve(stop);
      }
    }, 5);
    run.start();
  });
}

test('the play loop stops exactly at max-steps and stays there', async () => {
  const frames: Progress[] = [];
  const s = new Run(1, config(137), (m) => m.type === 'progress' && frames.push(m));
  const stop = await playToStop(s, frames);
  expect(stop.step).toBe(137);
  expect(s.step).toBe(137);
  expect(s.wanted).toBe(false);
  // Pressing play again at the limit trains nothing.
  const again = await playToStop(s, frames);
  expect(again.step).toBe(137);
  s.dispose();
});

test('step(n) past the limit stops at it; raising the limit live lets training go on', async () => {
  const s = new Run(1, config(50), () => undefined);
  await s.stepN(80);
  expect(s.step).toBe(50);
  s.setLive({ maxSteps: 70 });
  await s.stepN(80);
  expect(s.step).toBe(70);
  s.setLive({ maxSteps: 0 });
  await s.stepN(15);
  expect(s.step).toBe(85);
  s.dispose();
});
