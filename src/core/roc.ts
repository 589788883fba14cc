/**
 * ROC curve and AUC for anomaly scores: larger score = more anomalous, label 1 = anomaly, 0 = normal.
 *
 * AUC = P(s₊ > s₋) + ½ P(s₊ = s₋) for a random anomaly s₊ and a random normal s₋, computed from
 * the Mann–Whitney statistic with mid-ranks (ties count ½):
 *   AUC = (R₊ − P(P + 1)/2) / (P·N),
 * R₊ the sum of the anomalies' ranks (ascending, 1-based), P anomalies, N normals.
 * The curve steps through every distinct score as a threshold ("anomaly if s ≥ t"); a group of
 * tied scores moves diagonally, so its trapezoid area is exactly the same ½-for-ties count.
 */

export interface RocCurve {
  /** False-positive rate FP/N at each threshold, from 0 to 1. */
  fpr: Float64Array;
  /** True-positive rate TP/P at each threshold, from 0 to 1. */
  tpr: Float64Array;
  /** Thresholds, decreasing; the first is +∞ (nothing flagged), then each distinct score. */
  thresholds: Float64Array;
  /** Mann–Whitney AUC (equals trapezoidArea(fpr, tpr) up to rounding). */
  auc: number;
}

function fail(message: string): never {
  throw new Error(`invalid roc: ${message}`);
}

/** Validate and return the indices sorted by score, descending, plus the class counts. */
function prepare(scores: ArrayLike<number>, labels: ArrayLike<number>) {
  const n = scores.length;
  if (labels.length !== n) fail(`${n} scores but ${labels.length} labels`);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) fail(`score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) fail(`label ${i} is ${labels[i]}; labels must be 0 or 1`);
    pos += labels[i];
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) fail(`needs both classes (${pos} anomalies, ${neg} normals)`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || 0);
  return { order, pos, neg };
}

/** AUC by the Mann–Whitney rank statistic with mid-ranks for ties. */
export function aucMannWhitney(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return rankAuc(scores, labels, prepare(scores, labels));
}

function rankAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, prep: ReturnType<typeof prepare>): number {
  const { order, pos, neg } = prep;
  const n = order.length;
  // Walk ascending (the descending order reversed); a run of equal scores at ascending
  // positions lo…hi (0-based) shares the mid-rank (lo + hi)/2 + 1.
  let rankSum = 0;
  for (let hi = n - 1; hi >= 0;) {
    let lo = hi;
    while (lo > 0 && scores[order[lo - 1]] === scores[order[hi]]) lo--;
    // order[lo…hi] descending ↔ ascending positions n−1−hi … n−1−lo.
    const midRank = (n - 1 - hi + (n - 1 - lo)) / 2 + 1;
    for (let i = lo; i <= hi; i++) if (labels[order[i]] === 1) rankSum += midRank;
    hi = lo - 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Trapezoid area under a polyline (x, y) with non-decreasing x. */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) * 0.5;
  return a;
}

/** The ROC curve and the Mann–Whitney AUC. Throws `invalid roc: …` on NaN scores, labels other than 0/1, or one class. */
export function roc(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const prep = prepare(scores, labels);
  const { order, pos, neg } = prep;
  const fpr = [0],
    tpr = [0],
    thresholds = [Infinity];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < order.length;) {
    const t = scores[order[i]];
    // Take the whole tied group at once: one threshold, one (possibly diagonal) step.
    for (; i < order.length && scores[order[i]] === t; i++) {
      if (labels[order[i]] === 1) tp++;
      else fp++;
    }
    fpr.push(fp / neg);
    tpr.push(tp / pos);
    thresholds.push(t);
  }
  return {
    fpr: Float64Array.from(fpr),
    tpr: Float64Array.from(tpr),
    thresholds: Float64Array.from(thresholds),
    auc: rankAuc(scores, labels, prep),
  };
}
