/**
 * What the editor's handles look like and say: categorical colours and accessible names.
 * Names use ASCII digits and signs with two decimals, e.g. "mean of component 2, x = 3.00, y = 1.50".
 */
import { schemeObservable10 } from 'd3';
import type { Axes } from './ellipse';

/**
 * Colour of component k: Observable's 10-colour scheme, chosen for colour-vision deficiencies.
 * Beyond ten components colours repeat; the number drawn in each mean handle tells them apart.
 */
export function componentColor(k: number): string {
  return schemeObservable10[k % schemeObservable10.length];
}

const num = (v: number) => (Object.is(Math.round(v * 100) / 100, -0) ? 0 : v).toFixed(2);

/** Position of a point as spoken: "x = 3.00" in 1D, "x = 3.00, y = 1.50" in 2D. */
export function positionText(p: readonly number[]): string {
  return p.length === 1 ? `x = ${num(p[0])}` : `x = ${num(p[0])}, y = ${num(p[1])}`;
}

export function meanLabel(k: number, mean: readonly number[]): string {
  return `mean of component ${k + 1}, ${positionText(mean)}`;
}

/** Axis i of component k: its standard deviation and direction in degrees from +x (0–180). */
export function axisLabel(k: number, i: 0 | 1, axes: Axes): string {
  const deg = (((((axes.angle + (i === 1 ? Math.PI / 2 : 0)) * 180) / Math.PI) % 180) + 180) % 180;
  return `axis ${i + 1} of component ${k + 1}, standard deviation ${num(axes.sd[i])}, direction ${deg.toFixed(0)} degrees`;
}

export function sdLabel(k: number, sd: number): string {
  return `standard deviation of component ${k + 1}, ${num(sd)}`;
}

/** How the handles are used from the keyboard (the editor's aria-describedby text). */
export const KEY_HELP =
  'Arrow keys move a mean by 0.1 (with Shift, 1). On an axis handle, Up and Down change its length, ' +
  'Left and Right rotate it. Plus and minus scale the covariance; Delete removes the component.';
