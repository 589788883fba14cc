/**
 * `auto`'s choice by measurement (src/worker/backend-choice.ts): the fastest timed backend goes
 * first, failures and untimed ones after; a remembered choice with the same key skips the timing;
 * a single candidate is not timed at all; and the timing burst itself runs and cleans up.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { choiceKey, chooseByTiming, timeTrainingBurst } from '../../src/worker/backend-choice';
import type { BackendName, MeasuredChoice } from '../../src/worker/protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A timer from fixed ms/step values (null: the backend fails to start); records what it timed. */
function timer(ms: Partial<Record<BackendName, number | null>>) {
  const timed: BackendName[] = [];
  return {
    timed,
    time: (b: BackendName) => {
      timed.push(b);
      return Promise.resolve(ms[b] ?? null);
    },
  };
}

const key = choiceKey('4.22.0', 'nvidia ampere', 'ANGLE (NVIDIA)');

describe('choosing a backend by timing', () => {
  test('the fastest goes first; cpu is never timed and stays last', async () => {
    const t = timer({ webgpu: 9.5, webgl: 14, wasm: 6.2 });
    const c = await chooseByTiming(['webgpu', 'webgl', 'wasm', 'cpu'], key, undefined, t.time);
    expect(t.timed).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(c.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(c.measured).toEqual({ key, backend: 'wasm', msPerStep: { webgpu: 9.5, webgl: 14, wasm: 6.2 } });
    expect(c.remembered).toBe(false);
  });

  test('a backend that fails to start goes after the ones that ran', async () => {
    const t = timer({ webgpu: null, wasm: 6 });
    const c = await chooseByTiming(['webgpu', 'wasm', 'cpu'], key, undefined, t.time);
    expect(c.order).toEqual(['wasm', 'webgpu', 'cpu']);
    expect(c.measured?.msPerStep).toEqual({ wasm: 6 });
  });

  test('nothing is timed when there is one candidate (no real GPU)', async () => {
    const t = timer({ wasm: 6 });
    const c = await chooseByTiming(['wasm', 'cpu'], key, undefined, t.time);
    expect(t.timed).toEqual([]);
    expect(c).toEqual({ order: ['wasm', 'cpu'], remembered: false });
  });

  test('a remembered choice is used when its key matches, measured again when not', async () => {
    const remembered: MeasuredChoice = { key, backend: 'webgpu', msPerStep: { webgpu: 3, wasm: 6 } };
    const same = timer({ webgpu: 9, wasm: 6 });
    const c = await chooseByTiming(['webgpu', 'wasm', 'cpu'], key, remembered, same.time);
    expect(same.timed).toEqual([]);
    expect(c).toEqual({ order: ['webgpu', 'wasm', 'cpu'], measured: remembered, remembered: true });

    const other = timer({ webgpu: 9, wasm: 6 });
    const newKey = choiceKey('4.22.0', 'intel gen-12', 'ANGLE (Intel)');
    const d = await chooseByTiming(['webgpu', 'wasm', 'cpu'], newKey, remembered, other.time);
    expect(other.timed).toEqual(['webgpu', 'wasm']);
    expect(d.order[0]).toBe('wasm');
    expect(d.remembered).toBe(false);
  });

  test('the timing burst trains, returns a positive ms/step and leaves no tensor behind', async () => {
    const n0 = tf.memory().numTensors;
    const ms = await timeTrainingBurst(1);
    expect(ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(n0);
  }, 60_000);
});
