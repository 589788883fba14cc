/** Hard clustering that seeds the EM fit of a Gaussian mixture (gmm.ts). */
import type { Rng } from './rng';

/**
 * k-means++ seeding (each new centre drawn with probability ∝ squared distance to the nearest
 * chosen one) and Lloyd iterations, restarted nInit times; returns the hard assignments with the
 * least within-cluster sum of squares W = Σ_i ‖x_i − c(i)‖². One k-means++ start still puts two
 * centres in one blob and one between two others now and then (about 1 start in 10 on
 * three-blobs with n = 300); EM cannot leave that optimum, while W exposes it. Cost n·K·D per Lloyd step,
 * ≤ 20 steps per restart: below the cost of a few EM iterations (n·K·D² each).
 */
export function kmeans(x: Float64Array, n: number, D: number, k: number, nInit: number, rng: Rng): Int32Array {
  const centres = new Float64Array(k * D);
  const d2 = new Float64Array(n);
  const dist2 = (i: number, c: number) => {
    let s = 0;
    for (let a = 0; a < D; a++) s += (x[i * D + a] - centres[c * D + a]) ** 2;
    return s;
  };
  let best = new Int32Array(n),
    bestW = Infinity;
  const assign = new Int32Array(n);
  for (let run = 0; run < nInit; run++) {
    d2.fill(Infinity);
    let pick = rng.int(n);
    for (let c = 0; c < k; c++) {
      centres.set(x.subarray(pick * D, pick * D + D), c * D);
      let total = 0;
      for (let i = 0; i < n; i++) total += d2[i] = Math.min(d2[i], dist2(i, c));
      // All remaining mass at distance 0 (duplicate points): any point will do.
      pick = rng.int(n);
      if (total > 0) {
        let u = rng.uniform() * total;
        for (let i = 0; i < n; i++)
          if ((u -= d2[i]) < 0 || i === n - 1) {
            pick = i;
            break;
          }
      }
    }
    assign.fill(-1);
    let W = 0;
    for (let iter = 0; iter < 20; iter++) {
      let changed = false;
      W = 0;
      for (let i = 0; i < n; i++) {
        let bc = 0,
          bd = Infinity;
        for (let c = 0; c < k; c++) {
          let d = 0;
          for (let a = 0; a < D; a++) {
            const t = x[i * D + a] - centres[c * D + a];
            d += t * t;
          }
          if (d < bd) {
            bd = d;
            bc = c;
          }
        }
        W += bd;
        if (assign[i] !== bc) {
          assign[i] = bc;
          changed = true;
        }
      }
      if (!changed) break;
      const count = new Float64Array(k),
        sum = new Float64Array(k * D);
      for (let i = 0; i < n; i++) {
        count[assign[i]]++;
        for (let a = 0; a < D; a++) sum[assign[i] * D + a] += x[i * D + a];
      }
      for (let c = 0; c < k; c++) if (count[c] > 0) for (let a = 0; a < D; a++) centres[c * D + a] = sum[c * D + a] / count[c];
    }
    if (W < bestW) {
      bestW = W;
      best = assign.slice();
    }
  }
  return best;
}
