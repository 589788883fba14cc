/**
 * Gaussian mixtures in 1D and 2D with full covariances:
 *   p(x) = Σ_k w_k N(x; μ_k, Σ_k).
 * Points are flat arrays, n points × d coordinates (x₀, y₀, x₁, y₁, … in 2D).
 * Every density and score goes through log-sum-exp over components, so far tails do not
 * underflow to 0/0.
 */
import type { Rng } from './rng';

export type Dim = 1 | 2;
export type Points = Float32Array | Float64Array;

/** A mixture as the user writes it: weights (any positive scale), means, covariances. */
export interface MixtureSpec {
  weights: number[];
  /** μ_k: one array of length d per component. */
  means: number[][];
  /** Σ_k: a d×d matrix per component ([[v]] in 1D). */
  covs: number[][][];
}

/** Spatial dimension of a spec (1 or 2), from its first mean. */
export function dimOf(spec: MixtureSpec): 1 | 2 {
  return spec.means[0]?.length === 1 ? 1 : 2;
}

/** A validated mixture with normalised weights and the per-component factors it needs. */
export interface Mixture {
  readonly dim: Dim;
  readonly spec: MixtureSpec;
  readonly k: number;
  /** Normalised weights, Σ w_k = 1. */
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  /** Means, k × d. */
  readonly means: Float64Array;
  /** Covariances, k × d × d. */
  readonly covs: Float64Array;
  /** Inverse covariances, k × d × d. */
  readonly precisions: Float64Array;
  /** Lower Cholesky factors, k × d × d (for sampling). */
  readonly chol: Float64Array;
  /** log N normaliser per component: −½(d log 2π + log det Σ_k). */
  readonly logNorm: Float64Array;
}

/** Most components a mixture may have (the editor and URL parser share this cap). */
export const MAX_COMPONENTS = 16;
const LOG_2PI = Math.log(2 * Math.PI);

function fail(message: string): never {
  throw new Error(`invalid mixture: ${message}`);
}

/** Precision, Cholesky factor and log normaliser of component j, from its covariance in `covs`. */
function factorComponent(j: number, d: Dim, covs: Float64Array, precisions: Float64Array, chol: Float64Array, logNorm: Float64Array): void {
  const o = j * d * d;
  if (d === 1) {
    const v = covs[o];
    if (!(v > 0)) fail(`covariance ${j + 1} is ${v}; a variance must be positive`);
    precisions[o] = 1 / v;
    chol[o] = Math.sqrt(v);
    logNorm[j] = -0.5 * (LOG_2PI + Math.log(v));
    return;
  }
  const a = covs[o],
    b = covs[o + 1],
    b2 = covs[o + 2],
    c = covs[o + 3];
  if (Math.abs(b - b2) > 1e-9 * Math.max(1, Math.abs(b))) fail(`covariance ${j + 1} is not symmetric`);
  const det = a * c - b * b;
  // Positive definite ⇔ a > 0 and det > 0; the relative floor refuses numerically singular ones.
  if (!(a > 0) || !(det > 1e-12 * Math.max(a * c, 1e-300))) fail(`covariance ${j + 1} is not positive definite`);
  precisions[o] = c / det;
  precisions[o + 1] = -b / det;
  precisions[o + 2] = -b / det;
  precisions[o + 3] = a / det;
  const l11 = Math.sqrt(a);
  const l21 = b / l11;
  chol[o] = l11;
  chol[o + 2] = l21;
  chol[o + 3] = Math.sqrt(c - l21 * l21);
  logNorm[j] = -0.5 * (2 * LOG_2PI + Math.log(det));
}

/** Validate a spec and precompute its factors. Throws `invalid mixture: …` with the reason. */
export function createMixture(spec: MixtureSpec): Mixture {
  if (!spec || !Array.isArray(spec.weights) || !Array.isArray(spec.means) || !Array.isArray(spec.covs)) fail('expected {weights, means, covs} arrays');
  const k = spec.weights.length;
  if (k === 0) fail('needs at least one component');
  if (k > MAX_COMPONENTS) fail(`${k} components; at most ${MAX_COMPONENTS} are allowed`);
  if (spec.means.length !== k || spec.covs.length !== k) fail(`${k} weights but ${spec.means.length} means and ${spec.covs.length} covariances`);
  const d0 = Array.isArray(spec.means[0]) ? spec.means[0].length : 0;
  if (d0 !== 1 && d0 !== 2) fail(`dimension ${d0}; only 1 or 2 is supported`);
  const d = d0 as Dim;

  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * d * d);
  const precisions = new Float64Array(k * d * d);
  const chol = new Float64Array(k * d * d);
  const logNorm = new Float64Array(k);
  let total = 0;
  for (let j = 0; j < k; j++) {
    const w = spec.weights[j];
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) fail(`weight ${j + 1} is ${String(w)}; weights must be positive numbers`);
    weights[j] = w;
    total += w;
    const mu = spec.means[j];
    if (!Array.isArray(mu) || mu.length !== d) fail(`mean ${j + 1} must have ${d} coordinate(s)`);
    for (let a = 0; a < d; a++) {
      if (typeof mu[a] !== 'number' || !Number.isFinite(mu[a])) fail(`mean ${j + 1} has a non-finite coordinate`);
      means[j * d + a] = mu[a];
    }
    const c = spec.covs[j];
    if (!Array.isArray(c) || c.length !== d || c.some((row) => !Array.isArray(row) || row.length !== d)) fail(`covariance ${j + 1} must be a ${d}×${d} matrix`);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const v = c[a][b];
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`covariance ${j + 1} has a non-finite entry`);
        covs[j * d * d + a * d + b] = v;
      }
    factorComponent(j, d, covs, precisions, chol, logNorm);
  }

  const logWeights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    weights[j] /= total;
    logWeights[j] = Math.log(weights[j]);
  }
  const copy: MixtureSpec = {
    weights: Array.from(spec.weights),
    means: spec.means.map((m) => Array.from(m)),
    covs: spec.covs.map((c) => c.map((r) => Array.from(r))),
  };
  return { dim: d, spec: copy, k, weights, logWeights, means, covs, precisions, chol, logNorm };
}

/**
 * The σ-smoothed mixture q_σ = p ∗ N(0, σ²I): the same weights and means with covariances
 * Σ_k + σ²I. Its score is the exact target of denoising score matching at noise level σ.
 */
export function smoothMixture(m: Mixture, sigma: number): Mixture {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`invalid sigma: ${sigma}`);
  const s2 = sigma * sigma;
  return createMixture({
    weights: Array.from(m.weights),
    means: m.spec.means,
    covs: m.spec.covs.map((c) => c.map((row, a) => row.map((v, b) => (a === b ? v + s2 : v)))),
  });
}

/**
 * Per-component log joint ℓ_k(x) = log w_k + log N(x; μ_k, Σ_k) for one point, written into
 * `lj`; also writes Σ_k⁻¹(x − μ_k) into `prec` (k × d) because the score needs it.
 */
function componentTerms(m: Mixture, x: Points, i: number, lj: Float64Array, prec: Float64Array): void {
  const d = m.dim;
  for (let j = 0; j < m.k; j++) {
    const o = j * d * d;
    if (d === 1) {
      const r = x[i] - m.means[j];
      const p = m.precisions[o] * r;
      prec[j] = p;
      lj[j] = m.logWeights[j] + m.logNorm[j] - 0.5 * r * p;
    } else {
      const r0 = x[2 * i] - m.means[2 * j];
      const r1 = x[2 * i + 1] - m.means[2 * j + 1];
      const p0 = m.precisions[o] * r0 + m.precisions[o + 1] * r1;
      const p1 = m.precisions[o + 2] * r0 + m.precisions[o + 3] * r1;
      prec[2 * j] = p0;
      prec[2 * j + 1] = p1;
      lj[j] = m.logWeights[j] + m.logNorm[j] - 0.5 * (r0 * p0 + r1 * p1);
    }
  }
}

/** log Σ_j exp(v_j), stable for any finite inputs. */
export function logSumExp(v: ArrayLike<number>, n = v.length): number {
  let mx = -Infinity;
  for (let j = 0; j < n; j++) if (v[j] > mx) mx = v[j];
  if (mx === -Infinity) return -Infinity;
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(v[j] - mx);
  return mx + Math.log(s);
}

function pointCount(m: Mixture, x: Points): number {
  if (x.length % m.dim !== 0) throw new Error(`points array length ${x.length} is not a multiple of d=${m.dim}`);
  return x.length / m.dim;
}

/** log p(x) for each of the n points: log Σ_k exp(log w_k + log N(x; μ_k, Σ_k)). */
export function logpdf(m: Mixture, x: Points, out = new Float64Array(pointCount(m, x))): Float64Array {
  const n = pointCount(m, x);
  const lj = new Float64Array(m.k);
  const prec = new Float64Array(m.k * m.dim);
  for (let i = 0; i < n; i++) {
    componentTerms(m, x, i, lj, prec);
    out[i] = logSumExp(lj);
  }
  return out;
}

/** p(x) for each point. */
export function pdf(m: Mixture, x: Points, out = new Float64Array(pointCount(m, x))): Float64Array {
  logpdf(m, x, out);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]);
  return out;
}

/**
 * Score ∇ₓ log p(x) = −Σ_k r_k(x) Σ_k⁻¹(x − μ_k) with responsibilities
 * r_k = exp(ℓ_k − log Σ_j exp ℓ_j). Output is n × d.
 */
export function score(m: Mixture, x: Points, out: Points = new Float64Array(x.length)): Points {
  const n = pointCount(m, x);
  const d = m.dim;
  const lj = new Float64Array(m.k);
  const prec = new Float64Array(m.k * d);
  for (let i = 0; i < n; i++) {
    componentTerms(m, x, i, lj, prec);
    const lse = logSumExp(lj);
    let s0 = 0,
      s1 = 0;
    for (let j = 0; j < m.k; j++) {
      const r = Math.exp(lj[j] - lse);
      s0 -= r * prec[j * d];
      if (d === 2) s1 -= r * prec[j * d + 1];
    }
    out[i * d] = s0;
    if (d === 2) out[i * d + 1] = s1;
  }
  return out;
}

/** Responsibilities r_k(x) = P(component k | x), n × k. */
export function responsibilities(m: Mixture, x: Points, out = new Float64Array(pointCount(m, x) * m.k)): Float64Array {
  const n = pointCount(m, x);
  const lj = new Float64Array(m.k);
  const prec = new Float64Array(m.k * m.dim);
  for (let i = 0; i < n; i++) {
    componentTerms(m, x, i, lj, prec);
    const lse = logSumExp(lj);
    for (let j = 0; j < m.k; j++) out[i * m.k + j] = Math.exp(lj[j] - lse);
  }
  return out;
}

/** Draw n points (n × d) and the component each came from. */
export function sampleMixture(m: Mixture, n: number, rng: Rng): { x: Float32Array; labels: Int32Array } {
  const d = m.dim;
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    let j = 0;
    let acc = m.weights[0];
    while (u >= acc && j < m.k - 1) acc += m.weights[++j];
    labels[i] = j;
    const o = j * d * d;
    const z0 = rng.normal();
    if (d === 1) {
      x[i] = m.means[j] + m.chol[o] * z0;
    } else {
      const z1 = rng.normal();
      x[2 * i] = m.means[2 * j] + m.chol[o] * z0;
      x[2 * i + 1] = m.means[2 * j + 1] + m.chol[o + 2] * z0 + m.chol[o + 3] * z1;
    }
  }
  return { x, labels };
}
