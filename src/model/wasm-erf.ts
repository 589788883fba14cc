/**
 * erf for tfjs-backend-wasm 4.x in WebAssembly relaxed SIMD, for GELU (Φ(z) = ½(1 + erf(z/√2)),
 * MULDE's default activation).
 *
 * The stock wasm Erf evaluates erf one element at a time: 0.50 ms for 256 × 128 in headless
 * Chromium, against 0.04 ms for Sigmoid; GELU's three per training step were MULDE's largest
 * cost after the products. Here 4 lanes at a time (wasm/kernels.wat): x·S(x²) for |x| < 1 and
 * 1 − P(u)/Q(u) beyond, fitted for the least maximum error. In float32, |error| ≤ 1.2e-7 (2 ulps of
 * values near 1; tests/unit/wasm-erf.test.ts), against 4.9e-8 for the stock wasm kernel and
 * 1.7e-7 for tfjs's cpu kernel, measured the same way.
 *
 * Taken: float32 tensors of 4 or more elements, with our module running (wasm-module.ts).
 */
import * as tf from './tf';
import { heapAddress, kernelsFor, type WasmBackendLike } from './wasm-module';

let installed = false;

/** Route Erf on wasm through our kernel where it applies. */
export function installWasmErf(): void {
  if (installed) return;
  const stock = tf.getKernel('Erf', 'wasm');
  if (!stock) return; // wasm backend not imported (yet)
  installed = true;

  const erf = (args: Parameters<tf.KernelFunc>[0]) => {
    const x = args.inputs.x!;
    const backend = args.backend as unknown as WasmBackendLike;
    const n = tf.util.sizeFromShape(x.shape);
    const k = x.dtype === 'float32' && n >= 4 ? kernelsFor(backend) : null;
    if (!k) return stock.kernelFunc(args);
    const out = backend.makeOutput(x.shape, 'float32');
    k.erf(heapAddress(backend, x), heapAddress(backend, out), n);
    return out;
  };

  tf.unregisterKernel('Erf', 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: erf as tf.KernelFunc });
}
