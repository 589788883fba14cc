/**
 * Every user-facing setting in one table: its default, its allowed values, and how it reads
 * from and writes to a URL parameter or a widget attribute. The app's shareable link, the
 * iframe route and the <score-playground> element all parse through here, so a bad value gets
 * the same specific warning everywhere and falls back to its default.
 */
import { createMixture, MAX_COMPONENTS, type MixtureSpec } from '../../core/mixture';
import { findPreset, presets, DEFAULT_PRESET } from '../../core/presets';
import { METHODS, SAMPLERS, type Method, type SamplerName } from '../../core/methods';

/** A method's panel, or all five side by side. */
export type MethodChoice = Method | 'compare';
import { COMPACT_VIEWS, CONTROL_NAMES, LAYOUTS, VIEW_NAMES, inapplicableControls, splitNames, type ControlName, type Layout, type ViewName } from './names';

export { CONTROL_NAMES, VIEW_NAMES, type ControlName, type Layout, type ViewName };

export interface Settings {
  method: MethodChoice;
  /** A preset id, or 'custom' when `spec` was given as JSON or edited. */
  dataset: string;
  spec: MixtureSpec;
  /** Training points drawn from the dataset. */
  nData: number;
  seed: number;
  learningRate: number;
  batchSize: number;
  width: number;
  depth: number;
  sigma: number;
  sigmaMin: number;
  sigmaMax: number;
  beta: number;
  projection: 'gaussian' | 'rademacher';
  /** Sliced SM: projections v per data point (M); the batch holds batchSize × M rows. */
  projections: number;
  /** Sliced SM: the variance-reduced loss, ½‖s‖² in place of ½(vᵀs)². */
  varianceReduced: boolean;
  viewSigma: number;
  backend: 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  sampler: SamplerName;
  particles: number;
  levels: number;
  /** Sampler steps per noise level (not training steps). */
  stepsPerLevel: number;
  eps: number;
  views: ViewName[];
  controls: ControlName[] | 'all';
  /** Controls shown but not changeable (an instructor's fixed settings). */
  lock: ControlName[];
  /** Training stops at this step (0: no limit). */
  maxSteps: number;
  layout: Layout;
  autoplay: boolean;
}

type Key = keyof Settings;

interface Spec<T> {
  /** URL parameter / attribute name. */
  name: string;
  parse(raw: string): T;
  format(v: T): string;
}

class Invalid extends Error {}
/** Some names of a list were unknown: `value` holds the known ones, which are kept. */
class Dropped extends Invalid {
  constructor(
    message: string,
    readonly value: unknown,
  ) {
    super(message);
  }
}
const bad = (msg: string): never => {
  throw new Invalid(msg);
};

function number(min: number, max: number, integer = false): Spec<number> {
  return {
    name: '',
    parse(raw) {
      const v = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(v)) bad(`"${raw}" is not a number`);
      if (integer && !Number.isInteger(v)) bad(`${v} is not a whole number`);
      if (v < min || v > max) bad(`${v} is outside ${min} … ${max}`);
      return v;
    },
    format: (v) => String(+v.toPrecision(6)),
  };
}

function choice<T extends string>(options: readonly T[]): Spec<T> {
  return {
    name: '',
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (!(options as readonly string[]).includes(v)) bad(`"${raw}" is not one of ${options.join(', ')}`);
      return v as T;
    },
    format: (v) => v,
  };
}

const droppedMessage = (dropped: string[], options: readonly string[]) =>
  `${dropped.map((d) => `"${d}"`).join(', ')} ${dropped.length > 1 ? 'are' : 'is'} not one of ${options.join(', ')}; dropped`;

function list<T extends string>(options: readonly T[]): Spec<T[]> {
  return {
    name: '',
    parse(raw) {
      const { names, dropped } = splitNames(raw, options);
      if (dropped.length) throw new Dropped(droppedMessage(dropped, options), names);
      return names;
    },
    format: (v) => (v.length ? v.join(',') : 'none'),
  };
}

const boolean: Spec<boolean> = {
  name: '',
  parse(raw) {
    const v = raw.trim().toLowerCase();
    if (['', 'true', '1', 'yes', 'autoplay'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    return bad(`"${raw}" is not true or false`);
  },
  format: (v) => String(v),
};

/** Most projections per point sliced SM may draw (rows per step grow with it). */
export const MAX_PROJECTIONS = 16;

/** Largest training set a URL or the editor may ask for. */
export const MAX_POINTS = 5000;

const table: { [K in Key]?: Spec<Settings[K]> } = {
  method: choice<MethodChoice>([...METHODS, 'compare']),
  nData: number(10, MAX_POINTS, true),
  seed: number(0, 2 ** 31 - 1, true),
  learningRate: number(1e-5, 0.5),
  batchSize: number(8, 2048, true),
  width: number(4, 512, true),
  depth: number(1, 6, true),
  sigma: number(1e-3, 50),
  sigmaMin: number(1e-3, 50),
  sigmaMax: number(1e-3, 100),
  beta: number(0, 100),
  projection: choice(['gaussian', 'rademacher'] as const),
  projections: number(1, MAX_PROJECTIONS, true),
  varianceReduced: boolean,
  viewSigma: number(1e-3, 100),
  backend: choice(['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const),
  sampler: choice<SamplerName>(SAMPLERS),
  particles: number(10, 5000, true),
  levels: number(1, 1000, true),
  stepsPerLevel: number(1, 1000, true),
  eps: number(1e-8, 1),
  views: list(VIEW_NAMES),
  lock: list(CONTROL_NAMES),
  maxSteps: number(0, 1_000_000, true),
  layout: choice(LAYOUTS),
  autoplay: boolean,
};

/** The short names that links and attributes have always used for these settings. */
const SHORT_NAMES: Partial<Record<Key, string>> = { nData: 'n', learningRate: 'lr', batchSize: 'batch', stepsPerLevel: 'steps' };

/** Parameter names: a short name where one is set, else camelCase keys become kebab-case (sigmaMin → sigma-min). */
export const paramName = (k: string): string => SHORT_NAMES[k as Key] ?? k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function defaults(presetId = DEFAULT_PRESET): Settings {
  const p = findPreset(presetId) ?? presets[0];
  return {
    method: 'ncsn',
    dataset: p.id,
    spec: p.spec,
    nData: p.n,
    seed: 1,
    learningRate: 2e-3,
    batchSize: 256,
    width: 128,
    depth: 3,
    sigma: p.dsmSigma,
    sigmaMin: p.sigmaMin,
    sigmaMax: p.sigmaMax,
    beta: 0.1,
    projection: 'gaussian',
    projections: 1,
    varianceReduced: false,
    viewSigma: Math.max(p.sigmaMin, 0.3),
    backend: 'auto',
    sampler: 'annealed',
    particles: 500,
    levels: 10,
    stepsPerLevel: 30,
    eps: 3e-4,
    views: [...VIEW_NAMES],
    controls: 'all',
    lock: [],
    maxSteps: 0,
    layout: 'full',
    autoplay: false,
  };
}

/** Parse a dataset value: a preset id or a JSON mixture {"weights":[…],"means":[[…]],"covs":[[[…]]]}. */
export function parseDataset(raw: string): { id: string; spec: MixtureSpec } {
  const v = raw.trim();
  const preset = findPreset(v);
  if (preset) return { id: preset.id, spec: preset.spec };
  if (!v.startsWith('{')) return bad(`"${v.slice(0, 40)}" is not a preset (${presets.map((p) => p.id).join(', ')}) or a JSON mixture`);
  let obj: unknown;
  try {
    obj = JSON.parse(v);
  } catch {
    return bad('the JSON mixture does not parse');
  }
  const o = obj as Partial<MixtureSpec>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.weights) || o.weights.length > MAX_COMPONENTS)
    bad(`the JSON mixture needs "weights", "means" and "covs" arrays with at most ${MAX_COMPONENTS} components`);
  const spec = { weights: o.weights, means: o.means, covs: o.covs } as MixtureSpec;
  try {
    createMixture(spec);
  } catch (e) {
    return bad((e as Error).message);
  }
  return { id: 'custom', spec };
}

export interface Parsed {
  settings: Settings;
  /** One line per refused value: "sigma: -1 is outside 0.001 … 50; using 0.3". */
  warnings: string[];
}

/** Read settings from name → raw value pairs (URL parameters or element attributes). */
export function parseSettings(get: (name: string) => string | null): Parsed {
  const warnings: string[] = [];
  let s = defaults();
  const ds = get('dataset');
  if (ds !== null) {
    try {
      const { id, spec } = parseDataset(ds);
      s = { ...defaults(id === 'custom' ? DEFAULT_PRESET : id), dataset: id, spec };
      if (id === 'custom') s.nData = 500;
    } catch (e) {
      warnings.push(`dataset: ${(e as Error).message}; using ${s.dataset}`);
    }
  }
  for (const key of Object.keys(table) as Key[]) {
    const raw = get(paramName(key));
    if (raw === null) continue;
    const spec = table[key] as Spec<unknown>;
    try {
      (s as unknown as Record<string, unknown>)[key] = spec.parse(raw);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      if (e instanceof Dropped) {
        (s as unknown as Record<string, unknown>)[key] = e.value;
        warnings.push(`${paramName(key)}: ${e.message}`);
      } else warnings.push(`${paramName(key)}: ${e.message}; using ${spec.format((s as unknown as Record<string, unknown>)[key])}`);
    }
  }
  if (get('views') === null && s.layout === 'compact') s.views = [...COMPACT_VIEWS];
  const c = get('controls');
  if (c !== null && c.trim().toLowerCase() !== 'all') {
    const { names, dropped } = splitNames(c, CONTROL_NAMES);
    s.controls = names;
    if (dropped.length) warnings.push(`controls: ${droppedMessage(dropped, CONTROL_NAMES)}`);
  }
  warnings.push(...controlWarnings(s));
  if (s.sigmaMin > s.sigmaMax) {
    warnings.push(`sigma-min ${s.sigmaMin} is above sigma-max ${s.sigmaMax}; swapped`);
    [s.sigmaMin, s.sigmaMax] = [s.sigmaMax, s.sigmaMin];
  }
  if (s.views.length === 0) s.views = [...VIEW_NAMES];
  return { settings: s, warnings };
}

/** What the chosen controls leave out or name wrongly: controls of another method, no way to start. */
function controlWarnings(s: Settings): string[] {
  const out = inapplicableControls(s.method, [...(s.controls === 'all' ? [] : s.controls), ...s.lock]);
  const canTrain = s.controls === 'all' || s.controls.includes('train');
  if (!canTrain && !s.autoplay)
    out.push(
      'controls: no "train" and no autoplay, so no reader can start training; add train to controls, or autoplay (a page script can still call start())',
    );
  return out;
}

/** The URL parameters that differ from the defaults (so links stay short), in table order. */
export function toParams(s: Settings): URLSearchParams {
  const d = defaults(s.dataset === 'custom' ? DEFAULT_PRESET : s.dataset);
  const out = new URLSearchParams();
  out.set('dataset', s.dataset === 'custom' ? JSON.stringify(s.spec) : s.dataset);
  for (const key of Object.keys(table) as Key[]) {
    const spec = table[key] as Spec<unknown>;
    const v = spec.format(s[key]);
    if (v !== spec.format(d[key])) out.set(paramName(key), v);
  }
  if (s.controls !== 'all') out.set('controls', s.controls.length ? s.controls.join(',') : 'none');
  return out;
}
