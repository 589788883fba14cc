/**
 * Reactive state of one method panel's training run, wrapping a TrainerClient (a run on the page's shared training workers).
 * Svelte components read the $state fields; large arrays are $state.raw (replaced, not mutated).
 */
import { faultText, noticeIsFault, noticeText, restartText } from './faults';
import { RequestError, TrainerClient, type ParticlesFrame, type ProgressFrame, type ViewQuery } from '../../worker/client';
import type { BackendChoice, BackendInfo, FieldQuery, LiveSettings, Readouts, SampleRequest, RunConfig, WeightsJSON } from '../../worker/protocol';
import { LossHistory, StepHistory } from './history';

export class PageRun {
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
  /**
   * Mean loss of the first and of the last 16 steps, exposed for tests and readers: whole entries
   * of `lossStride` steps, so the start stays the same steps (to rounding) when the history thins.
   */
  readonly lossEnds = $derived.by(() => {
    const l = this.losses;
    const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
    const k = Math.min(Math.max(1, Math.floor(16 / this.lossStride)), Math.floor(l.length / 2));
    return { start: mean(l.slice(0, k)), end: mean(l.slice(l.length - k)) };
  });
  /** The loss floor of the same entries (the exact score's loss on the same batches); null without one. */
  floors = $state.raw<number[] | null>(null);
  lossStride = $state(1);
  /** The relative Fisher divergence at each read-out of the field, against its step (since the view last changed). */
  fisherCurve = $state.raw<{ steps: number[]; values: number[] }>({ steps: [], values: [] });
  /** The learned field, and the view request (points, σ) it was computed for: draw it there. */
  field = $state.raw<Float32Array | null>(null);
  fieldView = $state.raw<ViewQuery | null>(null);
  fieldSigma = $state(NaN);
  /** What the worker derived from the last field for the current view (exact score, errors, density). */
  readouts = $state.raw<Readouts | null>(null);
  particles = $state.raw<Float32Array | null>(null);
  particleSigma = $state(NaN);
  trails = $state.raw<Float32Array | null>(null);
  trailSigmas = $state.raw<Float32Array | null>(null);
  sampling = $state(false);
  config: RunConfig | null = null;
  private view: ViewQuery | null = null;
  /** The id of the view request on the worker; frames for older ones are not drawn. */
  private fieldId = 0;

  private client: TrainerClient;
  private lossHistory = new LossHistory();
  private fisherHistory = new StepHistory();
  private offs: (() => void)[] = [];

  constructor(backend: BackendChoice = 'auto') {
    this.client = new TrainerClient(backend);
    this.offs.push(
      this.client.on('ready', (b, notice) => {
        this.backend = b;
        // A restarted worker is ready again: keep the notice that says why.
        if (notice) {
          this.notice = noticeText(notice);
          this.noticeIsFault = noticeIsFault(notice);
        }
      }),
      this.client.on('restarted', (why, step) => {
        this.notice = restartText(why, step);
        this.noticeIsFault = true;
      }),
      this.client.on('backend', (b, notice) => {
        this.backend = b;
        this.notice = noticeText(notice);
        this.noticeIsFault = true;
      }),
      this.client.on('progress', (f) => this.onProgress(f)),
      this.client.on('error', (e) => {
        this.error = { message: faultText(e), hint: e.hint, code: e.code };
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
    if (f.losses.length) {
      const h = this.lossHistory;
      h.push(f.losses, f.floors);
      this.losses = h.losses.slice();
      this.floors = h.floors?.slice() ?? null;
      this.lossStride = h.stride;
    }
    // A frame computed for an earlier view (another σ or grid) carries no numbers for this one.
    if (f.field && f.fieldId !== undefined && f.fieldId !== this.fieldId) return;
    if (f.metrics.fisher !== undefined) {
      this.fisher = f.metrics.fisher;
      this.fisherHistory.push(f.step, f.metrics.fisher);
      this.fisherCurve = { steps: this.fisherHistory.steps.slice(), values: this.fisherHistory.values.slice() };
    }
    // Only a field for the request in force is taken: one for an older grid or σ never gets
    // paired with the new one.
    if (f.field && f.fieldId === this.fieldId) {
      this.tv = f.metrics.tv;
      this.field = f.field;
      this.fieldView = this.view;
      this.fieldSigma = f.fieldSigma ?? NaN;
      this.readouts = f.readouts ?? null;
    }
  }

  /** Start a new run (fresh weights from the seed); keeps the view request. */
  configure(config: RunConfig, view: ViewQuery | null): void {
    this.config = config;
    this.view = view;
    this.client.configure(config);
    this.step = 0;
    this.lossHistory = new LossHistory();
    this.losses = [];
    this.floors = null;
    this.lossStride = 1;
    this.clearFisher();
    this.field = null;
    this.fieldView = null;
    this.fisher = undefined;
    this.tv = undefined;
    this.readouts = null;
    this.particles = null;
    this.trails = null;
    this.error = null;
    this.running = false;
    if (view) this.fieldId = this.client.setFieldRequest(view);
  }

  /** Follow a new grid or σ; the field on screen stays with its own request until the worker answers this one. */
  setFieldRequest(view: ViewQuery | null): void {
    this.view = view;
    this.fieldId = this.client.setFieldRequest(view);
    // The divergence is measured on the view's grid at its σ: values for another view do not compare.
    this.clearFisher();
  }

  private clearFisher(): void {
    this.fisherHistory = new StepHistory();
    this.fisherCurve = { steps: [], values: [] };
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

  /**
   * Train n steps while paused. Resolves with why they were not all taken (the request failed,
   * the run was reset or its worker restarted, training diverged), or null once they were.
   */
  async stepBy(n: number): Promise<string | null> {
    this.error = null;
    this.running = false;
    try {
      await this.client.step(n);
    } catch (e) {
      this.showFault(e);
      return e instanceof Error ? e.message : String(e);
    }
    // A diverged burst is told as a run-wide error, which arrives before the answer (the cast
    // undoes the narrowing to null from above: the error may have been set meanwhile).
    const error = this.error as PageRun['error'];
    return error?.code === 'diverged' ? error.message : null;
  }

  live(p: Partial<LiveSettings>): void {
    if (this.config) Object.assign(this.config.live, p);
    this.client.live(p);
  }

  cancelSample(): void {
    this.client.cancelSample();
  }

  /** Run a sampler; resolves with its last frame (marked `cancelled` when stopped), or null when it failed or the run changed. */
  async sample(request: SampleRequest): Promise<ParticlesFrame | null> {
    this.sampling = true;
    this.trails = null;
    try {
      const last = await this.client.sample(request, (fr) => {
        this.particles = fr.x;
        this.particleSigma = fr.sigma;
      });
      if (!last.cancelled) {
        this.particles = last.x;
        this.trails = last.trails ?? null;
        this.trailSigmas = last.trailSigmas ?? null;
      }
      return last;
    } catch (e) {
      this.showFault(e);
      return null;
    } finally {
      this.sampling = false;
    }
  }

  /** The learned field at any points and σ, answered once (not kept as the view's field). */
  fieldAt(query: FieldQuery): Promise<{ field: Float32Array; sigma: number }> {
    return this.client.field(query);
  }

  /** f(x, σ_l) for every point and level (MULDE): n × L, row-major, with the step of the weights used; rejects with a quiet RequestError after a reset. */
  fMulti(points: Float32Array, sigmas: readonly number[]): Promise<{ values: Float32Array; step: number }> {
    return this.client.fMulti(points, sigmas);
  }

  getWeights(): Promise<WeightsJSON> {
    return this.client.getWeights();
  }

  async setWeights(w: WeightsJSON): Promise<void> {
    await this.client.setWeights(w);
  }

  /** Show a failed request's fault, unless it is a quiet one (the run changed, the worker was replaced). */
  private showFault(e: unknown): void {
    if (e instanceof RequestError) {
      if (!e.quiet) this.error = { message: e.message, hint: e.hint, code: e.code };
    } else this.error = { message: e instanceof Error ? e.message : String(e), code: 'internal' };
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.client.terminate();
  }
}
