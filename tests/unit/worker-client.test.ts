/**
 * The page-side client against a fake Worker: it stamps the run id on what it sends, drops
 * frames of an older run, answers requests by reqId, turns faults into typed RequestErrors
 * (quiet ones for a changed run or a missing one), hands a request's fault to its caller only,
 * and replaces a worker that stops answering pings, replaying config, snapshot, view and play.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEAD_MS, RequestError, TrainerClient } from '../../src/worker/client';
import { config, fakePool, progress } from './fake-worker';

function setup() {
  const { pool, workers } = fakePool(1);
  const client = new TrainerClient('cpu', pool);
  return { client, pool, workers, worker: () => workers.at(-1)! };
}

afterEach(() => vi.useRealTimers());

describe('TrainerClient with a fake worker', () => {
  test('init first; configure bumps the run id; frames of an older run are dropped', () => {
    const { client, worker } = setup();
    expect(worker().sent[0]).toMatchObject({ type: 'init', backend: 'cpu' });
    const frames: number[] = [];
    client.on('progress', (f) => frames.push(f.step));
    const r1 = client.configure(config);
    const r2 = client.configure(config);
    expect(r2).toBe(r1 + 1);
    expect(worker().last('configure').runId).toBe(r2);
    // The earlier run is closed on the worker before the new one is configured.
    expect(worker().sent.slice(-2)).toMatchObject([
      { type: 'close', runId: r1 },
      { type: 'configure', runId: r2 },
    ]);
    worker().reply(progress(r1, 5));
    worker().reply(progress(r2, 7));
    expect(frames).toEqual([7]);
    client.terminate();
  });

  test('a field is tagged with its view request', () => {
    const { client, worker } = setup();
    client.configure(config);
    const a = client.setFieldRequest({ points: new Float32Array([0]), sigma: 0.3 });
    const b = client.setFieldRequest({ points: new Float32Array([0]), sigma: 0.6 });
    expect(b).not.toBe(a);
    expect(worker().last('field-request').request).toMatchObject({ fieldId: b, sigma: 0.6 });
    client.terminate();
  });

  test('requests resolve by reqId; a fault rejects its caller only, typed; no-run and a changed run are quiet', async () => {
    const { client, worker } = setup();
    const runId = client.configure(config);
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    const stepped = client.step(3);
    const req = worker().last('step');
    worker().reply({ type: 'stepped', runId, reqId: req.reqId, step: 3, loss: 0.5 });
    await expect(stepped).resolves.toEqual({ step: 3, loss: 0.5 });

    const bad = client.setWeights({} as never);
    worker().reply({ type: 'error', runId, reqId: worker().last('set-weights').reqId, code: 'bad-weights', message: 'invalid weights: x' });
    const e = await bad.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequestError);
    expect(e).toMatchObject({ code: 'bad-weights', quiet: false });
    expect(errors).toEqual([]);

    const none = client.getWeights();
    worker().reply({ type: 'error', runId, reqId: worker().last('get-weights').reqId, code: 'no-run', message: 'no run' });
    await expect(none).rejects.toMatchObject({ code: 'no-run', quiet: true });

    const pending = client.step(1);
    client.configure(config);
    await expect(pending).rejects.toMatchObject({ code: 'stale', quiet: true });

    // A fault about the run itself (no reqId) is broadcast.
    worker().reply({ type: 'error', runId: client.runId, code: 'diverged', message: 'training diverged', diverged: { step: 4, reason: 'loss' } });
    expect(errors).toHaveLength(1);
    client.terminate();
  });

  test('a cancelled sampler resolves with its last frame marked cancelled', async () => {
    const { client, worker } = setup();
    const runId = client.configure(config);
    const frames: number[] = [];
    const done = client.sample({ sampler: 'langevin', particles: 1, sigmaMin: 0.1, sigmaMax: 1, levels: 1, stepsPerLevel: 10, eps: 0.01, trailEvery: 0 }, (f) =>
      frames.push(f.x[0]),
    );
    const reqId = worker().last('sample').reqId;
    worker().reply({ type: 'particles', runId, reqId, x: new Float32Array([1]), sigma: 0.1, done: false });
    client.cancelSample();
    expect(worker().last('cancel-sample')).toEqual({ type: 'cancel-sample', runId, reqId });
    worker().reply({ type: 'particles', runId, reqId, x: new Float32Array([2]), sigma: 0.1, done: true, cancelled: true });
    await expect(done).resolves.toMatchObject({ cancelled: true, done: true });
    expect(frames).toEqual([1, 2]);
    client.terminate();
  });

  test('a worker that stops answering pings is replaced and the run replayed from its snapshot', () => {
    vi.useFakeTimers();
    const { client, workers, worker } = setup();
    const restarts: [string, number][] = [];
    client.on('restarted', (why, step) => restarts.push([why.cause, step]));
    const runId = client.configure(config);
    client.setFieldRequest({ points: new Float32Array([0, 1]), sigma: 0.3 });
    client.start();
    worker().reply({ type: 'ready', backend: { name: 'cpu' } });
    worker().reply({ type: 'snapshot', runId, step: 40, weights: new Float32Array([1, 2, 3]) });
    vi.advanceTimersByTime(1000); // ping sent, never answered
    vi.advanceTimersByTime(DEAD_MS + 1000);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(worker().sent.map((m) => m.type)).toEqual(['init', 'configure', 'restore', 'field-request', 'start']);
    expect(worker().last('restore')).toMatchObject({ runId, step: 40 });
    expect(restarts).toEqual([['unresponsive', 40]]);
    client.terminate();
  });
});
