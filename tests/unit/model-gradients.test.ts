/**
 * The tape-free losses and gradients of SM, sliced SM and MULDE (gradients.ts, tangent-backprop.ts)
 * against the float64 reference loss, central finite differences of it, and the tape
 * (objectives.ts through variableGrads), for every activation, in 1D and 2D, with both transpose
 * strategies on cpu and on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { drawBatch, type BatchSettings } from '../../src/model/batch';
import { lossAndGradient } from '../../src/model/gradients';
import { setTransposeStrategy } from '../../src/model/linalg';
import { createMlp } from '../../src/model/mlp';
import { objectives } from '../../src/model/objectives';
import { ACTIVATIONS, type Activation, type Batch, type Method, type NetConfig, type ObjectiveOptions } from '../../src/model/types';
import { fdGradientError, refLoss } from './model-reference';

afterAll(() => setTransposeStrategy('auto'));

const settings: BatchSettings = { batchSize: 5, sigma: 0.4, sigmaMin: 0.05, sigmaMax: 3, projection: 'gaussian', projections: 2 };

/** Points of a skewed two-component mixture in 1D or 2D. */
function data(dim: 1 | 2): Float32Array {
  const spec =
    dim === 1
      ? { weights: [0.6, 0.4], means: [[-1], [2]], covs: [[[0.3]], [[1.5]]] }
      : {
          weights: [2, 1],
          means: [
            [-1, 0.5],
            [2, 1],
          ],
          covs: [
            [
              [0.8, -0.2],
              [-0.2, 1.2],
            ],
            [
              [0.4, 0],
              [0, 0.3],
            ],
          ],
        };
  return sampleMixture(createMixture(spec), 50, createRng(11)).x;
}

/** Three hidden layers of 7 (the φ'' terms of every layer are exercised), uneven input scales. */
function netConfig(method: Method, dim: 1 | 2, activation: Activation): NetConfig {
  const head = method === 'mulde' ? 'energy' : 'score';
  const scale = dim === 1 ? [1.5] : [1.5, 0.8];
  return {
    dim,
    head,
    width: 7,
    depth: 3,
    activation,
    conditional: method !== 'ssm',
    frequencies: method === 'mulde' ? 1 : 0,
    center: scale.map(() => 0.5),
    scale,
  };
}

interface Result {
  loss: number;
  grad: Float32Array;
}

async function explicit(method: Method, cfg: NetConfig, batch: Batch, opts: ObjectiveOptions, seed: number): Promise<Result & { theta: Float32Array }> {
  const net = createMlp(cfg, createRng(seed));
  const r = tf.tidy(() => {
    const o = lossAndGradient[method](net, batch, opts);
    return [tf.keep(o.loss), tf.keep(o.grad)];
  });
  const out = { loss: (await r[0].data())[0], grad: (await r[1].data()).slice() as Float32Array, theta: await net.getWeights() };
  tf.dispose(r);
  net.dispose();
  return out;
}

async function tape(method: Method, cfg: NetConfig, batch: Batch, opts: ObjectiveOptions, seed: number): Promise<Result> {
  const net = createMlp(cfg, createRng(seed));
  const { value, grads } = tf.variableGrads(() => objectives[method](net, batch, opts), [net.theta]);
  const out = { loss: (await value.data())[0], grad: (await grads[net.theta.name].data()).slice() as Float32Array };
  tf.dispose([value, grads[net.theta.name]]);
  net.dispose();
  return out;
}

const variants: { method: Method; opts: ObjectiveOptions; label: string }[] = [
  { method: 'sm', opts: { beta: 0, varianceReduced: false }, label: 'sm' },
  { method: 'ssm', opts: { beta: 0, varianceReduced: false }, label: 'ssm' },
  { method: 'ssm', opts: { beta: 0, varianceReduced: true }, label: 'ssm (variance-reduced)' },
  { method: 'mulde', opts: { beta: 0.3, varianceReduced: false }, label: 'mulde' },
  { method: 'mulde', opts: { beta: 0, varianceReduced: false }, label: 'mulde (β = 0)' },
];

const worst = { fd: 0, tape: 0 };
afterAll(() => console.log('tape-free gradients, worst relative error vs finite differences / vs tape:', JSON.stringify(worst)));

for (const backend of ['cpu', 'wasm'] as const)
  for (const strategy of backend === 'cpu' ? (['flags', 'explicit'] as const) : (['auto'] as const))
    describe(`tape-free gradients on ${backend} (${strategy} transposes)`, () => {
      for (const act of ACTIVATIONS)
        for (const { method, opts, label } of variants)
          for (const dim of [1, 2] as const)
            test(`${label} ${dim}D ${act}: loss = reference, gradient = finite differences = tape`, async () => {
              expect(await tf.setBackend(backend)).toBe(true);
              setTransposeStrategy(strategy);
              const cfg = netConfig(method, dim, act);
              const seed = 70 + dim;
              const batch = drawBatch(method, data(dim), dim, settings, createRng(seed + 1));
              const e = await explicit(method, cfg, batch, opts, seed);
              const t = await tape(method, cfg, batch, opts, seed);
              const ref = refLoss(method, cfg, Float64Array.from(e.theta), batch, opts);
              // float32 graph vs float64 loops on the same batch: ~1e-7 relative.
              expect(Math.abs(e.loss - ref)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref)));
              expect(e.grad.length).toBe(t.grad.length);
              const fd = fdGradientError(method, cfg, e.theta, batch, opts, e.grad);
              // Same bound as the tape's own check (model-objectives.test.ts).
              expect(fd).toBeLessThan(1e-3);
              // Same math as the tape, other rounding order: agree to float32 precision.
              const scale = Math.max(...Array.from(t.grad, Math.abs));
              const diff = Math.max(...Array.from(e.grad, (v, i) => Math.abs(v - t.grad[i])));
              worst.fd = Math.max(worst.fd, fd);
              worst.tape = Math.max(worst.tape, diff / scale);
              expect(diff / scale).toBeLessThan(1e-5);
            });
    });
