/**
 * Reactive state of one method panel's training run, wrapping a TrainerClient (one worker).
 * Svelte components read the $state fields; large arrays are $state.raw (replaced, not mutated).
 */
import { TrainerClient, type ParticlesFrame, type ProgressFrame } from '../../worker/client';
import type { BackendChoice, BackendInfo, LiveParams, Readouts, SampleRequest, TrainConfig, ViewRequest, WeightsJSON } from '../../worker/protocol';

/** Most loss values kept for the curve; older ones are thinned by 2 when it fills. */
const MAX_LOSSES = 4000;

export class TrainingRun {
  backend = $state<BackendInfo | null>(null);
  notice = $state<string | null>(null);
  /** Whether the notice reports a fault (a backend fell through, the worker restarted), not just information. */
  noticeIsFault = $state(false);
  error = $state<{ message: string; hint?: string; code: string } | null>(null);
  running = $state(false);
  step = $state(0);
  msPerStep = $state(0);
  /** Live tensors in the worker's tfjs engine, from the last frame (flat while training). */
  tensors = $state(0);
  fisher = $state<number | undefined>(undefined);
  /** TV between the recovered density and q_σ (when the view asks for the density). */
  tv = $state<number | undefined>(undefined);
  /** Loss per recorded step (thinned: `lossStride` steps per entry). */
  losses = $state.raw<number[]>([]);
  lossStride = $state(1);
  field = $state.raw<Float32Array | null>(null);
  fieldSigma = $state(NaN);
  f = $state.raw<Float32Array | null>(null);
  /** What the worker derived from the last field for the current view (exact score, errors, density). */
  readouts = $state.raw<Readouts | null>(null);
  particles = $state.raw<Float32Array | null>(null);
  particleSigma = $state(NaN);
  trails = $state.raw<Float32Array | null>(null);
  trailSigmas = $state.raw<Float32Array | null>(null);
  sampling = $state(false);
  config: TrainConfig | null = null;
  private view: ViewRequest | null = null;
  /** Id of the latest view request: fields computed for an older one are dropped. */
  private viewId = 0;

  private client: TrainerClient;
  private thinCarry: number[] = [];
  private offs: (() => void)[] = [];

  constructor(backend: BackendChoice = 'auto') {
    this.client = new TrainerClient(backend);
    this.offs.push(
      this.client.on('ready', (b, notice) => {
        this.backend = b;
        // A restarted worker is ready again: keep the notice that says why.
        if (notice) {
          this.notice = notice;
          this.noticeIsFault = /could not start/.test(notice);
        }
      }),
      this.client.on('restarted', (reason, step) => {
        this.notice = `${reason} and was restarted; the run continues from ${step > 0 ? `step ${step}` : 'its start'}.`;
        this.noticeIsFault = true;
      }),
      this.client.on('backend', (b, reason) => {
        this.backend = b;
        this.notice = reason;
        this.noticeIsFault = true;
      }),
      this.client.on('progress', (f) => this.onProgress(f)),
      this.client.on('error', (e) => {
        this.error = { message: e.message, hint: e.hint, code: e.code };
        // A diverged run pauses; an error about no run in particular (the worker gave up) stops it.
        if (e.code === 'diverged' || (e.runId === undefined && e.reqId === undefined)) this.running = false;
      }),
    );
  }

  ready(): Promise<BackendInfo> {
    return this.client.ready();
  }

  private onProgress(f: ProgressFrame): void {
    this.step = f.step;
    this.running = f.running;
    this.msPerStep = f.msPerStep;
    this.tensors = f.tensors;
    if (f.losses.length) this.appendLosses(f.losses);
    // A frame computed for an earlier view (another σ or grid) carries no numbers for this one.
    if (f.field && f.viewId !== undefined && f.viewId !== this.viewId) return;
    if (f.metrics.fisher !== undefined) this.fisher = f.metrics.fisher;
    if (f.field) {
      this.tv = f.metrics.tv;
      this.field = f.field;
      this.fieldSigma = f.fieldSigma ?? NaN;
      this.readouts = f.readouts ?? null;
    }
    if (f.f) this.f = f.f;
  }

  private appendLosses(ls: Float32Array): void {
    // Average `lossStride` consecutive losses into one entry, so long runs keep a bounded curve.
    const next = this.losses.slice();
    for (const l of ls) {
      this.thinCarry.push(l);
      if (this.thinCarry.length >= this.lossStride) {
        next.push(this.thinCarry.reduce((a, b) => a + b, 0) / this.thinCarry.length);
        this.thinCarry = [];
      }
    }
    if (next.length > MAX_LOSSES) {
      const thinned: number[] = [];
      for (let i = 0; i + 1 < next.length; i += 2) thinned.push((next[i] + next[i + 1]) / 2);
      this.lossStride *= 2;
      this.losses = thinned;
    } else this.losses = next;
  }

  /** Start a new run (fresh weights from the seed); keeps the view request. */
  configure(config: TrainConfig, view: ViewRequest | null): void {
    this.config = config;
    this.view = view && { ...view, id: ++this.viewId };
    this.client.configure(config);
    this.step = 0;
    this.losses = [];
    this.lossStride = 1;
    this.thinCarry = [];
    this.field = null;
    this.f = null;
    this.fisher = undefined;
    this.tv = undefined;
    this.readouts = null;
    this.particles = null;
    this.trails = null;
    this.error = null;
    this.running = false;
    if (this.view) this.client.setView(this.view);
  }

  setView(view: ViewRequest | null): void {
    this.view = view && { ...view, id: ++this.viewId };
    this.client.setView(this.view);
  }

  /** Start the same run again from its seed (fresh weights, same config). */
  reset(): void {
    if (this.config) this.configure(this.config, this.view);
  }

  /** Listen to the worker's events (for an embedding API); returns an unsubscribe function. */
  on: TrainerClient['on'] = (event, fn) => this.client.on(event, fn);

  play(): void {
    this.error = null;
    this.running = true;
    this.client.start();
  }

  pause(): void {
    this.running = false;
    this.client.pause();
  }

  async stepBy(n: number): Promise<void> {
    this.error = null;
    this.running = false;
    await this.client.step(n).catch((e: Error) => this.ignoreStale(e));
  }

  live(p: Partial<LiveParams>): void {
    if (this.config) Object.assign(this.config.live, p);
    this.client.live(p);
  }

  cancelSample(): void {
    this.client.cancelSample();
  }

  async sample(request: SampleRequest): Promise<ParticlesFrame | null> {
    this.sampling = true;
    this.trails = null;
    try {
      const last = await this.client.sample(request, (fr) => {
        this.particles = fr.x;
        this.particleSigma = fr.sigma;
      });
      this.particles = last.x;
      this.trails = last.trails ?? null;
      this.trailSigmas = last.trailSigmas ?? null;
      return last;
    } catch (e) {
      this.ignoreStale(e as Error);
      return null;
    } finally {
      this.sampling = false;
    }
  }

  field1(view: ViewRequest): Promise<{ field: Float32Array; f?: Float32Array }> {
    return this.client.field(view);
  }

  /** f(x, σ_l) for every point and level (MULDE): n × L, row-major, with the step of the weights used; rejects with "stale…" after a reset. */
  fMulti(points: Float32Array, sigmas: readonly number[]): Promise<{ values: Float32Array; step: number }> {
    return this.client.fMulti(points, sigmas);
  }

  getWeights(): Promise<WeightsJSON> {
    return this.client.getWeights();
  }

  async setWeights(w: WeightsJSON): Promise<void> {
    await this.client.setWeights(w);
  }

  private ignoreStale(e: Error): void {
    if (!/^stale/.test(e.message)) this.error = { message: e.message, code: 'internal' };
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.client.terminate();
  }
}
