/**
 * The MLP behind every method:
 *   h₀ = [x̂, c, sin(2ʲc), cos(2ʲc), 1],  x̂ = (x − center)/scale,  c = log σ,
 *   z_l = h_l W_l + b_l,  h_{l+1} = φ(z_l)  (l = 0 … L−1),   y = h_L W_L + b_L,
 * with y = s_θ(x,σ) ∈ R^d (score head) or y = f_θ(x,σ) ∈ R (energy head, MULDE).
 *
 * All parameters live in ONE flat tf.Variable θ: per-op dispatch, not arithmetic, sets a tfjs step's pace at these sizes,
 * and Adam over one variable is ~12 kernels where over 2(L+1) variables it is ~17 per variable.
 * The layers are cut out of θ by one `split` (its gradient is one `concat`); snapshots, rollback
 * and JSON export handle one array. The first layer's bias is folded into W₀ through the
 * constant-1 input column, which costs nothing because features are built on the JS side; later
 * biases ride in fused matMul+bias kernels (linalg.ts, with a backend-aware gradient).
 */
import * as tf from './tf';
import type { Rng } from '../core/rng';
import { activationOps, type ActivationOps } from './activations';
import { matmul, matmulConst } from './linalg';
import type { NetConfig } from './types';
import { flatWeights, type FlatWeights } from './flat-weights';

/** Shapes of the parameter pieces, in the order they sit in θ. */
export interface MlpLayout {
  /** Feature columns before the constant 1: d, plus 1 + 2k when conditional. */
  nIn: number;
  /** Columns of the feature matrix h₀ (nIn + 1). */
  nFeatures: number;
  /** Output size: d for the score head, 1 for the energy head. */
  nOut: number;
  /** One entry per piece of θ: a name (W0, W1, b1, …) and its shape. */
  pieces: { name: string; shape: number[] }[];
  /** Total parameter count = θ.length. */
  paramCount: number;
}

/** θ cut into layers (tensors created inside the caller's tidy/tape). */
export interface MlpParams {
  /** W_l, l = 0 … L; W₀ is nFeatures × width with b₀ as its last row. */
  w: tf.Tensor2D[];
  /** b_l for l = 1 … L (index l); b[0] is null because it is folded into W₀. */
  b: (tf.Tensor1D | null)[];
}

/** The tensors of one forward pass, kept for the derivative passes. */
export interface ForwardTrace {
  /** Pre-activations z_l, l = 0 … L−1, each rows × width. */
  z: tf.Tensor2D[];
  /** Hidden activations h_{l+1} = φ(z_l), l = 0 … L−1. */
  h: tf.Tensor2D[];
  /** Network output y, rows × nOut. */
  out: tf.Tensor2D;
}

export interface Mlp extends FlatWeights {
  readonly kind: 'mlp';
  readonly config: Readonly<NetConfig>;
  readonly layout: MlpLayout;
  readonly act: ActivationOps;
  /** All weights, flat, in `layout.pieces` order. */
  readonly theta: tf.Variable<tf.Rank.R1>;
  readonly paramCount: number;
  /** Feature matrix h₀ (rows × nFeatures) for points x (rows × d) at σ (one or per row). */
  features(x: ArrayLike<number>, sigma: number | ArrayLike<number>): Float32Array;
  /** Cut θ (or another flat vector of the same layout, e.g. an average of θ) into per-layer tensors. */
  params(flat?: tf.Tensor1D): MlpParams;
}

function fail(message: string): never {
  throw new Error(`invalid network: ${message}`);
}

function checkConfig(c: NetConfig): void {
  if (c.dim !== 1 && c.dim !== 2) fail(`dim ${String(c.dim)}; only 1 or 2`);
  if (c.head !== 'score' && c.head !== 'energy') fail(`head ${String(c.head)}`);
  if (!Number.isInteger(c.width) || c.width < 1) fail(`width ${c.width}`);
  if (!Number.isInteger(c.depth) || c.depth < 1) fail(`depth ${c.depth}; needs at least one hidden layer`);
  if (!Number.isInteger(c.frequencies) || c.frequencies < 0) fail(`frequencies ${c.frequencies}`);
  if (c.frequencies > 0 && !c.conditional) fail('a sinusoidal embedding of log σ needs a conditional net');
  if (c.center.length !== c.dim || c.scale.length !== c.dim) fail('center and scale need one entry per dimension');
  if (c.center.some((v) => !Number.isFinite(v)) || c.scale.some((v) => !(v > 0) || !Number.isFinite(v))) fail('center must be finite and scale positive');
}

/** Parameter layout for a configuration. */
export function mlpLayout(c: NetConfig): MlpLayout {
  const nIn = c.dim + (c.conditional ? 1 + 2 * c.frequencies : 0);
  const nOut = c.head === 'score' ? c.dim : 1;
  const pieces = [{ name: 'W0', shape: [nIn + 1, c.width] }];
  for (let l = 1; l <= c.depth; l++) {
    const cols = l === c.depth ? nOut : c.width;
    pieces.push({ name: `W${l}`, shape: [c.width, cols] }, { name: `b${l}`, shape: [cols] });
  }
  const paramCount = pieces.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  return { nIn, nFeatures: nIn + 1, nOut, pieces, paramCount };
}

/**
 * Initial θ from the core rng (not tf.randomNormal), so a seed gives the same start on every
 * backend: W ~ N(0, 1/fan_in) (LeCun normal, keeps unit-scale pre-activations for these smooth
 * activations); biases U(−1/√fan_in, 1/√fan_in) as PyTorch does, so the first layer's units
 * bend at different places instead of all at x̂ = 0.
 */
export function initialWeights(c: NetConfig, rng: Rng): Float32Array {
  const layout = mlpLayout(c);
  const theta = new Float32Array(layout.paramCount);
  let o = 0;
  for (const [i, p] of layout.pieces.entries()) {
    if (i === 0) {
      const [rows, cols] = p.shape;
      const fanIn = layout.nIn;
      for (let k = 0; k < (rows - 1) * cols; k++) theta[o++] = rng.normal() / Math.sqrt(fanIn);
      for (let k = 0; k < cols; k++) theta[o++] = (2 * rng.uniform() - 1) / Math.sqrt(fanIn);
    } else if (p.shape.length === 2) {
      const size = p.shape[0] * p.shape[1];
      for (let k = 0; k < size; k++) theta[o++] = rng.normal() / Math.sqrt(p.shape[0]);
    } else {
      for (let k = 0; k < p.shape[0]; k++) theta[o++] = (2 * rng.uniform() - 1) / Math.sqrt(c.width);
    }
  }
  return theta;
}

/**
 * Feature rows [x̂, c, sin(2ʲc), cos(2ʲc) (j < k), 1] for n = x.length/d points.
 * Unconditional nets get [x̂, 1] and ignore σ.
 */
export function buildFeatures(c: NetConfig, x: ArrayLike<number>, sigma: number | ArrayLike<number>): Float32Array {
  const d = c.dim;
  if (x.length % d !== 0) throw new Error(`invalid points: length ${x.length} is not a multiple of d=${d}`);
  const n = x.length / d;
  const nF = mlpLayout(c).nFeatures;
  const out = new Float32Array(n * nF);
  const perRow = typeof sigma !== 'number';
  if (perRow && sigma.length !== n) throw new Error(`invalid sigma: ${sigma.length} values for ${n} points`);
  for (let i = 0; i < n; i++) {
    const r = i * nF;
    for (let j = 0; j < d; j++) out[r + j] = (x[i * d + j] - c.center[j]) / c.scale[j];
    let col = d;
    if (c.conditional) {
      const s = perRow ? sigma[i] : sigma;
      if (!(s > 0)) throw new Error(`invalid sigma: ${s}; σ must be positive`);
      const lc = Math.log(s);
      out[r + col++] = lc;
      for (let k = 0; k < c.frequencies; k++) {
        const w = 2 ** k * lc;
        out[r + col++] = Math.sin(w);
        out[r + col++] = Math.cos(w);
      }
    }
    out[r + col] = 1;
  }
  return out;
}

/** Create a network with weights drawn from `rng`. */
export function createMlp(config: NetConfig, rng: Rng): Mlp {
  checkConfig(config);
  const cfg: NetConfig = { ...config, center: [...config.center], scale: [...config.scale] };
  const layout = mlpLayout(cfg);
  const act = activationOps(cfg.activation);
  const init = initialWeights(cfg, rng);
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(init), true, undefined, 'float32')) as tf.Variable<tf.Rank.R1>;
  const sizes = layout.pieces.map((p) => p.shape.reduce((a, b) => a * b, 1));

  return {
    kind: 'mlp',
    config: cfg,
    layout,
    act,
    theta,
    paramCount: layout.paramCount,
    features: (x, sigma) => buildFeatures(cfg, x, sigma),
    params(flat: tf.Tensor1D = theta) {
      const parts = tf.split(flat, sizes);
      const w: tf.Tensor2D[] = [tf.reshape(parts[0], layout.pieces[0].shape as [number, number]) as tf.Tensor2D];
      const b: (tf.Tensor1D | null)[] = [null];
      for (let l = 1; l <= cfg.depth; l++) {
        w.push(tf.reshape(parts[2 * l - 1], layout.pieces[2 * l - 1].shape as [number, number]) as tf.Tensor2D);
        b.push(parts[2 * l] as tf.Tensor1D);
      }
      return { w, b };
    },
    ...flatWeights(theta, layout.paramCount),
  };
}

/**
 * Forward pass through the layers: z₀ = h₀W₀ (bias folded), z_l = h_l W_l + b_l (fused),
 * h_{l+1} = φ(z_l), y = h_L W_L + b_L.
 */
export function forward(p: MlpParams, act: ActivationOps, h0: tf.Tensor2D): ForwardTrace {
  const z: tf.Tensor2D[] = [];
  const h: tf.Tensor2D[] = [];
  const L = p.w.length - 1;
  let cur = h0;
  for (let l = 0; l < L; l++) {
    const zl = l === 0 ? matmulConst(cur, p.w[0]) : matmul(cur, p.w[l], p.b[l]);
    z.push(zl);
    cur = act.apply(zl) as tf.Tensor2D;
    h.push(cur);
  }
  return { z, h, out: matmul(cur, p.w[L], p.b[L]) };
}
