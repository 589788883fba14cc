/**
 * Geometry of a 2D Gaussian's covariance ellipses, as pure functions so the editor's handles can
 * be unit-tested without a DOM.
 *
 * A symmetric positive-definite Σ = R(θ) diag(s₁², s₂²) R(θ)ᵀ: the principal axes point along
 * u₁ = (cos θ, sin θ) and u₂ = (−sin θ, cos θ) with standard deviations s₁ ≥ s₂ > 0 along them.
 * The k-σ ellipse {x : (x − μ)ᵀ Σ⁻¹ (x − μ) = k²} has semi-axes k·s₁ and k·s₂.
 */

/** Principal axes of a 2×2 covariance. Angles are radians, counter-clockwise from +x, data units. */
export interface Axes {
  /** Direction of the first axis; the second is θ + π/2. */
  angle: number;
  /** Standard deviations along the first and second axis (> 0). */
  sd: [number, number];
}

export type Cov2 = number[][];

/** Signed difference a − b of two angles, wrapped into [−π, π). */
export function angleDiff(a: number, b: number): number {
  const t = 2 * Math.PI;
  return ((((a - b + Math.PI) % t) + t) % t) - Math.PI;
}

/**
 * Eigen-decomposition of a symmetric 2×2 covariance [[a, b], [b, c]] (the mean of the two
 * off-diagonal entries is used). Without `prev` the major axis comes first, angle in (−π/2, π/2].
 * With `prev` (the axes drawn a moment ago) the labelling and direction closest to it are kept,
 * so a handle being dragged or moved by keys never jumps to the other axis or to the opposite
 * end. Throws `invalid covariance: …` when Σ is not positive definite or not finite.
 */
export function axesFromCov(cov: Cov2, prev?: Axes): Axes {
  const a = cov[0][0],
    c = cov[1][1],
    b = 0.5 * (cov[0][1] + cov[1][0]);
  if (![a, b, c].every(Number.isFinite)) throw new Error('invalid covariance: non-finite entry');
  const mid = 0.5 * (a + c);
  const rad = Math.hypot(0.5 * (a - c), b);
  const l1 = mid + rad;
  // mid − rad loses digits when Σ is nearly singular; det / l1 does not.
  const l2 = (a * c - b * b) / l1;
  if (!(a > 0) || !(l2 > 0)) throw new Error('invalid covariance: not positive definite');
  const s1 = Math.sqrt(l1),
    s2 = Math.sqrt(l2);
  // An isotropic Σ has every direction as an eigenvector: keep the previous one, else the x axis.
  if (rad <= 1e-12 * mid) return { angle: prev && Number.isFinite(prev.angle) ? prev.angle : 0, sd: [s1, s2] };
  let angle = 0.5 * Math.atan2(2 * b, a - c);
  if (angle <= -Math.PI / 2) angle += Math.PI;
  if (!prev || !Number.isFinite(prev.angle)) return { angle, sd: [s1, s2] };
  const candidates: Axes[] = [
    { angle, sd: [s1, s2] },
    { angle: angle + Math.PI, sd: [s1, s2] },
    { angle: angle + Math.PI / 2, sd: [s2, s1] },
    { angle: angle - Math.PI / 2, sd: [s2, s1] },
  ];
  let best = candidates[0];
  for (const cand of candidates) if (Math.abs(angleDiff(cand.angle, prev.angle)) < Math.abs(angleDiff(best.angle, prev.angle))) best = cand;
  return { angle: prev.angle + angleDiff(best.angle, prev.angle), sd: best.sd };
}

/** Σ = R(θ) diag(s₁², s₂²) R(θ)ᵀ, exactly symmetric; positive definite whenever s₁, s₂ > 0. */
export function covFromAxes(axes: Axes): Cov2 {
  const { angle, sd } = axes;
  const co = Math.cos(angle),
    si = Math.sin(angle);
  const l1 = sd[0] * sd[0],
    l2 = sd[1] * sd[1];
  const a = l1 * co * co + l2 * si * si;
  const c = l1 * si * si + l2 * co * co;
  const b = (l1 - l2) * si * co;
  return [
    [a, b],
    [b, c],
  ];
}

/** Unit vector of axis i (0 or 1). */
export function axisDirection(axes: Axes, i: 0 | 1): [number, number] {
  const t = axes.angle + (i === 1 ? Math.PI / 2 : 0);
  return [Math.cos(t), Math.sin(t)];
}

/** The end of axis i on the k-σ ellipse: μ + k·s_i·u_i. */
export function axisEnd(mean: number[], axes: Axes, i: 0 | 1, k = 1): [number, number] {
  const [ux, uy] = axisDirection(axes, i);
  const r = k * axes.sd[i];
  return [mean[0] + r * ux, mean[1] + r * uy];
}

/** Bounds on a standard deviation, in data units, so Σ stays well conditioned for createMixture. */
export interface SdLimits {
  min: number;
  max: number;
}

/**
 * Limits tied to the view: at most its larger span, at least 1/1000 of it. The condition number
 * of Σ is then at most 10⁶, far from createMixture's relative determinant floor (10⁻¹²).
 */
export function sdLimits(view: number[]): SdLimits {
  let span = 0;
  for (let i = 0; i + 1 < view.length; i += 2) span = Math.max(span, Math.abs(view[i + 1] - view[i]));
  if (!(span > 0) || !Number.isFinite(span)) span = 1;
  return { min: span / 1000, max: span };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Dragging the handle of axis i (drawn at μ + k·s_i·u_i) to the point p: that axis turns to point
 * at p and its length becomes |p − μ| / k; the other axis keeps its length and stays perpendicular.
 * Positive definite by construction (both lengths clamped into the limits). A drop on the mean
 * itself keeps the old angle; a non-finite point changes nothing.
 */
export function dragAxis(mean: number[], axes: Axes, i: 0 | 1, p: number[], limits: SdLimits, k = 1): Axes {
  const vx = p[0] - mean[0],
    vy = p[1] - mean[1];
  const r = Math.hypot(vx, vy);
  const sd: [number, number] = [clamp(axes.sd[0], limits.min, limits.max), clamp(axes.sd[1], limits.min, limits.max)];
  if (!Number.isFinite(r)) return { angle: axes.angle, sd };
  if (r === 0) {
    sd[i] = limits.min;
    return { angle: axes.angle, sd };
  }
  sd[i] = clamp(r / k, limits.min, limits.max);
  const angle = Math.atan2(vy, vx) - (i === 1 ? Math.PI / 2 : 0);
  return { angle, sd };
}

/** Multiply both standard deviations by f (Σ by f²), clamped into the limits; keeps the angle. */
export function scaleAxes(axes: Axes, f: number, limits: SdLimits): Axes {
  return {
    angle: axes.angle,
    sd: [clamp(axes.sd[0] * f, limits.min, limits.max), clamp(axes.sd[1] * f, limits.min, limits.max)],
  };
}

/**
 * The k-σ ellipse as an SVG path through `sx`/`sy` (data → pixels; the y scale may flip), drawn
 * as a polygon of n segments so it stays exact under any linear map.
 */
export function ellipsePath(mean: number[], axes: Axes, k: number, sx: (v: number) => number, sy: (v: number) => number, n = 72): string {
  const [ux, uy] = axisDirection(axes, 0);
  const [vx, vy] = axisDirection(axes, 1);
  const a = k * axes.sd[0],
    b = k * axes.sd[1];
  let d = '';
  for (let j = 0; j < n; j++) {
    const t = (2 * Math.PI * j) / n;
    const ca = a * Math.cos(t),
      sb = b * Math.sin(t);
    const px = sx(mean[0] + ca * ux + sb * vx);
    const py = sy(mean[1] + ca * uy + sb * vy);
    d += `${j === 0 ? 'M' : 'L'}${px.toFixed(2)},${py.toFixed(2)}`;
  }
  return d + 'Z';
}
