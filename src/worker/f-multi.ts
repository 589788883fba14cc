/**
 * f(x, σ_l) at every point for every level, for the worker's `f-multi` request (MULDE only).
 * Rows are point-major (row i·L + l is point i at σ_l), which is already the n × L layout the page
 * wants, and go through the network in chunks: one read-back per chunk (a WebGPU read-back costs a
 * sync, so not one per level), and bounded memory for a 60 × 60 map at 10 levels.
 */
import type { Trainer } from '../model/trainer';

/** Rows per forward pass: 16384 × width 128 floats ≈ 8 MB per layer. */
export const F_MULTI_CHUNK = 16384;

export async function fMulti(trainer: Trainer, points: Float32Array, dim: number, sigmas: readonly number[], chunk = F_MULTI_CHUNK): Promise<Float32Array> {
  const L = sigmas.length;
  if (points.length % dim !== 0) throw new Error(`invalid request: ${points.length} coordinates do not split into points of dimension ${dim}`);
  if (!sigmas.every((s) => s > 0 && Number.isFinite(s))) throw new Error('invalid request: every σ must be finite and > 0');
  const rows = (points.length / dim) * L;
  const values = new Float32Array(rows);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    const x = new Float32Array(m * dim);
    const sigma = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      const i = Math.floor((r0 + j) / L);
      for (let a = 0; a < dim; a++) x[j * dim + a] = points[i * dim + a];
      sigma[j] = sigmas[(r0 + j) % L];
    }
    values.set(await trainer.fOn(x, sigma), r0);
  }
  return values;
}
