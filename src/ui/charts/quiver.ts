/**
 * Arrow geometry for quiver plots, written against the path interface shared by
 * CanvasRenderingContext2D and d3-path, so one function serves canvas drawing and SVG export.
 */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/**
 * Append one arrow from (x, y) along (dx, dy) (pixels) with a head of `head` pixels.
 * Arrows shorter than half a pixel are skipped: they would render as noise.
 */
export function arrow(ctx: PathSink, x: number, y: number, dx: number, dy: number, head: number): void {
  const len = Math.hypot(dx, dy);
  if (len < 0.5) return;
  const x1 = x + dx;
  const y1 = y + dy;
  ctx.moveTo(x, y);
  ctx.lineTo(x1, y1);
  const h = Math.min(head, 0.6 * len);
  const ux = dx / len;
  const uy = dy / len;
  // Two barbs at ±25° from the shaft.
  const c = Math.cos(0.44);
  const s = Math.sin(0.44);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * (ux * c - uy * s), y1 - h * (uy * c + ux * s));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * (ux * c + uy * s), y1 - h * (uy * c - ux * s));
}

/**
 * Display length for a score vector of norm r, as a fraction of the grid cell: scores span
 * orders of magnitude (they grow like ‖x‖/σ² in the tails), so lengths are compressed by
 * r ↦ r / (r + r_half), which keeps directions readable everywhere and saturates at one cell.
 */
export function arrowScale(r: number, rHalf: number): number {
  return r / (r + rHalf);
}

/** Median of the vector norms of a flat n×2 array, the `rHalf` that makes half the arrows half-length. */
export function medianNorm(v: ArrayLike<number>): number {
  const n = Math.floor(v.length / 2);
  if (n === 0) return 1;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) norms[i] = Math.hypot(v[2 * i], v[2 * i + 1]);
  norms.sort();
  return norms[n >> 1] || 1;
}
