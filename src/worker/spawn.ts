/**
 * Starting the training worker from wherever the page loaded this module.
 *
 * A worker script must come from the page's own origin, but the widget's module may be served
 * by another site (a CDN, the course's asset host). So when the worker file is on another origin,
 * the worker starts from a one-line same-origin shim, a blob holding `import "<absolute URL>"`:
 * the real worker module then loads from its own site, and everything it fetches (the wasm
 * binaries) resolves against its own URL, not the page's. The host page's CSP has to allow that:
 * `worker-src blob: <origin>` (a module worker's static imports are checked against worker-src,
 * not script-src), `script-src <origin> 'wasm-unsafe-eval'` and `connect-src <origin>` (the wasm
 * binaries); the module's server has to send CORS headers.
 */
import workerUrl from './trainer.worker.ts?worker&url';
import computeUrl from './compute.worker.ts?worker&url';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const NAME = 'score-playground-trainer';

/** The worker module's absolute URL (the `?worker&url` import may be relative to this module). */
export function workerScriptUrl(): URL {
  return new URL(workerUrl, import.meta.url);
}

/**
 * The wasm binaries' absolute URLs, next to this module, for the worker's `init`. An app that
 * bundles the package rewrites these references (and copies the files) as it does any asset.
 */
export function wasmUrls(): Record<string, string> {
  const abs = (u: string) => new URL(u, import.meta.url).href;
  return {
    'tfjs-backend-wasm.wasm': abs(wasmUrl),
    'tfjs-backend-wasm-simd.wasm': abs(wasmSimdUrl),
    'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreadedUrl),
  };
}

/** The most recent CSP violation on this page, which explains a worker that failed to start. */
let lastViolation: { uri: string; directive: string } | null = null;
if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (e) => {
    lastViolation = { uri: e.blockedURI, directive: e.effectiveDirective };
  });
}

/** Start a training worker: directly from a same-origin URL, through a blob shim otherwise. */
export function spawnTrainer(): Worker {
  return spawnModule(workerScriptUrl(), NAME);
}

/** Start the page's compute worker (exact fields, densities, readouts) the same way. */
export function spawnCompute(): Worker {
  return spawnModule(new URL(computeUrl, import.meta.url), 'score-playground-compute');
}

function spawnModule(url: URL, name: string): Worker {
  if (typeof location === 'undefined' || url.origin === location.origin) return new Worker(url, { type: 'module', name });
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(shim, { type: 'module', name });
  // The blob is resolved when the Worker is constructed; it is no longer needed once it answers or fails.
  const revoke = () => URL.revokeObjectURL(shim);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}

/** Why a worker that never answered could not start, in words a page author can act on. */
export function startFailure(): string {
  const url = workerScriptUrl();
  const crossOrigin = typeof location !== 'undefined' && url.origin !== location.origin;
  const v = lastViolation;
  const csp = v
    ? ` This page's Content-Security-Policy blocked ${v.uri || 'it'} (${v.directive}).`
    : crossOrigin
      ? ` The page's Content-Security-Policy may forbid blob: workers, or ${url.origin} may not send CORS headers.`
      : '';
  const need = crossOrigin
    ? ` A page that loads the widget from ${url.origin} needs: worker-src blob: ${url.origin}; script-src ${url.origin} 'wasm-unsafe-eval'; connect-src ${url.origin}.`
    : '';
  return `The training worker could not start, so this widget cannot train.${csp}${need}`;
}
