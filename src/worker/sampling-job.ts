/** Turn a page's SampleRequest into a core sampler generator (validated there). */
import {
  langevin, annealedLangevin, reverseSde, probabilityFlow, predictorCorrector, priorParticles,
  type SamplerGen,
} from '../core/samplers';
import type { Rng } from '../core/rng';
import type { SampleRequest } from './protocol';

/**
 * Meaning of the request's knobs per sampler: `levels` noise levels from σ_max to σ_min;
 * Langevin runs levels × stepsPerLevel steps at σ_min with step ε; annealed Langevin runs
 * stepsPerLevel steps per level with α_i = ε σ_i²/σ_min²; the reverse SDE and the
 * probability-flow ODE take levels × stepsPerLevel reverse steps; predictor–corrector takes
 * `levels` predictor steps with stepsPerLevel Langevin corrector steps each at ratio `snr`.
 */
export function buildSampler(req: SampleRequest, dim: 1 | 2, data: Float32Array, rng: Rng): SamplerGen {
  // Start from the prior N(mean, Cov(data) + σ_max² I): with σ_max not ≫ the data spread, a
  // start N(centre, σ_max² I) alone biases the deterministic samplers' mode weights.
  const x0 = req.x0 && req.x0.length > 0 ? req.x0 : priorParticles(req.n, data, dim, req.sigmaMax, rng);
  const trails = req.trailEvery > 0 ? { every: req.trailEvery, maxFrames: 400 } : undefined;
  const base = { x0, dim, rng, trails };
  switch (req.sampler) {
    case 'langevin':
      return langevin({ ...base, sigma: req.sigmaMin, steps: req.levels * req.stepsPerLevel, stepSize: req.eps });
    case 'annealed':
      return annealedLangevin({ ...base, sigmaMin: req.sigmaMin, sigmaMax: req.sigmaMax, levels: req.levels, stepsPerLevel: req.stepsPerLevel, eps: req.eps });
    case 'reverse-sde':
      return reverseSde({ ...base, sigmaMin: req.sigmaMin, sigmaMax: req.sigmaMax, levels: Math.max(2, req.levels * req.stepsPerLevel) });
    case 'pf-ode':
      return probabilityFlow({ ...base, sigmaMin: req.sigmaMin, sigmaMax: req.sigmaMax, levels: Math.max(2, req.levels * req.stepsPerLevel) });
    case 'pc':
      return predictorCorrector({
        ...base,
        sigmaMin: req.sigmaMin,
        sigmaMax: req.sigmaMax,
        levels: Math.max(2, req.levels),
        correctorSteps: req.stepsPerLevel,
        snr: req.snr,
      });
    default: {
      const never: never = req.sampler;
      throw new Error(`invalid sampler options: unknown sampler ${String(never)}`);
    }
  }
}
