/**
 * What a sample request's knobs mean, per sampler, as the list of updates it makes. One function
 * for the training worker (learned score, on the device) and the compute worker (exact score), so
 * "the same sampler" is the same plan in both; no tfjs here, so the compute worker stays light.
 *
 * `levels` noise levels from σ_max to σ_min; Langevin runs levels × stepsPerLevel steps at σ_min
 * with step ε; annealed Langevin runs stepsPerLevel steps per level with α_i = ε σ_i²/σ_min²; the
 * reverse SDE and the probability-flow ODE take levels × stepsPerLevel reverse steps;
 * predictor–corrector takes `levels` predictor steps with stepsPerLevel corrector steps before each.
 */
import {
  annealedLangevinPlan,
  langevinPlan,
  predictorCorrectorPlan,
  probabilityFlowPlan,
  reverseSdePlan,
  type BaseSamplerOptions,
  type PlanStep,
} from '../core/samplers';
import type { SampleRequest } from './protocol';

/** The knobs that decide a plan (the rest of a request says how many particles and which frames). */
export type SamplerKnobs = Pick<SampleRequest, 'sampler' | 'sigmaMin' | 'sigmaMax' | 'levels' | 'stepsPerLevel' | 'eps' | 'snr'>;

export function samplerPlan(k: SamplerKnobs, base: BaseSamplerOptions): PlanStep[] {
  const range = { sigmaMin: k.sigmaMin, sigmaMax: k.sigmaMax };
  const total = Math.max(2, k.levels * k.stepsPerLevel);
  switch (k.sampler) {
    case 'langevin':
      return langevinPlan({ ...base, sigma: k.sigmaMin, steps: k.levels * k.stepsPerLevel, stepSize: k.eps });
    case 'annealed':
      return annealedLangevinPlan({ ...base, ...range, levels: k.levels, stepsPerLevel: k.stepsPerLevel, eps: k.eps });
    case 'reverse-sde':
      return reverseSdePlan({ ...base, ...range, levels: total });
    case 'pf-ode':
      return probabilityFlowPlan({ ...base, ...range, levels: total });
    case 'pc':
      return predictorCorrectorPlan({ ...base, ...range, levels: Math.max(2, k.levels), correctorSteps: k.stepsPerLevel, snr: k.snr });
    default: {
      const never: never = k.sampler;
      throw new Error(`invalid sampler options: unknown sampler ${String(never)}`);
    }
  }
}
