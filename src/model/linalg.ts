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
 * Where wasm's products run our relaxed-SIMD kernel (wasm-gemm.ts), a transposed operand costs
 * nothing there either (it is read with other strides), so 'auto' passes the flags.
 *
 * These are first-order only (customGrad), which is all the trainer asks of them: the input
 * derivatives inside the losses are forward ops (derivatives.ts), never nested gradients.
 */
import * as tf from './tf';
import { wasmKernelsAvailable } from './wasm-module';

/** How transposed products are computed: kernel flags, explicit transposes, or by backend. */
export type TransposeStrategy = 'flags' | 'explicit' | 'auto';
let strategy: TransposeStrategy = 'auto';

/** Choose how transposed matrix products run ('auto': explicit on wasm with the stock products, flags elsewhere). */
export function setTransposeStrategy(s: TransposeStrategy): void {
  if (s !== 'flags' && s !== 'explicit' && s !== 'auto') throw new Error(`invalid transpose strategy: ${String(s)}`);
  strategy = s;
}

function explicit(): boolean {
  return strategy === 'auto' ? tf.getBackend() === 'wasm' && !wasmKernelsAvailable() : strategy === 'explicit';
}

/** Whether transposed products run as an explicit transpose and a plain product. */
export function explicitTransposes(): boolean {
  return explicit();
}

/**
 * Aᵀ·B. Explicitly the smaller of two equivalent ways: transpose A and multiply, or (BᵀA)ᵀ, which
 * transposes B and the result instead (cheaper when B and the result are thin, e.g. a 2-column
 * output layer's gradient: two transposes of 2 × 128 instead of one of 256 × 128).
 */
export function mulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!explicit()) {
    // wasm-gemm.ts takes widths that are multiples of 8: a thin B (an output layer's gradient)
    // goes as (BᵀA)ᵀ, whose product is wide, and a transpose of the thin result.
    if (tf.getBackend() === 'wasm' && b.shape[1] % 8 !== 0) return tf.transpose(tf.matMul(b, a, true, false)) as tf.Tensor2D;
    return tf.matMul(a, b, true, false);
  }
  const [, m] = a.shape;
  const [rows, n] = b.shape;
  return rows * n + m * n < rows * m ? (tf.transpose(tf.matMul(tf.transpose(b), a)) as tf.Tensor2D) : tf.matMul(tf.transpose(a), b);
}

/** A·Bᵀ. */
export function mulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicit() ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/**
 * Σ over rows (the gradient of a bias broadcast over rows). On wasm as a product with a row of
 * ones: its Sum over axis 0 transposes first and took 0.13 ms for 256 × 128, the product 0.01 ms.
 */
export function sumRows(dy: tf.Tensor2D): tf.Tensor1D {
  if (tf.getBackend() !== 'wasm') return tf.sum(dy, 0);
  const [rows, cols] = dy.shape;
  return tf.reshape(tf.matMul(tf.ones([1, rows]), dy), [cols]);
}

type Save = (tensors: tf.Tensor[]) => void;
type Grad = { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.Tensor[] };
const custom = (f: (...args: never[]) => Grad) =>
  tf.customGrad(f as unknown as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor2D;

// `save` is required, not a nicety: tfjs runs the forward pass of a gradient in its own tidy,
// so intermediates the backward pass needs are gone unless saved (saving clones them; on wasm a
// copy each, which is one reason DSM/NCSN use the tape-free path in backprop.ts).
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
    gradFunc: (dy, [sa, sb]) => [mulTB(dy, sb as tf.Tensor2D), mulTA(sa as tf.Tensor2D, dy), sumRows(dy)],
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
