/**
 * The relaxed-SIMD matrix product on the wasm backend (src/model/wasm-gemm.ts, wasm/kernels.wat) against
 * a float64 reference and the stock XNNPACK kernel, for the shapes the nets use and the edges of
 * the tiling; the products it must leave to the stock kernel; and the committed module's bytes.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../src/core/rng';
import { installWasmKernelFixes } from '../../src/model/wasm-kernels';
import { relaxedGemmInUse } from '../../src/model/wasm-gemm';
// @ts-expect-error: a plain ES module script without types
import { assemble } from '../../scripts/build-wasm.mjs';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

const rng = createRng(7);
const random = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

interface Case {
  name: string;
  m: number;
  k: number;
  n: number;
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: boolean;
  rank3?: boolean;
}

const cases: Case[] = [
  { name: 'the sampler’s hidden layer, 500×128·128×128', m: 500, k: 128, n: 128 },
  { name: 'a training batch with bias, 256×128·128×128 + b', m: 256, k: 128, n: 128, bias: true },
  { name: 'the input layer, 256×3·3×128', m: 256, k: 3, n: 128 },
  { name: 'a weight gradient, 128×256·256×128', m: 128, k: 256, n: 128 },
  { name: 'a row of ones, 1×256·256×128', m: 1, k: 256, n: 128 },
  { name: 'rows not a multiple of the tile, 7×5·5×16', m: 7, k: 5, n: 16 },
  { name: 'B transposed, 9×11·(24×11)ᵀ', m: 9, k: 11, n: 24, transposeB: true },
  { name: 'A transposed (a weight gradient hᵀ·G), (256×128)ᵀ·256×128', m: 128, k: 256, n: 128, transposeA: true },
  { name: 'both transposed, (5×6)ᵀ·(8×5)ᵀ', m: 6, k: 5, n: 8, transposeA: true, transposeB: true },
  { name: 'rank 3 with bias, 1×6×1·1×1×8 + b', m: 6, k: 1, n: 8, bias: true, rank3: true },
];

/** Float64 A·B + b, and Σₖ|aᵢₖ||bₖⱼ| + |bⱼ| for the error bound. */
function reference(a: Float32Array, b: Float32Array, bias: Float32Array | null, { m, k, n, transposeA, transposeB }: Case) {
  const value = new Float64Array(m * n);
  const size = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      let t = bias ? Math.abs(bias[j]) : 0;
      for (let p = 0; p < k; p++) {
        const bv = transposeB ? b[j * k + p] : b[p * n + j];
        const av = transposeA ? a[p * m + i] : a[i * k + p];
        s += av * bv;
        t += Math.abs(av * bv);
      }
      value[i * n + j] = s;
      size[i * n + j] = t;
    }
  return { value, size };
}

function product(c: Case, a: Float32Array, b: Float32Array, bias: Float32Array | null): tf.Tensor {
  const lead = c.rank3 ? [1] : [];
  const ta = tf.tensor(a, [...lead, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])]);
  const tb = tf.tensor(b, [...lead, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])]);
  if (bias) return tf.fused.matMul({ a: ta as tf.Tensor3D, b: tb as tf.Tensor3D, bias: tf.tensor1d(bias), transposeA: c.transposeA, transposeB: c.transposeB });
  return tf.matMul(ta, tb, c.transposeA, c.transposeB);
}

describe('relaxed-SIMD matrix product on wasm', () => {
  test('matches the float64 product within float32 accumulation error, and the stock kernel as closely', async () => {
    const inputs = cases.map((c) => ({ a: random(c.m * c.k), b: random(c.k * c.n), bias: c.bias ? random(c.n) : null }));
    const stock = inputs.map(({ a, b, bias }, i) => product(cases[i], a, b, bias).dataSync().slice());
    expect(relaxedGemmInUse()).toBe(false); // "stock" really is the stock kernel's
    installWasmKernelFixes();
    for (const [i, c] of cases.entries()) {
      const { a, b, bias } = inputs[i];
      const out = product(c, a, b, bias);
      expect(relaxedGemmInUse(), c.name).toBe(true);
      expect(out.shape, c.name).toEqual(c.rank3 ? [1, c.m, c.n] : [c.m, c.n]);
      const got = out.dataSync();
      const ref = reference(a, b, bias, c);
      // Each of the k + 1 roundings of a float32 sum errs by at most 2⁻²⁴ of the running total,
      // which never exceeds Σ|aᵢₖbₖⱼ| + |bⱼ|: |error| ≤ (k + 1)·2⁻²⁴·that (Higham, §3.1).
      const u = 2 ** -24;
      let worst = 0;
      let worstStock = 0;
      for (let j = 0; j < got.length; j++) {
        const bound = (c.k + 1) * u * ref.size[j];
        worst = Math.max(worst, Math.abs(got[j] - ref.value[j]) / bound);
        worstStock = Math.max(worstStock, Math.abs(got[j] - stock[i][j]) / (2 * bound));
      }
      expect(worst, c.name).toBeLessThanOrEqual(1);
      expect(worstStock, c.name).toBeLessThanOrEqual(1);
      // And not merely inside a loose bound: typical errors are a few ulps of the result.
      expect(
        got.every((v, j) => Math.abs(v - ref.value[j]) <= 1e-5 * ref.size[j] + 1e-30),
        c.name,
      ).toBe(true);
    }
  });

  test('leaves to the stock kernel what it does not take', () => {
    installWasmKernelFixes();
    const t = (shape: number[]) => tf.tensor(random(shape.reduce((p, d) => p * d, 1)), shape);
    const stockCases: [string, () => tf.Tensor][] = [
      ['N not a multiple of 8 (an output layer)', () => tf.matMul(t([4, 128]), t([128, 2]))],
      ['a batch of 2', () => tf.matMul(t([2, 4, 3]), t([2, 3, 8]))],
      ['an activation', () => tf.fused.matMul({ a: t([4, 3]) as tf.Tensor2D, b: t([3, 8]) as tf.Tensor2D, activation: 'relu' })],
    ];
    for (const [name, run] of stockCases) {
      tf.matMul(t([4, 3]), t([3, 8])); // taken: resets the flag
      expect(relaxedGemmInUse(), name).toBe(true);
      run();
      expect(relaxedGemmInUse(), name).toBe(false);
    }
    // The stock kernel's own message for what neither takes.
    expect(() => tf.matMul(tf.ones([4, 3], 'int32'), tf.ones([3, 8], 'int32'))).toThrow(/non-float32/);
  });

  test('frees what it allocates: the heap does not grow over repeated products', () => {
    installWasmKernelFixes();
    const a = tf.tensor(random(256 * 128), [256, 128]);
    const b = tf.tensor(random(128 * 128), [128, 128]);
    const once = () => tf.tidy(() => tf.sum(tf.matMul(a, b)).dataSync());
    once();
    const before = tf.memory();
    for (let i = 0; i < 50; i++) once();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  test('the committed module is kernels.wat assembled', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(new URL('../../src/model/wasm/kernels-bytes.ts', import.meta.url), 'utf8')).toBe(await assemble());
  });
});
