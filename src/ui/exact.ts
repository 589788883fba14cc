/** Exact views of a mixture on display grids (via src/core): density, score, and errors. */
import { smoothMixture, logpdf, score, type Mixture } from '../core/mixture';
import { grid1d, grid2d, type Grid } from '../core/grid';

export interface ExactView1D {
  dim: 1;
  xs: Float64Array;
  density: Float64Array;
  score: Float64Array;
}

export interface ExactView2D {
  dim: 2;
  /** Log-density of q_σ on a heat grid (row-major). */
  heat: { values: Float64Array; nx: number; ny: number };
  /** Exact score of q_σ on a coarser quiver grid. */
  quiver: { points: Float64Array; vectors: Float64Array; cell: number };
}

export type ExactView = ExactView1D | ExactView2D;

/** Density and score of the σ-smoothed mixture q_σ on grids over a view box. */
export function exactView(mixture: Mixture, view: number[], sigma: number, heatSide = 120, quiverSide = 22): ExactView {
  const q = smoothMixture(mixture, sigma);
  if (mixture.dim === 1) {
    const g = grid1d(view[0], view[1], 400);
    const density = logpdf(q, g.points).map(Math.exp);
    return { dim: 1, xs: g.points, density, score: score(q, g.points) as Float64Array };
  }
  const h = grid2d(view[0], view[1], view[2], view[3], heatSide, heatSide);
  const qg = grid2d(view[0], view[1], view[2], view[3], quiverSide, quiverSide);
  return {
    dim: 2,
    heat: { values: logpdf(q, h.points), nx: heatSide, ny: heatSide },
    quiver: { points: qg.points, vectors: score(q, qg.points) as Float64Array, cell: Math.min(qg.dx, qg.dy) },
  };
}

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

/** Exact score of q_σ at the grid points, and ‖s_θ − ∇log q_σ‖² per point when a field is given. */
export function exactOnGrid(mixture: Mixture, grid: FieldGrid, sigma: number, learned?: Float32Array | null) {
  const s = score(smoothMixture(mixture, sigma), grid.points) as Float64Array;
  let err: Float64Array | null = null;
  if (learned && learned.length === s.length) {
    const d = grid.dim;
    err = new Float64Array(s.length / d);
    for (let i = 0; i < err.length; i++) {
      let e = 0;
      for (let a = 0; a < d; a++) e += (learned[i * d + a] - s[i * d + a]) ** 2;
      err[i] = e;
    }
  }
  return { score: s, err };
}
