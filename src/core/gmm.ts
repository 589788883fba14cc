/**
 * Gaussian mixtures in D dimensions fitted by expectation–maximisation (EM):
 *   p(x) = Σ_k w_k N(x; μ_k, Σ_k),
 *   log N(x; μ, Σ) = −½ D log 2π − Σ_a log L_aa − ½ ‖L⁻¹(x − μ)‖²,   Σ = L Lᵀ (Cholesky).
 * MULDE fits one to the anomaly vectors [f(x,σ₁), …, f(x,σ_L)] of the training data and scores a
 * new point by its negative log-likelihood. Points are flat row-major arrays, n × D; all sums run
 * in float64 whatever the input type.
 */
import { createRng, type Rng } from './rng';
import { logSumExp } from './mixture';
import { kmeans } from './kmeans';

export type Points = Float32Array | Float64Array;
export type CovarianceType = 'full' | 'diag';

/** Largest dimension accepted (MULDE uses one entry per noise level; 32 leaves headroom over 16). */
export const GMM_MAX_DIM = 32;
/** Most components (the same cap as the mixture editor's MAX_COMPONENTS). */
export const GMM_MAX_K = 16;

export interface GmmOptions {
  /** Number of components K, 1…16 (default 1). */
  k?: number;
  /** 'full' (default) or 'diag': diagonal Σ_k, D parameters instead of D(D+1)/2 each. */
  covariance?: CovarianceType;
  /** Most EM iterations (M-steps), default 200. */
  maxIter?: number;
  /** Stop when |ℓ_t − ℓ_{t−1}| ≤ tol · max(1, |ℓ_t|), ℓ the mean log-likelihood; default 1e-5. */
  tol?: number;
  /**
   * Covariance floor added to every Σ_k's diagonal. Default 1e-6 · tr(S)/D, S the covariance of
   * all the data: relative, so it does not depend on units. If the data are all one point
   * (tr(S)/D ≤ 1e-20 · mean x², i.e. only rounding), the default is an absolute 1e-6.
   */
  reg?: number;
  /** k-means++ restarts; the one with the least within-cluster sum of squares starts EM (default 4). */
  nInit?: number;
  /** Generator for the k-means++ initialisation (default createRng(0)). */
  rng?: Rng;
}

export interface GmmModel {
  readonly k: number;
  readonly D: number;
  readonly covariance: CovarianceType;
  /** Σ w_k = 1. */
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  /** k × D. */
  readonly means: Float64Array;
  /** k × D × D (zero off the diagonal for 'diag'). */
  readonly covs: Float64Array;
  /** Lower Cholesky factors L_k, k × D × D. */
  readonly chol: Float64Array;
  /** −½ D log 2π − log det L_k per component. */
  readonly logNorm: Float64Array;
  /** The covariance floor used. */
  readonly reg: number;
  /** Mean log-likelihood (1/n) Σ_i log p(x_i) of the training points under these parameters. */
  readonly logLikelihood: number;
  /** ℓ after initialisation and after each M-step (length iterations + 1). */
  readonly history: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

function fail(message: string): never {
  throw new Error(`invalid gmm: ${message}`);
}

/**
 * Cholesky factor A = L Lᵀ of the symmetric D×D block of `a` at `ao`, written to `l` at `lo`
 * (strictly upper part zeroed). Reads only the lower triangle. False if A is not positive definite.
 */
export function choleskyInto(a: ArrayLike<number>, ao: number, l: Float64Array, lo: number, D: number): boolean {
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[ao + i * D + j];
      for (let p = 0; p < j; p++) s -= l[lo + i * D + p] * l[lo + j * D + p];
      if (i === j) {
        if (!(s > 0)) return false;
        l[lo + i * D + i] = Math.sqrt(s);
      } else l[lo + i * D + j] = s / l[lo + j * D + j];
    }
    for (let j = i + 1; j < D; j++) l[lo + i * D + j] = 0;
  }
  return true;
}

/** L with A = L Lᵀ for a symmetric positive-definite D×D matrix (row-major); throws otherwise. */
export function cholesky(a: ArrayLike<number>, D: number): Float64Array {
  const l = new Float64Array(D * D);
  if (a.length !== D * D || !choleskyInto(a, 0, l, 0, D)) fail('matrix is not symmetric positive definite');
  return l;
}

/** Check the dimension, the shape and that every value is finite. Returns n. */
function checkPoints(x: Points, D: number): number {
  if (!Number.isInteger(D) || D < 1 || D > GMM_MAX_DIM) fail(`D = ${D}; the dimension must be an integer in 1…${GMM_MAX_DIM}`);
  if (x.length % D !== 0) fail(`points array length ${x.length} is not a multiple of D = ${D}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) fail(`value ${i} is ${x[i]}; points must be finite`);
  return x.length / D;
}

/**
 * Factor every Σ_k into chol/logNorm. With the floor Σ_k ⪰ reg·I is positive definite in exact
 * arithmetic; if rounding still defeats the factorisation, retry with 10×, 100×… more jitter.
 */
function factorAll(k: number, D: number, covs: Float64Array, chol: Float64Array, logNorm: Float64Array, reg: number): void {
  for (let j = 0; j < k; j++) {
    const o = j * D * D;
    let jitter = reg;
    for (let tries = 0; !choleskyInto(covs, o, chol, o, D); tries++) {
      if (tries >= 6 || !(reg > 0)) fail(`covariance ${j + 1} is not positive definite`);
      for (let a = 0; a < D; a++) covs[o + a * D + a] += jitter;
      jitter *= 10;
    }
    let logDetL = 0;
    for (let a = 0; a < D; a++) logDetL += Math.log(chol[o + a * D + a]);
    logNorm[j] = -0.5 * D * LOG_2PI - logDetL;
  }
}

type Params = Pick<GmmModel, 'k' | 'D' | 'logWeights' | 'means' | 'chol' | 'logNorm'>;

/**
 * log w_j + log N(x_i; μ_j, Σ_j) for every j into `lj`; z = L_j⁻¹(x − μ_j) by forward
 * substitution (scratch of length D), so no inverse is ever formed.
 */
function componentLogs(m: Params, x: Float64Array, i: number, lj: Float64Array, z: Float64Array): void {
  const { D, chol, means } = m;
  const xo = i * D;
  for (let j = 0; j < m.k; j++) {
    const lo = j * D * D,
      mo = j * D;
    let q = 0;
    for (let a = 0; a < D; a++) {
      let s = x[xo + a] - means[mo + a];
      const row = lo + a * D;
      for (let b = 0; b < a; b++) s -= chol[row + b] * z[b];
      const za = s / chol[row + a];
      z[a] = za;
      q += za * za;
    }
    lj[j] = m.logWeights[j] + m.logNorm[j] - 0.5 * q;
  }
}

/** log p(x_i) = log Σ_j exp(log w_j + log N(x_i; μ_j, Σ_j)) for each of the n points (n × D). */
export function gmmLogpdf(model: GmmModel, points: Points, out?: Float64Array): Float64Array {
  const n = checkPoints(points, model.D);
  const res = out ?? new Float64Array(n);
  // One float64 copy keeps the inner loop monomorphic (Float32Array and Float64Array reads
  // through one call site slow every access down).
  const x = points instanceof Float64Array ? points : Float64Array.from(points);
  const lj = new Float64Array(model.k);
  const z = new Float64Array(model.D);
  for (let i = 0; i < n; i++) {
    componentLogs(model, x, i, lj, z);
    res[i] = logSumExp(lj);
  }
  return res;
}

/**
 * Fit a K-component mixture by EM. E-step: r_ij = exp(ℓ_ij − log Σ_j' exp ℓ_ij'), ℓ_ij = log w_j +
 * log N(x_i; μ_j, Σ_j). M-step: N_j = Σ_i r_ij, w_j = N_j/n, μ_j = Σ_i r_ij x_i / N_j,
 * Σ_j = Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ / N_j + reg·I (only the diagonal for 'diag').
 * The floor keeps a component that collapses onto duplicate points finite instead of letting
 * its likelihood run to +∞; it costs O(reg) in ℓ, so ℓ can stall or dip by ~reg-sized amounts.
 */
export function fitGmm(points: Points, D: number, opts: GmmOptions = {}): GmmModel {
  const n = checkPoints(points, D);
  const { k, covariance, maxIter, tol, nInit } = checkOptions(n, opts);
  const x = Float64Array.from(points);
  const reg = opts.reg ?? defaultReg(x, n, D);
  if (!(reg > 0) || !Number.isFinite(reg)) fail(`reg = ${reg}; the covariance floor must be finite and > 0`);

  const em: EmState = {
    x,
    n,
    diag: covariance === 'diag',
    reg,
    weights: new Float64Array(k),
    covs: new Float64Array(k * D * D),
    resp: new Float64Array(n * k),
    params: {
      k,
      D,
      logWeights: new Float64Array(k),
      means: new Float64Array(k * D),
      chol: new Float64Array(k * D * D),
      logNorm: new Float64Array(k),
    },
  };
  // Initialise with one M-step on the hard k-means assignments.
  const assign = kmeans(x, n, D, k, nInit, opts.rng ?? createRng(0));
  for (let i = 0; i < n; i++) em.resp[i * k + assign[i]] = 1;
  mStep(em);
  const history = [eStep(em)];
  let converged = false;
  let iterations = 0;
  while (iterations < maxIter) {
    mStep(em);
    iterations++;
    const ll = eStep(em);
    const prev = history[history.length - 1];
    history.push(ll);
    if (Math.abs(ll - prev) <= tol * Math.max(1, Math.abs(ll))) {
      converged = true;
      break;
    }
  }
  const { logWeights, means, chol, logNorm } = em.params;
  return {
    k,
    D,
    covariance,
    weights: em.weights,
    logWeights,
    means,
    covs: em.covs,
    chol,
    logNorm,
    reg,
    logLikelihood: history[history.length - 1],
    history: Float64Array.from(history),
    iterations,
    converged,
  };
}

function checkOptions(n: number, opts: GmmOptions) {
  const k = opts.k ?? 1;
  const covariance = opts.covariance ?? 'full';
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.tol ?? 1e-5;
  const nInit = opts.nInit ?? 4;
  if (!Number.isInteger(k) || k < 1 || k > GMM_MAX_K) fail(`k = ${k}; the number of components must be an integer in 1…${GMM_MAX_K}`);
  if (n < k) fail(`n = ${n} points for k = ${k} components; need n ≥ k`);
  if (covariance !== 'full' && covariance !== 'diag') fail(`covariance '${String(covariance)}'; use 'full' or 'diag'`);
  if (!Number.isInteger(maxIter) || maxIter < 0) fail(`maxIter = ${maxIter}; must be a non-negative integer`);
  if (!(tol >= 0) || !Number.isFinite(tol)) fail(`tol = ${tol}; must be finite and ≥ 0`);
  if (!Number.isInteger(nInit) || nInit < 1) fail(`nInit = ${nInit}; must be a positive integer`);
  return { k, covariance, maxIter, tol, nInit };
}

/** The default covariance floor: 1e-6 · tr(S)/D, the mean per-coordinate variance of all the data. */
function defaultReg(x: Float64Array, n: number, D: number): number {
  // Two passes: no cancellation.
  const mu = new Float64Array(D);
  for (let i = 0; i < n * D; i++) mu[i % D] += x[i] / n;
  let v = 0,
    m2 = 0;
  for (let i = 0; i < n * D; i++) {
    v += (x[i] - mu[i % D]) ** 2 / (n * D);
    m2 += x[i] ** 2 / (n * D);
  }
  // Identical points leave only rounding in v (≈ (ε·|x|)² ≈ 1e-32·x²): treat as no spread.
  return v > 1e-20 * m2 ? 1e-6 * v : 1e-6;
}

/** What one EM iteration reads and rewrites in place. */
interface EmState {
  x: Float64Array;
  n: number;
  diag: boolean;
  reg: number;
  weights: Float64Array;
  covs: Float64Array;
  /** Responsibilities r_ij, n × k. */
  resp: Float64Array;
  params: Params;
}

function mStep({ x, n, diag, reg, weights, covs, resp, params }: EmState): void {
  const { k, D, logWeights, means, chol, logNorm } = params;
  // 10ε keeps N_j > 0 for a component that lost every point (as scikit-learn does).
  const nk = new Float64Array(k).fill(10 * Number.EPSILON);
  means.fill(0);
  covs.fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      nk[j] += r;
      for (let a = 0; a < D; a++) means[j * D + a] += r * x[i * D + a];
    }
  let total = 0;
  for (let j = 0; j < k; j++) total += nk[j];
  for (let j = 0; j < k; j++) {
    weights[j] = nk[j] / total;
    logWeights[j] = Math.log(weights[j]);
    for (let a = 0; a < D; a++) means[j * D + a] /= nk[j];
  }
  const dx = new Float64Array(D);
  for (let j = 0; j < k; j++) {
    const o = j * D * D;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      for (let a = 0; a < D; a++) dx[a] = x[i * D + a] - means[j * D + a];
      if (diag) for (let a = 0; a < D; a++) covs[o + a * D + a] += r * dx[a] * dx[a];
      else
        for (let a = 0; a < D; a++) {
          const ra = r * dx[a],
            row = o + a * D;
          for (let b = 0; b <= a; b++) covs[row + b] += ra * dx[b];
        }
    }
    for (let a = 0; a < D; a++) {
      for (let b = 0; b <= a; b++) covs[o + b * D + a] = covs[o + a * D + b] /= nk[j];
      covs[o + a * D + a] += reg;
    }
  }
  factorAll(k, D, covs, chol, logNorm, reg);
}

/** Responsibilities from the current parameters; returns the mean log-likelihood. */
function eStep({ x, n, resp, params }: EmState): number {
  const { k, D } = params;
  const lj = new Float64Array(k),
    z = new Float64Array(D);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    componentLogs(params, x, i, lj, z);
    const lse = logSumExp(lj);
    ll += lse;
    // Below e⁻⁶⁰ ≈ 1e-26 a responsibility cannot move any sum, but r·Δx products would reach
    // subnormal floats, which run ~100× slower on x86: flush them to zero.
    for (let j = 0; j < k; j++) resp[i * k + j] = lj[j] - lse > -60 ? Math.exp(lj[j] - lse) : 0;
  }
  return ll / n;
}

/** n draws x = μ_j + L_j z, j ~ w, z ~ N(0, I): for tests and demos. */
export function sampleGmm(model: GmmModel, n: number, rng: Rng): { x: Float64Array; labels: Int32Array } {
  const { D, k } = model;
  const x = new Float64Array(n * D),
    labels = new Int32Array(n),
    z = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    let j = 0,
      acc = model.weights[0];
    while (u >= acc && j < k - 1) acc += model.weights[++j];
    labels[i] = j;
    rng.fillNormal(z);
    for (let a = 0; a < D; a++) {
      let s = model.means[j * D + a];
      for (let b = 0; b <= a; b++) s += model.chol[j * D * D + a * D + b] * z[b];
      x[i * D + a] = s;
    }
  }
  return { x, labels };
}

/** A model from given parameters (weights any positive scale), e.g. a known truth to sample from. */
export function createGmm(weights: number[], means: number[][], covs: number[][][]): GmmModel {
  const k = weights.length,
    D = means[0]?.length ?? 0;
  if (k < 1 || k > GMM_MAX_K || means.length !== k || covs.length !== k) fail(`need 1…${GMM_MAX_K} weights, means and covariances`);
  if (!Number.isInteger(D) || D < 1 || D > GMM_MAX_DIM) fail(`D = ${D}; the dimension must be in 1…${GMM_MAX_DIM}`);
  const total = weights.reduce((s, w) => s + w, 0);
  if (!weights.every((w) => w > 0 && Number.isFinite(w))) fail('weights must be positive and finite');
  const w = Float64Array.from(weights, (v) => v / total);
  const mu = Float64Array.from(means.flat());
  const cv = Float64Array.from(covs.flat(2));
  if (mu.length !== k * D || cv.length !== k * D * D || ![...mu, ...cv].every(Number.isFinite))
    fail('means must be k × D and covariances k × D × D, all finite');
  // The factorisation reads only the lower triangle: refuse an asymmetric Σ instead of ignoring half of it.
  for (let i = 0; i < k * D * D; i++) {
    const j = Math.floor(i / (D * D)) * D * D + (i % D) * D + Math.floor((i % (D * D)) / D);
    if (Math.abs(cv[i] - cv[j]) > 1e-9 * Math.max(1, Math.abs(cv[i]))) fail('covariances must be symmetric');
  }
  const chol = new Float64Array(k * D * D),
    logNorm = new Float64Array(k);
  factorAll(k, D, cv, chol, logNorm, 0); // reg 0: no jitter, a non-positive-definite Σ throws
  return {
    k,
    D,
    covariance: 'full',
    weights: w,
    logWeights: w.map(Math.log),
    means: mu,
    covs: cv,
    chol,
    logNorm,
    reg: 0,
    logLikelihood: NaN,
    history: new Float64Array(0),
    iterations: 0,
    converged: false,
  };
}
