/** The frames and events the page-side client hands to the page. */
import type { BackendInfo, BackendNotice, FromWorker, FieldRequest, WorkerLoss } from './protocol';

export type ProgressFrame = Extract<FromWorker, { type: 'progress' }>;
/** What the page asks of a view; the client tags it with a `fieldId`. */
export type ViewQuery = Omit<FieldRequest, 'fieldId'>;
export type ParticlesFrame = Extract<FromWorker, { type: 'particles' }>;
export type WorkerError = Extract<FromWorker, { type: 'error' }>;

export interface ClientEvents {
  ready: (backend: BackendInfo, notice?: BackendNotice) => void;
  /** The worker stopped and a new one took over; `step` is where the run resumes (0: from its seed). */
  restarted: (why: WorkerLoss, step: number) => void;
  backend: (backend: BackendInfo, notice: BackendNotice) => void;
  progress: (frame: ProgressFrame) => void;
  error: (error: WorkerError) => void;
}
