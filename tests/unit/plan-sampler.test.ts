/**
 * The device sampler (model/plan-sampler.ts) against the host driver: the same plan, seed and
 * weights through `planSampler` + `trainer.scoreOn` (features built in JS, update in float64 on the
 * host, one read-back per update) must give the same particles and trail frames, up to float32
 * rounding of the on-device update, for both network heads and any chunking, on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import {
  annealedLangevinPlan,
  langevinPlan,
  planSampler,
  predictorCorrectorPlan,
  priorParticles,
  probabilityFlowPlan,
  reverseSdePlan,
  runSamplerAsync,
  type BaseSamplerOptions,
  type PlanStep,
} from '../../src/core/samplers';
import { createTrainer, type Trainer } from '../../src/model/trainer';
import { runPlanOnDevice } from '../../src/model/plan-sampler';

const data = sampleMixture(
  createMixture({
    weights: [1, 1],
    means: [
      [0, 0],
      [3, 2],
    ],
    covs: [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0.25, 0],
        [0, 0.25],
      ],
    ],
  }),
  64,
  createRng(2),
).x;
const range = { sigmaMin: 0.1, sigmaMax: 3 };

async function trained(method: 'ncsn' | 'mulde'): Promise<Trainer> {
  const tr = createTrainer({ method, data, dim: 2, width: 16, depth: 2, batchSize: 32, seed: 3, ...range });
  await tr.trainBurst(20);
  return tr;
}

/** Host reference and device run of one plan from the same seed; returns both results. */
type Base = BaseSamplerOptions;

async function both(tr: Trainer, plan: (base: Base) => PlanStep[], maxChunk: number) {
  const start = (seed: number) => {
    const rng = createRng(seed);
    return { x0: priorParticles(40, data, 2, 3, rng), dim: 2 as const, rng, trails: { every: 3, maxFrames: 400 } };
  };
  const a = start(7);
  const host = await runSamplerAsync(planSampler(a, plan(a)), (x, s) => tr.scoreOn(x, s));
  const b = start(7);
  const device = await runPlanOnDevice(tr.net, await tr.getWeights(), plan(b), { ...b, maxChunk });
  return { host, device };
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

// The cpu backend, and wasm: its kernels (XNNPACK) are the ones the page's sampler runs on.
describe.each(['cpu', 'wasm'])('the device sampler on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  for (const method of ['ncsn', 'mulde'] as const)
    test(`${method}: annealed Langevin matches the host driver (positions and trails), any chunking`, async () => {
      const tr = await trained(method);
      const n0 = tf.memory().numTensors;
      for (const maxChunk of [1, 7, 64]) {
        const { host, device } = await both(tr, (o) => annealedLangevinPlan({ ...o, ...range, levels: 4, stepsPerLevel: 10, eps: 1e-3 }), maxChunk);
        // float32 update on the device vs float64 on the host, over 40 steps: a few ulps per step.
        expectClose(device.x, host.x, 1e-4);
        expect(device.steps).toBe(host.steps);
        expect(device.trails!.frames).toBe(host.trails!.frames);
        expect(device.trails!.sigmas).toEqual(host.trails!.sigmas);
        expectClose(device.trails!.data, host.trails!.data, 1e-4);
      }
      expect(tf.memory().numTensors).toBe(n0);
      tr.dispose();
    });

  test('Langevin, reverse SDE, probability flow and predictor–corrector plans match too', async () => {
    const tr = await trained('ncsn');
    const plans: ((o: Base) => PlanStep[])[] = [
      (o) => langevinPlan({ ...o, sigma: 0.1, steps: 12, stepSize: 1e-3 }),
      (o) => reverseSdePlan({ ...o, ...range, levels: 15 }),
      (o) => probabilityFlowPlan({ ...o, ...range, levels: 15 }),
      // The corrector's step size is computed on the device from the score's norm, with no read-back.
      (o) => predictorCorrectorPlan({ ...o, ...range, levels: 6, correctorSteps: 2, snr: 0.16 }),
    ];
    for (const plan of plans) {
      const { host, device } = await both(tr, plan, 5);
      expectClose(device.x, host.x, 1e-4);
    }
    tr.dispose();
  });

  test('an abort between chunks rejects with its reason and frees every tensor', async () => {
    const tr = await trained('ncsn');
    const n0 = tf.memory().numTensors;
    const rng = createRng(1);
    const o = { x0: priorParticles(30, data, 2, 3, rng), dim: 2 as const, rng };
    const signal = { aborted: false, reason: new Error('stop') as unknown };
    let chunks = 0;
    const run = runPlanOnDevice(tr.net, await tr.getWeights(), annealedLangevinPlan({ ...o, ...range, levels: 5, stepsPerLevel: 20 }), {
      ...o,
      maxChunk: 4,
      onChunk: () => {
        if (++chunks === 3) signal.aborted = true;
      },
      signal,
    });
    await expect(run).rejects.toThrow('stop');
    expect(chunks).toBe(3);
    expect(tf.memory().numTensors).toBe(n0);
    tr.dispose();
  });
});
