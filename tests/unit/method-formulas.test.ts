/**
 * The formula each panel shows is the loss that is computed and plotted: for the denoising
 * objectives the displayed expression, evaluated term by term in float64 on the very batch and
 * weights (the network through the independent reference in model-reference.ts, MULDE's ∇ₓf by
 * central differences), equals objectives.ts's loss; and the displayed TeX carries the ½ and the
 * σ² weighting that make it so.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { drawBatch } from '../../src/model/batch';
import { createMlp } from '../../src/model/mlp';
import { objectives } from '../../src/model/objectives';
import type { Batch, Method, NetConfig } from '../../src/model/types';
import { methodInfo } from '../../src/ui/methods';
import { refNet } from './model-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dim = 2;
const data = sampleMixture(
  createMixture({
    weights: [1, 1],
    means: [
      [0, 0],
      [3, 2],
    ],
    covs: [
      [
        [1, 0.3],
        [0.3, 1],
      ],
      [
        [0.25, 0],
        [0, 0.5],
      ],
    ],
  }),
  64,
  createRng(4),
).x;
const beta = 0.3;

function config(method: Method): NetConfig {
  return {
    dim,
    head: method === 'mulde' ? 'energy' : 'score',
    width: 8,
    depth: 2,
    activation: 'tanh',
    conditional: method !== 'dsm',
    frequencies: 0,
    center: [0.5, 0.5],
    scale: [1.5, 1.5],
  };
}

/** ∇ₓ of the scalar reference net by central differences (float64, h = 1e-5: error ~1e-10). */
function gradF(c: NetConfig, theta: Float32Array, x: number[], sigma: number): number[] {
  const h = 1e-5;
  return x.map((_, j) => {
    const up = x.slice(),
      dn = x.slice();
    up[j] += h;
    dn[j] -= h;
    return (refNet(c, theta, up, sigma)[0] - refNet(c, theta, dn, sigma)[0]) / (2 * h);
  });
}

/**
 * The displayed formulas, term by term: DSM / NCSN ½ E[σ²‖s(x̃,σ) − (x − x̃)/σ²‖²];
 * MULDE E[σ²‖∇f(x̃,σ) + (x − x̃)/σ²‖²] + β E[f(x,σ)²].
 */
function displayed(method: Method, c: NetConfig, theta: Float32Array, b: Batch): number {
  let sum = 0;
  for (let i = 0; i < b.n; i++) {
    const s = b.sigma[i];
    const x = Array.from(b.x.subarray(i * dim, (i + 1) * dim));
    const xt = x.map((v, j) => v + s * b.z[i * dim + j]);
    const target = x.map((v, j) => (v - xt[j]) / (s * s));
    if (method === 'mulde') {
      const g = gradF(c, theta, xt, s);
      sum += s * s * g.reduce((a, gj, j) => a + (gj + target[j]) ** 2, 0) + beta * refNet(c, theta, x, s)[0] ** 2;
    } else {
      const out = refNet(c, theta, xt, s);
      sum += 0.5 * s * s * out.reduce((a, sj, j) => a + (sj - target[j]) ** 2, 0);
    }
  }
  return sum / b.n;
}

describe('the displayed formula is the computed loss', () => {
  for (const method of ['dsm', 'ncsn', 'mulde'] as const)
    test(method, async () => {
      const c = config(method);
      const net = createMlp(c, createRng(11));
      const batch = drawBatch(
        method,
        data,
        dim,
        { batchSize: 16, sigma: 0.5, sigmaMin: 0.05, sigmaMax: 3, projection: 'gaussian', projections: 1 },
        createRng(12),
      );
      const lossT = tf.tidy(() => objectives[method](net, batch, { beta, varianceReduced: false }));
      const loss = (await lossT.data())[0];
      const theta = (await net.getWeights()).slice() as Float32Array;
      lossT.dispose();
      net.dispose();
      // float32 graph against float64 loops (and a 1e-10 difference quotient): 1e-5 relative is generous.
      expect(Math.abs(loss - displayed(method, c, theta, batch))).toBeLessThan(1e-5 * Math.max(1, loss));
      const tex = methodInfo[method].loss;
      expect(tex.startsWith(String.raw`\tfrac12`)).toBe(method !== 'mulde');
      expect(tex).toContain(String.raw`\sigma^2\Big\lVert`);
      if (method === 'mulde') expect(tex).toContain(String.raw`\beta f_\theta(x,\sigma)^2`);
    });
});
