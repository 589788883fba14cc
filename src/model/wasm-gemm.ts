/**
 * Matrix products for tfjs-backend-wasm 4.x with WebAssembly relaxed SIMD: C = A·B (+ bias).
 *
 * The stock BatchMatMul runs XNNPACK's wasm-SIMD kernel, built without fused multiply-add (relaxed
 * SIMD came after it). Here a 4-row × 8-column tile keeps 8 accumulators in registers and updates
 * them with `f32x4.relaxed_madd`, one instruction per 4 multiply-adds (wasm/kernels.wat).
 * Measured in headless Chromium: 500×128·128×128 in 0.34 ms against 0.55 ms, 256×128·128×128 in
 * 0.17 ms against 0.29 ms.
 *
 * Each call first copies B into 8-column panels (bp[jb][k][c] = B[k][8jb + c]), so the tile reads
 * B contiguously and a transposed B costs nothing more; a transposed A only changes the strides
 * the tile reads it with (4 rows of Aᵀ at k are 4 neighbours in row k of A), where the stock
 * kernel takes a slow general path (3.9 ms for 256×128ᵀ·256×128, against 0.24 ms plain). Results
 * differ from XNNPACK's only in where the multiply-adds round (once where the hardware fuses them,
 * twice where not): they agree to float32 accumulation error, not bit for bit.
 *
 * Taken: float32, no batch beyond 1, N a multiple of 8, a bias of length N or none, no
 * activation, and our module running (wasm-module.ts). Everything else goes to the stock kernel.
 */
import * as tf from './tf';
import { heapAddress, kernelsFor, type WasmBackendLike } from './wasm-module';

let lastUsed = false;

/** Whether the last product on the wasm backend ran here (false: the stock kernel). */
export function relaxedGemmInUse(): boolean {
  return lastUsed;
}

/** [M, K, N], or null when the product is not one this kernel takes. */
function shapeOf(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): [number, number, number] | null {
  const r = a.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || b.shape.length !== r) return null;
  if (r === 3 ? a.shape[0] !== 1 || b.shape[0] !== 1 : r !== 2) return null;
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kb, n] = transposeB ? b.shape.slice(-2).reverse() : b.shape.slice(-2);
  return k === kb && k > 0 && n > 0 && n % 8 === 0 ? [m, k, n] : null;
}

function run(
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  transposeA: boolean,
  transposeB: boolean,
  [m, k, n]: [number, number, number],
): tf.TensorInfo | null {
  const g = kernelsFor(backend);
  if (!g) return null;
  // Output and scratch first: either malloc may grow the heap (the module sees the same memory).
  const out = backend.makeOutput(a.shape.length === 3 ? [1, m, n] : [m, n], 'float32');
  const need = k * n * 4;
  if (g.scratch.bytes < need) {
    if (g.scratch.ptr) backend.wasm._free(g.scratch.ptr);
    g.scratch = { ptr: backend.wasm._malloc(need), bytes: need };
  }
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  g.pack(at(b), g.scratch.ptr, k, n, transposeB ? 1 : 0);
  g.gemm(at(a), g.scratch.ptr, bias ? at(bias) : 0, at(out), m, k, n, transposeA ? 1 : 0);
  return out;
}

let installed = false;

/** Route BatchMatMul and _FusedMatMul on wasm through the relaxed-SIMD product where it applies. */
export function installWasmGemm(): void {
  if (installed) return;
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  const stockFused = tf.getKernel('_FusedMatMul', 'wasm');
  if (!stockMatMul || !stockFused) return; // wasm backend not imported (yet)
  installed = true;

  const matMul = (args: Parameters<tf.KernelFunc>[0]) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const shape = shapeOf(a!, b!, transposeA, transposeB);
    const out = shape && run(args.backend as unknown as WasmBackendLike, a!, b!, undefined, transposeA, transposeB, shape);
    lastUsed = out !== null;
    return out ?? stockMatMul.kernelFunc(args);
  };

  const fused = (args: Parameters<tf.KernelFunc>[0]) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const { transposeA, transposeB, activation } = args.attrs as unknown as tf._FusedMatMulAttrs;
    const shape = shapeOf(a!, b!, transposeA, transposeB);
    const plainBias = !bias || (bias.dtype === 'float32' && shape !== null && bias.shape.at(-1) === shape[2] && tf.util.sizeFromShape(bias.shape) === shape[2]);
    const ok = shape && plainBias && !preluActivationWeights && (!activation || activation === 'linear');
    const out = ok ? run(args.backend as unknown as WasmBackendLike, a!, b!, bias, transposeA, transposeB, shape) : null;
    lastUsed = out !== null;
    return out ?? stockFused.kernelFunc(args);
  };

  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...stockMatMul, kernelFunc: matMul as tf.KernelFunc });
  tf.unregisterKernel('_FusedMatMul', 'wasm');
  tf.registerKernel({ ...stockFused, kernelFunc: fused as tf.KernelFunc });
}
