/**
 * The page's state: the settings (one object, round-tripping through the URL), the dataset
 * they imply, painted points, and the warnings from reading a bad URL. Each App or widget makes
 * its own instance, so several widgets on one page never share state.
 */
import { createMixture, dimOf, sampleMixture, type MixtureSpec } from '../../core/mixture';
import { createRng } from '../../core/rng';
import { findPreset } from '../../core/presets';
import { defaults, parseSettings, toParams, type Settings } from './settings';

/** A view box that holds every component to ±3.5 standard deviations, padded and at least 4 wide. */
export function viewForSpec(spec: MixtureSpec): number[] {
  const d = spec.means[0].length;
  const out: number[] = [];
  for (let a = 0; a < d; a++) {
    let lo = Infinity,
      hi = -Infinity;
    spec.means.forEach((m, k) => {
      const sd = Math.sqrt(spec.covs[k][a][a]);
      lo = Math.min(lo, m[a] - 3.5 * sd);
      hi = Math.max(hi, m[a] + 3.5 * sd);
    });
    const mid = (lo + hi) / 2;
    const half = Math.max(2, ((hi - lo) / 2) * 1.1);
    out.push(+(mid - half).toFixed(2), +(mid + half).toFixed(2));
  }
  return out;
}

function union(a: number[], b: number[]): number[] {
  return a.length !== b.length ? b : a.map((v, i) => (i % 2 === 0 ? Math.min(v, b[i]) : Math.max(v, b[i])));
}

export class AppState {
  settings = $state<Settings>(defaults());
  /** User-painted training points (n × d), or null to sample `n` points from the mixture. */
  painted = $state.raw<Float32Array | null>(null);
  warnings = $state<string[]>([]);
  /** The plot box; kept steady while a preset is edited, grown when a component leaves it. */
  view = $state<number[]>(findPreset(defaults().dataset)!.view);

  readonly mixture = $derived(createMixture(this.settings.spec));
  readonly data = $derived(
    this.painted && this.painted.length >= this.mixture.dim * 2
      ? this.painted
      : sampleMixture(this.mixture, this.settings.nData, createRng(this.settings.seed)).x,
  );
  readonly dim = $derived(this.mixture.dim);
  /** Whether the training points are painted ones (not a draw from the mixture). */
  readonly isPainted = $derived(this.painted !== null && this.data === this.painted);

  constructor(get?: (name: string) => string | null) {
    if (get) this.load(get);
  }

  /**
   * Read the settings from URL parameters or attributes, keeping the warnings for display. Only
   * the values that differ are assigned, so a changed live setting (an `lr` attribute) does not
   * look like new data and restart the run.
   */
  load(get: (name: string) => string | null): void {
    const { settings, warnings } = parseSettings(get);
    const current = $state.snapshot(this.settings) as Settings;
    const target = this.settings as unknown as Record<string, unknown>;
    for (const key of Object.keys(settings) as (keyof Settings)[])
      if (JSON.stringify(settings[key]) !== JSON.stringify(current[key])) target[key] = settings[key];
    this.warnings = warnings;
    if (this.painted) this.painted = null;
    const view = findPreset(settings.dataset)?.view ?? viewForSpec(settings.spec);
    if (JSON.stringify(view) !== JSON.stringify(this.view)) this.view = view;
  }

  choosePreset(id: string): void {
    const p = findPreset(id);
    if (!p) return;
    const d = defaults(id);
    Object.assign(this.settings, { dataset: id, spec: p.spec, n: p.n, sigma: d.sigma, sigmaMin: d.sigmaMin, sigmaMax: d.sigmaMax, viewSigma: d.viewSigma });
    this.painted = null;
    this.view = p.view;
  }

  /** A valid edited mixture (the editor only sends those). */
  editSpec(spec: MixtureSpec): void {
    const sameDim = dimOf(spec) === dimOf(this.settings.spec);
    this.settings.spec = spec;
    this.settings.dataset = 'custom';
    this.view = sameDim ? union(this.view, viewForSpec(spec)) : viewForSpec(spec);
  }

  /** Shareable query string of the current settings. */
  query(): string {
    return toParams($state.snapshot(this.settings) as Settings).toString();
  }
}
