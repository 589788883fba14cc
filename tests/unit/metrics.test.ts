import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/rng';
import { createMixture, pdf, score, sampleMixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { grid1d, grid2d } from '../../src/core/grid';
import { energyDistance, fisherDivergence, relativeFisherDivergence, modeShares, totalVariation, klDivergence } from '../../src/core/metrics';

const randomSet = (n: number, d: number, seed: number, shift = 0) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, (_, i) => rng.normal() + (i % d === 0 ? shift : 0));
};

describe('energy distance (V-statistic)', () => {
  it('is 0 for identical sets (up to summation order, ~1e-14) and symmetric', () => {
    const a = randomSet(300, 2, 1),
      b = randomSet(200, 2, 2);
    expect(energyDistance(a, a, 2)).toBeLessThan(1e-12);
    expect(energyDistance(a, Float64Array.from(a), 2)).toBeLessThan(1e-12);
    expect(energyDistance(a, b, 2)).toBeCloseTo(energyDistance(b, a, 2), 12);
  });

  it('has the known values for 1D point masses', () => {
    // {0} vs {1}: 2·1 − 0 − 0 = 2.  {0, 0} vs {0, 2}: E|a−b| = 1, E|a−a'| = 0, E|b−b'| = 1 → 1.
    expect(energyDistance(new Float64Array([0]), new Float64Array([1]), 1)).toBeCloseTo(2, 12);
    expect(energyDistance(new Float64Array([0, 0]), new Float64Array([0, 2]), 1)).toBeCloseTo(1, 12);
    // 2D: unit distance along a diagonal is still 1.
    expect(energyDistance(new Float64Array([0, 0]), new Float64Array([0.6, 0.8]), 2)).toBeCloseTo(2, 6);
  });

  it('equals 2∫(F_A − F_B)² dx in 1D (Székely’s identity, exact for empirical CDFs)', () => {
    const a = randomSet(137, 1, 3),
      b = randomSet(91, 1, 4, 0.7);
    const all = [...a.map((v) => v), ...b].sort((x, y) => x - y);
    let integral = 0;
    for (let k = 0; k + 1 < all.length; k++) {
      const t = all[k];
      const fa = a.filter((v) => v <= t).length / a.length,
        fb = b.filter((v) => v <= t).length / b.length;
      integral += (fa - fb) ** 2 * (all[k + 1] - t);
    }
    expect(energyDistance(a, b, 1)).toBeCloseTo(2 * integral, 9);
  });

  it('is positive for shifted sets and grows with the shift; invariant to moving both sets', () => {
    const a = randomSet(400, 2, 5);
    const d = [0.5, 1, 2].map((s) => energyDistance(a, randomSet(400, 2, 6, s), 2));
    expect(d[0]).toBeGreaterThan(0.05);
    expect(d[1]).toBeGreaterThan(d[0]);
    expect(d[2]).toBeGreaterThan(d[1]);
    const b = randomSet(400, 2, 6, 1);
    const move = (x: Float32Array) => Float64Array.from(x, (v, i) => v + (i % 2 ? -3 : 10));
    expect(energyDistance(move(a), move(b), 2)).toBeCloseTo(d[1], 5);
  });

  it('subsampling to maxPoints keeps the value within its sampling error', () => {
    // Shift 1 in 2D: D² ≈ 0.5 (large-sample value); a 1000-point subset adds O(1/1000·E‖X−X'‖) noise.
    const a = randomSet(4000, 2, 7),
      b = randomSet(4000, 2, 8, 1);
    const full = energyDistance(a, b, 2, { maxPoints: 4000 });
    const sub = energyDistance(a, b, 2, { maxPoints: 1000, rng: createRng(9) });
    const stride = energyDistance(a, b, 2, { maxPoints: 1000 });
    expect(Math.abs(sub - full)).toBeLessThan(0.03);
    expect(Math.abs(stride - full)).toBeLessThan(0.03);
    expect(() => energyDistance(a, new Float32Array(3), 2)).toThrow(/n × 2/);
  });
});

describe('total variation and KL on a grid', () => {
  it('known values on tiny grids, independent of each density’s scale', () => {
    // Disjoint supports: TV = 1, KL = ∞.
    expect(totalVariation([1, 1, 0, 0], [0, 0, 1, 1], 1)).toBeCloseTo(1, 12);
    expect(klDivergence([1, 1, 0, 0], [0, 0, 1, 1], 1)).toBe(Infinity);
    // p ∝ [1, 3], q ∝ [1, 1], cell 0.5 → p̂ = [0.5, 1.5], q̂ = [1, 1]:
    // TV = ½(0.5 + 0.5)·0.5 = 0.25; KL = 0.5(0.5 ln 0.5 + 1.5 ln 1.5) = 0.130812…
    expect(totalVariation([1, 3], [1, 1], 0.5)).toBeCloseTo(0.25, 12);
    expect(totalVariation([10, 30], [7, 7], 0.5)).toBeCloseTo(0.25, 12);
    expect(klDivergence([1, 3], [1, 1], 0.5)).toBeCloseTo(0.5 * (0.5 * Math.log(0.5) + 1.5 * Math.log(1.5)), 12);
    expect(klDivergence([2, 2, 5], [4, 4, 10], 1)).toBeCloseTo(0, 12);
  });

  it('N(0,1) vs N(1,1) on a fine grid: TV = 2Φ(½) − 1, KL = ½', () => {
    // Riemann sums of smooth integrands with negligible tails are spectrally accurate: KL on
    // dx = 0.05 agrees to ≪ 1e-6. |p − q| has a kink at x = ½, which costs O(dx²·|p'|) in TV:
    // measured 7.3e-5, so TV is held to 2e-4.
    const g = grid1d(-12, 13, 501);
    const p = pdf(createMixture({ weights: [1], means: [[0]], covs: [[[1]]] }), g.points);
    const q = pdf(createMixture({ weights: [1], means: [[1]], covs: [[[1]]] }), g.points);
    expect(Math.abs(totalVariation(p, q, g) - 0.3829249225480262)).toBeLessThan(2e-4);
    expect(klDivergence(p, q, g)).toBeCloseTo(0.5, 6);
    expect(() => totalVariation(p, q.subarray(1), g)).toThrow(/501 and 500/);
  });
});

describe('Fisher divergence on a grid', () => {
  it('is zero for equal fields; a field scaled by c has relative divergence (c − 1)²', () => {
    const m = createMixture(findPreset('three-blobs')!.spec);
    const g = grid2d(-9, 11, -5, 11, 40, 40);
    const s = score(m, g.points),
      w = pdf(m, g.points);
    expect(fisherDivergence(s, s, w, 2)).toBe(0);
    expect(relativeFisherDivergence(s, s, w, 2)).toBe(0);
    const scaled = Float64Array.from(s, (v) => 1.5 * v);
    expect(relativeFisherDivergence(scaled, s, w, 2)).toBeCloseTo(0.25, 12);
    expect(relativeFisherDivergence(new Float64Array(s.length), s, w, 2)).toBeCloseTo(1, 12);
  });

  it('known value: for N(0, I₂), s = −x, E‖s‖² = 2, so the field 1.5 s is off by 0.25·2 = 0.5', () => {
    const g = grid2d(-9, 9, -9, 9, 181, 181);
    const s = Float64Array.from(g.points, (v) => -v);
    const w = pdf(
      createMixture({
        weights: [1],
        means: [[0, 0]],
        covs: [
          [
            [1, 0],
            [0, 1],
          ],
        ],
      }),
      g.points,
    );
    expect(
      fisherDivergence(
        Float64Array.from(s, (v) => 1.5 * v),
        s,
        w,
        2,
      ),
    ).toBeCloseTo(0.5, 6);
    expect(() => fisherDivergence(s, s.subarray(2), w, 2)).toThrow(/fisherDivergence/);
  });
});

describe('mode shares', () => {
  const m = createMixture(findPreset('three-blobs')!.spec);

  it('true samples: shares match the component labels to within the few overlapping points', () => {
    const { x, labels } = sampleMixture(m, 3000, createRng(1));
    const ms = modeShares(m, x);
    for (let k = 0; k < 3; k++) {
      const frac = labels.filter((l) => l === k).length / 3000;
      expect(Math.abs(ms.shares[k] - frac)).toBeLessThan(0.005);
    }
    expect(ms.none).toBe(0);
    // With maxMahalanobis 4 only ≈ 0.03% of true 2D samples fall outside.
    expect(modeShares(m, x, { maxMahalanobis: 4 }).none).toBeLessThan(0.003);
  });

  it('points at the means go to their component; NaN points count as none, far ones when asked', () => {
    const x = new Float32Array([0, 0, 6, 6, -4, 5, 100, -100, NaN, 0]);
    const all = modeShares(m, x);
    // Without a cut-off the far point still goes to its most responsible component; NaN never does.
    expect(Array.from(all.counts).reduce((a, b) => a + b)).toBe(4);
    expect(all.none).toBeCloseTo(0.2, 12);
    const strict = modeShares(m, x, { maxMahalanobis: 4 });
    expect(Array.from(strict.counts)).toEqual([1, 1, 1]);
    expect(strict.none).toBeCloseTo(0.4, 12);
    expect(strict.shares[0]).toBeCloseTo(0.2, 12);
  });
});
