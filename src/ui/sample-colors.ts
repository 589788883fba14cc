/**
 * How the sampler view colours trails and particles, and the legend that says so: by the noise
 * level σ (early, large σ → late, small σ; by time when one σ is used throughout) or by each
 * particle's start position (a particle keeps its colour, so one sees where samples came from).
 */
import { interpolatePlasma, quantileSorted } from 'd3';

/** Colours of trails and particles: plasma without its palest end, so marks stand out on the light backdrop. */
export function sampleRamp(t: number): string {
  return interpolatePlasma(0.05 + 0.8 * Math.min(1, Math.max(0, t)));
}

/** Particle colours come in this many steps, so a canvas fills them in a few batches, not one per particle. */
export const COLOR_STEPS = 16;

function stepped(t: number): string {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return sampleRamp(Math.round(c * (COLOR_STEPS - 1)) / (COLOR_STEPS - 1));
}

export interface SampleColoring {
  by: 'frame' | 'particle';
  /** Colour of trail frame `f` (by σ) or of particle `i`'s trail (by start), per `by`. */
  trail: (index: number) => string;
  /** Colour of particle i now. */
  particle: (i: number) => string;
  /** What the colours mean: the ramp's two ends and its name. */
  legend: { lo: string; hi: string; label: string };
}

const fmt = (v: number) => (Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? v.toExponential(1) : v.toPrecision(2));

/**
 * By σ level: t = (log σ_max − log σ)/(log σ_max − log σ_min), 0 at the first level and 1 at the
 * last. With one σ throughout (Langevin), by time instead: t = f/(frames − 1).
 * `now`: the σ the particles are at (NaN when unknown: they take the last level's colour).
 */
export function colorBySigma(sigmaMax: number, sigmaMin: number, frames: ArrayLike<number> | null, now: number): SampleColoring {
  const span = Math.log(sigmaMax) - Math.log(sigmaMin);
  if (!(span > 1e-9)) {
    const n = frames?.length ?? 1;
    return {
      by: 'frame',
      trail: (f) => stepped(n > 1 ? f / (n - 1) : 1),
      particle: () => stepped(1),
      legend: { lo: 'start', hi: 'end', label: `time along the run (one σ = ${fmt(sigmaMin)} throughout)` },
    };
  }
  const t = (s: number) => (Math.log(sigmaMax) - Math.log(s)) / span;
  const current = stepped(Number.isFinite(now) && now > 0 ? t(now) : 1);
  return {
    by: 'frame',
    trail: (f) => stepped(frames ? t(frames[f]) : 1),
    particle: () => current,
    legend: { lo: `σ ${fmt(sigmaMax)}`, hi: `σ ${fmt(sigmaMin)}`, label: 'noise level σ, from the first level to the last' },
  };
}

/**
 * By start position: t = (x₀ − lo)/(hi − lo) on the horizontal coordinate of each start (n × d),
 * lo and hi its 5th and 95th percentiles (the starts' wide tails would leave the middle one colour).
 */
export function colorByStart(x0: ArrayLike<number>, dim: 1 | 2): SampleColoring {
  const n = Math.floor(x0.length / dim);
  const xs = Array.from({ length: n }, (_, i) => x0[i * dim])
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lo = quantileSorted(xs, 0.05) ?? 0,
    hi = quantileSorted(xs, 0.95) ?? 0;
  const color = (i: number) => stepped(hi > lo ? (x0[i * dim] - lo) / (hi - lo) : 0.5);
  return {
    by: 'particle',
    trail: color,
    particle: color,
    legend: { lo: `x ≤ ${fmt(lo)}`, hi: `x ≥ ${fmt(hi)}`, label: 'start position x: each particle keeps the colour of where it started' },
  };
}
