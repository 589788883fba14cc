/**
 * Where the axes of the training curves start. Pure, so the choice is unit-tested.
 */
import { quantileSorted } from 'd3';

/**
 * The y range of a loss curve with its floor: the 2nd–98th percentile of the raw losses (a few
 * early spikes do not flatten the rest), stretched over the floor. Zero joins the range when that
 * costs at most a third of the plot (lo ≤ hi/4 for positive losses, hi ≥ lo/4 for negative ones),
 * since a reader expects a loss axis to start there; otherwise `zero` is false and the chart says why.
 */
export function lossDomain(raw: readonly number[], floor: ArrayLike<number> | null): { domain: [number, number]; zero: boolean } {
  const s = raw.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return { domain: [0, 1], zero: true };
  let lo = quantileSorted(s, 0.02)!;
  let hi = quantileSorted(s, 0.98)!;
  if (floor) for (let i = 0; i < floor.length; i++) if (Number.isFinite(floor[i])) [lo, hi] = [Math.min(lo, floor[i]), Math.max(hi, floor[i])];
  if (lo > 0 && lo <= hi / 4) lo = 0;
  if (hi < 0 && hi >= lo / 4) hi = 0;
  if (!(hi > lo)) [lo, hi] = [lo - Math.max(1, Math.abs(lo)) / 2, lo + Math.max(1, Math.abs(lo)) / 2];
  return { domain: [lo, hi], zero: lo <= 0 && hi >= 0 };
}

/**
 * The y range of a positive metric on a log axis: its finite positive values and `reference`
 * (drawn as a line for comparison), padded by a quarter decade at each end.
 */
export function logDomain(values: readonly number[], reference: number): [number, number] {
  let lo = reference,
    hi = reference;
  for (const v of values) if (v > 0 && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const pad = 10 ** 0.25;
  return [lo / pad, hi * pad];
}

/** Log-axis ticks: the powers of ten inside [lo, hi], or (within one decade) 1, 2 and 5 times them. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const out: number[] = [];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  for (let k = first; k <= last; k++) {
    const p = 10 ** k;
    if (p >= lo && p <= hi) out.push(p);
  }
  if (out.length >= 2) return out;
  const fine: number[] = [];
  for (let k = first; k <= last; k++)
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** k;
      if (t >= lo && t <= hi) fine.push(t);
    }
  return fine;
}
