/**
 * Sampler runs for the lesson figures, off the main thread: with the exact score in the page's
 * compute worker, with a widget's learned score in that widget's own run worker (its public
 * `samplePath`). Both read one `SamplerRun`; the page only draws what comes back.
 */
import type { ScorePlaygroundElement } from '../../types/score-playground';
import type { MixtureSpec } from '../core/mixture';
import { compute, plainSpec } from '../worker/compute-client';
import type { SampledRun, SampleNumbers, SamplerRun } from '../worker/compute-protocol';

export type { SampledRun, SamplerRun };

/** Which score drives a sampler: the mixture's own, or the one a trained widget learned. */
export type ScoreSource = 'exact' | 'learned';

export interface SampleJob {
  spec: MixtureSpec;
  run: SamplerRun;
  /** Starting positions, n × d (the same for both sources, so their results compare). */
  x0: Float32Array;
  /** Seed of the exact run's noise (a learned run's noise comes from its widget's seed). */
  seed: number;
  /** Record positions every this many updates (0: only the end). */
  trailEvery: number;
}

/** Run a job with the exact score, or with `widget`'s learned score when `source` is 'learned'. */
export async function sampleWith(source: ScoreSource, job: SampleJob, widget: ScorePlaygroundElement | null = null): Promise<SampledRun> {
  const run = { ...job.run };
  if (source === 'exact') {
    const a = await compute({ type: 'exact-sample', spec: plainSpec(job.spec), run, x0: job.x0.slice(), seed: job.seed, trailEvery: job.trailEvery });
    return a.result;
  }
  if (!widget) throw new Error('train the widget first: there is no learned score yet');
  if (job.trailEvery > 0) {
    const p = await widget.samplePath({ ...run, x0: job.x0, every: job.trailEvery });
    return { x: p.x, trails: p.trails, frames: p.frames };
  }
  return { x: await widget.sample({ ...run, x0: job.x0 }), trails: null, frames: 0 };
}

/**
 * Shares of samples per mode (each sample counted in its likeliest mode, however far) and their
 * energy distance to `nTruth` true samples drawn with `truthSeed`.
 */
export async function sampleNumbers(spec: MixtureSpec, x: Float32Array, truthSeed: number, nTruth: number): Promise<SampleNumbers> {
  const a = await compute({ type: 'sample-numbers', spec: plainSpec(spec), x: x.slice(), seed: truthSeed, nTruth, maxMahalanobis: Infinity });
  return a.numbers;
}

/** The frames `which` of a run's recorded positions (those recorded), each n × d. */
export function runFrames(r: SampledRun, which: readonly number[]): Float32Array[] {
  const size = r.x.length;
  return which.filter((f) => f < r.frames).map((f) => r.trails!.slice(f * size, (f + 1) * size));
}
