/** Smoothing of a noisy series (a loss per step) for drawing its trend. */

/**
 * Centred moving average: out_i = mean of the finite values among v_j, |j − i| ≤ h, with the
 * window cut at the ends (so the first and last entries average fewer values, without lag).
 * NaN where the window holds no finite value. O(n) by prefix sums.
 */
export function movingAverage(v: ArrayLike<number>, h: number): Float64Array {
  if (!Number.isInteger(h) || h < 0) throw new Error(`invalid half-width: ${h}`);
  const n = v.length;
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(v[i]);
    sum[i + 1] = sum[i] + (ok ? v[i] : 0);
    count[i + 1] = count[i] + (ok ? 1 : 0);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - h),
      b = Math.min(n, i + h + 1);
    const c = count[b] - count[a];
    out[i] = c > 0 ? (sum[b] - sum[a]) / c : NaN;
  }
  return out;
}

/** The half-width a curve of n entries is smoothed with: about 1/40 of it, at least 1 (none below 8 entries). */
export function smoothingHalfWidth(n: number): number {
  return n < 8 ? 0 : Math.max(1, Math.round(n / 40));
}
