/** The grid node a pointer is over, and the learned and exact score there. */
import type { Grid } from '../core/grid';

/**
 * Index of the node of a 2D grid nearest to (px, py): i = round((px − x₀)/dx), j likewise,
 * clamped to the grid; the flat index is j·nx + i. Null for a 1D grid or a non-finite point.
 */
export function nearestNode(g: Grid, px: number, py: number): number | null {
  if (g.dim !== 2 || !Number.isFinite(px) || !Number.isFinite(py)) return null;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const i = clamp(Math.round((px - g.x0) / g.dx), g.nx);
  const j = clamp(Math.round((py - g.y0) / g.dy), g.ny);
  return j * g.nx + i;
}

export interface Probe {
  /** The node's position. */
  at: [number, number];
  learned: [number, number] | null;
  exact: [number, number];
}

/** Position, learned and exact vectors at flat node index k of n×2 arrays. */
export function probeAt(points: ArrayLike<number>, learned: ArrayLike<number> | null, exact: ArrayLike<number>, k: number): Probe {
  const o = 2 * k;
  return {
    at: [points[o], points[o + 1]],
    learned: learned ? [learned[o], learned[o + 1]] : null,
    exact: [exact[o], exact[o + 1]],
  };
}
