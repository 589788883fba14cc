/**
 * The plain MLP's tangents against central finite differences of its own forward pass, the exact
 * trace against the finite-difference trace, and the sliced estimate's mean against the exact
 * trace: exactly over every Rademacher sign pattern, within a Monte Carlo bound for Gaussian v.
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/core/rng';
import { createPlainMlp, exactTrace, scoreAndTangents, slicedTrace, smLossOf, ssmLossOf } from '../../src/core/mlp-trace';

const H = 1e-5;
const score = (net: ReturnType<typeof createPlainMlp>, x: ArrayLike<number>) => scoreAndTangents(net, x, new Float64Array(0)).s;

function point(d: number, seed: number): Float64Array {
  return createRng(seed).fillNormal(new Float64Array(d)) as Float64Array;
}

/** All 2^d vectors of ±1. */
function signPatterns(d: number): Float64Array[] {
  return Array.from({ length: 2 ** d }, (_, m) => Float64Array.from({ length: d }, (_, j) => ((m >> j) & 1 ? 1 : -1)));
}

describe('plain MLP tangents', () => {
  for (const d of [1, 3, 8])
    test(`d = ${d}: (∇ₓs)u matches central differences (s(x + hu) − s(x − hu)) / 2h`, () => {
      const net = createPlainMlp(d, 16, 2, createRng(d));
      const x = point(d, 10 + d);
      const u = point(d, 20 + d);
      const { ju } = scoreAndTangents(net, x, u);
      const plus = score(
        net,
        x.map((v, j) => v + H * u[j]),
      );
      const minus = score(
        net,
        x.map((v, j) => v - H * u[j]),
      );
      // float64 central differences: truncation ~h²·s‴ ≈ 1e-10, rounding ~1e-16/h ≈ 1e-11.
      for (let j = 0; j < d; j++) expect(Math.abs(ju[j] - (plus[j] - minus[j]) / (2 * H))).toBeLessThan(1e-8);
    });

  test('the exact trace of a d = 16 net equals the sum of the finite-difference diagonal', () => {
    const d = 16;
    const net = createPlainMlp(d, 24, 3, createRng(4));
    const x = point(d, 5);
    const { trace } = exactTrace(net, x);
    let fd = 0;
    for (let j = 0; j < d; j++) {
      const xp = x.slice();
      const xm = x.slice();
      xp[j] += H;
      xm[j] -= H;
      fd += (score(net, xp)[j] - score(net, xm)[j]) / (2 * H);
    }
    expect(Math.abs(trace - fd)).toBeLessThan(1e-8 * d);
    // Not a trivially small number: the check has something to compare.
    expect(Math.abs(trace)).toBeGreaterThan(1e-3);
  });
});

describe('the sliced estimate is unbiased', () => {
  test('over every Rademacher pattern, mean vᵀJv is the trace and the mean sliced loss is the SM loss (d = 5)', () => {
    const d = 5;
    const net = createPlainMlp(d, 12, 2, createRng(7));
    const points = createRng(8).fillNormal(new Float64Array(3 * d)) as Float64Array;
    const patterns = signPatterns(d);
    const x = points.subarray(0, d);
    const mean = patterns.reduce((a, v) => a + slicedTrace(net, x, v).vJv, 0) / patterns.length;
    // Σ over all patterns of v_i v_j is 2^d δ_ij exactly: equal up to rounding.
    expect(Math.abs(mean - exactTrace(net, x).trace)).toBeLessThan(1e-12);
    let sliced = 0;
    for (const v of patterns) {
      const vs = new Float64Array(points.length);
      for (let i = 0; i < 3; i++) vs.set(v, i * d);
      sliced += ssmLossOf(net, points, vs) / patterns.length;
    }
    expect(Math.abs(sliced - smLossOf(net, points))).toBeLessThan(1e-12);
  });

  test('Gaussian v (d = 32): the mean of 4000 draws is within 4 standard errors of the trace', () => {
    const d = 32;
    const net = createPlainMlp(d, 32, 2, createRng(11));
    const x = point(d, 12);
    const rng = createRng(13);
    const draws = Array.from({ length: 4000 }, () => slicedTrace(net, x, rng.fillNormal(new Float64Array(d))).vJv);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
    const se = sd / Math.sqrt(draws.length);
    const { trace } = exactTrace(net, x);
    expect(Math.abs(mean - trace)).toBeLessThan(4 * se);
    // The bound is tight enough to catch a missing diagonal term (|J_jj| ~ |trace| / d).
    expect(4 * se).toBeLessThan(Math.abs(trace) / 4 + 0.05);
  });

  test('a bad shape is refused with the numbers', () => {
    expect(() => createPlainMlp(0, 8, 1, createRng(1))).toThrow('invalid MLP shape: dim 0, width 8, depth 1');
  });
});
