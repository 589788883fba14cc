/**
 * How noisy denoising score matching is at noise level σ, measured at its best possible network,
 * the exact score s_σ = ∇ log q_σ. For x ~ p, z ~ N(0, I), x̃ = x + σz, the per-example loss and
 * its gradient with respect to the network's output at x̃ are
 *   ℓ = ‖s_σ(x̃) + z/σ‖²,   g = 2 (s_σ(x̃) + z/σ).
 * At the optimum E[g | x̃] = 0, so E‖g‖² is the variance of the gradient: pure noise that every
 * training step carries. For p = N(0, v) in d dimensions (closed forms the tests use):
 *   E ℓ = d v / (σ² (v + σ²)),  Var ℓ = 2 d (v / (σ² (v + σ²)))²,  E‖g‖² = 4 E ℓ,
 * so the loss variance grows like 1/σ⁴ and the gradient's like 1/σ² as σ → 0: the target −z/σ
 * explodes while the part of it that carries information about p does not.
 */
import { sampleMixture, score, smoothMixture, type Mixture } from './mixture';
import type { Rng } from './rng';

export interface DsmNoise {
  sigma: number;
  /** Mean per-example loss E ℓ. */
  lossMean: number;
  /** Variance of the per-example loss, Var ℓ. */
  lossVariance: number;
  /** Variance of the per-example gradient at the optimum, E‖g‖². */
  gradVariance: number;
}

/** Monte Carlo estimate of the DSM loss and gradient noise at σ from n draws of (x, z). */
export function dsmNoise(m: Mixture, sigma: number, n: number, rng: Rng): DsmNoise {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`dsmNoise: sigma is ${sigma}; it must be a positive finite number`);
  if (!Number.isInteger(n) || n < 2) throw new Error(`dsmNoise: n is ${n}; it must be an integer ≥ 2`);
  const d = m.dim;
  const { x } = sampleMixture(m, n, rng);
  const z = rng.fillNormal(new Float64Array(n * d));
  const noisy = Float64Array.from(x, (v, i) => v + sigma * z[i]);
  const s = score(smoothMixture(m, sigma), noisy);
  let sum = 0,
    sumSq = 0;
  for (let i = 0; i < n; i++) {
    let l = 0;
    for (let a = 0; a < d; a++) l += (s[i * d + a] + z[i * d + a] / sigma) ** 2;
    sum += l;
    sumSq += l * l;
  }
  const lossMean = sum / n;
  const lossVariance = (sumSq - n * lossMean * lossMean) / (n - 1);
  return { sigma, lossMean, lossVariance, gradVariance: 4 * lossMean };
}
