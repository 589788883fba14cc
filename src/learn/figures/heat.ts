/** The faint log-density the lessons draw under particles and click targets. */
import { exactView, type ExactView } from '../../core/exact-view';
import type { Mixture } from '../../core/mixture';

/** log q_σ of a 2D mixture on a 60 × 60 grid over the view [xmin, xmax, ymin, ymax] (undefined in 1D). */
export function logDensityHeat(mixture: Mixture, view: number[], sigma: number): Extract<ExactView, { dim: 2 }>['heat'] | undefined {
  const v = exactView(mixture, view, sigma, 60, 2);
  return v.dim === 2 ? v.heat : undefined;
}
