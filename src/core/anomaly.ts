/**
 * The parts of the MULDE anomaly lesson that need no network: test sets (held-out normals and
 * outliers), the GMM scorer on anomaly vectors, and the exact-density reference ranking.
 *
 * MULDE scores a point x by the vector v(x) = [f(x,σ₁), …, f(x,σ_L)], f ≈ −log q_σ, fits a GMM
 * to the vectors of the training data and reports s(x) = −log p_GMM(v(x)) (larger = more
 * anomalous). The reference is the exact s*(x) = −log p(x) (or −log q_σ(x)) of the true mixture:
 * what a perfect density estimate would rank. It is not an upper bound on AUC (the optimal
 * ranking for a given outlier law is the likelihood ratio p_out/p), so an estimate can beat it.
 */
import { createMixture, smoothMixture, logpdf, sampleMixture, type MixtureSpec } from './mixture';
import { createRng, type Rng } from './rng';
import { fitGmm, gmmLogpdf, type GmmModel, type GmmOptions, type Points } from './gmm';

function fail(message: string): never {
  throw new Error(`invalid anomaly set: ${message}`);
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) fail(`n = ${n}; must be a non-negative integer`);
}

/**
 * n points uniform on a box given in the presets' view format: [xmin, xmax] (1D) or
 * [xmin, xmax, ymin, ymax] (2D); any even length 2d works. Some land inside the data's modes;
 * that overlap is what caps even the exact density's AUC below 1.
 */
export function uniformBoxOutliers(n: number, box: readonly number[], rng: Rng): Float32Array {
  checkCount(n);
  const d = box.length / 2;
  if (!Number.isInteger(d) || d < 1) fail(`box has ${box.length} numbers; expected [lo, hi] pairs`);
  for (let a = 0; a < d; a++)
    if (!(box[2 * a] < box[2 * a + 1]) || !Number.isFinite(box[2 * a + 1] - box[2 * a])) fail(`box [${box.join(', ')}] needs finite lo < hi per axis`);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) x[i * d + a] = box[2 * a] + (box[2 * a + 1] - box[2 * a]) * rng.uniform();
  return x;
}

/**
 * n draws from the mixture moved by `shift` (length d): x = x₀ + Δ, x₀ ~ p. With `component`
 * (0-based) only that component is sampled, i.e. one mode displaced, as a "shifted component".
 */
export function shiftedOutliers(spec: MixtureSpec, n: number, shift: readonly number[], rng: Rng, component?: number): Float32Array {
  checkCount(n);
  let s = spec;
  if (component !== undefined) {
    if (!Number.isInteger(component) || component < 0 || component >= spec.weights.length)
      fail(`component ${component}; the mixture has ${spec.weights.length} (0-based)`);
    s = { weights: [1], means: [spec.means[component]], covs: [spec.covs[component]] };
  }
  const m = createMixture(s);
  if (shift.length !== m.dim || !shift.every(Number.isFinite)) fail(`shift must be ${m.dim} finite number(s)`);
  const { x } = sampleMixture(m, n, rng);
  for (let i = 0; i < n; i++) for (let a = 0; a < m.dim; a++) x[i * m.dim + a] += shift[a];
  return x;
}

/** n draws from a new Gaussian N(mean, cov): a mode the training data never showed. */
export function componentOutliers(mean: number[], cov: number[][], n: number, rng: Rng): Float32Array {
  checkCount(n);
  return sampleMixture(createMixture({ weights: [1], means: [mean], covs: [cov] }), n, rng).x;
}

/**
 * n held-out normal points from the mixture with their own seed. Use a seed other than the
 * training data's, or the "held-out" points are the training points.
 */
export function heldOutNormals(spec: MixtureSpec, n: number, seed: number): Float32Array {
  checkCount(n);
  return sampleMixture(createMixture(spec), n, createRng(seed)).x;
}

/** Normals (label 0) followed by outliers (label 1), both flat n × d; one label per point. */
export function labelledSet(normals: Points, outliers: Points, d: number): { x: Float32Array; labels: Uint8Array } {
  if (!Number.isInteger(d) || d < 1 || normals.length % d !== 0 || outliers.length % d !== 0)
    fail(`arrays of length ${normals.length} and ${outliers.length} do not split into d = ${d}`);
  const x = new Float32Array(normals.length + outliers.length);
  x.set(normals);
  x.set(outliers, normals.length);
  return { x, labels: new Uint8Array(x.length / d).fill(1, normals.length / d) };
}

/**
 * Exact reference scores −log q_σ(x) of the true mixture, q_σ = p ∗ N(0, σ²I) (σ = 0: p itself).
 * The σ-smoothed one is what a MULDE network's f(·, σ) approximates at that level (up to a constant).
 */
export function exactAnomalyScores(spec: MixtureSpec, x: Points, sigma = 0): Float64Array {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) fail(`sigma = ${sigma}; must be finite and ≥ 0`);
  const base = createMixture(spec);
  const lp = logpdf(sigma > 0 ? smoothMixture(base, sigma) : base, x);
  for (let i = 0; i < lp.length; i++) lp[i] = -lp[i];
  return lp;
}

/**
 * The anomaly vectors a perfect MULDE network would produce: row i is
 * [−log q_σ₁(x_i), …, −log q_σ_L(x_i)] (n × L). Feeding them to anomalyScorer gives the AUC the
 * MULDE pipeline reaches when only the GMM step is approximate.
 */
export function exactAnomalyVectors(spec: MixtureSpec, x: Points, sigmas: readonly number[]): Float64Array {
  const L = sigmas.length;
  const cols = sigmas.map((s) => exactAnomalyScores(spec, x, s));
  const n = cols[0]?.length ?? 0;
  const v = new Float64Array(n * L);
  for (let l = 0; l < L; l++) for (let i = 0; i < n; i++) v[i * L + l] = cols[l][i];
  return v;
}

export interface AnomalyScorerOptions extends GmmOptions {
  /**
   * Fit on per-coordinate standardised vectors z = (v − m)/s (default true). The GMM's NLL
   * ranking is unchanged by this affine map (full covariances), but k-means++ distances and the
   * relative covariance floor then treat every noise level alike instead of letting the
   * largest-valued f(·, σ) dominate.
   */
  standardize?: boolean;
}

/** Scores vectors by −log p_GMM(v) in the original vector units; `model` is the fitted GMM. */
export type AnomalyScorer = ((vectors: Points) => Float64Array) & {
  readonly model: GmmModel;
  /** Per-coordinate shift m and scale s applied before the GMM (0 and 1 without standardising). */
  readonly shift: Float64Array;
  readonly scale: Float64Array;
};

/**
 * Fit a GMM to training vectors (n × D) and return v ↦ −log p(v). With standardisation the
 * density of v is p_z((v − m)/s) / Π_a s_a, so −log p(v) = −log p_z(z) + Σ_a log s_a: the
 * constant makes the score a true NLL in v's units (it does not change the ranking).
 */
export function anomalyScorer(trainVectors: Points, D: number, opts: AnomalyScorerOptions = {}): AnomalyScorer {
  const { standardize = true, ...gmmOpts } = opts;
  if (!Number.isInteger(D) || D < 1 || trainVectors.length % D !== 0) fail(`training vectors of length ${trainVectors.length} do not split into D = ${D}`);
  const n = trainVectors.length / D;
  const shift = new Float64Array(D),
    scale = new Float64Array(D).fill(1);
  if (standardize && n > 0) {
    for (let a = 0; a < D; a++) {
      let s = 0,
        s2 = 0;
      for (let i = 0; i < n; i++) s += trainVectors[i * D + a];
      const mu = s / n;
      for (let i = 0; i < n; i++) s2 += (trainVectors[i * D + a] - mu) ** 2;
      shift[a] = mu;
      // A constant coordinate carries no information: leave it unscaled (the GMM floor handles it).
      scale[a] = s2 > 0 ? Math.sqrt(s2 / n) : 1;
    }
  }
  let logScale = 0;
  for (let a = 0; a < D; a++) logScale += Math.log(scale[a]);
  const transform = (v: Points): Float64Array => {
    if (v.length % D !== 0) fail(`vectors of length ${v.length} do not split into D = ${D}`);
    const z = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) z[i] = (v[i] - shift[i % D]) / scale[i % D];
    return z;
  };
  const model = fitGmm(transform(trainVectors), D, gmmOpts);
  const scorer = (vectors: Points): Float64Array => {
    const lp = gmmLogpdf(model, transform(vectors));
    for (let i = 0; i < lp.length; i++) lp[i] = logScale - lp[i];
    return lp;
  };
  return Object.assign(scorer, { model, shift, scale });
}
