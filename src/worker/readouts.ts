/**
 * What a panel draws besides the learned field, computed in the worker from each read-out so the
 * page only draws: the exact score of q_σ on the view grid, the squared error per point, and
 * (when asked) the density the field implies, recovered by integration (core/density: cumulative
 * in 1D, the least-squares Poisson solve in 2D) with its total variation to q_σ.
 */
import { densityFromScore } from '../core/density';
import { gridForView } from '../core/grid';
import { totalVariation } from '../core/metrics';
import type { ExactReference } from './reference';
import type { ReadoutRequest, Readouts } from './protocol';

/** Readouts of `field` (n × d at `points`) against q_σ; null when the request's grid is not these points. */
export function computeReadouts(
  ref: ExactReference,
  req: ReadoutRequest,
  points: Float32Array,
  sigma: number,
  field: Float32Array,
): { readouts: Readouts; tv?: number } | null {
  const grid = gridForView(req.view, req.side);
  const d = grid.dim;
  if (grid.points.length !== points.length || field.length !== points.length) return null;
  const exact = ref.at(points, sigma);
  const error = new Float32Array(points.length / d);
  for (let i = 0; i < error.length; i++) {
    let e = 0;
    for (let a = 0; a < d; a++) e += (field[i * d + a] - exact.score[i * d + a]) ** 2;
    error[i] = e;
  }
  const readouts: Readouts = { sigma, exact: Float32Array.from(exact.score), error };
  if (!req.density) return { readouts };
  readouts.truth = Float32Array.from(exact.density);
  let rec;
  try {
    rec = densityFromScore(grid, field);
  } catch {
    // A non-finite field (a diverging run) has no density: the page shows none.
    return { readouts };
  }
  readouts.density = Float32Array.from(rec.density);
  readouts.logDensity = Float32Array.from(rec.logDensity);
  readouts.residual = rec.residual;
  return { readouts, tv: totalVariation(rec.density, exact.density, grid) };
}
