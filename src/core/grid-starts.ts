/**
 * Starting points for showing a sampler's flow: a regular side × side grid over a box, and each
 * point's angle around a centre, so particles can be coloured by where they came from.
 */

/** side × side points over [xmin, xmax] × [ymin, ymax], corners included, row-major in y (n × 2 flat). */
export function gridStarts(box: readonly number[], side: number): Float32Array {
  if (box.length !== 4 || !(box[1] > box[0]) || !(box[3] > box[2]))
    throw new Error('gridStarts: box must be [xmin, xmax, ymin, ymax] with xmax > xmin, ymax > ymin');
  if (!Number.isInteger(side) || side < 2 || side > 200) throw new Error(`gridStarts: side is ${side}; it must be an integer in 2 … 200`);
  const out = new Float32Array(side * side * 2);
  for (let j = 0; j < side; j++)
    for (let i = 0; i < side; i++) {
      out[2 * (j * side + i)] = box[0] + ((box[1] - box[0]) * i) / (side - 1);
      out[2 * (j * side + i) + 1] = box[2] + ((box[3] - box[2]) * j) / (side - 1);
    }
  return out;
}

/** Angle of each point (n × 2 flat) around `centre`, in [0, 1) turns counter-clockwise from +x (0 at the centre itself). */
export function startTurns(points: ArrayLike<number>, centre: readonly [number, number] = [0, 0]): Float64Array {
  const n = Math.floor(points.length / 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.atan2(points[2 * i + 1] - centre[1], points[2 * i] - centre[0]) / (2 * Math.PI);
    out[i] = a < 0 ? a + 1 : a;
  }
  return out;
}
