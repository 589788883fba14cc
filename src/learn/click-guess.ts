/**
 * A prediction made by pointing at a spot of a 2D plot: how it is stored with the rest of the
 * progress (a short string), moved by the keyboard, and measured against particles.
 */

/** A spot in data coordinates. */
export type Spot = [number, number];

/** The stored form of a spot, e.g. "1.80,-0.50". */
export function spotText(s: Spot): string {
  return `${s[0].toFixed(2)},${s[1].toFixed(2)}`;
}

/** A stored spot back, or null when the text is not two finite numbers (then it was skipped or is stale). */
export function parseSpot(text: string | undefined): Spot | null {
  if (!text) return null;
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Arrow keys move the spot by 1/50 of the view (1/10 with Shift), clamped to the view [x0, x1, y0, y1]. */
export function moveSpot(s: Spot, key: string, big: boolean, view: readonly number[]): Spot | null {
  const dx = ((view[1] - view[0]) / 50) * (big ? 5 : 1);
  const dy = ((view[3] - view[2]) / 50) * (big ? 5 : 1);
  const step: Record<string, Spot> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
  const d = step[key];
  if (!d) return null;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return [clamp(s[0] + d[0], view[0], view[1]), clamp(s[1] + d[1], view[2], view[3])];
}

/** Share of the particles (n × 2) within distance r of the spot; non-finite particles count as outside. */
export function shareWithin(x: ArrayLike<number>, s: Spot, r: number): number {
  const n = x.length / 2;
  let k = 0;
  for (let i = 0; i < n; i++) if (Math.hypot(x[2 * i] - s[0], x[2 * i + 1] - s[1]) <= r) k++;
  return n > 0 ? k / n : 0;
}

/** Format a spot for reading, e.g. "(1.8, −0.5)". */
export function spotWords(s: Spot): string {
  const f = (v: number) => v.toFixed(1).replace('-', '−');
  return `(${f(s[0])}, ${f(s[1])})`;
}
