import { describe, expect, it } from 'vitest';
import { parzenLogDensity, parzenScore } from '../../src/core/parzen';
import { createMixture, logpdf, score } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';

/** The same estimate built the other way: a mixture of n equal-weight components with covariance σ² I. */
function asMixture(data: number[][], sigma: number) {
  const d = data[0].length;
  const eye =
    d === 1
      ? [[sigma * sigma]]
      : [
          [sigma * sigma, 0],
          [0, sigma * sigma],
        ];
  return createMixture({ weights: data.map(() => 1 / data.length), means: data, covs: data.map(() => eye) });
}

describe('Parzen-window score', () => {
  const rng = createRng(3);
  const pts2 = Array.from({ length: 12 }, () => [3 * rng.normal(), 3 * rng.normal()]);
  const pts1 = Array.from({ length: 9 }, () => [2 * rng.normal()]);
  const x2 = Float64Array.from({ length: 40 }, () => 4 * rng.normal());
  const x1 = Float64Array.from({ length: 25 }, () => 3 * rng.normal());

  it.each([0.1, 0.5, 2])('equals the score and log-density of the equivalent mixture in 2D (σ = %s) to 1e-9', (sigma) => {
    const m = asMixture(pts2, sigma);
    const data = Float64Array.from(pts2.flat());
    const s = parzenScore(data, 2, sigma, x2);
    const ref = score(m, x2);
    for (let i = 0; i < s.length; i++) expect(s[i]).toBeCloseTo(ref[i], 9);
    const l = parzenLogDensity(data, 2, sigma, x2);
    const lref = logpdf(m, x2);
    for (let i = 0; i < l.length; i++) expect(l[i]).toBeCloseTo(lref[i], 9);
  });

  it('is the derivative of its log-density in 1D (central differences, h = 1e-5, to 1e-5)', () => {
    const data = Float64Array.from(pts1.flat());
    const sigma = 0.3;
    const s = parzenScore(data, 1, sigma, x1);
    const h = 1e-5;
    const up = parzenLogDensity(
      data,
      1,
      sigma,
      x1.map((v) => v + h),
    );
    const dn = parzenLogDensity(
      data,
      1,
      sigma,
      x1.map((v) => v - h),
    );
    for (let i = 0; i < s.length; i++) expect(s[i]).toBeCloseTo((up[i] - dn[i]) / (2 * h), 5);
  });

  it('stays finite far from every point (log-sum-exp), pointing back at the nearest one', () => {
    const data = Float64Array.from([0, 1]);
    const s = parzenScore(data, 1, 0.05, Float64Array.from([40]));
    // Far to the right the nearest point (1) dominates: (1 − 40)/σ².
    expect(s[0]).toBeCloseTo((1 - 40) / 0.0025, 6);
    expect(Number.isFinite(parzenLogDensity(data, 1, 0.05, Float64Array.from([40]))[0])).toBe(true);
  });

  it('rejects bad input with a named reason', () => {
    expect(() => parzenScore(new Float64Array(0), 1, 0.1, x1)).toThrow(/data/);
    expect(() => parzenScore(Float64Array.from([1, 2, 3]), 2, 0.1, x2)).toThrow(/data/);
    expect(() => parzenScore(Float64Array.from([1]), 1, 0, x1)).toThrow(/sigma/);
  });
});
