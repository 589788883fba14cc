/**
 * A plain tanh MLP score model s: Rᵈ → Rᵈ in float64, with forward-mode tangents, for any input
 * dimension d: what exact score matching pays for tr ∇ₓs and what sliced score matching pays for
 * vᵀ∇ₓs v, on the same network.
 *
 *   h₀ = x,  z_l = W_l h_{l−1} + b_l,  h_l = tanh(z_l)  (hidden layers),  s = W_L h_{L−1} + b_L
 *   tangent u:  ḣ₀ = u,  ḣ_l = (1 − h_l²) ⊙ (W_l ḣ_{l−1}),  ṡ = W_L ḣ_{L−1} = (∇ₓs) u
 *
 * The exact trace takes d tangents (the unit vectors, tr ∇ₓs = Σ_j (∇ₓs e_j)_j); the sliced
 * estimate one (vᵀ(∇ₓs)v, whose mean over v with E[vvᵀ] = I is the trace).
 */
import type { Rng } from './rng';

interface Layer {
  /** Weights, rows × cols, row-major (rows = outputs). */
  w: Float64Array;
  b: Float64Array;
  rows: number;
  cols: number;
}

export interface PlainMlp {
  dim: number;
  width: number;
  layers: Layer[];
}

/** d → width (× depth hidden tanh layers) → d, weights N(0, 1/fan-in), biases N(0, 0.01). */
export function createPlainMlp(dim: number, width: number, depth: number, rng: Rng): PlainMlp {
  if (!(Number.isInteger(dim) && dim >= 1 && Number.isInteger(width) && width >= 1 && Number.isInteger(depth) && depth >= 1))
    throw new Error(`invalid MLP shape: dim ${dim}, width ${width}, depth ${depth}`);
  const sizes = [dim, ...new Array<number>(depth).fill(width), dim];
  const layers: Layer[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const [rows, cols] = [sizes[l], sizes[l - 1]];
    const w = rng.fillNormal(new Float64Array(rows * cols)) as Float64Array;
    const k = 1 / Math.sqrt(cols);
    for (let i = 0; i < w.length; i++) w[i] *= k;
    const b = rng.fillNormal(new Float64Array(rows)) as Float64Array;
    for (let i = 0; i < rows; i++) b[i] *= 0.1;
    layers.push({ w, b, rows, cols });
  }
  return { dim, width, layers };
}

/**
 * s(x) and the k Jacobian–vector products (∇ₓs) u_t for the tangents in `u` (k × d, row-major).
 * Returns s (d values) and ju (k × d).
 */
export function scoreAndTangents(net: PlainMlp, x: ArrayLike<number>, u: Float64Array): { s: Float64Array; ju: Float64Array } {
  const k = u.length / net.dim;
  let h = Float64Array.from(x as ArrayLike<number>);
  let t = u;
  const last = net.layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const { w, b, rows, cols } = net.layers[l];
    const z = new Float64Array(rows);
    const tz = new Float64Array(k * rows);
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      let acc = b[r];
      for (let c = 0; c < cols; c++) acc += w[row + c] * h[c];
      z[r] = acc;
      for (let j = 0; j < k; j++) {
        let a = 0;
        const tj = j * cols;
        for (let c = 0; c < cols; c++) a += w[row + c] * t[tj + c];
        tz[j * rows + r] = a;
      }
    }
    if (l < last) {
      for (let r = 0; r < rows; r++) {
        const a = Math.tanh(z[r]);
        z[r] = a;
        const slope = 1 - a * a;
        for (let j = 0; j < k; j++) tz[j * rows + r] *= slope;
      }
    }
    h = z;
    t = tz;
  }
  return { s: h, ju: t };
}

/** s(x) and tr ∇ₓs(x) from d tangents, the unit vectors. */
export function exactTrace(net: PlainMlp, x: ArrayLike<number>): { s: Float64Array; trace: number } {
  const d = net.dim;
  const eye = new Float64Array(d * d);
  for (let j = 0; j < d; j++) eye[j * d + j] = 1;
  const { s, ju } = scoreAndTangents(net, x, eye);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += ju[j * d + j];
  return { s, trace };
}

/** s(x) and vᵀ(∇ₓs(x))v from one tangent. */
export function slicedTrace(net: PlainMlp, x: ArrayLike<number>, v: ArrayLike<number>): { s: Float64Array; vJv: number } {
  const { s, ju } = scoreAndTangents(net, x, Float64Array.from(v as ArrayLike<number>));
  let vJv = 0;
  for (let j = 0; j < net.dim; j++) vJv += v[j] * ju[j];
  return { s, vJv };
}

/** Exact SM loss on n points (n × d): mean of ½‖s(x)‖² + tr ∇ₓs(x). */
export function smLossOf(net: PlainMlp, points: Float64Array): number {
  const d = net.dim;
  const n = points.length / d;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const { s, trace } = exactTrace(net, points.subarray(i * d, i * d + d));
    total += 0.5 * dot(s, s) + trace;
  }
  return total / n;
}

/** Sliced SM loss on n points with one projection each (v: n × d): mean of vᵀ(∇ₓs)v + ½(vᵀs)². */
export function ssmLossOf(net: PlainMlp, points: Float64Array, v: Float64Array): number {
  const d = net.dim;
  const n = points.length / d;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const vi = v.subarray(i * d, i * d + d);
    const { s, vJv } = slicedTrace(net, points.subarray(i * d, i * d + d), vi);
    total += vJv + 0.5 * dot(vi, s) ** 2;
  }
  return total / n;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i] * b[i];
  return acc;
}
