/**
 * The page's handle on one training worker. It owns the run counter: every configure bumps
 * `runId`, and frames from an older run are dropped here, so the UI never draws a stale frame.
 * Requests that expect an answer (step, field, sample, weights) return Promises keyed by reqId.
 *
 * It also supervises the worker. A heartbeat (ping every second, answered at once) notices a
 * worker that was terminated or hangs; an uncaught error in it counts as a crash too. Then the
 * client starts a new worker and replays what the run was: its config, live settings, view, the
 * last weight snapshot the worker sent (with its step), and whether it was training. Three
 * crashes within a minute stop the restarts with an error instead of looping.
 */
import {
  transferables,
  type BackendChoice,
  type BackendInfo,
  type FieldQuery,
  type FromWorker,
  type LiveSettings,
  type MeasuredChoice,
  type SampleRequest,
  type ToWorker,
  type WorkerLoss,
  type RunConfig,
  type ViewRequest,
  type WeightsJSON,
} from './protocol';
import { spawnTrainer, startFailure, wasmUrls } from './spawn';

import type { ClientEvents, ParticlesFrame, ViewQuery } from './client-events';
export type { ClientEvents, ParticlesFrame, ProgressFrame, ViewQuery, WorkerError } from './client-events';

import { RequestError } from './request-error';
export { RequestError, type RequestFailure } from './request-error';

const staleRun = () => new RequestError('stale', 'the run changed before the answer came');

/** No answer to a ping for this long means the worker is gone (a software-WebGPU step takes < 1 s). */
export const DEAD_MS = 10_000;
const PING_MS = 1000;
/** Restarts allowed within RESTART_WINDOW_MS before the client gives up. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;


interface Pending {
  resolve: (msg: FromWorker) => void;
  reject: (e: Error) => void;
  onParticles?: (frame: ParticlesFrame) => void;
}

export class TrainerClient {
  private worker: Worker;
  private nextReq = 1;
  private pending = new Map<number, Pending>();
  private listeners: { [K in keyof ClientEvents]: Set<ClientEvents[K]> } = {
    ready: new Set(),
    restarted: new Set(),
    backend: new Set(),
    progress: new Set(),
    error: new Set(),
  };
  /** The current run; frames carrying another id are stale. */
  runId = 0;
  private readyPromise: Promise<BackendInfo>;
  // What a restarted worker needs to pick the run up again.
  private config: RunConfig | null = null;
  private view: ViewRequest | null = null;
  private viewSeq = 0;
  private running = false;
  private snapshot: { runId: number; step: number; weights: Float32Array } | null = null;
  // Heartbeat and restart bookkeeping.
  private lastHeard = 0;
  private pingSentAt: number | null = null;
  private heartbeat: ReturnType<typeof setInterval>;
  private restarts: number[] = [];
  private stopped = false;
  /** Whether any worker has ever answered: an error before that is a failure to start, not a crash. */
  private heard = false;

  constructor(
    private backendChoice: BackendChoice = 'auto',
    private factory: () => Worker = spawnTrainer,
  ) {
    this.worker = this.spawn();
    this.readyPromise = new Promise((resolve) => {
      const off = this.on('ready', (b) => {
        off();
        resolve(b);
      });
    });
    this.heartbeat = setInterval(() => this.checkAlive(), PING_MS);
  }

  private spawn(): Worker {
    const w = this.factory();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      this.heard = true;
      this.lastHeard = performance.now();
      this.receive(e.data);
    };
    w.onerror = (e) => {
      e.preventDefault();
      if (!this.heard) this.failStart();
      else this.recover({ cause: 'crashed', detail: e.message || 'unknown error' });
    };
    this.lastHeard = performance.now();
    this.pingSentAt = null;
    w.postMessage({ type: 'init', backend: this.backendChoice, remembered: rememberedChoice(), wasm: wasmUrls() } satisfies ToWorker);
    return w;
  }

  /**
   * Ping, or declare the worker dead when the last ping went unanswered for DEAD_MS. Only an
   * unanswered ping counts: a background tab may run this timer once a minute, and a quiet
   * worker is not a dead one.
   */
  private checkAlive(): void {
    if (this.stopped) return;
    const now = performance.now();
    if (this.pingSentAt !== null && this.lastHeard < this.pingSentAt) {
      if (now - this.pingSentAt > DEAD_MS) this.recover({ cause: 'unresponsive', seconds: Math.round((now - this.pingSentAt) / 1000) });
      return;
    }
    this.pingSentAt = now;
    this.worker.postMessage({ type: 'ping' } satisfies ToWorker);
  }

  /** Replace a dead worker and replay the run onto the new one (or give up after too many). */
  private recover(why: WorkerLoss): void {
    if (this.stopped) return;
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new RequestError('stale', 'the training worker was restarted'));
    this.pending.clear();
    const now = performance.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    this.restarts.push(now);
    if (this.restarts.length > MAX_RESTARTS) {
      this.stopped = true;
      clearInterval(this.heartbeat);
      this.running = false;
      this.emit('error', { type: 'error', code: 'worker-lost', message: 'the training worker kept stopping', lost: { restarts: this.restarts.length, last: why } });
      return;
    }
    this.worker = this.spawn();
    let step = 0;
    if (this.config) {
      this.post({ type: 'configure', runId: this.runId, config: { ...this.config, points: this.config.points?.slice() } });
      const snap = this.snapshot;
      if (snap && snap.runId === this.runId) {
        this.post({ type: 'restore', runId: this.runId, weights: snap.weights.slice(), step: snap.step });
        step = snap.step;
      }
      if (this.view) this.post({ type: 'view', runId: this.runId, view: { ...this.view, points: this.view.points.slice() } });
      if (this.running) this.post({ type: 'start', runId: this.runId });
    }
    this.emit('restarted', why, step);
  }

  /**
   * The worker failed before it ever answered (its script was blocked or could not load): a
   * restart would fail the same way, so stop and say why.
   */
  private failStart(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.worker.terminate();
    this.running = false;
    this.emit('error', { type: 'error', code: 'backend', message: startFailure() });
  }

  /** Resolves with the active backend once the worker has one. */
  ready(): Promise<BackendInfo> {
    return this.readyPromise;
  }

  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  private emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const fn of this.listeners[event]) (fn as (...a: Parameters<ClientEvents[K]>) => void)(...args);
  }

  private post(msg: ToWorker): void {
    if (this.stopped) return;
    this.worker.postMessage(msg, transferables(msg));
  }

  private request<T extends FromWorker>(build: (reqId: number) => ToWorker, onParticles?: (f: ParticlesFrame) => void): Promise<T> {
    const reqId = this.nextReq++;
    if (this.stopped) return Promise.reject(new RequestError('stopped', 'the training worker is stopped; reload the page'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (m: FromWorker) => void, reject, onParticles });
      this.post(build(reqId));
    });
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        if (msg.measured) rememberChoice(msg.measured);
        this.emit('ready', msg.backend, msg.notice);
        return;
      case 'backend-changed':
        this.emit('backend', msg.backend, msg.notice);
        return;
      case 'configured':
      case 'pong':
        return;
      case 'snapshot':
        if (msg.runId === this.runId) this.snapshot = { runId: msg.runId, step: msg.step, weights: msg.weights };
        return;
      case 'progress':
        if (msg.runId === this.runId) {
          this.running = msg.running;
          this.emit('progress', msg);
        }
        return;
      case 'particles': {
        const p = this.pending.get(msg.reqId);
        if (!p || msg.runId !== this.runId) return;
        p.onParticles?.(msg);
        if (msg.done) {
          this.pending.delete(msg.reqId);
          p.resolve(msg);
        }
        return;
      }
      case 'stepped':
      case 'field':
      case 'weights':
      case 'f-multi': {
        const p = this.pending.get(msg.reqId);
        if (!p) return;
        this.pending.delete(msg.reqId);
        if (msg.runId === this.runId) p.resolve(msg);
        else p.reject(staleRun());
        return;
      }
      case 'error': {
        if (msg.runId !== undefined && msg.runId !== this.runId) return;
        // A request's fault goes to its caller alone (one message on the page, not two).
        if (msg.reqId !== undefined) {
          const p = this.pending.get(msg.reqId);
          this.pending.delete(msg.reqId);
          p?.reject(new RequestError(msg.code, msg.message, msg.hint));
          return;
        }
        this.emit('error', msg);
        return;
      }
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Start a new run with this config (weights from its seed); returns the run id. */
  configure(config: RunConfig): number {
    this.runId++;
    for (const [id, p] of this.pending) {
      p.reject(staleRun());
      this.pending.delete(id);
    }
    // Copies: the points buffer is transferred, the caller keeps its config (e.g. to reset), and
    // this client keeps one to replay onto a restarted worker.
    this.config = { ...config, live: { ...config.live }, points: config.points?.slice() };
    this.snapshot = null;
    this.running = false;
    this.post({ type: 'configure', runId: this.runId, config: { ...config, points: config.points?.slice() } });
    return this.runId;
  }

  start(): void {
    this.running = true;
    this.post({ type: 'start', runId: this.runId });
  }

  pause(): void {
    this.running = false;
    this.post({ type: 'pause', runId: this.runId });
  }

  /** Train exactly n steps (while paused); resolves with the step count and last loss. */
  async step(n: number): Promise<{ step: number; loss: number }> {
    this.running = false;
    const m = await this.request<Extract<FromWorker, { type: 'stepped' }>>((reqId) => ({ type: 'step', runId: this.runId, reqId, n }));
    return { step: m.step, loss: m.loss };
  }

  live(live: Partial<LiveSettings>): void {
    if (this.config) Object.assign(this.config.live, live);
    this.post({ type: 'live', runId: this.runId, live });
  }

  /**
   * Ask for the learned field on these points at this σ with every progress frame (null: stop).
   * Returns the request's id, which the frames computed for it carry as `viewId`.
   */
  setView(view: ViewQuery | null): number {
    const viewId = ++this.viewSeq;
    this.view = view && { ...view, viewId, points: view.points.slice() };
    this.post({ type: 'view', runId: this.runId, view: view && { ...view, viewId, points: view.points.slice() } });
    return viewId;
  }

  /** The learned field at some points, once. */
  async field(query: FieldQuery): Promise<{ field: Float32Array; sigma: number }> {
    const m = await this.request<Extract<FromWorker, { type: 'field' }>>((reqId) => ({
      type: 'field',
      runId: this.runId,
      reqId,
      query: { ...query, points: query.points.slice() },
    }));
    return { field: m.field, sigma: m.sigma };
  }

  /** f(x, σ_l) at every point for every σ_l (MULDE only): n × L values, row-major, and the step of the weights. */
  async fMulti(points: Float32Array, sigmas: readonly number[]): Promise<{ values: Float32Array; step: number }> {
    const m = await this.request<Extract<FromWorker, { type: 'f-multi' }>>((reqId) => ({
      type: 'f-multi',
      runId: this.runId,
      reqId,
      points: points.slice(),
      sigmas: [...sigmas],
    }));
    return { values: m.values, step: m.step };
  }

  /** Run a sampler with the learned score; frames stream to onFrame; resolves with the last frame. */
  sample(request: SampleRequest, onFrame?: (f: ParticlesFrame) => void): Promise<ParticlesFrame> {
    return this.request<ParticlesFrame>(
      (reqId) => ({ type: 'sample', runId: this.runId, reqId, request: { ...request, x0: request.x0?.slice() } }),
      onFrame,
    );
  }

  /** Stop the running sampler(s); each resolves with a last frame marked `cancelled`. */
  cancelSample(): void {
    for (const [reqId, p] of this.pending) if (p.onParticles) this.post({ type: 'cancel-sample', runId: this.runId, reqId });
  }

  getWeights(): Promise<WeightsJSON> {
    return this.request<Extract<FromWorker, { type: 'weights' }>>((reqId) => ({ type: 'get-weights', runId: this.runId, reqId })).then(
      (m) => m.weights,
    );
  }

  setWeights(weights: WeightsJSON): Promise<WeightsJSON> {
    return this.request<Extract<FromWorker, { type: 'weights' }>>((reqId) => ({ type: 'set-weights', runId: this.runId, reqId, weights })).then(
      (m) => m.weights,
    );
  }

  terminate(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new RequestError('stopped', 'the training worker was stopped'));
    this.pending.clear();
  }
}

/**
 * The backend `auto` measured fastest in this browser, kept page-side (workers have no
 * localStorage); the worker uses it only if its key (tfjs version, adapter) still matches.
 */
const CHOICE_KEY = 'score-playground:backend-choice';

function rememberedChoice(): MeasuredChoice | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(CHOICE_KEY);
    const v = raw ? (JSON.parse(raw) as MeasuredChoice) : undefined;
    return v && typeof v.key === 'string' && typeof v.backend === 'string' && typeof v.msPerStep === 'object' ? v : undefined;
  } catch {
    return undefined; // storage blocked (sandboxed frame, privacy mode) or unreadable: measure again
  }
}

function rememberChoice(c: MeasuredChoice): void {
  try {
    globalThis.localStorage?.setItem(CHOICE_KEY, JSON.stringify(c));
  } catch {
    // Not remembered: the next page measures again.
  }
}
