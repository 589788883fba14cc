import { describe, it, expect } from 'vitest';
import { movingAverage, smoothingHalfWidth } from '../../src/core/smooth';
import { LossHistory, StepHistory } from '../../src/ui/state/history';

/** The moving average written the obvious way, O(n·h): the reference. */
function naive(v: number[], h: number): number[] {
  return v.map((_, i) => {
    const w = v.slice(Math.max(0, i - h), i + h + 1).filter(Number.isFinite);
    return w.length ? w.reduce((a, b) => a + b, 0) / w.length : NaN;
  });
}

describe('moving average', () => {
  it('equals the windowed mean written out, at the ends and across non-finite values (to 1e-12)', () => {
    const v = Array.from({ length: 57 }, (_, i) => Math.sin(i) * 3 + (i % 7 === 3 ? NaN : 0) + (i === 20 ? Infinity : 0));
    for (const h of [0, 1, 4, 30, 100]) {
      const got = movingAverage(v, h);
      naive(v, h).forEach((r, i) => (Number.isNaN(r) ? expect(got[i]).toBeNaN() : expect(Math.abs(got[i] - r)).toBeLessThan(1e-12)));
    }
  });

  it('keeps a straight line straight (centred: no lag)', () => {
    const v = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    const out = movingAverage(v, 5);
    for (let i = 5; i < 35; i++) expect(out[i]).toBeCloseTo(v[i], 12);
  });

  it('refuses a negative or fractional half-width, and picks none for very short curves', () => {
    expect(() => movingAverage([1, 2], -1)).toThrow('invalid half-width: -1');
    expect(() => movingAverage([1, 2], 1.5)).toThrow('invalid half-width');
    expect(smoothingHalfWidth(5)).toBe(0);
    expect(smoothingHalfWidth(400)).toBe(10);
  });
});

describe('loss history', () => {
  it('thins by two when full: every entry is the mean of its stride steps, none lost (exact)', () => {
    const h = new LossHistory(8);
    const steps = Array.from({ length: 37 }, (_, i) => i + 1);
    // Frames of uneven sizes, as the worker sends them.
    for (const [a, b] of [
      [0, 3],
      [3, 11],
      [11, 12],
      [12, 30],
      [30, 37],
    ])
      h.push(
        steps.slice(a, b),
        steps.slice(a, b).map((s) => -s),
      );
    expect(h.losses.length).toBeLessThanOrEqual(8);
    h.losses.forEach((l, i) => {
      const run = steps.slice(i * h.stride, (i + 1) * h.stride);
      expect(l).toBe(run.reduce((x, y) => x + y, 0) / run.length);
      expect(h.floors![i]).toBe(-l);
    });
    // The steps not yet in an entry are exactly those after the last one.
    expect(h.losses.length * h.stride).toBeLessThanOrEqual(37);
    expect(h.losses.length * h.stride).toBeGreaterThan(37 - h.stride);
  });

  it('has no floors until one arrives, then NaN for the steps before', () => {
    const h = new LossHistory();
    h.push([1, 2]);
    expect(h.floors).toBeNull();
    h.push([3], [0.5]);
    expect(h.floors).toEqual([NaN, NaN, 0.5]);
    expect(() => h.push([1, 2], [1])).toThrow('invalid floors: 1 for 2 losses');
  });
});

describe('step history', () => {
  it('keeps one point per step, drops non-finite values, and halves when full from its first point', () => {
    const h = new StepHistory(4);
    h.push(0, 1);
    h.push(0, 0.9);
    h.push(5, NaN);
    expect(h.steps).toEqual([0]);
    expect(h.values).toEqual([0.9]);
    for (const s of [10, 20, 30, 40]) h.push(s, 1 / s);
    expect(h.steps).toEqual([0, 20, 40]);
    expect(h.values).toEqual([0.9, 1 / 20, 1 / 40]);
  });
});
