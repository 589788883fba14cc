/**
 * Matrix products for tfjs-backend-wasm 4.x with WebAssembly relaxed SIMD: C = A·B (+ bias).
 *
 * The stock BatchMatMul runs XNNPACK's wasm-SIMD kernel, built without fused multiply-add (relaxed
 * SIMD came after it). Here a 4-row × 8-column tile keeps 8 accumulators in registers and updates
 * them with `f32x4.relaxed_madd`, one instruction per 4 multiply-adds (gemm.wat). Measured in
 * headless Chromium on the 128-wide nets' products: 500×128·128×128 in 0.34 ms against 0.55 ms,
 * 256×128·128×128 in 0.17 ms against 0.29 ms (bench --mode profile, `matmul` rows).
 *
 * Each call packs B into 8-column panels (bp[jb][k][c] = B[k][8jb + c]; 2 µs for 128 × 128), which
 * also makes a transposed B free; a transposed A only changes the strides the tile reads it with
 * (4 rows of Aᵀ at k are 4 neighbours in row k of A). The stock kernel runs either transpose
 * through a slow general path (3.9 ms for 256×128ᵀ·256×128, against 0.24 ms plain). The product's rounding differs from XNNPACK's only in where the
 * multiply-adds round: each one rounds once where fused hardware exists, twice where not, so
 * results agree with the stock kernel to float32 accumulation error, not bit for bit.
 *
 * Taken: float32, no batch beyond 1, N a multiple of 8, bias of length N or none,
 * no activation. Everything else, and a browser without relaxed SIMD or a shared (threaded) heap,
 * goes to the stock kernel.
 */
import * as tf from './tf';
import { gemmWasmBase64 } from './wasm/gemm-bytes';

/** The parts of tfjs-backend-wasm's BackendWasm used here (public members there). */
interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

interface Gemm {
  pack(b: number, bp: number, k: number, n: number, trans: number): void;
  gemm(a: number, bp: number, bias: number, c: number, m: number, k: number, n: number, transA: number): void;
  /** Heap scratch for the packed B, grown as needed and kept. */
  scratch: { ptr: number; bytes: number };
}

const instances = new WeakMap<object, Gemm | null>();
let lastUsed = false;

/** Whether the last product on the wasm backend ran here (false: the stock kernel). */
export function relaxedGemmInUse(): boolean {
  return lastUsed;
}

/** Whether the active backend is wasm and its matrix products can run here. */
export function relaxedGemmAvailable(): boolean {
  return tf.getBackend() === 'wasm' && gemmFor(tf.backend() as unknown as WasmBackendLike) !== null;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The module on this backend's heap, or null where it cannot run (no relaxed SIMD, shared heap, CSP). */
function gemmFor(backend: WasmBackendLike): Gemm | null {
  if (instances.has(backend)) return instances.get(backend)!;
  let g: Gemm | null = null;
  try {
    const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
    const bytes = decode(gemmWasmBase64);
    if (memory instanceof WebAssembly.Memory && memory.buffer instanceof ArrayBuffer && WebAssembly.validate(bytes)) {
      // Synchronous: the module is under 1 KB, far below the main thread's limit for sync compiles.
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      g = { ...(exports as unknown as Omit<Gemm, 'scratch'>), scratch: { ptr: 0, bytes: 0 } };
    }
  } catch {
    g = null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval': the stock kernel still runs
  }
  instances.set(backend, g);
  return g;
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
  const g = gemmFor(backend);
  if (!g) return null;
  // Output and scratch first: either malloc may grow the heap (the module sees the same memory).
  const out = backend.makeOutput(a.shape.length === 3 ? [1, m, n] : [m, n], 'float32');
  const need = k * n * 4;
  if (g.scratch.bytes < need) {
    if (g.scratch.ptr) backend.wasm._free(g.scratch.ptr);
    g.scratch = { ptr: backend.wasm._malloc(need), bytes: need };
  }
  const at = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
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
