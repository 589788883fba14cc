/**
 * Messages between the page and the training worker. Both sides `switch` exhaustively on
 * `type`. Every message about a run carries its `runId`: after a reset or a config change the
 * page bumps the id and drops any frame that still carries the old one.
 * Large arrays travel as transferred Float32Array buffers.
 */
import type { MixtureSpec } from '../core/mixture';
import type { Activation, LiveSettings, Method, Projection, ScoreModel } from '../model/types';
import type { SamplerName } from '../core/methods';

// The model's vocabulary, re-exported so the page needs no import from src/model.
export { METHODS } from '../model/types';
export type { Activation, LiveSettings, Method, Projection, SamplerName, ScoreModel };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export type BackendChoice = BackendName | 'auto';

/** Everything that defines a training run; changing any of it but `live` starts a new run. */
export interface RunConfig {
  method: Method;
  dataset: MixtureSpec;
  /** Number of training points drawn from the dataset. */
  nData: number;
  /** Optional explicit training points (n × d), e.g. painted by the user; overrides sampling. */
  points?: Float32Array;
  /** The points were painted, not drawn from `dataset`: no exact density stands behind them (no loss floor). */
  painted?: boolean;
  seed: number;
  width: number;
  depth: number;
  activation: Activation;
  /** The MLP (default), or Vincent's tied-weight autoencoder with `width` hidden units (DSM only). */
  model?: ScoreModel;
  /** Noise-conditional nets (NCSN, MULDE): k sin/cos pairs sin(2ʲ log σ), cos(2ʲ log σ), j < k, beside log σ (default 0). */
  frequencies?: number;
  /** Applied to the running run by a `live` message, without restarting it (the net keeps training). */
  live: LiveSettings;
}

/** Points (n × d) and the σ to evaluate the learned field at. */
export interface FieldQuery {
  points: Float32Array;
  sigma: number;
}

/** The grid (and σ) the page wants the learned field on with every frame. */
export interface FieldRequest extends FieldQuery {
  /** Tags the fields computed for this request, so the page never draws one on another grid or σ. */
  fieldId: number;
  /** Numbers to compute from every read-out of the field, so the page only draws them. */
  readouts?: ReadoutRequest;
}

/** The grid behind a view's points (core/grid gridForView(view, side)), and what to derive on it. */
export interface ReadoutRequest {
  /** View box [xmin, xmax] or [xmin, xmax, ymin, ymax]. */
  view: number[];
  /** Points per side (2D) or in all (1D). */
  side: number;
  /** Also recover the density the field implies (core/density) and its TV to q_σ. */
  density?: boolean;
}

/** What the worker derives from one read-out of the field on the view grid. */
export interface Readouts {
  /** σ of the exact reference q_σ (the method's target: 0 for SM, the DSM σ, else the view σ). */
  sigma: number;
  /** Exact score ∇log q_σ at the grid points (n × d). */
  exact: Float32Array;
  /** ‖s_θ − ∇log q_σ‖² per grid point. */
  error: Float32Array;
  /** q_σ at the grid points (with `density`). */
  truth?: Float32Array;
  /** Density recovered from the field, normalised on the grid, and its log (with `density`). */
  density?: Float32Array;
  logDensity?: Float32Array;
  /** Share of the field that no potential explains (2D; with `density`). */
  residual?: number;
  /** `energy`: the density is the model's own exp(−E) (the autoencoder), not integrated from the field. */
  densityFrom?: 'field' | 'energy';
}

export interface SampleRequest {
  sampler: SamplerName;
  /** Number of particles n. */
  particles: number;
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
}

export interface Metrics {
  /** Density-weighted relative Fisher divergence to the exact score at the view σ. */
  fisher?: number;
  /** Total variation between the recovered density and q_σ on the view grid (when asked). */
  tv?: number;
}

/** What the page should hear about the backend, as data; the page words it. */
export type BackendNotice =
  /** The backend asked for did not start (`failures`: why each one tried failed). */
  | { code: 'backend-unavailable'; wanted: BackendName; using: BackendName; failures: string[] }
  /** WebGPU exists only as a software emulation here, so another backend was chosen. */
  | { code: 'software-webgpu'; adapter: string; using: BackendName }
  /** The WebGPU device was lost mid-run; the run moved to `using` from its last snapshot. */
  | { code: 'device-lost'; detail: string; using: BackendName };

export interface BackendInfo {
  name: BackendName;
  /** WebGPU adapter or WebGL renderer description, when there is one. */
  adapter?: string;
  /** True when the adapter is a software emulation (SwiftShader and the like). */
  software?: boolean;
  /** wasm: whether its matrix products run the relaxed-SIMD kernel (model/wasm-gemm.ts) or the stock one. */
  products?: 'relaxed-simd' | 'stock';
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
  /** `wasm`: binary name → URL, as the page's module resolved them (they must load from next to it). */
  | { type: 'init'; backend: BackendChoice; remembered?: MeasuredChoice; wasm?: Record<string, string> }
  | { type: 'configure'; runId: number; config: RunConfig }
  /** The run is over (its widget reconfigured or left the page): its run and tensors go. */
  | { type: 'close'; runId: number }
  | { type: 'start'; runId: number }
  | { type: 'pause'; runId: number }
  | { type: 'step'; runId: number; reqId: number; n: number }
  | { type: 'live'; runId: number; live: Partial<LiveSettings> }
  | { type: 'field-request'; runId: number; request: FieldRequest | null }
  | { type: 'field'; runId: number; reqId: number; query: FieldQuery }
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
  /** The score model (absent in files from before the autoencoder: the MLP). */
  model?: ScoreModel;
  /** σ embedding pairs of a noise-conditional net (absent: 0). */
  frequencies?: number;
  step: number;
  /** Each tensor: shape and values. */
  tensors: { shape: number[]; values: number[] }[];
}

/**
 * What went wrong. `no-run`: a request named a run this worker does not have (it answers
 * instead of leaving the request hanging).
 */
export type ErrorCode = 'diverged' | 'backend' | 'bad-config' | 'bad-weights' | 'no-run' | 'worker-lost' | 'internal';

/** An error that knows its code (thrown inside the worker, posted as an `error` message). */
export class Fault extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Why the page replaced a training worker. */
export type WorkerLoss = { cause: 'crashed'; detail: string } | { cause: 'unresponsive'; seconds: number };

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo; notice?: BackendNotice; measured?: MeasuredChoice }
  | { type: 'backend-changed'; backend: BackendInfo; notice: BackendNotice }
  | { type: 'configured'; runId: number; params: number; dim: 1 | 2 }
  | {
      type: 'progress';
      runId: number;
      step: number;
      running: boolean;
      /** Losses of the steps since the previous frame. */
      losses: Float32Array;
      /**
       * The loss floor of each of those steps: the loss the exact score of q_σ has on the same
       * batch (core/loss-floor). Absent when the data were painted (their density is unknown).
       */
      floors?: Float32Array;
      msPerStep: number;
      metrics: Metrics;
      /** Live tensors in the worker's tfjs engine (tf.memory().numTensors): flat while a run trains. */
      tensors: number;
      /** The learned field on the view grid (n × d), when a view is set, and the request it answers. */
      field?: Float32Array;
      fieldSigma?: number;
      fieldId?: number;
      /** Derived from the field, when the view asks. */
      readouts?: Readouts;
    }
  | { type: 'stepped'; runId: number; reqId: number; step: number; loss: number }
  | { type: 'field'; runId: number; reqId: number; sigma: number; field: Float32Array }
  | {
      type: 'particles';
      runId: number;
      reqId: number;
      /** Current positions n × d. */
      x: Float32Array;
      /** σ of the level being sampled (NaN when not annealed). */
      sigma: number;
      done: boolean;
      /** On the last frame: the sampler was stopped by the page, `x` is where it stopped (no trails). */
      cancelled?: boolean;
      /** Trail frames × n × d, on the last frame when trails were asked. */
      trails?: Float32Array;
      /** σ of each trail frame. */
      trailSigmas?: Float32Array;
    }
  | { type: 'weights'; runId: number; reqId: number; weights: WeightsJSON }
  /** n × L values, row-major: row i is [f(x_i, σ_1), …, f(x_i, σ_L)], all from the weights at `step`. */
  | { type: 'f-multi'; runId: number; reqId: number; values: Float32Array; step: number }
  | {
      type: 'error';
      runId?: number;
      reqId?: number;
      code: ErrorCode;
      /** The fault in words, for codes without fields of their own. */
      message: string;
      hint?: string;
      /** `diverged`: where the run stopped and what tripped the guard. */
      diverged?: { step: number; reason: string };
      /** `worker-lost` (raised by the page's client): restarts within a minute, and the last loss. */
      lost?: { restarts: number; last: WorkerLoss };
    }
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
