/**
 * Shared types of the tfjs model layer: network configuration, the five training objectives,
 * batches (plain Float32Arrays drawn on the JS side) and trainer settings and results.
 */
import type { Activation, Method, ScoreModel } from '../core/methods';

/** The five objectives, their traits, the activations and the score models live in core/methods.ts; re-exported for the model's users. */
export { ACTIVATIONS, METHODS, SCORE_MODELS, methodTraits, type Activation, type Method, type ScoreModel } from '../core/methods';

/** Distribution of the projection directions v of sliced score matching. */
export type Projection = 'gaussian' | 'rademacher';

/** Output head: a vector score s_θ(x,σ) ∈ R^d, or a scalar f_θ(x,σ) ∈ R (MULDE). */
export type Head = 'score' | 'energy';

/** Architecture of the MLP. */
export interface NetConfig {
  /** Data dimension d. */
  dim: 1 | 2;
  head: Head;
  /** Units per hidden layer. */
  width: number;
  /** Number of hidden layers (≥ 1). */
  depth: number;
  activation: Activation;
  /** Whether the input includes c = log σ (noise-conditional net). */
  conditional: boolean;
  /** k ≥ 0: sin(2ʲc), cos(2ʲc) for j = 0…k−1 are appended to c (needs `conditional`). */
  frequencies: number;
  /**
   * Fixed input standardisation x̂ = (x − center) / scale, one entry per dimension. It is part
   * of the function s_θ(x) (derivatives w.r.t. x carry the 1/scale factor), not a trained layer.
   */
  center: number[];
  scale: number[];
}

/**
 * One training batch, drawn on the JS side so that the same seed gives the same run on every
 * backend and a float64 reference can be fed the identical numbers. Rows, not points: sliced SM
 * with M projections repeats each point M times.
 */
export interface Batch {
  /** Number of rows n. */
  n: number;
  /** Clean points x, n × d. */
  x: Float32Array;
  /** Noise level per row (DSM: all equal; SM/SSM: the fixed σ a conditional net is fed). */
  sigma: Float32Array;
  /** Standard normal noise z, n × d, with x̃ = x + σz (empty for SM/SSM). */
  z: Float32Array;
  /** Projection directions v, n × d (SSM only; empty otherwise). */
  v: Float32Array;
}

/** Settings that the objectives themselves read. */
export interface ObjectiveOptions {
  /** MULDE weight of the f(x,σ)² regulariser. */
  beta: number;
  /** Sliced SM: replace ½(vᵀs)² by its expectation ½‖s‖² over v (lower variance). */
  varianceReduced: boolean;
}

/**
 * Settings that may change between steps without rebuilding the network. The page sends this
 * very object (`RunConfig.live`, `live` messages), so every layer uses the same field names.
 */
export interface LiveSettings {
  learningRate: number;
  batchSize: number;
  /** DSM noise level; also the σ a conditional SM/SSM net is fed. */
  sigma: number;
  /** NCSN/MULDE noise range, σ log-uniform in [σ_min, σ_max]. */
  sigmaMin: number;
  sigmaMax: number;
  /** MULDE weight of the f(x,σ)² regulariser. */
  beta: number;
  /** Sliced SM projection distribution. */
  projection: Projection;
  /** Training stops at this step, exactly (0 or absent: no limit). Read by the worker's play loop. */
  maxSteps?: number;
  /** Sliced SM: replace ½(vᵀs)² by its expectation ½‖s‖² over v (default false). */
  varianceReduced?: boolean;
  /** Sliced SM: projections per data point, rows = batchSize · projections (default 1). */
  projections?: number;
  /** Divergence guards: a burst whose |loss| or max |net output| exceeds these is rolled back. */
  maxLoss?: number;
  maxOutput?: number;
}

/** Everything needed to create a trainer: the run's shape plus its live settings, flat. */
export interface TrainerConfig extends LiveSettings {
  method: Method;
  /** Training points, n × dim. */
  data: Float32Array;
  dim: 1 | 2;
  width: number;
  depth: number;
  activation: Activation;
  /** The MLP (default), or Vincent's tied-weight autoencoder (DSM only; `width` hidden units, `depth` and `activation` unused). */
  model?: ScoreModel;
  /** Noise-conditional input c = log σ; defaults to true for NCSN and MULDE, false otherwise. */
  conditional?: boolean;
  frequencies: number;
  /** Standardise inputs by the data mean and standard deviation (per dimension). */
  normalizeInputs: boolean;
  seed: number;
  /**
   * Decay of the average of the weights over steps that the trainer evaluates, samples and exports
   * (see adam.ts); 0 evaluates the latest weights. Default 0.99.
   */
  averageDecay?: number;
}

/** What one `trainBurst` did. */
export interface BurstResult {
  /** `diverged`: weights and optimiser state were rolled back to the last good snapshot. */
  status: 'ok' | 'diverged';
  /** The loss of each step of the burst (NaN/Inf kept as read). */
  losses: Float32Array;
  /** Steps taken in total after this burst (a rolled-back burst does not count). */
  step: number;
  /** Why the burst was rolled back. */
  reason?: string;
}
