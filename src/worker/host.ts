/**
 * One training worker of the page's pool, shared by many clients (one per run on the page).
 * It routes each message about a run to the client that owns that run id, hands what concerns
 * everyone (the backend, a fault with no run) to every client, and supervises the worker.
 *
 * Supervision: a heartbeat (ping every second, answered at once) notices a worker that was
 * terminated or hangs; an uncaught error in it counts as a crash too. Then the host starts a new
 * worker and every client replays its run onto it (config, last snapshot, view, play). Three
 * crashes within a minute stop the restarts with an error instead of looping. A worker that has
 * not answered yet is still loading its runtime: on a busy machine that takes longer than a hung
 * worker is given, so it gets START_MS before it counts as dead.
 */
import type { BackendChoice, BackendInfo, BackendNotice, FromWorker, MeasuredChoice, ToWorker, WorkerLoss } from './protocol';
import { transferables } from './protocol';
import { startFailure, wasmUrls } from './spawn';
import type { WorkerError } from './client-events';

/** No answer to a ping for this long means the worker is gone (a software-WebGPU step takes < 1 s). */
export const DEAD_MS = 10_000;
/** How long a worker that has never answered may take to load its module and runtime. */
export const START_MS = 60_000;
const PING_MS = 1000;
/** Restarts allowed within RESTART_WINDOW_MS before the host gives up. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** What the host needs of a client. */
export interface HostClient {
  /** A message about one of its runs, or one for everyone (ready, backend-changed, a fault with no run). */
  deliver(msg: FromWorker): void;
  /** The worker was replaced: post the run again onto the new one. */
  replay(why: WorkerLoss): void;
  /** The host gave up (or never started): no more training on this worker. */
  fail(error: WorkerError): void;
}

export class WorkerHost {
  private worker: Worker;
  readonly clients = new Set<HostClient>();
  private owners = new Map<number, HostClient>();
  /** The backend, once the worker has one (replayed to clients that attach later). */
  private backend: { info: BackendInfo; notice?: BackendNotice } | null = null;
  private lastHeard = 0;
  private pingSentAt: number | null = null;
  private heartbeat: ReturnType<typeof setInterval>;
  private restarts: number[] = [];
  stopped = false;
  /** Whether any worker has ever answered: an error before that is a failure to start, not a crash. */
  private heard = false;
  /** Whether the current worker has answered yet. */
  private answered = false;

  constructor(
    readonly choice: BackendChoice,
    private readonly factory: () => Worker,
    private readonly remember: { load(): MeasuredChoice | undefined; save(c: MeasuredChoice): void },
    private readonly onStop: (host: WorkerHost) => void,
  ) {
    this.worker = this.spawn();
    this.heartbeat = setInterval(() => this.checkAlive(), PING_MS);
  }

  /** Runs on this worker (the pool's load measure). */
  get load(): number {
    return this.clients.size;
  }

  attach(c: HostClient): void {
    this.clients.add(c);
    const b = this.backend;
    if (b) queueMicrotask(() => this.clients.has(c) && c.deliver({ type: 'ready', backend: b.info, notice: b.notice }));
  }

  detach(c: HostClient): void {
    this.clients.delete(c);
    for (const [runId, owner] of this.owners) if (owner === c) this.owners.delete(runId);
  }

  /** Route messages about `runId` to `c` (and no longer those of its earlier runs). */
  own(runId: number, c: HostClient): void {
    for (const [id, owner] of this.owners) if (owner === c) this.owners.delete(id);
    this.owners.set(runId, c);
  }

  post(msg: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(msg, transferables(msg));
  }

  private spawn(): Worker {
    const w = this.factory();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      this.heard = true;
      this.answered = true;
      this.lastHeard = performance.now();
      this.receive(e.data);
    };
    w.onerror = (e) => {
      e.preventDefault();
      if (!this.heard) this.failStart();
      else this.recover({ cause: 'crashed', detail: e.message || 'unknown error' });
    };
    this.answered = false;
    this.lastHeard = performance.now();
    this.pingSentAt = null;
    w.postMessage({ type: 'init', backend: this.choice, remembered: this.remember.load(), wasm: wasmUrls() } satisfies ToWorker);
    return w;
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'pong':
        return;
      case 'ready':
        if (msg.measured) this.remember.save(msg.measured);
        this.backend = { info: msg.backend, notice: msg.notice };
        for (const c of this.clients) c.deliver(msg);
        return;
      case 'backend-changed':
        this.backend = { info: msg.backend, notice: msg.notice };
        for (const c of this.clients) c.deliver(msg);
        return;
      case 'error':
        if (msg.runId === undefined) for (const c of this.clients) c.deliver(msg);
        else this.owners.get(msg.runId)?.deliver(msg);
        return;
      default:
        // Frames of a run that is no longer owned (reset, closed) are stale: dropped here.
        this.owners.get(msg.runId)?.deliver(msg);
    }
  }

  /**
   * Ping, or declare the worker dead when the last ping went unanswered for DEAD_MS (START_MS
   * while it has never answered). Only an unanswered ping counts: a background tab may run this
   * timer once a minute, and a quiet worker is not a dead one.
   */
  private checkAlive(): void {
    if (this.stopped) return;
    const now = performance.now();
    if (this.pingSentAt !== null && this.lastHeard < this.pingSentAt) {
      const limit = this.answered ? DEAD_MS : START_MS;
      if (now - this.pingSentAt > limit) this.recover({ cause: 'unresponsive', seconds: Math.round((now - this.pingSentAt) / 1000) });
      return;
    }
    this.pingSentAt = now;
    this.worker.postMessage({ type: 'ping' } satisfies ToWorker);
  }

  /** Replace a dead worker and let every client replay its run onto the new one (or give up after too many). */
  private recover(why: WorkerLoss): void {
    if (this.stopped) return;
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    const now = performance.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    this.restarts.push(now);
    if (this.restarts.length > MAX_RESTARTS) {
      this.stop({ type: 'error', code: 'worker-lost', message: 'the training worker kept stopping', lost: { restarts: this.restarts.length, last: why } });
      return;
    }
    this.worker = this.spawn();
    for (const c of this.clients) c.replay(why);
  }

  /**
   * The worker failed before it ever answered (its script was blocked or could not load): a
   * restart would fail the same way, so stop and say why.
   */
  private failStart(): void {
    this.stop({ type: 'error', code: 'backend', message: startFailure() });
  }

  private stop(error: WorkerError): void {
    this.terminate();
    for (const c of this.clients) c.fail(error);
  }

  /** Stop the worker for good (the pool drops this host). */
  terminate(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.onStop(this);
  }
}
