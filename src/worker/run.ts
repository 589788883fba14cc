/**
 * One training run inside the worker: the trainer, the play loop and the frames it sends.
 *
 * A playing run trains in bursts sized to ~30 ms, taking turns with the worker's other playing
 * runs (scheduler.ts), and sends a progress frame at most every FRAME_MS. A reset or a new
 * config disposes the run, so a burst in flight ends without touching the new run.
 */
import { memory } from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng';
import { createMixture, dimOf, sampleMixture } from '../core/mixture';
import { judgedSigma } from '../core/methods';
import { createTrainer, type Trainer } from '../model/trainer';
import type { Batch, LiveSettings, TrainerConfig } from '../model/types';
import { lossFloor } from '../core/loss-floor';
import { ExactReference } from './reference';
import { computeReadouts } from './readouts';
import type { FromWorker, RunConfig, FieldRequest } from './protocol';
import { Scheduler } from './scheduler';

const FRAME_MS = 100;
const BURST_MS = 30;
const MAX_BURST = 200;
/** How often the weights are copied out for recovery after a lost device. */
const SNAPSHOT_MS = 2000;

export type Post = (msg: FromWorker) => void;

/**
 * Yield to the event loop (so control messages get through) without setTimeout's clamp: a
 * `setTimeout(0)` chained from a timer callback is delayed ≥ 4 ms after five levels of nesting,
 * which the play loop hits on every burst (measured: bursts of ~30 ms lost ~4 ms each). A
 * message to ourselves is a fresh task with no clamp.
 */
const yieldChannel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
const yieldWaiters: (() => void)[] = [];
if (yieldChannel) {
  yieldChannel.port1.onmessage = () => yieldWaiters.shift()?.();
  // Node (tests): an open port would keep the process alive.
  (yieldChannel.port1 as unknown as { unref?: () => void }).unref?.();
}
export function nextTask(): Promise<void> {
  if (!yieldChannel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    yieldWaiters.push(r);
    yieldChannel.port2.postMessage(null);
  });
}

/** The worker's one play loop: every run's bursts take turns on it. */
export const playLoop = new Scheduler<Run>(nextTask);

/** The model's config for a run: its shape, fixed defaults, and the live settings as they are. */
export function trainerConfigOf(c: RunConfig, data: Float32Array): TrainerConfig {
  return {
    method: c.method,
    data,
    dim: dimOf(c.dataset),
    width: c.width,
    depth: c.depth,
    activation: c.activation,
    frequencies: 0,
    normalizeInputs: true,
    seed: c.seed,
    // The page's runs roll back only on a loss beyond 1e8 (the model's own default guard is 1e6).
    maxLoss: 1e8,
    ...c.live,
  };
}

/** Training points of a config: the painted points, or n draws from the mixture with the run's seed. */
export function trainingData(c: RunConfig): Float32Array {
  if (c.points && c.points.length > 0) return c.points;
  // The data stream is a fork of the seed so that init, batches and noise use other streams.
  return sampleMixture(createMixture(c.dataset), c.nData, createRng(c.seed)).x;
}

export class Run {
  readonly runId: number;
  readonly config: RunConfig;
  trainer: Trainer;
  /** The training points, n × d. */
  readonly data: Float32Array;
  private reference: ExactReference;
  running = false;
  /** Whether the user wants this run training (play pressed, not paused, not diverged): what a rebuilt run resumes. */
  wanted = false;
  /**
   * Called instead of posting an error when the play loop fails; the worker waits a moment to see
   * whether the WebGPU device was lost (then it moves the run to another backend) before telling the page.
   */
  onLoopError: ((e: unknown) => void) | null = null;
  private view: FieldRequest | null = null;
  private pendingLosses: number[] = [];
  /** The loss floor of each pending loss's batch (kept in step with `pendingLosses`). */
  private pendingFloors: number[] = [];
  private lastFrame = 0;
  private lastSnapshot = 0;
  private msPerStep = 0;
  private burst = 4;
  snapshot: Float32Array | null = null;
  /** The step the snapshot was taken at. */
  snapshotStep = 0;
  step = 0;
  /** Steps taken before the trainer's own count began (a run restored from a snapshot). */
  private stepOffset = 0;
  disposed = false;
  /** Whether the run is in the middle of a scheduled burst. */
  private inTurn = false;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    runId: number,
    config: RunConfig,
    private post: Post,
    private scheduler: Scheduler<Run> = playLoop,
  ) {
    this.runId = runId;
    this.config = config;
    this.data = trainingData(config);
    this.trainer = createTrainer(trainerConfigOf(config, this.data));
    this.reference = new ExactReference(config.dataset);
  }

  get paramCount(): number {
    return this.trainer.net.paramCount;
  }

  setFieldRequest(view: FieldRequest | null): void {
    this.view = view;
    if (!this.running) void this.sendFrame();
  }

  setLive(live: Partial<LiveSettings>): void {
    this.trainer.setLive(live);
    Object.assign(this.config.live, live);
  }

  /** Steps left before `maxSteps` (Infinity without a limit). */
  private get stepsLeft(): number {
    const max = this.config.live.maxSteps ?? 0;
    return max > 0 ? Math.max(0, max - this.step) : Infinity;
  }

  start(): void {
    if (this.running || this.disposed) return;
    if (this.stepsLeft === 0) {
      // Already at the limit: the page hears it is not training.
      void this.sendFrame();
      return;
    }
    this.running = true;
    this.wanted = true;
    this.scheduler.add(this);
  }

  pause(): void {
    const was = this.running;
    this.running = false;
    this.wanted = false;
    this.scheduler.remove(this);
    // A run in the middle of its turn sends the final frame itself when the burst ends.
    if (this.inTurn) return;
    void (was ? this.settle() : this.sendFrame());
  }

  /** Run `fn` after any trainer work in flight: bursts must never overlap (they share θ and Adam). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /**
   * Train exactly n steps in bursts; returns the last loss (NaN when it diverged). The bursts are
   * sized and separated as the play loop's are: a burst's steps run without a break, so one long
   * burst (or bursts chained by promises that resolve at once, as wasm's read-backs do) would
   * leave the host's pings unanswered until it counted the worker as dead and replaced it.
   */
  async stepN(n: number): Promise<number> {
    let last = NaN;
    let left = Math.min(n, this.stepsLeft);
    while (left > 0 && !this.disposed) {
      const k = Math.min(left, this.burst);
      const ok = await this.burstOnce(k);
      if (!ok) {
        last = NaN;
        break;
      }
      last = this.pendingLosses[this.pendingLosses.length - 1] ?? last;
      left -= k;
      this.burst = this.nextBurst();
      if (left > 0 && performance.now() - this.lastFrame >= FRAME_MS) await this.sendFrame();
      await nextTask();
    }
    await this.takeSnapshot();
    await this.sendFrame();
    return last;
  }

  /** Steps in ~BURST_MS at the measured pace. */
  private nextBurst(): number {
    return Math.max(1, Math.min(MAX_BURST, Math.round(BURST_MS / Math.max(this.msPerStep, 0.05))));
  }

  /**
   * Copy the weights out (for a lost device) and send them to the page (for a crashed worker).
   * Taken every SNAPSHOT_MS while training and whenever training stops.
   */
  async takeSnapshot(): Promise<void> {
    if (this.disposed) return;
    this.lastSnapshot = performance.now();
    const step = this.step;
    const w = await this.exclusive(() => this.trainer.getWeights());
    if (this.disposed) return;
    this.snapshot = w;
    this.snapshotStep = step;
    this.post({ type: 'snapshot', runId: this.runId, step, weights: w.slice() });
  }

  /** Continue from weights taken at `step` (optimiser moments start afresh). */
  restore(weights: Float32Array, step: number): void {
    this.trainer.setWeights(weights);
    this.stepOffset = step - this.trainer.step;
    this.step = step;
    this.snapshot = weights;
    this.snapshotStep = step;
  }

  /**
   * The loss of the exact score on a batch (core/loss-floor), or null for painted points: their
   * density is unknown, so nothing exact stands under their loss.
   */
  private floorOf(batch: Batch): number | null {
    if (this.config.painted) return null;
    return lossFloor(this.config.method, this.reference.mixture, batch, this.trainer.settings.varianceReduced);
  }

  private async burstOnce(n: number): Promise<boolean> {
    const t0 = performance.now();
    const floors: number[] = [];
    const r = await this.exclusive(() =>
      this.trainer.trainBurst(n, (b) => {
        const f = this.floorOf(b);
        if (f !== null) floors.push(f);
      }),
    );
    if (this.disposed) return false;
    const dt = performance.now() - t0;
    this.msPerStep = this.msPerStep ? 0.7 * this.msPerStep + 0.3 * (dt / n) : dt / n;
    this.step = this.stepOffset + r.step;
    if (r.status === 'diverged') {
      // The burst was rolled back: its losses belong to weights that no longer exist, so they
      // stay out of the curve (the message quotes the one that tripped the guard).
      this.running = false;
      this.wanted = false;
      this.post({
        type: 'error',
        runId: this.runId,
        code: 'diverged',
        message: 'training diverged',
        diverged: { step: this.step, reason: r.reason ?? 'the loss is not finite' },
        hint: 'Lower the learning rate, or raise σ_min, then press play to go on.',
      });
      return false;
    }
    for (const l of r.losses) this.pendingLosses.push(l);
    // Floors arrive for every batch or for none, so they stay aligned with the losses.
    if (floors.length === r.losses.length) for (const f of floors) this.pendingFloors.push(f);
    if (performance.now() - this.lastSnapshot > SNAPSHOT_MS) await this.takeSnapshot();
    return true;
  }

  /**
   * One burst of the play loop, given by the worker's scheduler; resolves whether the run still
   * wants time. Bursts are sized to ~BURST_MS so the worker answers messages (and the other
   * runs get their turns) promptly.
   */
  async turn(): Promise<boolean> {
    if (!this.running || this.disposed) return false;
    this.inTurn = true;
    try {
      const ok = this.stepsLeft > 0 && (await this.burstOnce(Math.min(this.burst, this.stepsLeft)));
      if (this.disposed) return false;
      if (ok && this.stepsLeft > 0) {
        this.burst = this.nextBurst();
        if (this.running && performance.now() - this.lastFrame >= FRAME_MS) await this.sendFrame();
      } else if (this.running) {
        // Stopped at max-steps: not training, and not to be resumed after a restart.
        this.running = false;
        this.wanted = false;
      }
    } catch (e) {
      this.running = false;
      if (this.onLoopError) this.onLoopError(e);
      else this.post({ type: 'error', runId: this.runId, code: 'internal', message: `training stopped: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.inTurn = false;
    }
    // Paused, diverged or at its limit: the page gets the step the run really stopped at, and a
    // snapshot of where it stopped.
    if (!this.running && !this.disposed) void this.settle();
    return this.running;
  }

  /** A snapshot, then a frame: what the page needs once training stops. */
  private async settle(): Promise<void> {
    try {
      await this.takeSnapshot();
      await this.sendFrame();
    } catch (e) {
      // A run closed meanwhile (its widget reset or left) has nothing left to report; any other
      // failure is this run's fault, told to its page.
      if (!this.disposed)
        this.post({ type: 'error', runId: this.runId, code: 'internal', message: `training stopped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Post a progress frame with the losses since the last one and the field on the view grid. */
  async sendFrame(): Promise<void> {
    if (this.disposed) return;
    this.lastFrame = performance.now();
    const losses = Float32Array.from(this.pendingLosses);
    const floors = this.pendingFloors.length === losses.length && losses.length > 0 ? Float32Array.from(this.pendingFloors) : undefined;
    this.pendingLosses = [];
    this.pendingFloors = [];
    const msg: Extract<FromWorker, { type: 'progress' }> = {
      type: 'progress',
      runId: this.runId,
      step: this.step,
      running: this.running,
      losses,
      ...(floors ? { floors } : {}),
      msPerStep: this.msPerStep,
      metrics: {},
      tensors: memory().numTensors,
    };
    const view = this.view;
    if (view) {
      const field = await this.trainer.scoreOn(view.points, view.sigma);
      if (this.disposed) return;
      const sigma = judgedSigma(this.config.method, this.config.live.sigma, view.sigma);
      msg.field = field;
      msg.fieldSigma = view.sigma;
      msg.fieldId = view.fieldId;
      msg.metrics.fisher = this.reference.relativeFisher(view.points, sigma, field);
      const derived = view.readouts ? computeReadouts(this.reference, view.readouts, view.points, sigma, field) : null;
      if (derived) {
        msg.readouts = derived.readouts;
        if (derived.tv !== undefined) msg.metrics.tv = derived.tv;
      }
    }
    this.post(msg);
  }

  dispose(): void {
    this.disposed = true;
    this.running = false;
    this.scheduler.remove(this);
    this.trainer.dispose();
  }
}
