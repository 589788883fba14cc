/**
 * Messages between the page and its compute worker (compute.worker.ts): the numeric work a view
 * needs that no network is involved in. Both sides `switch` exhaustively on `type`; every request
 * carries an `id` that its answer echoes, so the page can drop answers to requests it has since
 * replaced. Large arrays travel as transferred buffers.
 */
import type { DsmNoise } from '../core/dsm-noise';
import type { ExactView } from '../core/exact-view';
import type { MixtureSpec } from '../core/mixture';
import type { AlignedLogDensity, LevelsView } from '../core/mulde-align';
import type { AnomalyInput, AnomalyOutput } from '../core/mulde-pipeline';
import type { SampleRequest } from './protocol';
import type { TraceCostOptions, TraceCostRow } from './trace-cost';

/**
 * One sampler run, in the widget's sampling vocabulary (so the same object drives the exact score
 * here and a widget's learned one): Langevin runs levels × stepsPerLevel steps of size ε at σ_min;
 * annealed Langevin stepsPerLevel steps per level, α_i = ε σ_i²/σ_min²; the reverse SDE and the
 * probability-flow ODE levels × stepsPerLevel reverse steps; predictor–corrector `levels`
 * predictor steps, each after stepsPerLevel corrector steps at signal-to-noise ratio `snr`.
 */
export type SamplerRun = Pick<SampleRequest, 'sampler' | 'sigmaMin' | 'sigmaMax' | 'levels' | 'stepsPerLevel' | 'eps' | 'snr'>;

/** A request; `lane` names a consumer whose older queued requests the worker may skip. */
export type ComputeRequest = ComputeJob & { lane?: number };

type ComputeJob =
  /** Density (1D) or log-density heat and score quiver (2D) of q_σ over a view box. */
  | { type: 'exact-view'; id: number; spec: MixtureSpec; view: number[]; sigma: number; heatSide: number; quiverSide: number }
  /**
   * Energy distance of samples to `nTruth` fresh draws of the mixture (seeded), and their shares per
   * mode; a sample further than `maxMahalanobis` (default 4) from its likeliest mode counts in none.
   */
  | { type: 'sample-numbers'; id: number; spec: MixtureSpec; x: Float32Array; seed: number; nTruth: number; maxMahalanobis?: number }
  /**
   * A sampler driven by the exact score of q_σ from the starts `x0` (n × d), its noise from `seed`;
   * positions recorded every `trailEvery` updates (0: none).
   */
  | { type: 'exact-sample'; id: number; spec: MixtureSpec; run: SamplerRun; x0: Float32Array; seed: number; trailEvery: number }
  /** The DSM loss and gradient noise at each σ_i from n draws, the i-th with its own seed. */
  | { type: 'dsm-noise'; id: number; spec: MixtureSpec; sigmas: number[]; n: number; seeds: number[] }
  /** Vincent's autoencoder score model trained by DSM at σ on n points of a 1D mixture, read on nx points over `range`. */
  | { type: 'autoencoder-fit'; id: number; spec: MixtureSpec; n: number; sigma: number; hidden: number; steps: number; range: number[]; nx: number }
  /** MULDE's anomaly analysis (GMM on the multiscale vectors, map, evaluation, picks). */
  | { type: 'anomaly'; id: number; input: AnomalyInput }
  /** Time per loss evaluation of exact and sliced SM on plain MLPs of each input dimension. */
  | ({ type: 'trace-cost'; id: number } & TraceCostOptions)
  /**
   * MULDE's views: −f(·, σ) on the grid `points` aligned to log q_σ (shown `depth` nats deep), and
   * f on the training `data` at each of `sigmas` (fData, n × L) beside the exact −log q_σ.
   */
  | {
      type: 'mulde-views';
      id: number;
      spec: MixtureSpec;
      points: Float32Array;
      sigma: number;
      f: Float32Array | null;
      depth: number;
      data: Float32Array;
      sigmas: number[];
      fData: Float32Array | null;
    };

export interface SampleNumbers {
  energy: number;
  shares: number[];
  /** Share of samples in no mode. */
  none: number;
  /** The energy distance two true samples of the compared sizes have: the reference to read `energy` against. */
  floor?: number;
}

/** A finished sampler run: final positions (n × d) and the recorded frames (frames × n × d, frame 0 the start). */
export interface SampledRun {
  x: Float32Array;
  trails: Float32Array | null;
  frames: number;
}

/** Vincent's model after training: its score on the grid, TV of its own density to q_σ, its final mean loss. */
export interface AutoencoderFit {
  score: Float64Array;
  tv: number;
  loss: number;
}

export type ComputeResponse =
  | { type: 'exact-view'; id: number; view: ExactView }
  | { type: 'sample-numbers'; id: number; numbers: SampleNumbers }
  | { type: 'exact-sample'; id: number; result: SampledRun }
  | { type: 'dsm-noise'; id: number; noise: DsmNoise[] }
  | { type: 'autoencoder-fit'; id: number; fit: AutoencoderFit }
  | { type: 'anomaly'; id: number; output: AnomalyOutput }
  | { type: 'trace-cost'; id: number; rows: TraceCostRow[] }
  | { type: 'mulde-views'; id: number; aligned: AlignedLogDensity; levels: LevelsView }
  | { type: 'error'; id: number; message: string };

/** The answer type that goes with a request type. */
export type ComputeAnswer<T extends ComputeRequest['type']> = Extract<ComputeResponse, { type: T }>;

/** Every ArrayBuffer under a message (typed arrays at any depth), to transfer rather than copy. */
export function transferablesOf(msg: unknown): Transferable[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
    else if (v && typeof v === 'object' && depth < 6) for (const u of Object.values(v)) visit(u, depth + 1);
  };
  visit(msg, 0);
  return [...out];
}
