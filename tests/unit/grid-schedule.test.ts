import { describe, it, expect } from 'vitest';
import { grid1d, grid2d, cellSize, MAX_GRID_SIDE } from '../../src/core/grid';
import { geometricSigmas, sampleLogUniform } from '../../src/core/schedule';
import { createRng } from '../../src/core/rng';

describe('grids', () => {
  it('1D grid includes both ends', () => {
    const g = grid1d(-2, 2, 5);
    expect(Array.from(g.points)).toEqual([-2, -1, 0, 1, 2]);
    expect(cellSize(g)).toBe(1);
  });
  it('2D grid is row-major in y', () => {
    const g = grid2d(0, 2, 10, 11, 3, 2);
    expect(Array.from(g.points)).toEqual([0, 10, 1, 10, 2, 10, 0, 11, 1, 11, 2, 11]);
    expect(cellSize(g)).toBe(1);
  });
  it('refuses empty ranges and oversize grids, naming the limit', () => {
    expect(() => grid1d(1, 1, 10)).toThrow(/empty range/);
    expect(() => grid1d(0, 1, MAX_GRID_SIDE + 1)).toThrow(new RegExp(`allowed 2 … ${MAX_GRID_SIDE}`));
    expect(() => grid2d(0, 1, 0, 1, 1, 5)).toThrow(/invalid grid/);
  });
});

describe('noise schedules', () => {
  it('geometric levels run from σ_max to σ_min with a constant ratio', () => {
    const s = geometricSigmas(0.05, 5, 10);
    expect(s[0]).toBeCloseTo(5, 12);
    expect(s[9]).toBeCloseTo(0.05, 12);
    const r = s[1] / s[0];
    for (let i = 1; i < 10; i++) expect(s[i] / s[i - 1]).toBeCloseTo(r, 12);
  });
  it('log-uniform sampling has uniform log σ', () => {
    const out = sampleLogUniform(0.05, 5, createRng(1), new Float64Array(100_000));
    let m = 0,
      v = 0;
    const a = Math.log(0.05),
      b = Math.log(5);
    for (const s of out) m += Math.log(s) / out.length;
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0.05);
    expect(Math.max(...out)).toBeLessThanOrEqual(5);
    for (const s of out) v += (Math.log(s) - m) ** 2 / out.length;
    // log σ ~ U(a, b): mean (a+b)/2, variance (b−a)²/12 ≈ 1.77; SE of the mean ≈ 4.2e-3.
    expect(Math.abs(m - (a + b) / 2)).toBeLessThan(0.02);
    expect(Math.abs(v - (b - a) ** 2 / 12)).toBeLessThan(0.03);
  });
  it('refuses σ_min ≤ 0 or σ_min > σ_max', () => {
    expect(() => geometricSigmas(0, 1, 3)).toThrow(/invalid noise range/);
    expect(() => geometricSigmas(2, 1, 3)).toThrow(/invalid noise range/);
    expect(() => sampleLogUniform(-1, 1, createRng(1), new Float64Array(1))).toThrow(/invalid noise range/);
  });
});
