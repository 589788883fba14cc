/**
 * The MULDE lesson end to end in Node: train the panel's default network on the three-blobs
 * preset (wasm backend, the same seed, data and settings as the page), then run the panel's
 * anomaly pipeline and its log-density comparison on it. Reproduces the numbers the page shows.
 *
 *   npx vitest run tests/unit/mulde-train.test.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, logpdf, sampleMixture, smoothMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { findPreset } from '../../src/core/presets';
import { grid2d } from '../../src/core/grid';
import { exactAnomalyVectors } from '../../src/core/anomaly';
import { roc } from '../../src/core/roc';
import { createTrainer, type Trainer } from '../../src/model/trainer';
import { fMulti as workerFMulti } from '../../src/worker/f-multi';
import { anomalyDefaults, anomalySigmas, evaluate, fitAnomalyModel, makeTestSet } from '../../src/core/mulde-pipeline';
import { alignConstant, densityWeights, levelSpread, levelSummaries, weightedRms } from '../../src/core/mulde-align';

/** Training steps: ~15 s on wasm here (≈ 30 ms a step on 2 cores). */
const STEPS = 500;
const preset = findPreset('three-blobs')!;
const spec = preset.spec;
const mixture = createMixture(spec);
// The page's training data: n points from the mixture with the run's seed (AppState.data).
const data = sampleMixture(mixture, preset.n, createRng(1)).x;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** The worker's f-multi on the trainer: n × L, row-major. */
const fMulti = (tr: Trainer, points: Float32Array, sigmas: number[]) => workerFMulti(tr, points, 2, sigmas);

interface Numbers {
  auc: number;
  exact: number;
  perfect: number;
  single: number[];
  gap: number;
  spread: number;
}

/** The panel's defaults: L = 6, k = 2, 500 + 500 test points (uniform over the view box, seed 1). */
async function lesson(tr: Trainer): Promise<Numbers> {
  const { levels: L, k, nTest } = anomalyDefaults;
  const sigmas = anomalySigmas(preset.sigmaMin, preset.sigmaMax, L);
  const test = makeTestSet(spec, { kind: 'uniform', n: nTest, seed: 1, box: preset.view });
  const scorer = fitAnomalyModel(await fMulti(tr, data, sigmas), L, k, 1);
  const vt = await fMulti(tr, test.x, sigmas);
  const ev = evaluate(spec, data, test, scorer(vt), sigmas, k, 1);
  const single = sigmas.map(
    (_, l) =>
      roc(
        Float64Array.from({ length: test.labels.length }, (_, i) => vt[i * L + l]),
        test.labels,
      ).auc,
  );
  // Log-density at σ = 0.3 on the panel's 40 × 40 grid.
  const g = grid2d(preset.view[0], preset.view[1], preset.view[2], preset.view[3], 40, 40);
  const pts = Float32Array.from(g.points);
  const exactLog = logpdf(smoothMixture(mixture, 0.3), pts);
  const negF = Float64Array.from(await tr.fOn(pts, 0.3), (v) => -v);
  const w = densityWeights(exactLog);
  const gap = weightedRms(negF, exactLog, w, alignConstant(negF, exactLog, w));
  const levels = anomalySigmas(preset.sigmaMin, preset.sigmaMax, 12);
  const spread = levelSpread(levelSummaries(await fMulti(tr, data, levels), 12));
  return { auc: ev.learned.auc, exact: ev.exact.auc, perfect: ev.perfectAuc, single, gap, spread };
}

const show = (n: Numbers) =>
  `AUC ${n.auc.toFixed(3)} (exact −log p ${n.exact.toFixed(3)}, GMM on exact vectors ${n.perfect.toFixed(3)}); ` +
  `f alone per level ${n.single.map((a) => a.toFixed(2)).join(' ')}; log-density gap at σ=0.3 ${n.gap.toFixed(2)} nats; ` +
  `level spread of f across σ ${n.spread.toFixed(2)} nats`;

describe('MULDE on three blobs (wasm, panel defaults)', () => {
  test(`${STEPS} steps: the anomaly score ranks uniform outliers about as well as the exact density`, async () => {
    const tr = createTrainer({
      method: 'mulde',
      data,
      dim: 2,
      width: 128,
      depth: 3,
      batchSize: 256,
      learningRate: 2e-3,
      sigmaMin: preset.sigmaMin,
      sigmaMax: preset.sigmaMax,
      beta: 0.1,
      seed: 1,
    });
    const before = await lesson(tr);
    const t0 = performance.now();
    for (let s = 0; s < STEPS; s += 100) expect((await tr.trainBurst(100)).status).toBe('ok');
    const ms = (performance.now() - t0) / STEPS;
    const after = await lesson(tr);
    console.log(`step 0: ${show(before)}\nstep ${STEPS} (${ms.toFixed(0)} ms/step): ${show(after)}`);
    const exactLevels = levelSpread(levelSummaries(exactAnomalyVectors(spec, data, anomalySigmas(preset.sigmaMin, preset.sigmaMax, 12)), 12));
    // Measured (seed 1): AUC 0.914 at 500 steps, exact 0.931; the pipeline with exact vectors gives
    // 0.915, so the network is no longer the bottleneck. Caveat, measured at step 0: the GMM on an
    // untrained net's vectors already reaches ≈ 0.90 here (any smooth, injective features of x
    // let a GMM model the 2D data), so the AUC alone does not show learning; f alone does:
    expect(after.auc).toBeGreaterThan(0.88);
    expect(after.auc).toBeGreaterThan(after.exact - 0.04);
    // f(·, σ ≈ 0.3) by itself, no GMM: chance-like untrained (≈ 0.54), ≈ 0.92 trained.
    expect(before.single[2]).toBeLessThan(0.7);
    expect(after.single[2]).toBeGreaterThan(0.85);
    // −f matches log q_σ up to a constant: RMS gap weighted by q_σ ≈ 0.53 nats, against 1.04 for an
    // untrained (near-constant) f, which is just the spread of log q_σ where the data are.
    expect(after.gap).toBeLessThan(0.8);
    expect(after.gap).toBeLessThan(0.7 * before.gap);
    // β = 0.1 lines the levels up: their means span ≈ 0.3 nats, less than the exact −log q_σ levels (1.7).
    expect(after.spread).toBeLessThan(Math.min(1, exactLevels));
    tr.dispose();
  }, 120_000);
});
