/**
 * The five methods and what each one is, in one table: the model, the worker and the page read
 * these traits instead of branching on method names.
 *
 * - `sm`: exact (Hyvärinen) score matching, E[½‖s(x)‖² + tr ∇ₓs(x)] on clean data.
 * - `ssm`: sliced score matching, E[vᵀ∇ₓs v + ½(vᵀs)²].
 * - `dsm`: denoising score matching at one σ.
 * - `ncsn`: denoising score matching over σ log-uniform in [σ_min, σ_max].
 * - `mulde`: a scalar net f(x,σ) ≈ −log q_σ(x) trained through its input gradient.
 */

export type Method = 'sm' | 'ssm' | 'dsm' | 'ncsn' | 'mulde';
export const METHODS: readonly Method[] = ['sm', 'ssm', 'dsm', 'ncsn', 'mulde'];

/** The samplers, by the names links and messages use. */
export const SAMPLERS = ['langevin', 'annealed', 'reverse-sde', 'pf-ode', 'pc'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** A setting only some methods have (the rest apply to every method). */
export type MethodKnob = 'sigma' | 'sigma-min' | 'sigma-max' | 'view-sigma' | 'beta' | 'projection' | 'projections' | 'variance-reduced';

export interface MethodTraits {
  /**
   * What the loss sees: `clean` data (SM, SSM), noisy data at `one-sigma` (DSM), or noise levels
   * drawn log-uniformly from the range, `many-sigmas` (NCSN, MULDE).
   */
  noise: 'clean' | 'one-sigma' | 'many-sigmas';
  /** The network takes c = log σ as an input, so its field exists at every σ of the range. */
  conditional: boolean;
  /** A vector score s_θ(x, σ) ∈ R^d, or MULDE's scalar f_θ(x, σ) with score −∇ₓf. */
  head: 'score' | 'energy';
  /**
   * The σ the learned field is judged and drawn at: the clean data p (`clean`, σ = 0), the σ it
   * was trained at (`trained`), or any σ the reader picks (`display`, the one display σ).
   */
  judgedAt: 'clean' | 'trained' | 'display';
  /** The settings that belong to this method alone. */
  knobs: readonly MethodKnob[];
  /** The samplers it can drive, its default first. One-σ nets have only plain Langevin. */
  samplers: readonly SamplerName[];
}

const ALL_SAMPLERS: readonly SamplerName[] = ['annealed', 'langevin', 'reverse-sde', 'pf-ode', 'pc'];

export const methodTraits: Record<Method, MethodTraits> = {
  sm: { noise: 'clean', conditional: false, head: 'score', judgedAt: 'clean', knobs: [], samplers: ['langevin'] },
  ssm: {
    noise: 'clean',
    conditional: false,
    head: 'score',
    judgedAt: 'clean',
    knobs: ['projection', 'projections', 'variance-reduced'],
    samplers: ['langevin'],
  },
  dsm: { noise: 'one-sigma', conditional: false, head: 'score', judgedAt: 'trained', knobs: ['sigma'], samplers: ['langevin'] },
  ncsn: {
    noise: 'many-sigmas',
    conditional: true,
    head: 'score',
    judgedAt: 'display',
    knobs: ['sigma-min', 'sigma-max', 'view-sigma'],
    samplers: ALL_SAMPLERS,
  },
  mulde: {
    noise: 'many-sigmas',
    conditional: true,
    head: 'energy',
    judgedAt: 'display',
    knobs: ['sigma-min', 'sigma-max', 'view-sigma', 'beta'],
    samplers: ALL_SAMPLERS,
  },
};

/**
 * σ of the distribution q_σ = p ∗ N(0, σ²I) a method's field is judged at: 0 for SM and SSM, the
 * trained σ for DSM, the display σ for the noise-conditional methods.
 */
export function judgedSigma(method: Method, trainedSigma: number, displaySigma: number): number {
  const at = methodTraits[method].judgedAt;
  return at === 'clean' ? 0 : at === 'trained' ? trainedSigma : displaySigma;
}
