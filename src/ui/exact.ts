/** The grids panels ask the worker for their learned field on, and a thinned quiver of a field. */
import { grid1d, grid2d, type Grid } from '../core/grid';

/** The grid a panel asks the worker for its learned field on (fine enough for density recovery). */
export interface FieldGrid {
  dim: 1 | 2;
  grid: Grid;
  points: Float32Array;
  /** Points per side (2D) or count (1D). */
  side: number;
  /** Grid spacing, for arrow lengths. */
  cell: number;
}

export function fieldGrid(view: number[], side2d = 40, n1d = 200): FieldGrid {
  if (view.length === 2) {
    const g = grid1d(view[0], view[1], n1d);
    return { dim: 1, grid: g, points: Float32Array.from(g.points), side: n1d, cell: g.dx };
  }
  const g = grid2d(view[0], view[1], view[2], view[3], side2d, side2d);
  return { dim: 2, grid: g, points: Float32Array.from(g.points), side: side2d, cell: Math.min(g.dx, g.dy) };
}

/** Every `step`-th row and column of a 2D field grid (points and vectors), for a readable quiver. */
export function thinQuiver(g: FieldGrid, vectors: ArrayLike<number>, step = 2) {
  const pts: number[] = [];
  const vec: number[] = [];
  for (let j = 0; j < g.side; j += step)
    for (let i = 0; i < g.side; i += step) {
      const o = 2 * (j * g.side + i);
      pts.push(g.points[o], g.points[o + 1]);
      vec.push(vectors[o], vectors[o + 1]);
    }
  return { points: pts, vectors: vec, cell: g.cell * step };
}
