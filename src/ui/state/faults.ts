/**
 * The words for what the worker and its client report as data: faults (an error code with its
 * fields) and notices (backend choices, a replaced worker). The worker never writes the page's
 * sentences; the page never reads meaning back out of them.
 */
import type { BackendNotice, FromWorker, WorkerLoss } from '../../worker/protocol';

type WorkerError = Extract<FromWorker, { type: 'error' }>;

export function lossText(l: WorkerLoss): string {
  return l.cause === 'crashed' ? `it failed: ${l.detail}` : `it stopped responding for ${l.seconds} s`;
}

/** The sentence shown for a fault. */
export function faultText(e: WorkerError): string {
  if (e.code === 'diverged' && e.diverged)
    return `Training diverged (${e.diverged.reason}). The run is paused at step ${e.diverged.step} with the last good weights.`;
  if (e.code === 'worker-lost' && e.lost)
    return `The training worker stopped ${e.lost.restarts} times within a minute (last: ${lossText(e.lost.last)}). Training is off; reload the page to start again.`;
  return e.message;
}

/** The sentence shown for a backend notice. */
export function noticeText(n: BackendNotice): string {
  switch (n.code) {
    case 'backend-unavailable':
      return `The ${n.wanted} backend could not start (${n.failures.join('; ')}); using ${n.using}.`;
    case 'software-webgpu':
      return `WebGPU is only emulated in software here (${n.adapter}); ${n.using} is faster.`;
    case 'device-lost':
      return `the WebGPU device was lost (${n.detail}); now training on ${n.using}`;
  }
}

/** Whether a notice reports a fault (a backend fell through), not just information. */
export const noticeIsFault = (n: BackendNotice): boolean => n.code !== 'software-webgpu';

export function restartText(why: WorkerLoss, step: number): string {
  return `The training worker stopped (${lossText(why)}) and was restarted; the run continues from ${step > 0 ? `step ${step}` : 'its start'}.`;
}
