/** The exact views the compute worker draws from, against the closed form of one Gaussian. */
import { describe, expect, test } from 'vitest';
import { createMixture } from '../../src/core/mixture';
import { exactView } from '../../src/core/exact-view';

describe('exact views of q_σ', () => {
  test('1D: density and score of N(1, 0.5) smoothed by σ = 0.5 are those of N(1, 0.75)', () => {
    const v = exactView(createMixture({ weights: [1], means: [[1]], covs: [[[0.5]]] }), [-3, 5], 0.5);
    if (v.dim !== 1) throw new Error('expected a 1D view');
    for (let i = 0; i < v.xs.length; i += 37) {
      const x = v.xs[i];
      expect(v.density[i]).toBeCloseTo(Math.exp(-((x - 1) ** 2) / 1.5) / Math.sqrt(2 * Math.PI * 0.75), 10);
      expect(v.score[i]).toBeCloseTo(-(x - 1) / 0.75, 10);
    }
  });

  test('2D: heat is log q_σ on a side × side grid, quiver the score on the coarse one', () => {
    const v = exactView(
      createMixture({
        weights: [1],
        means: [[0, 1]],
        covs: [
          [
            [1, 0],
            [0, 2],
          ],
        ],
      }),
      [-2, 2, -1, 3],
      1,
      30,
      5,
    );
    if (v.dim !== 2) throw new Error('expected a 2D view');
    expect(v.heat.values.length).toBe(900);
    // Corner (−2, −1): q = N((0, 1), diag(2, 3)).
    expect(v.heat.values[0]).toBeCloseTo(-Math.log(2 * Math.PI * Math.sqrt(6)) - 0.5 * (4 / 2 + 4 / 3), 10);
    expect(v.quiver.points.length).toBe(50);
    expect(v.quiver.vectors[0]).toBeCloseTo(2 / 2, 10);
    expect(v.quiver.vectors[1]).toBeCloseTo(2 / 3, 10);
  });
});
