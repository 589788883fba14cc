/**
 * What the worker compares a learned field with: the exact score of the σ-smoothed dataset on
 * the view grid, weighted by its density (core/metrics relativeFisherDivergence). Cached per
 * (grid, σ) because the grid stays put while training runs.
 */
import { createMixture, smoothMixture, score, pdf, type Mixture, type MixtureSpec } from '../core/mixture';
import { relativeFisherDivergence } from '../core/metrics';

export class ExactReference {
  private mixture: Mixture;
  private key = '';
  private target: ArrayLike<number> = [];
  private weights: ArrayLike<number> = [];

  constructor(spec: MixtureSpec) {
    this.mixture = createMixture(spec);
  }

  /** Relative Fisher divergence of `field` (n × d at `points`) to the exact score of q_σ. */
  relativeFisher(points: Float32Array, sigma: number, field: Float32Array): number {
    const key = `${sigma}|${points.length}|${points[0]}|${points[points.length - 1]}`;
    if (key !== this.key) {
      const q = smoothMixture(this.mixture, sigma);
      this.target = score(q, points);
      this.weights = pdf(q, points);
      this.key = key;
    }
    try {
      return relativeFisherDivergence(field, this.target, this.weights, this.mixture.dim);
    } catch {
      // The view holds no density mass (panned far from the data): the metric is undefined.
      return NaN;
    }
  }
}
