/**
 * The quality checks of the time-to-quality benchmark, one per method, each from the app's
 * defaults for its dataset. A check asks the trained run (through the real worker) for what a user
 * would look at and returns one number, compared with the check's target:
 *
 * - ncsn / three-blobs: squared energy distance of a 1000-particle annealed-Langevin sample (the
 *   app's sampler defaults, σ_max → σ_min) to 1000 fresh draws of the mixture, ≤ 0.07 (two
 *   1000-samples of this law are ≈ 0.014 apart).
 * - dsm / bimodal-1d: TV between the density recovered from the learned field (densityFromScore
 *   on 401 nodes over [−8, 8]) and q_σ, the σ-smoothed mixture a perfect DSM net recovers
 *   (σ = 0.3), ≤ 0.05; TV to the clean p and TV(q_σ, p) are reported beside it.
 * - sm / three-blobs: relative Fisher divergence Σ p‖s_θ − ∇log p‖² / Σ p‖∇log p‖² on the panel's
 *   40 × 40 view grid, weighted by p (what the panel reports), ≤ 0.1.
 * - mulde / three-blobs: |AUC(MULDE) − AUC(exact −log p)| ≤ 0.02 on the anomaly panel's default
 *   held-out set (500 normals, 500 uniform outliers over the view), with the panel's L = 6 levels
 *   and k = 2 GMM (core/mulde-pipeline analyseAnomalies).
 */
import type { TrainerClient } from '../../src/worker/client';
import type { Method } from '../../src/worker/protocol';
import { findPreset } from '../../src/core/presets';
import { createMixture, pdf, sampleMixture, smoothMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { densityFromScore } from '../../src/core/density';
import { grid1d, grid2d } from '../../src/core/grid';
import { energyDistance, totalVariation } from '../../src/core/metrics';
import { analyseAnomalies, anomalyDefaults, anomalySigmas, makeTestSet } from '../../src/core/mulde-pipeline';
import { ExactReference } from '../../src/worker/reference';
import type { Settings } from '../../src/ui/state/settings';

export interface QualityCheck {
  dataset: string;
  target: number;
  /** Training steps between two checks. */
  every: number;
  /** The number compared with the target, and anything worth reporting beside it. */
  measure(client: TrainerClient): Promise<{ value: number; extra?: Record<string, unknown> }>;
}

const round = (v: number) => +v.toFixed(4);

/** The check for `method` with settings `s` (the app's defaults for `dataset`, with any overrides). */
export function qualityCheck(method: Method, s: Settings, every: number | null, target: number | null): QualityCheck {
  const p = findPreset(s.dataset)!;
  const mixture = createMixture(p.spec);
  // The run's own training points: the worker draws them the same way from the seed.
  const data = () => sampleMixture(mixture, s.nData, createRng(s.seed)).x;
  switch (method) {
    case 'ncsn': {
      const truth = sampleMixture(mixture, 1000, createRng(12345)).x;
      return {
        dataset: p.id,
        target: target ?? 0.07,
        every: every ?? 200,
        async measure(client) {
          const res = await client.sample({
            sampler: 'annealed',
            particles: 1000,
            sigmaMin: s.sigmaMin,
            sigmaMax: s.sigmaMax,
            levels: s.levels,
            stepsPerLevel: s.stepsPerLevel,
            eps: s.eps,
            trailEvery: 0,
          });
          return { value: energyDistance(res.x, truth, 2) };
        },
      };
    }
    case 'dsm': {
      const grid = grid1d(p.view[0], p.view[1], 401);
      const points = Float32Array.from(grid.points);
      const qSigma = pdf(smoothMixture(mixture, s.sigma), grid.points);
      const pClean = pdf(mixture, grid.points);
      return {
        dataset: p.id,
        target: target ?? 0.05,
        every: every ?? 100,
        async measure(client) {
          const { field } = await client.field({ points, sigma: s.sigma });
          const density = densityFromScore(grid, field).density;
          return {
            value: totalVariation(density, qSigma, grid),
            extra: {
              comparedWith: `q_sigma (sigma=${s.sigma})`,
              tvToClean: round(totalVariation(density, pClean, grid)),
              tvSigmaToClean: round(totalVariation(qSigma, pClean, grid)),
            },
          };
        },
      };
    }
    case 'sm':
    case 'ssm': {
      const v = p.view;
      const points = Float32Array.from(grid2d(v[0], v[1], v[2], v[3], 40, 40).points);
      const reference = new ExactReference(p.spec);
      return {
        dataset: p.id,
        target: target ?? 0.1,
        every: every ?? 200,
        async measure(client) {
          const { field } = await client.field({ points, sigma: 0 });
          return { value: reference.relativeFisher(points, 0, field) };
        },
      };
    }
    case 'mulde': {
      const sigmas = anomalySigmas(s.sigmaMin, s.sigmaMax, anomalyDefaults.levels);
      const test = makeTestSet(p.spec, { kind: 'uniform', n: anomalyDefaults.nTest, seed: s.seed, box: p.view });
      const train = data();
      return {
        dataset: p.id,
        target: target ?? 0.02,
        every: every ?? 200,
        async measure(client) {
          const all = new Float32Array(train.length + test.x.length);
          all.set(train);
          all.set(test.x, train.length);
          const { values } = await client.fMulti(all, sigmas);
          const out = analyseAnomalies({
            spec: p.spec,
            data: train,
            sigmas,
            k: anomalyDefaults.k,
            seed: s.seed,
            map: new Float64Array(0),
            test,
            picks: new Float32Array(0),
            values,
          });
          const ev = out.tested!.evaluation;
          return {
            value: Math.abs(ev.learned.auc - ev.exact.auc),
            extra: { auc: round(ev.learned.auc), exactAuc: round(ev.exact.auc), perfectNetworkAuc: round(ev.perfectAuc) },
          };
        },
      };
    }
  }
}
