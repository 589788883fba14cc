/**
 * Faster Slice, SplitV and Transpose for tfjs-backend-wasm 4.x.
 *
 * The stock wasm Slice starts with `backend.readSync(x)`, which copies the WHOLE input out of
 * the wasm heap into a fresh ArrayBuffer before it copies the slice, and SplitV calls that Slice
 * once per piece. Cutting θ (33,794 floats for the 128-wide NCSN net) into its 7 layer pieces
 * therefore copied θ seven times and allocated ~1 MB of garbage: 0.5 ms, about a tenth of a
 * training step (measured in headless Chromium, bench --mode profile). Contiguous slices here copy
 * only the slice, straight from a view on the heap; anything else goes to the stock kernel.
 *
 * The stock Transpose computes every element's source index through the general N-d stride
 * arithmetic: 0.11 ms in Chromium (0.18 ms in Node) for the 256 × 128 activations that each
 * training step transposes twice (for hᵀ·G, linalg.ts), half the 256×128·128×128 product they
 * feed. Here a 2-D transpose is a plain loop over views on the heap: 0.06 ms (0.05 ms), checked
 * against the stock kernel in tests/unit/model-backends.test.ts; other permutations go to the
 * stock kernel.
 *
 * The matrix products (wasm-gemm.ts) and erf (wasm-erf.ts) are installed along with these.
 *
 * Installed by `installWasmKernelFixes()`: idempotent, and a no-op when the wasm backend is not
 * loaded. Results are bit-identical to the stock kernels (tests/unit/model-backends.test.ts).
 */
import * as tf from './tf';
import { installWasmErf } from './wasm-erf';
import { installWasmGemm } from './wasm-gemm';
import type { WasmBackendLike } from './wasm-module';

type KernelArgs = Parameters<tf.KernelFunc>[0];

let installed = false;

export function installWasmKernelFixes(): void {
  installWasmGemm();
  installWasmErf();
  if (installed) return;
  const stockSlice = tf.getKernel('Slice', 'wasm');
  const stockSplit = tf.getKernel('SplitV', 'wasm');
  const stockTranspose = tf.getKernel('Transpose', 'wasm');
  if (!stockSlice || !stockSplit || !stockTranspose) return; // wasm backend not imported (yet)
  installed = true;

  /** The contiguous slice, or null when the stock kernel must handle it. */
  const contiguous = (x: tf.TensorInfo, begin: number[], size: number[], backend: WasmBackendLike): tf.TensorInfo | null => {
    if (x.dtype === 'string') return null;
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    if (!tf.slice_util.isSliceContinous(x.shape, b, s)) return null;
    const offset = tf.slice_util.computeFlatOffset(b, tf.util.computeStrides(x.shape));
    const count = tf.util.sizeFromShape(s);
    // Output first: its malloc may grow the heap, which would detach an earlier view of x.
    const out = backend.makeOutput(s, x.dtype);
    const src = backend.typedArrayFromHeap(x);
    backend.typedArrayFromHeap(out).set(src.subarray(offset, offset + count));
    return out;
  };

  const slice = (args: KernelArgs) => {
    const { inputs, attrs, backend } = args;
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    const out = contiguous(inputs.x!, begin as number[], size as number[], backend as unknown as WasmBackendLike);
    return out ?? stockSlice.kernelFunc(args);
  };

  const splitV = (args: KernelArgs) => {
    const { inputs, attrs, backend } = args;
    const x = inputs.x!;
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    // Splits along the first non-unit axis are contiguous pieces: the common case (θ → layers).
    if (x.dtype === 'string' || x.shape.slice(0, ax).some((d) => d !== 1)) return stockSplit.kernelFunc(args);
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    const outs: tf.TensorInfo[] = [];
    for (const s of sizes) {
      const size = [...x.shape];
      size[ax] = s;
      outs.push(contiguous(x, begin, size, backend as unknown as WasmBackendLike)!);
      begin[ax] += s;
    }
    return outs;
  };

  const transpose = (args: KernelArgs) => {
    const { inputs, attrs, backend } = args;
    const x = inputs.x!;
    const { perm } = attrs as unknown as tf.TransposeAttrs;
    if (x.dtype !== 'float32' || x.shape.length !== 2 || perm[0] !== 1 || perm[1] !== 0) return stockTranspose.kernelFunc(args);
    const [rows, cols] = x.shape;
    const b = backend as unknown as WasmBackendLike;
    const out = b.makeOutput([cols, rows], 'float32');
    transpose2d(b.typedArrayFromHeap(x) as Float32Array, b.typedArrayFromHeap(out) as Float32Array, rows, cols);
    return out;
  };

  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ ...stockSlice, kernelFunc: slice as tf.KernelFunc });
  tf.unregisterKernel('SplitV', 'wasm');
  tf.registerKernel({ ...stockSplit, kernelFunc: splitV as tf.KernelFunc });
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({ ...stockTranspose, kernelFunc: transpose as tf.KernelFunc });
}

/** out = xᵀ for x (rows × cols, row-major): written in order, read with a stride. */
function transpose2d(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    const o = j * rows;
    for (let i = 0; i < rows; i++) out[o + i] = x[i * cols + j];
  }
}
