import { describe, expect, it } from 'vitest';
import { createMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { energyDistanceFloor } from '../../src/core/reference-values';

describe('energy distance floor of two true samples', () => {
  it('matches the closed form 2 E|X − X′| / n for a standard normal (E|X − X′| = 2/√π)', () => {
    const normal = createMixture({ weights: [1], means: [[0]], covs: [[[1]]] });
    const n = 100;
    // 400 pairs: the mean's relative standard error is about 5%, so 15% is three of them.
    const got = energyDistanceFloor(normal, n, createRng(11), 400);
    const expected = (2 * (2 / Math.sqrt(Math.PI))) / n;
    expect(Math.abs(got / expected - 1)).toBeLessThan(0.15);
  });

  it('falls like 1/n in 2D (ratio of n = 50 to n = 200 within 4 ± 1)', () => {
    const blobs = createMixture({
      weights: [0.5, 0.5],
      means: [
        [-2, 0],
        [2, 0],
      ],
      covs: [
        [
          [0.3, 0],
          [0, 0.3],
        ],
        [
          [0.3, 0],
          [0, 0.3],
        ],
      ],
    });
    const small = energyDistanceFloor(blobs, 50, createRng(3), 200);
    const large = energyDistanceFloor(blobs, 200, createRng(4), 200);
    expect(small / large).toBeGreaterThan(3);
    expect(small / large).toBeLessThan(5);
  });

  it('for unequal sizes matches (1/n + 1/m) E|X − X′|', () => {
    const normal = createMixture({ weights: [1], means: [[0]], covs: [[[1]]] });
    const got = energyDistanceFloor(normal, 50, createRng(5), 400, 1000, 200);
    const expected = (1 / 50 + 1 / 200) * (2 / Math.sqrt(Math.PI));
    expect(Math.abs(got / expected - 1)).toBeLessThan(0.15);
  });

  it('refuses a non-integer size', () => {
    const normal = createMixture({ weights: [1], means: [[0]], covs: [[[1]]] });
    expect(() => energyDistanceFloor(normal, 0.5, createRng(1))).toThrow(/invalid sample size/);
  });
});
