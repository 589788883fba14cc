/**
 * The machinery every sampler shares: the score-query protocol, the sync and async drivers,
 * trail recording, option checks and initial particles. The samplers themselves live in
 * samplers.ts, which re-exports all of this (import from there).
 *
 * A sampler is a generator state machine: it yields a query {x, σ} each time it needs the score
 * s(x, σ) ≈ ∇ₓ log q_σ(x) for the whole batch, receives the n × d answer through `gen.next(score)`,
 * and returns the final positions. One implementation so serves an exact score in a Node test
 * (`runSampler`) and a neural net in a worker that awaits its read-back, streams frames and yields
 * to the event loop between bursts (`runSamplerAsync`).
 */
import type { Rng } from './rng';

/** Batched score: x is n × d flat; returns the n × d score of q_σ at x. Must not modify x. */
export type ScoreFn = (x: Float32Array, sigma: number) => Float32Array | Promise<Float32Array>;

/** What a sampler asks for: the score of q_σ at every particle. */
export interface ScoreQuery {
  /**
   * The sampler's live positions (n × d). Valid until the next `gen.next`; copy it to keep it or to
   * transfer it to another thread (transferring would detach the sampler's own buffer).
   */
  x: Float32Array;
  sigma: number;
  /** Updates done so far (0 … total − 1); one score evaluation per update. */
  step: number;
  /** Updates the whole run will make. */
  total: number;
  /** Index of the noise level this query belongs to (0 for fixed-σ Langevin). */
  level: number;
}

/** Positions recorded every `every` updates: frame f, particle i, coordinate a at [(f·n + i)·d + a]. */
export interface Trails {
  /** Updates between frames; frame 0 is the start, frame f is after f·every updates. */
  every: number;
  n: number;
  dim: 1 | 2;
  /** Frames actually recorded (≤ capacity; recording stops when the buffer is full). */
  frames: number;
  /** Preallocated frames × n × d; only the first `frames · n · d` values are meaningful. */
  data: Float32Array;
  /** σ of the update that produced each frame (σ of the first query for frame 0), for colouring. */
  sigmas: Float32Array;
}

export interface SamplerResult {
  /** Final positions, n × d. */
  x: Float32Array;
  /** Number of updates made (score evaluations). */
  steps: number;
  trails: Trails | null;
}

export type SamplerGen = Generator<ScoreQuery, SamplerResult, Float32Array>;

/** Options every sampler takes. */
export interface BaseSamplerOptions {
  /** Initial positions n × d (copied, never modified). */
  x0: Float32Array | Float64Array;
  dim: 1 | 2;
  /** Source of the injected noise; the same seed gives the same samples. */
  rng: Rng;
  /** Record positions every `every` updates, at most `maxFrames` frames (frame 0 included). */
  trails?: { every: number; maxFrames?: number };
}

/** Most particles a sampler accepts. */
export const MAX_PARTICLES = 20000;
/** Most updates (score evaluations) one run may make. */
export const MAX_SAMPLER_STEPS = 100000;
/** Trail buffers are capped at this many floats (16 MB), whatever `maxFrames` asks. */
export const MAX_TRAIL_FLOATS = 4_000_000;

export function samplerFail(message: string): never {
  throw new Error(`invalid sampler options: ${message}`);
}

/** Positive finite number check with a named limit in the message. */
export function checkPositive(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) samplerFail(`${name} is ${String(v)}; it must be a positive finite number`);
}

export function checkCount(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) samplerFail(`${name} is ${String(v)}; it must be an integer in ${min} … ${max}`);
}

/** Checks the shared options; returns the particle count n. */
export function checkBase(o: BaseSamplerOptions): number {
  if (!o || typeof o !== 'object') samplerFail('expected an options object');
  if (o.dim !== 1 && o.dim !== 2) samplerFail(`dim is ${String(o.dim)}; it must be 1 or 2`);
  if (!(o.x0 instanceof Float32Array || o.x0 instanceof Float64Array)) samplerFail('x0 must be a Float32Array or Float64Array');
  if (o.x0.length === 0 || o.x0.length % o.dim !== 0) samplerFail(`x0 has ${o.x0.length} values; it must be a non-empty n × ${o.dim} array`);
  const n = o.x0.length / o.dim;
  if (n > MAX_PARTICLES) samplerFail(`${n} particles; at most ${MAX_PARTICLES} are allowed`);
  for (let i = 0; i < o.x0.length; i++) if (!Number.isFinite(o.x0[i])) samplerFail('x0 has a non-finite coordinate');
  if (!o.rng || typeof o.rng.normal !== 'function') samplerFail('rng is missing');
  if (o.trails !== undefined) {
    checkCount('trails.every', o.trails.every, 1, MAX_SAMPLER_STEPS);
    if (o.trails.maxFrames !== undefined) checkCount('trails.maxFrames', o.trails.maxFrames, 1, MAX_TRAIL_FLOATS);
  }
  return n;
}

export function checkTotal(total: number): void {
  if (total > MAX_SAMPLER_STEPS) samplerFail(`${total} steps in total; at most ${MAX_SAMPLER_STEPS} are allowed`);
}

/** Sigma range check shared by the annealed samplers. */
export function checkRange(sigmaMin: unknown, sigmaMax: unknown): void {
  checkPositive('sigmaMin', sigmaMin);
  checkPositive('sigmaMax', sigmaMax);
  if ((sigmaMax as number) < (sigmaMin as number)) samplerFail(`sigmaMax ${String(sigmaMax)} is below sigmaMin ${String(sigmaMin)}`);
}

/**
 * Mutable state of one run: positions, a noise buffer, the step counter and the trail recorder.
 * Samplers update `x` in place, then call `advance(σ)` once per update.
 */
export class SamplerState {
  readonly n: number;
  readonly d: 1 | 2;
  readonly x: Float32Array;
  /** Noise buffer, refilled by `noise()`; float64 so the √(2α)·z product is rounded once. */
  readonly z: Float64Array;
  step = 0;
  private readonly trails: Trails | null;
  private readonly rng: Rng;

  constructor(
    o: BaseSamplerOptions,
    readonly total: number,
    firstSigma: number,
  ) {
    this.rng = o.rng;
    this.d = o.dim;
    this.n = o.x0.length / o.dim;
    this.x = Float32Array.from(o.x0);
    this.z = new Float64Array(this.x.length);
    if (o.trails) {
      const every = o.trails.every;
      const wanted = 1 + Math.floor(total / every);
      const cap = Math.max(1, Math.floor(MAX_TRAIL_FLOATS / this.x.length));
      const frames = Math.min(wanted, cap, o.trails.maxFrames ?? Infinity);
      this.trails = { every, n: this.n, dim: this.d, frames: 0, data: new Float32Array(frames * this.x.length), sigmas: new Float32Array(frames) };
      this.recordFrame(this.x, firstSigma);
    } else this.trails = null;
  }

  /** Yields one query and checks the answer's shape (a wrong length would silently corrupt x). */
  *score(sigma: number, level: number): Generator<ScoreQuery, Float32Array, Float32Array> {
    const s = yield { x: this.x, sigma, step: this.step, total: this.total, level };
    if (!s || s.length !== this.x.length) throw new Error(`score function returned ${s ? s.length : 'nothing'} values for ${this.x.length} coordinates`);
    return s;
  }

  /** Fresh N(0, I) noise in `z`. */
  noise(): Float64Array {
    return this.rng.fillNormal(this.z) as Float64Array;
  }

  /** Count one update and record a trail frame when due. */
  advance(sigma: number): void {
    this.step++;
    if (this.trails && this.step % this.trails.every === 0) this.recordFrame(this.x, sigma);
  }

  /** Whether the update that brings the count to `step` ends with a trail frame. */
  trailDue(step: number): boolean {
    return this.trails !== null && step % this.trails.every === 0;
  }

  /**
   * Append positions `x` (n × d) as the next trail frame (a driver that keeps the particles
   * elsewhere hands them in after the updates where `trailDue`); ignored once the buffer is full.
   */
  recordFrame(x: Float32Array, sigma: number): void {
    const t = this.trails;
    if (!t || (t.frames + 1) * this.x.length > t.data.length) return;
    t.data.set(x, t.frames * this.x.length);
    t.sigmas[t.frames] = sigma;
    t.frames++;
  }

  result(): SamplerResult {
    return { x: this.x, steps: this.step, trails: this.trails };
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/** Drive a sampler with a synchronous score; throws if the score function returns a Promise. */
export function runSampler(gen: SamplerGen, scoreFn: ScoreFn): SamplerResult {
  let r = gen.next();
  while (!r.done) {
    const s = scoreFn(r.value.x, r.value.sigma);
    if (isThenable(s)) {
      gen.return(undefined as never);
      throw new Error('runSampler needs a synchronous score function; use runSamplerAsync');
    }
    r = gen.next(s);
  }
  return r.value;
}

/** Progress passed with each frame. */
export interface FrameInfo {
  step: number;
  total: number;
  sigma: number;
  level: number;
  /** True for the last frame (the final positions). */
  done: boolean;
}

/** Structural subset of AbortSignal, so core needs no DOM types. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface AsyncDriverOptions {
  /** Called with the live positions (copy before keeping or transferring them). */
  onFrame?: (x: Float32Array, info: FrameInfo) => void;
  /** Frame every this many updates (default 10); the final positions always get a frame. */
  frameEvery?: number;
  /** Checked before every update; when aborted the promise rejects with `signal.reason`. */
  signal?: AbortLike;
  /**
   * Yield to the event loop (a macrotask, so worker messages get through) once this many
   * milliseconds have passed since the last yield (default 25). Awaiting a Promise-returning score
   * is only a microtask and would not let messages in, hence the time-based burst.
   */
  burstMs?: number;
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}

function abortError(signal: AbortLike): unknown {
  return signal.reason ?? new Error('sampling aborted');
}

/** Drive a sampler with a sync or async score, streaming frames and yielding between bursts. */
export async function runSamplerAsync(gen: SamplerGen, scoreFn: ScoreFn, opts: AsyncDriverOptions = {}): Promise<SamplerResult> {
  const frameEvery = opts.frameEvery ?? 10;
  if (!Number.isInteger(frameEvery) || frameEvery < 1) throw new Error(`invalid frameEvery: ${frameEvery}`);
  const burstMs = opts.burstMs ?? 25;
  let last = performance.now();
  let r = gen.next();
  try {
    while (!r.done) {
      const q = r.value;
      if (opts.signal?.aborted) throw abortError(opts.signal);
      if (opts.onFrame && q.step % frameEvery === 0) opts.onFrame(q.x, { step: q.step, total: q.total, sigma: q.sigma, level: q.level, done: false });
      const s = await scoreFn(q.x, q.sigma);
      if (performance.now() - last >= burstMs) {
        await macrotask();
        last = performance.now();
        if (opts.signal?.aborted) throw abortError(opts.signal);
      }
      r = gen.next(s);
    }
  } catch (e) {
    gen.return(undefined as never);
    throw e;
  }
  const res = r.value;
  opts.onFrame?.(res.x, { step: res.steps, total: res.steps, sigma: NaN, level: -1, done: true });
  return res;
}

/** Centre of a view box [xmin, xmax] or [xmin, xmax, ymin, ymax]. */
export function viewCenter(view: ArrayLike<number>): number[] {
  return view.length === 2 ? [(view[0] + view[1]) / 2] : [(view[0] + view[1]) / 2, (view[2] + view[3]) / 2];
}

/** n particles from N(center, sd² I); d = center.length. The usual start: sd = σ_max. */
export function gaussianParticles(n: number, center: ArrayLike<number>, sd: number, rng: Rng): Float32Array {
  checkCount('particles', n, 1, MAX_PARTICLES);
  checkPositive('sd', sd);
  const d = center.length;
  if (d !== 1 && d !== 2) samplerFail(`center has ${d} coordinates; it must have 1 or 2`);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) x[i * d + a] = center[a] + sd * rng.normal();
  return x;
}

/**
 * n particles from the moment-matched prior N(m, C + σ² I), m and C the mean and covariance of
 * `data` (k × d): the Gaussian closest to q_σ = p ∗ N(0, σ²I). Prefer it to N(centre, σ²I) for the
 * probability-flow ODE and the reverse SDE when σ_max is not much larger than the data's spread:
 * they do not mix, so a wrong start distribution shows up in the samples (e.g. wrong mode weights).
 */
export function priorParticles(n: number, data: ArrayLike<number>, dim: 1 | 2, sigma: number, rng: Rng): Float32Array {
  checkCount('particles', n, 1, MAX_PARTICLES);
  if (sigma !== 0) checkPositive('sigma', sigma);
  const k = data.length / dim;
  if (!Number.isInteger(k) || k < 1) samplerFail(`data must be a non-empty k × ${dim} array`);
  const m = [0, 0],
    c = [0, 0, 0]; // c = [xx, xy, yy]
  for (let i = 0; i < k; i++) for (let a = 0; a < dim; a++) m[a] += data[i * dim + a] / k;
  for (let i = 0; i < k; i++) {
    const u = data[i * dim] - m[0],
      v = dim === 2 ? data[i * dim + 1] - m[1] : 0;
    c[0] += (u * u) / k;
    c[1] += (u * v) / k;
    c[2] += (v * v) / k;
  }
  const s2 = sigma * sigma;
  // Cholesky of C + σ²I (σ² > 0 or a non-degenerate C keeps it positive definite).
  const l11 = Math.sqrt(c[0] + s2);
  const l21 = l11 > 0 ? c[1] / l11 : 0;
  const l22 = Math.sqrt(Math.max(0, c[2] + s2 - l21 * l21));
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const z0 = rng.normal();
    x[i * dim] = m[0] + l11 * z0;
    if (dim === 2) x[i * dim + 1] = m[1] + l21 * z0 + l22 * rng.normal();
  }
  return x;
}

/** n particles uniform in a view box [xmin, xmax] or [xmin, xmax, ymin, ymax]. */
export function uniformParticles(n: number, box: ArrayLike<number>, rng: Rng): Float32Array {
  checkCount('particles', n, 1, MAX_PARTICLES);
  if (box.length !== 2 && box.length !== 4) samplerFail('box must be [xmin, xmax] or [xmin, xmax, ymin, ymax]');
  const d = box.length / 2;
  for (let a = 0; a < d; a++)
    if (!(box[2 * a + 1] > box[2 * a]) || !Number.isFinite(box[2 * a]) || !Number.isFinite(box[2 * a + 1])) samplerFail('box is empty or not finite');
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) x[i * d + a] = box[2 * a] + (box[2 * a + 1] - box[2 * a]) * rng.uniform();
  return x;
}
