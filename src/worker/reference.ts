/**
 * What the worker compares a learned field with: the exact score of the σ-smoothed dataset on
 * the view grid, weighted by its density (core/metrics relativeFisherDivergence). Cached per
 * (grid, σ) because the grid stays put while training runs.
 */
import { createMixture, smoothMixture, score, pdf, type Mixture, type MixtureSpec } from '../core/mixture';
import { relativeFisherDivergence } from '../core/metrics';

/** The exact score ∇log q_σ and the density q_σ at a grid's points. */
export interface ExactOnPoints {
  sigma: number;
  score: ArrayLike<number>;
  density: ArrayLike<number>;
}

export class ExactReference {
  readonly mixture: Mixture;
  private key = '';
  private cached: ExactOnPoints | null = null;

  constructor(spec: MixtureSpec) {
    this.mixture = createMixture(spec);
  }

  /** Exact score and density of q_σ at `points` (n × d), cached while the points and σ stay. */
  at(points: Float32Array, sigma: number): ExactOnPoints {
    const key = `${sigma}|${points.length}|${points[0]}|${points[points.length - 1]}`;
    if (key !== this.key || !this.cached) {
      const q = smoothMixture(this.mixture, sigma);
      this.cached = { sigma, score: score(q, points), density: pdf(q, points) };
      this.key = key;
    }
    return this.cached;
  }

  /** Relative Fisher divergence of `field` (n × d at `points`) to the exact score of q_σ. */
  relativeFisher(points: Float32Array, sigma: number, field: Float32Array): number {
    const ref = this.at(points, sigma);
    try {
      return relativeFisherDivergence(field, ref.score, ref.density, this.mixture.dim);
    } catch {
      // The view holds no density mass (panned far from the data): the metric is undefined.
      return NaN;
    }
  }
}
