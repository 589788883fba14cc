/**
 * <score-playground>: a live score-matching widget for course notes. One ES module defines the
 * element; each element gets a shadow root (host CSS cannot reach in, ours cannot leak out), its
 * own state and its own run on the page's shared training workers (worker/pool.ts). Attributes
 * are the URL parameters of the app (method, dataset, seed, sigma, sigma-min, sigma-max, beta,
 * lr, batch, width, backend, views, controls, autoplay, …) and are read through the same table,
 * so bad values give the same warnings.
 *
 * JS API: start(), pause(), reset(), step(n) → Promise, sample({sampler, n, x0, …}) → Promise of a
 * Float32Array of positions (n × d), samplePath({…, every}) with the recorded frames too, `state` (step, loss, backend, metrics); events `ready`,
 * `progress`, `error` (CustomEvent, detail as in `state` or the error). Every call acts on the
 * run on screen (after a `method` change or a reconnect, the new one); with `method="compare"`
 * start, pause, reset and step act on all five runs and `state.runs` reports each.
 */
import type { AppState } from '../ui/state/app.svelte';
import type { PageRun } from '../ui/state/run.svelte';
import { faultText } from '../ui/state/faults';
import type { SampleRequest } from '../worker/protocol';
import type { ParticlesFrame } from '../worker/client-events';
import { LANGEVIN_STEP } from '../core/samplers';
import globalCss from '../ui/global.css?inline';
import type { RunState, SampledPath, SampleOptions, ScorePlaygroundElement as PublicElement, WidgetState } from '../../types/score-playground';
import { anomalyScoresAt, logDensityAt, scoreAt, toPoints, type PointsInput, type SigmaOption } from './queries';
import type { Mounted } from './mount.svelte';
import { OBSERVED } from './attributes';

// The anywidget front end, so the same module runs in notebooks: `_esm = ".../score-playground.js"`.
export { anywidget as default } from './anywidget';

export type { RunState, SampledPath, SampleOptions, WidgetState };

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
  /** The runs on screen, by method: one, or five with `compare`; empty while none is mounted. */
  private runs = new Map<string, PageRun>();
  private waiting: (() => void)[] = [];
  private visibility: IntersectionObserver | null = null;
  private near: IntersectionObserver | null = null;
  /** Paused by us because the widget left the screen or the tab was hidden (resume on return). */
  private autoPaused = false;
  private onScreen = true;

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
      this.mounted = heavy.mountWidget(
        target,
        (n) => this.getAttribute(n),
        (method, r) => this.attach(method, r),
      );
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
    this.mounted?.destroy();
    this.mounted = null;
    this.app = null;
    this.loading = null;
    this.shadowRoot?.replaceChildren();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.app || old === value) return;
    // Re-read every attribute: the settings table resolves dependencies (dataset → σ defaults).
    this.app.load((n) => this.getAttribute(n));
    void name;
  }

  /** A panel's run is on screen (configured); returns what to call when it leaves. */
  private attach(method: string, run: PageRun): () => void {
    this.runs.set(method, run);
    const offs = [
      run.on('ready', (b) => this.emit('ready', { backend: b.name, adapter: b.adapter ?? null })),
      run.on('progress', () => {
        // A widget that loaded near the viewport and autoplayed, then ended up off screen when the
        // widgets above it grew, saw no visibility change since: it pauses at its first frame.
        if (run.running && !this.onScreen) this.updateVisibility();
        this.emit('progress', this.state);
      }),
      run.on('error', (e) => this.emit('error', { code: e.code, message: faultText(e), hint: e.hint ?? null })),
    ];
    const heavy = this.heavy;
    if (heavy) offs.push(heavy.watchSamples(run, (x) => this.emit('samples', { x, dim: this.app?.dim ?? 1 })));
    for (const wake of this.waiting.splice(0)) wake();
    return () => {
      for (const off of offs) off();
      if (this.runs.get(method) === run) this.runs.delete(method);
    };
  }

  /** The runs on screen now, loading the widget first and waiting for a panel to mount when there is none. */
  private async current(): Promise<PageRun[]> {
    await this.load();
    while (this.runs.size === 0) await new Promise<void>((r) => this.waiting.push(r));
    return [...this.runs.values()];
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private updateVisibility = (): void => {
    const visible = this.onScreen && document.visibilityState !== 'hidden';
    const runs = [...this.runs.values()];
    if (!visible && runs.some((r) => r.running)) {
      for (const r of runs) r.pause();
      this.autoPaused = true;
    } else if (visible && this.autoPaused) {
      this.autoPaused = false;
      for (const r of runs) r.play();
    }
  };

  /** Current step, latest loss, backend and metrics (of each run with `compare`). */
  get state(): WidgetState {
    const method = this.app?.settings.method ?? '';
    const each = [...this.runs].map(([m, r]) => [m, runState(r)] as const);
    const first = each[0]?.[1] ?? { step: 0, loss: null, running: false, backend: null, metrics: {} };
    if (method !== 'compare') return { method, ...first };
    return {
      method,
      ...first,
      step: Math.min(...each.map(([, r]) => r.step)),
      running: each.some(([, r]) => r.running),
      runs: Object.fromEntries(each),
    };
  }

  /** Whether training is paused because the widget is off-screen or its tab is hidden. */
  get autoPausedForVisibility(): boolean {
    return this.autoPaused;
  }

  /** The one run on screen (loading the widget first); a comparison has five, so `what` cannot choose. */
  private async single(what: string): Promise<PageRun> {
    const runs = await this.current();
    if (runs.length !== 1) throw new Error(`${what} needs a single method; this widget compares several`);
    return runs[0];
  }

  async start(): Promise<void> {
    for (const r of await this.current()) r.play();
  }

  async pause(): Promise<void> {
    this.autoPaused = false;
    for (const r of await this.current()) r.pause();
  }

  async reset(): Promise<void> {
    for (const r of await this.current()) r.reset();
  }

  /** Train n steps (pausing first); resolves once they are done, rejects when they could not all be taken. */
  async step(n = 1): Promise<WidgetState> {
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`step(n): n must be an integer in 1 … 100000, got ${n}`);
    const why = (await Promise.all((await this.current()).map((r) => r.stepBy(n)))).find((w) => w !== null);
    if (why) throw new Error(`step(${n}): ${why}`);
    return this.state;
  }

  /** The learned score at the given points (n × d, row-major); `sigma` defaults to the field view's σ. */
  async field(points: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
    const run = await this.single('field()');
    return scoreAt(run, this.app!, points, opts);
  }

  /** MULDE only: the log-density −f(x, σ) + c at the given points, aligned as the log-density view aligns it. */
  async logDensity(points: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
    const run = await this.single('logDensity()');
    return logDensityAt(run, this.app!, points, opts);
  }

  /** MULDE only, after training: anomaly scores (larger is more anomalous) at the given points. */
  async anomalyScores(points: PointsInput): Promise<Float32Array> {
    const run = await this.single('anomalyScores()');
    return anomalyScoresAt(run, this.app!, points);
  }

  /** Sample with the learned score; resolves with the final positions (n × d). */
  async sample(opts: SampleOptions = {}): Promise<Float32Array> {
    return (await this.sampleRequest(opts, 0)).x;
  }

  /** As sample(), with the positions recorded every `every` updates. */
  async samplePath(opts: SampleOptions & { every: number }): Promise<SampledPath> {
    const every = opts.every;
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`samplePath(): every must be a positive integer, got ${every}`);
    const last = await this.sampleRequest(opts, every);
    const trails = last.trails ?? new Float32Array(0);
    return { x: last.x, trails, frames: trails.length / last.x.length };
  }

  private async sampleRequest(opts: SampleOptions, trailEvery: number): Promise<ParticlesFrame> {
    const run = await this.single('sample()');
    const s = this.app!.settings;
    const sampler = opts.sampler ?? s.sampler;
    const x0 = opts.x0 === undefined ? undefined : toPoints(opts.x0, this.app!.dim, 'sample()');
    const req: SampleRequest = {
      sampler,
      particles: x0 ? x0.length / this.app!.dim : (opts.n ?? s.particles),
      x0,
      sigmaMin: opts.sigmaMin ?? s.sigmaMin,
      sigmaMax: opts.sigmaMax ?? s.sigmaMax,
      levels: opts.levels ?? s.levels,
      stepsPerLevel: opts.stepsPerLevel ?? s.stepsPerLevel,
      eps: opts.eps ?? (sampler === 'langevin' ? LANGEVIN_STEP : s.eps),
      snr: 0.16,
      trailEvery,
    };
    const last = await run.sample(req);
    if (!last) throw new Error(run.error?.message ?? 'the run changed before sampling finished');
    if (last.cancelled) throw new DOMException('sampling was stopped', 'AbortError');
    return last;
  }
}

function runState(r: PageRun): RunState {
  return {
    step: r.step,
    loss: r.losses.length ? r.losses[r.losses.length - 1] : null,
    running: r.running,
    backend: r.backend?.name ?? null,
    metrics: { fisher: r.fisher },
  };
}

// `satisfies`: the shipped types (types/score-playground.d.ts, which also maps the tag name) must describe this class.
if (!customElements.get('score-playground')) customElements.define('score-playground', ScorePlaygroundElement satisfies new () => PublicElement);
