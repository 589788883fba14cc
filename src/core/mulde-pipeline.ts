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
import {
  anomalyScorer,
  exactAnomalyScores,
  exactAnomalyVectors,
  heldOutNormals,
  labelledSet,
  shiftedOutliers,
  uniformBoxOutliers,
  type AnomalyScorer,
} from './anomaly';
import { GMM_MAX_DIM } from './gmm';
import type { MixtureSpec } from './mixture';
import { createRng } from './rng';
import { roc, type RocCurve } from './roc';
import { geometricSigmas } from './schedule';

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
export const MAX_LEVELS = 16;
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
    o.kind === 'uniform' ? uniformBoxOutliers(o.n, o.box, rng) : shiftedOutliers(spec, o.n, narrowShift(spec, c, o.shiftSd ?? anomalyDefaults.shiftSd), rng, c);
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
  let lo = 0,
    hi = n;
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

/** Everything one anomaly analysis needs: f at every point it scores, for every level. */
export interface AnomalyInput {
  spec: MixtureSpec;
  /** Training points (n × d). */
  data: Float32Array;
  sigmas: number[];
  k: number;
  seed: number;
  /** Map points (m × d). */
  map: Float64Array;
  /** Held-out set to evaluate, when there is one. */
  test: { x: Float32Array; labels: Uint8Array } | null;
  /** Single points the user asked about (n × d flat). */
  picks: Float32Array;
  /** f(x, σ_l) for [data, map, test, picks] in that order, row-major rows × L. */
  values: Float32Array;
}

export interface AnomalyOutput {
  /** The training points' anomaly scores, ascending (for percentiles). */
  trainSorted: Float64Array;
  /** Anomaly score of each map point, and the share of training points scoring below it. */
  mapScores: Float64Array;
  mapShare: Float64Array;
  tested: {
    scores: Float64Array;
    evaluation: Evaluation;
    /** AUC of f(·, σ_l) alone, per level. */
    single: number[];
    /** AUC of a k-component GMM fitted to the raw coordinates: the classical baseline. */
    baseline: number;
  } | null;
  /** Per pick: its score, the share of training points below it, and the exact −log p. */
  picks: { score: number; share: number; exact: number }[];
}

/** Fit the GMM on the training vectors, then score the map, the held-out set and the picks with it. */
export function analyseAnomalies(o: AnomalyInput): AnomalyOutput {
  const d = o.spec.means[0].length;
  const L = o.sigmas.length;
  const rows = [o.data.length / d, o.map.length / d, (o.test?.x.length ?? 0) / d, o.picks.length / d];
  const part = (i: number) => {
    const start = rows.slice(0, i).reduce((a, b) => a + b, 0);
    return o.values.subarray(start * L, (start + rows[i]) * L);
  };
  const scorer = fitAnomalyModel(part(0), L, o.k, o.seed);
  const trainSorted = scorer(part(0)).sort();
  const mapScores = scorer(part(1));
  const mapShare = mapScores.map((s) => percentileOf(trainSorted, s));
  let tested: AnomalyOutput['tested'] = null;
  if (o.test) {
    const vt = part(2);
    const scores = scorer(vt);
    const evaluation = evaluate(o.spec, o.data, o.test, scores, o.sigmas, o.k, o.seed);
    const n = o.test.labels.length;
    const labels = o.test.labels;
    const single = o.sigmas.map(
      (_, l) =>
        roc(
          Float64Array.from({ length: n }, (_, i) => vt[i * L + l]),
          labels,
        ).auc,
    );
    const baseline = roc(fitAnomalyModel(o.data, d, o.k, o.seed)(o.test.x), labels).auc;
    tested = { scores, evaluation, single, baseline };
  }
  const ps = rows[3] > 0 ? scorer(part(3)) : new Float64Array(0);
  const exact = rows[3] > 0 ? exactAnomalyScores(o.spec, o.picks) : new Float64Array(0);
  const picks = Array.from(ps, (score, i) => ({ score, share: percentileOf(trainSorted, score), exact: exact[i] }));
  return { trainSorted, mapScores, mapShare, tested, picks };
}
