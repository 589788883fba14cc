/**
 * The input derivatives written as forward ops (forward-mode tangents, reverse δ) against central
 * finite differences of the float64 reference forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../src/core/rng';
import { directionTangents, inputGradient, oneHotTangents, slopes, tangentPass } from '../../src/model/derivatives';
import { setTransposeStrategy } from '../../src/model/linalg';
import { createMlp, forward, type Mlp } from '../../src/model/mlp';
import { ACTIVATIONS, type NetConfig } from '../../src/model/types';
import { refNet } from './model-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => setTransposeStrategy('auto'));

const H = 1e-5;
const n = 12;

function points(dim: number, seed: number) {
  const rng = createRng(seed);
  const x = (rng.fillNormal(new Float32Array(n * dim)) as Float32Array).map((v) => 2 * v);
  const sigma = new Float32Array(n).map(() => 0.1 + 2 * rng.uniform());
  const v = rng.fillNormal(new Float32Array(n * dim)) as Float32Array;
  return { x, sigma, v };
}

/** ∂y_k/∂x_j at one point by central differences of the float64 reference (h = 1e-5). */
function fdJacobian(cfg: NetConfig, theta: Float32Array, x: ArrayLike<number>, sigma: number): number[][] {
  const nOut = cfg.head === 'score' ? cfg.dim : 1;
  const jac = Array.from({ length: nOut }, () => new Array<number>(cfg.dim).fill(0));
  for (let j = 0; j < cfg.dim; j++) {
    const xp = Array.from(x);
    const xm = Array.from(x);
    xp[j] += H;
    xm[j] -= H;
    const yp = refNet(cfg, theta, xp, sigma);
    const ym = refNet(cfg, theta, xm, sigma);
    for (let k = 0; k < nOut; k++) jac[k][j] = (yp[k] - ym[k]) / (2 * H);
  }
  return jac;
}

async function run(net: Mlp, make: (net: Mlp) => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(() => make(net));
  const out = (await t.data()).slice() as Float32Array;
  t.dispose();
  return out;
}

function traceOf(net: Mlp, x: Float32Array, sigma: Float32Array) {
  const p = net.params();
  const tr = forward(p, net.act, tf.tensor2d(net.features(x, sigma), [sigma.length, net.layout.nFeatures]));
  return { p, tr };
}

function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    e = Math.max(e, Math.abs(got[i] - want[i]));
    m = Math.max(m, Math.abs(want[i]));
  }
  return e / m;
}

// Tolerance for float32 tangents vs float64 differences: observed ~1e-6; 1e-4 still fails on
// any missing factor (1/scale, a φ' of the wrong layer, a transposed weight).
const TOL = 1e-4;

for (const strategy of ['flags', 'explicit'] as const)
  for (const act of ACTIVATIONS)
    for (const dim of [1, 2] as const)
      describe(`input derivatives (${act}, ${dim}D, ${strategy} transposes)`, () => {
        const score: NetConfig = {
          dim,
          head: 'score',
          width: 10,
          depth: 3,
          activation: act,
          conditional: true,
          frequencies: 1,
          center: new Array(dim).fill(0.3),
          scale: new Array(dim).fill(1.7),
        };
        const energy: NetConfig = { ...score, head: 'energy' };
        const { x, sigma, v } = points(dim, 3);

        test('full Jacobian ∇ₓs from d stacked one-hot tangents (hence tr ∇ₓs)', async () => {
          setTransposeStrategy(strategy);
          const net = createMlp(score, createRng(4));
          const theta = await net.getWeights();
          const nF = net.layout.nFeatures;
          // Block j holds ∂s/∂x_j for every row.
          const jac = await run(net, (m) => {
            const { p, tr } = traceOf(m, x, sigma);
            return tangentPass(p, slopes(m.act, tr), tf.tensor2d(oneHotTangents(n, dim, nF, score.scale), [dim * n, nF]), dim);
          });
          const got: number[] = [];
          const want: number[] = [];
          for (let i = 0; i < n; i++) {
            const fd = fdJacobian(score, theta, x.subarray(i * dim, (i + 1) * dim), sigma[i]);
            for (let j = 0; j < dim; j++)
              for (let k = 0; k < dim; k++) {
                got.push(jac[(j * n + i) * dim + k]);
                want.push(fd[k][j]);
              }
          }
          expect(relErr(got, want)).toBeLessThan(TOL);
          net.dispose();
        });

        test('Jacobian–vector product vᵀ∇ₓs v', async () => {
          setTransposeStrategy(strategy);
          const net = createMlp(score, createRng(5));
          const theta = await net.getWeights();
          const nF = net.layout.nFeatures;
          const jv = await run(net, (m) => {
            const { p, tr } = traceOf(m, x, sigma);
            return tangentPass(p, slopes(m.act, tr), tf.tensor2d(directionTangents(v, dim, nF, score.scale), [n, nF]));
          });
          const got: number[] = [];
          const want: number[] = [];
          for (let i = 0; i < n; i++) {
            const fd = fdJacobian(score, theta, x.subarray(i * dim, (i + 1) * dim), sigma[i]);
            let g = 0;
            let w = 0;
            for (let k = 0; k < dim; k++) {
              g += v[i * dim + k] * jv[i * dim + k];
              for (let j = 0; j < dim; j++) w += v[i * dim + k] * fd[k][j] * v[i * dim + j];
            }
            got.push(g);
            want.push(w);
          }
          expect(relErr(got, want)).toBeLessThan(TOL);
          net.dispose();
        });

        test('∇ₓf of the scalar head by reverse δ', async () => {
          setTransposeStrategy(strategy);
          const net = createMlp(energy, createRng(6));
          const theta = await net.getWeights();
          const g = await run(net, (m) => {
            const { p, tr } = traceOf(m, x, sigma);
            return tf.div(inputGradient(p, slopes(m.act, tr), dim), tf.tensor2d(energy.scale, [1, dim]));
          });
          const want: number[] = [];
          for (let i = 0; i < n; i++) want.push(...fdJacobian(energy, theta, x.subarray(i * dim, (i + 1) * dim), sigma[i])[0]);
          expect(relErr(g, want)).toBeLessThan(TOL);
          net.dispose();
        });
      });
