/**
 * The floor under each training loss: the loss that the exact score of the data's mixture would
 * have on the very same batch. A network can only approach it, so the loss curve is read against
 * it, not against zero.
 *
 * With q_σ = p ∗ N(0, σ²I) and s_σ = ∇log q_σ (σ = 0: the clean mixture p):
 *   DSM / NCSN:  ½ ‖σ s_σ(x̃) + z‖²,  x̃ = x + σz. In expectation ½(d − σ² E_{q_σ}‖s_σ‖²) > 0:
 *                the exact score cannot predict the noise z, only its mean given x̃.
 *   SM:          ½ ‖s_0(x)‖² + Δlog p(x). In expectation −½ E_p‖s_0‖² < 0 (integration by parts).
 *   SSM:         vᵀ∇²log p(x) v + ½ (vᵀ s_0(x))², the same v as the batch (½‖s_0‖² when
 *                variance-reduced); its mean over v is the SM value, since E[vvᵀ] = I.
 *   MULDE:       the matching term only, σ²‖∇log q_σ(x̃) + z/σ‖² = 2× the NCSN value. Its β E f(x,σ)²
 *                term depends on an offset of f per σ that the matching term leaves free, so it has
 *                no floor computable from one batch; being ≥ 0, it only lifts the loss above this line.
 * Each is the mean over the batch's rows.
 */
import { logSumExp, type Mixture } from './mixture';
import type { Method } from './methods';

/** The rows of a training batch that the floor reads (the trainer's batches have this shape). */
export interface FloorBatch {
  /** Rows n. */
  n: number;
  /** Clean points, n × d. */
  x: ArrayLike<number>;
  /** Noise level per row. */
  sigma: ArrayLike<number>;
  /** Noise z, n × d (denoising methods). */
  z: ArrayLike<number>;
  /** Projection directions v, n × d (sliced SM). */
  v: ArrayLike<number>;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Score and Hessian of log q_σ at one point, for a mixture p = Σ w_k N(μ_k, Σ_k):
 *   q_σ = Σ w_k N(μ_k, C_k), C_k = Σ_k + σ²I;  g_k = −C_k⁻¹(x − μ_k);  ρ_k the responsibilities;
 *   s = Σ ρ_k g_k;  ∇²log q_σ = Σ ρ_k (g_k g_kᵀ − C_k⁻¹) − s sᵀ.
 * `at` writes s into `g` (d) and the Hessian into `h` (d × d, row-major); one instance serves a
 * whole batch without allocating.
 */
export class SmoothedDerivatives {
  readonly g: Float64Array;
  readonly h: Float64Array;
  private readonly lj: Float64Array;
  private readonly prec: Float64Array;
  private readonly gk: Float64Array;

  constructor(readonly mixture: Mixture) {
    const { k, dim: d } = mixture;
    this.g = new Float64Array(d);
    this.h = new Float64Array(d * d);
    this.lj = new Float64Array(k);
    this.prec = new Float64Array(k * d * d);
    this.gk = new Float64Array(k * d);
  }

  /** Score and Hessian of log q_σ at the point (x0[, x1]). */
  at(sigma: number, x0: number, x1 = 0): void {
    const { k, dim: d, means, covs, logWeights } = this.mixture;
    const s2 = sigma * sigma;
    const { lj, prec, gk } = this;
    for (let j = 0; j < k; j++) {
      if (d === 1) {
        const c = covs[j] + s2;
        const r = x0 - means[j];
        prec[j] = 1 / c;
        gk[j] = -r / c;
        lj[j] = logWeights[j] - 0.5 * (LOG_2PI + Math.log(c)) - (0.5 * r * r) / c;
      } else {
        const o = 4 * j;
        const a = covs[o] + s2,
          b = covs[o + 1],
          c = covs[o + 3] + s2;
        const det = a * c - b * b;
        const p00 = c / det,
          p01 = -b / det,
          p11 = a / det;
        prec[o] = p00;
        prec[o + 1] = p01;
        prec[o + 2] = p01;
        prec[o + 3] = p11;
        const r0 = x0 - means[2 * j],
          r1 = x1 - means[2 * j + 1];
        const q0 = p00 * r0 + p01 * r1,
          q1 = p01 * r0 + p11 * r1;
        gk[2 * j] = -q0;
        gk[2 * j + 1] = -q1;
        lj[j] = logWeights[j] - LOG_2PI - 0.5 * Math.log(det) - 0.5 * (r0 * q0 + r1 * q1);
      }
    }
    this.combine(logSumExp(lj));
  }

  /** s and the Hessian from the per-component terms, weighted by the responsibilities. */
  private combine(lse: number): void {
    const { k, dim: d } = this.mixture;
    const { g, h, lj, prec, gk } = this;
    g.fill(0);
    h.fill(0);
    for (let j = 0; j < k; j++) {
      const rho = Math.exp(lj[j] - lse);
      for (let a = 0; a < d; a++) {
        g[a] += rho * gk[j * d + a];
        for (let b = 0; b < d; b++) h[a * d + b] += rho * (gk[j * d + a] * gk[j * d + b] - prec[j * d * d + a * d + b]);
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) h[a * d + b] -= g[a] * g[b];
  }
}

function checkBatch(m: Mixture, b: FloorBatch, needs: 'z' | 'v' | null): void {
  const d = m.dim;
  const bad = (what: string): never => {
    throw new Error(`invalid batch for the loss floor: ${what}`);
  };
  if (!Number.isInteger(b.n) || b.n < 1) bad(`${b.n} rows`);
  if (b.x.length !== b.n * d) bad(`x has ${b.x.length} values, not ${b.n} × ${d}`);
  if (b.sigma.length !== b.n) bad(`σ has ${b.sigma.length} values, not ${b.n}`);
  if (needs && b[needs].length !== b.n * d) bad(`${needs} has ${b[needs].length} values, not ${b.n} × ${d}`);
}

/** ½ mean ‖σ_i ∇log q_{σ_i}(x̃_i) + z_i‖², x̃_i = x_i + σ_i z_i (float64). */
export function denoisingFloor(m: Mixture, b: FloorBatch): number {
  checkBatch(m, b, 'z');
  const d = m.dim;
  const at = new SmoothedDerivatives(m);
  let sum = 0;
  for (let i = 0; i < b.n; i++) {
    const sg = b.sigma[i];
    const z0 = b.z[i * d],
      z1 = d === 2 ? b.z[i * d + 1] : 0;
    at.at(sg, b.x[i * d] + sg * z0, d === 2 ? b.x[i * d + 1] + sg * z1 : 0);
    sum += (sg * at.g[0] + z0) ** 2 + (d === 2 ? (sg * at.g[1] + z1) ** 2 : 0);
  }
  return (0.5 * sum) / b.n;
}

/** mean ½‖∇log p(x_i)‖² + Δlog p(x_i) on the clean points. */
export function scoreMatchingFloor(m: Mixture, b: FloorBatch): number {
  checkBatch(m, b, null);
  const d = m.dim;
  const at = new SmoothedDerivatives(m);
  let sum = 0;
  for (let i = 0; i < b.n; i++) {
    at.at(0, b.x[i * d], d === 2 ? b.x[i * d + 1] : 0);
    sum += d === 1 ? 0.5 * at.g[0] ** 2 + at.h[0] : 0.5 * (at.g[0] ** 2 + at.g[1] ** 2) + at.h[0] + at.h[3];
  }
  return sum / b.n;
}

/** mean v_iᵀ∇²log p(x_i) v_i + ½(v_iᵀ∇log p(x_i))² (variance-reduced: + ½‖∇log p(x_i)‖²). */
export function slicedFloor(m: Mixture, b: FloorBatch, varianceReduced = false): number {
  checkBatch(m, b, 'v');
  const d = m.dim;
  const at = new SmoothedDerivatives(m);
  let sum = 0;
  for (let i = 0; i < b.n; i++) {
    const v0 = b.v[i * d],
      v1 = d === 2 ? b.v[i * d + 1] : 0;
    at.at(0, b.x[i * d], d === 2 ? b.x[i * d + 1] : 0);
    const [g0, g1] = [at.g[0], d === 2 ? at.g[1] : 0];
    const vHv = d === 1 ? v0 * v0 * at.h[0] : v0 * v0 * at.h[0] + 2 * v0 * v1 * at.h[1] + v1 * v1 * at.h[3];
    sum += vHv + 0.5 * (varianceReduced ? g0 * g0 + g1 * g1 : (v0 * g0 + v1 * g1) ** 2);
  }
  return sum / b.n;
}

/** The floor of `method`'s loss on one batch (MULDE: of its matching term; see above). */
export function lossFloor(method: Method, m: Mixture, b: FloorBatch, varianceReduced = false): number {
  switch (method) {
    case 'sm':
      return scoreMatchingFloor(m, b);
    case 'ssm':
      return slicedFloor(m, b, varianceReduced);
    case 'dsm':
    case 'ncsn':
      return denoisingFloor(m, b);
    case 'mulde':
      return 2 * denoisingFloor(m, b);
    default: {
      const never: never = method;
      throw new Error(`invalid method for the loss floor: ${String(never)}`);
    }
  }
}
