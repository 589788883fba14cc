/**
 * What a panel draws besides the learned field, computed in the worker from each read-out so the
 * page only draws: the exact score of q_σ on the view grid, the squared error per point, and
 * (when asked) the density the field implies, recovered by integration (core/density: cumulative
 * in 1D, the least-squares Poisson solve in 2D) with its total variation to q_σ.
 */
import { densityFromScore, normaliseLogDensity, type RecoveredDensity } from '../core/density';
import { cellSize, gridForView, type Grid } from '../core/grid';
import { totalVariation } from '../core/metrics';
import type { ExactReference } from './reference';
import type { ReadoutRequest, Readouts } from './protocol';

/**
 * The density a model implies on the grid: from its own log-density when it has one (the
 * autoencoder's −E, normalised on the grid: exact for a conservative model, no residual), else
 * recovered from its field. Throws on non-finite values.
 */
function modelDensity(grid: Grid, field: Float32Array, logDensity: Float32Array | null): RecoveredDensity {
  if (!logDensity) return densityFromScore(grid, field);
  if (!logDensity.every(Number.isFinite)) throw new Error('the log-density has a non-finite value');
  return { ...normaliseLogDensity(logDensity, cellSize(grid)), residual: 0 };
}

/**
 * Readouts of `field` (n × d at `points`) against q_σ; null when the request's grid is not these
 * points. `logDensity`: the model's own unnormalised log-density at the points, where it has one.
 */
export function computeReadouts(
  ref: ExactReference,
  req: ReadoutRequest,
  points: Float32Array,
  sigma: number,
  field: Float32Array,
  logDensity: Float32Array | null = null,
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
    rec = modelDensity(grid, field, logDensity);
  } catch {
    // A non-finite field (a diverging run) has no density: the page shows none.
    return { readouts };
  }
  readouts.density = Float32Array.from(rec.density);
  readouts.logDensity = Float32Array.from(rec.logDensity);
  readouts.residual = rec.residual;
  readouts.densityFrom = logDensity ? 'energy' : 'field';
  return { readouts, tv: totalVariation(rec.density, exact.density, grid) };
}
