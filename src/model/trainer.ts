/**
 * A trainer: one network, one objective, Adam, a JS-side batch stream, and a divergence guard.
 *
 * Randomness: createRng(seed) → fork() for the initial weights, then fork() for the batches
 * (indices, σ, z, v), in that order. Nothing else draws from these streams.
 *
 * No dataSync anywhere: `trainStep` returns the loss tensor, `trainBurst` reads all of a burst's
 * losses (plus two health numbers) back with one `await data()`.
 */
import * as tf from './tf';
import { createRng } from '../core/rng';
import { createAdam, type Adam } from './adam';
import { drawBatch } from './batch';
import { inputGradient, slopes } from './derivatives';
import { lossAndGradient } from './gradients';
import { forward, type Mlp, type MlpParams } from './mlp';
import { autoencoderLossAndGradient, autoencoderNegEnergy } from './autoencoder';
import { createScoreNet, outputAt, type ScoreNet } from './score-net';
import { noisyPoints, objectives } from './objectives';
import { methodTraits, type Batch, type BurstResult, type Method, type NetConfig, type LiveSettings, type TrainerConfig } from './types';
import { installWasmKernelFixes } from './wasm-kernels';

/** Defaults for everything but method, data and dim; the activation is the method's own (methodTraits: GELU for MULDE, SiLU otherwise). */
export const defaultTrainerConfig: Omit<TrainerConfig, 'method' | 'data' | 'dim' | 'activation'> = {
  learningRate: 2e-3,
  batchSize: 256,
  sigma: 0.3,
  sigmaMin: 0.05,
  sigmaMax: 5,
  beta: 0.1,
  varianceReduced: false,
  projection: 'rademacher',
  projections: 1,
  maxLoss: 1e6,
  maxOutput: 1e6,
  width: 128,
  depth: 3,
  frequencies: 0,
  normalizeInputs: true,
  seed: 1,
};

export type TrainerInit = Pick<TrainerConfig, 'method' | 'data' | 'dim'> & Partial<TrainerConfig>;

export interface Trainer {
  readonly method: Method;
  readonly net: ScoreNet;
  readonly settings: Readonly<Required<LiveSettings>>;
  /** Optimiser steps taken (rolled-back bursts do not count). */
  readonly step: number;
  /** Change settings that need no new network (throws `invalid …` on a bad value). */
  setLive(patch: Partial<LiveSettings>): void;
  /** The next batch from the trainer's stream. */
  nextBatch(): Batch;
  /** One Adam step on `batch` (default: the next batch); returns the loss (caller disposes). */
  trainStep(batch?: Batch): tf.Scalar;
  /**
   * n steps, one read-back; rolls back and reports `diverged` on a NaN/Inf/huge loss or output.
   * `onBatch` sees each step's batch, in order (e.g. to compute the loss floor on the same rows).
   */
  trainBurst(steps: number, onBatch?: (batch: Batch) => void): Promise<BurstResult>;
  /** s_θ(x, σ) at points (n × d), or −∇ₓf for MULDE. Returns a fresh n × d array. */
  scoreOn(points: Float32Array, sigma: number | Float32Array): Promise<Float32Array>;
  /** The model's own unnormalised log-density −E(x) at points (the autoencoder), or null for a model that has none. */
  logDensityOn(points: Float32Array): Promise<Float32Array | null>;
  /** f_θ(x, σ) at points (MULDE only). Returns n values. */
  fOn(points: Float32Array, sigma: number | Float32Array): Promise<Float32Array>;
  /** The weights that are evaluated: the average θ̄ when averaging is on, else θ. */
  getWeights(): Promise<Float32Array>;
  /** Load weights into θ and θ̄ (and reset the optimiser moments). */
  setWeights(w: Float32Array): void;
  dispose(): void;
}

function checkSettings(s: Required<LiveSettings>): void {
  const bad = (what: string): never => {
    throw new Error(`invalid ${what}`);
  };
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate)) bad(`learning rate: ${s.learningRate}`);
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) bad(`batch size: ${s.batchSize}`);
  if (!(s.sigma > 0) || !Number.isFinite(s.sigma)) bad(`sigma: ${s.sigma}`);
  if (!(s.sigmaMin > 0) || !(s.sigmaMax >= s.sigmaMin) || !Number.isFinite(s.sigmaMax)) bad(`noise range: [${s.sigmaMin}, ${s.sigmaMax}]`);
  if (!(s.beta >= 0) || !Number.isFinite(s.beta)) bad(`beta: ${s.beta}`);
  if (s.projection !== 'gaussian' && s.projection !== 'rademacher') bad(`projection: ${String(s.projection)}`);
  if (!Number.isInteger(s.projections) || s.projections < 1) bad(`projections: ${s.projections}`);
  if (!(s.maxLoss > 0) || !(s.maxOutput > 0)) bad('divergence limits');
  if (!Number.isInteger(s.maxSteps) || s.maxSteps < 0) bad(`step limit: ${s.maxSteps}`);
}

function checkData(data: Float32Array, dim: number): void {
  if (!(data instanceof Float32Array) || data.length < dim || data.length % dim !== 0)
    throw new Error(`invalid data: expected a Float32Array of N × ${dim} values`);
  if (!data.every(Number.isFinite)) throw new Error('invalid data: non-finite value');
}

/** Per-dimension mean and standard deviation (1 where the spread is degenerate). */
function standardisation(data: Float32Array, dim: number): { center: number[]; scale: number[] } {
  const n = data.length / dim;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * dim + j];
    const mean = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (data[i * dim + j] - mean) ** 2;
    const sd = Math.sqrt(q / n);
    center.push(mean);
    scale.push(sd > 1e-6 ? sd : 1);
  }
  return { center, scale };
}

/** The settings a trainer may change between steps, taken from its full config (throws `invalid …`). */
function settingsOf(cfg: TrainerConfig): Required<LiveSettings> {
  const { learningRate, batchSize, sigma, sigmaMin, sigmaMax, beta, projection } = cfg;
  const settings = {
    learningRate,
    batchSize,
    sigma,
    sigmaMin,
    sigmaMax,
    beta,
    projection,
    maxSteps: cfg.maxSteps ?? 0,
    varianceReduced: cfg.varianceReduced ?? false,
    projections: cfg.projections ?? 1,
    maxLoss: cfg.maxLoss ?? 1e6,
    maxOutput: cfg.maxOutput ?? 1e6,
  };
  checkSettings(settings);
  return settings;
}

/** The network a method trains: a score head, or MULDE's energy head; σ as an input for the noise-conditional methods. */
function netConfigOf(cfg: TrainerConfig, data: Float32Array): NetConfig {
  const { method, dim } = cfg;
  const norm = cfg.normalizeInputs ? standardisation(data, dim) : { center: new Array<number>(dim).fill(0), scale: new Array<number>(dim).fill(1) };
  return {
    dim,
    head: methodTraits[method].head,
    width: cfg.width,
    depth: cfg.depth,
    activation: cfg.activation,
    conditional: cfg.conditional ?? methodTraits[method].conditional,
    frequencies: cfg.frequencies,
    ...norm,
  };
}

/** A tensor's values as a fresh array; disposes the tensor. */
async function read(t: tf.Tensor): Promise<Float32Array> {
  try {
    // data() may return the backend's own array on cpu/webgpu: copy before handing it out.
    return (await t.data<'float32'>()).slice();
  } finally {
    t.dispose();
  }
}

/** What a guarded burst works on. */
interface BurstParts {
  method: Method;
  dim: 1 | 2;
  net: ScoreNet;
  adam: Adam;
  settings: Required<LiveSettings>;
  nextBatch(): Batch;
  trainStep(batch: Batch): tf.Scalar;
  disposed(): boolean;
}

/**
 * n steps with one read-back. Health numbers ride along with the losses: max |net output| on the
 * last batch's inputs, and Σθ (non-finite iff some weight is). A bad burst is rolled back.
 */
async function guardedBurst(p: BurstParts, steps: number, onBatch?: (batch: Batch) => void): Promise<BurstResult> {
  const { adam, net, settings } = p;
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`invalid steps: ${steps}`);
  if (steps === 0) return { status: 'ok', losses: new Float32Array(0), step: adam.step };
  const losses: tf.Scalar[] = [];
  let last = p.nextBatch();
  for (let i = 0; i < steps; i++) {
    if (i > 0) last = p.nextBatch();
    onBatch?.(last);
    losses.push(p.trainStep(last));
  }
  const probe = methodTraits[p.method].noise === 'clean' ? last.x : noisyPoints(last, p.dim);
  const packed = tf.tidy(() => tf.concat([tf.stack(losses), tf.stack([tf.max(tf.abs(outputAt(net, net.theta, probe, last.sigma))), tf.sum(net.theta)])]));
  tf.dispose(losses);
  const vals = await read(packed);
  if (p.disposed()) return { status: 'ok', losses: vals.subarray(0, steps), step: adam.step };
  const lossVals = vals.slice(0, steps);
  const [outMax, thetaSum] = [vals[steps], vals[steps + 1]];
  let reason: string | undefined;
  const bad = lossVals.findIndex((l) => !Number.isFinite(l) || Math.abs(l) > settings.maxLoss);
  if (bad >= 0) reason = `loss ${lossVals[bad]} at step ${adam.step - steps + bad + 1}`;
  else if (!(outMax <= settings.maxOutput)) reason = `network output exploded (max |output| ${outMax})`;
  else if (!Number.isFinite(thetaSum)) reason = 'weights are not finite';
  if (reason) {
    adam.restore();
    return { status: 'diverged', losses: lossVals, step: adam.step, reason };
  }
  adam.checkpoint();
  return { status: 'ok', losses: lossVals, step: adam.step };
}

/** MULDE's score −∇ₓf(x, σ): the forward-mode input gradient, over the fixed input scale. Call inside a tidy. */
function energyScore(net: Mlp, p: MlpParams, points: Float32Array, sigma: number | Float32Array): tf.Tensor {
  const nF = net.layout.nFeatures;
  const f = net.features(points, sigma);
  const trace = forward(p, net.act, tf.tensor2d(f, [f.length / nF, nF]));
  const negInvScale = tf.tensor2d(
    net.config.scale.map((s) => -1 / s),
    [1, net.config.dim],
  );
  return tf.mul(inputGradient(p, slopes(net.act, trace), net.config.dim), negInvScale);
}

export function createTrainer(init: TrainerInit): Trainer {
  installWasmKernelFixes();
  const cfg: TrainerConfig = { ...defaultTrainerConfig, activation: methodTraits[init.method]?.activation ?? 'silu', ...init };
  const { method, dim } = cfg;
  if (!(method in objectives)) throw new Error(`invalid method: ${String(method)}`);
  checkData(cfg.data, dim);
  const settings = settingsOf(cfg);
  const data = cfg.data.slice();
  const netConfig = netConfigOf(cfg, data);
  const root = createRng(cfg.seed);
  const model = cfg.model ?? 'mlp';
  if (model === 'autoencoder' && method !== 'dsm') throw new Error(`invalid model: the autoencoder is trained by DSM only, not ${method}`);
  const net = createScoreNet(model, netConfig, data, settings.sigma, root.fork());
  const batchRng = root.fork();
  const averageDecay = cfg.averageDecay ?? 0.99;
  if (!(averageDecay >= 0 && averageDecay < 1)) throw new Error(`invalid averageDecay: ${averageDecay}`);
  const adam = createAdam(net.theta, { learningRate: settings.learningRate, averageDecay });
  /** The weights every read-out uses (θ̄); training and the health probe use θ. */
  const evalTheta = () => adam.average as tf.Variable<tf.Rank.R1>;
  let disposed = false;

  const nextBatch = (): Batch => drawBatch(method, data, dim, settings, batchRng);
  // Every gradient is backpropagated by hand (gradients.ts): no tape, a fraction of its kernels.
  const lossAndGrad = lossAndGradient[method];
  const trainStep = (batch: Batch = nextBatch()): tf.Scalar =>
    tf.tidy(() => {
      const { loss, grad } = net.kind === 'autoencoder' ? autoencoderLossAndGradient(net, batch) : lossAndGrad(net, batch, settings);
      adam.apply(grad);
      return loss;
    });
  const burst: BurstParts = { method, dim, net, adam, settings, nextBatch, trainStep, disposed: () => disposed };

  return {
    method,
    net,
    settings,
    get step() {
      return adam.step;
    },
    setLive(patch) {
      const next = { ...settings, ...patch };
      checkSettings(next);
      Object.assign(settings, next);
      adam.learningRate = settings.learningRate;
      if (net.kind === 'autoencoder') net.sigma = settings.sigma;
    },
    nextBatch,
    trainStep,
    trainBurst: (steps, onBatch) => guardedBurst(burst, steps, onBatch),
    scoreOn(points, sigma) {
      if (points.length === 0) return Promise.resolve(new Float32Array(0));
      if (net.kind === 'autoencoder' || netConfig.head === 'score') return read(tf.tidy(() => outputAt(net, evalTheta(), points, sigma)));
      return read(tf.tidy(() => energyScore(net, net.params(evalTheta()), points, sigma)));
    },
    logDensityOn(points) {
      if (net.kind !== 'autoencoder') return Promise.resolve(null);
      const d = net.config.dim;
      return read(tf.tidy(() => autoencoderNegEnergy(net.params(evalTheta()), tf.tensor2d(points, [points.length / d, d]), net.sigma)));
    },
    fOn(points, sigma) {
      if (netConfig.head !== 'energy') throw new Error('invalid call: fOn needs the MULDE (energy) network');
      if (points.length === 0) return Promise.resolve(new Float32Array(0));
      return read(tf.tidy(() => outputAt(net, evalTheta(), points, sigma)));
    },
    getWeights: async () => (await adam.average.data<'float32'>()).slice(),
    setWeights(w) {
      net.setWeights(w);
      adam.reset();
      adam.checkpoint();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      adam.dispose();
      net.dispose();
    },
  };
}
