import { describe, it, expect } from 'vitest';
import { interpolateViridis, interpolateMagma, rgb } from 'd3';
import { colorLut, finiteRange, groupByColor, lutIndex, LUT_SIZE, paintHeat, pixelOffset, VIRIDIS } from '../../src/ui/charts/colormap';

/** The reference colour: d3's own interpolator at t, clamped to [0, 1] as the heatmap clamps it. */
function reference(v: number, lo: number, hi: number): number[] {
  const t = Number.isFinite(v) && hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0;
  const c = rgb(interpolateViridis(t));
  return [c.r, c.g, c.b, 255];
}

const entry = (lut: Uint8ClampedArray, k: number) => Array.from(lut.subarray(4 * k, 4 * k + 4));

describe('colour lookup table', () => {
  it('reproduces d3 viridis exactly at every t (d3 ramps are 256 steps)', () => {
    for (let s = 0; s <= 4096; s++) {
      const v = -3 + (7 * s) / 4096;
      expect(entry(VIRIDIS, lutIndex(v, -3, 4)), `v = ${v}`).toEqual(reference(v, -3, 4));
    }
  });

  it('clamps values outside the range to the end colours and sends non-finite values and empty ranges to entry 0', () => {
    expect(lutIndex(-10, 0, 1)).toBe(0);
    expect(lutIndex(10, 0, 1)).toBe(LUT_SIZE - 1);
    expect(lutIndex(1, 0, 1)).toBe(LUT_SIZE - 1);
    expect(lutIndex(0, 0, 1)).toBe(0);
    expect(lutIndex(NaN, 0, 1)).toBe(0);
    expect(lutIndex(Infinity, 0, 1)).toBe(0);
    expect(lutIndex(0.5, 1, 1)).toBe(0);
    expect(lutIndex(0.5, Infinity, -Infinity)).toBe(0);
  });

  it('splits [lo, hi] into n equal steps: the step boundaries land where ⌊n·t⌋ changes', () => {
    expect(lutIndex(0.5, 0, 1, 4)).toBe(2);
    expect(lutIndex(0.499, 0, 1, 4)).toBe(1);
    expect(lutIndex(0.25, 0, 1, 4)).toBe(1);
    expect(lutIndex(0.2499, 0, 1, 4)).toBe(0);
  });

  it('samples any colour map at step centres, opaque', () => {
    const lut = colorLut(interpolateMagma, 16);
    expect(lut.length).toBe(64);
    for (let k = 0; k < 16; k++) {
      const c = rgb(interpolateMagma((k + 0.5) / 16));
      expect(entry(lut, k)).toEqual([c.r, c.g, c.b, 255]);
    }
  });
});

describe('heat image pixels', () => {
  it('flips rows: grid row 0 (lowest y) is the bottom image row', () => {
    expect(pixelOffset(0, 0, 3, 2)).toBe(4 * 3);
    expect(pixelOffset(2, 0, 3, 2)).toBe(4 * 5);
    expect(pixelOffset(0, 1, 3, 2)).toBe(0);
    expect(pixelOffset(1, 1, 3, 2)).toBe(4);
  });

  it('offsets cover the image once each', () => {
    const nx = 7,
      ny = 5;
    const seen = new Set<number>();
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) seen.add(pixelOffset(i, j, nx, ny));
    expect(seen.size).toBe(nx * ny);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(4 * (nx * ny - 1));
  });

  it('paints every cell the colour d3 gives its value, at the flipped position', () => {
    const nx = 9,
      ny = 4;
    const values = Float32Array.from({ length: nx * ny }, (_, k) => Math.sin(k) * 3);
    values[5] = NaN;
    const [lo, hi] = finiteRange(values);
    const out = new Uint8ClampedArray(4 * nx * ny);
    paintHeat(out, values, nx, ny, lo, hi);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const o = 4 * ((ny - 1 - j) * nx + i);
        expect(Array.from(out.subarray(o, o + 4)), `cell ${i},${j}`).toEqual(reference(values[j * nx + i], lo, hi));
      }
  });

  it('rejects an image of the wrong size', () => {
    expect(() => paintHeat(new Uint8ClampedArray(8), [1, 2, 3], 3, 1, 0, 1)).toThrow(/invalid heat/);
  });

  it('finds the finite range, skipping NaN and ±∞', () => {
    expect(finiteRange([3, NaN, -2, Infinity, 5, -Infinity])).toEqual([-2, 5]);
    expect(finiteRange([NaN])).toEqual([Infinity, -Infinity]);
  });
});

describe('error map', () => {
  it('is d3 YlOrRd sampled at cell middles, not viridis', async () => {
    const { ERROR_MAP, VIRIDIS } = await import('../../src/ui/charts/colormap');
    const { interpolateYlOrRd, rgb } = await import('d3');
    for (const k of [0, 100, 255]) {
      const c = rgb(interpolateYlOrRd((k + 0.5) / 256));
      expect(Array.from(ERROR_MAP.slice(4 * k, 4 * k + 3))).toEqual([c.r, c.g, c.b].map(Math.round));
    }
    expect(ERROR_MAP.slice(0, 4)).not.toEqual(VIRIDIS.slice(0, 4));
  });
});

describe('colour groups', () => {
  it('groups indices by colour, in order, each index once', () => {
    const g = groupByColor(7, (i) => (i % 3 === 0 ? 'a' : 'b'));
    expect([...g.entries()]).toEqual([
      ['a', [0, 3, 6]],
      ['b', [1, 2, 4, 5]],
    ]);
  });
});
