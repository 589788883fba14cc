import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/rng';
import { roc, aucMannWhitney, trapezoidArea } from '../../src/core/roc';

/** Standard normal CDF via erf (Abramowitz–Stegun 7.1.26, |error| ≤ 1.5e-7: far below the tolerances used). */
function Phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2,
    t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + Math.sign(z) * erf);
}

/** Brute force P(s₊ > s₋) + ½ P(s₊ = s₋) over all pairs: the definition the rank formula must match. */
function pairwiseAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wins = 0,
    pairs = 0;
  for (let i = 0; i < scores.length; i++)
    for (let j = 0; j < scores.length; j++)
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

describe('ROC and AUC', () => {
  it('perfect separation gives 1, reversed gives 0, all ties give 0.5', () => {
    const labels = [0, 0, 0, 1, 1];
    expect(roc([1, 2, 3, 4, 5], labels).auc).toBe(1);
    expect(roc([5, 4, 3, 2, 1], labels).auc).toBe(0);
    const tied = roc([7, 7, 7, 7, 7], labels);
    expect(tied.auc).toBe(0.5);
    // All tied: one threshold takes everyone, so the curve is the diagonal (0,0) → (1,1).
    expect([...tied.fpr]).toEqual([0, 1]);
    expect([...tied.tpr]).toEqual([0, 1]);
    expect([...tied.thresholds]).toEqual([Infinity, 7]);
  });

  it('a small hand-computed example with a tie', () => {
    // Anomalies 0.9, 0.8, 0.5; normals 0.8, 0.3, 0.1. Pairs won: 0.9 → 3; 0.8 → 2 + ½ (tie);
    // 0.5 → 2. AUC = 7.5/9 = 5/6.
    const scores = [0.9, 0.8, 0.8, 0.5, 0.3, 0.1],
      labels = [1, 0, 1, 1, 0, 0];
    const r = roc(scores, labels);
    expect(r.auc).toBeCloseTo(5 / 6, 14);
    expect([...r.thresholds]).toEqual([Infinity, 0.9, 0.8, 0.5, 0.3, 0.1]);
    expect([...r.fpr]).toEqual([0, 0, 1 / 3, 1 / 3, 2 / 3, 1]);
    expect([...r.tpr]).toEqual([0, 1 / 3, 2 / 3, 1, 1, 1]);
    expect(trapezoidArea(r.fpr, r.tpr)).toBeCloseTo(5 / 6, 14);
  });

  it('AUC equals the trapezoid area of the curve and the pairwise definition, with many ties', () => {
    const rng = createRng(1);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.int(60);
      const levels = 1 + rng.int(6); // few distinct scores: lots of ties, including mixed-label ones
      const scores = Array.from({ length: n }, () => rng.int(levels));
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.int(2)));
      const r = roc(scores, labels);
      // Both sides are sums of at most n multiples of 1/(P·N) in float64: 1e-12 is rounding.
      expect(Math.abs(r.auc - trapezoidArea(r.fpr, r.tpr))).toBeLessThan(1e-12);
      expect(Math.abs(r.auc - pairwiseAuc(scores, labels))).toBeLessThan(1e-12);
      expect(aucMannWhitney(Float64Array.from(scores), Uint8Array.from(labels))).toBe(r.auc);
      expect(r.fpr[r.fpr.length - 1]).toBe(1);
      expect(r.tpr[r.tpr.length - 1]).toBe(1);
    }
  });

  it('N(0,1) normals vs N(d,1) anomalies give AUC ≈ Φ(d/√2)', () => {
    // s₊ − s₋ ~ N(d, 2), so P(s₊ > s₋) = Φ(d/√2). With 20 000 per class the Hanley–McNeil
    // standard error is ≤ 0.003 (largest at AUC ½), so 0.01 is about 3.5 SE.
    const rng = createRng(2),
      n = 20000;
    for (const d of [0, 1, 2]) {
      const scores = new Float64Array(2 * n),
        labels = new Uint8Array(2 * n).fill(1, n);
      for (let i = 0; i < 2 * n; i++) scores[i] = rng.normal() + (i >= n ? d : 0);
      const auc = roc(scores, labels).auc;
      console.log(`d = ${d}: AUC ${auc.toFixed(4)} vs Φ(d/√2) = ${Phi(d / Math.SQRT2).toFixed(4)}`);
      expect(Math.abs(auc - Phi(d / Math.SQRT2))).toBeLessThan(0.01);
    }
  });

  it('rejects input it cannot rank', () => {
    expect(() => roc([1, 2], [0])).toThrow(/invalid roc: 2 scores but 1 labels/);
    expect(() => roc([1, 2], [0, 2])).toThrow(/invalid roc: label 1 is 2/);
    expect(() => roc([1, NaN], [0, 1])).toThrow(/invalid roc: score 1 is NaN/);
    expect(() => roc([1, 2], [1, 1])).toThrow(/invalid roc: needs both classes/);
    // Infinite scores are legitimate (−log p of a point where p underflows) and rank normally.
    expect(roc([Infinity, 1, -Infinity], [1, 0, 0]).auc).toBe(1);
  });
});
