import { describe, it, expect } from 'vitest';
import { createMixture, dimOf, MAX_COMPONENTS, type MixtureSpec } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import {
  addComponent,
  clampToView,
  cloneSpec,
  fmt,
  freeSpot,
  removeComponent,
  scaleCov,
  setCovEntry,
  setMean,
  setMeanCoord,
  setShare,
  shares,
  validate,
  type Edit,
} from '../../src/ui/editor/spec';
import { axesFromCov } from '../../src/ui/editor/ellipse';

const three = () => cloneSpec(findPreset('three-blobs')!.spec);
const view2 = findPreset('three-blobs')!.view;
const one = () => cloneSpec(findPreset('bimodal-1d')!.spec);
const view1 = findPreset('bimodal-1d')!.view;

function ok(e: Edit): MixtureSpec {
  if (!e.ok) throw new Error(`expected an accepted edit, got: ${e.message}`);
  expect(() => createMixture(e.spec)).not.toThrow();
  return e.spec;
}
function refused(e: Edit): string {
  if (e.ok) throw new Error('expected a refused edit');
  expect(e.message.length).toBeGreaterThan(10);
  return e.message;
}

describe('mixture spec edits', () => {
  it('accepts the presets and reads their dimension', () => {
    expect(validate(three()).ok).toBe(true);
    expect(dimOf(three())).toBe(2);
    expect(dimOf(one())).toBe(1);
    expect(
      refused(
        validate({
          weights: [1],
          means: [[0, 0]],
          covs: [
            [
              [1, 2],
              [2, 1],
            ],
          ],
        }),
      ),
    ).toMatch(/positive definite/);
  });

  it('sets a normalised weight and rescales the others in proportion', () => {
    const s = one();
    const next = ok(setShare(s, 0, 0.25));
    expect(next.weights[0]).toBeCloseTo(0.25, 12);
    expect(next.weights[1]).toBeCloseTo(0.75, 12);
    const t = ok(setShare(three(), 1, 0.5));
    expect(shares(t.weights)).toEqual(t.weights.map((w) => w / t.weights.reduce((a, b) => a + b)));
    expect(t.weights[0]).toBeCloseTo(0.25, 12);
    expect(t.weights[2]).toBeCloseTo(0.25, 12);
    expect(s.weights).toEqual([0.1, 0.9]);
    for (const bad of [0, 1, -0.2, 1.5, NaN, Infinity]) refused(setShare(s, 0, bad));
    expect(refused(setShare(s, 1, 0))).toMatch(/between 0 and 1/);
    const single = { weights: [3], means: [[0]], covs: [[[1]]] };
    expect(ok(setShare(single, 0, 0.4)).weights).toEqual([1]);
  });

  it('sets a mean inside the view and refuses one outside', () => {
    const s = three();
    expect(ok(setMeanCoord(s, 1, 0, 3.5, view2)).means[1]).toEqual([3.5, 6]);
    expect(refused(setMeanCoord(s, 1, 0, 12, view2))).toMatch(/outside the view/);
    expect(refused(setMeanCoord(s, 0, 1, NaN, view2))).toMatch(/must be a number/);
    expect(s.means[1]).toEqual([6, 6]);
    expect(ok(setMeanCoord(one(), 0, 0, -7.5, view1)).means[0]).toEqual([-7.5]);
    expect(refused(setMeanCoord(one(), 0, 0, -8.5, view1))).toMatch(/mean of component 1/);
  });

  it('clamps dragged means into the view', () => {
    expect(clampToView([20, -20], view2)).toEqual([11, -5]);
    expect(ok(setMean(three(), 2, [100, 0], view2)).means[2]).toEqual([11, 0]);
    refused(setMean(three(), 2, [NaN, 0], view2));
  });

  it('keeps covariance edits symmetric and positive definite', () => {
    const s = three();
    const next = ok(setCovEntry(s, 0, 0, 1, 0.8));
    expect(next.covs[0]).toEqual([
      [1, 0.8],
      [0.8, 1],
    ]);
    expect(ok(setCovEntry(s, 0, 1, 0, -0.3)).covs[0]).toEqual([
      [1, -0.3],
      [-0.3, 1],
    ]);
    expect(refused(setCovEntry(s, 0, 0, 1, 1))).toMatch(/positive definite/);
    expect(refused(setCovEntry(s, 0, 0, 1, 2))).toMatch(/positive definite/);
    expect(refused(setCovEntry(s, 2, 1, 1, 0))).toMatch(/positive definite/);
    expect(refused(setCovEntry(s, 2, 0, 0, -1))).toMatch(/positive definite/);
    refused(setCovEntry(s, 2, 0, 0, NaN));
    expect(s.covs[0]).toEqual([
      [1, 0.5],
      [0.5, 1],
    ]);
    expect(ok(setCovEntry(one(), 1, 0, 0, 0.25)).covs[1]).toEqual([[0.25]]);
    expect(refused(setCovEntry(one(), 1, 0, 0, 0))).toMatch(/variance of component 2 must be positive/);
  });

  it('scales a covariance keeping its shape', () => {
    const s = three();
    const next = ok(scaleCov(s, 1, 2, view2));
    const a = axesFromCov(s.covs[1]),
      b = axesFromCov(next.covs[1]);
    expect(b.sd[0]).toBeCloseTo(2 * a.sd[0], 10);
    expect(b.sd[1]).toBeCloseTo(2 * a.sd[1], 10);
    expect(b.angle).toBeCloseTo(a.angle, 10);
    expect(ok(scaleCov(one(), 0, 3, view1)).covs[0][0][0]).toBeCloseTo(9, 12);
    refused(scaleCov(s, 0, 0, view2));
  });

  it('adds components up to MAX_COMPONENTS and refuses more, naming the limit', () => {
    let s = three();
    for (let k = 3; k < MAX_COMPONENTS; k++) {
      s = ok(addComponent(s, view2));
      expect(s.weights.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
      expect(s.weights[k]).toBeCloseTo(1 / (k + 1), 12);
      expect(s.means[k][0]).toBeGreaterThan(view2[0]);
      expect(s.means[k][1]).toBeLessThan(view2[3]);
      // Never on top of an earlier mean.
      for (let j = 0; j < k; j++) expect(Math.hypot(s.means[k][0] - s.means[j][0], s.means[k][1] - s.means[j][1])).toBeGreaterThan(1);
    }
    expect(s.weights.length).toBe(MAX_COMPONENTS);
    expect(refused(addComponent(s, view2))).toContain(String(MAX_COMPONENTS));
    const t = ok(addComponent(one(), view1));
    // The farthest of the 1D grid points from −3 and 3 is the centre.
    expect(t.means[2]).toEqual([0]);
    expect(
      freeSpot(
        {
          weights: [1],
          means: [[0, 0]],
          covs: [
            [
              [1, 0],
              [0, 1],
            ],
          ],
        },
        [-10, 10, -10, 10],
      ),
    ).toEqual([-6, -6]);
    expect(
      freeSpot(
        {
          weights: [1],
          means: [[9, 9]],
          covs: [
            [
              [1, 0],
              [0, 1],
            ],
          ],
        },
        [-10, 10, -10, 10],
      ),
    ).toEqual([-6, -6]);
    expect(t.covs[2][0][0]).toBeGreaterThan(0);
  });

  it('removes components but never the last one', () => {
    let s = three();
    s = ok(removeComponent(s, 1));
    expect(s.means).toEqual([
      [0, 0],
      [-4, 5],
    ]);
    s = ok(removeComponent(s, 0));
    expect(refused(removeComponent(s, 0))).toMatch(/at least one component/);
    refused(removeComponent(three(), 5));
  });

  it('formats numbers for messages', () => {
    expect(fmt(1 / 3)).toBe('0.333');
    expect(fmt(-2.5)).toBe('−2.5');
    expect(fmt(-0.0001)).toBe('0');
    expect(fmt(NaN)).toBe('NaN');
  });
});
