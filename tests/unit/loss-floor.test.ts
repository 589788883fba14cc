import { describe, it, expect } from 'vitest';
import { createMixture, pdf, sampleMixture, score, smoothMixture, type Mixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { createRng } from '../../src/core/rng';
import { SmoothedDerivatives, denoisingFloor, lossFloor, scoreMatchingFloor, slicedFloor, type FloorBatch } from '../../src/core/loss-floor';

const threeBlobs = () => createMixture(findPreset('three-blobs')!.spec);
const bimodal = () => createMixture(findPreset('bimodal-1d')!.spec);

/** The exact score of q_σ at one point through core/mixture (an independent path). */
function exactScore(m: Mixture, sigma: number, x: number[]): Float64Array {
  return score(smoothMixture(m, sigma), Float64Array.from(x)) as Float64Array;
}

/** A batch of n rows: x ~ p, z ~ N(0, I), v Gaussian, σ as given (one value or a function of the row). */
function batch(m: Mixture, n: number, seed: number, sigma: number | ((i: number) => number)): FloorBatch {
  const rng = createRng(seed);
  const d = m.dim;
  const x = sampleMixture(m, n, rng).x;
  const z = rng.fillNormal(new Float64Array(n * d));
  const v = rng.fillNormal(new Float64Array(n * d));
  const s = Float64Array.from({ length: n }, (_, i) => (typeof sigma === 'number' ? sigma : sigma(i)));
  return { n, x, sigma: s, z, v };
}

/** Mean and standard error of `f` over `k` independent batches (seeds seed … seed + k − 1). */
function meanAndError(k: number, f: (seed: number) => number, seed: number): { mean: number; se: number } {
  const v = Array.from({ length: k }, (_, i) => f(seed + i));
  const mean = v.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  return { mean, se: sd / Math.sqrt(k) };
}

describe('score and Hessian of log q_σ', () => {
  it('the score agrees with core/mixture for 1D and 2D mixtures at several σ (to 1e-12 relative)', () => {
    for (const m of [threeBlobs(), bimodal()]) {
      const at = new SmoothedDerivatives(m);
      const rng = createRng(3);
      for (const sigma of [0, 0.05, 0.7, 4])
        for (let t = 0; t < 20; t++) {
          const x = Array.from({ length: m.dim }, () => 8 * rng.normal());
          at.at(sigma, x[0], x[1]);
          const ref = exactScore(m, sigma, x);
          for (let a = 0; a < m.dim; a++) expect(Math.abs(at.g[a] - ref[a])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref[a])));
        }
    }
  });

  it('the Hessian agrees with central differences of the score (h = 1e-5: error ≤ 1e-6)', () => {
    const h = 1e-5;
    for (const m of [threeBlobs(), bimodal()]) {
      const at = new SmoothedDerivatives(m);
      const rng = createRng(5);
      for (const sigma of [0, 0.3, 2])
        for (let t = 0; t < 15; t++) {
          const x = Array.from({ length: m.dim }, () => 5 * rng.normal() + 2);
          at.at(sigma, x[0], x[1]);
          for (let b = 0; b < m.dim; b++) {
            const xp = x.slice(),
              xm = x.slice();
            xp[b] += h;
            xm[b] -= h;
            const sp = exactScore(m, sigma, xp),
              sm = exactScore(m, sigma, xm);
            for (let a = 0; a < m.dim; a++) {
              const fd = (sp[a] - sm[a]) / (2 * h);
              expect(Math.abs(at.h[a * m.dim + b] - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
            }
          }
        }
    }
  });
});

describe('the loss floors', () => {
  it('SM, 1D: ∫ p (½ s² + s′) dx equals −½ ∫ p s² dx (integration by parts, by quadrature to 1e-6)', () => {
    const m = bimodal();
    const xs = Float64Array.from({ length: 24001 }, (_, i) => -12 + i * 0.001);
    const p = pdf(m, xs);
    const s = score(m, xs);
    let lhs = 0,
      rhs = 0;
    for (let i = 0; i < xs.length; i++) {
      const w = (i === 0 || i === xs.length - 1 ? 0.5 : 1) * 0.001 * p[i];
      lhs += w * scoreMatchingFloor(m, { n: 1, x: [xs[i]], sigma: [0], z: [], v: [] });
      rhs += w * -0.5 * s[i] * s[i];
    }
    expect(rhs).toBeLessThan(-0.1);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-6);
  });

  it('SM, 2D: the batch floor averages to −½ E_p‖∇log p‖² (Monte Carlo, within 4 standard errors)', () => {
    const m = threeBlobs();
    const floor = meanAndError(60, (seed) => scoreMatchingFloor(m, batch(m, 2000, seed, 0)), 100);
    const fisher = meanAndError(
      60,
      (seed) => {
        const x = sampleMixture(m, 2000, createRng(seed)).x;
        const s = score(m, x);
        let sum = 0;
        for (let i = 0; i < s.length; i++) sum += s[i] * s[i];
        return (-0.5 * sum) / 2000;
      },
      900,
    );
    expect(floor.mean).toBeLessThan(-0.5);
    expect(Math.abs(floor.mean - fisher.mean)).toBeLessThan(4 * Math.hypot(floor.se, fisher.se));
  });

  it('DSM: the batch floor averages to ½(d − σ² E_{q_σ}‖∇log q_σ‖²) (Monte Carlo against draws of q_σ itself)', () => {
    for (const [m, sigma] of [
      [threeBlobs(), 0.5],
      [bimodal(), 0.3],
      [threeBlobs(), 3],
    ] as const) {
      const floor = meanAndError(50, (seed) => denoisingFloor(m, batch(m, 2000, seed, sigma)), 200);
      const q = smoothMixture(m, sigma);
      const ref = meanAndError(
        50,
        (seed) => {
          const x = sampleMixture(q, 2000, createRng(seed)).x;
          const s = score(q, x);
          let sum = 0;
          for (let i = 0; i < s.length; i++) sum += s[i] * s[i];
          return 0.5 * (m.dim - (sigma * sigma * sum) / 2000);
        },
        700,
      );
      expect(floor.mean).toBeGreaterThan(0);
      expect(floor.mean).toBeLessThan(m.dim / 2);
      expect(Math.abs(floor.mean - ref.mean)).toBeLessThan(4 * Math.hypot(floor.se, ref.se));
    }
  });

  it('NCSN: each row at its own σ matches ½‖σ ∇log q_σ(x + σz) + z‖² through core/mixture (to 1e-12)', () => {
    const m = threeBlobs();
    const b = batch(m, 40, 11, (i) => 0.05 * 1.15 ** i);
    let sum = 0;
    for (let i = 0; i < b.n; i++) {
      const sg = b.sigma[i];
      const xt = [0, 1].map((a) => b.x[2 * i + a] + sg * b.z[2 * i + a]);
      const s = exactScore(m, sg, xt);
      sum += 0.5 * ((sg * s[0] + b.z[2 * i]) ** 2 + (sg * s[1] + b.z[2 * i + 1]) ** 2);
    }
    expect(Math.abs(denoisingFloor(m, b) - sum / b.n)).toBeLessThan(1e-12 * (sum / b.n));
    expect(lossFloor('mulde', m, b)).toBeCloseTo(2 * lossFloor('ncsn', m, b), 12);
    expect(lossFloor('dsm', m, b)).toBe(lossFloor('ncsn', m, b));
  });

  it('SSM: the four Rademacher directions average exactly to the SM value at a point', () => {
    const m = threeBlobs();
    for (const x of [
      [0.3, -0.2],
      [4, 3],
      [-6, 9],
    ]) {
      const rows: FloorBatch = { n: 4, x: [...x, ...x, ...x, ...x], sigma: [0, 0, 0, 0], z: [], v: [1, 1, 1, -1, -1, 1, -1, -1] };
      const sm = scoreMatchingFloor(m, { n: 1, x, sigma: [0], z: [], v: [] });
      expect(slicedFloor(m, rows)).toBeCloseTo(sm, 10);
      expect(slicedFloor(m, rows, true)).toBeCloseTo(sm, 10);
      expect(lossFloor('ssm', m, rows)).toBe(slicedFloor(m, rows));
    }
  });

  it('SSM with Gaussian directions averages to the SM floor over a batch (within 4 standard errors)', () => {
    const m = bimodal();
    const sliced = meanAndError(50, (seed) => slicedFloor(m, batch(m, 2000, seed, 0)), 300);
    const sm = meanAndError(50, (seed) => scoreMatchingFloor(m, batch(m, 2000, seed, 0)), 300);
    expect(Math.abs(sliced.mean - sm.mean)).toBeLessThan(4 * Math.hypot(sliced.se, sm.se) + 1e-12);
  });

  it('a batch of the wrong shape is refused with what is wrong', () => {
    const m = threeBlobs();
    expect(() => denoisingFloor(m, { n: 2, x: [0, 0, 1, 1], sigma: [1, 1], z: [0, 0], v: [] })).toThrow(
      'invalid batch for the loss floor: z has 2 values, not 2 × 2',
    );
    expect(() => scoreMatchingFloor(m, { n: 2, x: [0, 0, 1], sigma: [0, 0], z: [], v: [] })).toThrow('x has 3 values');
    expect(() => slicedFloor(m, { n: 0, x: [], sigma: [], z: [], v: [] })).toThrow('0 rows');
  });
});
