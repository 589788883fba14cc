/**
 * Training batches drawn on the JS side from the core rng: the same seed gives the same batch
 * indices, noise levels, noise and projections on every backend, and tests can hand the very
 * same arrays to a float64 reference.
 */
import type { Rng } from '../core/rng';
import { methodTraits } from '../core/methods';
import { sampleLogUniform } from '../core/schedule';
import type { Batch, Method, Projection } from './types';

/** The settings a batch depends on. */
export interface BatchSettings {
  batchSize: number;
  sigma: number;
  sigmaMin: number;
  sigmaMax: number;
  projection: Projection;
  projections: number;
}

const EMPTY = new Float32Array(0);

/**
 * Draw one batch for `method` from `data` (N × dim):
 * indices uniform with replacement, then (in this order) σ per row, z ~ N(0, I), v.
 * - sm: clean x, σ = settings.sigma on every row (only a conditional net reads it).
 * - ssm: every point repeated `projections` times (rows point-major), v Gaussian or Rademacher.
 * - dsm: σ = settings.sigma on every row, z.
 * - ncsn, mulde: σ log-uniform in [σ_min, σ_max] per row, z.
 */
export function drawBatch(method: Method, data: Float32Array, dim: 1 | 2, settings: BatchSettings, rng: Rng): Batch {
  const count = data.length / dim;
  if (!Number.isInteger(count) || count < 1) throw new Error('invalid data: needs at least one point of the net dimension');
  const B = settings.batchSize;
  if (!Number.isInteger(B) || B < 1) throw new Error(`invalid batch size: ${B}`);
  const copies = method === 'ssm' ? settings.projections : 1;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`invalid projections: ${copies}`);
  const n = B * copies;

  const x = new Float32Array(n * dim);
  for (let i = 0; i < B; i++) {
    const k = rng.int(count);
    for (let c = 0; c < copies; c++) for (let j = 0; j < dim; j++) x[(i * copies + c) * dim + j] = data[k * dim + j];
  }
  const sigma = new Float32Array(n);
  if (methodTraits[method].noise === 'many-sigmas') sampleLogUniform(settings.sigmaMin, settings.sigmaMax, rng, sigma);
  else {
    if (!(settings.sigma > 0)) throw new Error(`invalid sigma: ${settings.sigma}`);
    sigma.fill(settings.sigma);
  }
  const z = methodTraits[method].noise === 'clean' ? EMPTY : (rng.fillNormal(new Float32Array(n * dim)) as Float32Array);
  let v = EMPTY;
  if (method === 'ssm') {
    v = new Float32Array(n * dim);
    if (settings.projection === 'gaussian') rng.fillNormal(v);
    else for (let i = 0; i < v.length; i++) v[i] = rng.uniform() < 0.5 ? -1 : 1;
  }
  return { n, x, sigma, z, v };
}
