/** A stand-in for a training Worker: records what the page posts, and answers on request. */
import type { FromWorker, ToWorker, RunConfig } from '../../src/worker/protocol';
import { TrainerPool } from '../../src/worker/pool';

export class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The worker answers. */
  reply(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
  last<T extends ToWorker['type']>(type: T): Extract<ToWorker, { type: T }> {
    return this.sent.filter((m) => m.type === type).at(-1) as Extract<ToWorker, { type: T }>;
  }
}

/** Nothing remembered, nothing stored: the tests run without localStorage. */
export const noMemory = { load: () => undefined, save: () => {} };

/** A pool of `size` workers that are all fakes (`workers`, in the order they were started). */
export function fakePool(size: number) {
  const workers: FakeWorker[] = [];
  const pool = new TrainerPool(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    size,
    noMemory,
  );
  return { pool, workers };
}

/** A small run, for messages only (nothing trains it). */
export const config: RunConfig = {
  method: 'dsm',
  dataset: { weights: [1], means: [[0]], covs: [[[1]]] },
  nData: 10,
  seed: 1,
  width: 8,
  depth: 1,
  activation: 'silu',
  live: { learningRate: 1e-3, batchSize: 8, sigma: 0.5, sigmaMin: 0.1, sigmaMax: 1, beta: 0.1, projection: 'gaussian' },
};

export const progress = (runId: number, step: number, extra: Partial<FromWorker & { type: 'progress' }> = {}): FromWorker => ({
  type: 'progress',
  runId,
  step,
  running: true,
  losses: new Float32Array([1]),
  msPerStep: 1,
  metrics: {},
  tensors: 3,
  ...extra,
});
