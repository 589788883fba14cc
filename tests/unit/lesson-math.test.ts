import { describe, expect, it } from 'vitest';
import { dsmNoise } from '../../src/core/dsm-noise';
import { gridStarts, startTurns } from '../../src/core/grid-starts';
import { countLocalMaxima } from '../../src/core/modes';
import { createMixture, logpdf } from '../../src/core/mixture';
import { grid1d, grid2d } from '../../src/core/grid';
import { createRng } from '../../src/core/rng';

describe('DSM loss and gradient noise', () => {
  // p = N(0, v): E ℓ = d v/(σ²(v+σ²)), Var ℓ = 2 d (v/(σ²(v+σ²)))², E‖g‖² = 4 E ℓ (derived in dsm-noise.ts).
  const v = 1.5;
  const closed = (sigma: number, d: number) => {
    const a = v / (sigma * sigma * (v + sigma * sigma));
    return { mean: d * a, variance: 2 * d * a * a, grad: 4 * d * a };
  };
  const n = 200_000;
  // Relative standard errors at n = 2e5: mean √(2/n) ≈ 0.3%, variance of a χ²₁ √(14/n) ≈ 0.8%; 4% is > 4 standard errors.
  it.each([0.05, 0.3, 2])('matches the closed forms for a 1D Gaussian at σ = %s within 4%%', (sigma) => {
    const m = createMixture({ weights: [1], means: [[0]], covs: [[[v]]] });
    const r = dsmNoise(m, sigma, n, createRng(11));
    const c = closed(sigma, 1);
    expect(Math.abs(r.lossMean / c.mean - 1)).toBeLessThan(0.04);
    expect(Math.abs(r.lossVariance / c.variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(r.gradVariance / c.grad - 1)).toBeLessThan(0.04);
  });

  it('matches the closed forms for an isotropic 2D Gaussian (d = 2 doubles mean, variance and gradient)', () => {
    const m = createMixture({
      weights: [1],
      means: [[1, -1]],
      covs: [
        [
          [v, 0],
          [0, v],
        ],
      ],
    });
    const r = dsmNoise(m, 0.2, n, createRng(5));
    const c = closed(0.2, 2);
    expect(Math.abs(r.lossMean / c.mean - 1)).toBeLessThan(0.04);
    expect(Math.abs(r.lossVariance / c.variance - 1)).toBeLessThan(0.04);
  });

  it('grows like 1/σ² in the gradient as σ → 0 on a two-mode mixture', () => {
    const m = createMixture({ weights: [0.1, 0.9], means: [[-3], [3]], covs: [[[1]], [[1]]] });
    const a = dsmNoise(m, 0.02, 50_000, createRng(2)).gradVariance;
    const b = dsmNoise(m, 0.04, 50_000, createRng(2)).gradVariance;
    // Halving σ multiplies the gradient variance by ≈ 4 once σ ≪ the component spread (1).
    expect(a / b).toBeGreaterThan(3.8);
    expect(a / b).toBeLessThan(4.2);
  });

  it('rejects σ ≤ 0 and tiny n', () => {
    const m = createMixture({ weights: [1], means: [[0]], covs: [[[1]]] });
    expect(() => dsmNoise(m, 0, 10, createRng(1))).toThrow(/sigma/);
    expect(() => dsmNoise(m, 1, 1, createRng(1))).toThrow(/n is/);
  });
});

describe('grid starts', () => {
  it('puts side² points on the box, corners included, evenly spaced', () => {
    const g = gridStarts([-5, 5, -5, 5], 35);
    expect(g.length).toBe(35 * 35 * 2);
    expect([g[0], g[1]]).toEqual([-5, -5]);
    expect([g[g.length - 2], g[g.length - 1]]).toEqual([5, 5]);
    // Second point of the first row: one step of 10/34 to the right.
    expect(g[2]).toBeCloseTo(-5 + 10 / 34, 6);
    expect(g[35 * 2 + 1]).toBeCloseTo(-5 + 10 / 34, 6);
  });
  it('gives angles in turns counter-clockwise from +x', () => {
    const t = startTurns([1, 0, 0, 1, -1, 0, 0, -1, 1, 1, 3, 2], [0, 0]);
    expect(Array.from(t.slice(0, 5))).toEqual([0, 0.25, 0.5, 0.75, 0.125]);
    expect(startTurns([4, 3], [3, 2])[0]).toBeCloseTo(0.125, 12);
  });
  it('rejects an empty box or a side out of range', () => {
    expect(() => gridStarts([1, 1, 0, 1], 3)).toThrow(/box/);
    expect(() => gridStarts([0, 1, 0, 1], 1)).toThrow(/side/);
  });
});

describe('countLocalMaxima', () => {
  // Two equal Gaussians of variance 1 at distance d are bimodal iff d > 2 (a classic result).
  const twoHumps = (d: number, dim: 1 | 2) =>
    createMixture(
      dim === 1
        ? { weights: [0.5, 0.5], means: [[0], [d]], covs: [[[1]], [[1]]] }
        : {
            weights: [0.5, 0.5],
            means: [
              [0, 0],
              [d, 0],
            ],
            covs: [
              [
                [1, 0],
                [0, 1],
              ],
              [
                [1, 0],
                [0, 1],
              ],
            ],
          },
    );
  it.each([
    [1.8, 1],
    [2.2, 2],
  ])('1D: separation %s gives %s maxima', (d, k) => {
    const g = grid1d(-4, 6, 501);
    expect(countLocalMaxima(logpdf(twoHumps(d, 1), g.points), 501)).toBe(k);
  });
  it.each([
    [1.8, 1],
    [2.2, 2],
  ])('2D: separation %s gives %s maxima', (d, k) => {
    const g = grid2d(-4, 6, -3, 3, 201, 121);
    expect(countLocalMaxima(logpdf(twoHumps(d, 2), g.points), 201, 121)).toBe(k);
  });
  it('counts no maximum on a plateau and rejects a wrong size', () => {
    expect(countLocalMaxima([1, 1, 1], 3)).toBe(0);
    expect(() => countLocalMaxima([1, 2], 3)).toThrow(/3 × 1/);
  });
});
