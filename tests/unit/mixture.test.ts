import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/rng';
import {
  createMixture,
  smoothMixture,
  logpdf,
  pdf,
  score,
  responsibilities,
  sampleMixture,
  logSumExp,
  MAX_COMPONENTS,
  type Mixture,
} from '../../src/core/mixture';
import { presets, findPreset } from '../../src/core/presets';

const threeBlobs = () => createMixture(findPreset('three-blobs')!.spec);

/** Central finite differences of logpdf in float64: error O(h²) ≈ 1e-8 relative with h = 1e-4. */
function fdScore(m: Mixture, x: Float64Array, h = 1e-4): Float64Array {
  const d = m.dim;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = x.slice(),
      xm = x.slice();
    xp[i] += h;
    xm[i] -= h;
    const p = logpdf(m, xp),
      q = logpdf(m, xm);
    out[i] = (p[Math.floor(i / d)] - q[Math.floor(i / d)]) / (2 * h);
  }
  return out;
}

describe('Gaussian mixtures', () => {
  it('a single 1D Gaussian has the textbook log-density and score', () => {
    const m = createMixture({ weights: [1], means: [[2]], covs: [[[4]]] });
    const x = new Float64Array([-1, 0, 2, 5]);
    const lp = logpdf(m, x);
    const s = score(m, x);
    for (let i = 0; i < x.length; i++) {
      expect(lp[i]).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4) - (x[i] - 2) ** 2 / 8, 12);
      expect(s[i]).toBeCloseTo(-(x[i] - 2) / 4, 12);
    }
  });

  it('a 2D full-covariance Gaussian matches the closed form', () => {
    const C = [
      [2, 0.6],
      [0.6, 1],
    ];
    const m = createMixture({ weights: [3], means: [[1, -1]], covs: [C] });
    const det = 2 * 1 - 0.36;
    const P = [
      [1 / det, -0.6 / det],
      [-0.6 / det, 2 / det],
    ];
    const x = new Float64Array([0.3, 0.7]);
    const r = [x[0] - 1, x[1] + 1];
    const quad = r[0] * (P[0][0] * r[0] + P[0][1] * r[1]) + r[1] * (P[1][0] * r[0] + P[1][1] * r[1]);
    expect(logpdf(m, x)[0]).toBeCloseTo(-Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quad, 12);
    const s = score(m, x);
    expect(s[0]).toBeCloseTo(-(P[0][0] * r[0] + P[0][1] * r[1]), 12);
    expect(s[1]).toBeCloseTo(-(P[1][0] * r[0] + P[1][1] * r[1]), 12);
  });

  it.each(presets.map((p) => [p.id, p] as const))('score of %s equals finite differences of logpdf, clean and smoothed', (_, p) => {
    const m = createMixture(p.spec);
    const rng = createRng(5);
    const n = 200;
    const x = new Float64Array(n * m.dim);
    // Points across the view box, tails included.
    for (let i = 0; i < n; i++)
      for (let a = 0; a < m.dim; a++) {
        const lo = p.view[2 * a],
          hi = p.view[2 * a + 1];
        x[i * m.dim + a] = lo + (hi - lo) * rng.uniform();
      }
    for (const sigma of [0, 0.3, 2]) {
      const q = smoothMixture(m, sigma);
      const exact = score(q, x);
      const fd = fdScore(q, x);
      for (let i = 0; i < x.length; i++) expect(Math.abs(exact[i] - fd[i])).toBeLessThan(1e-6 * (1 + Math.abs(fd[i])));
    }
  });

  it('stays finite far in the tails (log-sum-exp), where a naive sum underflows to 0/0', () => {
    const m = threeBlobs();
    const x = new Float64Array([200, -300, -1e3, 1e3]);
    const lp = logpdf(m, x);
    const s = score(m, x);
    for (const v of [...lp, ...s]) expect(Number.isFinite(v)).toBe(true);
    expect(lp[0]).toBeLessThan(-1e3);
    // Far out a single component dominates: the score points back toward the data.
    expect(s[0]).toBeLessThan(0);
    expect(s[1]).toBeGreaterThan(0);
  });

  it('pdf integrates to 1 on a grid (1D and 2D)', () => {
    const m1 = createMixture(findPreset('bimodal-1d')!.spec);
    const xs = new Float64Array(4001).map((_, i) => -15 + (30 * i) / 4000);
    const p1 = pdf(m1, xs);
    expect(p1.reduce((a, b) => a + b, 0) * (30 / 4000)).toBeCloseTo(1, 6);
    const m2 = threeBlobs();
    const n = 301;
    const pts = new Float64Array(n * n * 2);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        pts[2 * (j * n + i)] = -15 + (35 * i) / (n - 1);
        pts[2 * (j * n + i) + 1] = -12 + (30 * j) / (n - 1);
      }
    const p2 = pdf(m2, pts);
    // Midpoint-style sum on a fine grid of smooth Gaussians: error ≪ 1e-4.
    expect(p2.reduce((a, b) => a + b, 0) * (35 / (n - 1)) * (30 / (n - 1))).toBeCloseTo(1, 4);
  });

  it('samples have the mixture moments, and smoothing adds σ²I to the covariance', () => {
    const m = threeBlobs();
    const rng = createRng(9);
    const n = 100_000;
    const sigma = 1.5;
    const q = smoothMixture(m, sigma);
    const { x, labels } = sampleMixture(q, n, rng);
    // Mixture mean and covariance: E[x] = Σ w μ, Cov = Σ w (Σ_k + μμᵀ) − E[x]E[x]ᵀ.
    const mean = [0, 0],
      S = [
        [0, 0],
        [0, 0],
      ];
    for (let k = 0; k < m.k; k++) {
      const mu = m.spec.means[k],
        C = q.spec.covs[k],
        w = m.weights[k];
      for (let a = 0; a < 2; a++) {
        mean[a] += w * mu[a];
        for (let b = 0; b < 2; b++) S[a][b] += w * (C[a][b] + mu[a] * mu[b]);
      }
    }
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) S[a][b] -= mean[a] * mean[b];
    const em = [0, 0],
      eS = [
        [0, 0],
        [0, 0],
      ];
    for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) em[a] += x[2 * i + a] / n;
    for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) eS[a][b] += ((x[2 * i + a] - em[a]) * (x[2 * i + b] - em[b])) / n;
    // Variances here are ≈ 15; SE of a mean ≈ sqrt(15/n) ≈ 0.012, of a covariance entry ≈ 15·sqrt(2/n) ≈ 0.07.
    for (let a = 0; a < 2; a++) expect(Math.abs(em[a] - mean[a])).toBeLessThan(0.06);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(Math.abs(eS[a][b] - S[a][b])).toBeLessThan(0.3);
    // Component labels follow the weights: SE of a share ≈ 1.5e-3.
    const counts = [0, 0, 0];
    for (const l of labels) counts[l]++;
    for (const c of counts) expect(Math.abs(c / n - 1 / 3)).toBeLessThan(0.008);
  });

  it('the smoothed mixture equals the density of noisy samples (per-component covariance Σ_k + σ²I)', () => {
    const m = createMixture({
      weights: [1],
      means: [[1, 2]],
      covs: [
        [
          [1, 0.5],
          [0.5, 2],
        ],
      ],
    });
    const q = smoothMixture(m, 0.7);
    expect(q.spec.covs[0]).toEqual(
      [
        [1 + 0.49, 0.5],
        [0.5, 2 + 0.49],
      ].map((r) => r.map((v) => expect.closeTo(v, 12))),
    );
    // Noisy samples x + σz have the smoothed covariance.
    const rng = createRng(2);
    const { x } = sampleMixture(m, 50_000, rng);
    let v0 = 0;
    for (let i = 0; i < 50_000; i++) v0 += (x[2 * i] + 0.7 * rng.normal() - 1) ** 2;
    // SE of a variance estimate ≈ 1.49·sqrt(2/50000) ≈ 0.0094.
    expect(Math.abs(v0 / 50_000 - 1.49)).toBeLessThan(0.04);
  });

  it('responsibilities sum to 1 and pick the nearest blob', () => {
    const m = threeBlobs();
    const r = responsibilities(m, new Float64Array([0, 0, 6, 6, -4, 5]));
    for (let i = 0; i < 3; i++) {
      expect(r[3 * i] + r[3 * i + 1] + r[3 * i + 2]).toBeCloseTo(1, 12);
      expect(r[3 * i + i]).toBeGreaterThan(0.99);
    }
  });

  it('logSumExp is exact on large magnitudes', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.log(2), 10);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
  });

  describe('validation refuses bad specs with a clear message', () => {
    const ok = {
      weights: [1],
      means: [[0, 0]],
      covs: [
        [
          [1, 0],
          [0, 1],
        ],
      ],
    };
    it.each([
      ['no components', { weights: [], means: [], covs: [] }, /at least one/],
      [
        'too many',
        { weights: new Array(MAX_COMPONENTS + 1).fill(1), means: new Array(MAX_COMPONENTS + 1).fill([0]), covs: new Array(MAX_COMPONENTS + 1).fill([[1]]) },
        /at most 16/,
      ],
      ['zero weight', { ...ok, weights: [0] }, /weight 1 is 0/],
      ['negative weight', { ...ok, weights: [-1] }, /positive/],
      ['NaN weight', { ...ok, weights: [NaN] }, /weight 1 is NaN/],
      ['NaN mean', { ...ok, means: [[0, NaN]] }, /non-finite/],
      ['3D', { ...ok, means: [[0, 0, 0]] }, /dimension 3/],
      [
        'mismatched dims',
        {
          weights: [1, 1],
          means: [[0, 0], [1]],
          covs: [
            [
              [1, 0],
              [0, 1],
            ],
            [[1]],
          ],
        },
        /mean 2 must have 2/,
      ],
      ['count mismatch', { ...ok, covs: [] }, /1 weights but 1 means and 0/],
      [
        'not PD',
        {
          ...ok,
          covs: [
            [
              [1, 2],
              [2, 1],
            ],
          ],
        },
        /not positive definite/,
      ],
      [
        'singular',
        {
          ...ok,
          covs: [
            [
              [1, 1],
              [1, 1],
            ],
          ],
        },
        /not positive definite/,
      ],
      [
        'asymmetric',
        {
          ...ok,
          covs: [
            [
              [1, 0.2],
              [0.1, 1],
            ],
          ],
        },
        /not symmetric/,
      ],
      ['negative variance 1D', { weights: [1], means: [[0]], covs: [[[-1]]] }, /variance must be positive/],
      ['wrong cov shape', { ...ok, covs: [[[1, 0]]] }, /2×2/],
    ])('%s', (_, spec, msg) => {
      expect(() => createMixture(spec as never)).toThrow(msg);
      expect(() => createMixture(spec as never)).toThrow(/^invalid mixture: /);
    });
    it('rejects a bad σ for smoothing', () => {
      expect(() => smoothMixture(threeBlobs(), -1)).toThrow(/invalid sigma/);
      expect(() => smoothMixture(threeBlobs(), NaN)).toThrow(/invalid sigma/);
    });
  });
});
