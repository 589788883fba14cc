/** Noise-level schedules for noise-conditional score models. */
import type { Rng } from './rng';

function checkRange(sigmaMin: number, sigmaMax: number): void {
  if (!(sigmaMin > 0) || !Number.isFinite(sigmaMax) || !(sigmaMax >= sigmaMin))
    throw new Error(`invalid noise range: need 0 < σ_min ≤ σ_max, got [${sigmaMin}, ${sigmaMax}]`);
}

/**
 * L geometric levels from σ_max down to σ_min: σ_i = σ_max (σ_min/σ_max)^{i/(L−1)}, i = 0 … L−1
 * (largest first, the order annealed samplers visit them).
 */
export function geometricSigmas(sigmaMin: number, sigmaMax: number, levels: number): Float64Array {
  checkRange(sigmaMin, sigmaMax);
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`invalid levels: ${levels}`);
  const out = new Float64Array(levels);
  if (levels === 1) {
    out[0] = sigmaMin;
    return out;
  }
  const ratio = Math.log(sigmaMin / sigmaMax);
  for (let i = 0; i < levels; i++) out[i] = sigmaMax * Math.exp((ratio * i) / (levels - 1));
  return out;
}

/** Fill `out` with σ drawn log-uniformly on [σ_min, σ_max]: log σ ~ U(log σ_min, log σ_max). */
export function sampleLogUniform(sigmaMin: number, sigmaMax: number, rng: Rng, out: Float32Array | Float64Array): typeof out {
  checkRange(sigmaMin, sigmaMax);
  const a = Math.log(sigmaMin);
  const b = Math.log(sigmaMax);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(a + (b - a) * rng.uniform());
  return out;
}
