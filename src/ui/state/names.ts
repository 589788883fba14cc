/**
 * The names a widget's author uses: one per view (every part of a panel, from its header to its
 * export bar) and one per control (each slider on its own). A list with a typo keeps its valid
 * names and warns about the ones it dropped; a control that the method does not have is named in
 * a warning too, as is a widget that no reader could start.
 */
import { METHODS, methodTraits, type Method } from '../../core/methods';

export const VIEW_NAMES = ['header', 'formula', 'explain', 'field', 'density', 'samples', 'loss', 'fisher', 'stats', 'mulde', 'export'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
/** What `layout="compact"` shows unless `views` says otherwise: one field view and the loss. */
export const COMPACT_VIEWS: readonly ViewName[] = ['field', 'loss'];

export const CONTROL_NAMES = [
  'train',
  'lr',
  'batch',
  'width',
  'depth',
  'sigma',
  'sigma-min',
  'sigma-max',
  'view-sigma',
  'beta',
  'projection',
  'projections',
  'variance-reduced',
  'sampler',
  'seed',
  'dataset',
] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

export const LAYOUTS = ['full', 'compact'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The methods a method-specific control belongs to (undefined: it applies to every method). */
function methodsWith(c: ControlName): readonly Method[] | undefined {
  const owners = METHODS.filter((m) => (methodTraits[m].knobs as readonly string[]).includes(c));
  return owners.length > 0 ? owners : undefined;
}

/**
 * Split a comma-separated list into the known names (in order, once each) and the unknown ones.
 * `none` or an empty string is the empty list.
 */
export function splitNames<T extends string>(raw: string, options: readonly T[]): { names: T[]; dropped: string[] } {
  const v = raw.trim().toLowerCase();
  if (v === 'none' || v === '') return { names: [], dropped: [] };
  const names: T[] = [];
  const dropped: string[] = [];
  for (const it of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if ((options as readonly string[]).includes(it)) {
      if (!names.includes(it as T)) names.push(it as T);
    } else dropped.push(it);
  }
  return { names, dropped };
}

/** Warnings about named controls that this method does not have ("compare" shows none of them). */
export function inapplicableControls(method: string, names: readonly ControlName[]): string[] {
  if (method === 'compare') return [];
  const out: string[] = [];
  for (const c of names) {
    const only = methodsWith(c);
    if (only && !(only as readonly string[]).includes(method)) out.push(`controls: ${c} does not apply to ${method} (it belongs to ${only.join(', ')})`);
  }
  return out;
}
