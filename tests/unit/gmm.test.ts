import { describe, it, expect } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng';
import { createMixture, logpdf as mixtureLogpdf } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { cholesky, createGmm, fitGmm, gmmLogpdf, sampleGmm, type GmmModel } from '../../src/core/gmm';

/** A random SPD matrix A Aᵀ/D + c·I (well conditioned: eigenvalues ≥ c). */
function randomSpd(D: number, rng: Rng, c = 0.3): number[][] {
  const A = Array.from({ length: D }, () => Array.from({ length: D }, () => rng.normal()));
  return A.map((ra, i) => A.map((rb, j) => ra.reduce((s, v, p) => s + v * rb[p], 0) / D + (i === j ? c : 0)));
}

/** A K-component truth in D dimensions whose means sit `sep` apart (8: ≥ ~6 standard deviations). */
function randomTruth(D: number, K: number, seed: number, sep = 8): GmmModel {
  const rng = createRng(seed);
  const means = Array.from({ length: K }, (_, j) => Array.from({ length: D }, (_, a) => (a === j % D ? sep * j : 0) + rng.normal()));
  const weights = Array.from({ length: K }, (_, j) => 1 + j); // unequal: 1/6, 2/6, 3/6 for K = 3
  return createGmm(
    weights,
    means,
    Array.from({ length: K }, () => randomSpd(D, rng)),
  );
}

function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  return permutations(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)]));
}

/** perm[j] = fitted component matching true component j (least total squared mean distance). */
function matchComponents(truth: GmmModel, fit: GmmModel): number[] {
  const D = truth.D;
  const cost = (j: number, f: number) => {
    let s = 0;
    for (let a = 0; a < D; a++) s += (truth.means[j * D + a] - fit.means[f * D + a]) ** 2;
    return s;
  };
  let best: number[] = [],
    bestCost = Infinity;
  for (const p of permutations(truth.k)) {
    const c = p.reduce((s, f, j) => s + cost(j, f), 0);
    if (c < bestCost) {
      bestCost = c;
      best = p;
    }
  }
  return best;
}

/**
 * Largest error of every recovered parameter in units of its sampling standard error (from the
 * truth, with n_j = n·w_j points per component; valid because the components barely overlap, so
 * the MLE is close to the per-cluster sample moments):
 *   SE(ŵ_j) = √(w_j(1 − w_j)/n), SE(μ̂_ja) = √(Σ_aa/n_j), SE(Σ̂_ab) = √((Σ_aa Σ_bb + Σ_ab²)/n_j).
 */
function maxZ(truth: GmmModel, fit: GmmModel, n: number, diagOnly = false): { w: number; mu: number; cov: number } {
  const D = truth.D,
    perm = matchComponents(truth, fit);
  const z = { w: 0, mu: 0, cov: 0 };
  for (let j = 0; j < truth.k; j++) {
    const f = perm[j],
      w = truth.weights[j],
      nj = n * w,
      o = j * D * D,
      of = f * D * D;
    z.w = Math.max(z.w, Math.abs(fit.weights[f] - w) / Math.sqrt((w * (1 - w)) / n));
    for (let a = 0; a < D; a++) {
      z.mu = Math.max(z.mu, Math.abs(fit.means[f * D + a] - truth.means[j * D + a]) / Math.sqrt(truth.covs[o + a * D + a] / nj));
      for (let b = 0; b < D; b++) {
        if (diagOnly && a !== b) continue;
        const S = (i: number, k: number) => truth.covs[o + i * D + k];
        const se = Math.sqrt((S(a, a) * S(b, b) + S(a, b) ** 2) / nj);
        z.cov = Math.max(z.cov, Math.abs(fit.covs[of + a * D + b] - S(a, b)) / se);
      }
    }
  }
  return z;
}

describe('Gaussian mixture EM', () => {
  const threeBlobs = findPreset('three-blobs')!.spec;
  const cases: [string, () => GmmModel, number][] = [
    [
      '2D, 2 components',
      () =>
        createGmm(
          [0.3, 0.7],
          [
            [0, 0],
            [5, 2],
          ],
          [
            [
              [1, 0.3],
              [0.3, 0.5],
            ],
            [
              [0.6, -0.2],
              [-0.2, 1.2],
            ],
          ],
        ),
      4000,
    ],
    ['2D, 3 components (three-blobs)', () => createGmm(threeBlobs.weights, threeBlobs.means, threeBlobs.covs), 6000],
    ['5D, 2 components', () => randomTruth(5, 2, 11), 4000],
    ['5D, 3 components', () => randomTruth(5, 3, 12), 6000],
  ];
  for (const [name, makeTruth, n] of cases) {
    it(`recovers weights, means and covariances: ${name}`, () => {
      const truth = makeTruth();
      const { x } = sampleGmm(truth, n, createRng(1));
      const fit = fitGmm(x, truth.D, { k: truth.k, rng: createRng(2) });
      expect(fit.converged).toBe(true);
      const z = maxZ(truth, fit, n);
      console.log(`${name}: ${fit.iterations} iterations, max |error|/SE: w ${z.w.toFixed(2)}, μ ${z.mu.toFixed(2)}, Σ ${z.cov.toFixed(2)}`);
      // 5 SE: a two-sided normal tail of 6e-7 per parameter, ≤ 1e-4 over the ≤ 70 parameters here,
      // while a wrong fit (merged or swapped components) misses by tens of SE.
      expect(z.w).toBeLessThan(5);
      expect(z.mu).toBeLessThan(5);
      expect(z.cov).toBeLessThan(5);
    });
  }

  it('log-likelihood never decreases across EM iterations (overlapping components, many iterations)', () => {
    // Overlapping modes make EM crawl, so the history is long. Tolerance 1e-10 nats per point: EM
    // is monotone in exact arithmetic; the floor reg·I (here ~1e-6 of the data variance) perturbs
    // the M-step by O(reg²) in ℓ, and float64 sums over 3000 points round at ~1e-13 relative.
    const truth = createGmm(
      [0.5, 0.3, 0.2],
      [
        [0, 0],
        [1.5, 0.5],
        [-0.5, 2],
      ],
      [
        [
          [1, 0.2],
          [0.2, 1],
        ],
        [
          [0.5, 0],
          [0, 1],
        ],
        [
          [1, -0.4],
          [-0.4, 0.6],
        ],
      ],
    );
    for (const [D, k, data] of [
      [2, 3, sampleGmm(truth, 3000, createRng(3)).x],
      [5, 3, sampleGmm(randomTruth(5, 4, 9, 1.5), 3000, createRng(4)).x],
    ] as const) {
      const fit = fitGmm(data, D, { k, tol: 0, maxIter: 150, rng: createRng(5) });
      const h = fit.history;
      // tol 0 runs until ℓ repeats exactly (a float fixed point) or maxIter: a long history.
      expect(h.length).toBeGreaterThan(30);
      let worst = Infinity;
      for (let t = 1; t < h.length; t++) worst = Math.min(worst, h[t] - h[t - 1]);
      console.log(`D=${D}: ${fit.iterations} iterations, ℓ ${h[0].toFixed(5)} → ${h[h.length - 1].toFixed(5)}, most negative step ${worst.toExponential(2)}`);
      expect(worst).toBeGreaterThan(-1e-10);
      expect(h[h.length - 1]).toBeGreaterThan(h[0]);
    }
  });

  it('k-means++ restarts reach the best optimum for every seed', () => {
    // Three blobs, 300 points: a single k-means++ start sometimes seeds two centres in one blob
    // and EM stays in that optimum (ℓ lower by ≈ 0.4 nats per point). With the default 4
    // restarts every seed must reach the same ℓ (to 1e-4 nats: 10× the convergence tolerance
    // 1e-5 · max(1, |ℓ|) with |ℓ| ≈ 1.5, since two starts may stop at different distances from it).
    const { x } = sampleGmm(createGmm(threeBlobs.weights, threeBlobs.means, threeBlobs.covs), 300, createRng(1));
    const std = new Float64Array(x); // standardised, as the anomaly scorer fits it
    for (let a = 0; a < 2; a++) {
      let m = 0,
        v = 0;
      for (let i = a; i < 600; i += 2) m += x[i] / 300;
      for (let i = a; i < 600; i += 2) v += (x[i] - m) ** 2 / 300;
      for (let i = a; i < 600; i += 2) std[i] = (x[i] - m) / Math.sqrt(v);
    }
    const one = [],
      four = [];
    for (let seed = 0; seed < 20; seed++) {
      one.push(fitGmm(std, 2, { k: 3, nInit: 1, rng: createRng(seed) }).logLikelihood);
      four.push(fitGmm(std, 2, { k: 3, rng: createRng(seed) }).logLikelihood);
    }
    const best = Math.max(...one, ...four);
    console.log(
      `nInit 1: ${one.filter((l) => l < best - 1e-3).length}/20 seeds stuck (worst ℓ ${Math.min(...one).toFixed(3)} vs ${best.toFixed(3)}); nInit 4: ${four.filter((l) => l < best - 1e-3).length}/20`,
    );
    for (const l of four) expect(l).toBeGreaterThan(best - 1e-4);
  });

  it('k = 1 is the sample mean and covariance plus reg·I (the floor), full and diag', () => {
    // The MLE of one Gaussian in closed form; EM must land on it after one M-step. The floor is
    // visible with a large reg. Tolerance 1e-12: float64 sums of 500 O(1) terms.
    const D = 3,
      n = 500;
    const { x } = sampleGmm(randomTruth(D, 1, 31), n, createRng(16));
    const mu = [0, 1, 2].map((a) => x.filter((_, i) => i % D === a).reduce((s, v) => s + v, 0) / n);
    for (const covariance of ['full', 'diag'] as const) {
      const fit = fitGmm(x, D, { k: 1, reg: 0.25, covariance });
      for (let a = 0; a < D; a++) {
        expect(fit.means[a]).toBeCloseTo(mu[a], 12);
        for (let b = 0; b < D; b++) {
          let S = 0;
          for (let i = 0; i < n; i++) S += ((x[i * D + a] - mu[a]) * (x[i * D + b] - mu[b])) / n;
          const want = covariance === 'diag' && a !== b ? 0 : S + (a === b ? 0.25 : 0);
          expect(fit.covs[a * D + b]).toBeCloseTo(want, 12);
        }
      }
      // Default floor: 1e-6 · tr(S)/D.
      const tr = [0, 1, 2].reduce((s, a) => s + x.filter((_, i) => i % D === a).reduce((t, v) => t + (v - mu[a]) ** 2, 0) / n, 0);
      expect(fitGmm(x, D, { k: 1, covariance }).reg).toBeCloseTo((1e-6 * tr) / D, 15);
    }
  });

  it('the same seed gives the same fit, bit for bit', () => {
    const { x } = sampleGmm(randomTruth(4, 3, 21), 1500, createRng(6));
    const a = fitGmm(x, 4, { k: 3, rng: createRng(42) });
    const b = fitGmm(x, 4, { k: 3, rng: createRng(42) });
    expect(b.means).toEqual(a.means);
    expect(b.covs).toEqual(a.covs);
    expect(b.history).toEqual(a.history);
  });

  it('diagonal covariances: zero off-diagonal, variances recovered, and worse than full on correlated data', () => {
    const truth = createGmm(
      [1, 1],
      [
        [0, 0, 0, 0, 0],
        [6, -6, 0, 3, 0],
      ],
      [
        [
          [1, 0, 0, 0, 0],
          [0, 2, 0, 0, 0],
          [0, 0, 0.5, 0, 0],
          [0, 0, 0, 1, 0],
          [0, 0, 0, 0, 3],
        ],
        [
          [0.5, 0, 0, 0, 0],
          [0, 0.5, 0, 0, 0],
          [0, 0, 1, 0, 0],
          [0, 0, 0, 2, 0],
          [0, 0, 0, 0, 1],
        ],
      ],
    );
    const n = 4000;
    const fit = fitGmm(sampleGmm(truth, n, createRng(7)).x, 5, { k: 2, covariance: 'diag', rng: createRng(8) });
    for (let j = 0; j < 2; j++) for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) if (a !== b) expect(fit.covs[j * 25 + a * 5 + b]).toBe(0);
    const z = maxZ(truth, fit, n, true);
    console.log(`diag: max |error|/SE: w ${z.w.toFixed(2)}, μ ${z.mu.toFixed(2)}, σ² ${z.cov.toFixed(2)}`);
    expect(Math.max(z.w, z.mu, z.cov)).toBeLessThan(5); // 5 SE as above
    // On strongly correlated data a diagonal model must lose likelihood to a full one.
    const corr = sampleGmm(
      createGmm(
        [1],
        [[0, 0]],
        [
          [
            [1, 0.9],
            [0.9, 1],
          ],
        ],
      ),
      2000,
      createRng(9),
    ).x;
    const full = fitGmm(corr, 2, { k: 1 }),
      diag = fitGmm(corr, 2, { k: 1, covariance: 'diag' });
    // Expected gap: −½ log det of the correlation matrix = −½ log(1 − 0.81) ≈ 0.83 nats per point.
    expect(full.logLikelihood - diag.logLikelihood).toBeGreaterThan(0.7);
  });

  it('gmmLogpdf integrates to 1 on a fine grid (1D and 2D fits)', () => {
    // Trapezoid sums of smooth, Gaussian-decaying functions converge exponentially in 1/h
    // (aliasing error ~ exp(−2π²σ²/h²) ≈ 0 for h ≤ σ/5) and the box reaches ≥ 12σ past every
    // mean (tail < 1e-30), so only rounding remains: tolerance 1e-9.
    const bimodal = findPreset('bimodal-1d')!.spec;
    const x1 = new Float32Array(1024);
    const m1 = createMixture(bimodal);
    const r = createRng(10);
    for (let i = 0; i < x1.length; i++) {
      const j = r.uniform() < m1.weights[0] ? 0 : 1;
      x1[i] = m1.means[j] + r.normal();
    }
    const fit1 = fitGmm(x1, 1, { k: 2 });
    const h1 = 0.01,
      g1 = new Float64Array(4001).map((_, i) => -20 + i * h1);
    const p1 = gmmLogpdf(fit1, g1).map(Math.exp);
    expect(Math.abs(p1.reduce((s, v) => s + v, 0) * h1 - 1)).toBeLessThan(1e-9);

    const fit2 = fitGmm(sampleGmm(createGmm(threeBlobs.weights, threeBlobs.means, threeBlobs.covs), 600, createRng(11)).x, 2, { k: 3 });
    const h = 0.1,
      nx = 451,
      g2 = new Float64Array(nx * nx * 2);
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < nx; j++) {
        g2[2 * (i * nx + j)] = -20 + i * h;
        g2[2 * (i * nx + j) + 1] = -17 + j * h;
      }
    const mass = gmmLogpdf(fit2, g2).reduce((s, v) => s + Math.exp(v), 0) * h * h;
    console.log(`∫ p: 1D ${(p1.reduce((s, v) => s + v, 0) * h1).toFixed(12)}, 2D ${mass.toFixed(12)}`);
    expect(Math.abs(mass - 1)).toBeLessThan(1e-9);
  });

  it('agrees with the 2D mixture code on the same parameters', () => {
    const s = findPreset('three-blobs')!.spec;
    const pts = new Float64Array(200).map(() => 0);
    const r = createRng(12);
    for (let i = 0; i < pts.length; i++) pts[i] = -8 + 18 * r.uniform();
    const a = gmmLogpdf(createGmm(s.weights, s.means, s.covs), pts),
      b = mixtureLogpdf(createMixture(s), pts);
    // Two independent float64 implementations (inverse vs Cholesky): agreement to ~1e-12.
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 10);
  });

  it('duplicate points stay finite thanks to the covariance floor', () => {
    // 100 copies of (0.1, −2): 0.1 is inexact in binary, so the data mean carries rounding and
    // the sample variance comes out ~1e-33, not 0; the default floor must still see "no spread".
    const same = new Float64Array(200).map((_, i) => (i % 2 ? -2 : 0.1));
    const a = fitGmm(same, 2, { k: 2 });
    expect(Number.isFinite(a.logLikelihood)).toBe(true);
    expect(a.reg).toBe(1e-6); // zero data variance: the absolute fallback floor
    expect([...gmmLogpdf(a, new Float64Array([0.1, -2, 0, 0]))].every(Number.isFinite)).toBe(true);
    // 300 spread points plus 150 copies of one: a component collapses onto the copies, where the
    // likelihood would be unbounded without the floor; its variance stops at ≈ reg instead.
    const spread = sampleGmm(
      createGmm(
        [1],
        [[0, 0, 0]],
        [
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        ],
      ),
      300,
      createRng(13),
    ).x;
    const mix = new Float64Array(450 * 3);
    mix.set(spread);
    for (let i = 300; i < 450; i++) mix.set([2, 2, 2], i * 3);
    const b = fitGmm(mix, 3, { k: 3, rng: createRng(14) });
    expect([...b.covs, ...b.means, ...b.weights, b.logLikelihood].every(Number.isFinite)).toBe(true);
    const minVar = Math.min(...Array.from({ length: 9 }, (_, i) => b.covs[Math.floor(i / 3) * 9 + (i % 3) * 4]));
    expect(minVar).toBeGreaterThanOrEqual(b.reg);
    expect(minVar).toBeLessThan(10 * b.reg); // it did collapse: the floor, not the data, set it
  });

  it('rejects bad input with the limit named', () => {
    const x = new Float64Array([0, 1, 2, 3]);
    expect(() => fitGmm(x, 2, { k: 3 })).toThrow(/invalid gmm: n = 2 .*k = 3/);
    expect(() => fitGmm(x, 0)).toThrow(/invalid gmm: D = 0.*1…32/);
    expect(() => fitGmm(new Float64Array(33), 33)).toThrow(/invalid gmm: D = 33/);
    expect(() => fitGmm(x, 2, { k: 17 })).toThrow(/invalid gmm: k = 17.*1…16/);
    expect(() => fitGmm(new Float64Array([0, NaN]), 1)).toThrow(/invalid gmm: value 1 is NaN/);
    expect(() => fitGmm(x, 3)).toThrow(/not a multiple of D = 3/);
    expect(() => fitGmm(x, 1, { reg: 0 })).toThrow(/invalid gmm: reg = 0/);
    expect(() => cholesky([1, 2, 2, 1], 2)).toThrow(/invalid gmm/);
    expect(() =>
      createGmm(
        [1],
        [[0, 0]],
        [
          [
            [1, 0.5],
            [0, 1],
          ],
        ],
      ),
    ).toThrow(/invalid gmm: covariances must be symmetric/);
    expect(() =>
      createGmm(
        [1],
        [[0, 0]],
        [
          [
            [1, 2],
            [2, 1],
          ],
        ],
      ),
    ).toThrow(/invalid gmm: covariance 1 is not positive definite/);
  });

  it('Cholesky reproduces A = L Lᵀ', () => {
    const A = randomSpd(8, createRng(15));
    const L = cholesky(A.flat(), 8);
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let p = 0; p < 8; p++) s += L[i * 8 + p] * L[j * 8 + p];
        expect(s).toBeCloseTo(A[i][j], 12); // float64 rounding on O(1) entries
        if (j > i) expect(L[i * 8 + j]).toBe(0);
      }
  });
});
