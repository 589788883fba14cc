/** How a request to the training worker can fail, as data the page words (ui/state/faults.ts). */
import type { ErrorCode } from './protocol';

/**
 * Why a request's promise rejected. `stale`: the run changed (or the worker was replaced) before
 * the answer came; `stopped`: the client was terminated or gave up. Both, and `no-run`, are
 * quiet outcomes for a page that has moved on; the others are faults to show.
 */
export type RequestFailure = ErrorCode | 'stale' | 'stopped';

export class RequestError extends Error {
  constructor(
    readonly code: RequestFailure,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }

  /** Whether the caller has moved on and nothing needs saying. */
  get quiet(): boolean {
    return this.code === 'stale' || this.code === 'stopped' || this.code === 'no-run';
  }
}
