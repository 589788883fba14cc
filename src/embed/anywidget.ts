/**
 * The anywidget front end (the module's default export): Jupyter, JupyterLab, Colab, VS Code,
 * marimo and MyST pages render a <score-playground> from a model. Each attribute is a model key
 * in snake_case (`sigma_min` for sigma-min, `max_steps` for max-steps); changing one in Python
 * changes the widget. The widget syncs `step`, `loss` and `running` back as it trains, and
 * `samples` (a list of points) whenever a sampling run finishes.
 */
import type { AnyModel, RenderProps } from '@anywidget/types';
import type { WidgetState } from '../../types/score-playground';
import { OBSERVED } from './attributes';

/** Model key of an attribute: sigma-min → sigma_min. */
export const modelKey = (attribute: string): string => attribute.replace(/-/g, '_');

/** Least time between two syncs of the training progress (progress frames come at ~10 Hz). */
const SYNC_MS = 250;

/** Write one model value onto the element: null/undefined/false removes it, true sets it empty. */
function apply(el: HTMLElement, attribute: string, value: unknown): void {
  if (value === null || value === undefined || value === false) el.removeAttribute(attribute);
  else if (value === true) el.setAttribute(attribute, '');
  else if (Array.isArray(value)) el.setAttribute(attribute, value.join(','));
  else if (typeof value === 'object') el.setAttribute(attribute, JSON.stringify(value));
  else el.setAttribute(attribute, String(value));
}

/**
 * Set model values and save them. Hosts without a kernel (a MyST page) may not implement
 * save_changes; the widget keeps working there, it just has no one to tell.
 */
function write(model: AnyModel, values: Record<string, unknown>): void {
  try {
    for (const [k, v] of Object.entries(values)) model.set(k, v);
    model.save_changes();
  } catch {
    // A read-only host: nothing to sync back to.
  }
}

/** Rows of d coordinates from a flat n × d array (what a Python list of points reads as). */
function rows(x: Float32Array, dim: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + dim <= x.length; i += dim) out.push(Array.from(x.subarray(i, i + dim)));
  return out;
}

function render({ model, el }: Pick<RenderProps, 'model' | 'el'>): () => void {
  const w = document.createElement('score-playground');
  const offs: (() => void)[] = [];
  for (const attribute of OBSERVED) {
    const key = modelKey(attribute);
    apply(w, attribute, model.get(key));
    const onChange = () => apply(w, attribute, model.get(key));
    model.on(`change:${key}`, onChange);
    offs.push(() => model.off(`change:${key}`, onChange));
  }
  let last = 0;
  const sync = (s: WidgetState, force = false) => {
    const now = performance.now();
    if (!force && now - last < SYNC_MS) return;
    last = now;
    write(model, { step: s.step, loss: s.loss, running: s.running });
  };
  w.addEventListener('progress', (e) => sync(e.detail, !e.detail.running));
  w.addEventListener('samples', (e) => write(model, { samples: rows(e.detail.x, e.detail.dim) }));
  el.append(w);
  return () => {
    for (const off of offs) off();
    w.remove();
  };
}

/** The anywidget contract: `export default { render }`. */
export const anywidget = { render } satisfies { render: (props: RenderProps) => () => void };
export type { AnyModel };
