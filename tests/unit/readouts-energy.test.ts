/**
 * A model with an energy of its own (the autoencoder) gives the density view its log-density
 * directly: normalised on the grid, not integrated from the field. Fed log q_σ + 7 with a zero
 * field, the view's density is q_σ up to the grid's own normalisation.
 */
import { describe, expect, test } from 'vitest';
import { gridForView } from '../../src/core/grid';
import { createMixture, pdf, smoothMixture } from '../../src/core/mixture';
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

describe('density from the energy', () => {
  test('log q_σ + 7 with a zero field reads back as q_σ (TV < 1e-3: only the mass outside the view differs), marked as from the energy', () => {
    const sigma = 0.4;
    const req = { view: [-5, 5, -4, 5], side: 60, density: true };
    const grid = gridForView(req.view, req.side);
    const logq = Float32Array.from(pdf(smoothMixture(createMixture(spec), sigma), grid.points), (p) => Math.log(p) + 7);
    const zero = new Float32Array(grid.points.length);
    const out = computeReadouts(new ExactReference(spec), req, Float32Array.from(grid.points), sigma, zero, logq)!;
    expect(out.readouts.densityFrom).toBe('energy');
    expect(out.readouts.residual).toBe(0);
    expect(out.tv).toBeLessThan(1e-3);
    // The same zero field integrated gives a flat density, far from q_σ: the energy was used.
    const integrated = computeReadouts(new ExactReference(spec), req, Float32Array.from(grid.points), sigma, zero)!;
    expect(integrated.readouts.densityFrom).toBe('field');
    expect(integrated.tv).toBeGreaterThan(0.3);
  });

  test('a non-finite log-density gives no density, as a non-finite field does', () => {
    const req = { view: [-5, 5, -4, 5], side: 20, density: true };
    const grid = gridForView(req.view, req.side);
    const logq = new Float32Array(grid.points.length / 2).fill(NaN);
    const out = computeReadouts(new ExactReference(spec), req, Float32Array.from(grid.points), 0.4, new Float32Array(grid.points.length), logq)!;
    expect(out.readouts.density).toBeUndefined();
    expect(out.tv).toBeUndefined();
  });
});
