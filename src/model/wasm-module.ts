/**
 * Our WebAssembly kernels (wasm/kernels.wat: the matrix product and erf, in relaxed SIMD),
 * instantiated on tfjs-backend-wasm's own heap so they read and write its tensors in place.
 *
 * One instance per backend object, made on first use. Where it cannot run, `kernelsFor` gives
 * null and the stock kernels run: a browser without relaxed SIMD (Chromium has it since 114;
 * Node 20 behind a flag), the threaded build's shared heap, or a page whose Content-Security-Policy
 * forbids compiling WebAssembly.
 */
import * as tf from './tf';
import { kernelsWasmBase64 } from './wasm/kernels-bytes';

/** The parts of tfjs-backend-wasm's BackendWasm used here (public members there). */
export interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The module's exports (byte addresses on the heap) and its scratch space. */
export interface WasmKernels {
  /** bp = B packed in 8-column panels; `trans`: B given as N×K. */
  pack(b: number, bp: number, k: number, n: number, trans: number): void;
  /** C = A·B + bias (bias 0: none) for packed B; `transA`: A given as K×M. */
  gemm(a: number, bp: number, bias: number, c: number, m: number, k: number, n: number, transA: number): void;
  /** out = erf(x), n ≥ 4. */
  erf(x: number, out: number, n: number): void;
  /** Heap scratch for the packed B, grown as needed and kept. */
  scratch: { ptr: number; bytes: number };
}

const instances = new WeakMap<object, WasmKernels | null>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The module on this backend's heap, or null where it cannot run. */
export function kernelsFor(backend: WasmBackendLike): WasmKernels | null {
  if (instances.has(backend)) return instances.get(backend)!;
  let k: WasmKernels | null = null;
  try {
    const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
    const bytes = decode(kernelsWasmBase64);
    if (memory instanceof WebAssembly.Memory && memory.buffer instanceof ArrayBuffer && WebAssembly.validate(bytes)) {
      // Synchronous: the module is ~2 KB, far below the main thread's limit for sync compiles.
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      k = { ...(exports as unknown as Omit<WasmKernels, 'scratch'>), scratch: { ptr: 0, bytes: 0 } };
    }
  } catch {
    k = null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval': the stock kernels still run
  }
  instances.set(backend, k);
  return k;
}

/** Whether the active backend is wasm and our kernels run on it. */
export function wasmKernelsAvailable(): boolean {
  return tf.getBackend() === 'wasm' && kernelsFor(tf.backend() as unknown as WasmBackendLike) !== null;
}

/** The heap address of a tensor's data. */
export function heapAddress(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}
