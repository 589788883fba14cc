/**
 * The page's handle on its one compute worker (compute.worker.ts), started on first use and
 * shared by every view. `compute(request)` resolves with the answer; a `Latest` channel per
 * consumer keeps only its newest request's answer, so a slow answer to an old σ never replaces
 * the one for the σ on screen.
 */
import type { MixtureSpec } from '../core/mixture';
import { spawnCompute } from './spawn';
import { transferablesOf, type ComputeAnswer, type ComputeRequest, type ComputeResponse } from './compute-protocol';

type Pending = { resolve: (m: ComputeResponse) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function start(): Worker {
  const w = spawnCompute();
  w.onmessage = (e: MessageEvent<ComputeResponse>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.type === 'error') p.reject(new Error(e.data.message));
    else p.resolve(e.data);
  };
  w.onerror = (e) => {
    e.preventDefault();
    // A crashed worker fails what it held; the next request starts a fresh one.
    for (const p of pending.values()) p.reject(new Error(`the compute worker failed: ${e.message || 'unknown error'}`));
    pending.clear();
    w.terminate();
    worker = null;
  };
  return w;
}

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** Send one request (its typed arrays are transferred: pass copies you no longer need). */
export function compute<R extends WithoutId<ComputeRequest>>(request: R, lane?: number): Promise<ComputeAnswer<R['type']>> {
  worker ??= start();
  const id = nextId++;
  const msg = { ...request, id, lane } as ComputeRequest;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (m: ComputeResponse) => void, reject });
    worker!.postMessage(msg, transferablesOf(msg));
  });
}

/**
 * A consumer's channel: `ask` sends a request and calls `onAnswer` only if no newer request was
 * asked on this channel meanwhile (older answers are dropped, not drawn).
 */
let nextLane = 1;

export class Latest<T extends ComputeRequest['type']> {
  private asked = 0;
  private readonly lane = nextLane++;
  constructor(
    private onAnswer: (answer: ComputeAnswer<T>) => void,
    private onError: (message: string) => void = () => {},
  ) {}

  ask(request: WithoutId<Extract<ComputeRequest, { type: T }>>): void {
    const mine = ++this.asked;
    compute(request, this.lane).then(
      (a) => {
        if (mine === this.asked) this.onAnswer(a as ComputeAnswer<T>);
      },
      (e: Error) => {
        if (mine === this.asked) this.onError(e.message);
      },
    );
  }

  /** Drop whatever is in flight. */
  cancel(): void {
    this.asked++;
  }
}

/** A plain copy of a mixture spec (a reactive proxy cannot be posted). */
export function plainSpec(s: MixtureSpec): MixtureSpec {
  return { weights: [...s.weights], means: s.means.map((m) => [...m]), covs: s.covs.map((c) => c.map((r) => [...r])) };
}
