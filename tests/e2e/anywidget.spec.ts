import type { AnyModel } from '@anywidget/types';
import { test, expect } from './fixtures';
import { APP_ORIGIN, HOST_CSP, HOST_ORIGIN, serveHost } from './host-server';

// The notebook route: a notebook front end imports the module (by URL, from another origin, as a
// Jupyter page does) and calls its default export's render({ model, el }) with a model that
// implements the @anywidget/types interface. Model keys drive the attributes; step, loss, running
// and samples come back.

let stop: (() => Promise<void>) | null = null;
test.beforeAll(async () => {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notebook</title><link rel="icon" href="data:,"></head><body><div id="out"></div></body></html>';
  stop = await serveHost({ '/notebook.html': { html, csp: HOST_CSP } });
});
test.afterAll(async () => {
  await stop?.();
});

interface Synced {
  step: number;
  loss: number | null;
  running: boolean;
  samples: number[][] | null;
  saves: number;
}

test('render({ model, el }) builds the widget from model keys and syncs step, loss and samples back', async ({ page, errors }) => {
  await page.goto(`${HOST_ORIGIN}/notebook.html`);
  await page.evaluate(async (url) => {
    type Values = Record<string, unknown>;
    // The interface's own handler type (any arguments), as a notebook front end calls them.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Handler = (...a: any[]) => void;
    /** A notebook's widget model: values, change events, and a count of save_changes calls. */
    class NotebookModel implements AnyModel<Values> {
      saves = 0;
      private handlers = new Map<string, Set<Handler>>();
      widget_manager = { get_model: () => Promise.reject(new Error('no other models here')) };
      constructor(private values: Values) {}
      get<K extends keyof Values>(key: K): Values[K] {
        return this.values[key];
      }
      set<K extends keyof Values>(key: K, value: Values[K]): void {
        this.values[key] = value;
        for (const fn of this.handlers.get(`change:${String(key)}`) ?? []) fn();
      }
      on(event: string, fn: Handler): void {
        if (!this.handlers.has(event)) this.handlers.set(event, new Set());
        this.handlers.get(event)!.add(fn);
      }
      off(event?: string | null, fn?: Handler | null): void {
        if (!event) this.handlers.clear();
        else if (!fn) this.handlers.delete(event);
        else this.handlers.get(event)?.delete(fn);
      }
      save_changes(): void {
        this.saves++;
      }
      send(): void {}
    }
    const mod = (await import(url)) as { default: { render(p: { model: AnyModel<Values>; el: HTMLElement }): () => void } };
    const model = new NotebookModel({
      method: 'dsm',
      dataset: 'bimodal-1d',
      backend: 'wasm',
      views: 'field,loss,stats,samples',
      controls: 'train,sigma',
      sigma: 0.5,
      max_steps: 40,
      autoplay: true,
      step: 0,
      loss: null,
      running: false,
      samples: null,
    });
    const cleanup = mod.default.render({ model, el: document.getElementById('out')! });
    Object.assign(window, { __model: model, __cleanup: cleanup });
  }, `${APP_ORIGIN}/score-playground.js`);

  const synced = () =>
    page.evaluate(() => {
      const m = (window as unknown as { __model: AnyModel & { saves: number } }).__model;
      return { step: m.get('step'), loss: m.get('loss'), running: m.get('running'), samples: m.get('samples'), saves: m.saves } as Synced;
    });
  const w = page.locator('score-playground');
  // autoplay and max_steps from the model: it trains to 40 and stops; the model hears it.
  await expect.poll(async () => (await synced()).step, { timeout: 60_000 }).toBe(40);
  await expect.poll(async () => (await synced()).running).toBe(false);
  const s = await synced();
  expect(Number.isFinite(s.loss)).toBe(true);
  expect(s.saves).toBeGreaterThan(0);
  await expect(w.getByTestId('sigma-value')).toHaveText('0.50');
  // A change in Python (a model change) reaches the widget.
  await page.evaluate(() => (window as unknown as { __model: AnyModel }).__model.set('sigma', 1.2));
  await expect(w.getByTestId('sigma-value')).toHaveText('1.2');
  // A sampling run's positions come back as a list of points.
  await page.$eval('score-playground', (el) =>
    (el as unknown as { sample(o: object): Promise<unknown> }).sample({ sampler: 'langevin', n: 30, levels: 1, stepsPerLevel: 5 }),
  );
  await expect.poll(async () => (await synced()).samples?.length).toBe(30);
  expect((await synced()).samples!.every((p) => p.length === 1 && Number.isFinite(p[0]))).toBe(true);
  // The cleanup that render returned removes the widget.
  await page.evaluate(() => (window as unknown as { __cleanup: () => void }).__cleanup());
  await expect(w).toHaveCount(0);
  expect(errors).toEqual([]);
});
