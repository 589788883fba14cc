/**
 * Reference values a metric is read against: what an honest answer scores, so "0.018" has a
 * sense of good or bad beside it.
 */
import { sampleMixture, type Mixture } from './mixture';
import { energyDistance } from './metrics';
import type { Rng } from './rng';

/**
 * The energy distance independent true samples of the sizes compared already have: the mean of
 * D²(A, B) over `repeats` pairs A ~ p (n points), B ~ p (m points, default n). In expectation it
 * is (1/n + 1/m) E‖X − X'‖ (the V-statistic's bias), so a sampler whose D² is near this value is
 * as close to p as sampling p itself. Sets beyond `maxPoints` are thinned as the metric thins them.
 */
export function energyDistanceFloor(mixture: Mixture, n: number, rng: Rng, repeats = 4, maxPoints = 1000, m = n): number {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(m) || m < 1) throw new Error(`energyDistanceFloor: invalid sample size ${n} × ${m}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`energyDistanceFloor: invalid repeats ${repeats}`);
  let sum = 0;
  for (let r = 0; r < repeats; r++) {
    const a = sampleMixture(mixture, n, rng).x;
    const b = sampleMixture(mixture, m, rng).x;
    sum += energyDistance(a, b, mixture.dim, { maxPoints });
  }
  return sum / repeats;
}

/** The relative Fisher divergence of a network whose field is zero everywhere: exactly 1. */
export const UNTRAINED_RELATIVE_FISHER = 1;
