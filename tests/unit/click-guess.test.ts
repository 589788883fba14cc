/** The lessons' click predictions: stored form, keyboard moves and the share of particles near a spot. */
import { describe, expect, test } from 'vitest';
import { moveSpot, parseSpot, shareWithin, spotText, spotWords } from '../../src/learn/click-guess';

describe('stored spots', () => {
  test('round-trip to two decimals', () => {
    expect(parseSpot(spotText([1.804, -0.5]))).toEqual([1.8, -0.5]);
  });
  test('anything else is no spot', () => {
    for (const t of [undefined, '', 'skipped', 'half', '1,', 'NaN,1', '1,2,3', '1e3,2']) expect(parseSpot(t)).toBeNull();
  });
  test('reads with a true minus sign', () => {
    expect(spotWords([-1.84, 2])).toBe('(−1.8, 2.0)');
  });
});

describe('moveSpot', () => {
  const view = [-5, 5, -2, 2];
  test('one arrow press is 1/50 of the view, Shift five times that; up is +y', () => {
    expect(moveSpot([0, 0], 'ArrowRight', false, view)).toEqual([0.2, 0]);
    expect(moveSpot([0, 0], 'ArrowUp', false, view)![1]).toBeCloseTo(0.08, 12);
    expect(moveSpot([0, 0], 'ArrowLeft', true, view)).toEqual([-1, 0]);
    expect(moveSpot([0, 0], 'ArrowDown', true, view)![1]).toBeCloseTo(-0.4, 12);
  });
  test('stays inside the view; other keys do not move it', () => {
    expect(moveSpot([4.9, 1.9], 'ArrowRight', true, view)).toEqual([5, 1.9]);
    expect(moveSpot([4.9, 1.9], 'ArrowUp', true, view)).toEqual([4.9, 2]);
    expect(moveSpot([0, 0], 'Enter', false, view)).toBeNull();
  });
});

describe('shareWithin', () => {
  test('counts by Euclidean distance, boundary included, non-finite outside', () => {
    // Distances from (1, 1): 0, 5 (3-4-5), 1 (on the boundary), ∞.
    const x = [1, 1, 4, 5, 2, 1, NaN, 1];
    expect(shareWithin(x, [1, 1], 1)).toBe(0.5);
    expect(shareWithin(x, [1, 1], 5)).toBe(0.75);
    expect(shareWithin([], [0, 0], 1)).toBe(0);
  });
});
