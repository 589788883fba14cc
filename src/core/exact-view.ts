/**
 * Exact views of a mixture on display grids: the density of q_σ = p ∗ N(0, σ²I) (1D) or its
 * log-density (2D heatmap), and its score ∇log q_σ (1D curve, 2D quiver).
 */
import { smoothMixture, logpdf, score, type Mixture } from './mixture';
import { grid1d, grid2d } from './grid';

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
