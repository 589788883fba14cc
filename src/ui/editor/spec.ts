/**
 * Edits of a MixtureSpec as pure functions. Each returns an `Edit`: either a new spec that
 * `createMixture` accepts, or a message saying why the edit was refused, so the editor can show
 * the message and keep the last valid spec. Inputs are never mutated (they may be Svelte proxies).
 */
import { createMixture, dimOf, MAX_COMPONENTS, type MixtureSpec } from '../../core/mixture';
import { axesFromCov, covFromAxes, scaleAxes, sdLimits } from './ellipse';

export type Edit = { ok: true; spec: MixtureSpec } | { ok: false; message: string };

/** A plain deep copy (works on Svelte state proxies, unlike structuredClone). */
export function cloneSpec(spec: MixtureSpec): MixtureSpec {
  return {
    weights: Array.from(spec.weights),
    means: spec.means.map((m) => Array.from(m)),
    covs: spec.covs.map((c) => c.map((r) => Array.from(r))),
  };
}

/** Weights divided by their sum (what the editor shows). */
export function shares(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

/** A number as the editor prints it: up to 3 decimals, no trailing zeros, a real minus sign. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  const s = String(Number(v.toFixed(digits)));
  return s === '-0' ? '0' : s.replace('-', '−');
}

const AXIS_NAMES = ['x', 'y'];

/** Accept a spec only if createMixture does; its message, without the prefix, otherwise. */
export function validate(spec: MixtureSpec): Edit {
  try {
    createMixture(spec);
    return { ok: true, spec };
  } catch (e) {
    const prefix = 'invalid mixture: ';
    const m = e instanceof Error ? (e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message) : String(e);
    return { ok: false, message: m.charAt(0).toUpperCase() + m.slice(1) + '.' };
  }
}

function refuse(message: string): Edit {
  return { ok: false, message };
}

/** Clamp a point into the view box (data units). */
export function clampToView(p: readonly number[], view: readonly number[]): number[] {
  return p.map((v, a) => Math.min(view[2 * a + 1], Math.max(view[2 * a], v)));
}

/**
 * Set component k's normalised weight to p ∈ (0, 1); the others keep their proportions and share
 * 1 − p. The result has normalised weights. A lone component always has weight 1.
 */
export function setShare(spec: MixtureSpec, k: number, p: number): Edit {
  const n = spec.weights.length;
  if (!Number.isFinite(p)) return refuse(`Weight of component ${k + 1} must be a number.`);
  if (n === 1) {
    if (p > 0) return validate({ ...cloneSpec(spec), weights: [1] });
    return refuse('Weight of component 1 must be positive; a single component always has weight 1.');
  }
  if (!(p > 0 && p < 1)) return refuse(`Weight of component ${k + 1} must be between 0 and 1 (got ${fmt(p)}); the weights are shares that sum to 1.`);
  const s = shares(spec.weights);
  const rest = 1 - s[k];
  const next = cloneSpec(spec);
  next.weights = s.map((w, j) => (j === k ? p : (w * (1 - p)) / rest));
  return validate(next);
}

/** Set one coordinate of component k's mean; refused when it is not finite or leaves the view. */
export function setMeanCoord(spec: MixtureSpec, k: number, axis: number, v: number, view: readonly number[]): Edit {
  const name = dimOf(spec) === 1 ? 'mean' : `${AXIS_NAMES[axis]} of the mean`;
  if (!Number.isFinite(v)) return refuse(`The ${name} of component ${k + 1} must be a number.`);
  const lo = view[2 * axis],
    hi = view[2 * axis + 1];
  if (v < lo || v > hi) return refuse(`The ${name} of component ${k + 1} (${fmt(v)}) is outside the view, ${fmt(lo)} to ${fmt(hi)}.`);
  const next = cloneSpec(spec);
  next.means[k][axis] = v;
  return validate(next);
}

/** Move component k's mean to p, clamped into the view (for drags and arrow keys). */
export function setMean(spec: MixtureSpec, k: number, p: readonly number[], view: readonly number[]): Edit {
  if (!p.every(Number.isFinite)) return refuse(`The mean of component ${k + 1} must be finite.`);
  const next = cloneSpec(spec);
  next.means[k] = clampToView(p, view);
  return validate(next);
}

/**
 * Set covariance entry (row, col) of component k; off-diagonal edits keep Σ symmetric. Refused
 * when the result is not positive definite (1D: a variance ≤ 0).
 */
export function setCovEntry(spec: MixtureSpec, k: number, row: number, col: number, v: number): Edit {
  const d = dimOf(spec);
  if (!Number.isFinite(v)) return refuse(`Covariance entries of component ${k + 1} must be numbers.`);
  const next = cloneSpec(spec);
  next.covs[k][row][col] = v;
  next.covs[k][col][row] = v;
  if (d === 1) {
    if (!(v > 0)) return refuse(`The variance of component ${k + 1} must be positive (got ${fmt(v)}).`);
    return validate(next);
  }
  const [[a, b], [, c]] = next.covs[k];
  if (!(a > 0 && c > 0 && a * c - b * b > 1e-9 * a * c))
    return refuse(
      `The covariance of component ${k + 1} would not be positive definite: it needs Σ₁₁ > 0, Σ₂₂ > 0 and ` +
        `Σ₁₂² < Σ₁₁·Σ₂₂ (here ${fmt(b * b)} vs ${fmt(a * c)}).`,
    );
  return validate(next);
}

/** Replace component k's covariance. */
export function setCov(spec: MixtureSpec, k: number, cov: number[][]): Edit {
  const next = cloneSpec(spec);
  next.covs[k] = cov.map((r) => Array.from(r));
  return validate(next);
}

/** Multiply component k's standard deviations by f (Σ by f²), clamped to the view's limits. */
export function scaleCov(spec: MixtureSpec, k: number, f: number, view: readonly number[]): Edit {
  if (!(f > 0) || !Number.isFinite(f)) return refuse(`Scale factor must be positive (got ${fmt(f)}).`);
  const lim = sdLimits([...view]);
  if (dimOf(spec) === 1) {
    const sd = Math.min(lim.max, Math.max(lim.min, Math.sqrt(spec.covs[k][0][0]) * f));
    return setCov(spec, k, [[sd * sd]]);
  }
  try {
    return setCov(spec, k, covFromAxes(scaleAxes(axesFromCov(spec.covs[k]), f, lim)));
  } catch (e) {
    return refuse(`The covariance of component ${k + 1} cannot be scaled: ${e instanceof Error ? e.message : e}.`);
  }
}

/**
 * Where a new component goes: of the points of a 5 × 5 grid inside the view (from 20% to 80% of
 * each side; 5 points in 1D), the first one farthest from every existing mean, so added
 * components do not pile up on each other.
 */
export function freeSpot(spec: MixtureSpec, view: readonly number[]): number[] {
  const d = dimOf(spec);
  const t = [0.2, 0.35, 0.5, 0.65, 0.8];
  const at = (a: number, u: number) => view[2 * a] + u * (view[2 * a + 1] - view[2 * a]);
  const grid = d === 1 ? t.map((u) => [at(0, u)]) : t.flatMap((v) => t.map((u) => [at(0, u), at(1, v)]));
  // Nearest the centre first: among equally free spots, the most central wins.
  const centre = Array.from({ length: d }, (_, a) => at(a, 0.5));
  grid.sort((p, q) => dist2(p, centre) - dist2(q, centre));
  let best = grid[0],
    bestGap = -1;
  for (const p of grid) {
    const gap = Math.min(...spec.means.map((m) => dist2(p, m)));
    if (gap > bestGap + 1e-9) {
      best = p;
      bestGap = gap;
    }
  }
  return best;
}

function dist2(p: readonly number[], q: readonly number[]): number {
  return p.reduce((s, v, a) => s + (v - q[a]) ** 2, 0);
}

/**
 * Add a component at `freeSpot`, isotropic with standard deviation 1/20 of the view's larger
 * span and a share of 1/(k + 1); refused beyond MAX_COMPONENTS.
 */
export function addComponent(spec: MixtureSpec, view: readonly number[]): Edit {
  const n = spec.weights.length;
  if (n >= MAX_COMPONENTS) return refuse(`A mixture has at most ${MAX_COMPONENTS} components; remove one before adding another.`);
  const d = dimOf(spec);
  const next = cloneSpec(spec);
  const sd = sdLimits([...view]).max / 20;
  next.weights = [...shares(spec.weights).map((w) => (w * n) / (n + 1)), 1 / (n + 1)];
  next.means.push(freeSpot(spec, view));
  next.covs.push(
    d === 1
      ? [[sd * sd]]
      : [
          [sd * sd, 0],
          [0, sd * sd],
        ],
  );
  return validate(next);
}

/** Remove component k; refused for the last one. */
export function removeComponent(spec: MixtureSpec, k: number): Edit {
  if (spec.weights.length <= 1) return refuse('A mixture needs at least one component; the last one cannot be removed.');
  if (!(k >= 0 && k < spec.weights.length)) return refuse(`There is no component ${k + 1}.`);
  const next = cloneSpec(spec);
  next.weights.splice(k, 1);
  next.means.splice(k, 1);
  next.covs.splice(k, 1);
  return validate(next);
}
