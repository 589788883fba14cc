/**
 * A float64, pure-TS re-implementation of the model layer, written independently of
 * src/model (scalar loops, its own parameter walk, forward-mode tangents carried alongside the
 * values), for the tests to compare against. Nothing here imports tfjs.
 */
import type { Activation, Batch, Method, NetConfig, ObjectiveOptions } from '../../src/model/types';

/** erf to ~1e-14: Maclaurin series for |x| < 3, continued fraction for erfc beyond. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated bottom-up.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** φ and φ' in float64. */
export function refActivation(name: Activation): { f: (z: number) => number; df: (z: number) => number } {
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const cdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
  const pdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  switch (name) {
    case 'softplus':
      return { f: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))), df: sig };
    case 'silu':
      return { f: (z) => z * sig(z), df: (z) => sig(z) * (1 + z * (1 - sig(z))) };
    case 'tanh':
      return { f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 };
    case 'gelu':
      return { f: (z) => z * cdf(z), df: (z) => cdf(z) + z * pdf(z) };
  }
}

/** Feature row [x̂, log σ, sin(2ʲ log σ), cos(2ʲ log σ), 1] in float64. */
export function refFeatures(c: NetConfig, x: ArrayLike<number>, sigma: number): number[] {
  const f: number[] = [];
  for (let j = 0; j < c.dim; j++) f.push((x[j] - c.center[j]) / c.scale[j]);
  if (c.conditional) {
    const lc = Math.log(sigma);
    f.push(lc);
    for (let k = 0; k < c.frequencies; k++) f.push(Math.sin(2 ** k * lc), Math.cos(2 ** k * lc));
  }
  f.push(1);
  return f;
}

/** Feature-space tangent of an x-space direction u: u_j/scale_j on the x̂ columns. */
export function refTangent(c: NetConfig, u: ArrayLike<number>, nFeatures: number): number[] {
  const t = new Array<number>(nFeatures).fill(0);
  for (let j = 0; j < c.dim; j++) t[j] = u[j] / c.scale[j];
  return t;
}

/**
 * Network output y for one feature row, and J·t for each feature-space tangent t.
 * θ walk: W0 (nFeatures × width, last row = b0), then for l = 1…L: W_l (rows × cols), b_l.
 */
export function refForward(c: NetConfig, theta: ArrayLike<number>, feat: number[], tangents: number[][] = []): { out: number[]; dout: number[][] } {
  const act = refActivation(c.activation);
  const nOut = c.head === 'score' ? c.dim : 1;
  let h = feat;
  let dh = tangents;
  let o = 0;
  for (let l = 0; l <= c.depth; l++) {
    const rows = h.length;
    const cols = l === c.depth ? nOut : c.width;
    const z = new Array<number>(cols).fill(0);
    const dz = dh.map(() => new Array<number>(cols).fill(0));
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const w = theta[o + i * cols + j];
        z[j] += h[i] * w;
        for (let k = 0; k < dh.length; k++) dz[k][j] += dh[k][i] * w;
      }
    o += rows * cols;
    if (l > 0) for (let j = 0; j < cols; j++) z[j] += theta[o + j];
    if (l > 0) o += cols;
    if (l === c.depth) return { out: z, dout: dz };
    h = z.map(act.f);
    dh = dz.map((t) => t.map((v, j) => act.df(z[j]) * v));
  }
  throw new Error('unreachable');
}

/** Score-head output s(x,σ) (or f for the energy head) at one point, float64. */
export function refNet(c: NetConfig, theta: ArrayLike<number>, x: ArrayLike<number>, sigma: number): number[] {
  return refForward(c, theta, refFeatures(c, x, sigma)).out;
}

/** The loss of `method` on `batch`, float64, with the constants documented in objectives.ts. */
export function refLoss(method: Method, c: NetConfig, theta: ArrayLike<number>, batch: Batch, opts: ObjectiveOptions): number {
  const d = c.dim;
  let total = 0;
  for (let i = 0; i < batch.n; i++) {
    const x = Array.from(batch.x.subarray(i * d, i * d + d));
    const s = batch.sigma[i];
    const z = method === 'sm' || method === 'ssm' ? [] : Array.from(batch.z.subarray(i * d, i * d + d));
    const xt = z.length ? x.map((v, j) => v + s * z[j]) : x;
    const feat = refFeatures(c, method === 'sm' || method === 'ssm' ? x : xt, s);
    const eye = (j: number) =>
      refTangent(
        c,
        Array.from({ length: d }, (_, k) => (k === j ? 1 : 0)),
        feat.length,
      );
    if (method === 'sm') {
      const r = refForward(
        c,
        theta,
        feat,
        Array.from({ length: d }, (_, j) => eye(j)),
      );
      let tr = 0;
      for (let j = 0; j < d; j++) tr += r.dout[j][j];
      total += 0.5 * r.out.reduce((a, v) => a + v * v, 0) + tr;
    } else if (method === 'ssm') {
      const v = Array.from(batch.v.subarray(i * d, i * d + d));
      const r = refForward(c, theta, feat, [refTangent(c, v, feat.length)]);
      const vJv = v.reduce((a, vj, j) => a + vj * r.dout[0][j], 0);
      const vs = v.reduce((a, vj, j) => a + vj * r.out[j], 0);
      total += vJv + 0.5 * (opts.varianceReduced ? r.out.reduce((a, q) => a + q * q, 0) : vs * vs);
    } else if (method === 'dsm' || method === 'ncsn') {
      const out = refForward(c, theta, feat).out;
      total += 0.5 * out.reduce((a, sj, j) => a + (s * sj + z[j]) ** 2, 0);
    } else {
      const r = refForward(
        c,
        theta,
        feat,
        Array.from({ length: d }, (_, j) => eye(j)),
      );
      const grad = r.dout.map((t) => t[0]); // ∂f/∂x_j
      const fClean = refNet(c, theta, x, s)[0];
      total += grad.reduce((a, g, j) => a + (s * g - z[j]) ** 2, 0) + opts.beta * fClean * fClean;
    }
  }
  return total / batch.n;
}

/** Max |g − g_fd| / max |g_fd| over all parameters; g_fd central differences of the float64 loss, h = 1e-6·max(1, |θᵢ|). */
export function fdGradientError(
  method: Method,
  c: NetConfig,
  theta32: ArrayLike<number>,
  batch: Batch,
  opts: ObjectiveOptions,
  grad: ArrayLike<number>,
): number {
  const theta = Float64Array.from(theta32);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < theta.length; i++) {
    const t0 = theta[i];
    const h = 1e-6 * Math.max(1, Math.abs(t0));
    theta[i] = t0 + h;
    const lp = refLoss(method, c, theta, batch, opts);
    theta[i] = t0 - h;
    const lm = refLoss(method, c, theta, batch, opts);
    theta[i] = t0;
    const fd = (lp - lm) / (2 * h);
    err = Math.max(err, Math.abs(grad[i] - fd));
    scale = Math.max(scale, Math.abs(fd));
  }
  return err / scale;
}
