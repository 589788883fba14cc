/**
 * What a run's charts keep of its past, bounded however long it trains: the loss with its floor
 * per step (averaged in runs of `stride` steps, thinned by 2 when full), and a metric per read-out
 * against the step it was read at (every other point dropped when full).
 */

/** Losses (and their floors) per entry; entry i averages steps [i·stride, (i + 1)·stride). */
export class LossHistory {
  losses: number[] = [];
  /** The floor of each entry (NaN where a step had none); null until a floor arrives. */
  floors: number[] | null = null;
  stride = 1;
  private carry: number[] = [];
  private carryFloor: number[] = [];

  constructor(readonly max = 4000) {
    if (!Number.isInteger(max) || max < 2) throw new Error(`invalid history size: ${max}`);
  }

  /** Append a frame's losses and, when it has them, the floors of the same steps. */
  push(losses: ArrayLike<number>, floors?: ArrayLike<number>): void {
    if (floors && floors.length !== losses.length) throw new Error(`invalid floors: ${floors.length} for ${losses.length} losses`);
    if (floors && !this.floors) this.floors = this.losses.map(() => NaN);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    for (let i = 0; i < losses.length; i++) {
      this.carry.push(losses[i]);
      this.carryFloor.push(floors ? floors[i] : NaN);
      if (this.carry.length >= this.stride) {
        this.losses.push(mean(this.carry));
        this.floors?.push(mean(this.carryFloor));
        this.carry = [];
        this.carryFloor = [];
      }
    }
    if (this.losses.length > this.max) this.thin();
  }

  /**
   * Double the stride: pairs of entries become one. An odd last entry goes back to the carry as
   * `stride` steps of its mean, so no step is lost and entry i still starts at step i·stride.
   */
  private thin(): void {
    const back = (a: number[]) => (a.length % 2 ? new Array<number>(this.stride).fill(a[a.length - 1]) : []);
    const odd = back(this.losses);
    this.carry = [...odd, ...this.carry];
    this.carryFloor = [...(this.floors ? back(this.floors) : odd.map(() => NaN)), ...this.carryFloor];
    this.losses = pairMeans(this.losses);
    if (this.floors) this.floors = pairMeans(this.floors);
    this.stride *= 2;
  }
}

/** Means of consecutive pairs; an odd last entry is left out. */
function pairMeans(a: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push((a[i] + a[i + 1]) / 2);
  return out;
}

/** A metric read at steps: one point per read-out; a second read-out at the same step replaces the first. */
export class StepHistory {
  steps: number[] = [];
  values: number[] = [];

  constructor(readonly max = 1000) {
    if (!Number.isInteger(max) || max < 2) throw new Error(`invalid history size: ${max}`);
  }

  push(step: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const n = this.steps.length;
    if (n > 0 && this.steps[n - 1] === step) {
      this.values[n - 1] = value;
      return;
    }
    this.steps.push(step);
    this.values.push(value);
    if (this.steps.length > this.max) {
      // Keep the first and every other one after it, so the curve still starts at its first read-out.
      this.steps = this.steps.filter((_, i) => i % 2 === 0);
      this.values = this.values.filter((_, i) => i % 2 === 0);
    }
  }
}
