/**
 * <score-playground>: a live score-matching widget for course notes. One ES module defines the
 * element; each element gets a shadow root (host CSS cannot reach in, ours cannot leak out), its
 * own state and its own training worker. Attributes are the URL parameters of the app
 * (method, dataset, seed, sigma, sigma-min, sigma-max, beta, lr, batch, width, backend, views,
 * controls, autoplay, …) and are read through the same table, so bad values give the same warnings.
 *
 * JS API: start(), pause(), reset(), step(n) → Promise, sample({sampler, n, …}) → Promise of a
 * Float32Array of positions (n × d), `state` (step, loss, backend, metrics); events `ready`,
 * `progress`, `error` (CustomEvent, detail as in `state` or the error). Every call acts on the
 * run on screen (after a `method` change or a reconnect, the new one); with `method="compare"`
 * start, pause, reset and step act on all four runs and `state.runs` reports each.
 */
import { mount, unmount } from 'svelte';
import Widget from './Widget.svelte';
import { AppState } from '../ui/state/app.svelte';
import type { TrainingRun } from '../ui/state/run.svelte';
import { faultText } from '../ui/state/faults';
import type { SampleRequest, SamplerName } from '../worker/protocol';
import { LANGEVIN_STEP } from '../core/samplers';
import globalCss from '../ui/global.css?inline';

/** One run's numbers. */
export interface RunState {
  step: number;
  loss: number | null;
  running: boolean;
  backend: string | null;
  metrics: { fisher?: number; energyDistance?: number };
}

/**
 * The widget's numbers: those of its run, or with `method="compare"` the fewest steps, the first
 * run's backend, and each run's own numbers in `runs`.
 */
export interface WidgetState extends RunState {
  method: string;
  runs?: Record<string, RunState>;
}

export interface SampleOptions {
  sampler?: SamplerName;
  n?: number;
  levels?: number;
  stepsPerLevel?: number;
  eps?: number;
  sigmaMin?: number;
  sigmaMax?: number;
}

const OBSERVED = [
  'method', 'dataset', 'n', 'seed', 'sigma', 'sigma-min', 'sigma-max', 'beta', 'lr', 'batch', 'width', 'depth',
  'projection', 'view-sigma', 'backend', 'sampler', 'particles', 'levels', 'steps', 'eps', 'views', 'controls', 'autoplay',
];

export class ScorePlaygroundElement extends HTMLElement {
  static observedAttributes = OBSERVED;
  private app: AppState | null = null;
  private component: ReturnType<typeof mount> | null = null;
  /** The runs on screen, by method: one, or four with `compare`; empty while none is mounted. */
  private runs = new Map<string, TrainingRun>();
  private waiting: (() => void)[] = [];
  private visibility: IntersectionObserver | null = null;
  /** Paused by us because the widget left the screen or the tab was hidden (resume on return). */
  private autoPaused = false;
  private onScreen = true;

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
    this.component = mount(Widget, { target, props: { app: this.app, onrun: (method: string, r: TrainingRun) => this.attach(method, r) } });
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
    if (this.component) void unmount(this.component);
    this.component = null;
    this.shadowRoot?.replaceChildren();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.app || old === value) return;
    // Re-read every attribute: the settings table resolves dependencies (dataset → σ defaults).
    this.app.load((n) => this.getAttribute(n));
    void name;
  }

  /** A panel's run is on screen (configured); returns what to call when it leaves. */
  private attach(method: string, run: TrainingRun): () => void {
    this.runs.set(method, run);
    const offs = [
      run.on('ready', (b) => this.emit('ready', { backend: b.name, adapter: b.adapter ?? null })),
      run.on('progress', () => this.emit('progress', this.state)),
      run.on('error', (e) => this.emit('error', { code: e.code, message: faultText(e), hint: e.hint ?? null })),
    ];
    for (const wake of this.waiting.splice(0)) wake();
    return () => {
      for (const off of offs) off();
      if (this.runs.get(method) === run) this.runs.delete(method);
    };
  }

  /** The runs on screen now, waiting for a panel to mount when there is none. */
  private async current(): Promise<TrainingRun[]> {
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

  /** Train n steps (pausing first); resolves once they are done. */
  async step(n = 1): Promise<WidgetState> {
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`step(n): n must be an integer in 1 … 100000, got ${n}`);
    await Promise.all((await this.current()).map((r) => r.stepBy(n)));
    return this.state;
  }

  /** Sample with the learned score; resolves with the final positions (n × d). */
  async sample(opts: SampleOptions = {}): Promise<Float32Array> {
    const runs = await this.current();
    if (runs.length !== 1) throw new Error('sample() needs a single method; this widget compares several');
    const run = runs[0];
    const s = this.app!.settings;
    const sampler = opts.sampler ?? s.sampler;
    const req: SampleRequest = {
      sampler,
      n: opts.n ?? s.particles,
      sigmaMin: opts.sigmaMin ?? s.sigmaMin,
      sigmaMax: opts.sigmaMax ?? s.sigmaMax,
      levels: opts.levels ?? s.levels,
      stepsPerLevel: opts.stepsPerLevel ?? s.steps,
      eps: opts.eps ?? (sampler === 'langevin' ? LANGEVIN_STEP : s.eps),
      snr: 0.16,
      trailEvery: 0,
      frameEvery: 50,
    };
    const last = await run.sample(req);
    if (!last) throw new Error(run.error?.message ?? 'the run changed before sampling finished');
    if (last.cancelled) throw new DOMException('sampling was stopped', 'AbortError');
    return last.x;
  }
}

function runState(r: TrainingRun): RunState {
  return {
    step: r.step,
    loss: r.losses.length ? r.losses[r.losses.length - 1] : null,
    running: r.running,
    backend: r.backend?.name ?? null,
    metrics: { fisher: r.fisher },
  };
}

if (!customElements.get('score-playground')) customElements.define('score-playground', ScorePlaygroundElement);

declare global {
  interface HTMLElementTagNameMap {
    'score-playground': ScorePlaygroundElement;
  }
}
