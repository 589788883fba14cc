/**
 * Keyboard control of the editor's handles, as pure functions: `keyAction` maps a key press on a
 * handle to an action, `applyAction` turns the action into a validated spec edit.
 *
 * Mean handles: arrows move by 0.1 data units (Shift: 1.0); in 1D Up/Right increase.
 * Axis handles (2D): Up/Down lengthen/shorten that axis by 0.1 (Shift: 1.0), Left/Right rotate it
 * by 5° (Shift: 15°) counter-clockwise/clockwise. Standard-deviation handles (1D): Up/Right widen,
 * Down/Left narrow. On every handle: + / − scale the covariance (standard deviations ×1.1 or
 * ÷1.1), Delete / Backspace remove the component.
 */
import type { MixtureSpec } from '../../core/mixture';
import { covFromAxes, sdLimits, type Axes } from './ellipse';
import { removeComponent, scaleCov, setCov, setMean, type Edit } from './spec';

/** Which handle of a component has focus. */
export type Handle = { kind: 'mean' } | { kind: 'axis'; axis: 0 | 1 } | { kind: 'sd' };

export type KeyAction =
  | { type: 'move'; delta: number[] }
  | { type: 'length'; delta: number }
  | { type: 'rotate'; delta: number }
  | { type: 'scale'; factor: number }
  | { type: 'remove' };

export const STEP = 0.1;
export const BIG_STEP = 1;
export const SCALE_FACTOR = 1.1;
export const ROTATE_STEP = Math.PI / 36;
export const BIG_ROTATE_STEP = Math.PI / 12;

/** The action for `key` (KeyboardEvent.key) on a handle, or null when the key is not ours. */
export function keyAction(key: string, shift: boolean, handle: Handle, dim: 1 | 2): KeyAction | null {
  if (key === '+' || key === '=') return { type: 'scale', factor: SCALE_FACTOR };
  if (key === '-' || key === '_' || key === '−') return { type: 'scale', factor: 1 / SCALE_FACTOR };
  if (key === 'Delete' || key === 'Backspace') return { type: 'remove' };
  const sign = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[key];
  if (sign === undefined) return null;
  const step = shift ? BIG_STEP : STEP;
  const vertical = key === 'ArrowUp' || key === 'ArrowDown';
  switch (handle.kind) {
    case 'mean':
      if (dim === 1) return { type: 'move', delta: [sign * step] };
      return { type: 'move', delta: vertical ? [0, sign * step] : [sign * step, 0] };
    case 'sd':
      return { type: 'length', delta: sign * step };
    case 'axis':
      if (vertical) return { type: 'length', delta: sign * step };
      // Left turns counter-clockwise (positive angle in data space, where y points up).
      return { type: 'rotate', delta: -sign * (shift ? BIG_ROTATE_STEP : ROTATE_STEP) };
  }
}

/**
 * Apply an action to component k. `axes` are the axes as drawn (2D axis handles need their
 * labelling); lengths are clamped into the view's limits, means into the view.
 */
export function applyAction(spec: MixtureSpec, k: number, handle: Handle, action: KeyAction, view: readonly number[], axes?: Axes): Edit {
  const lim = sdLimits([...view]);
  const clampSd = (s: number) => Math.min(lim.max, Math.max(lim.min, s));
  switch (action.type) {
    case 'remove':
      return removeComponent(spec, k);
    case 'scale':
      return scaleCov(spec, k, action.factor, view);
    case 'move':
      return setMean(
        spec,
        k,
        spec.means[k].map((v, a) => v + (action.delta[a] ?? 0)),
        view,
      );
    case 'length': {
      if (handle.kind === 'axis' && axes) {
        const sd: [number, number] = [axes.sd[0], axes.sd[1]];
        sd[handle.axis] = clampSd(sd[handle.axis] + action.delta);
        return setCov(spec, k, covFromAxes({ angle: axes.angle, sd }));
      }
      if (spec.means[k].length !== 1) return { ok: false, message: 'Pick an axis handle to change a 2D covariance.' };
      const s = clampSd(Math.sqrt(spec.covs[k][0][0]) + action.delta);
      return setCov(spec, k, [[s * s]]);
    }
    case 'rotate':
      if (!axes) return { ok: false, message: 'Only a 2D covariance can be rotated.' };
      return setCov(spec, k, covFromAxes({ angle: axes.angle + action.delta, sd: axes.sd }));
  }
}
