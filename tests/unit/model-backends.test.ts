/**
 * The wasm backend (Node): its fast path needs explicit transposes in the backward pass
 * (linalg.ts 'auto'), so the gradients are checked there too, and a seeded run must match the
 * cpu backend's.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { drawBatch } from '../../src/model/batch';
import { createMlp } from '../../src/model/mlp';
import { objectives } from '../../src/model/objectives';
import { denoisingLossAndGradient } from '../../src/model/backprop';
import { installWasmKernelFixes } from '../../src/model/wasm-kernels';
import { createTrainer } from '../../src/model/trainer';
import type { Method, NetConfig } from '../../src/model/types';
import { refLoss } from './model-reference';

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
  200,
  createRng(1),
).x;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('wasm backend', () => {
  for (const method of ['sm', 'ncsn', 'mulde'] as Method[])
    test(`${method} (tanh, 2D): loss and parameter gradient match the float64 reference`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const cfg: NetConfig = {
        dim: 2,
        head: method === 'mulde' ? 'energy' : 'score',
        width: 8,
        depth: 2,
        activation: 'tanh',
        conditional: true,
        frequencies: 0,
        center: [1, 1],
        scale: [1.5, 1.2],
      };
      const net = createMlp(cfg, createRng(2));
      const batch = drawBatch(method, data, 2, { batchSize: 6, sigma: 0.5, sigmaMin: 0.05, sigmaMax: 3, projection: 'gaussian', projections: 1 }, createRng(3));
      const opts = { beta: 0.2, varianceReduced: false };
      const { value, grads } = tf.variableGrads(() => objectives[method](net, batch, opts), [net.theta]);
      const loss = (await value.data())[0];
      const grad = await grads[net.theta.name].data();
      const theta = Float64Array.from(await net.getWeights());
      expect(Math.abs(loss - refLoss(method, cfg, theta, batch, opts))).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
      let err = 0;
      let scale = 0;
      for (let i = 0; i < theta.length; i++) {
        const t0 = theta[i];
        theta[i] = t0 + 1e-6;
        const lp = refLoss(method, cfg, theta, batch, opts);
        theta[i] = t0 - 1e-6;
        const lm = refLoss(method, cfg, theta, batch, opts);
        theta[i] = t0;
        err = Math.max(err, Math.abs(grad[i] - (lp - lm) / 2e-6));
        scale = Math.max(scale, Math.abs((lp - lm) / 2e-6));
      }
      // Same bound as on cpu (observed ~1e-7 relative).
      expect(err / scale).toBeLessThan(1e-3);
      tf.dispose([value, grads[net.theta.name]]);
      net.dispose();
    });

  test('ncsn (silu, 2D) by explicit backpropagation: loss and gradient match the float64 reference', async () => {
    const cfg: NetConfig = {
      dim: 2,
      head: 'score',
      width: 8,
      depth: 3,
      activation: 'silu',
      conditional: true,
      frequencies: 0,
      center: [1, 1],
      scale: [1.5, 1.2],
    };
    const net = createMlp(cfg, createRng(4));
    const batch = drawBatch('ncsn', data, 2, { batchSize: 6, sigma: 0.5, sigmaMin: 0.05, sigmaMax: 3, projection: 'gaussian', projections: 1 }, createRng(5));
    const opts = { beta: 0, varianceReduced: false };
    const r = tf.tidy(() => {
      const o = denoisingLossAndGradient(net, batch);
      return [tf.keep(o.loss), tf.keep(o.grad)];
    });
    const loss = (await r[0].data())[0];
    const grad = await r[1].data();
    const theta = Float64Array.from(await net.getWeights());
    expect(Math.abs(loss - refLoss('ncsn', cfg, theta, batch, opts))).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
    let err = 0;
    let scale = 0;
    for (let i = 0; i < theta.length; i++) {
      const t0 = theta[i];
      theta[i] = t0 + 1e-6;
      const lp = refLoss('ncsn', cfg, theta, batch, opts);
      theta[i] = t0 - 1e-6;
      const lm = refLoss('ncsn', cfg, theta, batch, opts);
      theta[i] = t0;
      err = Math.max(err, Math.abs(grad[i] - (lp - lm) / 2e-6));
      scale = Math.max(scale, Math.abs((lp - lm) / 2e-6));
    }
    expect(err / scale).toBeLessThan(1e-3);
    tf.dispose(r);
    net.dispose();
  });

  test('the faster wasm Slice / SplitV / Transpose give what the stock kernels give', async () => {
    const x = tf.tensor1d(Float32Array.from({ length: 1000 }, (_, i) => i * 0.5 - 3));
    const m = tf.tensor2d(
      Float32Array.from({ length: 70 }, (_, i) => i),
      [10, 7],
    );
    const cases = () => [
      ...tf.split(x, [3, 500, 1, 496]),
      tf.slice(x, [17], [40]),
      tf.slice(m, [2, 0], [3, 7]), // contiguous rows
      tf.slice(m, [2, 1], [3, 4]), // strided: stock kernel
      ...tf.split(m, [3, 4], 1), // along columns: stock kernel
      ...tf.split(m, [4, 6], 0),
      tf.transpose(m), // 10 × 7 → 7 × 10
      tf.transpose(tf.reshape(x, [40, 25])),
      tf.transpose(tf.reshape(x, [1000, 1])),
      tf.transpose(tf.reshape(x, [10, 10, 10]), [2, 0, 1]), // 3-D: stock kernel
      tf.transpose(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32')), // int32: stock kernel
    ];
    const stock = ['Slice', 'SplitV', 'Transpose'].map((k) => tf.getKernel(k, 'wasm')!.kernelFunc);
    const before = await Promise.all(cases().map(async (t) => ({ shape: t.shape, v: Array.from(await t.data()) })));
    installWasmKernelFixes();
    // The comparison means something only if "before" ran the stock kernels.
    expect(['Slice', 'SplitV', 'Transpose'].map((k) => tf.getKernel(k, 'wasm')!.kernelFunc === stock.shift())).toEqual([false, false, false]);
    installWasmKernelFixes(); // idempotent
    const after = await Promise.all(cases().map(async (t) => ({ shape: t.shape, v: Array.from(await t.data()) })));
    expect(after).toEqual(before);
  });

  test('a seeded NCSN run gives the same losses as on cpu, and memory stays flat', async () => {
    const run = async () => {
      const tr = createTrainer({ method: 'ncsn', data, dim: 2, width: 32, depth: 3, batchSize: 64, seed: 5 });
      const n0 = tf.memory().numTensors;
      const r = await tr.trainBurst(30);
      expect(tf.memory().numTensors).toBe(n0);
      tr.dispose();
      return r.losses;
    };
    const wasm = await run();
    await tf.setBackend('cpu');
    const cpu = await run();
    await tf.setBackend('wasm');
    // Identical batches and initial weights; only float32 rounding order differs between the
    // backends (measured: 1e-7 relative at step 1, 5e-7 at worst over 30 Adam steps).
    expect(Math.abs(wasm[0] - cpu[0])).toBeLessThan(1e-5 * Math.abs(cpu[0]));
    for (let i = 0; i < 30; i++) expect(Math.abs(wasm[i] - cpu[i])).toBeLessThan(1e-4 * Math.abs(cpu[i]));
  });
});
