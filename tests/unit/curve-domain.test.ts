import { describe, it, expect } from 'vitest';
import { lossDomain, logDomain, logTicks } from '../../src/ui/charts/curve-domain';

describe('loss axis', () => {
  it('starts at 0 when the losses sit near it, and covers the floor', () => {
    const r = lossDomain([0.4, 0.3, 2, 0.25], [0.1]);
    expect(r.zero).toBe(true);
    expect(r.domain[0]).toBe(0);
    // The 98th percentile of the four losses (d3's linear interpolation: 0.4 + 0.94·1.6).
    expect(r.domain[1]).toBeCloseTo(1.904, 12);
  });

  it('does not start at 0 when the curve would shrink to a sliver; it says so', () => {
    // NCSN-like: the loss falls from 1.2 to its floor near 0.75.
    const raw = Array.from({ length: 100 }, (_, i) => 0.76 + 0.44 * Math.exp(-i / 10));
    const r = lossDomain(raw, [0.75, 0.75]);
    expect(r.zero).toBe(false);
    expect(r.domain[0]).toBe(0.75);
    expect(r.domain[1]).toBeLessThan(1.2);
  });

  it('spans 0 for a loss that goes negative (SM) and includes a floor below it', () => {
    const r = lossDomain([0.1, -0.5, -1, -1.1], [-1.3, -1.25]);
    expect(r.domain[0]).toBe(-1.3);
    expect(r.zero).toBe(true);
  });

  it('leaves out the top and bottom 2% (early spikes) and survives no data or one value', () => {
    const raw = [...Array.from({ length: 98 }, (_, i) => 1 + i / 98), 500, -400];
    const r = lossDomain(raw, null);
    expect(r.domain[1]).toBeLessThan(3);
    expect(r.domain[0]).toBeGreaterThan(-10);
    expect(lossDomain([], null)).toEqual({ domain: [0, 1], zero: true });
    const one = lossDomain([2], null);
    expect(one.domain[1]).toBeGreaterThan(one.domain[0]);
  });
});

describe('log axis', () => {
  it('covers the values and the reference, a quarter decade padded', () => {
    const [lo, hi] = logDomain([0.02, 0.5, NaN, -1, 0], 1);
    expect(lo).toBeCloseTo(0.02 / 10 ** 0.25, 12);
    expect(hi).toBeCloseTo(10 ** 0.25, 12);
  });

  it('ticks at powers of ten, or at 1-2-5 within a decade', () => {
    expect(logTicks(0.005, 2)).toEqual([0.01, 0.1, 1]);
    expect(logTicks(0.15, 0.9)).toEqual([0.2, 0.5]);
    expect(logTicks(0, 1)).toEqual([]);
  });
});
