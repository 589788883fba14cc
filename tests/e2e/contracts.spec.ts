import { test, expect, addWidget } from './fixtures';
import type { Page } from '@playwright/test';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// What a user or an embedding page is promised: the widget API drives the run on screen, a
// stopped sampler is not an error, a field is drawn only on the request that produced it, every
// request gets an answer, live settings stay live in the comparison view, the formula shown is
// the loss plotted, and one-σ Langevin on a noise-conditional net moves its particles.

type El = ScorePlaygroundElement;
type Win = Window & { __held?: (() => void)[]; __holdViews?: boolean; __sent?: { type: string; request?: { sampler: string; eps: number } }[] };

/** Record the page's messages to its workers (window.__sent), and hold back `view` messages while window.__holdViews is set. */
async function tapWorkerMessages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as Win;
    w.__sent = [];
    w.__held = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, msg: unknown, transfer?: Transferable[]) {
      const m = msg as { type?: string };
      w.__sent!.push(JSON.parse(JSON.stringify(m, (_k, v) => (v instanceof Float32Array ? undefined : v))));
      const send = () => (post as (m: unknown, t: Transferable[]) => void).call(this, msg, transfer ?? []);
      if (w.__holdViews && m?.type === 'field-request') w.__held!.push(send);
      else send();
    } as typeof Worker.prototype.postMessage;
  });
}

/** Open the course-notes page and add a <score-playground> with these attributes at its top. */
async function addWidgetToNotes(page: Page, id: string, attrs: Record<string, string>): Promise<void> {
  await page.goto('/examples/course-notes.html');
  await addWidget(page, id, attrs);
}

/** el.step(n) in the page, or 'timeout' when it has not resolved after `ms`. */
function stepWithin(page: Page, id: string, n: number, ms = 30_000) {
  return page.$eval(
    `#${id}`,
    async (node, { n, ms }) => {
      const el = node as El;
      const done = el.step(n).then(() => 'done' as const);
      return Promise.race([done, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
    },
    { n, ms },
  );
}

test('the widget API acts on the run on screen: after a method change, a reconnect, and on all five with compare', async ({ page, errors }) => {
  await addWidgetToNotes(page, 'w-api', { method: 'dsm', dataset: 'bimodal-1d', backend: 'wasm', views: 'loss', width: '16' });
  const w = page.locator('#w-api');
  expect(await stepWithin(page, 'w-api', 5)).toBe('done');
  expect(await page.$eval('#w-api', (el) => (el as El).state.step)).toBe(5);

  await page.$eval('#w-api', (el) => el.setAttribute('method', 'ssm'));
  await expect(w.getByTestId('panel-ssm')).toBeVisible();
  expect(await stepWithin(page, 'w-api', 3)).toBe('done');
  expect(await page.$eval('#w-api', (el) => (el as El).state)).toMatchObject({ method: 'ssm', step: 3 });
  await expect(w.getByTestId('panel-ssm')).toHaveAttribute('data-step', '3');
  const x = await page.$eval('#w-api', async (el) => (await (el as El).sample({ sampler: 'langevin', n: 20, levels: 1, stepsPerLevel: 3 })).length);
  expect(x).toBe(20);

  // Taken out of the page and put back: a new run, which the API drives.
  await page.$eval('#w-api', (el) => {
    const parent = el.parentNode!;
    el.remove();
    parent.prepend(el);
  });
  expect(await stepWithin(page, 'w-api', 4)).toBe('done');
  await expect(w.getByTestId('panel-ssm')).toHaveAttribute('data-step', '4');
  await page.$eval('#w-api', (el) => (el as El).start());
  await expect.poll(() => page.$eval('#w-api', (el) => (el as El).state.running)).toBe(true);
  await page.$eval('#w-api', (el) => (el as El).pause());
  await expect(w.getByTestId('panel-ssm')).toHaveAttribute('data-running', 'false');

  // Compare: step, reset and state cover the five runs.
  await page.$eval('#w-api', (el) => el.setAttribute('method', 'compare'));
  await expect(w.getByTestId('comparison')).toBeVisible();
  expect(await stepWithin(page, 'w-api', 2)).toBe('done');
  const runs = await page.$eval('#w-api', (el) => (el as El).state.runs);
  expect(Object.keys(runs ?? {}).sort()).toEqual(['dsm', 'mulde', 'ncsn', 'sm', 'ssm']);
  for (const r of Object.values(runs ?? {})) expect(r.step).toBe(2);
  await page.$eval('#w-api', (el) => (el as El).reset());
  for (const m of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde']) await expect(w.getByTestId(`compare-${m}`)).toHaveAttribute('data-step', '0');
  expect(errors).toEqual([]);
});

test('stopping a sampler is quiet, and a refused weights file says so once', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm&width=32&particles=2000&levels=100&steps=1000');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  await panel.getByTestId('sample').click();
  await panel.getByTestId('stop-sampling').click();
  await expect(panel.getByTestId('sample')).toBeVisible();
  await expect(panel.getByRole('alert')).toHaveCount(0);

  await panel
    .getByTestId('weights-file')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"score-playground-weights"}') });
  await expect(panel.getByTestId('export-message')).toContainText('Loading weights failed: invalid weights');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a field is drawn only with the view request that produced it', async ({ page, errors }) => {
  await tapWorkerMessages(page);
  await page.goto('/?method=ncsn&backend=wasm&width=32');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  await expect(panel).toHaveAttribute('data-field', 'shown');
  const before = Number(await panel.getAttribute('data-field-sigma'));
  expect(before).toBeCloseTo(0.3, 6);
  // A new view σ whose request has not reached the worker yet: the field on screen is still drawn
  // at the σ it was computed for, never at the new one.
  await page.evaluate(() => ((window as Win).__holdViews = true));
  await panel.getByTestId('view-sigma').fill('0');
  await expect(panel.getByTestId('view-sigma-value')).not.toHaveText('0.30');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '20');
  expect(Number(await panel.getAttribute('data-field-sigma'))).toBeCloseTo(before, 6);
  await page.evaluate(() => {
    const w = window as Win;
    w.__holdViews = false;
    for (const send of w.__held!.splice(0)) send();
  });
  await expect.poll(async () => Number(await panel.getAttribute('data-field-sigma'))).toBeCloseTo(1, 1);
  await expect(panel).toHaveAttribute('data-field', 'shown');
  expect(errors).toEqual([]);
});

test('every request reaches an answer: a run the worker does not have is answered "no run"', async ({ page }) => {
  await page.goto('/?method=dsm&backend=wasm&width=16');
  await expect(page.getByTestId('backend')).toContainText('wasm');
  const url = page.workers()[0].url();
  const answers = await page.evaluate(async (url) => {
    const w = new Worker(url, { type: 'module' });
    const got = new Map<number, { type: string; code?: string; runId?: number }>();
    w.onmessage = (e) => {
      if (e.data.reqId !== undefined) got.set(e.data.reqId, e.data);
    };
    w.postMessage({ type: 'init', backend: 'wasm' });
    const points = new Float32Array([0, 0]);
    w.postMessage({ type: 'step', runId: 42, reqId: 1, n: 1 });
    w.postMessage({ type: 'field', runId: 42, reqId: 2, query: { points, sigma: 0.5 } });
    w.postMessage({ type: 'get-weights', runId: 42, reqId: 3 });
    w.postMessage({ type: 'f-multi', runId: 42, reqId: 4, points, sigmas: [0.5] });
    w.postMessage({
      type: 'sample',
      runId: 42,
      reqId: 5,
      request: { sampler: 'langevin', particles: 2, sigmaMin: 0.1, sigmaMax: 1, levels: 1, stepsPerLevel: 1, eps: 0.01, trailEvery: 0 },
    });
    const t0 = performance.now();
    while (got.size < 5 && performance.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    w.terminate();
    return [...got.values()];
  }, url);
  expect(answers).toHaveLength(5);
  for (const a of answers) expect(a).toMatchObject({ type: 'error', code: 'no-run', runId: 42 });
});

test('live settings stay live in the comparison view', async ({ page, errors }) => {
  await addWidgetToNotes(page, 'w-cmp', { method: 'compare', dataset: 'bimodal-1d', backend: 'wasm', width: '16' });
  expect(await stepWithin(page, 'w-cmp', 5)).toBe('done');
  await page.$eval('#w-cmp', (el) => {
    el.setAttribute('lr', '0.01');
    el.setAttribute('sigma', '0.4');
    el.setAttribute('beta', '0.3');
  });
  expect(await stepWithin(page, 'w-cmp', 1)).toBe('done');
  const runs = await page.$eval('#w-cmp', (el) => (el as El).state.runs);
  for (const r of Object.values(runs ?? {})) expect(r.step).toBe(6);
  expect(errors).toEqual([]);
});

test('the formula on each panel is the objective that is computed and plotted', async ({ page }) => {
  // objectives.ts: DSM and NCSN are ½ E[σ²‖s − (x − x̃)/σ²‖²]; MULDE has no ½ and adds β E f².
  const expected: Record<string, RegExp[]> = {
    dsm: [/^\\tfrac12\\,\\mathbb\{E\}/, /\\sigma\^2\\Big\\lVert s_\\theta\(\\tilde x\)/],
    ncsn: [/^\\tfrac12\\,\\mathbb\{E\}/, /\\sigma\^2\\Big\\lVert s_\\theta\(\\tilde x,\\sigma\)/],
    mulde: [/^\\mathbb\{E\}/, /\\sigma\^2\\Big\\lVert \\nabla_\{\\tilde x\}/, /\\beta f_\\theta\(x,\\sigma\)\^2/],
    sm: [/\\tfrac12\\lVert s_\\theta\(x\)\\rVert\^2/],
    ssm: [/\\tfrac12 \(v\^\\top s_\\theta\(x\)\)\^2/],
  };
  await page.goto('/?method=dsm&backend=wasm&width=16');
  for (const [m, patterns] of Object.entries(expected)) {
    await page.getByTestId(`tab-${m}`).click();
    const tex = await page.getByTestId(`panel-${m}`).locator('annotation[encoding="application/x-tex"]').first().textContent();
    for (const p of patterns) expect(tex ?? '', `${m}: ${tex}`).toMatch(p);
  }
});

test('one-σ Langevin on a noise-conditional net moves its particles to the data', async ({ page, errors }) => {
  await tapWorkerMessages(page);
  await addWidgetToNotes(page, 'w-lgv', {
    method: 'ncsn',
    dataset: 'three-blobs',
    backend: 'wasm',
    views: 'samples',
    'sigma-min': '0.05',
    'sigma-max': '5',
    particles: '500',
  });
  const w = page.locator('#w-lgv');
  expect(await stepWithin(page, 'w-lgv', 400, 90_000)).toBe('done');
  await w.getByTestId('sampler').selectOption('langevin');
  await w.getByTestId('sample').click();
  await expect(w.getByTestId('energy')).not.toHaveText('—', { timeout: 60_000 });
  const sent = await page.evaluate(() => (window as Win).__sent!.filter((m) => m.type === 'sample').map((m) => m.request!));
  expect(sent.at(-1)).toMatchObject({ sampler: 'langevin' });
  expect(sent.at(-1)!.eps).toBeGreaterThanOrEqual(1e-3);
  const energy = Number(await w.getByTestId('sample-numbers').getAttribute('data-energy'));
  expect(energy).toBeLessThan(0.3);
  expect(errors).toEqual([]);
});
