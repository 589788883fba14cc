/**
 * The page's handle on one run at a time, on a training worker it shares with the page's other
 * runs (pool.ts, host.ts). It owns the run counter: every configure takes a new page-unique
 * `runId`, closes the previous run on the worker, and frames from an older run are dropped, so
 * the UI never draws a stale frame. Requests that expect an answer (step, field, sample,
 * weights) return Promises keyed by reqId.
 *
 * When the host replaces a crashed or hung worker, the client replays what its run was: its
 * config, live settings, view, the last weight snapshot the worker sent (with its step), and
 * whether it was training.
 */
import {
  type BackendChoice,
  type BackendInfo,
  type FieldQuery,
  type FromWorker,
  type LiveSettings,
  type SampleRequest,
  type ToWorker,
  type WorkerLoss,
  type RunConfig,
  type FieldRequest,
  type WeightsJSON,
} from './protocol';
import type { HostClient, WorkerHost } from './host';
import { pagePool, type TrainerPool } from './pool';

import type { ClientEvents, ParticlesFrame, ViewQuery, WorkerError } from './client-events';
export type { ClientEvents, ParticlesFrame, ProgressFrame, ViewQuery, WorkerError } from './client-events';

import { RequestError } from './request-error';
export { RequestError, type RequestFailure } from './request-error';
export { DEAD_MS, MAX_RESTARTS, START_MS } from './host';

const staleRun = () => new RequestError('stale', 'the run changed before the answer came');

interface Pending {
  resolve: (msg: FromWorker) => void;
  reject: (e: Error) => void;
  onParticles?: (frame: ParticlesFrame) => void;
}

export class TrainerClient implements HostClient {
  private host: WorkerHost;
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
  private view: FieldRequest | null = null;
  private viewSeq = 0;
  private running = false;
  private snapshot: { runId: number; step: number; weights: Float32Array } | null = null;
  private stopped = false;

  constructor(
    backendChoice: BackendChoice = 'auto',
    private readonly pool: TrainerPool = pagePool(),
  ) {
    this.readyPromise = new Promise((resolve) => {
      const off = this.on('ready', (b) => {
        off();
        resolve(b);
      });
    });
    this.host = pool.attach(this, backendChoice);
  }

  /** The host replaced the worker: put the run back onto the new one. */
  replay(why: WorkerLoss): void {
    for (const p of this.pending.values()) p.reject(new RequestError('stale', 'the training worker was restarted'));
    this.pending.clear();
    let step = 0;
    if (this.config) {
      this.post({ type: 'configure', runId: this.runId, config: { ...this.config, points: this.config.points?.slice() } });
      const snap = this.snapshot;
      if (snap && snap.runId === this.runId) {
        this.post({ type: 'restore', runId: this.runId, weights: snap.weights.slice(), step: snap.step });
        step = snap.step;
      }
      if (this.view) this.post({ type: 'field-request', runId: this.runId, request: { ...this.view, points: this.view.points.slice() } });
      if (this.running) this.post({ type: 'start', runId: this.runId });
    }
    this.emit('restarted', why, step);
  }

  /** The host gave up on its worker (or it never started): say why and stop. */
  fail(error: WorkerError): void {
    this.stopped = true;
    this.running = false;
    for (const p of this.pending.values()) p.reject(new RequestError('stopped', 'the training worker is stopped; reload the page'));
    this.pending.clear();
    this.emit('error', error);
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
    if (!this.stopped) this.host.post(msg);
  }

  private request<T extends FromWorker>(build: (reqId: number) => ToWorker, onParticles?: (f: ParticlesFrame) => void): Promise<T> {
    const reqId = this.pool.nextReqId();
    if (this.stopped) return Promise.reject(new RequestError('stopped', 'the training worker is stopped; reload the page'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (m: FromWorker) => void, reject, onParticles });
      this.post(build(reqId));
    });
  }

  /** A message from the worker about this client's run, or one for every client. */
  deliver(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
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
    const previous = this.runId;
    this.runId = this.pool.nextRunId();
    this.host.own(this.runId, this);
    if (previous) this.post({ type: 'close', runId: previous });
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
   * Returns the request's id, which the frames computed for it carry as `fieldId`.
   */
  setFieldRequest(view: ViewQuery | null): number {
    const fieldId = ++this.viewSeq;
    this.view = view && { ...view, fieldId, points: view.points.slice() };
    this.post({ type: 'field-request', runId: this.runId, request: view && { ...view, fieldId, points: view.points.slice() } });
    return fieldId;
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
    return this.request<ParticlesFrame>((reqId) => ({ type: 'sample', runId: this.runId, reqId, request: { ...request, x0: request.x0?.slice() } }), onFrame);
  }

  /** Stop the running sampler(s); each resolves with a last frame marked `cancelled`. */
  cancelSample(): void {
    for (const [reqId, p] of this.pending) if (p.onParticles) this.post({ type: 'cancel-sample', runId: this.runId, reqId });
  }

  getWeights(): Promise<WeightsJSON> {
    return this.request<Extract<FromWorker, { type: 'weights' }>>((reqId) => ({ type: 'get-weights', runId: this.runId, reqId })).then((m) => m.weights);
  }

  setWeights(weights: WeightsJSON): Promise<WeightsJSON> {
    return this.request<Extract<FromWorker, { type: 'weights' }>>((reqId) => ({ type: 'set-weights', runId: this.runId, reqId, weights })).then(
      (m) => m.weights,
    );
  }

  /** Close the run on the worker and leave it to the page's other runs. */
  terminate(): void {
    if (this.runId) this.post({ type: 'close', runId: this.runId });
    this.stopped = true;
    this.pool.detach(this, this.host);
    for (const p of this.pending.values()) p.reject(new RequestError('stopped', 'the training worker was stopped'));
    this.pending.clear();
  }
}
