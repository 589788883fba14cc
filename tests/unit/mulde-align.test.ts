import { describe, expect, it, test } from 'vitest';
import { createMixture, logpdf, smoothMixture } from '../../src/core/mixture';
import { grid2d } from '../../src/core/grid';
import { findPreset } from '../../src/core/presets';
import {
  alignConstant,
  alignLogDensity,
  cutBelow,
  densityWeights,
  levelSpread,
  levelSummaries,
  logDensityDomain,
  recoveredLogDensity,
  rms,
  weightedRms,
  levelsView,
} from '../../src/core/mulde-align';

describe('aligning −f with the exact log-density', () => {
  it('recovers the constant of f = −log q_σ − 5 exactly, leaving no gap', () => {
    const p = findPreset('three-blobs')!;
    const g = grid2d(p.view[0], p.view[1], p.view[2], p.view[3], 30, 30);
    const exact = logpdf(smoothMixture(createMixture(p.spec), 0.3), g.points);
    const f = Float32Array.from(exact, (v) => -v - 5); // what a perfect network with a level offset gives
    const negF = Float64Array.from(f, (v) => -v);
    const w = densityWeights(exact);
    const c = alignConstant(negF, exact, w);
    // float32 storage of f rounds each value by ≤ 6e-8 relative (values up to ~200 nats in the tails, weight ~0 there).
    expect(c).toBeCloseTo(-5, 5);
    expect(weightedRms(negF, exact, w, c)).toBeLessThan(1e-5);
    const rec = recoveredLogDensity(f, c);
    let worst = 0;
    for (let i = 0; i < rec.length; i++) worst = Math.max(worst, Math.abs(rec[i] - exact[i]) / Math.max(1, Math.abs(exact[i])));
    expect(worst).toBeLessThan(1e-6);
  });

  it('weights by density, skips non-finite entries, and reports the weighted RMS', () => {
    // Two points weighted 3:1 with gaps b − a = 0 and 4: c = (3·0 + 1·4)/4 = 1; residuals −1, +3 → RMS √((3·1 + 9)/4) = √3.
    const a = [0, 0, 7, 7],
      b = [0, 4, NaN, 1],
      w = [3, 1, 1, 0];
    expect(alignConstant(a, b, w)).toBe(1);
    expect(weightedRms(a, b, w, 1)).toBeCloseTo(Math.sqrt(3), 12);
    expect(alignConstant([1], [2], [0])).toBeNaN();
    expect(() => alignConstant([1, 2], [1], [1, 1])).toThrow(/invalid alignment/);
    const dw = densityWeights([-3, -1, -Infinity, -2]);
    expect(dw[1]).toBe(1);
    expect(dw[2]).toBe(0);
    expect(dw[0]).toBeCloseTo(Math.exp(-2), 12);
  });

  it('display range and cut-off for log-densities', () => {
    expect(logDensityDomain(10, [-3, -50, NaN], [-1, -Infinity])).toEqual([-11, -1]);
    expect(logDensityDomain(10, [NaN])).toEqual([0, 1]);
    expect(Array.from(cutBelow([-1, -20, -5], -10))).toEqual([-1, NaN, -5]);
  });
});

describe('f on the data across σ', () => {
  it('per-level mean and 10/50/90% quantiles, raw and centred', () => {
    // Column 0: 1…11; column 1: 10× column 0 + 100.
    const n = 11,
      L = 2;
    const v = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      v[i * L] = i + 1;
      v[i * L + 1] = 10 * (i + 1) + 100;
    }
    const [a, b] = levelSummaries(v, L);
    expect(a).toEqual({ mean: 6, lo: 2, mid: 6, hi: 10 });
    expect(b).toEqual({ mean: 160, lo: 120, mid: 160, hi: 200 });
    const [ac, bc] = levelSummaries(v, L, true);
    expect(ac).toEqual({ mean: 0, lo: -4, mid: 0, hi: 4 });
    expect(bc).toEqual({ mean: 0, lo: -40, mid: 0, hi: 40 });
    expect(levelSpread([a, b])).toBe(154);
    expect(levelSpread([])).toBeNaN();
    expect(rms([3, -4, 0, 0])).toBeCloseTo(2.5, 12);
    expect(() => levelSummaries(new Float64Array(5), 2)).toThrow(/invalid matrix/);
  });
});

describe("the compute worker's MULDE numbers", () => {
  test('alignLogDensity: −f of an exact −log q + 3 aligns back with c = −3 and no gap; levelsView summarises both', () => {
    const exact = Float64Array.from({ length: 50 }, (_, i) => -0.5 * ((i - 25) / 5) ** 2 - 1);
    const f = Float32Array.from(exact, (v) => -v + 3);
    const a = alignLogDensity(exact, f, 12);
    expect(a.c).toBeCloseTo(3, 5);
    expect(a.gap).toBeLessThan(1e-5);
    for (let i = 0; i < 50; i += 7) expect(a.learned![i]).toBeCloseTo(exact[i], 5);
    expect(a.domain).toEqual([-13, -1]);
    expect(alignLogDensity(exact, null, 12).learned).toBeNull();
    const L = 5;
    const values = Float32Array.from({ length: 40 * L }, (_, k) => (k % L) + k / 1000);
    const v = levelsView(values, values, L);
    expect(v.learned).toEqual(levelSummaries(values, L));
    expect(v.exactCentred).toEqual(levelSummaries(values, L, true));
    expect(v.spread).toBeCloseTo(levelSpread(levelSummaries(values, L)), 12);
    expect(v.rms).toBeCloseTo(rms(values), 12);
    expect(levelsView(null, values, L).learned).toBeNull();
  });
});
