/** Splitting a sampler's recorded trails into one positions array per snapshot. */
import type { Trails } from '../../core/samplers';

/** The positions of frame f of recorded trails (n × d), for each f in `which` that was recorded. */
export function trailFrames(t: Trails, which: readonly number[]): Float32Array[] {
  const size = t.n * t.dim;
  return which.filter((f) => f < t.frames).map((f) => t.data.slice(f * size, (f + 1) * size));
}
