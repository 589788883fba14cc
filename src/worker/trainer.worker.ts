/**
 * The training worker: picks a TensorFlow.js backend, owns at most one Session, answers the
 * page's messages (protocol.ts) and recovers from a lost WebGPU device by moving to the next
 * backend with the last weight snapshot.
 */
import { createRng } from '../core/rng';
import { runSamplerAsync } from '../core/samplers';
import { activate, candidates, describe, deviceLost, orderByTiming, probe, type Probe } from './backend';
import { buildSampler } from './sampling-job';
import { fMulti } from './f-multi';
import { Session } from './session';
import { transferables, type BackendInfo, type BackendName, type FromWorker, type MeasuredChoice, type ToWorker } from './protocol';
import { weightsFromJSON, weightsToJSON } from './weights';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromWorker): void {
  scope.postMessage(msg, transferables(msg));
}

let session: Session | null = null;
let backend: BackendInfo | null = null;
let order: BackendName[] = [];
let probed: Probe | null = null;
let ready: Promise<void> | null = null;
const sampling = new Map<number, { aborted: boolean; reason?: unknown }>();

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
  let notice: string | undefined;
  if (choice !== 'auto' && name !== choice) notice = `The ${choice} backend could not start (${failures.join('; ')}); using ${name}.`;
  else if (choice === 'auto' && probed.webgpu.available && probed.webgpu.software && name !== 'webgpu')
    notice = `WebGPU is only emulated in software here (${probed.webgpu.adapter}); ${name} is faster.`;
  post({ type: 'ready', backend, notice, measured });
  watchDevice();
}

function watchDevice(): void {
  const lost = deviceLost();
  if (!lost) return;
  const current = backend?.name;
  void lost.then((why) => {
    if (backend?.name === current) void fallback(`the WebGPU device was lost (${why})`);
  });
}

/** A new session, wired so a failing play loop is first checked against a lost device. */
function newSession(runId: number, config: Session['config']): Session {
  const s = new Session(runId, config, post);
  s.onLoopError = (e) => void loopFailed(s, e);
  return s;
}

/**
 * The play loop threw. Work in flight on a WebGPU device that is being lost fails before the
 * device's `lost` promise settles, so wait briefly for it: if the device is gone, the fallback
 * moves the run (and resumes it); otherwise the page hears what failed.
 */
async function loopFailed(s: Session, e: unknown): Promise<void> {
  const lost = deviceLost();
  if (lost) {
    const gone = await Promise.race([lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
    if (gone) return;
  }
  if (session === s) post({ type: 'error', runId: s.runId, code: 'internal', message: `training stopped: ${message(e)}` });
}

/** Move to the next backend after a failure, rebuilding the run from its last snapshot. */
async function fallback(reason: string): Promise<void> {
  const failed = backend?.name;
  order = order.filter((b) => b !== failed);
  const old = session;
  const wasRunning = old?.wanted ?? false;
  const snapshot = old?.snapshot ?? null;
  const snapshotStep = old?.snapshotStep ?? 0;
  if (old) {
    old.running = false;
    try {
      old.dispose();
    } catch {
      // Its tensors lived on the lost device.
    }
  }
  const { name } = await activate(order);
  backend = describe(name, probed ?? (await probe()));
  post({ type: 'backend-changed', backend, reason: `${reason}; now training on ${name}` });
  watchDevice();
  if (old) {
    session = newSession(old.runId, old.config);
    if (snapshot) session.restore(snapshot, snapshotStep);
    if (wasRunning) session.start();
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    ready = init(msg.backend, msg.remembered);
    return ready;
  }
  // Answered before anything else, so a slow backend start does not look like a dead worker.
  if (msg.type === 'ping') {
    post({ type: 'pong' });
    return;
  }
  await ready;
  const current = session && 'runId' in msg && msg.runId === session.runId ? session : null;
  switch (msg.type) {
    case 'configure': {
      session?.dispose();
      session = null;
      const s = newSession(msg.runId, msg.config);
      session = s;
      post({ type: 'configured', runId: msg.runId, params: s.paramCount, dim: msg.config.dataset.means[0].length as 1 | 2 });
      return;
    }
    case 'start':
      current?.start();
      return;
    case 'pause':
      current?.pause();
      return;
    case 'step': {
      if (!current) return;
      current.pause();
      const loss = await current.stepN(msg.n);
      post({ type: 'stepped', runId: msg.runId, reqId: msg.reqId, step: current.step, loss });
      return;
    }
    case 'live':
      current?.setLive(msg.live);
      return;
    case 'view':
      current?.setView(msg.view);
      return;
    case 'field': {
      if (!current) return;
      const field = await current.trainer.scoreOn(msg.view.points, msg.view.sigma);
      const f = msg.view.withF && current.config.method === 'mulde' ? await current.trainer.fOn(msg.view.points, msg.view.sigma) : undefined;
      post({ type: 'field', runId: msg.runId, reqId: msg.reqId, sigma: msg.view.sigma, field, f });
      return;
    }
    case 'f-multi': {
      if (!current) return;
      if (current.config.method !== 'mulde') throw new Error('invalid request: f on many levels needs a MULDE run');
      // No training burst in between the chunks: every value comes from the weights at `step`.
      const dim = current.config.dataset.means[0].length;
      const { values, step } = await current.exclusive(async () => ({
        values: await fMulti(current.trainer, msg.points, dim, msg.sigmas),
        step: current.step,
      }));
      post({ type: 'f-multi', runId: msg.runId, reqId: msg.reqId, values, step });
      return;
    }
    case 'sample': {
      if (!current) return;
      const req = msg.request;
      const dim = current.config.dataset.means[0].length as 1 | 2;
      const rng = createRng(current.config.seed ^ 0x5a17);
      const gen = buildSampler(req, dim, current.data, rng);
      const signal = { aborted: false as boolean, reason: undefined as unknown };
      sampling.set(msg.reqId, signal);
      try {
        const res = await runSamplerAsync(gen, (x, sigma) => current.trainer.scoreOn(x, sigma), {
          frameEvery: Math.max(1, req.frameEvery),
          signal,
          onFrame: (x, info) => {
            if (!info.done) post({ type: 'particles', runId: msg.runId, reqId: msg.reqId, x: x.slice(), sigma: info.sigma, done: false });
          },
        });
        const t = res.trails;
        const trails = t ? t.data.slice(0, t.frames * t.n * dim) : undefined;
        const trailSigmas = t ? t.sigmas.slice(0, t.frames) : undefined;
        post({ type: 'particles', runId: msg.runId, reqId: msg.reqId, x: res.x.slice(), sigma: NaN, done: true, trails, trailSigmas });
      } finally {
        sampling.delete(msg.reqId);
      }
      return;
    }
    case 'cancel-sample': {
      const s = sampling.get(msg.reqId);
      if (s) {
        s.aborted = true;
        s.reason = new Error('sampling cancelled');
      }
      return;
    }
    case 'get-weights': {
      if (!current) return;
      post({ type: 'weights', runId: msg.runId, reqId: msg.reqId, weights: weightsToJSON(current, await current.exclusive(() => current.trainer.getWeights())) });
      return;
    }
    case 'restore': {
      // Sent right after `configure` to a fresh worker, before the view and start: restored at
      // once (no await first), so no frame of the fresh run ever shows its step 0.
      if (!current) return;
      current.restore(msg.weights, msg.step);
      await current.sendFrame();
      return;
    }
    case 'set-weights': {
      if (!current) return;
      const theta = weightsFromJSON(current, msg.weights);
      await current.exclusive(async () => current.trainer.setWeights(theta));
      await current.sendFrame();
      post({ type: 'weights', runId: msg.runId, reqId: msg.reqId, weights: msg.weights });
      return;
    }
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  handle(msg).catch((err: unknown) => {
    const code = /^invalid (weights|network)/.test(message(err))
      ? 'bad-weights'
      : /^invalid /.test(message(err))
        ? 'bad-config'
        : msg.type === 'init'
          ? 'backend'
          : 'internal';
    post({
      type: 'error',
      runId: 'runId' in msg ? msg.runId : undefined,
      reqId: 'reqId' in msg ? msg.reqId : undefined,
      code,
      message: message(err),
    });
  });
};
