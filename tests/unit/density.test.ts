import { describe, it, expect } from 'vitest';
import { createMixture, logpdf, pdf, score } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { grid1d, grid2d, gridForView, cellSize, type Grid2D } from '../../src/core/grid';
import { densityFromScore, densityFromScore1d, densityFromScore2d, solveNeumannPoisson, normaliseLogDensity } from '../../src/core/density';
import { totalVariation } from '../../src/core/metrics';

/** TV between the recovered density and the true one, both normalised on the same grid. */
function recoveredTV(id: string, side: number): number {
  const p = findPreset(id)!;
  const m = createMixture(p.spec);
  const g = gridForView(p.view, side);
  return totalVariation(densityFromScore(g, score(m, g.points)).density, pdf(m, g.points), g);
}

/** max |a − b| after removing the mean difference (log-densities agree up to a constant). */
function maxDiffUpToConstant(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < a.length; i++) mean += (a[i] - b[i]) / a.length;
  let mx = 0;
  for (let i = 0; i < a.length; i++) mx = Math.max(mx, Math.abs(a[i] - b[i] - mean));
  return mx;
}

describe('density recovery in 1D (cumulative trapezoid)', () => {
  it('is exact for a Gaussian, whose score is linear', () => {
    const m = createMixture({ weights: [1], means: [[0.7]], covs: [[[1.7]]] });
    const g = grid1d(-6, 7, 61);
    const r = densityFromScore1d(g, score(m, g.points));
    expect(maxDiffUpToConstant(r.logDensity, logpdf(m, g.points))).toBeLessThan(1e-12);
    expect(r.density.reduce((a, b) => a + b) * g.dx).toBeCloseTo(1, 12);
  });

  it('bimodal-1d preset: TV to the truth is O(dx²) — measured 1.1e-5 at 200 nodes, 2.7e-6 at 400', () => {
    const tv200 = recoveredTV('bimodal-1d', 200),
      tv400 = recoveredTV('bimodal-1d', 400);
    expect(tv200).toBeLessThan(1e-4);
    expect(tv400).toBeLessThan(tv200 / 3); // second order: halving dx quarters the error
  });
});

describe('density recovery in 2D (least-squares potential, DCT Poisson solve)', () => {
  it('the Poisson solve satisfies DᵀDφ = b for a compatible right-hand side, dx ≠ dy, nx ≠ ny', () => {
    const nx = 23,
      ny = 17,
      dx = 0.3,
      dy = 0.7;
    const b = Float64Array.from({ length: nx * ny }, (_, i) => Math.sin(i * 1.3) + 0.1 * (i % 5));
    const mean = b.reduce((a, v) => a + v) / b.length;
    for (let i = 0; i < b.length; i++) b[i] -= mean; // Neumann: only mean-zero b is in the range
    const phi = solveNeumannPoisson(b, nx, ny, dx, dy);
    let worst = 0;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = j * nx + i;
        let lap = 0;
        if (i > 0) lap += (phi[p] - phi[p - 1]) / dx ** 2;
        if (i < nx - 1) lap += (phi[p] - phi[p + 1]) / dx ** 2;
        if (j > 0) lap += (phi[p] - phi[p - nx]) / dy ** 2;
        if (j < ny - 1) lap += (phi[p] - phi[p + nx]) / dy ** 2;
        worst = Math.max(worst, Math.abs(lap - b[p]));
      }
    expect(worst).toBeLessThan(1e-10);
  });

  it('is exact for a full-covariance Gaussian (linear score), non-square grid with dx ≠ dy', () => {
    const m = createMixture({
      weights: [1],
      means: [[0.5, -1]],
      covs: [
        [
          [2, 0.6],
          [0.6, 1],
        ],
      ],
    });
    const g = grid2d(-5, 6, -5, 3, 37, 52);
    const r = densityFromScore2d(g, score(m, g.points));
    expect(maxDiffUpToConstant(r.logDensity, logpdf(m, g.points))).toBeLessThan(1e-9);
    expect(r.residual).toBeLessThan(1e-14);
    expect(r.density.reduce((a, b) => a + b) * cellSize(g)).toBeCloseTo(1, 12);
    // logDensity is normalised: log Σ exp(logDensity)·cell = 0.
    const again = normaliseLogDensity(r.logDensity, cellSize(g));
    expect(maxDiffUpToConstant(again.logDensity, r.logDensity)).toBeLessThan(1e-12);
    expect(Math.abs(again.logDensity[0] - r.logDensity[0])).toBeLessThan(1e-12);
  });

  it('three-blobs and two-blobs presets at 100×100: TV ≤ 2e-3 (measured 6.6e-4 and 8.9e-4), second order', () => {
    // The error is the trapezoid rule's O(dx²) on the edges (dx ≈ 0.2 / 0.1 here); at 200×200 it
    // measured 1.3e-4 and 2.2e-4, so 2e-3 is a 2–3× margin that still catches any first-order slip.
    const three100 = recoveredTV('three-blobs', 100),
      two100 = recoveredTV('two-blobs', 100);
    expect(three100).toBeLessThan(2e-3);
    expect(two100).toBeLessThan(2e-3);
    expect(recoveredTV('three-blobs', 200)).toBeLessThan(three100 / 3);
  });

  it('a non-conservative field (exact score + swirls) still gives the true density: the curl part drops out', () => {
    const p = findPreset('three-blobs')!;
    const m = createMixture(p.spec);
    const g = gridForView(p.view, 100) as Grid2D;
    const s = score(m, g.points),
      truth = pdf(m, g.points);
    // Add r = ∇^⊥ψ with ψ = A·exp(−‖x − c‖²/2) around each mode: divergence-free and ≈ 0 at the
    // view's edges (e^{−12.5}), so it is exactly the part least squares must ignore. A = 3 makes
    // its density-weighted energy ≈ 0.9 × the score's.
    const swirled = Float64Array.from(s);
    let rot = 0,
      ref = 0;
    for (let i = 0; i < truth.length; i++) {
      let rx = 0,
        ry = 0;
      for (const [cx, cy] of [
        [0, 0],
        [6, 6],
        [-4, 5],
      ]) {
        const u = g.points[2 * i] - cx,
          v = g.points[2 * i + 1] - cy;
        const psi = 3 * Math.exp(-(u * u + v * v) / 2);
        rx += -v * psi;
        ry += u * psi;
      }
      swirled[2 * i] += rx;
      swirled[2 * i + 1] += ry;
      rot += truth[i] * (rx * rx + ry * ry);
      ref += truth[i] * (s[2 * i] ** 2 + s[2 * i + 1] ** 2);
    }
    expect(rot / ref).toBeGreaterThan(0.5);
    const r = densityFromScore2d(g, swirled);
    // Measured 7.0e-4 (6.6e-4 without the swirls): same tolerance as the conservative case.
    expect(totalVariation(r.density, truth, g)).toBeLessThan(2e-3);
    // The residual reports the non-conservative share (measured 1.3e-2 vs 3.3e-6 without swirls).
    expect(r.residual).toBeGreaterThan(1e-3);
    expect(densityFromScore2d(g, s).residual).toBeLessThan(1e-4);
    // Control: integrating the same field along one path (bottom row, then up each column) is
    // badly wrong (measured TV 0.65), so the test would catch a solver that ignored the curl less well.
    const phi = new Float64Array(truth.length);
    for (let i = 1; i < g.nx; i++) phi[i] = phi[i - 1] + 0.5 * (swirled[2 * (i - 1)] + swirled[2 * i]) * g.dx;
    for (let j = 1; j < g.ny; j++)
      for (let i = 0; i < g.nx; i++) {
        const q = j * g.nx + i;
        phi[q] = phi[q - g.nx] + 0.5 * (swirled[2 * (q - g.nx) + 1] + swirled[2 * q + 1]) * g.dy;
      }
    expect(totalVariation(normaliseLogDensity(phi, cellSize(g)).density, truth, g)).toBeGreaterThan(0.3);
  });

  it('refuses a score of the wrong length or with non-finite values', () => {
    const g = grid2d(0, 1, 0, 1, 5, 5);
    expect(() => densityFromScore2d(g, new Float64Array(49))).toThrow(/49 values; the grid needs 50/);
    expect(() => densityFromScore(grid1d(0, 1, 5), [0, 0, NaN, 0, 0])).toThrow(/non-finite/);
  });
});
