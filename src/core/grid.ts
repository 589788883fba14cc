/** Regular grids over a view box, as flat point arrays the score and density functions take. */

export interface Grid1D {
  dim: 1;
  /** Cell centres x_i = x0 + i·dx, i = 0 … nx−1. */
  x0: number;
  dx: number;
  nx: number;
  points: Float64Array;
}

export interface Grid2D {
  dim: 2;
  x0: number;
  dx: number;
  nx: number;
  y0: number;
  dy: number;
  ny: number;
  /** Points in row-major order: index (j·nx + i) is (x0 + i·dx, y0 + j·dy). */
  points: Float64Array;
}

export type Grid = Grid1D | Grid2D;

/** Largest grid side (points per axis) the app allows; bigger grids stall a frame. */
export const MAX_GRID_SIDE = 512;

function checkSide(n: number): void {
  if (!Number.isInteger(n) || n < 2 || n > MAX_GRID_SIDE) throw new Error(`invalid grid: ${n} points per axis; allowed 2 … ${MAX_GRID_SIDE}`);
}

/** nx equally spaced nodes from xmin to xmax inclusive. */
export function grid1d(xmin: number, xmax: number, nx: number): Grid1D {
  checkSide(nx);
  if (!(xmax > xmin)) throw new Error(`invalid grid: empty range [${xmin}, ${xmax}]`);
  const dx = (xmax - xmin) / (nx - 1);
  const points = new Float64Array(nx);
  for (let i = 0; i < nx; i++) points[i] = xmin + i * dx;
  return { dim: 1, x0: xmin, dx, nx, points };
}

/** nx × ny nodes over [xmin, xmax] × [ymin, ymax] inclusive, row-major in y. */
export function grid2d(xmin: number, xmax: number, ymin: number, ymax: number, nx: number, ny: number): Grid2D {
  checkSide(nx);
  checkSide(ny);
  if (!(xmax > xmin) || !(ymax > ymin)) throw new Error('invalid grid: empty view box');
  const dx = (xmax - xmin) / (nx - 1);
  const dy = (ymax - ymin) / (ny - 1);
  const points = new Float64Array(nx * ny * 2);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const o = 2 * (j * nx + i);
      points[o] = xmin + i * dx;
      points[o + 1] = ymin + j * dy;
    }
  return { dim: 2, x0: xmin, dx, nx, y0: ymin, dy, ny, points };
}

/** Grid over a preset-style view box: [xmin, xmax] or [xmin, xmax, ymin, ymax]. */
export function gridForView(view: number[], n: number): Grid {
  return view.length === 2 ? grid1d(view[0], view[1], n) : grid2d(view[0], view[1], view[2], view[3], n, n);
}

/** Area (2D) or length (1D) of one grid cell, the quadrature weight. */
export function cellSize(g: Grid): number {
  return g.dim === 1 ? g.dx : g.dx * g.dy;
}
