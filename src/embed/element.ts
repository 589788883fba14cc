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
import { mount, unmount } from 'svelte';
import Widget from './Widget.svelte';
import { AppState } from '../ui/state/app.svelte';
import type { TrainingRun } from '../ui/state/run.svelte';
import type { SampleRequest } from '../worker/protocol';
import globalCss from '../ui/global.css?inline';
import type { SampleOptions, ScorePlaygroundElement as PublicElement, WidgetState } from '../../types/score-playground';

export type { SampleOptions, WidgetState };

const OBSERVED = [
  'method', 'dataset', 'n', 'seed', 'sigma', 'sigma-min', 'sigma-max', 'beta', 'lr', 'batch', 'width', 'depth',
  'projection', 'view-sigma', 'backend', 'sampler', 'particles', 'levels', 'steps', 'eps', 'views', 'controls', 'autoplay',
];

export class ScorePlaygroundElement extends HTMLElement {
  static observedAttributes = OBSERVED;
  private app: AppState | null = null;
  private component: ReturnType<typeof mount> | null = null;
  private run: TrainingRun | null = null;
  private runReady: Promise<TrainingRun>;
  private resolveRun!: (r: TrainingRun) => void;
  private offs: (() => void)[] = [];
  private visibility: IntersectionObserver | null = null;
  /** Paused by us because the widget left the screen or the tab was hidden (resume on return). */
  private autoPaused = false;
  private onScreen = true;

  constructor() {
    super();
    this.runReady = new Promise((r) => (this.resolveRun = r));
  }

  connectedCallback(): void {
    if (this.component) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    // The page's design tokens, scoped to this element; `all: initial` stops inherited host styles.
    style.textContent = `:host { all: initial; display: block; contain: content; }\n${globalCss.replace(/:root/g, ':host')}`;
    root.append(style);
    const target = document.createElement('div');
    root.append(target);
    this.app = new AppState((name) => this.getAttribute(name));
    this.component = mount(Widget, { target, props: { app: this.app, onrun: (r: TrainingRun | null) => this.attach(r) } });
    this.visibility = new IntersectionObserver((entries) => {
      this.onScreen = entries.some((e) => e.isIntersecting);
      this.updateVisibility();
    });
    this.visibility.observe(this);
    document.addEventListener('visibilitychange', this.updateVisibility);
  }

  disconnectedCallback(): void {
    this.visibility?.disconnect();
    document.removeEventListener('visibilitychange', this.updateVisibility);
    for (const off of this.offs) off();
    if (this.component) void unmount(this.component);
    this.component = null;
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

  async start(): Promise<void> {
    (await this.runReady).play();
  }

  async pause(): Promise<void> {
    this.autoPaused = false;
    (await this.runReady).pause();
  }

  async reset(): Promise<void> {
    (await this.runReady).reset();
  }

  /** Train n steps (pausing first); resolves once they are done. */
  async step(n = 1): Promise<WidgetState> {
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`step(n): n must be an integer in 1 … 100000, got ${n}`);
    await (await this.runReady).stepBy(n);
    return this.state;
  }

  /** Sample with the learned score; resolves with the final positions (n × d). */
  async sample(opts: SampleOptions = {}): Promise<Float32Array> {
    const run = await this.runReady;
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
