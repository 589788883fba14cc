/** Counting the hills of a density sampled on a grid. */

/**
 * Number of strict local maxima of a row-major nx × ny grid of values (ny = 1 for 1D): cells
 * larger than every neighbour (8 in 2D, 2 in 1D). Border cells count when they beat the
 * neighbours they have; plateaus count no maximum.
 */
export function countLocalMaxima(values: ArrayLike<number>, nx: number, ny = 1): number {
  if (values.length !== nx * ny) throw new Error(`countLocalMaxima: ${values.length} values for a ${nx} × ${ny} grid`);
  let count = 0;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i];
      let top = Number.isFinite(v);
      for (let dj = -1; dj <= 1 && top; dj++)
        for (let di = -1; di <= 1 && top; di++) {
          const a = i + di,
            b = j + dj;
          if ((di || dj) && a >= 0 && a < nx && b >= 0 && b < ny && !(values[b * nx + a] < v)) top = false;
        }
      if (top) count++;
    }
  return count;
}
