/**
 * The page's one training engine: a small pool of training workers shared by every run on the
 * page (every widget, every panel). At most `hardwareConcurrency − 1` workers (at least 1), each
 * holding one TensorFlow.js runtime and many runs; a run goes to a worker with its backend choice,
 * a fresh one while the pool has room, else the least loaded. Run and request ids come from the
 * pool, so they are unique on the page and many clients can share one worker.
 */
import type { BackendChoice, MeasuredChoice } from './protocol';
import { WorkerHost, type HostClient } from './host';
import { spawnTrainer } from './spawn';

/** A worker with no runs left is kept this long, so a tab switch or a re-mount reuses its runtime. */
export const IDLE_MS = 5000;

/** Workers the page may run: one core is left to the page itself. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, (Number.isFinite(cores) ? (cores as number) : 2) - 1);
}

/** What assignment sees of a worker. */
export interface HostLoad {
  choice: BackendChoice;
  load: number;
}

/**
 * Where a new run goes: the index of a worker in `hosts`, or -1 for a new worker. A new one
 * while the pool has room and every worker of this backend choice already holds a run, else the
 * least loaded of them (the first on a tie). A choice with no worker gets one even in a full
 * pool: a run must be able to train on the backend it asked for.
 */
export function pickHost(hosts: readonly HostLoad[], choice: BackendChoice, size: number): number {
  let best = -1;
  for (let i = 0; i < hosts.length; i++) if (hosts[i].choice === choice && (best < 0 || hosts[i].load < hosts[best].load)) best = i;
  if (best < 0) return -1;
  if (hosts[best].load > 0 && hosts.length < size) return -1;
  return best;
}

export class TrainerPool {
  private hosts: WorkerHost[] = [];
  private idle = new Map<WorkerHost, ReturnType<typeof setTimeout>>();
  private runs = 0;
  private reqs = 0;

  constructor(
    private readonly factory: () => Worker = spawnTrainer,
    readonly size: number = poolSize(),
    private readonly remember = storedChoice,
  ) {}

  /** A run id no other run on the page has. */
  nextRunId(): number {
    return ++this.runs;
  }

  /** A request id no other request on the page has. */
  nextReqId(): number {
    return ++this.reqs;
  }

  /** Workers running now. */
  get workers(): number {
    return this.hosts.length;
  }

  /** Give a client a worker for its backend choice. */
  attach(client: HostClient, choice: BackendChoice): WorkerHost {
    const i = pickHost(this.hosts, choice, this.size);
    const host = i >= 0 ? this.hosts[i] : this.start(choice);
    clearTimeout(this.idle.get(host));
    this.idle.delete(host);
    host.attach(client);
    return host;
  }

  /** The client is gone; a worker left with no runs stops after IDLE_MS. */
  detach(client: HostClient, host: WorkerHost): void {
    host.detach(client);
    if (host.load > 0 || host.stopped || this.idle.has(host)) return;
    this.idle.set(
      host,
      setTimeout(() => {
        this.idle.delete(host);
        if (host.load === 0) host.terminate();
      }, IDLE_MS),
    );
  }

  private start(choice: BackendChoice): WorkerHost {
    const host = new WorkerHost(choice, this.factory, this.remember, (h) => {
      this.hosts = this.hosts.filter((x) => x !== h);
      clearTimeout(this.idle.get(h));
      this.idle.delete(h);
    });
    this.hosts.push(host);
    return host;
  }
}

let page: TrainerPool | null = null;

/** The page's pool, started on first use. */
export function pagePool(): TrainerPool {
  page ??= new TrainerPool();
  return page;
}

/**
 * The backend `auto` measured fastest in this browser, kept page-side (workers have no
 * localStorage); the worker uses it only if its key (tfjs version, adapter) still matches.
 */
const CHOICE_KEY = 'score-playground:backend-choice';

const storedChoice = {
  load(): MeasuredChoice | undefined {
    try {
      const raw = globalThis.localStorage?.getItem(CHOICE_KEY);
      const v = raw ? (JSON.parse(raw) as MeasuredChoice) : undefined;
      return v && typeof v.key === 'string' && typeof v.backend === 'string' && typeof v.msPerStep === 'object' ? v : undefined;
    } catch {
      return undefined; // storage blocked (sandboxed frame, privacy mode) or unreadable: measure again
    }
  },
  save(c: MeasuredChoice): void {
    try {
      globalThis.localStorage?.setItem(CHOICE_KEY, JSON.stringify(c));
    } catch {
      // Not remembered: the next page measures again.
    }
  },
};
