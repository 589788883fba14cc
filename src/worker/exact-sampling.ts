/**
 * A sampler run with the exact score of a mixture, for the compute worker: the lessons compare
 * samplers with the exact score against the same samplers with a learned one, so both read one
 * `SamplerRun` with the meaning the training worker gives its sample requests.
 */
import {
  annealedLangevinPlan,
  langevinPlan,
  planSampler,
  predictorCorrectorPlan,
  probabilityFlowPlan,
  reverseSdePlan,
  runSampler,
  type BaseSamplerOptions,
  type PlanStep,
} from '../core/samplers';
import { createMixture, dimOf, score, smoothMixture, type MixtureSpec } from '../core/mixture';
import { createRng } from '../core/rng';
import type { SampledRun, SamplerRun } from './compute-protocol';

/** Most trail frames a run records (as the training worker). */
const MAX_FRAMES = 400;

/** The plan of updates a run makes (see `SamplerRun` for what each knob means per sampler). */
export function samplerRunPlan(run: SamplerRun, base: BaseSamplerOptions): PlanStep[] {
  const range = { sigmaMin: run.sigmaMin, sigmaMax: run.sigmaMax };
  const total = Math.max(2, run.levels * run.stepsPerLevel);
  switch (run.sampler) {
    case 'langevin':
      return langevinPlan({ ...base, sigma: run.sigmaMin, steps: run.levels * run.stepsPerLevel, stepSize: run.eps });
    case 'annealed':
      return annealedLangevinPlan({ ...base, ...range, levels: run.levels, stepsPerLevel: run.stepsPerLevel, eps: run.eps });
    case 'reverse-sde':
      return reverseSdePlan({ ...base, ...range, levels: total });
    case 'pf-ode':
      return probabilityFlowPlan({ ...base, ...range, levels: total });
    case 'pc':
      return predictorCorrectorPlan({ ...base, ...range, levels: Math.max(2, run.levels), correctorSteps: run.stepsPerLevel, snr: run.snr });
    default: {
      const never: never = run.sampler;
      throw new Error(`invalid sampler options: unknown sampler ${String(never)}`);
    }
  }
}

/** Run `run` from `x0` with the exact score s(x, σ) = ∇ₓ log q_σ(x) of the mixture, noise from `seed`. */
export function exactSample(spec: MixtureSpec, run: SamplerRun, x0: Float32Array, seed: number, trailEvery: number): SampledRun {
  const mixture = createMixture(spec);
  const base: BaseSamplerOptions = {
    x0,
    dim: dimOf(spec),
    rng: createRng(seed),
    trails: trailEvery > 0 ? { every: trailEvery, maxFrames: MAX_FRAMES } : undefined,
  };
  const r = runSampler(planSampler(base, samplerRunPlan(run, base)), (x, sigma) => Float32Array.from(score(smoothMixture(mixture, sigma), x)));
  const t = r.trails;
  return { x: r.x, trails: t ? t.data.slice(0, t.frames * t.n * t.dim) : null, frames: t?.frames ?? 0 };
}
