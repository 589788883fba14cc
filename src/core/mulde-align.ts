/**
 * Comparing MULDE's scalar output with the exact log-density. The matching term only sees ∇f, so
 * f(·,σ) ≈ −log q_σ + c(σ) with a free constant per σ (β pins it to make f small on the data);
 * these helpers fit that constant, measure what is left, and summarise f on the data per level.
 */

/**
 * The constant c minimising Σ w_i (a_i + c − b_i)²: c = Σ w (b − a) / Σ w, over the entries where
 * a, b and w are finite (w ≥ 0). NaN when no weight is left.
 */
export function alignConstant(a: ArrayLike<number>, b: ArrayLike<number>, w: ArrayLike<number>): number {
  if (a.length !== b.length || a.length !== w.length) throw new Error(`invalid alignment: lengths ${a.length}, ${b.length}, ${w.length}`);
  let sw = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(w[i] > 0) || !Number.isFinite(w[i]) || !Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
    sw += w[i];
    s += w[i] * (b[i] - a[i]);
  }
  return sw > 0 ? s / sw : NaN;
}

/** √(Σ w (a + c − b)² / Σ w): the weighted RMS gap after the shift c (same entries as alignConstant). */
export function weightedRms(a: ArrayLike<number>, b: ArrayLike<number>, w: ArrayLike<number>, c: number): number {
  let sw = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(w[i] > 0) || !Number.isFinite(w[i]) || !Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
    sw += w[i];
    s += w[i] * (a[i] + c - b[i]) ** 2;
  }
  return sw > 0 ? Math.sqrt(s / sw) : NaN;
}

/**
 * Weights ∝ exp(b − max b) for log-densities b: the alignment then counts where q_σ has mass, not
 * the far tails, where log q_σ runs to −∞ quadratically and no network follows it.
 */
export function densityWeights(logDensity: ArrayLike<number>): Float64Array {
  let hi = -Infinity;
  for (let i = 0; i < logDensity.length; i++) if (logDensity[i] > hi) hi = logDensity[i];
  return Float64Array.from(logDensity, (v) => (Number.isFinite(v) ? Math.exp(v - hi) : 0));
}

/** −f + c, the recovered log-density, as float64. */
export function recoveredLogDensity(f: ArrayLike<number>, c: number): Float64Array {
  return Float64Array.from(f, (v) => c - v);
}

/** A display range for log-densities: [max − depth, max] over the finite values of all arrays. */
export function logDensityDomain(depth: number, ...arrays: ArrayLike<number>[]): [number, number] {
  let hi = -Infinity;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && a[i] > hi) hi = a[i];
  return Number.isFinite(hi) ? [hi - depth, hi] : [0, 1];
}

/** Values below `floor` become NaN (a 1D curve then stops instead of plunging off the chart). */
export function cutBelow(v: ArrayLike<number>, floor: number): Float64Array {
  return Float64Array.from(v, (x) => (x >= floor ? x : NaN));
}

export interface LevelSummary {
  /** Mean over the points. */
  mean: number;
  /** 10th, 50th and 90th percentiles over the points. */
  lo: number;
  mid: number;
  hi: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const t = q * (n - 1),
    i = Math.floor(t),
    r = t - i;
  return i + 1 < n ? sorted[i] * (1 - r) + sorted[i + 1] * r : sorted[i];
}

/**
 * Per-column mean and 10/50/90% quantiles of an n × L matrix (row-major), optionally after
 * subtracting each column's mean (`centre`), which is how the exact −log q_σ is drawn: its level is
 * arbitrary for the network, only the spread is comparable.
 */
export function levelSummaries(values: ArrayLike<number>, L: number, centre = false): LevelSummary[] {
  if (!Number.isInteger(L) || L < 1 || values.length % L !== 0) throw new Error(`invalid matrix: ${values.length} values do not split into L = ${L}`);
  const n = values.length / L;
  const out: LevelSummary[] = [];
  for (let l = 0; l < L; l++) {
    const col = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i] = values[i * L + l];
    const mean = n ? s / n : NaN;
    if (centre) for (let i = 0; i < n; i++) col[i] -= mean;
    col.sort();
    out.push({ mean: centre ? 0 : mean, lo: quantile(col, 0.1), mid: quantile(col, 0.5), hi: quantile(col, 0.9) });
  }
  return out;
}

/** max − min of the level means: how far apart the levels of f sit across σ. */
export function levelSpread(s: LevelSummary[]): number {
  if (s.length === 0) return NaN;
  let lo = Infinity,
    hi = -Infinity;
  for (const v of s) {
    lo = Math.min(lo, v.mean);
    hi = Math.max(hi, v.mean);
  }
  return hi - lo;
}

/** RMS of the values: on clean data, √E f² is what the β term penalises. */
export function rms(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return v.length ? Math.sqrt(s / v.length) : NaN;
}

/** Nats below the peak of log q_σ the log-density maps show. */
export const LOG_DENSITY_DEPTH = 12;

/** MULDE's −f at one σ aligned to the exact log q_σ on a grid, with the numbers the view reports. */
export interface AlignedLogDensity {
  /** log q_σ at the grid points. */
  exact: Float64Array;
  /** −f + c, or null without f (or with no weight to align on). */
  learned: Float64Array | null;
  /** The fitted constant and the weighted RMS gap left after it (NaN without f). */
  c: number;
  gap: number;
  /** Display range [max − depth, max] of log q_σ. */
  domain: [number, number];
}

/** Align −f to the exact log-density (weights ∝ q_σ, see densityWeights) and pick the display range. */
export function alignLogDensity(exact: Float64Array, f: ArrayLike<number> | null, depth: number): AlignedLogDensity {
  const weights = densityWeights(exact);
  const negF = f && f.length === exact.length ? Float64Array.from(f, (v) => -v) : null;
  const c = negF ? alignConstant(negF, exact, weights) : NaN;
  const learned = f && negF && Number.isFinite(c) ? recoveredLogDensity(f, c) : null;
  const gap = negF ? weightedRms(negF, exact, weights, c) : NaN;
  return { exact, learned, c, gap, domain: logDensityDomain(depth, exact) };
}

/** f on the data across σ, summarised per level beside the exact −log q_σ (levelSummaries). */
export interface LevelsView {
  learned: LevelSummary[] | null;
  exact: LevelSummary[];
  /** The exact levels centred on their own means (only the spread is comparable). */
  exactCentred: LevelSummary[];
  /** levelSpread of the learned and of the exact levels. */
  spread: number;
  exactSpread: number;
  /** √E f² over the data and levels. */
  rms: number;
}

export function levelsView(learned: ArrayLike<number> | null, exact: ArrayLike<number>, L: number): LevelsView {
  const mine = learned && learned.length === exact.length ? levelSummaries(learned, L) : null;
  const truth = levelSummaries(exact, L);
  return {
    learned: mine,
    exact: truth,
    exactCentred: levelSummaries(exact, L, true),
    spread: mine ? levelSpread(mine) : NaN,
    exactSpread: levelSpread(truth),
    rms: learned ? rms(learned) : NaN,
  };
}
