/**
 * Time-slicing for the many runs one training worker holds. Only runs that are playing are
 * queued; each gets one burst (a `turn`) at a time, in round-robin order, with a yield to the
 * event loop between turns so control messages (pause, live settings, a new run) get through.
 * Ten playing runs on one worker therefore each progress at about a tenth of the pace, and a
 * paused run (a widget off screen, on a hidden slide) is not in the queue and costs nothing.
 */

/** A run the scheduler can give time to. */
export interface Turnable {
  /** Take one burst; resolve true to keep a place in the queue, false when done playing. */
  turn(): Promise<boolean>;
}

export class Scheduler<T extends Turnable> {
  private queue: T[] = [];
  private active: T | null = null;
  private looping = false;

  /** `yieldTask` resolves on a fresh macrotask (run.ts nextTask in the worker). */
  constructor(private readonly yieldTask: () => Promise<void>) {}

  /** Queue a run that started playing (once: a run already queued or in its turn keeps its place). */
  add(run: T): void {
    if (run === this.active || this.queue.includes(run)) return;
    this.queue.push(run);
    if (!this.looping) void this.loop();
  }

  /** Drop a run from the queue (paused or closed); a turn in progress finishes first. */
  remove(run: T): void {
    this.queue = this.queue.filter((r) => r !== run);
  }

  /** Runs waiting for a turn, next first (not counting the one in its turn). */
  get waiting(): readonly T[] {
    return this.queue;
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.queue.length > 0) {
        const run = this.queue.shift()!;
        this.active = run;
        let again = false;
        try {
          again = await run.turn();
        } catch {
          // A run's fault is its own (its turn reports it); the others keep their turns.
          again = false;
        }
        this.active = null;
        if (again && !this.queue.includes(run)) this.queue.push(run);
        await this.yieldTask();
      }
    } finally {
      this.looping = false;
    }
  }
}
