/**
 * What a panel says about a field that is the gradient of a learned potential: MULDE's scalar
 * f (score −∇f) and the autoencoder's energy E (score −∇E). Other nets output s_θ directly.
 */
import type { MethodTraits, ScoreModel } from '../core/methods';

export interface Potential {
  /** The field as the gradient it is. */
  symbol: '−∇f' | '−∇E';
  /** Title of the density view. */
  densityTitle: string;
}

export function potentialOf(head: MethodTraits['head'], model: ScoreModel = 'mlp'): Potential | null {
  if (head === 'energy') return { symbol: '−∇f', densityTitle: 'Density recovered from the learned score (MULDE gives −f directly, below)' };
  if (model === 'autoencoder') return { symbol: '−∇E', densityTitle: 'Density exp(−E) of the autoencoder, from its energy' };
  return null;
}
