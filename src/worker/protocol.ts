/**
 * Messages between the page and the training worker. Both sides `switch` exhaustively on
 * `type`. Every message about a run carries its `runId`: after a reset or a config change the
 * page bumps the id and drops any frame that still carries the old one.
 * Large arrays travel as transferred Float32Array buffers.
 */
import type { MixtureSpec } from '../core/mixture';
import type { Activation, Method, Projection } from '../model/types';

// The model's vocabulary, re-exported so the page needs no import from src/model.
export { METHODS, ACTIVATIONS } from '../model/types';
export type { Activation, Method, Projection };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export type BackendChoice = BackendName | 'auto';


/** Everything that defines a training run; changing any of it but `live` starts a new run. */
export interface TrainConfig {
  method: Method;
  dataset: MixtureSpec;
  /** Number of training points drawn from the dataset. */
  nData: number;
  /** Optional explicit training points (n × d), e.g. painted by the user; overrides sampling. */
  points?: Float32Array;
  seed: number;
  width: number;
  depth: number;
  activation: Activation;
  live: LiveParams;
}

/** Settings the worker applies to a running run without restarting it (the net keeps training). */
export interface LiveParams {
  lr: number;
  batch: number;
  /** DSM noise level σ. */
  sigma: number;
  /** NCSN / MULDE noise range. */
  sigmaMin: number;
  sigmaMax: number;
  /** MULDE's weight on f(x, σ)² at clean points. */
  beta: number;
  /** Sliced SM projection distribution. */
  projection: Projection;
}

/** The grid (and σ) the page wants the learned field on with every frame. */
export interface ViewRequest {
  /** n × d points. */
  points: Float32Array;
  sigma: number;
  /** Also send f(x, σ) (MULDE only). */
  withF?: boolean;
}

export type SamplerName = 'langevin' | 'annealed' | 'reverse-sde' | 'pf-ode' | 'pc';

export interface SampleRequest {
  sampler: SamplerName;
  n: number;
  /** Initial positions n × d; drawn by the worker when absent. */
  x0?: Float32Array;
  sigmaMin: number;
  sigmaMax: number;
  levels: number;
  stepsPerLevel: number;
  /** Step-size scale ε (Langevin / annealed / corrector). */
  eps: number;
  /** Predictor–corrector signal-to-noise ratio. */
  snr?: number;
  /** Record a trail point every this many steps (0: no trails). */
  trailEvery: number;
  /** Send a particles frame every this many steps. */
  frameEvery: number;
}

export interface Metrics {
  /** Density-weighted relative Fisher divergence to the exact score at the view σ. */
  fisher?: number;
}

export interface BackendInfo {
  name: BackendName;
  /** WebGPU adapter or WebGL renderer description, when there is one. */
  adapter?: string;
  /** True when the adapter is a software emulation (SwiftShader and the like). */
  software?: boolean;
  /** How `auto` chose it: ms/step of a short training burst per backend timed (now or remembered). */
  chosenBy?: { msPerStep: Partial<Record<BackendName, number>>; remembered: boolean };
}

/** A backend choice measured by `auto` (backend-choice.ts), which the page remembers per browser. */
export interface MeasuredChoice {
  /** What the times hold for: tfjs version, WebGPU adapter, WebGL renderer. */
  key: string;
  backend: BackendName;
  /** ms per step of the timing burst, per backend timed. */
  msPerStep: Partial<Record<BackendName, number>>;
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice; remembered?: MeasuredChoice }
  | { type: 'configure'; runId: number; config: TrainConfig }
  | { type: 'start'; runId: number }
  | { type: 'pause'; runId: number }
  | { type: 'step'; runId: number; reqId: number; n: number }
  | { type: 'live'; runId: number; live: Partial<LiveParams> }
  | { type: 'view'; runId: number; view: ViewRequest | null }
  | { type: 'field'; runId: number; reqId: number; view: ViewRequest }
  | { type: 'sample'; runId: number; reqId: number; request: SampleRequest }
  | { type: 'cancel-sample'; runId: number; reqId: number }
  | { type: 'get-weights'; runId: number; reqId: number }
  | { type: 'set-weights'; runId: number; reqId: number; weights: WeightsJSON }
  /** f(x, σ_l) at every point (n × d) for every σ_l (MULDE only): anomaly vectors, f across σ. */
  | { type: 'f-multi'; runId: number; reqId: number; points: Float32Array; sigmas: number[] }
  /** Heartbeat: the worker answers `pong` at once, even while its backend starts. */
  | { type: 'ping' }
  /** Continue a run from a snapshot the page kept (after the worker was restarted). */
  | { type: 'restore'; runId: number; weights: Float32Array; step: number };

export interface WeightsJSON {
  format: 'score-playground-weights';
  version: 1;
  method: Method;
  dim: 1 | 2;
  width: number;
  depth: number;
  activation: Activation;
  step: number;
  /** Each tensor: shape and values. */
  tensors: { shape: number[]; values: number[] }[];
}

export type ErrorCode = 'diverged' | 'backend' | 'bad-config' | 'bad-weights' | 'internal';

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo; notice?: string; measured?: MeasuredChoice }
  | { type: 'backend-changed'; backend: BackendInfo; reason: string }
  | { type: 'configured'; runId: number; params: number; dim: 1 | 2 }
  | {
      type: 'progress';
      runId: number;
      step: number;
      running: boolean;
      /** Losses of the steps since the previous frame. */
      losses: Float32Array;
      msPerStep: number;
      metrics: Metrics;
      /** Live tensors in the worker's tfjs engine (tf.memory().numTensors): flat while a run trains. */
      tensors: number;
      /** The learned field on the view grid (n × d), when a view is set. */
      field?: Float32Array;
      fieldSigma?: number;
      /** f(x, σ) on the view grid (MULDE), when asked. */
      f?: Float32Array;
    }
  | { type: 'stepped'; runId: number; reqId: number; step: number; loss: number }
  | { type: 'field'; runId: number; reqId: number; sigma: number; field: Float32Array; f?: Float32Array }
  | {
      type: 'particles';
      runId: number;
      reqId: number;
      /** Current positions n × d. */
      x: Float32Array;
      /** σ of the level being sampled (NaN when not annealed). */
      sigma: number;
      done: boolean;
      /** Trail frames × n × d, on the last frame when trails were asked. */
      trails?: Float32Array;
      /** σ of each trail frame. */
      trailSigmas?: Float32Array;
    }
  | { type: 'weights'; runId: number; reqId: number; weights: WeightsJSON }
  /** n × L values, row-major: row i is [f(x_i, σ_1), …, f(x_i, σ_L)], all from the weights at `step`. */
  | { type: 'f-multi'; runId: number; reqId: number; values: Float32Array; step: number }
  | { type: 'error'; runId?: number; reqId?: number; code: ErrorCode; message: string; hint?: string }
  | { type: 'pong' }
  /** The run's weights (the evaluated average) at `step`, every few seconds and when it stops: what a restarted worker resumes from. */
  | { type: 'snapshot'; runId: number; step: number; weights: Float32Array };

/** Transferable buffers of a message, so the sender can move (not copy) them. */
export function transferables(msg: ToWorker | FromWorker): Transferable[] {
  const out = new Set<ArrayBuffer>();
  const visit = (o: object, depth: number) => {
    for (const v of Object.values(o)) {
      if (v instanceof Float32Array) out.add(v.buffer as ArrayBuffer);
      else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 2) visit(v, depth + 1);
    }
  };
  visit(msg, 0);
  return [...out];
}
