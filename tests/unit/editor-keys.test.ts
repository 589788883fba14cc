import { describe, it, expect } from 'vitest';
import { createMixture, type MixtureSpec } from '../../src/core/mixture';
import { createRng } from '../../src/core/rng';
import { findPreset } from '../../src/core/presets';
import { applyAction, keyAction, type Handle } from '../../src/ui/editor/keys';
import { axesFromCov } from '../../src/ui/editor/ellipse';
import { cloneSpec, type Edit } from '../../src/ui/editor/spec';
import { axisLabel, meanLabel, sdLabel } from '../../src/ui/editor/handles';
import { appendPoints, brush, PAINT_CAP } from '../../src/ui/editor/paint';

const view2 = [-9, 11, -5, 11];
const view1 = [-8, 8];
const three = () => cloneSpec(findPreset('three-blobs')!.spec);
const one = () => cloneSpec(findPreset('bimodal-1d')!.spec);
const mean: Handle = { kind: 'mean' };

function press(spec: MixtureSpec, k: number, handle: Handle, key: string, shift = false, view = view2): Edit {
  const action = keyAction(key, shift, handle, spec.means[0].length as 1 | 2);
  if (!action) throw new Error(`no action for ${key}`);
  const axes = spec.means[0].length === 2 ? axesFromCov(spec.covs[k]) : undefined;
  return applyAction(spec, k, handle, action, view, axes);
}
function ok(e: Edit): MixtureSpec {
  if (!e.ok) throw new Error(e.message);
  expect(() => createMixture(e.spec)).not.toThrow();
  return e.spec;
}

describe('keyboard control of handles', () => {
  it('maps keys to actions and ignores others', () => {
    expect(keyAction('ArrowRight', false, mean, 2)).toEqual({ type: 'move', delta: [0.1, 0] });
    expect(keyAction('ArrowUp', true, mean, 2)).toEqual({ type: 'move', delta: [0, 1] });
    expect(keyAction('ArrowUp', false, mean, 1)).toEqual({ type: 'move', delta: [0.1] });
    expect(keyAction('+', false, mean, 2)).toEqual({ type: 'scale', factor: 1.1 });
    expect(keyAction('=', false, { kind: 'sd' }, 1)).toEqual({ type: 'scale', factor: 1.1 });
    expect(keyAction('Delete', false, mean, 2)).toEqual({ type: 'remove' });
    expect(keyAction('Tab', false, mean, 2)).toBeNull();
    expect(keyAction('a', false, mean, 2)).toBeNull();
  });

  it('moves a mean by 0.1, or 1 with Shift, within the view', () => {
    const s = three();
    expect(ok(press(s, 1, mean, 'ArrowRight')).means[1][0]).toBeCloseTo(6.1, 12);
    expect(ok(press(s, 1, mean, 'ArrowDown', true)).means[1]).toEqual([6, 5]);
    const edge = ok(
      press(
        {
          ...s,
          means: [
            [11, 0],
            [6, 6],
            [-4, 5],
          ],
        },
        0,
        mean,
        'ArrowRight',
        true,
      ),
    );
    expect(edge.means[0]).toEqual([11, 0]);
    expect(ok(press(one(), 0, mean, 'ArrowLeft', false, view1)).means[0][0]).toBeCloseTo(-3.1, 12);
  });

  it('scales with + and −, changes and turns axes, and stays positive definite', () => {
    const s = three();
    const det = (c: number[][]) => c[0][0] * c[1][1] - c[0][1] * c[1][0];
    expect(det(ok(press(s, 0, mean, '+')).covs[0]) / det(s.covs[0])).toBeCloseTo(1.1 ** 4, 10);
    expect(det(ok(press(s, 0, mean, '-')).covs[0]) / det(s.covs[0])).toBeCloseTo(1.1 ** -4, 10);
    const axis0: Handle = { kind: 'axis', axis: 0 };
    const longer = axesFromCov(ok(press(s, 0, axis0, 'ArrowUp')).covs[0]);
    expect(longer.sd[0]).toBeCloseTo(Math.sqrt(1.5) + 0.1, 10);
    const turned = axesFromCov(ok(press(s, 0, axis0, 'ArrowLeft', true)).covs[0]);
    expect(turned.angle).toBeCloseTo(Math.PI / 4 + Math.PI / 12, 10);
    // Hammering any key on any handle never leaves a covariance createMixture refuses.
    const rng = createRng(5);
    const keys = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', '+', '-'];
    const handles: Handle[] = [mean, axis0, { kind: 'axis', axis: 1 }];
    let cur = s;
    for (let t = 0; t < 500; t++) cur = ok(press(cur, rng.int(3), handles[rng.int(3)], keys[rng.int(6)], rng.uniform() < 0.5));
  });

  it('changes a 1D standard deviation and removes components until one is left', () => {
    const s = one();
    expect(ok(press(s, 1, { kind: 'sd' }, 'ArrowRight', false, view1)).covs[1][0][0]).toBeCloseTo(1.21, 12);
    const narrow = ok(press(s, 1, { kind: 'sd' }, 'ArrowDown', true, view1));
    expect(narrow.covs[1][0][0]).toBeCloseTo((16 / 1000) ** 2, 12);
    const left = ok(press(s, 0, mean, 'Delete', false, view1));
    expect(left.means).toEqual([[3]]);
    const e = press(left, 0, mean, 'Backspace', false, view1);
    expect(e.ok).toBe(false);
  });

  it('names handles with their values', () => {
    expect(meanLabel(1, [3, 1.5])).toBe('mean of component 2, x = 3.00, y = 1.50');
    expect(meanLabel(0, [-0.001])).toBe('mean of component 1, x = 0.00');
    expect(sdLabel(0, 1)).toBe('standard deviation of component 1, 1.00');
    expect(axisLabel(2, 1, { angle: 0, sd: [2, 0.5] })).toBe('axis 2 of component 3, standard deviation 0.50, direction 90 degrees');
  });
});

describe('painting points', () => {
  it('appends up to the cap and counts what was dropped', () => {
    const base = new Float32Array(2 * (PAINT_CAP - 2));
    const r = appendPoints(base, [1, 2, 3, 4, 5, 6], 2);
    expect(r.points.length).toBe(2 * PAINT_CAP);
    expect(Array.from(r.points.slice(-4))).toEqual([1, 2, 3, 4]);
    expect(r.dropped).toBe(1);
    const s = appendPoints(new Float32Array(0), [0.5], 1);
    expect(Array.from(s.points)).toEqual([0.5]);
    expect(s.dropped).toBe(0);
  });

  it('sprays points around the brush and keeps them in the view', () => {
    const rng = createRng(1);
    expect(brush([1, 2], 1, 0.5, view2, rng)).toEqual([1, 2]);
    const pts = brush([10.9, 0], 50, 0.5, view2, rng);
    expect(pts.length % 2).toBe(0);
    expect(pts.length).toBeLessThan(100);
    for (let i = 0; i < pts.length; i += 2) expect(pts[i]).toBeLessThanOrEqual(11);
    expect(brush([0], 10, 0.1, view1, createRng(2))).toEqual(brush([0], 10, 0.1, view1, createRng(2)));
  });
});
