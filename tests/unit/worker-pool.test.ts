/**
 * The page's pool of training workers, with fake workers: how many workers it starts and which
 * one a run goes to, that runs sharing a worker hear only their own frames, that a replaced
 * worker gets every run it held back, that a worker still loading is not taken for a dead one,
 * and that a worker left without runs stops.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { pickHost, poolSize, IDLE_MS } from '../../src/worker/pool';
import { DEAD_MS, START_MS, TrainerClient } from '../../src/worker/client';
import { config, fakePool, progress } from './fake-worker';

afterEach(() => vi.useRealTimers());

describe('pool size and assignment', () => {
  test('hardwareConcurrency − 1 workers, at least one', () => {
    expect(poolSize(8)).toBe(7);
    expect(poolSize(2)).toBe(1);
    expect(poolSize(1)).toBe(1);
    expect(poolSize(undefined)).toBe(1);
  });

  test('a new worker while there is room, then the least loaded one of the same backend choice', () => {
    expect(pickHost([], 'wasm', 3)).toBe(-1);
    // Room left and the only wasm worker is busy: a new one.
    expect(pickHost([{ choice: 'wasm', load: 1 }], 'wasm', 3)).toBe(-1);
    // An idle worker of the same choice is reused even with room left.
    expect(
      pickHost(
        [
          { choice: 'wasm', load: 1 },
          { choice: 'wasm', load: 0 },
        ],
        'wasm',
        3,
      ),
    ).toBe(1);
    // Full: the least loaded, the first of equals.
    const full = [
      { choice: 'wasm', load: 3 },
      { choice: 'wasm', load: 2 },
      { choice: 'wasm', load: 2 },
    ] as const;
    expect(pickHost(full, 'wasm', 3)).toBe(1);
    // Another backend choice never shares a worker, and gets one even in a full pool.
    expect(pickHost(full, 'cpu', 3)).toBe(-1);
  });

  test('twenty runs on a two-core machine share one worker; on eight cores, seven', () => {
    const two = fakePool(poolSize(2));
    const a = Array.from({ length: 20 }, () => new TrainerClient('wasm', two.pool));
    expect(two.workers).toHaveLength(1);
    const eight = fakePool(poolSize(8));
    const b = Array.from({ length: 20 }, () => new TrainerClient('wasm', eight.pool));
    expect(eight.workers).toHaveLength(7);
    for (const c of [...a, ...b]) c.terminate();
  });
});

describe('runs sharing a worker', () => {
  test('run ids are unique on the page and each client hears only its own frames', () => {
    const { pool, workers } = fakePool(1);
    const c1 = new TrainerClient('wasm', pool);
    const c2 = new TrainerClient('wasm', pool);
    const seen: [string, number][] = [];
    c1.on('progress', (f) => seen.push(['c1', f.step]));
    c2.on('progress', (f) => seen.push(['c2', f.step]));
    const r1 = c1.configure(config);
    const r2 = c2.configure(config);
    expect(r1).not.toBe(r2);
    workers[0].reply(progress(r2, 7));
    workers[0].reply(progress(r1, 5));
    // A frame of c1's earlier run, after it reset, reaches no one.
    const r1b = c1.configure(config);
    workers[0].reply(progress(r1, 6));
    workers[0].reply(progress(r1b, 1));
    expect(seen).toEqual([
      ['c2', 7],
      ['c1', 5],
      ['c1', 1],
    ]);
    c1.terminate();
    c2.terminate();
  });

  test('a client that attaches after the worker is ready hears which backend it has', async () => {
    const { pool, workers } = fakePool(1);
    const c1 = new TrainerClient('wasm', pool);
    workers[0].reply({ type: 'ready', backend: { name: 'wasm' } });
    const c2 = new TrainerClient('wasm', pool);
    await expect(c2.ready()).resolves.toEqual({ name: 'wasm' });
    expect(workers.filter((w) => w.sent.some((m) => m.type === 'init'))).toHaveLength(1);
    c1.terminate();
    c2.terminate();
  });

  test('a replaced worker gets back every run it held, each from its own snapshot', () => {
    vi.useFakeTimers();
    const { pool, workers } = fakePool(1);
    const c1 = new TrainerClient('wasm', pool);
    const c2 = new TrainerClient('wasm', pool);
    const restarts: number[] = [];
    c1.on('restarted', (_w, step) => restarts.push(step));
    c2.on('restarted', (_w, step) => restarts.push(step));
    const r1 = c1.configure(config);
    const r2 = c2.configure(config);
    c1.start();
    workers[0].reply({ type: 'ready', backend: { name: 'wasm' } });
    workers[0].reply({ type: 'snapshot', runId: r1, step: 40, weights: new Float32Array([1]) });
    workers[0].reply({ type: 'snapshot', runId: r2, step: 12, weights: new Float32Array([2]) });
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(DEAD_MS + 1000);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    const replayed = workers[1].sent.map((m) => [m.type, 'runId' in m ? m.runId : null]);
    expect(replayed).toEqual([
      ['init', null],
      ['configure', r1],
      ['restore', r1],
      ['start', r1],
      ['configure', r2],
      ['restore', r2],
    ]);
    expect(restarts).toEqual([40, 12]);
    c1.terminate();
    c2.terminate();
  });

  test('a worker that has not answered yet is loading, not dead, until START_MS', () => {
    vi.useFakeTimers();
    const { pool, workers } = fakePool(1);
    const c = new TrainerClient('wasm', pool);
    vi.advanceTimersByTime(DEAD_MS + 5000);
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(START_MS);
    expect(workers).toHaveLength(2);
    c.terminate();
  });

  test('a worker left without runs stops after IDLE_MS, unless a run comes back', () => {
    vi.useFakeTimers();
    const { pool, workers } = fakePool(1);
    const c1 = new TrainerClient('wasm', pool);
    c1.configure(config);
    c1.terminate();
    expect(workers[0].last('close')).toMatchObject({ type: 'close' });
    vi.advanceTimersByTime(IDLE_MS / 2);
    const c2 = new TrainerClient('wasm', pool);
    vi.advanceTimersByTime(IDLE_MS);
    expect(workers[0].terminated).toBe(false);
    c2.terminate();
    vi.advanceTimersByTime(IDLE_MS + 1);
    expect(workers[0].terminated).toBe(true);
    expect(pool.workers).toBe(0);
  });
});
