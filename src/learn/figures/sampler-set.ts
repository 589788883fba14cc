/**
 * The five samplers the lessons compare on one score, with the settings each runs at: Langevin at
 * σ_min for 1000 steps of α = 0.01, annealed Langevin at the figure's levels × steps and ε, and
 * the three reverse-time samplers over 400 noise levels (predictor–corrector with one corrector
 * step per level at signal-to-noise ratio 0.16).
 */
import type { SamplerRun } from '../sampling';

export type SamplerId = 'langevin' | 'annealed' | 'reverse-sde' | 'pf-ode' | 'pc';

export const SAMPLER_NAMES: Record<SamplerId, string> = {
  langevin: 'Langevin at σ_min',
  annealed: 'Annealed Langevin',
  'reverse-sde': 'Reverse SDE (400 steps)',
  'pf-ode': 'Probability-flow ODE (400 steps)',
  pc: 'Predictor–corrector (400 steps)',
};

/** Names that fit over a small plot. */
export const SAMPLER_SHORT: Record<SamplerId, string> = {
  langevin: 'Langevin',
  annealed: 'Annealed',
  'reverse-sde': 'Reverse SDE',
  'pf-ode': 'PF-ODE',
  pc: 'Pred.–corr.',
};

export const SAMPLER_IDS = Object.keys(SAMPLER_NAMES) as SamplerId[];

/** Annealed Langevin's settings: levels L, steps T per level, step scale ε. */
export interface AnnealedSettings {
  levels: number;
  steps: number;
  eps: number;
}

/** The run of sampler `id` over σ ∈ [σ_min, σ_max]. */
export function comparedRun(id: SamplerId, sigmaMin: number, sigmaMax: number, annealed: AnnealedSettings): SamplerRun {
  const range = { sigmaMin, sigmaMax, eps: annealed.eps };
  switch (id) {
    case 'langevin':
      return { ...range, sampler: 'langevin', levels: 1, stepsPerLevel: 1000, eps: 0.01 };
    case 'annealed':
      return { ...range, sampler: 'annealed', levels: annealed.levels, stepsPerLevel: annealed.steps };
    case 'reverse-sde':
    case 'pf-ode':
      return { ...range, sampler: id, levels: 400, stepsPerLevel: 1 };
    case 'pc':
      return { ...range, sampler: 'pc', levels: 400, stepsPerLevel: 1, snr: 0.16 };
  }
}

/** A percentage with one decimal. */
export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
