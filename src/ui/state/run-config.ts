/**
 * The one conversion from the page's settings to what the worker trains: `Settings` → `RunConfig`
 * (a new run when it changes) with its `LiveSettings` (applied mid-run). Panels, the comparison
 * view, the widget, tests and the benchmark all build runs here, so the names never drift.
 */
import type { LiveSettings, Method, RunConfig } from '../../worker/protocol';
import type { Settings } from './settings';

/** The settings a running run takes without a restart. */
export function liveSettingsOf(s: Settings): LiveSettings {
  const { learningRate, batchSize, sigma, sigmaMin, sigmaMax, beta, projection, projections, varianceReduced, maxSteps } = s;
  return { learningRate, batchSize, sigma, sigmaMin, sigmaMax, beta, projection, projections, varianceReduced, maxSteps };
}

/**
 * The run a panel trains for `method`. `s` must be plain data (in a component, pass
 * `$state.snapshot(settings)`): the config is posted to the worker, which cannot take proxies.
 * `painted`: the points were painted, not drawn from the mixture (the worker then draws no loss floor).
 */
export function runConfigOf(s: Settings, method: Method, points?: Float32Array, painted = false): RunConfig {
  return {
    method,
    dataset: s.spec,
    nData: s.nData,
    ...(points ? { points } : {}),
    ...(points && painted ? { painted } : {}),
    seed: s.seed,
    width: s.width,
    depth: s.depth,
    activation: 'silu',
    live: liveSettingsOf(s),
  };
}
