/**
 * The training worker: picks a TensorFlow.js backend, holds many Runs (keyed by
 * run id, which the page keeps unique), lets the playing ones take turns (scheduler.ts), answers
 * the page's messages (protocol.ts) and recovers from a lost WebGPU device by moving every run
 * to the next backend with its last weight snapshot.
 */
import { dimOf } from '../core/mixture';
import { methodTraits } from '../core/methods';
import { activate, candidates, describe, deviceLost, orderByTiming, probe, useWasmUrls, type Probe } from './backend';
import { runSampleRequest } from './sample-runner';
import { fMulti } from './f-multi';
import { nextTask, playLoop, Run } from './run';
import {
  Fault,
  transferables,
  type ErrorCode,
  type BackendInfo,
  type BackendName,
  type BackendNotice,
  type FromWorker,
  type MeasuredChoice,
  type ToWorker,
} from './protocol';
import { weightsFromJSON, weightsToJSON } from './weights';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromWorker): void {
  scope.postMessage(msg, transferables(msg));
}

const runs = new Map<number, Run>();
let backend: BackendInfo | null = null;
let order: BackendName[] = [];
let probed: Probe | null = null;
let ready: Promise<void> | null = null;
const sampling = new Map<number, { aborted: boolean }>();

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function init(choice: Parameters<typeof candidates>[0], remembered?: MeasuredChoice): Promise<void> {
  probed = await probe();
  order = candidates(choice, probed);
  const picked = choice === 'auto' ? await orderByTiming(order, probed, remembered) : null;
  if (picked) order = picked.order;
  const { name, failures } = await activate(order);
  backend = describe(name, probed);
  const measured = picked?.measured;
  if (measured?.backend === name) backend.chosenBy = { msPerStep: measured.msPerStep, remembered: picked?.remembered ?? false };
  let notice: BackendNotice | undefined;
  if (choice !== 'auto' && name !== choice) notice = { code: 'backend-unavailable', wanted: choice, using: name, failures };
  else if (choice === 'auto' && probed.webgpu.available && probed.webgpu.software && name !== 'webgpu')
    notice = { code: 'software-webgpu', adapter: probed.webgpu.adapter ?? 'unknown adapter', using: name };
  post({ type: 'ready', backend, notice, measured });
  watchDevice();
}

function watchDevice(): void {
  const lost = deviceLost();
  if (!lost) return;
  const current = backend?.name;
  void lost.then((why) => {
    if (backend?.name === current) void fallback(why);
  });
}

/** A new run, wired so a failing play loop is first checked against a lost device. */
function newRun(runId: number, config: Run['config']): Run {
  const s = new Run(runId, config, post, playLoop);
  s.onLoopError = (e) => void loopFailed(s, e);
  return s;
}

/**
 * The play loop threw. Work in flight on a WebGPU device that is being lost fails before the
 * device's `lost` promise settles, so wait briefly for it: if the device is gone, the fallback
 * moves the run (and resumes it); otherwise the page hears what failed.
 */
async function loopFailed(s: Run, e: unknown): Promise<void> {
  const lost = deviceLost();
  if (lost) {
    const gone = await Promise.race([lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
    if (gone) return;
  }
  if (runs.get(s.runId) === s) post({ type: 'error', runId: s.runId, code: 'internal', message: `training stopped: ${message(e)}` });
}

/** Move to the next backend after the WebGPU device was lost, rebuilding every run from its last snapshot. */
async function fallback(detail: string): Promise<void> {
  const failed = backend?.name;
  order = order.filter((b) => b !== failed);
  const old = [...runs.values()].map((s) => ({ s, wasRunning: s.wanted, snapshot: s.snapshot, snapshotStep: s.snapshotStep }));
  for (const { s } of old) {
    s.running = false;
    try {
      s.dispose();
    } catch {
      // Its tensors lived on the lost device.
    }
  }
  const { name } = await activate(order);
  backend = describe(name, probed ?? (await probe()));
  post({ type: 'backend-changed', backend, notice: { code: 'device-lost', detail, using: name } });
  watchDevice();
  for (const { s, wasRunning, snapshot, snapshotStep } of old) {
    if (runs.get(s.runId) !== s) continue; // closed meanwhile
    const next = newRun(s.runId, s.config);
    runs.set(s.runId, next);
    if (snapshot) next.restore(snapshot, snapshotStep);
    if (wasRunning) next.start();
  }
}

type Msg<T extends ToWorker['type']> = Extract<ToWorker, { type: T }>;

/** f(x, σ_l) on many levels, with no training burst in between the chunks: every value comes from the weights at `step`. */
async function answerFMulti(current: Run, msg: Msg<'f-multi'>): Promise<void> {
  if (methodTraits[current.config.method].head !== 'energy') throw new Fault('bad-config', 'invalid request: f on many levels needs a MULDE run');
  const dim = dimOf(current.config.dataset);
  const { values, step } = await current.exclusive(async () => ({
    values: await fMulti(current.trainer, msg.points, dim, msg.sigmas),
    step: current.step,
  }));
  post({ type: 'f-multi', runId: msg.runId, reqId: msg.reqId, values, step });
}

/** Run a sampler with the run's learned score, streaming particle frames; a cancel ends it quietly. */
async function answerSample(current: Run, msg: Msg<'sample'>): Promise<void> {
  const signal = { aborted: false as boolean, reason: undefined as unknown };
  sampling.set(msg.reqId, signal);
  try {
    await runSampleRequest(current, msg.reqId, msg.request, post, signal, nextTask);
  } finally {
    sampling.delete(msg.reqId);
  }
}

/** The run's weights as a JSON file, taken between bursts. */
async function answerGetWeights(current: Run, msg: Msg<'get-weights'>): Promise<void> {
  const weights = weightsToJSON(current, await current.exclusive(() => current.trainer.getWeights()));
  post({ type: 'weights', runId: msg.runId, reqId: msg.reqId, weights });
}

/** Load a weights file into the run (refused with a bad-weights fault when it does not fit). */
async function answerSetWeights(current: Run, msg: Msg<'set-weights'>): Promise<void> {
  const theta = weightsFromJSON(current, msg.weights);
  await current.exclusive(async () => current.trainer.setWeights(theta));
  await current.sendFrame();
  post({ type: 'weights', runId: msg.runId, reqId: msg.reqId, weights: msg.weights });
}

/** A request for a run this worker does not have is answered, never left hanging; true when it was one. */
function answerNoRun(msg: ToWorker): boolean {
  if (!('reqId' in msg) || msg.type === 'cancel-sample') return false;
  post({ type: 'error', runId: msg.runId, reqId: msg.reqId, code: 'no-run', message: `no run ${msg.runId} in the training worker` });
  return true;
}

/** A new run (a client that had one sends `close` for it first, so its tensors go before the new net's come). */
function configureRun(msg: Msg<'configure'>): void {
  closeRun(msg.runId);
  const s = newRun(msg.runId, msg.config);
  runs.set(msg.runId, s);
  post({ type: 'configured', runId: msg.runId, params: s.paramCount, dim: dimOf(msg.config.dataset) });
}

function closeRun(runId: number): void {
  runs.get(runId)?.dispose();
  runs.delete(runId);
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    if (msg.wasm) useWasmUrls(msg.wasm);
    ready = init(msg.backend, msg.remembered);
    return ready;
  }
  // Answered before anything else, so a slow backend start does not look like a dead worker.
  if (msg.type === 'ping') {
    post({ type: 'pong' });
    return;
  }
  await ready;
  const current = ('runId' in msg && runs.get(msg.runId)) || null;
  if (!current && answerNoRun(msg)) return;
  switch (msg.type) {
    case 'configure':
      return configureRun(msg);
    case 'close':
      closeRun(msg.runId);
      return;
    case 'start':
      current?.start();
      return;
    case 'pause':
      current?.pause();
      return;
    case 'step': {
      if (!current) return; // answered above
      current.pause();
      const loss = await current.stepN(msg.n);
      post({ type: 'stepped', runId: msg.runId, reqId: msg.reqId, step: current.step, loss });
      return;
    }
    case 'live':
      current?.setLive(msg.live);
      return;
    case 'field-request':
      current?.setFieldRequest(msg.request);
      return;
    case 'field': {
      if (!current) return; // answered above
      const field = await current.trainer.scoreOn(msg.query.points, msg.query.sigma);
      post({ type: 'field', runId: msg.runId, reqId: msg.reqId, sigma: msg.query.sigma, field });
      return;
    }
    case 'f-multi':
      if (!current) return; // answered above
      return answerFMulti(current, msg);
    case 'sample':
      if (!current) return; // answered above
      return answerSample(current, msg);
    case 'cancel-sample': {
      const s = sampling.get(msg.reqId);
      if (s) s.aborted = true;
      return;
    }
    case 'get-weights':
      if (!current) return; // answered above
      return answerGetWeights(current, msg);
    case 'restore': {
      // Sent right after `configure` to a fresh worker, before the view and start: restored at
      // once (no await first), so no frame of the fresh run ever shows its step 0.
      if (!current) return;
      current.restore(msg.weights, msg.step);
      await current.sendFrame();
      return;
    }
    case 'set-weights':
      if (!current) return; // answered above
      return answerSetWeights(current, msg);
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The fault code of a failed message: a Fault says its own; otherwise it follows from what was
 * asked (a refused config, sampler request or weights file; a backend that would not start).
 */
function faultCode(type: ToWorker['type'], err: unknown): ErrorCode {
  if (err instanceof Fault) return err.code;
  const byType: Partial<Record<ToWorker['type'], ErrorCode>> = {
    init: 'backend',
    configure: 'bad-config',
    sample: 'bad-config',
    'set-weights': 'bad-weights',
  };
  return byType[type] ?? 'internal';
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  handle(msg).catch((err: unknown) => {
    const code = faultCode(msg.type, err);
    post({
      type: 'error',
      runId: 'runId' in msg ? msg.runId : undefined,
      reqId: 'reqId' in msg ? msg.reqId : undefined,
      code,
      message: message(err),
    });
  });
};
