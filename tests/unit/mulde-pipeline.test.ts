import { describe, expect, it } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { findPreset } from '../../src/core/presets';
import { exactAnomalyVectors } from '../../src/core/anomaly';
import { analyseAnomalies, anomalySigmas, evaluate, fitAnomalyModel, makeTestSet, narrowShift, percentileOf, thinCurve } from '../../src/core/mulde-pipeline';
import { exactAnomalyScores } from '../../src/core/anomaly';
import { roc } from '../../src/core/roc';

const preset = findPreset('three-blobs')!;
const spec = preset.spec;
const train = sampleMixture(createMixture(spec), preset.n, createRng(1)).x;

function mean(x: Float32Array, d: number, a: number, from = 0, to = x.length / d): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i * d + a];
  return s / (to - from);
}

describe('MULDE anomaly pipeline helpers', () => {
  it('noise levels: geometric over the trained range, smallest first', () => {
    const s = anomalySigmas(0.05, 5, 5);
    expect(s[0]).toBeCloseTo(0.05, 12);
    expect(s[4]).toBeCloseTo(5, 12);
    for (let i = 1; i < 5; i++) expect(s[i] / s[i - 1]).toBeCloseTo(10 ** 0.5, 10);
    expect(anomalySigmas(0.1, 2, 1)).toEqual([0.1]);
    expect(() => anomalySigmas(0.1, 2, 0)).toThrow(/invalid levels/);
    expect(() => anomalySigmas(0.1, 2, 33)).toThrow(/invalid levels/);
  });

  it('narrowShift moves a component along its thinnest axis by sd standard deviations', () => {
    // Σ = [[1, .5], [.5, 1]]: λ_min = 0.5 along (1, −1)/√2; 2 sd = 2·√0.5 → shift (1, −1).
    const s = narrowShift(spec, 0, 2);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(-1, 12);
    // Axis-aligned: Σ = diag(0.8, 2) → the x axis, √0.8 per sd.
    const t = narrowShift(spec, 2, 1);
    expect(t[0]).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(t[1]).toBe(0);
    expect(narrowShift({ weights: [1], means: [[0]], covs: [[[4]]] }, 0, 3)).toEqual([6]);
  });

  it('test sets: normals then outliers, reproducible, outliers where they should be', () => {
    const u = makeTestSet(spec, { kind: 'uniform', n: 400, seed: 1, box: preset.view });
    expect(u.labels.length).toBe(800);
    expect(u.labels.slice(0, 400).every((l) => l === 0) && u.labels.slice(400).every((l) => l === 1)).toBe(true);
    expect(makeTestSet(spec, { kind: 'uniform', n: 400, seed: 1, box: preset.view }).x).toEqual(u.x);
    for (let i = 400; i < 800; i++) {
      expect(u.x[2 * i]).toBeGreaterThanOrEqual(-9);
      expect(u.x[2 * i]).toBeLessThan(11);
      expect(u.x[2 * i + 1]).toBeGreaterThanOrEqual(-5);
      expect(u.x[2 * i + 1]).toBeLessThan(11);
    }
    // Shifted component 1 (mean (6, 6), variance 1.5 per axis): the outliers' mean is its mean plus
    // the shift, within 5 SE (√(1.5/2000) ≈ 0.03).
    const sh = makeTestSet(spec, { kind: 'shifted', n: 2000, seed: 2, box: preset.view, component: 1, shiftSd: 3 });
    const d = narrowShift(spec, 1, 3);
    expect(Math.abs(mean(sh.x, 2, 0, 2000, 4000) - (6 + d[0]))).toBeLessThan(0.15);
    expect(Math.abs(mean(sh.x, 2, 1, 2000, 4000) - (6 + d[1]))).toBeLessThan(0.15);
    // Normals are not the training points (their own seed).
    expect(u.x.subarray(0, 10)).not.toEqual(train.subarray(0, 10));
  });

  it('evaluate: scores equal to the perfect-network pipeline give its AUC; the exact ROC is −log p', () => {
    const sigmas = anomalySigmas(0.05, 5, 4);
    const test = makeTestSet(spec, { kind: 'uniform', n: 300, seed: 3, box: preset.view });
    const perfect = fitAnomalyModel(exactAnomalyVectors(spec, train, sigmas), 4, 2, 7);
    const ev = evaluate(spec, train, test, perfect(exactAnomalyVectors(spec, test.x, sigmas)), sigmas, 2, 7);
    expect(ev.learned.auc).toBe(ev.perfectAuc);
    expect(ev.exact.auc).toBeGreaterThan(0.9);
    expect(ev.learned.auc).toBeGreaterThan(ev.exact.auc - 0.05);
    // The same seed refits the same model; k is capped at n.
    const again = fitAnomalyModel(exactAnomalyVectors(spec, train, sigmas), 4, 2, 7);
    expect(again.model.means).toEqual(perfect.model.means);
    expect(fitAnomalyModel(new Float64Array([1, 2, 3, 4]), 2, 4).model.k).toBe(2);
  });

  it('percentileOf: mid-rank share of sorted scores below a value', () => {
    const s = Float64Array.from([1, 2, 2, 3]);
    expect(percentileOf(s, 0)).toBe(0);
    expect(percentileOf(s, 10)).toBe(1);
    expect(percentileOf(s, 2)).toBe(0.5); // one below, two tied → (1 + 1)/4
    expect(percentileOf(s, 2.5)).toBe(0.75);
    expect(percentileOf(s, NaN)).toBeNaN();
    expect(percentileOf([], 1)).toBeNaN();
  });

  it('thinCurve keeps both ends and at most max + 1 vertices', () => {
    const n = 1001;
    const fpr = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    const c = thinCurve(fpr, fpr, 100);
    expect(c.length).toBeLessThanOrEqual(101);
    expect(c[0]).toEqual([0, 0]);
    expect(c.at(-1)).toEqual([1, 1]);
    expect(thinCurve([0, 1], [0, 1], 100)).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("analyseAnomalies (the compute worker's job) gives what the steps give one by one", () => {
    const sigmas = anomalySigmas(0.1, 3, 4);
    const L = sigmas.length;
    const test = makeTestSet(spec, { kind: 'uniform', n: 60, seed: 5, box: preset.view });
    const map = Float64Array.from([0, 0, 1, 1, -2, 3]);
    const picks = Float32Array.from([0.5, 0.5, 4, -4]);
    // Exact vectors stand in for the network's f: the split into parts is what is under test.
    const parts = [train, Float32Array.from(map), test.x, picks];
    const values = Float32Array.from(parts.flatMap((p) => Array.from(exactAnomalyVectors(spec, p, sigmas))));
    const out = analyseAnomalies({ spec, data: train, sigmas, k: 2, seed: 3, map, test, picks, values });
    const vec = (p: Float32Array) => Float32Array.from(exactAnomalyVectors(spec, p, sigmas));
    const scorer = fitAnomalyModel(vec(train), L, 2, 3);
    const trainSorted = scorer(vec(train)).sort();
    expect(out.trainSorted).toEqual(trainSorted);
    expect(out.mapScores).toEqual(scorer(vec(Float32Array.from(map))));
    const scores = scorer(vec(test.x));
    expect(out.tested!.scores).toEqual(scores);
    expect(out.tested!.evaluation.learned.auc).toBe(evaluate(spec, train, test, scores, sigmas, 2, 3).learned.auc);
    expect(out.tested!.single[0]).toBe(
      roc(
        Float64Array.from({ length: 120 }, (_, i) => vec(test.x)[i * L]),
        test.labels,
      ).auc,
    );
    const ps = scorer(vec(picks));
    expect(out.picks.map((p) => p.score)).toEqual(Array.from(ps));
    expect(out.picks[1].exact).toBe(exactAnomalyScores(spec, picks)[1]);
    expect(out.picks[1].share).toBe(percentileOf(trainSorted, ps[1]));
    expect(
      analyseAnomalies({
        spec,
        data: train,
        sigmas,
        k: 2,
        seed: 3,
        map,
        test: null,
        picks: new Float32Array(0),
        values: values.subarray(0, (train.length / 2 + 3) * L),
      }).tested,
    ).toBeNull();
  });
});
