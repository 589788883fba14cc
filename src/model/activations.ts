/**
 * Smooth activations φ and their first derivatives φ', both as ordinary forward tfjs ops.
 *
 * Why φ' is written out by hand: the losses that need input derivatives (SM, sliced SM, MULDE)
 * carry φ'(z) inside the loss graph, and tfjs 4.22's nested autodiff silently drops terms through
 * ops that save their outputs (tanh, sigmoid, exp; tfjs issue #3252). With φ' as forward ops the
 * training gradient is a *first-order* gradient of an ordinary graph, which tfjs gets right.
 * The hand-written second-order backward pass (tangent-backprop.ts) needs φ'' as well, written
 * here the same way; the tape (tests only) gets φ'' from tfjs's first-order gradients of the φ' ops.
 * DSM and NCSN only need φ and φ'.
 */
import * as tf from './tf';
import type { Activation } from './types';

export interface ActivationOps {
  readonly name: Activation;
  /** h = φ(z). */
  apply(z: tf.Tensor): tf.Tensor;
  /** φ'(z), given z and h = φ(z) (tanh's is cheapest from h). */
  derivative(z: tf.Tensor, h: tf.Tensor): tf.Tensor;
  /** [φ(z), φ'(z)] sharing the work both need (SiLU's sigmoid, GELU's Φ): fewer kernels. */
  applyWithSlope(z: tf.Tensor): [tf.Tensor, tf.Tensor];
  /** [φ(z), φ'(z), φ''(z)], sharing the work. */
  applyWithCurvature(z: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor];
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(z) = ½(1 + erf(z/√2)), the standard normal CDF. */
function normalCdf(z: tf.Tensor): tf.Tensor {
  return tf.add(0.5, tf.mul(0.5, tf.erf(tf.mul(z, INV_SQRT2))));
}

const table: Record<Activation, ActivationOps> = {
  /** φ = log(1 + eᶻ), φ' = sigmoid(z) = s, φ'' = s(1 − s). */
  softplus: {
    name: 'softplus',
    apply: (z) => tf.softplus(z),
    derivative: (z) => tf.sigmoid(z),
    applyWithSlope: (z) => [tf.softplus(z), tf.sigmoid(z)],
    applyWithCurvature: (z) => {
      const s = tf.sigmoid(z);
      return [tf.softplus(z), s, tf.mul(s, tf.sub(1, s))];
    },
  },
  /**
   * φ = z·sigmoid(z) (SiLU/swish), φ' = s(1 + z(1 − s)) = s(1 + z − φ) with s = sigmoid(z),
   * φ'' = s(1 − s)(2 + z(1 − 2s)) = s(1 − s)(2 + z − 2φ).
   */
  silu: {
    name: 'silu',
    apply: (z) => tf.mul(z, tf.sigmoid(z)),
    derivative: (z, h) => tf.mul(tf.sigmoid(z), tf.add(1, tf.sub(z, h))),
    applyWithSlope: (z) => {
      const s = tf.sigmoid(z);
      const h = tf.mul(z, s);
      return [h, tf.mul(s, tf.add(1, tf.sub(z, h)))];
    },
    applyWithCurvature: (z) => {
      const s = tf.sigmoid(z);
      const h = tf.mul(z, s);
      const q = tf.add(1, tf.sub(z, h)); // 1 + z − φ
      // 2 + z − 2φ = q + 1 − φ
      return [h, tf.mul(s, q), tf.mul(tf.mul(s, tf.sub(1, s)), tf.sub(tf.add(q, 1), h))];
    },
  },
  /** φ = tanh z, φ' = 1 − φ², φ'' = −2φφ'. */
  tanh: {
    name: 'tanh',
    apply: (z) => tf.tanh(z),
    derivative: (_z, h) => tf.sub(1, tf.square(h)),
    applyWithSlope: (z) => {
      const h = tf.tanh(z);
      return [h, tf.sub(1, tf.square(h))];
    },
    applyWithCurvature: (z) => {
      const h = tf.tanh(z);
      const a = tf.sub(1, tf.square(h));
      return [h, a, tf.mul(tf.mul(-2, h), a)];
    },
  },
  /** φ = z Φ(z) (exact, erf-based GELU), φ' = Φ(z) + z·N(z; 0, 1), φ'' = N(z; 0, 1)(2 − z²). */
  gelu: {
    name: 'gelu',
    apply: (z) => tf.mul(z, normalCdf(z)),
    derivative: (z) => tf.add(normalCdf(z), tf.mul(z, tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(z)))))),
    applyWithSlope: (z) => {
      const cdf = normalCdf(z);
      return [tf.mul(z, cdf), tf.add(cdf, tf.mul(z, tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(z))))))];
    },
    applyWithCurvature: (z) => {
      const cdf = normalCdf(z);
      const z2 = tf.square(z);
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, z2)));
      return [tf.mul(z, cdf), tf.add(cdf, tf.mul(z, pdf)), tf.mul(pdf, tf.sub(2, z2))];
    },
  },
};

/** The tfjs ops of an activation; throws `invalid activation: …` for an unknown name. */
export function activationOps(name: Activation): ActivationOps {
  const ops = (table as Partial<Record<string, ActivationOps>>)[name];
  if (!ops) throw new Error(`invalid activation: ${String(name)}; expected one of ${Object.keys(table).join(', ')}`);
  return ops;
}
