/**
 * One source of definitions for every term the page and the widgets show: a sentence or two and,
 * where it helps, a formula (TeX). `Term` shows them on hover, focus and tap; metric entries also
 * say which way is better and what a reference value is.
 */
import type { SamplerName } from '../worker/protocol';

export interface GlossaryEntry {
  /** The term as it is written on the page. */
  term: string;
  /** One or two sentences in plain words. */
  text: string;
  /** The definition as a formula (TeX), where it helps. */
  tex?: string;
  /** For a metric: which way is better. */
  better?: 'lower' | 'higher';
}

export const glossary = {
  fisher: {
    term: 'relative Fisher divergence',
    text: 'How far the learned score is from the exact score of the σ-smoothed data, weighted by where the data lives, relative to the size of the exact score. 0 is perfect; an untrained network (arrows near zero) gives about 1.',
    tex: String.raw`\frac{\mathbb E_{q_\sigma}\lVert s_\theta - \nabla\log q_\sigma\rVert^2}{\mathbb E_{q_\sigma}\lVert \nabla\log q_\sigma\rVert^2}`,
    better: 'lower',
  },
  tv: {
    term: 'TV',
    text: 'Total variation distance between the density recovered from the learned score and the exact one: the largest difference in probability the two give to any region. 0 means equal, 1 means no overlap.',
    tex: String.raw`\mathrm{TV}(p,q)=\tfrac12\int\lvert p(x)-q(x)\rvert\,dx`,
    better: 'lower',
  },
  energy: {
    term: 'energy distance',
    text: 'How far the samples are from the true distribution, from average distances between points. Even two honest samples of the same size are not at 0: compare with the reference value beside it.',
    tex: String.raw`D^2 = 2\,\mathbb E\lVert a-b\rVert - \mathbb E\lVert a-a'\rVert - \mathbb E\lVert b-b'\rVert`,
    better: 'lower',
  },
  nonConservative: {
    term: 'non-conservative share',
    text: 'A true score is the gradient of a log-density, so it has no curl. This is the part of the learned field that no gradient can explain (the least-squares residual of integrating it), as a share of the field.',
    better: 'lower',
  },
  loss: {
    term: 'loss',
    text: 'The training objective on each batch. Losses of the DSM type do not go to zero: even the exact score leaves the noise it cannot predict, so the curve levels off at a floor. The SM and SSM losses are shifted by an unknown constant and can go negative.',
  },
  lambda: {
    term: 'λ(σ) = σ²',
    text: 'The weight of each noise level in the loss. The score of q_σ grows like 1/σ, so σ² puts every level on the same footing.',
  },
  levels: {
    term: 'levels',
    text: 'How many noise levels σ the annealed samplers step through, geometrically from σ_max down to σ_min.',
  },
  stepsPerLevel: {
    term: 'steps / level',
    text: 'Langevin steps taken at each noise level before moving to the next, smaller one.',
  },
  correctorSteps: {
    term: 'corrector steps',
    text: 'Langevin steps taken after each reverse-SDE step, at the new noise level, to pull the particles back onto q_σ.',
  },
  flowSteps: {
    term: 'steps',
    text: 'Time steps from σ_max down to σ_min, each at its own noise level. More steps follow the continuous-time path more closely.',
  },
  stepEps: {
    term: 'step ε',
    text: 'The base step of annealed Langevin. At level σ_i the step is α_i = ε σ_i²/σ_min², so it is ε only at the last, smallest level.',
    tex: String.raw`\alpha_i=\varepsilon\,\sigma_i^2/\sigma_{\min}^2`,
  },
  stepAlpha: {
    term: 'step α',
    text: 'The step of plain Langevin: each move goes α/2 along the score plus Gaussian noise of size √α. Too small and the particles hardly move; too large and they overshoot.',
    tex: String.raw`x \leftarrow x + \tfrac{\alpha}{2}\,s_\theta(x) + \sqrt{\alpha}\,z`,
  },
  rademacher: {
    term: 'Rademacher',
    text: 'Random directions whose entries are ±1 with equal chance. They give the sliced estimate a lower variance than Gaussian directions.',
  },
  viewSigma: {
    term: 'display σ',
    text: 'The noise level you look at: the exact view and the panels show q_σ, the data blurred by Gaussian noise of this size, and the score there. It does not change training.',
  },
  trainingRange: {
    term: 'training noise range',
    text: 'The noise levels the network sees while it trains, drawn log-uniformly between σ_min and σ_max. Outside this range its field is a guess.',
  },
  dsmSigma: {
    term: 'training σ',
    text: 'The one noise level denoising score matching trains at. The network learns the score of q_σ at this σ, not of the clean data.',
  },
  nats: {
    term: 'nats',
    text: 'Units of log-probability with the natural logarithm (1 nat ≈ 1.44 bits). A difference of 1 nat is a factor e ≈ 2.7 in density.',
  },
  gmm: {
    term: 'GMM / EM',
    text: 'A Gaussian mixture model fitted by expectation–maximisation: alternately assign points softly to components and refit each component’s mean and covariance.',
  },
  auc: {
    term: 'AUC',
    text: 'Area under the ROC curve: the chance that a random anomaly scores higher than a random normal point. 0.5 is guessing, 1 is perfect.',
    better: 'higher',
  },
  msPerStep: {
    term: 'ms / step',
    text: 'Wall-clock milliseconds per training step on this device. It measures the browser and backend, not the method.',
  },
  backend: {
    term: 'backend',
    text: 'Where the network runs in your browser: WebGPU or WebGL on the graphics card, WebAssembly or plain JavaScript on the processor. Results agree; only speed differs.',
  },
} satisfies Record<string, GlossaryEntry>;

export type TermName = keyof typeof glossary;

/** One sentence per sampler, shown beside the sampler choice. */
export const samplerText: Record<SamplerName, { term: string; text: string }> = {
  langevin: {
    term: 'Langevin (one σ)',
    text: 'Langevin dynamics at one noise level: follow the score uphill plus a little noise, so particles settle into the density rather than onto its peaks.',
  },
  annealed: {
    term: 'annealed Langevin',
    text: 'Langevin steps at a ladder of noise levels from σ_max down to σ_min: at large σ the modes are connected, so particles find every mode before the field sharpens.',
  },
  'reverse-sde': {
    term: 'reverse-time SDE',
    text: 'Runs the noising process backwards in time: a drift along the score and fresh noise at every step, from pure noise at σ_max to data at σ_min.',
  },
  'pf-ode': {
    term: 'probability-flow ODE',
    text: 'A deterministic path with the same marginals as the reverse SDE: no noise is added, so each start point maps to one sample.',
  },
  pc: {
    term: 'predictor–corrector',
    text: 'A reverse-SDE step (predictor) followed by a few Langevin steps at the new level (corrector) that pull particles back onto q_σ.',
  },
};

/** "lower is better" / "higher is better", or nothing for a term that is not a metric. */
export function betterText(e: GlossaryEntry): string {
  return e.better ? `${e.better === 'lower' ? 'Lower' : 'Higher'} is better.` : '';
}
