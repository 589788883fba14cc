/**
 * Score-based samplers over a batched score s(x, σ) ≈ ∇ₓ log q_σ(x), q_σ = p ∗ N(0, σ²I).
 *
 * Each sampler validates its options at once (throwing `invalid sampler options: …`) and returns
 * a generator (see sampler-base.ts): drive it with `runSampler(gen, score)` or
 * `runSamplerAsync(gen, score, {onFrame, frameEvery, signal})`. One update = one score query, so
 * `total` in the queries counts score evaluations, and trails are recorded every k of them.
 *
 * Noise levels are geometric, largest first: σ_i = σ_max (σ_min/σ_max)^{i/(L−1)}, i = 0 … L−1.
 * The three reverse-time samplers (reverse SDE, probability-flow ODE, predictor–corrector) append
 * σ_L = 0 and step σ_i → σ_{i+1}, so their last step goes from σ_min to 0 and targets p itself
 * rather than q_{σ_min}: with σ_min ≪ the data scale the difference is tiny either way, and
 * ending at 0 matches Song et al. (2021). For a Gaussian N(μ, v) the Euler–Maruyama step to 0
 * leaves variance v + σ⁴/(v + σ²) (≈ v + 6e-6 at σ = 0.05, v = 1); `denoise: true` instead drops the
 * noise on that step, i.e. returns Tweedie's posterior mean x + σ² s(x, σ) (their `noise_removal`).
 */
import { geometricSigmas } from './schedule';
import {
  SamplerState,
  checkBase,
  checkCount,
  checkPositive,
  checkRange,
  checkTotal,
  samplerFail,
  MAX_SAMPLER_STEPS,
  type BaseSamplerOptions,
  type SamplerGen,
} from './sampler-base';

export * from './sampler-base';

/** Defaults the samplers share: ε = 1e-4 with 10 levels × 100 steps reaches the energy-distance floor on three-blobs with the exact score (tests/unit/samplers.test.ts). */
export const samplerDefaults = {
  levels: 10,
  stepsPerLevel: 100,
  eps: 1e-4,
  snr: 0.16,
  correctorSteps: 1,
} as const;

/**
 * Step α of Langevin at one σ, for every net (σ-free or noise-conditional). Annealed Langevin's
 * ε is the step at σ_min of a schedule whose early, large levels (α_i = ε σ_i²/σ_min²) carry the
 * particles across the data; used alone at one σ it hardly moves them: 300 steps of ε = 3e-4
 * diffuse √(2·3e-4·300) ≈ 0.4, against a data spread of several units. α = 1e-2 diffuses ≈ 2.4
 * in those 300 steps and stays stable while α ≪ the smallest component variance + σ²
 * (the drift's curvature is at most 1/(v_min + σ²); three-blobs: v_min ≈ 0.5).
 */
export const LANGEVIN_STEP = 1e-2;

/** Langevin at one fixed noise level. */
export interface LangevinOptions extends BaseSamplerOptions {
  /** The σ the score is queried at (use the smallest the model knows for the data itself). */
  sigma: number;
  steps: number;
  /** Step size α. */
  stepSize: number;
}

export interface AnnealedLangevinOptions extends BaseSamplerOptions {
  sigmaMin: number;
  sigmaMax: number;
  /** Number of noise levels L (default 10). */
  levels?: number;
  /** Langevin steps T per level (default 100). */
  stepsPerLevel?: number;
  /** Step scale ε: α_i = ε σ_i² / σ_L² (default 1e-4). */
  eps?: number;
  /** Finish with one noise-free step x + σ_L² s(x, σ_L) (Tweedie denoising; default false). */
  denoise?: boolean;
}

export interface ReverseOptions extends BaseSamplerOptions {
  sigmaMin: number;
  sigmaMax: number;
  /** Number of noise levels N ≥ 2, so N steps σ_0 → … → σ_{N−1} → 0 (default 10; use hundreds). */
  levels?: number;
}

export interface ReverseSdeOptions extends ReverseOptions {
  /** No noise on the last step σ_{N−1} → 0 (default false). */
  denoise?: boolean;
}

export type ProbabilityFlowOptions = ReverseOptions;

export interface PredictorCorrectorOptions extends ReverseSdeOptions {
  /** Signal-to-noise ratio r of the Langevin corrector (default 0.16, Song et al.'s VE setting). */
  snr?: number;
  /** Corrector steps per level M (default 1; 0 makes this the reverse SDE). */
  correctorSteps?: number;
}

/** x ← x + a·s + c·z, with fresh noise z when c > 0. */
function update(st: SamplerState, s: Float32Array, a: number, c: number): void {
  const x = st.x;
  if (c > 0) {
    const z = st.noise();
    for (let i = 0; i < x.length; i++) x[i] += a * s[i] + c * z[i];
  } else for (let i = 0; i < x.length; i++) x[i] += a * s[i];
}

/**
 * The corrector's step α = 2 (r ‖z‖ / ‖s‖)², with ‖z‖ and ‖s‖ per-particle norms averaged over
 * the batch; 0 when the score is zero or not finite (the step is skipped rather than made infinite).
 */
export function correctorStep(s: ArrayLike<number>, z: ArrayLike<number>, n: number, d: number, snr: number): number {
  let sn = 0,
    zn = 0;
  for (let p = 0; p < n; p++) {
    let ss = 0,
      zz = 0;
    for (let a = 0; a < d; a++) {
      ss += s[p * d + a] ** 2;
      zz += z[p * d + a] ** 2;
    }
    sn += Math.sqrt(ss);
    zn += Math.sqrt(zz);
  }
  return sn > 0 && Number.isFinite(sn) ? 2 * ((snr * zn) / sn) ** 2 : 0;
}

/** A corrector update x ← x + α s + √(2α) z, α from `correctorStep`. */
function correct(st: SamplerState, s: Float32Array, snr: number): void {
  const z = st.noise();
  const alpha = correctorStep(s, z, st.n, st.d, snr);
  const c = Math.sqrt(2 * alpha);
  const x = st.x;
  for (let k = 0; k < x.length; k++) x[k] += alpha * s[k] + c * z[k];
}

/**
 * One update of a sampler, as a plan step: x ← x + a·s(x, σ) + c·z with a and c known in advance,
 * or (with `snr`) a Langevin corrector step whose size follows the score (`correctorStep`; a and
 * c are then unused). Noise is drawn only for steps with c > 0 or `snr`, one N(0, I) vector of
 * n·d values per such step, in step order: a driver that draws it ahead of time in the same order
 * gets the same samples from the same seed.
 */
export interface PlanStep {
  sigma: number;
  /** Index of the noise level (0 for fixed-σ Langevin). */
  level: number;
  a: number;
  c: number;
  /** Predictor–corrector's signal-to-noise ratio r: makes this a corrector step. */
  snr?: number;
}

/** Whether a plan step draws noise. */
export const drawsNoise = (p: PlanStep): boolean => p.snr !== undefined || p.c > 0;

/** A sampler that walks a plan (validated by the caller). */
export function planSampler(o: BaseSamplerOptions, plan: readonly PlanStep[]): SamplerGen {
  return (function* () {
    const st = new SamplerState(o, plan.length, plan[0].sigma);
    for (const p of plan) {
      const s = yield* st.score(p.sigma, p.level);
      if (p.snr !== undefined) correct(st, s, p.snr);
      else update(st, s, p.a, p.c);
      st.advance(p.sigma);
    }
    return st.result();
  })();
}

// ————— Langevin —————

export function validateLangevinOptions(o: LangevinOptions): void {
  checkBase(o);
  checkPositive('sigma', o.sigma);
  checkPositive('stepSize', o.stepSize);
  checkCount('steps', o.steps, 1, MAX_SAMPLER_STEPS);
}

/**
 * Unadjusted Langevin at fixed σ: x ← x + α s(x, σ) + √(2α) z, z ~ N(0, I).
 * Its stationary law is q_σ only as α → 0: for a Gaussian N(μ, v) the variance settles at
 * v / (1 − α/(2v)), and between well-separated modes it mixes slowly, so weights come out wrong.
 */
export function langevinPlan(o: LangevinOptions): PlanStep[] {
  validateLangevinOptions(o);
  const c = Math.sqrt(2 * o.stepSize);
  return Array.from({ length: o.steps }, () => ({ sigma: o.sigma, level: 0, a: o.stepSize, c }));
}

export function langevin(o: LangevinOptions): SamplerGen {
  return planSampler(o, langevinPlan(o));
}

// ————— Annealed Langevin —————

function annealed(o: AnnealedLangevinOptions) {
  return {
    levels: o.levels ?? samplerDefaults.levels,
    steps: o.stepsPerLevel ?? samplerDefaults.stepsPerLevel,
    eps: o.eps ?? samplerDefaults.eps,
  };
}

export function validateAnnealedLangevinOptions(o: AnnealedLangevinOptions): void {
  checkBase(o);
  checkRange(o.sigmaMin, o.sigmaMax);
  const a = annealed(o);
  checkCount('levels', a.levels, 1, MAX_SAMPLER_STEPS);
  checkCount('stepsPerLevel', a.steps, 1, MAX_SAMPLER_STEPS);
  checkPositive('eps', a.eps);
  checkTotal(a.levels * a.steps + (o.denoise ? 1 : 0));
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1): for each level σ_i, largest first,
 * T steps of x ← x + α_i s(x, σ_i) + √(2α_i) z with α_i = ε σ_i² / σ_L². Scaling α with σ² keeps
 * the signal-to-noise ratio of every step the same across levels, since ‖s(·, σ)‖ ∝ 1/σ.
 */
export function annealedLangevinPlan(o: AnnealedLangevinOptions): PlanStep[] {
  validateAnnealedLangevinOptions(o);
  const { levels, steps, eps } = annealed(o);
  const sigmas = geometricSigmas(o.sigmaMin, o.sigmaMax, levels);
  const sL = sigmas[levels - 1];
  const plan: PlanStep[] = [];
  for (let i = 0; i < levels; i++) {
    const a = (eps * sigmas[i] * sigmas[i]) / (sL * sL);
    const c = Math.sqrt(2 * a);
    for (let t = 0; t < steps; t++) plan.push({ sigma: sigmas[i], level: i, a, c });
  }
  if (o.denoise) plan.push({ sigma: sL, level: levels - 1, a: sL * sL, c: 0 });
  return plan;
}

export function annealedLangevin(o: AnnealedLangevinOptions): SamplerGen {
  return planSampler(o, annealedLangevinPlan(o));
}

// ————— Reverse-time VE SDE, probability-flow ODE, predictor–corrector —————

function reverseLevels(o: ReverseOptions, name: string, perLevel: number, extra = 0): Float64Array {
  checkBase(o);
  checkRange(o.sigmaMin, o.sigmaMax);
  const levels = o.levels ?? samplerDefaults.levels;
  checkCount('levels', levels, 2, MAX_SAMPLER_STEPS);
  if (o.sigmaMax === o.sigmaMin) samplerFail(`${name} needs sigmaMax > sigmaMin`);
  checkTotal(levels * perLevel + extra);
  return geometricSigmas(o.sigmaMin, o.sigmaMax, levels);
}

/** σ_{i+1} with σ_N = 0 appended. */
const nextSigma = (s: Float64Array, i: number) => (i + 1 < s.length ? s[i + 1] : 0);

export function validateReverseSdeOptions(o: ReverseSdeOptions): void {
  reverseLevels(o, 'the reverse SDE', 1);
}

/**
 * Reverse-time VE SDE, Euler–Maruyama (Song et al. 2021, "reverse diffusion" predictor): the
 * forward SDE dx = √(dσ²/dt) dw runs backwards with drift σ-increment × score:
 *   x ← x + (σ_i² − σ_{i+1}²) s(x, σ_i) + √(σ_i² − σ_{i+1}²) z,  i = 0 … N−1, σ_N = 0.
 */
export function reverseSdePlan(o: ReverseSdeOptions): PlanStep[] {
  const sigmas = reverseLevels(o, 'the reverse SDE', 1);
  return Array.from(sigmas, (sigma, i) => {
    const dv = sigma ** 2 - nextSigma(sigmas, i) ** 2;
    const last = i === sigmas.length - 1;
    return { sigma, level: i, a: dv, c: last && o.denoise ? 0 : Math.sqrt(dv) };
  });
}

export function reverseSde(o: ReverseSdeOptions): SamplerGen {
  return planSampler(o, reverseSdePlan(o));
}

export function validateProbabilityFlowOptions(o: ProbabilityFlowOptions): void {
  reverseLevels(o, 'the probability-flow ODE', 1);
}

/**
 * Probability-flow ODE dx/dσ² = −½ s(x, σ), Euler steps (deterministic; same marginals as the SDE):
 *   x ← x + ½(σ_i² − σ_{i+1}²) s(x, σ_i).
 * For N(μ, v) the exact flow maps x − μ ↦ (x − μ)·√((v + σ'²)/(v + σ²)); each Euler step applies
 * 1 − ½Δ/(v + σ_i²) instead, so it needs many levels to be exact, and because nothing mixes, the
 * result inherits any mismatch between the initial particles and q_{σ_max}.
 */
export function probabilityFlowPlan(o: ProbabilityFlowOptions): PlanStep[] {
  const sigmas = reverseLevels(o, 'the probability-flow ODE', 1);
  return Array.from(sigmas, (sigma, i) => ({ sigma, level: i, a: 0.5 * (sigma ** 2 - nextSigma(sigmas, i) ** 2), c: 0 }));
}

export function probabilityFlow(o: ProbabilityFlowOptions): SamplerGen {
  return planSampler(o, probabilityFlowPlan(o));
}

function pcSettings(o: PredictorCorrectorOptions) {
  const snr = o.snr ?? samplerDefaults.snr;
  const m = o.correctorSteps ?? samplerDefaults.correctorSteps;
  checkPositive('snr', snr);
  checkCount('correctorSteps', m, 0, MAX_SAMPLER_STEPS);
  return { snr, m, sigmas: reverseLevels(o, 'the predictor–corrector sampler', 1 + m) };
}

export function validatePredictorCorrectorOptions(o: PredictorCorrectorOptions): void {
  pcSettings(o);
}

/**
 * Predictor–corrector (Song et al. 2021, Algorithm 2, VE), in the order of their code: at each
 * level σ_i, M Langevin corrector steps at σ_i, then one reverse-diffusion predictor step σ_i → σ_{i+1}.
 * Corrector: x ← x + α s + √(2α) z with α = 2 (r ‖z‖ / ‖s‖)², where ‖z‖ and ‖s‖ are per-particle
 * norms averaged over the batch (as in their code), so the step adapts to the score's scale.
 * If the score is zero everywhere the corrector step is skipped rather than made infinite.
 */
export function predictorCorrectorPlan(o: PredictorCorrectorOptions): PlanStep[] {
  const { snr, m, sigmas } = pcSettings(o);
  const plan: PlanStep[] = [];
  sigmas.forEach((sigma, i) => {
    for (let j = 0; j < m; j++) plan.push({ sigma, level: i, a: 0, c: 0, snr });
    const dv = sigma ** 2 - nextSigma(sigmas, i) ** 2;
    plan.push({ sigma, level: i, a: dv, c: i === sigmas.length - 1 && o.denoise ? 0 : Math.sqrt(dv) });
  });
  return plan;
}

export function predictorCorrector(o: PredictorCorrectorOptions): SamplerGen {
  return planSampler(o, predictorCorrectorPlan(o));
}
