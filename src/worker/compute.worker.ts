/**
 * The page's compute worker: exact fields at a new σ, sample statistics, samplers driven by the
 * exact score, the lessons' DSM noise, autoencoder fits and trace costs, and MULDE's anomaly
 * analysis run here, so the main thread only draws. Pure src/core math; no tfjs.
 */
import { energyDistanceFloor } from '../core/reference-values';
import { exactView } from '../core/exact-view';
import { energyDistance, modeShares } from '../core/metrics';
import { exactAnomalyVectors } from '../core/anomaly';
import { createMixture, logpdf, sampleMixture, smoothMixture, type MixtureSpec } from '../core/mixture';
import { alignLogDensity, levelsView } from '../core/mulde-align';
import { analyseAnomalies } from '../core/mulde-pipeline';
import { createRng } from '../core/rng';
import { exactSample } from './exact-sampling';
import { dsmNoiseAcross, fitAutoencoder } from './lesson-numerics';
import { measureTraceCost } from './trace-cost';
import { transferablesOf, type ComputeRequest, type ComputeResponse } from './compute-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** −log q_σ on the training data per level: asked again with every new f, recomputed only when its inputs change. */
let onData: { key: string; values: Float64Array } | null = null;
function exactOnDataCached(spec: MixtureSpec, data: Float32Array, sigmas: number[]): Float64Array {
  let h = 0;
  for (let i = 0; i < data.length; i++) h = (Math.imul(h, 31) + Math.round(data[i] * 1e6)) | 0;
  const key = `${JSON.stringify(spec)}|${sigmas.join(',')}|${data.length}|${h}`;
  if (onData?.key !== key) onData = { key, values: exactAnomalyVectors(spec, data, sigmas) };
  return onData.values;
}

function answer(msg: ComputeRequest): ComputeResponse {
  switch (msg.type) {
    case 'exact-view':
      return { type: 'exact-view', id: msg.id, view: exactView(createMixture(msg.spec), msg.view, msg.sigma, msg.heatSide, msg.quiverSide) };
    case 'sample-numbers': {
      const mixture = createMixture(msg.spec);
      const truth = sampleMixture(mixture, msg.nTruth, createRng(msg.seed)).x;
      const ms = modeShares(mixture, msg.x, { maxMahalanobis: msg.maxMahalanobis ?? 4 });
      const energy = energyDistance(msg.x, truth, mixture.dim, { maxPoints: msg.nTruth });
      const n = Math.min(msg.x.length / mixture.dim, msg.nTruth);
      const floor = energyDistanceFloor(mixture, n, createRng(msg.seed + 104729), 4, msg.nTruth, msg.nTruth);
      return { type: 'sample-numbers', id: msg.id, numbers: { energy, shares: Array.from(ms.shares), none: ms.none, floor } };
    }
    case 'exact-sample':
      return { type: 'exact-sample', id: msg.id, result: exactSample(msg.spec, msg.run, msg.x0, msg.seed, msg.trailEvery) };
    case 'dsm-noise':
      return { type: 'dsm-noise', id: msg.id, noise: dsmNoiseAcross(msg.spec, msg.sigmas, msg.n, msg.seeds) };
    case 'autoencoder-fit':
      return { type: 'autoencoder-fit', id: msg.id, fit: fitAutoencoder(msg.spec, msg.n, msg.sigma, msg.hidden, msg.steps, msg.range, msg.nx) };
    case 'anomaly':
      return { type: 'anomaly', id: msg.id, output: analyseAnomalies(msg.input) };
    case 'trace-cost':
      return { type: 'trace-cost', id: msg.id, rows: measureTraceCost(msg) };
    case 'mulde-views': {
      const exact = logpdf(smoothMixture(createMixture(msg.spec), msg.sigma), msg.points);
      const exactOnData = exactOnDataCached(msg.spec, msg.data, msg.sigmas);
      const levels = levelsView(msg.fData, exactOnData, msg.sigmas.length);
      return { type: 'mulde-views', id: msg.id, aligned: alignLogDensity(exact, msg.f, msg.depth), levels };
    }
    default: {
      const never: never = msg;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Requests wait in a queue and run one per task, so messages that arrive meanwhile join it: a
 * request with a newer one queued on its lane (a σ slider dragged faster than we compute) is
 * answered as superseded instead of computed.
 */
const queue: ComputeRequest[] = [];
const tick = new MessageChannel();
let scheduled = false;

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  tick.port2.postMessage(null);
}

tick.port1.onmessage = () => {
  scheduled = false;
  const msg = queue.shift();
  if (!msg) return;
  let out: ComputeResponse;
  if (msg.lane !== undefined && queue.some((q) => q.lane === msg.lane)) out = { type: 'error', id: msg.id, message: 'stale: superseded' };
  else
    try {
      out = answer(msg);
    } catch (err) {
      out = { type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) };
    }
  scope.postMessage(out, transferablesOf(out));
  schedule();
};

scope.onmessage = (e: MessageEvent<ComputeRequest>) => {
  queue.push(e.data);
  schedule();
};
