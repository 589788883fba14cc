/**
 * Vincent's (2011) score model, the one that makes denoising score matching a denoising
 * autoencoder with tied weights W (J × d), hidden biases b (J) and output bias c (d):
 *   s(x) = (Wᵀ sigmoid(Wx + b) + c − x) / σ²,
 * the gradient of the log of an unnormalised density (an energy model):
 *   −E(x) = (cᵀx − ½‖x‖² + Σ_j softplus(W_j·x + b_j)) / σ²,   s = −∇E.
 * Trained here by DSM with the playground's weighting: per example ½‖σ s(x̃) + z‖², x̃ = x + σz,
 * with gradients written out by hand (the model is small enough to train on the page, in 1D or 2D).
 */
import type { Rng } from './rng';

export interface AutoencoderParams {
  /** Input dimension d and hidden units J. */
  d: number;
  J: number;
  /** W row-major J × d, b (J), c (d). */
  W: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));
const softplus = (a: number) => (a > 30 ? a : Math.log1p(Math.exp(a)));

/** Small random W (N(0, 0.5²)), zero biases. */
export function initAutoencoder(d: number, J: number, rng: Rng): AutoencoderParams {
  if (!Number.isInteger(d) || d < 1 || !Number.isInteger(J) || J < 1) throw new Error(`autoencoder: d = ${d}, J = ${J}; both must be positive integers`);
  return { d, J, W: Float64Array.from({ length: J * d }, () => 0.5 * rng.normal()), b: new Float64Array(J), c: new Float64Array(d) };
}

/** Hidden pre-activations a = Wx + b at point p of x (n × d flat), into `a`. */
function hidden(m: AutoencoderParams, x: ArrayLike<number>, p: number, a: Float64Array): void {
  for (let j = 0; j < m.J; j++) {
    let v = m.b[j];
    for (let k = 0; k < m.d; k++) v += m.W[j * m.d + k] * x[p * m.d + k];
    a[j] = v;
  }
}

/** s(x) = (Wᵀ sigmoid(Wx + b) + c − x)/σ² at each point of x (n × d flat). */
export function autoencoderScore(m: AutoencoderParams, sigma: number, x: ArrayLike<number>): Float64Array {
  const n = x.length / m.d;
  const out = new Float64Array(x.length);
  const a = new Float64Array(m.J);
  const s2 = sigma * sigma;
  for (let p = 0; p < n; p++) {
    hidden(m, x, p, a);
    for (let k = 0; k < m.d; k++) {
      let v = m.c[k] - x[p * m.d + k];
      for (let j = 0; j < m.J; j++) v += m.W[j * m.d + k] * sigmoid(a[j]);
      out[p * m.d + k] = v / s2;
    }
  }
  return out;
}

/** −E(x) = (cᵀx − ½‖x‖² + Σ_j softplus(W_j·x + b_j))/σ²: the model's unnormalised log-density. */
export function autoencoderLogDensity(m: AutoencoderParams, sigma: number, x: ArrayLike<number>): Float64Array {
  const n = x.length / m.d;
  const out = new Float64Array(n);
  const a = new Float64Array(m.J);
  for (let p = 0; p < n; p++) {
    hidden(m, x, p, a);
    let v = 0;
    for (let k = 0; k < m.d; k++) v += m.c[k] * x[p * m.d + k] - 0.5 * x[p * m.d + k] ** 2;
    for (let j = 0; j < m.J; j++) v += softplus(a[j]);
    out[p] = v / (sigma * sigma);
  }
  return out;
}

/** Gradient of the mean DSM loss over a batch, with respect to W, b, c (same layout as the parameters). */
export interface AutoencoderGrad {
  loss: number;
  W: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

/**
 * Mean over the batch of ½‖σ s(x̃) + z‖² with x̃ = clean + σz, and its gradient. With u = r/σ,
 * r = σ s(x̃) + z: ∂/∂c = u; ∂/∂W_jk = h_j u_k + δ_j x̃_k and ∂/∂b_j = δ_j, δ_j = (W_j·u) h_j (1 − h_j).
 */
export function autoencoderDsmGrad(m: AutoencoderParams, sigma: number, clean: ArrayLike<number>, z: ArrayLike<number>): AutoencoderGrad {
  const { d, J } = m;
  const n = clean.length / d;
  const g = { loss: 0, W: new Float64Array(J * d), b: new Float64Array(J), c: new Float64Array(d) };
  const xt = new Float64Array(d),
    a = new Float64Array(J),
    h = new Float64Array(J),
    u = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < d; k++) xt[k] = clean[p * d + k] + sigma * z[p * d + k];
    hidden(m, xt, 0, a);
    for (let j = 0; j < J; j++) h[j] = sigmoid(a[j]);
    for (let k = 0; k < d; k++) {
      let v = m.c[k] - xt[k];
      for (let j = 0; j < J; j++) v += m.W[j * d + k] * h[j];
      const r = v / sigma + z[p * d + k];
      g.loss += (0.5 * r * r) / n;
      u[k] = r / sigma / n;
      g.c[k] += u[k];
    }
    for (let j = 0; j < J; j++) {
      let wu = 0;
      for (let k = 0; k < d; k++) wu += m.W[j * d + k] * u[k];
      const delta = wu * h[j] * (1 - h[j]);
      g.b[j] += delta;
      for (let k = 0; k < d; k++) g.W[j * d + k] += h[j] * u[k] + delta * xt[k];
    }
  }
  return g;
}

/**
 * Train by DSM with Adam (β₁ 0.9, β₂ 0.999) for `steps` steps of `batch` points drawn with
 * replacement from `data` (n × d flat); returns the loss of each step.
 */
export function trainAutoencoder(
  m: AutoencoderParams,
  data: ArrayLike<number>,
  sigma: number,
  o: { steps: number; batch: number; lr: number; rng: Rng },
): Float64Array {
  const { d } = m;
  const n = data.length / d;
  const params = [m.W, m.b, m.c];
  const mom = params.map((p) => new Float64Array(p.length));
  const vel = params.map((p) => new Float64Array(p.length));
  const clean = new Float64Array(o.batch * d),
    z = new Float64Array(o.batch * d);
  const losses = new Float64Array(o.steps);
  for (let t = 1; t <= o.steps; t++) {
    for (let i = 0; i < o.batch; i++) {
      const r = o.rng.int(n);
      for (let k = 0; k < d; k++) clean[i * d + k] = data[r * d + k];
    }
    o.rng.fillNormal(z);
    const g = autoencoderDsmGrad(m, sigma, clean, z);
    losses[t - 1] = g.loss;
    [g.W, g.b, g.c].forEach((gp, i) => {
      const p = params[i];
      for (let q = 0; q < p.length; q++) {
        mom[i][q] = 0.9 * mom[i][q] + 0.1 * gp[q];
        vel[i][q] = 0.999 * vel[i][q] + 0.001 * gp[q] * gp[q];
        p[q] -= (o.lr * (mom[i][q] / (1 - 0.9 ** t))) / (Math.sqrt(vel[i][q] / (1 - 0.999 ** t)) + 1e-8);
      }
    });
  }
  return losses;
}
