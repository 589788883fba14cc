/**
 * What the worker derives from a read-out of the field: fed the exact score of q_σ, the error map
 * is zero and the recovered density matches q_σ (small TV, closed form); a perturbed field's
 * error is the squared perturbation; a grid that does not match the points gives nothing.
 */
import { describe, expect, test } from 'vitest';
import { gridForView } from '../../src/core/grid';
import { createMixture, pdf, score, smoothMixture } from '../../src/core/mixture';
import { ExactReference } from '../../src/worker/reference';
import { computeReadouts } from '../../src/worker/readouts';

const spec = {
  weights: [1, 2],
  means: [
    [-1, 0],
    [1.5, 1],
  ],
  covs: [
    [
      [0.5, 0.1],
      [0.1, 0.4],
    ],
    [
      [0.3, 0],
      [0, 0.6],
    ],
  ],
};
const spec1 = { weights: [1, 1], means: [[-2], [2]], covs: [[[0.5]], [[1]]] };

describe('worker read-outs', () => {
  test('2D: the exact field gives zero error and recovers q_σ', () => {
    const view = [-4, 5, -3, 4];
    const side = 60;
    const grid = gridForView(view, side);
    const points = Float32Array.from(grid.points);
    const sigma = 0.3;
    const field = Float32Array.from(score(smoothMixture(createMixture(spec), sigma), grid.points));
    const r = computeReadouts(new ExactReference(spec), { view, side, density: true }, points, sigma, field)!;
    expect(r.readouts.sigma).toBe(sigma);
    expect(Math.max(...r.readouts.error)).toBeLessThan(1e-8);
    // Trapezoid/Poisson discretisation on a 60² grid: TV of a few 1e-3 (see density.test.ts).
    expect(r.tv!).toBeLessThan(0.02);
    expect(r.readouts.residual!).toBeLessThan(1e-3);
    const truth = pdf(smoothMixture(createMixture(spec), sigma), grid.points);
    for (let i = 0; i < truth.length; i += 97) expect(r.readouts.truth![i]).toBeCloseTo(truth[i], 6);
  });

  test('1D: error is the squared perturbation; no density unless asked; a foreign grid gives null', () => {
    const view = [-6, 6];
    const side = 200;
    const grid = gridForView(view, side);
    const points = Float32Array.from(grid.points);
    const exact = score(smoothMixture(createMixture(spec1), 0.5), grid.points);
    const field = Float32Array.from(exact, (v, i) => v + 0.01 * (i % 7));
    const ref = new ExactReference(spec1);
    const r = computeReadouts(ref, { view, side }, points, 0.5, field)!;
    expect(r.tv).toBeUndefined();
    expect(r.readouts.density).toBeUndefined();
    for (let i = 0; i < side; i += 13) expect(r.readouts.error[i]).toBeCloseTo((field[i] - exact[i]) ** 2, 6);
    expect(computeReadouts(ref, { view, side: 100 }, points, 0.5, field)).toBeNull();
    const bad = field.slice();
    bad[3] = NaN;
    const nan = computeReadouts(ref, { view, side, density: true }, points, 0.5, bad)!;
    expect(nan.readouts.density).toBeUndefined();
    expect(nan.tv).toBeUndefined();
  });
});
