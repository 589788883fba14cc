/**
 * The MULDE anomaly pipeline without the network: noise levels, test sets, the GMM scorer on
 * anomaly vectors and its evaluation against the exact density. Pure functions over core, so the
 * panel and the Node test (which gets its f values from a trainer instead of the worker) share
 * every step.
 *
 * An anomaly vector is v(x) = [f(x,σ₁), …, f(x,σ_L)] (n × L, row-major), σ geometric over the
 * trained range; the GMM is fitted on the training points' vectors and the anomaly score is
 * s(x) = −log p_GMM(v(x)): larger means more anomalous.
 */
import { anomalyScorer, exactAnomalyScores, exactAnomalyVectors, heldOutNormals, labelledSet, shiftedOutliers, uniformBoxOutliers, type AnomalyScorer } from '../../core/anomaly';
import { GMM_MAX_DIM } from '../../core/gmm';
import type { MixtureSpec } from '../../core/mixture';
import { createRng } from '../../core/rng';
import { roc, type RocCurve } from '../../core/roc';
import { geometricSigmas } from '../../core/schedule';

/** Defaults of the anomaly lesson (the panel's controls start here). */
export const anomalyDefaults = {
  /** Noise levels L in the vector. */
  levels: 6,
  /** GMM components. */
  k: 2,
  /** Held-out normals and outliers, each. */
  nTest: 500,
  /** Shift of the displaced component, in standard deviations along its narrowest axis. */
  shiftSd: 3,
  /** Grid side of the anomaly map. */
  mapSide: 60,
};

/** Most levels the panel offers for the anomaly vector (the GMM itself takes up to 32). */
export const MAX_LEVELS = 10;
export const MAX_K = 4;

/** L noise levels geometric over [σ_min, σ_max], smallest first (the order plots read). */
export function anomalySigmas(sigmaMin: number, sigmaMax: number, levels: number): number[] {
  if (!Number.isInteger(levels) || levels < 1 || levels > GMM_MAX_DIM) throw new Error(`invalid levels: ${levels}; use 1…${GMM_MAX_DIM}`);
  return Array.from(geometricSigmas(sigmaMin, sigmaMax, levels)).reverse();
}

/**
 * Fit the GMM (standardised vectors, full covariances) to the training vectors. The k-means++
 * start is seeded, so the same vectors give the same scorer. `k` is capped at n.
 */
export function fitAnomalyModel(trainVectors: Float32Array | Float64Array, levels: number, k: number, seed = 0): AnomalyScorer {
  const n = trainVectors.length / levels;
  return anomalyScorer(trainVectors, levels, { k: Math.max(1, Math.min(k, n)), rng: createRng(seed), nInit: 4 });
}

export type OutlierKind = 'uniform' | 'shifted';

export interface TestSetOptions {
  kind: OutlierKind;
  /** Points per class. */
  n: number;
  seed: number;
  /** The box for uniform outliers (the view box). */
  box: readonly number[];
  /** Shifted component: which one (0-based) and how far, in sd along its narrowest axis. */
  component?: number;
  shiftSd?: number;
}

/**
 * The shift that moves component `c` by `sd` standard deviations along the eigenvector of its
 * smallest variance: the direction where the blob is thinnest, so the displaced copy overlaps it
 * least for a given distance.
 */
export function narrowShift(spec: MixtureSpec, c: number, sd: number): number[] {
  const S = spec.covs[c];
  if (S.length === 1) return [sd * Math.sqrt(S[0][0])];
  const [a, b, d] = [S[0][0], S[0][1], S[1][1]];
  const lam = (a + d) / 2 - Math.sqrt(((a - d) / 2) ** 2 + b * b);
  // Eigenvector of λ_min: (b, λ − a), or the axis when b = 0.
  let v = Math.abs(b) > 1e-12 ? [b, lam - a] : a <= d ? [1, 0] : [0, 1];
  const r = Math.hypot(v[0], v[1]);
  v = [v[0] / r, v[1] / r];
  // A fixed sign (pointing to +x, or +y when vertical) keeps the set reproducible.
  if (v[0] < 0 || (v[0] === 0 && v[1] < 0)) v = [-v[0], -v[1]];
  const s = sd * Math.sqrt(Math.max(lam, 0));
  return [s * v[0], s * v[1]];
}

/** Held-out normals (label 0) then outliers (label 1), with their own seeds (not the training data's). */
export function makeTestSet(spec: MixtureSpec, o: TestSetOptions): { x: Float32Array; labels: Uint8Array } {
  const d = spec.means[0].length;
  const normals = heldOutNormals(spec, o.n, o.seed + 101);
  const rng = createRng(o.seed + 102);
  const c = Math.min(Math.max(0, o.component ?? 0), spec.weights.length - 1);
  const outliers =
    o.kind === 'uniform'
      ? uniformBoxOutliers(o.n, o.box, rng)
      : shiftedOutliers(spec, o.n, narrowShift(spec, c, o.shiftSd ?? anomalyDefaults.shiftSd), rng, c);
  return labelledSet(normals, outliers, d);
}

export interface Evaluation {
  learned: RocCurve;
  /** Ranking by the exact −log p of the true mixture on the same points. */
  exact: RocCurve;
  /** AUC of the GMM on exact vectors [−log q_σ(x)]: the pipeline with a perfect network. */
  perfectAuc: number;
}

/** ROC of the learned scores, of the exact density, and the AUC of the perfect-network pipeline. */
export function evaluate(
  spec: MixtureSpec,
  train: Float32Array,
  test: { x: Float32Array; labels: Uint8Array },
  learnedScores: ArrayLike<number>,
  sigmas: readonly number[],
  k: number,
  seed = 0,
): Evaluation {
  const learned = roc(learnedScores, test.labels);
  const exact = roc(exactAnomalyScores(spec, test.x), test.labels);
  const perfect = fitAnomalyModel(exactAnomalyVectors(spec, train, sigmas), sigmas.length, k, seed);
  const perfectAuc = roc(perfect(exactAnomalyVectors(spec, test.x, sigmas)), test.labels).auc;
  return { learned, exact, perfectAuc };
}

/** Share of `sorted` (ascending) strictly below v, with ties counted half: a mid-rank percentile in [0, 1]. */
export function percentileOf(sorted: ArrayLike<number>, v: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(v)) return NaN;
  let lo = 0, hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m] < v) lo = m + 1;
    else hi = m;
  }
  let eq = lo;
  while (eq < n && sorted[eq] === v) eq++;
  return (lo + (eq - lo) / 2) / n;
}

/** Thin a ROC polyline to at most `max` vertices for drawing (keeps both ends). */
export function thinCurve(fpr: ArrayLike<number>, tpr: ArrayLike<number>, max = 400): [number, number][] {
  const n = fpr.length;
  const step = Math.max(1, Math.ceil(n / max));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i += step) out.push([fpr[i], tpr[i]]);
  if (n > 0 && (n - 1) % step !== 0) out.push([fpr[n - 1], tpr[n - 1]]);
  return out;
}
