/**
 * A sampler run with the exact score of a mixture, for the compute worker: the lessons compare
 * samplers with the exact score against the same samplers with a learned one, so both read one
 * `SamplerRun` with the meaning the training worker gives its sample requests.
 */
import { planSampler, runSampler, type BaseSamplerOptions } from '../core/samplers';
import { samplerPlan } from './sampler-plan';
import { createMixture, dimOf, score, smoothMixture, type MixtureSpec } from '../core/mixture';
import { createRng } from '../core/rng';
import type { SampledRun, SamplerRun } from './compute-protocol';

/** Most trail frames a run records (as the training worker). */
const MAX_FRAMES = 400;

/** Run `run` from `x0` with the exact score s(x, σ) = ∇ₓ log q_σ(x) of the mixture, noise from `seed`. */
export function exactSample(spec: MixtureSpec, run: SamplerRun, x0: Float32Array, seed: number, trailEvery: number): SampledRun {
  const mixture = createMixture(spec);
  const base: BaseSamplerOptions = {
    x0,
    dim: dimOf(spec),
    rng: createRng(seed),
    trails: trailEvery > 0 ? { every: trailEvery, maxFrames: MAX_FRAMES } : undefined,
  };
  const r = runSampler(planSampler(base, samplerPlan(run, base)), (x, sigma) => Float32Array.from(score(smoothMixture(mixture, sigma), x)));
  const t = r.trails;
  return { x: r.x, trails: t ? t.data.slice(0, t.frames * t.n * t.dim) : null, frames: t?.frames ?? 0 };
}
