/**
 * Density recovery from a score field on a grid: find φ with ∇φ ≈ s, then p = exp(φ) / Z on the grid.
 *
 * 1D: every field is a gradient, so cumulative trapezoid integration is exact up to O(dx²).
 * 2D: a learned field need not be conservative (curl ≠ 0), so no φ has ∇φ = s exactly. We take the
 * least-squares potential  φ = argmin Σ_edges (Dφ − g)²,  D the forward difference on each grid
 * edge and g the field averaged onto that edge (trapezoid, second order). Its normal equations
 * DᵀD φ = Dᵀ g are the 5-point Poisson equation −Δ_h φ = −div_h g with Neumann boundaries, and the
 * curl part of s — orthogonal to all gradients — drops out.
 *
 * Solver choice: DᵀD along one axis is the path-graph Laplacian, diagonalised exactly by the DCT-II
 * (eigenvectors cos(πk(i + ½)/n), eigenvalues 2 − 2cos(πk/n)). So the solve is: DCT-II of the
 * right-hand side on both axes, divide by the eigenvalues, invert. A direct O(n²) transform per
 * line (O(n³) in all, with a cosine table) is exact, has no iteration count or tolerance to tune,
 * and costs ≈ 4·n³ multiply–adds: ~4M at 100×100, ~32M at 200×200 (tens of ms), ~0.5G at 512².
 */
import { logSumExp } from './mixture';
import { cellSize, type Grid, type Grid1D, type Grid2D } from './grid';

type Values = ArrayLike<number>;

export interface RecoveredDensity {
  /** log p on the grid nodes, normalised so that Σ exp(logDensity) · cell = 1. */
  logDensity: Float64Array;
  /** p = exp(logDensity) on the grid nodes (Σ p · cell = 1). */
  density: Float64Array;
  /**
   * Share of the field that no potential explains: Σ‖Dφ − g‖² / Σ‖g‖² over grid edges
   * (≈ 0 for a gradient field, up to discretisation; larger for a rotational field).
   */
  residual: number;
}

function checkValues(s: Values, expected: number, what: string): void {
  if (s.length !== expected) throw new Error(`${what}: the score has ${s.length} values; the grid needs ${expected}`);
  for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) throw new Error(`${what}: the score has a non-finite value`);
}

/** logDensity = φ − log(Σ exp φ · cell), computed with log-sum-exp so large φ cannot overflow. */
export function normaliseLogDensity(phi: Values, cell: number): { logDensity: Float64Array; density: Float64Array } {
  const logZ = logSumExp(phi) + Math.log(cell);
  const logDensity = Float64Array.from(phi, (v) => v - logZ);
  const density = Float64Array.from(logDensity, Math.exp);
  return { logDensity, density };
}

/**
 * 1D: φ_0 = 0, φ_{i+1} = φ_i + ½ (s_i + s_{i+1}) dx (cumulative trapezoid), then normalise.
 * `s` holds the score at the grid's nx nodes.
 */
export function densityFromScore1d(grid: Grid1D, s: Values): RecoveredDensity {
  checkValues(s, grid.nx, 'densityFromScore1d');
  const phi = new Float64Array(grid.nx);
  for (let i = 1; i < grid.nx; i++) phi[i] = phi[i - 1] + 0.5 * (s[i - 1] + s[i]) * grid.dx;
  return { ...normaliseLogDensity(phi, grid.dx), residual: 0 };
}

/** Cosine table C[k·n + i] = cos(π k (i + ½) / n), the DCT-II matrix. */
function cosTable(n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[k * n + i] = Math.cos((Math.PI * k * (i + 0.5)) / n);
  return c;
}

/**
 * Apply M (n × n, row-major) along the x axis (inverse = false: out[j,k] = Σ_i M[k,i] a[j,i]) or, with
 * transpose, out[j,i] = Σ_k M[k,i] w_k a[j,k] — the DCT-III that inverts the DCT-II when
 * w_0 = 1/n, w_k = 2/n.
 */
function alongX(a: Float64Array, nx: number, ny: number, C: Float64Array, inverse: boolean): Float64Array {
  const out = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let k = 0; k < nx; k++) {
      if (!inverse) {
        let acc = 0;
        for (let i = 0; i < nx; i++) acc += C[k * nx + i] * a[row + i];
        out[row + k] = acc;
      } else {
        const v = a[row + k] * (k === 0 ? 1 / nx : 2 / nx);
        for (let i = 0; i < nx; i++) out[row + i] += C[k * nx + i] * v;
      }
    }
  }
  return out;
}

/** The same along y; the inner loop runs over contiguous rows. */
function alongY(a: Float64Array, nx: number, ny: number, C: Float64Array, inverse: boolean): Float64Array {
  const out = new Float64Array(nx * ny);
  for (let l = 0; l < ny; l++)
    for (let j = 0; j < ny; j++) {
      // Forward: out[l,·] += C[l,j] a[j,·].  Inverse: out[j,·] += C[l,j] w_l a[l,·].
      const c = C[l * ny + j] * (inverse ? (l === 0 ? 1 / ny : 2 / ny) : 1);
      const src = (inverse ? l : j) * nx,
        dst = (inverse ? j : l) * nx;
      for (let i = 0; i < nx; i++) out[dst + i] += c * a[src + i];
    }
  return out;
}

/**
 * Solve DᵀD φ = b on an nx × ny grid with spacings dx, dy (Neumann), choosing the mean-zero solution.
 * Exported for tests and for callers that already hold a divergence.
 */
export function solveNeumannPoisson(b: Float64Array, nx: number, ny: number, dx: number, dy: number): Float64Array {
  const Cx = cosTable(nx),
    Cy = nx === ny ? Cx : cosTable(ny);
  const bh = alongY(alongX(b, nx, ny, Cx, false), nx, ny, Cy, false);
  for (let l = 0; l < ny; l++) {
    const ly = (2 - 2 * Math.cos((Math.PI * l) / ny)) / (dy * dy);
    for (let k = 0; k < nx; k++) {
      const lx = (2 - 2 * Math.cos((Math.PI * k) / nx)) / (dx * dx);
      // The constant mode is free (φ is defined up to a constant); set it to 0.
      bh[l * nx + k] = k === 0 && l === 0 ? 0 : bh[l * nx + k] / (lx + ly);
    }
  }
  return alongX(alongY(bh, nx, ny, Cy, true), nx, ny, Cx, true);
}

/**
 * 2D: least-squares potential of the field (see the module comment), then normalise.
 * `s` is nx·ny × 2 at the grid points in the grid's row-major order (index j·nx + i).
 */
export function densityFromScore2d(grid: Grid2D, s: Values): RecoveredDensity {
  const { nx, ny, dx, dy } = grid;
  checkValues(s, nx * ny * 2, 'densityFromScore2d');
  // Edge targets: g on the x-edge (i,j)–(i+1,j) and the y-edge (i,j)–(i,j+1), trapezoid averages.
  const gx = new Float64Array(nx * ny),
    gy = new Float64Array(nx * ny);
  const b = new Float64Array(nx * ny);
  let gg = 0;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      if (i + 1 < nx) {
        gx[p] = 0.5 * (s[2 * p] + s[2 * (p + 1)]);
        gg += gx[p] ** 2;
        // Dᵀg: the edge leaves node p (−g/dx) and enters node p+1 (+g/dx).
        b[p] -= gx[p] / dx;
        b[p + 1] += gx[p] / dx;
      }
      if (j + 1 < ny) {
        gy[p] = 0.5 * (s[2 * p + 1] + s[2 * (p + nx) + 1]);
        gg += gy[p] ** 2;
        b[p] -= gy[p] / dy;
        b[p + nx] += gy[p] / dy;
      }
    }
  const phi = solveNeumannPoisson(b, nx, ny, dx, dy);
  let rr = 0;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      if (i + 1 < nx) rr += ((phi[p + 1] - phi[p]) / dx - gx[p]) ** 2;
      if (j + 1 < ny) rr += ((phi[p + nx] - phi[p]) / dy - gy[p]) ** 2;
    }
  return { ...normaliseLogDensity(phi, cellSize(grid)), residual: gg > 0 ? rr / gg : 0 };
}

/** Dispatch on the grid's dimension. */
export function densityFromScore(grid: Grid, s: Values): RecoveredDensity {
  return grid.dim === 1 ? densityFromScore1d(grid, s) : densityFromScore2d(grid, s);
}
