/**
 * Every method learns the score it should: trained with the page's defaults on each preset (wasm
 * backend, the page's seed and data), the relative Fisher divergence between the learned field
 * and the exact score of the σ-smoothed mixture falls below a stated bound, and far below the
 * untrained net's. The reference σ is the one each objective targets: 0 for SM and sliced SM
 * (the clean data), the trained σ for DSM, and σ = 0.3 and 1 for the noise-conditional NCSN and
 * MULDE (whose field is −∇ₓf).
 *
 *   D = Σᵢ q(xᵢ)‖s_θ(xᵢ) − ∇log q(xᵢ)‖² / Σᵢ q(xᵢ)‖∇log q(xᵢ)‖²   on the view grid
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { gridForView } from '../../src/core/grid';
import { presets } from '../../src/core/presets';
import { createTrainer } from '../../src/model/trainer';
import { METHODS, type Method } from '../../src/model/types';
import { ExactReference } from '../../src/worker/reference';
import { trainerConfigOf, trainingData } from '../../src/worker/run';
import type { RunConfig } from '../../src/worker/protocol';
import { defaults } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

/**
 * Steps per run: short of convergence, enough to separate learning from not learning. Exact and
 * sliced SM get fewer: on the 300 points of three-blobs they fit the sample, not the law, after a
 * few hundred steps (D 0.13 at 100 steps, 0.51 at 400, 25 at 1000 while the loss keeps falling),
 * which the SM panel's text tells students.
 */
const STEPS: Record<Method, number> = { sm: 200, ssm: 200, dsm: 400, ncsn: 400, mulde: 400 };

/**
 * Bounds on D, per preset and method: about 1.5–2× the value measured with seed 1 (in the log line
 * of each run). An untrained net scores D ≈ 1, and every run must also cut its starting D by 3×.
 */
const BOUND: Record<string, Record<Method, number>> = {
  'bimodal-1d': { sm: 0.08, ssm: 0.08, dsm: 0.07, ncsn: 0.18, mulde: 0.35 },
  'two-blobs': { sm: 0.12, ssm: 0.12, dsm: 0.1, ncsn: 0.16, mulde: 0.3 },
  'three-blobs': { sm: 0.25, ssm: 0.25, dsm: 0.18, ncsn: 0.3, mulde: 0.45 },
};

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

function pageConfig(method: Method, presetId: string): RunConfig {
  return runConfigOf(defaults(presetId), method);
}

for (const preset of presets) {
  describe(preset.id, () => {
    const dim = preset.view.length / 2;
    const grid = gridForView(preset.view, dim === 1 ? 200 : 40);
    const points = Float32Array.from(grid.points);
    const reference = new ExactReference(preset.spec);

    for (const method of METHODS) {
      const sigmas = method === 'sm' || method === 'ssm' ? [0] : method === 'dsm' ? [preset.dsmSigma] : [0.3, 1];
      test(`${method}: relative Fisher divergence at σ = ${sigmas.join(', ')} below ${BOUND[preset.id][method]}`, async () => {
        const c = pageConfig(method, preset.id);
        const tr = createTrainer(trainerConfigOf(c, trainingData(c)));
        const fisher = async () => Promise.all(sigmas.map(async (s) => reference.relativeFisher(points, s, await tr.scoreOn(points, s))));
        const before = await fisher();
        for (let done = 0; done < STEPS[method]; done += 100) expect((await tr.trainBurst(100)).status).toBe('ok');
        const after = await fisher();
        tr.dispose();
        console.log(
          `${preset.id} ${method}: D ${before.map((v) => v.toFixed(3)).join('/')} → ${after.map((v) => v.toFixed(4)).join('/')} after ${STEPS[method]} steps`,
        );
        after.forEach((d, i) => {
          expect(d).toBeLessThan(BOUND[preset.id][method]);
          expect(d).toBeLessThan(before[i] / 3);
        });
      }, 120_000);
    }
  });
}
