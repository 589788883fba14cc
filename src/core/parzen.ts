/**
 * The Parzen-window estimate of a finite sample: the training points blurred by σ,
 *   q̂_σ(x) = (1/n) Σ_i N(x; x_i, σ² I),
 * and its score
 *   ∇ log q̂_σ(x) = Σ_i w_i(x) (x_i − x) / σ²,  w_i(x) = softmax_i(−‖x − x_i‖² / 2σ²).
 * Denoising score matching on n points at noise σ is minimised by exactly this score (Vincent
 * 2011): with few points and small σ it follows the sample, not the population.
 */
import type { Points } from './mixture';

function check(data: Points, dim: 1 | 2, sigma: number, x: Points): number {
  if (dim !== 1 && dim !== 2) throw new Error(`parzen: dim is ${dim}; it must be 1 or 2`);
  if (data.length === 0 || data.length % dim !== 0) throw new Error(`parzen: data has ${data.length} values; it must be a non-empty n × ${dim} array`);
  if (x.length % dim !== 0) throw new Error(`parzen: x has ${x.length} values; it must be an m × ${dim} array`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`parzen: sigma is ${sigma}; it must be a positive finite number`);
  return data.length / dim;
}

/** Squared distances from point `p` of x to every training point, into `d2`; returns their minimum. */
function distances(data: Points, dim: 1 | 2, x: Points, p: number, d2: Float64Array): number {
  let min = Infinity;
  for (let i = 0; i < d2.length; i++) {
    const u = x[p * dim] - data[i * dim];
    const v = dim === 2 ? x[p * dim + 1] - data[i * dim + 1] : 0;
    d2[i] = u * u + v * v;
    if (d2[i] < min) min = d2[i];
  }
  return min;
}

/** log q̂_σ(x) at each of the m points of x (m × d flat). */
export function parzenLogDensity(data: Points, dim: 1 | 2, sigma: number, x: Points): Float64Array {
  const n = check(data, dim, sigma, x);
  const m = x.length / dim;
  const out = new Float64Array(m);
  const d2 = new Float64Array(n);
  const s2 = sigma * sigma;
  const logNorm = -0.5 * dim * Math.log(2 * Math.PI * s2) - Math.log(n);
  for (let p = 0; p < m; p++) {
    // Log-sum-exp around the nearest point, so far-away x does not underflow to log 0.
    const min = distances(data, dim, x, p, d2);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(-(d2[i] - min) / (2 * s2));
    out[p] = logNorm - min / (2 * s2) + Math.log(sum);
  }
  return out;
}

/** ∇ log q̂_σ(x) at each of the m points of x: an m × d array. */
export function parzenScore(data: Points, dim: 1 | 2, sigma: number, x: Points): Float64Array {
  const n = check(data, dim, sigma, x);
  const m = x.length / dim;
  const out = new Float64Array(x.length);
  const d2 = new Float64Array(n);
  const s2 = sigma * sigma;
  for (let p = 0; p < m; p++) {
    const min = distances(data, dim, x, p, d2);
    let z = 0,
      gx = 0,
      gy = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp(-(d2[i] - min) / (2 * s2));
      z += w;
      gx += w * data[i * dim];
      if (dim === 2) gy += w * data[i * dim + 1];
    }
    // Σ w_i (x_i − x)/σ² = (weighted mean of the x_i − x)/σ².
    out[p * dim] = (gx / z - x[p * dim]) / s2;
    if (dim === 2) out[p * dim + 1] = (gy / z - x[p * dim + 1]) / s2;
  }
  return out;
}
