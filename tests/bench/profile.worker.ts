/**
 * Profiling worker for `npm run bench -- --mode profile`: where a training step's time goes on a
 * backend. It runs the trainer directly (no run, no messages) and reports
 * - ms/step of trainBurst (best of a few repeats: the machine is shared, so minima are the
 *   stable number),
 * - a kernel census of one step from tf.profile (leaf kernels only: customGrad and fused-op
 *   wrappers are listed by tfjs too and would count their children twice),
 * - micro-benchmarks of the kernels a step is made of, and the per-op dispatch floor.
 */
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { activate, setWasmThreads, tf } from '../../src/worker/backend';
import { createMixture, sampleMixture } from '../../src/core/mixture';
import { findPreset } from '../../src/core/presets';
import { createRng } from '../../src/core/rng';
import { createTrainer } from '../../src/model/trainer';
import type { Method } from '../../src/model/types';
import type { BackendName } from '../../src/worker/protocol';
import { annealedLangevinPlan, priorParticles } from '../../src/core/samplers';
import { runPlanOnDevice } from '../../src/model/plan-sampler';

export interface ProfileRequest {
  backend: BackendName;
  methods: Method[];
  threads?: number;
  width: number;
  depth: number;
  batch: number;
  /** Only count the kernels of one training step per method (train mode's census); no timings. */
  censusOnly?: boolean;
  /** Profile the app's default sample instead: annealed Langevin, this many particles, levels × steps. */
  sample?: { particles: number; levels: number; stepsPerLevel: number };
}

/** A trainer for the profile: the three-blobs preset's σ settings, seed 1, the request's shape. */
function profileTrainer(method: Method, req: ProfileRequest, data: Float32Array): ReturnType<typeof createTrainer> {
  const p = findPreset('three-blobs')!;
  return createTrainer({
    method,
    data,
    dim: 2,
    width: req.width,
    depth: req.depth,
    batchSize: req.batch,
    seed: 1,
    sigma: p.dsmSigma,
    sigmaMin: p.sigmaMin,
    sigmaMax: p.sigmaMax,
    projection: 'gaussian',
  });
}

type ProfiledKernel = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

/** Kernels grouped by name and input shapes, slowest first; counts and times divided by `per` (steps or updates). */
function groupKernels(leaves: ProfiledKernel[], per: number, digits: number): { kernel: string; count: number; ms: number }[] {
  const byKernel = new Map<string, { count: number; ms: number }>();
  for (const k of leaves) {
    const key = `${k.name} ${k.inputShapes.map((s) => (s ? `[${s.join(',')}]` : '-')).join(' ')}`;
    const e = byKernel.get(key) ?? { count: 0, ms: 0 };
    e.count++;
    e.ms += Number(k.kernelTimeMs);
    byKernel.set(key, e);
  }
  return [...byKernel].sort((a, b) => b[1].ms - a[1].ms).map(([kernel, e]) => ({ kernel, count: e.count / per, ms: +(e.ms / per).toFixed(digits) }));
}

/**
 * Where a sample's time goes: the whole levels × steps annealed-Langevin plan through
 * runPlanOnDevice (best of 3, trails every 3 updates as the panel asks), and the kernels of one
 * level (tf.profile) with their times. The net is untrained: a step costs the same either way.
 */
async function profileSample(req: ProfileRequest, name: string): Promise<Record<string, unknown>> {
  const { particles, levels, stepsPerLevel } = req.sample!;
  const p = findPreset('three-blobs')!;
  const data = sampleMixture(createMixture(p.spec), p.n, createRng(1)).x;
  const tr = profileTrainer('ncsn', req, data);
  const theta = await tr.getWeights();
  const planOf = (lv: number, trailEvery: number) => {
    const base = {
      x0: priorParticles(particles, data, 2, p.sigmaMax, createRng(2)),
      dim: 2 as const,
      rng: createRng(3),
      trails: trailEvery > 0 ? { every: trailEvery, maxFrames: 400 } : undefined,
    };
    return { base, plan: annealedLangevinPlan({ ...base, sigmaMin: p.sigmaMin, sigmaMax: p.sigmaMax, levels: lv, stepsPerLevel, eps: 2e-5 }) };
  };
  let totalMs = Infinity;
  for (let r = 0; r < 4; r++) {
    const { base, plan } = planOf(levels, 3);
    const t0 = performance.now();
    await runPlanOnDevice(tr.net, theta, plan, base);
    if (r > 0) totalMs = Math.min(totalMs, performance.now() - t0);
  }
  const { base, plan } = planOf(1, 0);
  const info = await tf.profile(async () => void (await runPlanOnDevice(tr.net, theta, plan, base)));
  const leaves = info.kernels.filter((k) => tf.getKernel(k.name, name) !== undefined);
  tr.dispose();
  return {
    kind: 'profile-sample',
    backend: name,
    particles,
    levels,
    stepsPerLevel,
    totalMs: +totalMs.toFixed(1),
    msPerUpdate: +(totalMs / (levels * stepsPerLevel)).toFixed(3),
    kernelMsPerUpdate: +(leaves.reduce((s, k) => s + Number(k.kernelTimeMs), 0) / stepsPerLevel).toFixed(3),
    kernelsPerUpdate: +(leaves.length / stepsPerLevel).toFixed(1),
    kernels: groupKernels(leaves, stepsPerLevel, 4),
  };
}

/** The leaf kernels one training step dispatches (customGrad and fused-op wrappers are listed too and would count twice). */
async function stepKernels(tr: ReturnType<typeof createTrainer>, backend: string): Promise<Awaited<ReturnType<typeof tf.profile>>['kernels']> {
  const batch = tr.nextBatch();
  const info = await tf.profile(() => tf.dispose(tr.trainStep(batch)));
  return info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
}

function best(reps: number, n: number, f: () => void): number {
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    min = Math.min(min, (performance.now() - t0) / n);
  }
  return +min.toFixed(4);
}

async function profile(req: ProfileRequest): Promise<unknown[]> {
  if (req.threads) {
    // tfjs caps its pool at navigator.hardwareConcurrency / 2 (a guess at hyper-threading), read
    // when the module starts; to try more threads on a small machine, claim enough cores.
    const hc = navigator.hardwareConcurrency;
    if (2 * req.threads > hc) Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * req.threads, configurable: true });
    setWasmThreads(req.threads);
  }
  const { name } = await activate([req.backend]);
  const env = {
    kind: 'profile-env',
    backend: name,
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    simd: name === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : undefined,
    multithread: name === 'wasm' ? await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : undefined,
    threads: name === 'wasm' ? getThreadsCount() : undefined,
    hardwareConcurrency: navigator.hardwareConcurrency,
    requestedThreads: req.threads,
  };
  const out: unknown[] = [env];
  if (req.sample) return [env, await profileSample(req, name)];
  const p = findPreset('three-blobs')!;
  const data = sampleMixture(createMixture(p.spec), p.n, createRng(1)).x;
  for (const method of req.methods) {
    const tr = profileTrainer(method, req, data);
    await tr.trainBurst(req.censusOnly ? 2 : 30);
    if (req.censusOnly) {
      out.push({ kind: 'kernel-census', method, backend: name, kernelsPerStep: (await stepKernels(tr, name)).length });
      tr.dispose();
      continue;
    }
    let msPerStep = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      await tr.trainBurst(100);
      msPerStep = Math.min(msPerStep, (performance.now() - t0) / 100);
    }
    const batchMs = best(3, 50, () => tr.nextBatch());
    const leaves = await stepKernels(tr, name);
    const kernels = groupKernels(leaves, 1, 3);
    out.push({
      kind: 'profile-step',
      method,
      backend: name,
      threads: env.threads,
      msPerStep: +msPerStep.toFixed(3),
      batchDrawMs: batchMs,
      kernelCount: leaves.length,
      kernelMs: +leaves.reduce((s, k) => s + Number(k.kernelTimeMs), 0).toFixed(3),
      kernels,
    });
    tr.dispose();
  }

  if (req.censusOnly) return out;
  // Micro-benchmarks: kernel cost vs dispatch cost.
  const B = req.batch;
  const W = req.width;
  const micro: Record<string, number> = {};
  tf.tidy(() => {
    const a = tf.randomNormal([B, W]) as tf.Tensor2D;
    const at = tf.transpose(a) as tf.Tensor2D;
    const w = tf.randomNormal([W, W]) as tf.Tensor2D;
    const bias = tf.randomNormal([W]) as tf.Tensor1D;
    const ones = tf.ones([1, B]) as tf.Tensor2D;
    const one = tf.scalar(1);
    const theta = tf.randomNormal([4 * W + 2 * W * W + 2 * W + 2 * W + 2]);
    const run = (label: string, f: () => tf.Tensor | tf.Tensor[]) => {
      micro[label] = best(5, 40, () => tf.dispose(f()));
    };
    run(`matMul [${B},${W}]x[${W},${W}]`, () => tf.matMul(a, w));
    run(`fused matMul+bias [${B},${W}]x[${W},${W}]`, () => tf.fused.matMul({ a, b: w, bias }));
    run(`matMul [${W},${B}]x[${B},${W}] (hᵀ·dy)`, () => tf.matMul(at, a));
    run(`matMul transposeA flag [${B},${W}]ᵀx[${B},${W}]`, () => tf.matMul(a, a, true, false));
    run(`transpose [${B},${W}]`, () => tf.transpose(a));
    run(`sum axis 0 [${B},${W}]`, () => tf.sum(a, 0));
    run(`ones[1,${B}]·[${B},${W}]`, () => tf.matMul(ones, a));
    run(`mul [${B},${W}]`, () => tf.mul(a, a));
    run(`sigmoid [${B},${W}]`, () => tf.sigmoid(a));
    run(`exp [${B},${W}]`, () => tf.exp(a));
    run(`erf [${B},${W}]`, () => tf.erf(a));
    run(`split θ (${theta.size}) into 7`, () => tf.split(theta, [4 * W, W * W, W, W * W, W, 2 * W, 2]));
    run(`add θ (${theta.size})`, () => tf.add(theta, theta));
    run('add scalar+scalar (dispatch floor)', () => tf.add(one, one));
    run('tf.scalar upload', () => tf.scalar(2));
  });
  out.push({ kind: 'profile-micro', backend: name, threads: env.threads, ms: micro });
  return out;
}

self.onmessage = (e: MessageEvent<ProfileRequest>) => {
  profile(e.data).then(
    (records) => self.postMessage({ ok: true, records }),
    (err: unknown) => self.postMessage({ ok: false, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) }),
  );
};
