import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/core/rng';
import { createMixture, smoothMixture, score, sampleMixture, type Mixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { geometricSigmas } from '../../src/core/schedule';
import {
  langevin,
  annealedLangevin,
  reverseSde,
  probabilityFlow,
  predictorCorrector,
  runSampler,
  runSamplerAsync,
  gaussianParticles,
  uniformParticles,
  priorParticles,
  viewCenter,
  validateAnnealedLangevinOptions,
  validateLangevinOptions,
  validatePredictorCorrectorOptions,
  validateReverseSdeOptions,
  MAX_PARTICLES,
  type ScoreFn,
  type FrameInfo,
} from '../../src/core/samplers';
import { energyDistance, modeShares } from '../../src/core/metrics';

/** Measured numbers are printed with VERBOSE_TESTS=1. */
const log: (...a: unknown[]) => void = process.env.VERBOSE_TESTS ? console.log : () => {};

/** Exact score of q_σ = p ∗ N(0, σ²I), one smoothed mixture cached per σ. */
function exactScore(m: Mixture): ScoreFn {
  const cache = new Map<number, Mixture>();
  return (x, sigma) => {
    let ms = cache.get(sigma);
    if (!ms) cache.set(sigma, (ms = smoothMixture(m, sigma)));
    return score(ms, x, new Float32Array(x.length)) as Float32Array;
  };
}

/** Closed-form score of N(μ, v + σ²) in 1D (fast, for the 20000-particle checks). */
const gaussScore =
  (mu: number, v: number): ScoreFn =>
  (x, sigma) => {
    const out = new Float32Array(x.length),
      k = -1 / (v + sigma * sigma);
    for (let i = 0; i < x.length; i++) out[i] = k * (x[i] - mu);
    return out;
  };

function meanVar(x: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  let q = 0;
  for (const v of x) q += (v - mean) ** 2;
  return { mean, variance: q / (x.length - 1) };
}

describe('Langevin at fixed σ on a 1D Gaussian N(1, 2) with its exact score', () => {
  // ULA on N(μ, v) with step α is the AR(1) x' = (1 − a)x + aμ + √(2α)z, a = α/v. Its stationary
  // law is N(μ, V), V = v / (1 − α/(2v)): unbiased mean, variance biased by the discretisation.
  // After T steps the start is forgotten up to (1 − a)^T (< 1e-6 here). Tolerances are 4 standard
  // errors: sd(mean) = √(V/n), sd(sample variance) = V √(2/(n − 1)), n = 20000.
  const mu = 1,
    v = 2,
    n = 20000;
  const run = (alpha: number, steps: number) =>
    runSampler(langevin({ x0: gaussianParticles(n, [-3], 1, createRng(1)), dim: 1, rng: createRng(2), sigma: 1e-3, steps, stepSize: alpha }), (x) =>
      gaussScore(mu, v)(x, 0),
    ).x;

  it('α = 0.1: mean and variance match N(1, 2) within sampling error + the O(α) bias', () => {
    const alpha = 0.1,
      V = v / (1 - alpha / (2 * v));
    const { mean, variance } = meanVar(run(alpha, 300));
    expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(V / n));
    expect(Math.abs(variance - V)).toBeLessThan(4 * V * Math.sqrt(2 / (n - 1)));
    expect(Math.abs(variance - v)).toBeLessThan(V - v + 4 * V * Math.sqrt(2 / (n - 1)));
  });

  it('α = 0.5: the predicted variance bias v/(1 − α/2v) − v ≈ 0.29 is really there', () => {
    const alpha = 0.5,
      V = v / (1 - alpha / (2 * v));
    const { mean, variance } = meanVar(run(alpha, 100));
    expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(V / n));
    expect(Math.abs(variance - V)).toBeLessThan(4 * V * Math.sqrt(2 / (n - 1)));
    expect(variance - v).toBeGreaterThan(0.15);
  });
});

describe('reverse-time samplers on a 1D Gaussian N(1, 0.5), checked against closed forms', () => {
  const mu = 1,
    v = 0.5,
    sMax = 3,
    sMin = 0.05;
  const sf = gaussScore(mu, v);
  /** σ_0 … σ_{N−1} then 0, as the samplers step. */
  const levels = (N: number) => [...geometricSigmas(sMin, sMax, N), 0];

  it('PF-ODE applies exactly the Euler factors Π(1 − ½Δ_i/(v + σ_i²)) and converges to the exact transport at first order', () => {
    const x0 = new Float32Array([-5, -1, 0, 1, 2, 7]);
    const exact = Math.sqrt(v / (v + sMax * sMax)); // continuous flow σ_max → 0: x − μ scales by √(v / (v + σ²))
    const err: number[] = [];
    for (const N of [50, 500]) {
      const s = levels(N);
      let f = 1;
      for (let i = 0; i < N; i++) f *= 1 - (0.5 * (s[i] ** 2 - s[i + 1] ** 2)) / (v + s[i] ** 2);
      const x = runSampler(probabilityFlow({ x0, dim: 1, rng: createRng(1), sigmaMin: sMin, sigmaMax: sMax, levels: N }), sf).x;
      const y = runSampler(probabilityFlow({ x0, dim: 1, rng: createRng(99), sigmaMin: sMin, sigmaMax: sMax, levels: N }), sf).x;
      expect(Array.from(y)).toEqual(Array.from(x)); // deterministic: the rng is never used
      // float32 positions over N steps: ~N·6e-8 relative rounding; 2e-5 leaves room.
      for (let i = 0; i < x0.length; i++) expect(Math.abs(x[i] - (mu + f * (x0[i] - mu)))).toBeLessThan(2e-5 * (1 + Math.abs(x0[i] - mu)));
      err.push(Math.abs(f - exact) / exact);
      log(`PF-ODE N=${N}: Euler factor ${f.toFixed(6)}, exact ${exact.toFixed(6)}, relative error ${err.at(-1)!.toExponential(2)}`);
    }
    // Measured: 4.3e-2 at N = 50 and 4.1e-3 at N = 500, i.e. first order in the step.
    expect(err[1]).toBeLessThan(err[0] / 5);
    expect(err[1]).toBeLessThan(6e-3);
  });

  it('reverse SDE reproduces the exact Euler–Maruyama variance recursion and ends near v', () => {
    // var' = (1 − Δ/(v + σ_i²))² var + Δ, starting at v + σ_0² (x0 drawn from q_σmax exactly).
    const N = 100,
      n = 20000,
      s = levels(N);
    let V = v + sMax * sMax;
    for (let i = 0; i < N; i++) {
      const d = s[i] ** 2 - s[i + 1] ** 2;
      V = (1 - d / (v + s[i] ** 2)) ** 2 * V + d;
    }
    const x0 = gaussianParticles(n, [mu], Math.sqrt(v + sMax * sMax), createRng(3));
    const x = runSampler(reverseSde({ x0, dim: 1, rng: createRng(4), sigmaMin: sMin, sigmaMax: sMax, levels: N }), sf).x;
    const { mean, variance } = meanVar(x);
    expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(V / n));
    expect(Math.abs(variance - V)).toBeLessThan(4 * V * Math.sqrt(2 / (n - 1)));
    expect(Math.abs(V - v)).toBeLessThan(0.02); // the discretisation bias itself (measured ≈ 0.008)
  });
});

describe('samplers on three-blobs with the exact σ-smoothed score (1000 particles)', () => {
  const preset = findPreset('three-blobs')!;
  const m = createMixture(preset.spec);
  const n = 1000,
    sMin = 0.05,
    sMax = 5;
  const sf = exactScore(m);
  const ref = sampleMixture(m, n, createRng(7)).x;
  // The floor: energy distance between two independent exact samples of these sizes. It is random
  // (a sum of weighted χ² terms, right-skewed); over 8 pairs it measures mean 0.0090, sd 0.0047
  // (about 0.01 with these sizes). An exact sampler's distance to `ref` has that same law, so we accept
  // ≤ mean + 3 sd (= 0.023). That limit has teeth: the reverse SDE started from N(centre, 25 I)
  // instead of q_σmax measured 0.03–0.04, and the PF-ODE from there 0.08–0.13. Mode shares: binomial sd √(⅓·⅔/1000) = 0.015, accept ±0.05 (3.3 sd).
  let floor: { mean: number; sd: number; limit: number } | undefined;
  const getFloor = () => {
    if (floor) return floor;
    const f = Array.from({ length: 8 }, (_, k) => energyDistance(sampleMixture(m, n, createRng(100 + k)).x, sampleMixture(m, n, createRng(200 + k)).x, 2));
    const mean = f.reduce((a, b) => a + b) / f.length;
    const sd = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / (f.length - 1));
    return (floor = { mean, sd, limit: mean + 3 * sd });
  };
  const expectNearTarget = (x: Float32Array, label: string) => {
    const { limit, mean } = getFloor();
    const ed = energyDistance(x, ref, 2);
    const ms = modeShares(m, x, { maxMahalanobis: 4 });
    log(
      `${label}: energy distance ${ed.toFixed(4)} (floor ${mean.toFixed(4)}, limit ${limit.toFixed(4)}), shares ${Array.from(ms.shares, (s) => s.toFixed(3)).join(' ')}, none ${ms.none.toFixed(3)}`,
    );
    expect(ed).toBeLessThanOrEqual(limit);
    for (const s of ms.shares) expect(Math.abs(s - 1 / 3)).toBeLessThan(0.05);
    expect(ms.none).toBeLessThan(0.01);
    return ed;
  };
  const start = () => gaussianParticles(n, viewCenter(preset.view), sMax, createRng(11));
  const base = (x0: Float32Array) => ({ x0, dim: 2 as const, rng: createRng(12), sigmaMin: sMin, sigmaMax: sMax });

  it('the floor itself is about 0.01 for 1000 vs 1000 points', () => {
    const f = getFloor();
    log(`energy-distance floor, 1000 vs 1000 exact samples, 8 pairs: mean ${f.mean.toFixed(4)}, sd ${f.sd.toFixed(4)}`);
    expect(f.mean).toBeGreaterThan(0.005);
    expect(f.mean).toBeLessThan(0.025);
  });

  it('annealed Langevin 10 levels × 100 steps at ε = 1e-4 reaches the floor, one third per mode', () => {
    const r = runSampler(annealedLangevin({ ...base(start()), levels: 10, stepsPerLevel: 100, eps: 1e-4 }), sf);
    expect(r.steps).toBe(1000);
    expectNearTarget(r.x, 'annealed 10×100 ε=1e-4'); // measured 0.0079, shares .313/.335/.351
  });

  it('annealed Langevin 10 × 8 at ε = 2e-5 stays far from the target (the lesson about defaults)', () => {
    const r = runSampler(annealedLangevin({ ...base(start()), levels: 10, stepsPerLevel: 8, eps: 2e-5 }), sf);
    const ed = energyDistance(r.x, ref, 2);
    const ms = modeShares(m, r.x, { maxMahalanobis: 4 });
    log(`annealed 10×8 ε=2e-5: energy distance ${ed.toFixed(4)}, none ${ms.none.toFixed(3)}`); // measured 0.369, none 0.364
    expect(ed).toBeGreaterThan(10 * getFloor().mean);
    expect(ms.none).toBeGreaterThan(0.2); // a third of the particles still sit between the modes
  });

  it('reverse SDE, PF-ODE and predictor–corrector with 100 levels reach the floor from q_σmax', () => {
    // Starting from exact q_σmax samples isolates the discretisation error of each sampler.
    // Measured: SDE 0.0115, PF-ODE 0.0054, PC 0.0035 (limit 0.023).
    const q0 = sampleMixture(smoothMixture(m, sMax), n, createRng(13)).x;
    expectNearTarget(runSampler(reverseSde({ ...base(q0), levels: 100 }), sf).x, 'reverse SDE 100');
    expectNearTarget(runSampler(probabilityFlow({ ...base(q0), levels: 100 }), sf).x, 'PF-ODE 100');
    const pc = runSampler(predictorCorrector({ ...base(q0), levels: 100, snr: 0.16, correctorSteps: 1 }), sf);
    expect(pc.steps).toBe(200);
    expectNearTarget(pc.x, 'PC 100');
  });

  it('PF-ODE inherits a wrong start N(centre, σ_max²I); the moment-matched prior or PC’s corrector fix it', () => {
    // σ_max = 5 is not ≫ the data's spread here, so N(centre, 25 I) is far from q_5; the ODE does
    // not mix and carries the mismatch through (measured 0.129 here, first mode ≈ 0.41). Measured
    // with the moment-matched prior 0.0129; PC from the wrong start 0.0032.
    const ode = runSampler(probabilityFlow({ ...base(start()), levels: 100 }), sf).x;
    const ed = energyDistance(ode, ref, 2);
    log(`PF-ODE from N(centre, 25I): energy distance ${ed.toFixed(4)}`);
    expect(ed).toBeGreaterThan(getFloor().limit);
    const data = sampleMixture(m, preset.n, createRng(14)).x;
    const prior = priorParticles(n, data, 2, sMax, createRng(11));
    expectNearTarget(runSampler(probabilityFlow({ ...base(prior), levels: 100 }), sf).x, 'PF-ODE from the moment-matched prior');
    expectNearTarget(runSampler(predictorCorrector({ ...base(start()), levels: 100 }), sf).x, 'PC from N(centre, 25I)');
  });
});

describe('sampler mechanics', () => {
  const m = createMixture(findPreset('two-blobs')!.spec);
  const sf = exactScore(m);
  const x0 = uniformParticles(20, [-4, 6, -4, 5], createRng(5));
  const ald = (seed: number, trails?: { every: number; maxFrames?: number }) =>
    annealedLangevin({ x0, dim: 2, rng: createRng(seed), sigmaMin: 0.1, sigmaMax: 3, levels: 3, stepsPerLevel: 10, eps: 1e-3, trails });

  it('trails: frame 0 is x0, frame f is the positions after f·every updates, σ per frame, capped', () => {
    const r = runSampler(ald(1, { every: 4 }), sf);
    const t = r.trails!;
    expect(t.frames).toBe(1 + Math.floor(30 / 4));
    expect(t.data.length).toBe(t.frames * 20 * 2);
    expect(Array.from(t.data.subarray(0, 40))).toEqual(Array.from(x0));
    // Frame 2 (after 8 updates) equals the end of an 8-step run with the same noise stream.
    // Level 0 of annealed Langevin is plain Langevin at σ_0 with α_0 = ε σ_0²/σ_L².
    const s = geometricSigmas(0.1, 3, 3);
    const short = runSampler(langevin({ x0, dim: 2, rng: createRng(1), sigma: s[0], steps: 8, stepSize: (1e-3 * s[0] * s[0]) / (s[2] * s[2]) }), sf);
    expect(Array.from(t.data.subarray(2 * 40, 3 * 40))).toEqual(Array.from(short.x));
    // Frames after updates 4, 8 (level 0), 12, 16, 20 (level 1), 24, 28 (level 2).
    expect(Array.from(t.sigmas)).toEqual(Array.from([s[0], s[0], s[0], s[1], s[1], s[1], s[2], s[2]], Math.fround));
    const capped = runSampler(ald(1, { every: 4, maxFrames: 3 }), sf).trails!;
    expect(capped.frames).toBe(3);
    expect(Array.from(capped.data)).toEqual(Array.from(t.data.subarray(0, 3 * 40)));
    expect(Array.from(runSampler(ald(1, { every: 4, maxFrames: 3 }), sf).x)).toEqual(Array.from(r.x));
    expect(runSampler(ald(1), sf).trails).toBeNull();
  });

  it('the same seed gives identical samples; another seed does not; x0 is not modified', () => {
    const copy = Float32Array.from(x0);
    const a = runSampler(ald(1), sf).x,
      b = runSampler(ald(1), sf).x,
      c = runSampler(ald(2), sf).x;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(x0)).toEqual(Array.from(copy));
  });

  it('the async driver gives the sync result, with a Promise score, frames and bursts', async () => {
    const sync = runSampler(predictorCorrector({ x0, dim: 2, rng: createRng(3), sigmaMin: 0.1, sigmaMax: 3, levels: 50 }), sf);
    const frames: FrameInfo[] = [];
    const asyncScore: ScoreFn = (x, s) => new Promise((res) => setTimeout(() => res(sf(x, s) as Float32Array), 0));
    const res = await runSamplerAsync(predictorCorrector({ x0, dim: 2, rng: createRng(3), sigmaMin: 0.1, sigmaMax: 3, levels: 50 }), asyncScore, {
      frameEvery: 25,
      burstMs: 0,
      onFrame: (_x, info) => frames.push(info),
    });
    expect(Array.from(res.x)).toEqual(Array.from(sync.x));
    expect(frames.map((f) => f.step)).toEqual([0, 25, 50, 75, 100]);
    expect(frames.at(-1)!.done).toBe(true);
    expect(frames[1].total).toBe(100);
  });

  it('the async driver stops on abort; the sync driver refuses a Promise score', async () => {
    const ctl = new AbortController();
    const gen = reverseSde({ x0, dim: 2, rng: createRng(3), sigmaMin: 0.1, sigmaMax: 3, levels: 100 });
    let last = -1;
    const p = runSamplerAsync(gen, sf, {
      frameEvery: 10,
      onFrame: (_x, i) => {
        last = i.step;
        if (i.step === 30) ctl.abort(new Error('stop'));
      },
      signal: ctl.signal,
    });
    await expect(p).rejects.toThrow('stop');
    expect(last).toBe(30);
    const gen2 = reverseSde({ x0, dim: 2, rng: createRng(3), sigmaMin: 0.1, sigmaMax: 3, levels: 10 });
    expect(() => runSampler(gen2, async (x, s) => sf(x, s))).toThrow(/synchronous/);
  });

  it('a score of the wrong length is an error, not silent corruption', () => {
    expect(() => runSampler(ald(1), () => new Float32Array(3))).toThrow(/3 values for 40/);
  });

  it('invalid options throw `invalid sampler options` naming the limit', () => {
    const rng = createRng(1);
    const big = new Float32Array((MAX_PARTICLES + 1) * 2);
    expect(() => validateAnnealedLangevinOptions({ x0: big, dim: 2, rng, sigmaMin: 0.1, sigmaMax: 1 })).toThrow(
      /invalid sampler options: 20001 particles; at most 20000/,
    );
    expect(() => annealedLangevin({ x0, dim: 2, rng, sigmaMin: 0.1, sigmaMax: 1, levels: 1000, stepsPerLevel: 101 })).toThrow(
      /101000 steps in total; at most 100000/,
    );
    expect(() => validateAnnealedLangevinOptions({ x0, dim: 2, rng, sigmaMin: 0.1, sigmaMax: 1, eps: 0 })).toThrow(/invalid sampler options: eps is 0/);
    expect(() => validateLangevinOptions({ x0, dim: 2, rng, sigma: 0.1, steps: 10, stepSize: -1 })).toThrow(/stepSize is -1; it must be a positive/);
    expect(() => validateReverseSdeOptions({ x0, dim: 2, rng, sigmaMin: 1, sigmaMax: 0.1 })).toThrow(/sigmaMax 0.1 is below sigmaMin 1/);
    expect(() => validateReverseSdeOptions({ x0, dim: 2, rng, sigmaMin: 0.1, sigmaMax: 1, levels: 1 })).toThrow(/levels is 1/);
    expect(() => validatePredictorCorrectorOptions({ x0, dim: 2, rng, sigmaMin: 0.1, sigmaMax: 1, levels: 50001, correctorSteps: 1 })).toThrow(
      /100002 steps in total/,
    );
    expect(() => validateLangevinOptions({ x0: new Float32Array(3), dim: 2, rng, sigma: 0.1, steps: 10, stepSize: 1 })).toThrow(/n × 2/);
    expect(() => gaussianParticles(MAX_PARTICLES + 1, [0, 0], 1, rng)).toThrow(/at most|20000/);
  });
});
