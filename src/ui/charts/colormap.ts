/**
 * Heatmap colours as a lookup table, and the value → pixel mapping a heatmap image is filled by.
 * Pure: no DOM, so the mapping is unit-tested.
 */
import { interpolateGreys, interpolateViridis, interpolateYlOrRd, rgb } from 'd3';

/** Entries in a colour lookup table: d3's viridis is itself a ramp of 256 colours. */
export const LUT_SIZE = 256;

/**
 * A colour map sampled into n RGBA entries (4n bytes): entry k is `interpolate((k + ½)/n)`, the
 * middle of the k-th of n equal steps, so looking up ⌊t·n⌋ gives d3's 256-colour ramps exactly.
 */
export function colorLut(interpolate: (t: number) => string, n = LUT_SIZE): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(4 * n);
  for (let k = 0; k < n; k++) {
    const c = rgb(interpolate((k + 0.5) / n));
    lut.set([c.r, c.g, c.b, Math.round(255 * c.opacity)], 4 * k);
  }
  return lut;
}

/** Viridis (dark purple → yellow), the colour map of every density heatmap: yellow where dense. */
export const VIRIDIS = colorLut(interpolateViridis);

/**
 * Viridis reversed, for anomaly scores: yellow where typical, dark purple where strange, so an
 * anomaly map reads like the density maps beside it (yellow where the data are).
 */
export const reversedViridis = (t: number): string => interpolateViridis(1 - t);
export const VIRIDIS_REVERSED = colorLut(reversedViridis);

/**
 * The lookup-table entry of value v on [lo, hi]: k = ⌊n·(v − lo)/(hi − lo)⌋ clamped to [0, n − 1]
 * (values outside the range take the end colours). A non-finite v, or an empty range, takes entry 0.
 */
export function lutIndex(v: number, lo: number, hi: number, n = LUT_SIZE): number {
  if (!Number.isFinite(v) || !(hi > lo)) return 0;
  const k = Math.floor((n * (v - lo)) / (hi - lo));
  return k < 0 ? 0 : k >= n ? n - 1 : k;
}

/**
 * Byte offset of grid cell (i, j) in an nx × ny RGBA image: 4·((ny − 1 − j)·nx + i). Grid row j
 * is y = y₀ + j·dy, upwards; image rows run downwards, so rows are flipped.
 */
export function pixelOffset(i: number, j: number, nx: number, ny: number): number {
  return 4 * ((ny - 1 - j) * nx + i);
}

/** The finite minimum and maximum of `values` ([∞, −∞] when none is finite). */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/**
 * Fills `out` (an nx × ny RGBA image, 4·nx·ny bytes) with the colours of the row-major grid
 * `values` on [lo, hi]: pixel `pixelOffset(i, j)` takes `lut` entry `lutIndex(values[j·nx + i])`.
 */
export function paintHeat(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  lo: number,
  hi: number,
  lut: Uint8ClampedArray = VIRIDIS,
): void {
  if (out.length !== 4 * nx * ny || values.length < nx * ny)
    throw new Error(`invalid heat: ${values.length} values, ${out.length / 4} pixels, grid ${nx}×${ny}`);
  const n = lut.length / 4;
  for (let j = 0; j < ny; j++) {
    let o = pixelOffset(0, j, nx, ny);
    for (let i = 0; i < nx; i++, o += 4) {
      const k = 4 * lutIndex(values[j * nx + i], lo, hi, n);
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
      out[o + 3] = lut[k + 3];
    }
  }
}

/**
 * The error map (light yellow → dark red, d3's YlOrRd): squared score errors get their own colours,
 * so yellow in a viridis map keeps meaning "high density" and never "high error".
 */
export const ERROR_MAP = colorLut(interpolateYlOrRd);

/**
 * A backdrop density under coloured marks (sampler trails): light greys, darker where denser, so
 * the marks' colours are the only colours in the view.
 */
export const backdropRamp = (t: number): string => interpolateGreys(0.04 + 0.36 * t);
export const BACKDROP_MAP = colorLut(backdropRamp);

/** Indices 0…n−1 grouped by their colour, so a canvas fills or strokes each colour once. */
export function groupByColor(n: number, color: (i: number) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const c = color(i);
    const g = out.get(c);
    if (g) g.push(i);
    else out.set(c, [i]);
  }
  return out;
}
