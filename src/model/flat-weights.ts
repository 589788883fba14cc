/**
 * Weights held as one flat variable θ (the MLP's and the autoencoder's layout): copying them out,
 * replacing them with a check, and freeing them, the same way for every model.
 */
import * as tf from './tf';

export interface FlatWeights {
  /** A copy of θ (for JSON export and snapshots). */
  getWeights(): Promise<Float32Array>;
  /** Replace θ; throws `invalid weights: …` on a length mismatch or a non-finite value. */
  setWeights(w: Float32Array): void;
  dispose(): void;
}

export function flatWeights(theta: tf.Variable<tf.Rank.R1>, paramCount: number): FlatWeights {
  return {
    async getWeights() {
      // On cpu/webgpu, data() may hand back the backend's own array: copy before anyone keeps it.
      return (await theta.data<'float32'>()).slice();
    },
    setWeights(wts) {
      if (!(wts instanceof Float32Array) || wts.length !== paramCount) throw new Error(`invalid weights: expected a Float32Array of ${paramCount} values`);
      if (!wts.every(Number.isFinite)) throw new Error('invalid weights: non-finite value');
      tf.tidy(() => theta.assign(tf.tensor1d(wts)));
    },
    dispose: () => theta.dispose(),
  };
}
