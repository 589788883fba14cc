/** What the page says about each method: name, loss (TeX), a short explanation, its knobs. */
import type { Method } from '../worker/protocol';

export interface MethodInfo {
  id: Method;
  name: string;
  short: string;
  /** The training objective in TeX (rendered by KaTeX): the loss objectives.ts computes and the panel plots. */
  loss: string;
  explain: string;
  /** What the loss chart's dashed floor is for this method (core/loss-floor). */
  floor: string;
}

export const methodInfo: Record<Method, MethodInfo> = {
  sm: {
    id: 'sm',
    name: 'Score matching',
    short: 'SM',
    loss: String.raw`\mathbb{E}_{x\sim p}\Big[\tfrac12\lVert s_\theta(x)\rVert^2 + \operatorname{tr}\nabla_x s_\theta(x)\Big]`,
    explain:
      "Hyvärinen showed that the squared error to the unknown score ∇log p equals this loss up to a constant, after integrating by parts: no noise and no target needed, only the network's own Jacobian trace. On few points it overfits: on the 300 points of three blobs, after a few hundred steps the loss keeps falling because the field grows steep at each sample, while the Fisher divergence to the true score climbs. Adding noise, as DSM does, closes that escape.",
    floor:
      "the exact score's loss on the same batches. SM's loss is the squared error to ∇log p minus ½E‖∇log p‖², so it goes negative and levels off at about −½E‖∇log p‖²",
  },
  ssm: {
    id: 'ssm',
    name: 'Sliced score matching',
    short: 'SSM',
    loss: String.raw`\mathbb{E}_{x\sim p,\,v}\Big[v^\top \nabla_x s_\theta(x)\, v + \tfrac12 (v^\top s_\theta(x))^2\Big]`,
    explain:
      'The trace is expensive in high dimension, so sliced score matching projects onto random directions v (Gaussian or Rademacher): one Jacobian–vector product per sample gives an unbiased estimate of the same objective.',
    floor: "the exact score's loss on the same batches and directions v; as for SM it is negative, about −½E‖∇log p‖²",
  },
  dsm: {
    id: 'dsm',
    name: 'Denoising score matching',
    short: 'DSM',
    loss: String.raw`\tfrac12\,\mathbb{E}_{x\sim p,\ \tilde x = x+\sigma z}\Big[\sigma^2\Big\lVert s_\theta(\tilde x) - \frac{x-\tilde x}{\sigma^2}\Big\rVert^2\Big]`,
    explain:
      "Vincent's trick: add Gaussian noise of size σ and regress onto the direction back to the clean point, weighted by σ² so the loss keeps one scale at any σ. The minimiser is the score of the noisy data q_σ, not of p: small σ is faithful but noisy to learn, large σ is smooth but blurred.",
    floor: 'the exact score of q_σ on the same noisy batches. Even it cannot predict the noise z, only its average, so the loss levels off above 0',
  },
  ncsn: {
    id: 'ncsn',
    name: 'Noise-conditional score network',
    short: 'NCSN',
    loss: String.raw`\tfrac12\,\mathbb{E}_{\sigma,\,x,\,\tilde x}\Big[\sigma^2\Big\lVert s_\theta(\tilde x,\sigma) - \frac{x-\tilde x}{\sigma^2}\Big\rVert^2\Big],\ \ \log\sigma\sim\mathcal U`,
    explain:
      'One network learns the scores of q_σ for all noise levels at once, σ drawn log-uniformly and weighted by λ(σ)=σ². Annealed Langevin then walks samples from large σ, where modes are connected, down to small σ.',
    floor: 'the exact scores of q_σ on the same noisy batches, each at its own σ. Even they cannot predict the noise z, so the loss levels off above 0',
  },
  mulde: {
    id: 'mulde',
    name: 'MULDE: multiscale log-density',
    short: 'MULDE',
    loss: String.raw`\mathbb{E}\Big[\sigma^2\Big\lVert \nabla_{\tilde x} f_\theta(\tilde x,\sigma) + \frac{x-\tilde x}{\sigma^2}\Big\rVert^2 + \beta f_\theta(x,\sigma)^2\Big]`,
    explain:
      'A scalar network f(x,σ) ≈ −log q_σ(x) whose gradient is trained like NCSN, so its score −∇f is conservative by construction; β pins f near 0 on clean data so levels line up across σ. It yields a log-density and anomaly scores directly.',
    floor:
      "the matching term with the exact −log q_σ on the same batches. The β f² term adds an amount that depends on an offset of f no batch can fix, so MULDE's loss levels off above this line",
  },
};
