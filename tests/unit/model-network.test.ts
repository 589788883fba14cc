import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../src/core/rng';
import { buildFeatures, createMlp, forward, mlpLayout } from '../../src/model/mlp';
import { ACTIVATIONS, type NetConfig } from '../../src/model/types';
import { refNet } from './model-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const configs: NetConfig[] = [
  { dim: 1, head: 'score', width: 12, depth: 2, activation: 'silu', conditional: false, frequencies: 0, center: [0.5], scale: [2] },
  { dim: 2, head: 'score', width: 10, depth: 3, activation: 'silu', conditional: true, frequencies: 0, center: [1, -1], scale: [2, 0.5] },
  { dim: 2, head: 'energy', width: 9, depth: 2, activation: 'silu', conditional: true, frequencies: 2, center: [0, 0], scale: [1, 1] },
];

async function netOutput(cfg: NetConfig, seed: number, x: Float32Array, sigma: Float32Array) {
  const net = createMlp(cfg, createRng(seed));
  const y = tf.tidy(() => {
    const f = net.features(x, sigma);
    return forward(net.params(), net.act, tf.tensor2d(f, [sigma.length, net.layout.nFeatures])).out;
  });
  const out = (await y.data()).slice();
  const theta = await net.getWeights();
  y.dispose();
  net.dispose();
  return { out, theta };
}

describe('MLP forward', () => {
  for (const act of ACTIVATIONS)
    for (const base of configs)
      test(`matches the float64 reference (${act}, ${base.dim}D ${base.head}, ${base.conditional ? 'conditional' : 'unconditional'})`, async () => {
        const cfg = { ...base, activation: act };
        const rng = createRng(7);
        const n = 20;
        const x = rng.fillNormal(new Float32Array(n * cfg.dim)) as Float32Array;
        for (let i = 0; i < x.length; i++) x[i] *= 3;
        const sigma = new Float32Array(n).map(() => 0.05 + 3 * rng.uniform());
        const { out, theta } = await netOutput(cfg, 11, x, sigma);
        const nOut = cfg.head === 'score' ? cfg.dim : 1;
        let maxErr = 0;
        let maxRef = 0;
        for (let i = 0; i < n; i++) {
          const ref = refNet(cfg, theta, x.subarray(i * cfg.dim, (i + 1) * cfg.dim), sigma[i]);
          for (let j = 0; j < nOut; j++) {
            maxErr = Math.max(maxErr, Math.abs(out[i * nOut + j] - ref[j]));
            maxRef = Math.max(maxRef, Math.abs(ref[j]));
          }
        }
        // float32 forward of a small MLP vs float64: a few ulp per layer, ~1e-6 relative.
        expect(maxErr / maxRef).toBeLessThan(1e-5);
      });
});

describe('MLP parameters', () => {
  test('layout and parameter count of the 3→128→128→128→2 NCSN net', () => {
    const cfg: NetConfig = {
      dim: 2,
      head: 'score',
      width: 128,
      depth: 3,
      activation: 'silu',
      conditional: true,
      frequencies: 0,
      center: [0, 0],
      scale: [1, 1],
    };
    const layout = mlpLayout(cfg);
    expect(layout.nFeatures).toBe(4); // x, y, log σ, 1
    expect(layout.pieces.map((p) => p.name)).toEqual(['W0', 'W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    // Same count as an ordinary MLP with separate biases: (3·128 + 128) + 2·(128² + 128) + (128·2 + 2).
    expect(layout.paramCount).toBe(3 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2);
    const net = createMlp(cfg, createRng(1));
    expect(net.paramCount).toBe(layout.paramCount);
    expect(net.theta.shape).toEqual([layout.paramCount]);
    net.dispose();
  });

  test('initial weights come from the seed', async () => {
    const cfg = configs[1];
    const a = createMlp(cfg, createRng(5));
    const b = createMlp(cfg, createRng(5));
    const c = createMlp(cfg, createRng(6));
    const [wa, wb, wc] = await Promise.all([a.getWeights(), b.getWeights(), c.getWeights()]);
    expect(wa).toEqual(wb);
    expect(wa).not.toEqual(wc);
    // Hidden weights ~ N(0, 1/width): the sample std of W1 lies within 20% of 1/√width.
    const w1 = wa.subarray(mlpLayout(cfg).nFeatures * cfg.width, mlpLayout(cfg).nFeatures * cfg.width + cfg.width * cfg.width);
    const sd = Math.sqrt(w1.reduce((s, v) => s + v * v, 0) / w1.length);
    expect(Math.abs(sd * Math.sqrt(cfg.width) - 1)).toBeLessThan(0.2);
    [a, b, c].forEach((n) => n.dispose());
  });

  test('weights round-trip through get/set and are validated', async () => {
    const net = createMlp(configs[0], createRng(2));
    const w = await net.getWeights();
    const changed = w.map((v, i) => v + 0.01 * i);
    net.setWeights(changed);
    expect(await net.getWeights()).toEqual(changed);
    // getWeights hands out a copy, not the backend's storage.
    const copy = await net.getWeights();
    copy[0] = 123;
    expect((await net.getWeights())[0]).not.toBe(123);
    expect(() => net.setWeights(new Float32Array(3))).toThrow(/invalid weights/);
    expect(() => net.setWeights(new Float32Array(w.length).fill(NaN))).toThrow(/invalid weights/);
    net.dispose();
  });

  test('features: standardised x, log σ, its sinusoidal embedding and the constant 1', () => {
    const cfg = configs[2];
    const f = buildFeatures({ ...cfg, center: [1, 2], scale: [2, 4] }, [3, 6], Math.E);
    // c = log e = 1, embedding sin(1), cos(1), sin(2), cos(2).
    const want = [1, 1, 1, Math.sin(1), Math.cos(1), Math.sin(2), Math.cos(2), 1];
    expect(Array.from(f).map((v) => +v.toFixed(6))).toEqual(want.map((v) => +v.toFixed(6)));
    expect(() => buildFeatures(cfg, [1, 2], 0)).toThrow(/invalid sigma/);
    expect(() => buildFeatures(cfg, [1, 2, 3], 1)).toThrow(/invalid points/);
  });

  test('invalid configurations throw', () => {
    const rng = createRng(1);
    expect(() => createMlp({ ...configs[0], depth: 0 }, rng)).toThrow(/invalid network/);
    expect(() => createMlp({ ...configs[0], frequencies: 2 }, rng)).toThrow(/needs a conditional net/);
    expect(() => createMlp({ ...configs[0], scale: [0] }, rng)).toThrow(/invalid network/);
    expect(() => createMlp({ ...configs[0], activation: 'relu' as never }, rng)).toThrow(/invalid activation/);
  });
});
