import { describe, expect, it } from 'vitest';
import { grid1d, grid2d } from '../../src/core/grid';
import { nearestNode, probeAt } from '../../src/ui/field-probe';

describe('field probe', () => {
  const g = grid2d(-2, 2, -1, 1, 5, 3); // dx = 1, dy = 1

  it('finds the nearest node by brute force over every node', () => {
    for (const [px, py] of [
      [0.2, 0.4],
      [-1.6, -0.9],
      [1.49, 0.51],
      [7, -9],
    ]) {
      let best = 0,
        bestD = Infinity;
      for (let k = 0; k < g.nx * g.ny; k++) {
        const d = (g.points[2 * k] - Math.min(2, Math.max(-2, px))) ** 2 + (g.points[2 * k + 1] - Math.min(1, Math.max(-1, py))) ** 2;
        if (d < bestD) [best, bestD] = [k, d];
      }
      expect(nearestNode(g, px, py)).toBe(best);
    }
  });

  it('is null for a 1D grid or a non-finite point', () => {
    expect(nearestNode(grid1d(0, 1, 10), 0.5, 0)).toBeNull();
    expect(nearestNode(g, NaN, 0)).toBeNull();
  });

  it('reads position, learned and exact vectors at one node', () => {
    const learned = Float32Array.from({ length: 30 }, (_, i) => i);
    const exact = Float64Array.from({ length: 30 }, (_, i) => -i);
    const p = probeAt(g.points, learned, exact, 7);
    expect(p.at).toEqual([g.points[14], g.points[15]]);
    expect(p.learned).toEqual([14, 15]);
    expect(p.exact).toEqual([-14, -15]);
    expect(probeAt(g.points, null, exact, 0).learned).toBeNull();
  });
});
