/**
 * Backend choice inside the training worker: webgpu → webgl → wasm → cpu, skipping emulated
 * GPUs in 'auto' mode (a SwiftShader adapter is ~10× slower than wasm for these small nets).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The webgpu backend registers itself only if navigator.gpu exists at import time; it does in
// a dedicated worker of a secure page.
import '@tensorflow/tfjs-backend-webgpu';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendInfo, BackendName, MeasuredChoice } from './protocol';
import { chooseByTiming, choiceKey, timeTrainingBurst, type Choice } from './backend-choice';
import { installWasmKernelFixes } from '../model/wasm-kernels';
import { wasmKernelsAvailable } from '../model/wasm-module';

installWasmKernelFixes();

// Bundled binaries, so the page works offline and under a CSP without remote sources.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/**
 * Use the binaries at these URLs instead (resolved by the page's module). A bundler that copies
 * this worker file as a plain asset, as an app that installs the package does, leaves the
 * worker's own references behind; the page's references are rewritten along with the app.
 */
export function useWasmUrls(urls: Record<string, string>): void {
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;
  if (names.every((n) => typeof urls[n] === 'string')) setWasmPaths(Object.fromEntries(names.map((n) => [n, urls[n]])));
}

/**
 * Threads for the wasm backend: 1 (the plain SIMD binary) unless set higher before `activate`.
 *
 * tfjs-backend-wasm loads its threaded binary whenever the page is cross-origin isolated (COOP +
 * COEP) and then runs XNNPACK on min(n, hardwareConcurrency / 2) threads. Measured on the shared
 * 2-core machine (bench --mode profile --threads N, isolated, one training worker): one thread is
 * as fast as the SIMD binary; two threads made a 256×128·128×128 product 1.6× faster but a whole
 * NCSN step only 0–10% faster, and in one run with other processes busy every kernel became 5–6×
 * slower (34 ms instead of 6 ms a step) as the pool's spinning threads fought for the cores. The
 * comparison view runs four training workers, so threads per worker multiply. Until threads are
 * measured to help on a machine with cores to spare, the default stays single-threaded, and an
 * isolated page gets the same binary as a plain static host. (Threads also need the pthread
 * bootstrap fix in vite.config.ts; without it every pthread dies at start.)
 */
let wasmThreads = 1;
export function setWasmThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid thread count: ${n}`);
  wasmThreads = n;
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** What the platform offers before any backend is set. */
export interface Probe {
  webgpu: { available: boolean; adapter?: string; software?: boolean };
  webgl: { available: boolean; renderer?: string; software?: boolean };
}

const SOFTWARE = /swiftshader|llvmpipe|software|basic render|lavapipe/i;

/** Look at the WebGPU adapter and WebGL renderer without creating a tfjs backend. */
export async function probe(): Promise<Probe> {
  const out: Probe = { webgpu: { available: false }, webgl: { available: false } };
  const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (gpu && tf.findBackendFactory('webgpu')) {
    try {
      const a = await gpu.requestAdapter();
      if (a) {
        const i = a.info ?? {};
        const adapter = [i.vendor, i.architecture, i.description || i.device].filter(Boolean).join(' ') || 'WebGPU adapter';
        out.webgpu = { available: true, adapter, software: Boolean(a.isFallbackAdapter ?? i.isFallbackAdapter) || SOFTWARE.test(adapter) };
      }
    } catch {
      // No adapter: WebGPU stays unavailable.
    }
  }
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2');
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      out.webgl = { available: true, renderer, software: SOFTWARE.test(renderer) };
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // No WebGL in this context.
  }
  return out;
}

/** Backends to try, best first. 'auto' puts emulated GPUs after wasm and cpu… but before nothing. */
export function candidates(choice: BackendChoice, p: Probe): BackendName[] {
  const order: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
  if (choice !== 'auto') return [choice, ...order.filter((b) => b !== choice)];
  const fast = order.filter((b) => (b === 'webgpu' && p.webgpu.available && !p.webgpu.software) || (b === 'webgl' && p.webgl.available && !p.webgl.software));
  return [...fast, 'wasm', 'cpu'];
}

/**
 * `auto`'s candidates ordered by measured speed (backend-choice.ts): each one worth timing is
 * started and trains a short burst, unless the page remembered a choice for this browser,
 * tfjs version and adapter.
 */
export function orderByTiming(order: BackendName[], p: Probe, remembered?: MeasuredChoice): Promise<Choice> {
  const key = choiceKey(tf.version_core, p.webgpu.adapter, p.webgl.renderer);
  return chooseByTiming(order, key, remembered, async (b) => {
    try {
      await activate([b]);
      return await timeTrainingBurst();
    } catch {
      return null;
    }
  });
}

/** Describe the active backend for the page. */
export function describe(name: BackendName, p: Probe): BackendInfo {
  if (name === 'webgpu') return { name, adapter: p.webgpu.adapter, software: p.webgpu.software };
  if (name === 'webgl') return { name, adapter: p.webgl.renderer, software: p.webgl.software };
  return name === 'wasm' ? { name, products: wasmKernelsAvailable() ? 'relaxed-simd' : 'stock' } : { name };
}

/**
 * Set the first backend of `order` that initialises, after `skip`ped ones. Returns its name and
 * the reasons earlier ones failed. `setBackend` resolves false (rather than throwing) on failure.
 */
export async function activate(order: BackendName[]): Promise<{ name: BackendName; failures: string[] }> {
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (!tf.findBackendFactory(name)) {
        failures.push(`${name}: not available in this browser`);
        continue;
      }
      if (name === 'wasm') {
        if (wasmThreads > 1) setThreadsCount(wasmThreads);
        else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        // A tiny op proves the backend computes, not only that it registered.
        const t = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
        const v = (await t.data())[0];
        t.dispose();
        if (v === 3) return { name, failures };
        failures.push(`${name}: computed 1 + 2 = ${v}`);
      } else failures.push(`${name}: failed to initialise`);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Resolves when the active WebGPU device is lost (never for other backends). */
export function deviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  return device?.lost ? device.lost.then((i) => i.message || i.reason || 'device lost') : null;
}

export { tf };
