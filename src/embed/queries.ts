/**
 * Questions an author's script can ask a widget's network at points of its own choosing: the
 * learned score, MULDE's log-density and MULDE's anomaly scores. Each one rejects with a sentence
 * that says why when the widget's method cannot answer it.
 */
import { logpdf, smoothMixture } from '../core/mixture';
import { fieldGrid } from '../ui/exact';
import { alignConstant, densityWeights } from '../core/mulde-align';
import { anomalyDefaults, anomalySigmas, fitAnomalyModel } from '../core/mulde-pipeline';
import type { AppState } from '../ui/state/app.svelte';
import type { PageRun } from '../ui/state/run.svelte';

import type { PointsInput, SigmaOption } from '../../types/score-playground';

export type { PointsInput, SigmaOption };

/** Flatten and check points against the dataset's dimension. */
export function toPoints(input: PointsInput, dim: number, what: string): Float32Array {
  const list = Array.from(input as ArrayLike<number | readonly number[]>);
  const flat: number[] = [];
  for (const p of list) {
    if (typeof p === 'number') flat.push(p);
    else if (Array.isArray(p) && p.length === dim) flat.push(...(p as number[]));
    else throw new TypeError(`${what}: each point needs ${dim} coordinate${dim > 1 ? 's' : ''}`);
  }
  if (flat.length === 0) throw new RangeError(`${what}: no points given`);
  if (flat.length % dim !== 0) throw new RangeError(`${what}: ${flat.length} numbers do not make points of dimension ${dim}`);
  if (!flat.every(Number.isFinite)) throw new RangeError(`${what}: every coordinate must be a finite number`);
  return Float32Array.from(flat);
}

/** The σ a query asks at, checked against what the method learned. */
function sigmaFor(app: AppState, opts: SigmaOption, what: string): number {
  const s = app.settings;
  const given = opts.sigma;
  if (given !== undefined && !(Number.isFinite(given) && given >= 0)) throw new RangeError(`${what}: sigma must be a finite number ≥ 0, got ${given}`);
  switch (s.method) {
    case 'compare':
      throw new Error(`${what}: a comparison widget trains several methods; give the widget one method`);
    case 'sm':
    case 'ssm':
      if (given !== undefined && given !== 0) throw new Error(`${what}: ${s.method} learns the score of the clean data only (σ = 0); leave sigma out`);
      return 0;
    case 'dsm':
      if (given !== undefined && Math.abs(given - s.sigma) > 1e-9 * s.sigma)
        throw new Error(`${what}: dsm learns the score at its one training σ = ${+s.sigma.toPrecision(3)}; leave sigma out or change the sigma attribute`);
      return s.sigma;
    default:
      if (given === 0) throw new Error(`${what}: ${s.method} learns σ > 0 only (σ_min = ${+s.sigmaMin.toPrecision(3)})`);
      return given ?? s.viewSigma;
  }
}

/** The learned score s_θ(x, σ) at each point (n × d); for MULDE, −∇f. */
export async function scoreAt(run: PageRun, app: AppState, input: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
  const sigma = sigmaFor(app, opts, 'field()');
  const points = toPoints(input, app.dim, 'field()');
  return (await run.fieldAt({ points, sigma })).field;
}

function needMulde(app: AppState, what: string): void {
  const m = app.settings.method;
  if (m !== 'mulde') throw new Error(`${what} needs a MULDE widget (method="mulde"); this one is ${m}, which learns a score but no density`);
}

/**
 * MULDE's log-density −f(x, σ) + c at each point, with c fitted on the view grid as the log-density
 * view fits it: c = argmin Σ w (−f + c − log q_σ)², w ∝ q_σ. Grid and points go in one request, so
 * both use the same weights.
 */
export async function logDensityAt(run: PageRun, app: AppState, input: PointsInput, opts: SigmaOption = {}): Promise<Float32Array> {
  needMulde(app, 'logDensity()');
  const sigma = sigmaFor(app, opts, 'logDensity()');
  const points = toPoints(input, app.dim, 'logDensity()');
  const grid = fieldGrid(app.view).points;
  const both = new Float32Array(grid.length + points.length);
  both.set(grid);
  both.set(points, grid.length);
  // f(x, σ) at one level: n × 1 values, all from the same weights.
  const { values: f } = await run.fMulti(both, [sigma]);
  const nGrid = grid.length / app.dim;
  const exact = logpdf(smoothMixture(app.mixture, sigma), grid);
  const negF = Float64Array.from(f.subarray(0, nGrid), (v) => -v);
  const c = alignConstant(negF, exact, densityWeights(exact));
  return Float32Array.from(f.subarray(nGrid), (v) => c - v);
}

/**
 * MULDE anomaly scores s(x) = −log p_GMM(v(x)), larger is more anomalous: v(x) = [f(x, σ_1) … f(x, σ_L)]
 * over the trained σ range, the GMM fitted to the training points' vectors (as the anomaly view does
 * with its default levels and components). Training and query points go in one request.
 */
export async function anomalyScoresAt(run: PageRun, app: AppState, input: PointsInput): Promise<Float32Array> {
  needMulde(app, 'anomalyScores()');
  if (run.step === 0) throw new Error('anomalyScores(): the network is untrained (step 0); train it first, e.g. await widget.step(500)');
  const points = toPoints(input, app.dim, 'anomalyScores()');
  const s = app.settings;
  const L = anomalyDefaults.levels;
  const sigmas = anomalySigmas(s.sigmaMin, s.sigmaMax, L);
  const train = app.data;
  const both = new Float32Array(train.length + points.length);
  both.set(train);
  both.set(points, train.length);
  const { values } = await run.fMulti(both, sigmas);
  const nTrain = train.length / app.dim;
  const scorer = fitAnomalyModel(values.subarray(0, nTrain * L), L, anomalyDefaults.k, s.seed);
  return Float32Array.from(scorer(values.subarray(nTrain * L)));
}
