/**
 * `auto` picks the backend by measurement, not by rank: on a real GPU, tfjs-webgpu with many small
 * kernels per step can be slower than wasm (and webgl than either), and which one wins depends on
 * the adapter. So each usable backend trains a short burst (NCSN, the default net, batch 256) and
 * the fastest is used. The choice is remembered per browser by the page (workers have no
 * localStorage), keyed by the tfjs version and the adapter and renderer descriptions, so a new
 * browser, driver or tfjs release measures again.
 *
 * Only GPU backends on real adapters and wasm are timed (emulated GPUs are left out of `auto`
 * altogether, see backend.ts); cpu is never faster than wasm and stays the last resort. With a
 * single candidate (no real GPU) nothing is timed and start-up costs nothing extra.
 */
import { createRng } from '../core/rng';
import { createTrainer } from '../model/trainer';
import type { BackendName, MeasuredChoice } from './protocol';

/**
 * Which of our own kernels the backends run (model/wasm-kernels.ts, model/wasm-gemm.ts): they
 * change what a wasm step costs, so a choice timed with other kernels no longer holds. Raise it
 * when they change.
 */
const OWN_KERNELS = 2;

/** The key a measured choice holds for. */
export function choiceKey(tfjsVersion: string, adapter: string | undefined, renderer: string | undefined): string {
  return `tfjs ${tfjsVersion} | kernels ${OWN_KERNELS} | webgpu ${adapter ?? 'none'} | webgl ${renderer ?? 'none'}`;
}

/** The candidates worth timing: all but cpu. */
export function timedCandidates(order: readonly BackendName[]): BackendName[] {
  return order.filter((b) => b !== 'cpu');
}

export interface Choice {
  /** Backends to try, best first. */
  order: BackendName[];
  /** The times it chose by (absent when nothing needed timing). */
  measured?: MeasuredChoice;
  /** Whether those times were remembered rather than measured now. */
  remembered: boolean;
}

/**
 * Order `order` by measured speed. `time(b)` starts backend b and returns its ms/step, or null if
 * it failed (it then goes after the ones that ran, before what was not timed). A remembered choice
 * with the same key and a backend still in the list is used without timing.
 */
export async function chooseByTiming(
  order: readonly BackendName[],
  key: string,
  remembered: MeasuredChoice | undefined,
  time: (b: BackendName) => Promise<number | null>,
): Promise<Choice> {
  const timed = timedCandidates(order);
  if (timed.length <= 1) return { order: [...order], remembered: false };
  const first = (b: BackendName) => [b, ...order.filter((o) => o !== b)];
  if (remembered && remembered.key === key && timed.includes(remembered.backend))
    return { order: first(remembered.backend), measured: remembered, remembered: true };
  const msPerStep: Partial<Record<BackendName, number>> = {};
  for (const b of timed) {
    const ms = await time(b);
    if (ms !== null && Number.isFinite(ms)) msPerStep[b] = ms;
  }
  const ran = timed.filter((b) => msPerStep[b] !== undefined).sort((a, b) => msPerStep[a]! - msPerStep[b]!);
  if (ran.length === 0) return { order: [...order], remembered: false };
  const sorted = [...ran, ...order.filter((b) => !ran.includes(b))];
  return { order: sorted, measured: { key, backend: ran[0], msPerStep }, remembered: false };
}

/**
 * ms per step of a short NCSN burst on the active backend: 2 warm-up steps (shader compiles,
 * first allocations), then `steps` steps with one read-back.
 */
export async function timeTrainingBurst(steps = 6): Promise<number> {
  const rng = createRng(7);
  const data = new Float32Array(2 * 128);
  rng.fillNormal(data);
  const tr = createTrainer({ method: 'ncsn', data, dim: 2, width: 128, depth: 3, batchSize: 256, seed: 1 });
  try {
    await tr.trainBurst(2);
    const t0 = performance.now();
    await tr.trainBurst(steps);
    return (performance.now() - t0) / steps;
  } finally {
    tr.dispose();
  }
}
