/**
 * Painting training points: pure helpers for the brush and the cap on the number of points.
 * Points are flat n × d arrays in data units, like everywhere else in the app.
 */
import type { Rng } from '../../core/rng';

/** Most points a user may paint. */
export const PAINT_CAP = 5000;

/**
 * Points a brush stroke adds at `at`: the point itself when `count` is 1, otherwise `count`
 * draws from N(at, radius²I). Points outside the view are dropped.
 */
export function brush(at: readonly number[], count: number, radius: number, view: readonly number[], rng: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = at.map((v) => (count === 1 ? v : v + radius * rng.normal()));
    if (p.every((v, a) => v >= view[2 * a] && v <= view[2 * a + 1])) out.push(...p);
  }
  return out;
}

/**
 * `base` followed by `add` (both n × d), keeping at most `cap` points. `dropped` counts the points
 * of `add` that did not fit.
 */
export function appendPoints(base: ArrayLike<number>, add: ArrayLike<number>, d: number, cap = PAINT_CAP): { points: Float32Array; dropped: number } {
  const nBase = Math.min(Math.floor(base.length / d), cap);
  const nAdd = Math.floor(add.length / d);
  const keep = Math.max(0, Math.min(nAdd, cap - nBase));
  const points = new Float32Array((nBase + keep) * d);
  for (let i = 0; i < nBase * d; i++) points[i] = base[i];
  for (let i = 0; i < keep * d; i++) points[nBase * d + i] = add[i];
  return { points, dropped: nAdd - keep };
}
