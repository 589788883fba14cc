/**
 * Numbers the panels report: Fisher divergence of a score field on a grid, energy distance between
 * sample sets, mode shares of samples, and TV / KL between densities on one grid.
 * Arrays are flat (n × d); sums run in float64 whatever the input type.
 */
import { responsibilities, type Mixture, type Points } from './mixture';
import { cellSize, type Grid } from './grid';
import type { Rng } from './rng';

type Values = ArrayLike<number>;

function checkField(a: Values, b: Values, w: Values, dim: number, what: string): number {
  if (dim !== 1 && dim !== 2) throw new Error(`${what}: dim must be 1 or 2`);
  if (a.length !== b.length || a.length !== w.length * dim)
    throw new Error(`${what}: fields have ${a.length} and ${b.length} values for ${w.length} weights × d=${dim}`);
  return w.length;
}

function weightedSums(sTheta: Values, sTrue: Values, w: Values, dim: number, what: string) {
  const n = checkField(sTheta, sTrue, w, dim, what);
  let err = 0,
    ref = 0,
    mass = 0;
  for (let i = 0; i < n; i++) {
    let e = 0,
      r = 0;
    for (let a = 0; a < dim; a++) {
      const t = sTrue[i * dim + a];
      e += (sTheta[i * dim + a] - t) ** 2;
      r += t * t;
    }
    err += w[i] * e;
    ref += w[i] * r;
    mass += w[i];
  }
  return { err, ref, mass };
}

/**
 * Weighted Fisher divergence  F = Σ_i p_i ‖s_θ(x_i) − s(x_i)‖² / Σ_i p_i,
 * a self-normalised quadrature of E_p‖s_θ − s‖² on grid nodes x_i with weights p_i = p(x_i)
 * (any positive scale: the normalisation makes a cell size or a constant factor irrelevant).
 */
export function fisherDivergence(sTheta: Values, sTrue: Values, weights: Values, dim: 1 | 2): number {
  const { err, mass } = weightedSums(sTheta, sTrue, weights, dim, 'fisherDivergence');
  if (!(mass > 0)) throw new Error('fisherDivergence: weights sum to zero');
  return err / mass;
}

/**
 * Relative Fisher divergence  Σ_i p_i ‖s_θ − s‖² / Σ_i p_i ‖s‖²: 0 is perfect, 1 is as bad as
 * predicting s_θ = 0. Scale-free, so one threshold works for every σ (‖s‖ grows like 1/σ).
 */
export function relativeFisherDivergence(sTheta: Values, sTrue: Values, weights: Values, dim: 1 | 2): number {
  const { err, ref } = weightedSums(sTheta, sTrue, weights, dim, 'relativeFisherDivergence');
  if (!(ref > 0)) throw new Error('relativeFisherDivergence: the reference field is zero wherever the weights are positive');
  return err / ref;
}

/**
 * Mean Euclidean distance over all pairs (a, b), a from A at indices ia, b from B at indices ib.
 * For A vs itself only j > i is visited and doubled (i = j contributes 0): half the work.
 */
function meanDistance(A: Points, ia: Int32Array, B: Points, ib: Int32Array, d: number, self: boolean): number {
  let sum = 0;
  for (let p = 0; p < ia.length; p++) {
    const i = ia[p];
    const q0 = self ? p + 1 : 0;
    const a0 = A[i * d];
    if (d === 1) {
      for (let q = q0; q < ib.length; q++) sum += Math.abs(a0 - B[ib[q]]);
    } else {
      const a1 = A[i * d + 1];
      for (let q = q0; q < ib.length; q++) {
        const j = ib[q];
        const u = a0 - B[j * 2],
          v = a1 - B[j * 2 + 1];
        sum += Math.sqrt(u * u + v * v);
      }
    }
  }
  return ((self ? 2 : 1) * sum) / (ia.length * ib.length);
}

/**
 * Indices of the points to use: all n, or `cap` of them when n > cap — drawn without replacement
 * (partial Fisher–Yates) with an rng, otherwise an even stride (deterministic, and as good as a
 * random subset for the exchangeable samples a sampler returns).
 */
function subset(n: number, cap: number, rng: Rng | undefined): Int32Array {
  if (n <= cap) return Int32Array.from({ length: n }, (_, i) => i);
  if (!rng) return Int32Array.from({ length: cap }, (_, i) => Math.floor((i * n) / cap));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < cap; i++) {
    const j = i + rng.int(n - i);
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, cap);
}

export interface EnergyDistanceOptions {
  /** Use at most this many points of each set (default 2000: 8M distances, tens of ms). */
  maxPoints?: number;
  /** Draws the subsets; without one an even stride through each set is used. */
  rng?: Rng;
}

/**
 * Squared energy distance between the empirical laws of A (n × d) and B (m × d):
 *   D² = 2 E‖a − b‖ − E‖a − a'‖ − E‖b − b'‖,
 * the V-statistic (i = j pairs included), so D² ≥ 0 and D²(A, A) = 0 exactly. Exact O(nm).
 * Two independent samples of one law still give D² ≈ (1/n + 1/m) E‖X − X'‖ > 0: compare with
 * that floor, not with 0.
 */
export function energyDistance(A: Points, B: Points, dim: 1 | 2, opts: EnergyDistanceOptions = {}): number {
  if (dim !== 1 && dim !== 2) throw new Error('energyDistance: dim must be 1 or 2');
  if (A.length % dim || B.length % dim || A.length === 0 || B.length === 0) throw new Error(`energyDistance: sets must be non-empty n × ${dim} arrays`);
  const cap = opts.maxPoints ?? 2000;
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`energyDistance: invalid maxPoints ${cap}`);
  const ia = subset(A.length / dim, cap, opts.rng);
  const ib = subset(B.length / dim, cap, opts.rng);
  const ab = meanDistance(A, ia, B, ib, dim, false);
  const aa = meanDistance(A, ia, A, ia, dim, true);
  const bb = meanDistance(B, ib, B, ib, dim, true);
  // Clamp rounding below zero: the V-statistic is non-negative in exact arithmetic.
  return Math.max(0, 2 * ab - aa - bb);
}

export interface ModeShares {
  /** Fraction of all samples assigned to each component (k values). */
  shares: Float64Array;
  /** Fraction assigned to no component: non-finite points, and far points when `maxMahalanobis` is set. */
  none: number;
  counts: Int32Array;
}

/**
 * Share of samples per mixture component, assigning each sample to its most responsible component
 * argmax_k r_k(x). With `maxMahalanobis = c`, a sample whose Mahalanobis distance to that
 * component, √((x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k)), exceeds c counts as "none": a sampler that leaves
 * particles stranded between modes should not get credit for them. c = 4 keeps ≈ 99.97% (2D) /
 * 99.99% (1D) of true samples.
 */
export function modeShares(m: Mixture, x: Points, opts: { maxMahalanobis?: number } = {}): ModeShares {
  const d = m.dim;
  const n = x.length / d;
  const c = opts.maxMahalanobis ?? Infinity;
  const r = responsibilities(m, x);
  const counts = new Int32Array(m.k);
  let none = 0;
  for (let i = 0; i < n; i++) {
    // A non-finite position (a diverged sampler) belongs to no mode, whatever the options.
    if (!Number.isFinite(x[i * d]) || (d === 2 && !Number.isFinite(x[i * d + 1]))) {
      none++;
      continue;
    }
    let best = 0;
    for (let j = 1; j < m.k; j++) if (r[i * m.k + j] > r[i * m.k + best]) best = j;
    if (c !== Infinity) {
      const P = m.precisions,
        o = best * d * d;
      let q: number;
      if (d === 1) q = P[o] * (x[i] - m.means[best]) ** 2;
      else {
        const u = x[2 * i] - m.means[2 * best],
          v = x[2 * i + 1] - m.means[2 * best + 1];
        q = P[o] * u * u + 2 * P[o + 1] * u * v + P[o + 3] * v * v;
      }
      if (!(q <= c * c)) {
        none++;
        continue;
      }
    }
    counts[best]++;
  }
  const shares = Float64Array.from(counts, (v) => (n > 0 ? v / n : 0));
  return { shares, none: n > 0 ? none / n : 0, counts };
}

function normalised(p: Values, cell: number, what: string): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0) || !Number.isFinite(p[i])) throw new Error(`${what}: densities must be finite and non-negative`);
    s += p[i];
  }
  if (!(s > 0)) throw new Error(`${what}: a density is zero everywhere on the grid`);
  const z = s * cell;
  return Float64Array.from(p, (v) => v / z);
}

function pair(p: Values, q: Values, grid: Grid | number, what: string) {
  if (p.length !== q.length) throw new Error(`${what}: densities have ${p.length} and ${q.length} values`);
  const cell = typeof grid === 'number' ? grid : cellSize(grid);
  if (!(cell > 0)) throw new Error(`${what}: cell size must be positive`);
  return { P: normalised(p, cell, what), Q: normalised(q, cell, what), cell };
}

/**
 * Total variation ½ Σ |p̂ − q̂| · cell between two densities on the same grid, each first
 * normalised so that Σ p̂ · cell = 1 (so truncation to the view box affects both alike).
 * In [0, 1]. `grid` is the grid or its cell size.
 */
export function totalVariation(p: Values, q: Values, grid: Grid | number): number {
  const { P, Q, cell } = pair(p, q, grid, 'totalVariation');
  let s = 0;
  for (let i = 0; i < P.length; i++) s += Math.abs(P[i] - Q[i]);
  return 0.5 * s * cell;
}

/**
 * KL(p ‖ q) = Σ p̂ log(p̂ / q̂) · cell after the same normalisation; terms with p̂ = 0 are 0, and
 * p̂ > 0 where q̂ = 0 gives Infinity.
 */
export function klDivergence(p: Values, q: Values, grid: Grid | number): number {
  const { P, Q, cell } = pair(p, q, grid, 'klDivergence');
  let s = 0;
  for (let i = 0; i < P.length; i++) {
    if (P[i] === 0) continue;
    if (Q[i] === 0) return Infinity;
    s += P[i] * Math.log(P[i] / Q[i]);
  }
  return Math.max(0, s * cell);
}
