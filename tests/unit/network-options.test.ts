/**
 * The network's options in the trainer. The activation defaults to the method's own (GELU for
 * MULDE, as in its paper; SiLU otherwise). NCSN's and MULDE's sinusoidal σ embedding: a page setting reaches the network through the
 * worker's trainer config, the net's input row is [x̂, c, sin(2ʲc), cos(2ʲc) (j < k), 1] with
 * c = log σ (checked against a direct float64 computation), and such nets train.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMixture, sampleMixture, score, smoothMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { createTrainer } from '../../src/model/trainer';
import type { Mlp } from '../../src/model/mlp';
import { trainerConfigOf } from '../../src/worker/run';
import { runConfigOf } from '../../src/ui/state/run-config';
import { defaults } from '../../src/ui/state/settings';

const spec = { weights: [0.5, 0.5], means: [[-2], [2]], covs: [[[0.25]], [[0.25]]] };
const data = sampleMixture(createMixture(spec), 300, createRng(3)).x;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('σ embedding', () => {
  test('a k = 3 setting gives the conditional net the row [x̂, c, sin(2ʲc), cos(2ʲc), 1] (to float32 rounding, 1e-6)', () => {
    const rc = runConfigOf({ ...defaults('two-blobs'), frequencies: 3, width: 8, depth: 1 }, 'ncsn');
    const tr = createTrainer(trainerConfigOf(rc, sampleMixture(createMixture(rc.dataset), 200, createRng(1)).x));
    const net = tr.net as Mlp;
    expect(net.layout.nFeatures).toBe(2 + 1 + 2 * 3 + 1);
    const x = [0.3, -1.2, 2.5, 0.7];
    const sigma = [0.05, 3];
    const f = net.features(Float32Array.from(x), Float32Array.from(sigma));
    const { center, scale } = net.config;
    for (let i = 0; i < 2; i++) {
      const c = Math.log(sigma[i]);
      const want = [(x[2 * i] - center[0]) / scale[0], (x[2 * i + 1] - center[1]) / scale[1], c];
      for (const j of [0, 1, 2]) want.push(Math.sin(2 ** j * c), Math.cos(2 ** j * c));
      want.push(1);
      want.forEach((v, k) => expect(Math.abs(f[i * 10 + k] - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v))));
    }
    tr.dispose();
  });

  test('an unconditional method gets no embedding from the same settings', () => {
    const rc = runConfigOf({ ...defaults('bimodal-1d'), frequencies: 3 }, 'dsm');
    expect(trainerConfigOf(rc, data).frequencies).toBe(0);
  });

  for (const method of ['ncsn', 'mulde'] as const)
    test(`${method} with k = 2 trains: its field at σ = 0.3 and 1 comes nearer the exact score of q_σ (600 steps, rms error halved at least)`, async () => {
      const tr = createTrainer({
        method,
        data,
        dim: 1,
        frequencies: 2,
        width: 32,
        depth: 2,
        batchSize: 128,
        learningRate: 1e-2,
        sigmaMin: 0.1,
        sigmaMax: 3,
        seed: 4,
      });
      const grid = Float32Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
      const error = async () => {
        let e = 0;
        for (const sigma of [0.3, 1]) {
          const exact = score(smoothMixture(createMixture(spec), sigma), grid);
          const s = await tr.scoreOn(grid, sigma);
          e += s.reduce((a, v, i) => a + (v - exact[i]) ** 2, 0) / grid.length;
        }
        return Math.sqrt(e / 2);
      };
      const before = await error();
      for (let b = 0; b < 15; b++) expect((await tr.trainBurst(40)).status).toBe('ok');
      const after = await error();
      // Measured: rms 2.38 → 1.02 (NCSN), 2.37 → 0.95 (MULDE); an untrained net does not move.
      expect(after).toBeLessThan(0.5 * before);
      tr.dispose();
    });

  test('the activation defaults to GELU for MULDE and SiLU for the rest; an explicit one wins', () => {
    for (const [method, want] of [
      ['mulde', 'gelu'],
      ['ncsn', 'silu'],
      ['dsm', 'silu'],
      ['sm', 'silu'],
      ['ssm', 'silu'],
    ] as const) {
      const tr = createTrainer({ method, data, dim: 1, width: 4, depth: 1 });
      expect(tr.net.config.activation, method).toBe(want);
      tr.dispose();
    }
    const tanh = createTrainer({ method: 'mulde', data, dim: 1, width: 4, depth: 1, activation: 'tanh' });
    expect(tanh.net.config.activation).toBe('tanh');
    tanh.dispose();
  });
});
