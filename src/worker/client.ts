/**
 * The page's handle on one training worker. It owns the run counter: every configure bumps
 * `runId`, and frames from an older run are dropped here, so the UI never draws a stale frame.
 * Requests that expect an answer (step, field, sample, weights) return Promises keyed by reqId.
 */
import {
  transferables,
  type BackendChoice,
  type BackendInfo,
  type FromWorker,
  type LiveParams,
  type SampleRequest,
  type ToWorker,
  type TrainConfig,
  type ViewRequest,
  type WeightsJSON,
} from './protocol';

export type ProgressFrame = Extract<FromWorker, { type: 'progress' }>;
export type ParticlesFrame = Extract<FromWorker, { type: 'particles' }>;
export type WorkerError = Extract<FromWorker, { type: 'error' }>;

export interface ClientEvents {
  ready: (backend: BackendInfo, notice?: string) => void;
  backend: (backend: BackendInfo, reason: string) => void;
  progress: (frame: ProgressFrame) => void;
  error: (error: WorkerError) => void;
}

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
    backend: new Set(),
    progress: new Set(),
    error: new Set(),
  };
  /** The current run; frames carrying another id are stale. */
  runId = 0;
  private readyPromise: Promise<BackendInfo>;

  constructor(backend: BackendChoice = 'auto', factory: () => Worker = defaultWorker) {
    this.worker = factory();
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.emit('error', { type: 'error', code: 'internal', message: `the training worker failed: ${e.message || 'unknown error'}` });
      for (const p of this.pending.values()) p.reject(new Error('the training worker failed'));
      this.pending.clear();
    };
    this.readyPromise = new Promise((resolve) => {
      const off = this.on('ready', (b) => {
        off();
        resolve(b);
      });
    });
    this.post({ type: 'init', backend });
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
    this.worker.postMessage(msg, transferables(msg));
  }

  private request<T extends FromWorker>(build: (reqId: number) => ToWorker, onParticles?: (f: ParticlesFrame) => void): Promise<T> {
    const reqId = this.nextReq++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (m: FromWorker) => void, reject, onParticles });
      this.post(build(reqId));
    });
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        this.emit('ready', msg.backend, msg.notice);
        return;
      case 'backend-changed':
        this.emit('backend', msg.backend, msg.reason);
        return;
      case 'configured':
        return;
      case 'progress':
        if (msg.runId === this.runId) this.emit('progress', msg);
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
        else p.reject(new Error('stale: the run changed before the answer came'));
        return;
      }
      case 'error': {
        if (msg.runId !== undefined && msg.runId !== this.runId) return;
        if (msg.reqId !== undefined) {
          const p = this.pending.get(msg.reqId);
          if (p) {
            this.pending.delete(msg.reqId);
            p.reject(Object.assign(new Error(msg.message), { code: msg.code, hint: msg.hint }));
          }
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
  configure(config: TrainConfig): number {
    this.runId++;
    for (const [id, p] of this.pending) {
      p.reject(new Error('stale: the run changed before the answer came'));
      this.pending.delete(id);
    }
    // A copy: the points buffer is transferred, and the caller keeps its config (e.g. to reset).
    this.post({ type: 'configure', runId: this.runId, config: { ...config, points: config.points?.slice() } });
    return this.runId;
  }

  start(): void {
    this.post({ type: 'start', runId: this.runId });
  }

  pause(): void {
    this.post({ type: 'pause', runId: this.runId });
  }

  /** Train exactly n steps (while paused); resolves with the step count and last loss. */
  async step(n: number): Promise<{ step: number; loss: number }> {
    const m = await this.request<Extract<FromWorker, { type: 'stepped' }>>((reqId) => ({ type: 'step', runId: this.runId, reqId, n }));
    return { step: m.step, loss: m.loss };
  }

  live(live: Partial<LiveParams>): void {
    this.post({ type: 'live', runId: this.runId, live });
  }

  /** Ask for the learned field on these points with every progress frame (null: stop). */
  setView(view: ViewRequest | null): void {
    this.post({ type: 'view', runId: this.runId, view: view && { ...view, points: view.points.slice() } });
  }

  /** The learned field (and f for MULDE) at some points, once. */
  async field(view: ViewRequest): Promise<{ field: Float32Array; f?: Float32Array; sigma: number }> {
    const m = await this.request<Extract<FromWorker, { type: 'field' }>>((reqId) => ({
      type: 'field',
      runId: this.runId,
      reqId,
      view: { ...view, points: view.points.slice() },
    }));
    return { field: m.field, f: m.f, sigma: m.sigma };
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

  /** Stop the running sampler(s); their promises reject with 'sampling cancelled'. */
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
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the training worker was stopped'));
    this.pending.clear();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'score-playground-trainer' });
}
