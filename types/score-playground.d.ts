/**
 * Types of the `score-playground` package: the <score-playground> custom element (registered
 * when the module is imported), its attributes, methods and events.
 */

export type Method = 'sm' | 'ssm' | 'dsm' | 'ncsn' | 'mulde' | 'compare';
export type SamplerName = 'langevin' | 'annealed' | 'reverse-sde' | 'pf-ode' | 'pc';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Attributes (all strings in HTML; values as the app's URL parameters). A bad value falls back
 * to its default with a visible warning in the widget.
 */
export interface ScorePlaygroundAttributes {
  method?: Method;
  /** A preset id (bimodal-1d, two-blobs, three-blobs, …) or a JSON mixture {"weights","means","covs"}. */
  dataset?: string;
  n?: string;
  seed?: string;
  sigma?: string;
  'sigma-min'?: string;
  'sigma-max'?: string;
  'view-sigma'?: string;
  beta?: string;
  lr?: string;
  batch?: string;
  width?: string;
  depth?: string;
  /** DSM's score model: the MLP (default) or Vincent's tied-weight autoencoder with `width` hidden units. */
  model?: 'mlp' | 'autoencoder';
  /** The MLP's activation; `auto` (default) is GELU for MULDE and SiLU for the rest. */
  activation?: 'auto' | 'softplus' | 'silu' | 'tanh' | 'gelu';
  /** NCSN/MULDE: sin/cos pairs of 2ʲ log σ beside log σ in the net's input, 0 (default) … 8. */
  frequencies?: string;
  projection?: 'gaussian' | 'rademacher';
  /** Sliced SM: projections per data point, 1 … 16 (default 1). */
  projections?: string;
  /** Sliced SM: `true` for the variance-reduced loss ½‖s‖² + vᵀ∇s v (default false). */
  'variance-reduced'?: string;
  backend?: 'auto' | BackendName;
  sampler?: SamplerName;
  particles?: string;
  levels?: string;
  steps?: string;
  eps?: string;
  /**
   * Comma-separated view names: header, formula, explain, field, density, samples, loss, fisher, stats,
   * mulde, export. Unknown names are dropped with a warning; the rest stay.
   */
  views?: string;
  /**
   * Comma-separated control names: train, lr, batch, width, depth, model (DSM), activation,
   * frequencies (NCSN, MULDE), sigma (DSM), sigma-min, sigma-max, view-sigma, beta, projection,
   * projections, variance-reduced, sampler, seed, dataset; or `all` / `none`.
   */
  controls?: string;
  /** Controls shown with their value but not changeable (same names as `controls`). */
  lock?: string;
  /** Training stops at exactly this step ("train 500 steps, then look"). */
  'max-steps'?: string;
  /** `full` (every view) or `compact` (one field view and the loss; ≤ 480 px tall at 720 px wide). */
  layout?: 'full' | 'compact';
  autoplay?: string;
}

/** Points: a flat n × d array (x0, y0, x1, y1, …) or a list of coordinate arrays. */
export type PointsInput = ArrayLike<number> | readonly (readonly number[])[];

export interface SigmaOption {
  /** Noise level σ; defaults to the σ the widget's field view shows. */
  sigma?: number;
}

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
  /** Starting positions (n × d, or a list of points); their count then overrides `n`. Drawn from the prior when absent. */
  x0?: PointsInput;
}

/** A sampling run with its path: positions recorded every `every` updates. */
export interface SampledPath {
  /** Final positions, n × d. */
  x: Float32Array;
  /** Recorded frames, frames × n × d, frame 0 the start. */
  trails: Float32Array;
  frames: number;
}

export interface ReadyDetail {
  backend: BackendName;
  adapter: string | null;
}

export interface ErrorDetail {
  code: string;
  message: string;
  hint: string | null;
}

/** The element's own events (`error` here is a CustomEvent, not the DOM's ErrorEvent). */
export interface ScorePlaygroundEventMap {
  ready: CustomEvent<ReadyDetail>;
  progress: CustomEvent<WidgetState>;
  error: CustomEvent<ErrorDetail>;
  /** A sampling run finished (from the Sample button or sample()): positions n × d, row-major. */
  samples: CustomEvent<{ x: Float32Array; dim: 1 | 2 }>;
}

export declare class ScorePlaygroundElement extends HTMLElement {
  static observedAttributes: string[];
  /** Current step, latest loss, backend and metrics. */
  readonly state: WidgetState;
  /** Whether training is paused because the widget is off-screen or its tab is hidden. */
  readonly autoPausedForVisibility: boolean;
  start(): Promise<void>;
  pause(): Promise<void>;
  reset(): Promise<void>;
  /**
   * Train n steps (1 … 100000), pausing first; resolves once they are done (or the widget's max-steps is
   * reached), rejects with the reason when they could not all be taken (reset meanwhile, the worker
   * restarted, training diverged).
   */
  step(n?: number): Promise<WidgetState>;
  /** Sample with the learned score; resolves with the final positions, n × d, row-major. */
  sample(opts?: SampleOptions): Promise<Float32Array>;
  /** As sample(), and the positions every `every` updates (frame 0 the start; at most 400 frames). */
  samplePath(opts: SampleOptions & { every: number }): Promise<SampledPath>;
  /** The learned score s_θ(x, σ) at the points (n × d); rejects where the method has no score at that σ. */
  field(points: PointsInput, opts?: SigmaOption): Promise<Float32Array>;
  /** MULDE only: the log-density −f(x, σ) + c at the points, c aligned as the widget's log-density view aligns it. */
  logDensity(points: PointsInput, opts?: SigmaOption): Promise<Float32Array>;
  /** MULDE only, after training: anomaly scores at the points (larger is more anomalous). */
  anomalyScores(points: PointsInput): Promise<Float32Array>;
  /** Load the widget now (it otherwise loads when it nears the viewport, or is touched, or an API call needs it). */
  load(): Promise<void>;
  /** Whether the widget has loaded (its panel mounted and its run started on the page's shared workers). */
  readonly loaded: boolean;
  addEventListener<K extends keyof ScorePlaygroundEventMap>(
    type: K,
    listener: (this: ScorePlaygroundElement, ev: ScorePlaygroundEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ScorePlaygroundEventMap>(
    type: K,
    listener: (this: ScorePlaygroundElement, ev: ScorePlaygroundEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'score-playground': ScorePlaygroundElement;
  }
}
