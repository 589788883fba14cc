/**
 * Matrix products with hand-written first-order gradients:
 *   Y = A·B (+ b):  dA = dY·Bᵀ,  dB = Aᵀ·dY,  db = Σ_rows dY
 *   Y = A·Bᵀ:       dA = dY·B,   dB = dYᵀ·A
 *
 * Why not tfjs's own matMul gradient: it uses transposed matMul kernels, and tfjs-backend-wasm
 * runs only the non-transposed product on its fast (XNNPACK) path. Measured in Node, 256×128 by
 * 128×128: 0.8 ms plain, 6–8 ms with either transpose flag, 0.4 ms for an explicit transpose.
 * So on wasm we transpose explicitly and multiply plainly (≈5× faster backward pass); on cpu,
 * webgl and webgpu the flags are as fast or free, and an extra transpose kernel would only cost.
 *
 * These are first-order only (customGrad), which is all the trainer asks of them: the input
 * derivatives inside the losses are forward ops (derivatives.ts), never nested gradients.
 */
import * as tf from '@tensorflow/tfjs';

/** How transposed products are computed: kernel flags, explicit transposes, or by backend. */
export type TransposeStrategy = 'flags' | 'explicit' | 'auto';
let strategy: TransposeStrategy = 'auto';

/** Choose how transposed matrix products run ('auto': explicit on wasm, flags elsewhere). */
export function setTransposeStrategy(s: TransposeStrategy): void {
  if (s !== 'flags' && s !== 'explicit' && s !== 'auto') throw new Error(`invalid transpose strategy: ${String(s)}`);
  strategy = s;
}

function explicit(): boolean {
  return strategy === 'auto' ? tf.getBackend() === 'wasm' : strategy === 'explicit';
}

/** Aᵀ·B. */
function mulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicit() ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false);
}

/** A·Bᵀ. */
function mulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicit() ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

type Save = (tensors: tf.Tensor[]) => void;
type Grad = { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.Tensor[] };
const custom = (f: (...args: never[]) => Grad) =>
  tf.customGrad(f as unknown as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor2D;

const product = custom((a: tf.Tensor2D, b: tf.Tensor2D, save: Save) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, [sa, sb]) => [mulTB(dy, sb as tf.Tensor2D), mulTA(sa as tf.Tensor2D, dy)],
  };
});

const productBias = custom((a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D, save: Save) => {
  save([a, b]);
  return {
    value: tf.fused.matMul({ a, b, bias }) as tf.Tensor2D,
    gradFunc: (dy, [sa, sb]) => [mulTB(dy, sb as tf.Tensor2D), mulTA(sa as tf.Tensor2D, dy), tf.sum(dy, 0)],
  };
});

const productTB = custom((a: tf.Tensor2D, b: tf.Tensor2D, save: Save) => {
  save([a, b]);
  return {
    value: mulTB(a, b),
    gradFunc: (dy, [sa, sb]) => [tf.matMul(dy, sb as tf.Tensor2D), mulTA(dy, sa as tf.Tensor2D)],
  };
});

/** Y = A·B (+ bias broadcast over rows). */
export function matmul(a: tf.Tensor2D, b: tf.Tensor2D, bias?: tf.Tensor1D | null): tf.Tensor2D {
  return bias ? productBias(a, b, bias) : product(a, b);
}

/** Y = A·Bᵀ. */
export function matmulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return productTB(a, b);
}

/**
 * Y = A·W for a constant A (input features, tangent seeds): only W gets a gradient, so the
 * backward pass skips dA.
 */
export function matmulConst(a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return custom((wt: tf.Tensor2D, save: Save) => {
    save([a]);
    return { value: tf.matMul(a, wt), gradFunc: (dy, [sa]) => [mulTA(sa as tf.Tensor2D, dy)] };
  })(w);
}
