/**
 * <score-playground>: a live score-matching widget for course notes. One ES module defines the
 * element; each element gets a shadow root (host CSS cannot reach in, ours cannot leak out), its
 * own state and its own training worker. Attributes are the URL parameters of the app
 * (method, dataset, seed, sigma, sigma-min, sigma-max, beta, lr, batch, width, backend, views,
 * controls, autoplay, …) and are read through the same table, so bad values give the same warnings.
 *
 * JS API: start(), pause(), reset(), step(n) → Promise, sample({sampler, n, …}) → Promise of a
 * Float32Array of positions (n × d), `state` (step, loss, backend, metrics); events `ready`,
 * `progress`, `error` (CustomEvent, detail as in `state` or the error).
 */
import type { AppState } from '../ui/state/app.svelte';
import type { TrainingRun } from '../ui/state/run.svelte';
import type { SampleRequest } from '../worker/protocol';
import globalCss from '../ui/global.css?inline';
import type { SampleOptions, ScorePlaygroundElement as PublicElement, WidgetState } from '../../types/score-playground';
import { anomalyScoresAt, logDensityAt, scoreAt, type PointsInput, type SigmaOption } from './queries';
import type { Mounted } from './mount.svelte';
import { OBSERVED } from './attributes';

// The anywidget front end, so the same module runs in notebooks: `_esm = ".../score-playground.js"`.
export { anywidget as default } from './anywidget';

export type { SampleOptions, WidgetState };

/** How far outside the viewport a widget starts loading: its panel, worker and runtime start then. */
const NEAR_MARGIN = '300px';
/** Height kept for a widget that has not loaded yet, so the page does not jump when it does. */
const PLACEHOLDER_PX = { compact: 440, full: 640 };


export class ScorePlaygroundElement extends HTMLElement {
  static observedAttributes = [...OBSERVED];
  private app: AppState | null = null;
  private mounted: Mounted | null = null;
  private heavy: typeof import('./mount.svelte') | null = null;
  private loading: Promise<void> | null = null;
  private run: TrainingRun | null = null;
  private runReady: Promise<TrainingRun>;
  private resolveRun!: (r: TrainingRun) => void;
  private offs: (() => void)[] = [];
  private visibility: IntersectionObserver | null = null;
  private near: IntersectionObserver | null = null;
  /** Paused by us because the widget left the screen or the tab was hidden (resume on return). */
  private autoPaused = false;
  private onScreen = true;

  constructor() {
    super();
    this.runReady = new Promise((r) => (this.resolveRun = r));
  }

  connectedCallback(): void {
    if (this.loading || this.near) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    // The page's design tokens, scoped to this element; `all: initial` stops inherited host styles.
    style.textContent = `:host { all: initial; display: block; contain: content; }\n${globalCss.replace(/:root/g, ':host')}
.placeholder { display: grid; place-items: center; border: 1px dashed var(--line); border-radius: 8px; color: var(--muted); font: 0.9rem system-ui, sans-serif; }`;
    const placeholder = document.createElement('div');
    placeholder.className = 'placeholder';
    placeholder.dataset.testid = 'widget-placeholder';
    placeholder.style.minHeight = `${PLACEHOLDER_PX[this.getAttribute('layout') === 'compact' ? 'compact' : 'full']}px`;
    placeholder.textContent = 'Score Playground: starts when it scrolls into view';
    root.replaceChildren(style, placeholder);
    // Nothing starts (no panel, no worker, no runtime) until the widget nears the viewport or is touched.
    this.near = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void this.load(), { rootMargin: NEAR_MARGIN });
    this.near.observe(this);
    for (const t of ['pointerdown', 'focusin', 'keydown']) this.addEventListener(t, this.touched);
    this.visibility = new IntersectionObserver((entries) => {
      this.onScreen = entries.some((e) => e.isIntersecting);
      this.updateVisibility();
    });
    this.visibility.observe(this);
    document.addEventListener('visibilitychange', this.updateVisibility);
  }

  private touched = (): void => void this.load();

  /** Load and mount the panel (once); resolves when it is mounted. */
  load(): Promise<void> {
    this.loading ??= import('./mount.svelte').then((heavy) => {
      this.heavy = heavy;
      const root = this.shadowRoot;
      if (!root || !this.isConnected || this.mounted) return;
      this.near?.disconnect();
      for (const t of ['pointerdown', 'focusin', 'keydown']) this.removeEventListener(t, this.touched);
      const target = document.createElement('div');
      root.querySelector('.placeholder')?.replaceWith(target);
      this.mounted = heavy.mountWidget(target, (n) => this.getAttribute(n), (r) => this.attach(r));
      this.app = this.mounted.app;
    });
    return this.loading;
  }

  /** Whether the panel (and with it the worker) has started. */
  get loaded(): boolean {
    return this.mounted !== null;
  }

  disconnectedCallback(): void {
    this.visibility?.disconnect();
    this.near?.disconnect();
    this.near = null;
    for (const t of ['pointerdown', 'focusin', 'keydown']) this.removeEventListener(t, this.touched);
    document.removeEventListener('visibilitychange', this.updateVisibility);
    for (const off of this.offs) off();
    this.mounted?.destroy();
    this.mounted = null;
    this.app = null;
    this.loading = null;
    this.shadowRoot?.replaceChildren();
    this.run = null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.app || old === value) return;
    // Re-read every attribute: the settings table resolves dependencies (dataset → σ defaults).
    this.app.load((n) => this.getAttribute(n));
    void name;
  }

  private attach(run: TrainingRun | null): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.run = run;
    if (!run) return;
    this.resolveRun(run);
    this.offs.push(
      run.on('ready', (b) => this.emit('ready', { backend: b.name, adapter: b.adapter ?? null })),
      run.on('progress', () => this.emit('progress', this.state)),
      run.on('error', (e) => this.emit('error', { code: e.code, message: e.message, hint: e.hint ?? null })),
    );
    const heavy = this.heavy;
    if (heavy) this.offs.push(heavy.watchSamples(run, (x) => this.emit('samples', { x, dim: this.app?.dim ?? 1 })));
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private updateVisibility = (): void => {
    const visible = this.onScreen && document.visibilityState !== 'hidden';
    if (!this.run) return;
    if (!visible && this.run.running) {
      this.run.pause();
      this.autoPaused = true;
    } else if (visible && this.autoPaused) {
      this.autoPaused = false;
      this.run.play();
    }
  };

  /** Current step, latest loss, backend and metrics. */
  get state(): WidgetState {
    const r = this.run;
    return {
      method: this.app?.settings.method ?? '',
      step: r?.step ?? 0,
      loss: r && r.losses.length ? r.losses[r.losses.length - 1] : null,
      running: r?.running ?? false,
      backend: r?.backend?.name ?? null,
      metrics: { fisher: r?.fisher },
    };
  }

  /** Whether training is paused because the widget is off-screen or its tab is hidden. */
  get autoPausedForVisibility(): boolean {
    return this.autoPaused;
  }

  /** The panel's run, loading the widget first if it has not started yet. */
  private async ready(): Promise<TrainingRun> {
    await this.load();
    return this.runReady;
  }

  async start(): Promise<void> {
    (await this.ready()).play();
  }

  async pause(): Promise<void> {
    this.autoPaused = false;
    (await this.ready()).pause();
  }

  async reset(): Promise<void> {
    (await this.ready()).reset();
  }

  /** Train n steps (pausing first); resolves once they are done. */
  async step(n = 1): Promise<WidgetState> {
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`step(n): n must be an integer in 1 … 100000, got ${n}`);
    await (await this.ready()).stepBy(n);
    return this.state;
  }

  /** The learned score at the given points (n × d, row-major); `sigma` defaults to the field view's σ. */
  async field(points: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
    const run = await this.ready();
    return scoreAt(run, this.app!, points, opts);
  }

  /** MULDE only: the log-density −f(x, σ) + c at the given points, aligned as the log-density view aligns it. */
  async logDensity(points: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
    const run = await this.ready();
    return logDensityAt(run, this.app!, points, opts);
  }

  /** MULDE only, after training: anomaly scores (larger is more anomalous) at the given points. */
  async anomalyScores(points: PointsInput): Promise<Float32Array> {
    const run = await this.ready();
    return anomalyScoresAt(run, this.app!, points);
  }

  /** Sample with the learned score; resolves with the final positions (n × d). */
  async sample(opts: SampleOptions = {}): Promise<Float32Array> {
    const run = await this.ready();
    const s = this.app!.settings;
    const req: SampleRequest = {
      sampler: opts.sampler ?? s.sampler,
      n: opts.n ?? s.particles,
      sigmaMin: opts.sigmaMin ?? s.sigmaMin,
      sigmaMax: opts.sigmaMax ?? s.sigmaMax,
      levels: opts.levels ?? s.levels,
      stepsPerLevel: opts.stepsPerLevel ?? s.steps,
      eps: opts.eps ?? s.eps,
      snr: 0.16,
      trailEvery: 0,
      frameEvery: 50,
    };
    const last = await run.sample(req);
    if (!last) throw new Error(run.error?.message ?? 'sampling was cancelled');
    return last.x;
  }
}

// `satisfies`: the shipped types (types/score-playground.d.ts, which also maps the tag name) must describe this class.
if (!customElements.get('score-playground')) customElements.define('score-playground', ScorePlaygroundElement satisfies new () => PublicElement);
