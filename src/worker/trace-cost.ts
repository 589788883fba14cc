/**
 * Timing the two score-matching losses on plain MLPs of growing input dimension d, in the compute
 * worker: exact SM (d tangents for tr ∇ₓs) against sliced SM (one tangent per projection). The
 * numbers are this machine's, measured now; they are read as a trend, not as a benchmark.
 */
import { createPlainMlp, smLossOf, ssmLossOf } from '../core/mlp-trace';
import { createRng } from '../core/rng';

export interface TraceCostOptions {
  dims: number[];
  width: number;
  depth: number;
  /** Points per loss evaluation. */
  batch: number;
  /** Each loss is timed for about this long (after warm-up calls for half as long). */
  minMs: number;
}

/** Milliseconds per loss evaluation on `batch` points, at one input dimension. */
export interface TraceCostRow {
  dim: number;
  exactMs: number;
  slicedMs: number;
}

/** Rounds each loss is timed in; the median round is kept, so one interruption does not count. */
const ROUNDS = 5;
/** Warm-up on first use: the engine compiles the hot loops in tiers, the last after ~100 ms of calls. */
const FIRST_WARM_MS = 300;
let warmed = false;

/** Calls `fn` (at least twice) for about `ms`; returns the mean ms per call and the sum of what it returned. */
function timed(fn: () => number, ms: number): { perCall: number; sum: number } {
  let sum = 0;
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (calls < 2 || elapsed < ms) {
    sum += fn();
    calls++;
    elapsed = performance.now() - t0;
  }
  return { perCall: elapsed / calls, sum };
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/**
 * Median ms per call of each function, timed in alternating rounds (so a busy moment of the
 * machine falls on both alike) that together last about `minMs` per function, after warm-up calls.
 */
function timePerCall(fns: (() => number)[], minMs: number): number[] {
  let sink = 0;
  for (const fn of fns) sink += timed(fn, warmed ? minMs / 2 : FIRST_WARM_MS).sum;
  warmed = true;
  const rounds = fns.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++)
    fns.forEach((fn, i) => {
      const t = timed(fn, minMs / ROUNDS);
      rounds[i].push(t.perCall);
      sink += t.sum;
    });
  // The sum is checked so no engine may drop the calls as dead code.
  if (!Number.isFinite(sink)) throw new Error('the loss is not finite');
  return rounds.map(median);
}

export function measureTraceCost(o: TraceCostOptions): TraceCostRow[] {
  return o.dims.map((dim) => {
    const rng = createRng(dim);
    const net = createPlainMlp(dim, o.width, o.depth, rng.fork());
    const points = rng.fillNormal(new Float64Array(o.batch * dim)) as Float64Array;
    const v = Float64Array.from({ length: o.batch * dim }, () => (rng.uniform() < 0.5 ? -1 : 1));
    const [exactMs, slicedMs] = timePerCall([() => smLossOf(net, points), () => ssmLossOf(net, points, v)], o.minMs);
    return { dim, exactMs, slicedMs };
  });
}
