/**
 * Seeded pseudo-random numbers that give the same stream in every JavaScript engine.
 *
 * Generator: sfc32 (Small Fast Counting, 128-bit state), seeded through splitmix32 so that
 * nearby seeds give unrelated streams. Only 32-bit integer ops (`Math.imul`, `>>> 0`) are
 * used, so results are bit-identical in Node, browsers and workers.
 */
export interface Rng {
  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1) by the Box–Muller transform (the second value is cached). */
  normal(): number;
  /** Uniform integer in {0, …, n − 1}. */
  int(n: number): number;
  /** A new independent generator derived from this one (for sub-streams: init, batches, noise…). */
  fork(): Rng;
  /** Fill `out` with N(0, 1) draws. */
  fillNormal(out: Float32Array | Float64Array): typeof out;
  /** Fill `out` with uniform draws on [0, 1). */
  fillUniform(out: Float32Array | Float64Array): typeof out;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a generator from an integer seed (any finite number; it is reduced to 32 bits). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`invalid seed: ${seed}`);
  const init = splitmix32(Math.trunc(seed) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  let spare = NaN;

  function next(): number {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  }
  // Discard the first draws: sfc32's first outputs are correlated with the seed words.
  for (let i = 0; i < 12; i++) next();

  const rng: Rng = {
    uniform: () => next() / 4294967296,
    normal() {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = NaN;
        return v;
      }
      // 1 − u keeps the log argument in (0, 1].
      const u = 1 - rng.uniform();
      const v = rng.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(rng.uniform() * n),
    fork: () => createRng(next()),
    fillNormal(out) {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal();
      return out;
    },
    fillUniform(out) {
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform();
      return out;
    },
  };
  return rng;
}
