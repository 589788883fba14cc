/**
 * A page's SampleRequest, run in the worker: every sampler is a plan run on the device
 * (model/plan-sampler.ts: many updates per read-back). Predictor–corrector's corrector steps,
 * whose size follows the score's norm, compute that size on the device too.
 */
import { priorParticles, type BaseSamplerOptions, type SamplerResult } from '../core/samplers';
import { samplerPlan } from './sampler-plan';
import { dimOf } from '../core/mixture';
import { createRng, type Rng } from '../core/rng';
import { runPlanOnDevice } from '../model/plan-sampler';
import type { FromWorker, SampleRequest } from './protocol';
import type { Run } from './run';

/** Least time between two particle frames while sampling (ms). */
export const SAMPLE_FRAME_MS = 50;

/** The starting particles and trail settings of a request (draws x0 from `rng` when absent). */
function baseOptions(req: SampleRequest, dim: 1 | 2, data: Float32Array, rng: Rng): BaseSamplerOptions {
  // Start from the prior N(mean, Cov(data) + σ_max² I): with σ_max not ≫ the data spread, a
  // start N(centre, σ_max² I) alone biases the deterministic samplers' mode weights.
  const x0 = req.x0 && req.x0.length > 0 ? req.x0 : priorParticles(req.particles, data, dim, req.sigmaMax, rng);
  const trails = req.trailEvery > 0 ? { every: req.trailEvery, maxFrames: 400 } : undefined;
  return { x0, dim, rng, trails };
}

type Post = (msg: FromWorker) => void;

/**
 * Run a request for the page: particle frames at most every SAMPLE_FRAME_MS, then the final frame
 * with the trails. The noise comes from the run's seed, so the same request gives the same samples.
 */
export async function runSampleRequest(
  run: Run,
  reqId: number,
  req: SampleRequest,
  post: Post,
  signal: { aborted: boolean; reason?: unknown },
  pause: () => Promise<void>,
): Promise<void> {
  const dim = dimOf(run.config.dataset);
  const rng = createRng(run.config.seed ^ 0x5a17);
  const runId = run.runId;
  let lastFrame = performance.now();
  // Where the particles are, so a cancel can answer with them.
  let at: { x: Float32Array; sigma: number } = { x: new Float32Array(0), sigma: NaN };
  const frame = (x: Float32Array, sigma: number) => {
    at = { x, sigma };
    const now = performance.now();
    if (now - lastFrame < SAMPLE_FRAME_MS) return;
    lastFrame = now;
    post({ type: 'particles', runId, reqId, x: x.slice(), sigma, done: false });
  };
  const base = baseOptions(req, dim, run.data, rng);
  const plan = samplerPlan(req, base);
  const sample = async (): Promise<SamplerResult> => {
    const theta = await run.trainer.getWeights();
    return runPlanOnDevice(run.trainer.net, theta, plan, { ...base, signal, pause, onChunk: (x, info) => frame(x, info.sigma) });
  };
  const res = await sample().catch((e: unknown) => {
    if (!signal.aborted) throw e;
    return null;
  });
  if (!res) {
    // Stopped by the page: a quiet outcome, answered with where the particles stopped.
    post({ type: 'particles', runId, reqId, x: at.x.slice(), sigma: at.sigma, done: true, cancelled: true });
    return;
  }
  const t = res.trails;
  const trails = t ? t.data.slice(0, t.frames * t.n * dim) : undefined;
  const trailSigmas = t ? t.sigmas.slice(0, t.frames) : undefined;
  post({ type: 'particles', runId, reqId, x: res.x.slice(), sigma: NaN, done: true, trails, trailSigmas });
}
