import { describe, it, expect } from 'vitest';
import { createMixture } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import {
  angleDiff,
  axesFromCov,
  axisDirection,
  axisEnd,
  covFromAxes,
  dragAxis,
  ellipsePath,
  scaleAxes,
  sdLimits,
  type Axes,
} from '../../src/ui/editor/ellipse';

/** (p − μ)ᵀ Σ⁻¹ (p − μ) for a 2×2 Σ. */
function mahalanobis2(cov: number[][], mean: number[], p: number[]): number {
  const [[a, b], [, c]] = cov;
  const det = a * c - b * b;
  const dx = p[0] - mean[0],
    dy = p[1] - mean[1];
  return (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
}

function randomCov(rng: ReturnType<typeof createRng>): number[][] {
  // A Wishart-like draw: LLᵀ + small ridge is symmetric positive definite.
  const l = [rng.normal(), 0, rng.normal(), Math.abs(rng.normal()) + 0.05];
  const l0 = Math.abs(l[0]) + 0.05;
  return [
    [l0 * l0, l0 * l[2]],
    [l0 * l[2], l[2] * l[2] + l[3] * l[3]],
  ];
}

describe('covariance ellipse axes', () => {
  it('reads the axes of a diagonal covariance', () => {
    const ax = axesFromCov([
      [4, 0],
      [0, 1],
    ]);
    expect(ax.angle).toBeCloseTo(0, 12);
    expect(ax.sd[0]).toBeCloseTo(2, 12);
    expect(ax.sd[1]).toBeCloseTo(1, 12);
    const tall = axesFromCov([
      [1, 0],
      [0, 9],
    ]);
    expect(tall.angle).toBeCloseTo(Math.PI / 2, 12);
    expect(tall.sd).toEqual([3, 1]);
  });

  it('reads a correlated preset covariance: axes at 45° with variances 1 ± 0.5', () => {
    const ax = axesFromCov([
      [1, 0.5],
      [0.5, 1],
    ]);
    expect(ax.angle).toBeCloseTo(Math.PI / 4, 12);
    expect(ax.sd[0]).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(ax.sd[1]).toBeCloseTo(Math.sqrt(0.5), 12);
  });

  it('gives eigenvectors: Σ u_i = s_i² u_i, major axis first', () => {
    const rng = createRng(7);
    for (let t = 0; t < 200; t++) {
      const cov = randomCov(rng);
      const ax = axesFromCov(cov);
      expect(ax.sd[0]).toBeGreaterThanOrEqual(ax.sd[1]);
      expect(ax.angle).toBeGreaterThan(-Math.PI / 2);
      expect(ax.angle).toBeLessThanOrEqual(Math.PI / 2);
      for (const i of [0, 1] as const) {
        const [ux, uy] = axisDirection(ax, i);
        const s2 = ax.sd[i] ** 2;
        const scale = Math.max(1, cov[0][0] + cov[1][1]);
        expect(Math.abs(cov[0][0] * ux + cov[0][1] * uy - s2 * ux)).toBeLessThan(1e-9 * scale);
        expect(Math.abs(cov[1][0] * ux + cov[1][1] * uy - s2 * uy)).toBeLessThan(1e-9 * scale);
      }
    }
  });

  it('round-trips covariance → axes → covariance and axes → covariance → axes', () => {
    const rng = createRng(11);
    for (let t = 0; t < 200; t++) {
      const cov = randomCov(rng);
      const back = covFromAxes(axesFromCov(cov));
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(back[a][b]).toBeCloseTo(cov[a][b], 10);
      expect(back[0][1]).toBe(back[1][0]);

      const s1 = 0.1 + 3 * rng.uniform(),
        s2 = s1 * (0.05 + 0.9 * rng.uniform());
      const axes: Axes = { angle: (rng.uniform() - 0.5) * Math.PI * 0.999, sd: [s1, s2] };
      const again = axesFromCov(covFromAxes(axes));
      expect(again.angle).toBeCloseTo(axes.angle, 8);
      expect(again.sd[0]).toBeCloseTo(s1, 10);
      expect(again.sd[1]).toBeCloseTo(s2, 10);
    }
  });

  it('refuses covariances that are not positive definite', () => {
    expect(() =>
      axesFromCov([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/not positive definite/);
    expect(() =>
      axesFromCov([
        [0, 0],
        [0, 1],
      ]),
    ).toThrow(/not positive definite/);
    expect(() =>
      axesFromCov([
        [-1, 0],
        [0, -1],
      ]),
    ).toThrow(/not positive definite/);
    expect(() =>
      axesFromCov([
        [NaN, 0],
        [0, 1],
      ]),
    ).toThrow(/non-finite/);
  });

  it('keeps the labelling and direction of the previous axes', () => {
    // Axis 0 was the short one, pointing up-left: a fresh decomposition would swap them.
    const prev: Axes = { angle: (3 * Math.PI) / 4, sd: [0.5, 2] };
    const ax = axesFromCov(covFromAxes({ angle: (3 * Math.PI) / 4 + 0.01, sd: [0.5, 2] }), prev);
    expect(ax.sd[0]).toBeCloseTo(0.5, 10);
    expect(ax.sd[1]).toBeCloseTo(2, 10);
    expect(ax.angle).toBeCloseTo((3 * Math.PI) / 4 + 0.01, 10);
    // Turning a handle all the way round never flips it to the opposite end.
    let cur: Axes = { angle: 0, sd: [2, 1] };
    for (let t = 1; t <= 72; t++) {
      const target = (t * 2 * Math.PI) / 72;
      cur = axesFromCov(covFromAxes({ angle: target, sd: [2, 1] }), cur);
      expect(Math.abs(angleDiff(cur.angle, target))).toBeLessThan(1e-9);
    }
    // An isotropic covariance keeps the previous direction.
    expect(
      axesFromCov(
        [
          [2, 0],
          [0, 2],
        ],
        { angle: 1.2, sd: [1, 1] },
      ).angle,
    ).toBe(1.2);
  });

  it('puts axis handles on the 1σ ellipse and draws the kσ ellipse', () => {
    const mean = [1, -2];
    const cov = [
      [1.5, -0.7],
      [-0.7, 1.5],
    ];
    const ax = axesFromCov(cov);
    for (const i of [0, 1] as const) {
      expect(mahalanobis2(cov, mean, axisEnd(mean, ax, i))).toBeCloseTo(1, 10);
      expect(mahalanobis2(cov, mean, axisEnd(mean, ax, i, 2))).toBeCloseTo(4, 10);
    }
    const path = ellipsePath(
      mean,
      ax,
      2,
      (v) => v,
      (v) => v,
      36,
    );
    const pts = [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pts.length).toBe(36);
    expect(path.endsWith('Z')).toBe(true);
    for (const p of pts) expect(Math.abs(mahalanobis2(cov, mean, p) - 4)).toBeLessThan(0.05);
  });
});

describe('dragging an axis handle', () => {
  const limits = sdLimits([-9, 11, -5, 11]);

  it('moves the handle to the pointer and keeps the other axis', () => {
    const mean = [0, 0];
    const ax: Axes = { angle: 0, sd: [2, 1] };
    const next = dragAxis(mean, ax, 0, [0, 3], limits);
    expect(next.sd).toEqual([3, 1]);
    expect(next.angle).toBeCloseTo(Math.PI / 2, 12);
    const end = axisEnd(mean, next, 0);
    expect(end[0]).toBeCloseTo(0, 12);
    expect(end[1]).toBeCloseTo(3, 12);
    // The second axis handle also lands on the pointer; axis 0 turns with it.
    const second = dragAxis(mean, ax, 1, [-0.5, 0], limits);
    expect(second.sd).toEqual([2, 0.5]);
    const e1 = axisEnd(mean, second, 1);
    expect(e1[0]).toBeCloseTo(-0.5, 12);
    expect(e1[1]).toBeCloseTo(0, 12);
  });

  it('always gives a covariance createMixture accepts', () => {
    const rng = createRng(3);
    const mean = [1, 2];
    let ax: Axes = axesFromCov([
      [1, 0.5],
      [0.5, 1],
    ]);
    const targets: number[][] = [mean, [NaN, 0], [1e9, 1e9], [1 + 1e-12, 2], [Infinity, 2]];
    for (let t = 0; t < 300; t++) targets.push([mean[0] + 30 * rng.normal() ** 3, mean[1] + 30 * rng.normal() ** 3]);
    for (const p of targets) {
      const i = rng.int(2) as 0 | 1;
      ax = dragAxis(mean, ax, i, p, limits);
      const cov = covFromAxes(ax);
      expect(() => createMixture({ weights: [1], means: [mean], covs: [cov] })).not.toThrow();
      expect(ax.sd[0]).toBeGreaterThanOrEqual(limits.min);
      expect(ax.sd[1]).toBeLessThanOrEqual(limits.max);
    }
  });

  it('scales both axes within the limits', () => {
    const ax = scaleAxes({ angle: 0.3, sd: [2, 1] }, 1.5, limits);
    expect(ax.sd).toEqual([3, 1.5]);
    expect(ax.angle).toBe(0.3);
    expect(scaleAxes({ angle: 0, sd: [2, 1] }, 1e6, limits).sd).toEqual([limits.max, limits.max]);
    expect(scaleAxes({ angle: 0, sd: [2, 1] }, 1e-9, limits).sd).toEqual([limits.min, limits.min]);
    expect(limits).toEqual({ min: 0.02, max: 20 });
  });
});
