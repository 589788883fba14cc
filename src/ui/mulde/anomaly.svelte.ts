/**
 * The anomaly lab's state: settings, the fitted GMM and its map, the test set with its ROC, and
 * the points the user scored. Every computation asks the worker for f at all the points it needs
 * in one request, so the training vectors, the map and the test points come from the same weights;
 * a model fitted at another step (or σ range) is refitted before anything new is scored with it.
 */
import { grid1d, grid2d } from '../../core/grid';
import type { MixtureSpec } from '../../core/mixture';
import type { PageRun } from '../state/run.svelte';
import { anomalyDefaults, anomalySigmas, makeTestSet, type Evaluation, type OutlierKind } from '../../core/mulde-pipeline';
import { compute, plainSpec } from '../../worker/compute-client';
import { RequestError } from '../../worker/client';

/** What the lab reads from the page each time it computes. */
export interface LabContext {
  spec: MixtureSpec;
  data: Float32Array;
  view: number[];
  sigmaMin: number;
  sigmaMax: number;
  seed: number;
}

export interface Built {
  step: number;
  sigmas: number[];
  k: number;
  /** The training points' anomaly scores, ascending (for percentiles). */
  trainSorted: Float64Array;
  /** Map points (n × d), their anomaly scores and the share of training points scoring below each. */
  mapPoints: Float64Array;
  mapScores: Float64Array;
  mapShare: Float64Array;
  side: number;
  data: Float32Array;
}

export interface Tested {
  x: Float32Array;
  labels: Uint8Array;
  scores: Float64Array;
  evaluation: Evaluation;
  /** AUC of f(·, σ_l) alone, per level. */
  single: number[];
  /** AUC of a k-component GMM fitted to the raw coordinates x: the classical baseline. */
  baseline: number;
}

export interface Pick {
  x: number[];
  score: number;
  /** Share of training points scoring lower (0…1). */
  share: number;
  /** Exact −log p(x). */
  exact: number;
}

const MAX_PICKS = 8;

export class AnomalyLab {
  levels = $state(anomalyDefaults.levels);
  k = $state(anomalyDefaults.k);
  kind = $state<OutlierKind>('uniform');
  component = $state(0);
  shiftSd = $state(anomalyDefaults.shiftSd);
  nTest = $state(anomalyDefaults.nTest);
  busy = $state(false);
  error = $state<string | null>(null);
  built = $state.raw<Built | null>(null);
  tested = $state.raw<Tested | null>(null);
  picks = $state.raw<Pick[]>([]);

  constructor(
    private run: PageRun,
    private context: () => LabContext,
  ) {}

  /** Forget everything (new data or a new run). */
  clear(): void {
    this.built = null;
    this.tested = null;
    this.picks = [];
    this.error = null;
  }

  /** Whether the model was fitted with other weights, levels or data than the current ones. */
  stale(step: number): boolean {
    const b = this.built;
    const c = this.context();
    if (!b) return true;
    const sigmas = anomalySigmas(c.sigmaMin, c.sigmaMax, this.levels);
    return (
      b.step !== step || b.k !== this.k || b.data !== c.data || b.sigmas.some((s, i) => Math.abs(s - sigmas[i]) > 1e-9 * s) || b.sigmas.length !== sigmas.length
    );
  }

  /** Refit the GMM and redraw the map; rescore the test set and the picks with it. */
  build(): Promise<void> {
    return this.guard(() =>
      this.compute(
        this.tested ? { x: this.tested.x, labels: this.tested.labels } : null,
        this.picks.map((p) => p.x),
      ),
    );
  }

  /** Draw held-out normals and outliers, then score them (refitting first). */
  generate(): Promise<void> {
    const c = this.context();
    const set = makeTestSet(c.spec, { kind: this.kind, n: this.nTest, seed: c.seed, box: c.view, component: this.component, shiftSd: this.shiftSd });
    return this.guard(() =>
      this.compute(
        set,
        this.picks.map((p) => p.x),
      ),
    );
  }

  /** Score one point (refitting first when the network moved on). */
  score(point: number[]): Promise<void> {
    const keep = [...this.picks.map((p) => p.x), point].slice(-MAX_PICKS);
    return this.guard(() => this.compute(this.tested ? { x: this.tested.x, labels: this.tested.labels } : null, keep));
  }

  clearPicks(): void {
    this.picks = [];
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof RequestError && e.quiet)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  /**
   * One training-worker request for f at data + map + test + picks (all from the same weights),
   * then the fit, map, evaluation and picks in the compute worker: the page only draws them.
   */
  private async compute(test: { x: Float32Array; labels: Uint8Array } | null, picks: number[][]): Promise<void> {
    const c = this.context();
    const d = c.spec.means[0].length;
    const sigmas = anomalySigmas(c.sigmaMin, c.sigmaMax, this.levels);
    const side = d === 2 ? anomalyDefaults.mapSide : 300;
    const map = d === 2 ? grid2d(c.view[0], c.view[1], c.view[2], c.view[3], side, side).points : grid1d(c.view[0], c.view[1], side).points;
    const pickPoints = Float32Array.from(picks.flat());
    const parts = [c.data, Float32Array.from(map), test?.x ?? new Float32Array(0), pickPoints];
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    const { values, step } = await this.run.fMulti(all, sigmas);
    const k = this.k;
    const { output } = await compute({
      type: 'anomaly',
      // Copies: the buffers are transferred, and the lab keeps its own.
      input: {
        spec: plainSpec(c.spec),
        data: c.data.slice(),
        sigmas,
        k,
        seed: c.seed,
        map: map.slice(),
        test: test && { x: test.x.slice(), labels: test.labels.slice() },
        picks: pickPoints,
        values,
      },
    });
    this.built = {
      step,
      sigmas,
      k,
      trainSorted: output.trainSorted,
      mapPoints: map,
      mapScores: output.mapScores,
      mapShare: output.mapShare,
      side,
      data: c.data,
    };
    if (test && output.tested) this.tested = { ...test, ...output.tested };
    this.picks = picks.map((x, i) => ({ x, ...output.picks[i] }));
  }
}
