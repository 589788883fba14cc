import { test, expect } from './fixtures';

// The embed builder: an author picks views, controls, lock, a step limit, layout and a width; the
// live preview shows those choices, and the copied code, pasted into a page, gives a widget with
// the same settings (element form and iframe form).

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Open the builder on a DSM run and make the choices of a "train 300 steps, then look" exercise. */
async function buildExercise(page: import('@playwright/test').Page) {
  await page.goto('/?method=dsm&dataset=two-blobs&backend=wasm&sigma=0.316228');
  await page.getByTestId('copy-embed').click();
  const b = page.getByTestId('embed-builder');
  for (const v of ['header', 'formula', 'explain', 'density', 'samples', 'stats', 'mulde', 'export']) await b.getByTestId(`embed-view-${v}`).uncheck();
  await b.getByTestId('embed-controls-all').uncheck();
  for (const c of [
    'lr',
    'batch',
    'width',
    'depth',
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
  ])
    await b.getByTestId(`embed-control-${c}`).uncheck();
  await b.getByTestId('embed-lock-sigma').check();
  await b.getByTestId('embed-max-steps').fill('300');
  await b.getByTestId('embed-layout').selectOption('compact');
  await b.getByTestId('embed-width').fill('600');
  return b;
}

test('the builder previews the chosen widget, and the element code round-trips', async ({ page, errors }) => {
  const b = await buildExercise(page);
  const code = b.getByTestId('embed-code');
  for (const a of ['views="field,loss"', 'controls="train,sigma"', 'lock="sigma"', 'max-steps="300"', 'layout="compact"', 'sigma="0.32"'])
    await expect(code).toHaveValue(new RegExp(a));
  // Numbers as the sliders show them, never 0.316228.
  expect(await code.inputValue()).not.toMatch(/\d\.\d{5,}/);

  // The preview: the chosen width, σ shown but locked, no formula or stats, training stops at 300.
  const preview = b.getByTestId('embed-preview');
  await expect(preview).toHaveAttribute('width', '600');
  const inner = page.frameLocator('[data-testid=embed-preview]').locator('score-playground');
  await expect(inner.getByTestId('sigma')).toBeDisabled();
  await expect(inner.getByTestId('sigma-value')).toHaveText('0.32');
  await expect(inner.locator('.tex')).toHaveCount(0);
  await expect(inner.getByTestId('lr')).toHaveCount(0);

  // Copy, and paste into a page of its own.
  await b.getByTestId('embed-copy').click();
  await expect(b.getByTestId('embed-copied')).toHaveText('Embed code copied');
  const pasted = await page.evaluate(() => navigator.clipboard.readText());
  expect(pasted).toBe(await code.inputValue());
  await page.route('**/pasted-element.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><title>Notes</title><link rel="icon" href="data:,"><h1>Notes</h1>${pasted}`,
    }),
  );
  await page.goto('/pasted-element.html');
  const w = page.locator('score-playground');
  await expect(w.getByTestId('sigma')).toBeDisabled();
  await expect(w.getByTestId('sigma-value')).toHaveText('0.32');
  await expect(w.locator('.tex')).toHaveCount(0);
  await expect(w.getByTestId('lr')).toHaveCount(0);
  await w.getByTestId('play').click();
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-step', '300', { timeout: 60_000 });
  await expect(w.getByTestId('play')).toHaveText('Done: 300 steps');
  expect(errors).toEqual([]);
});

test('the iframe code round-trips too, at the chosen width, and sizes itself', async ({ page, errors }) => {
  const b = await buildExercise(page);
  await b.getByTestId('embed-form-iframe').check();
  const pasted = await b.getByTestId('embed-code').inputValue();
  expect(pasted).toContain('width="600"');
  expect(pasted).toContain('max-width:600px');
  await page.route('**/pasted-iframe.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><title>Notes</title><link rel="icon" href="data:,"><h1>Notes</h1>${pasted}`,
    }),
  );
  await page.goto('/pasted-iframe.html');
  const w = page.frameLocator('iframe.score-playground').locator('score-playground');
  await expect(w.getByTestId('sigma')).toBeDisabled();
  await expect(w.getByTestId('sigma-value')).toHaveText('0.32');
  await expect(w.getByTestId('lr')).toHaveCount(0);
  // The embed page posts its height; the pasted lines apply it (a compact widget: well under 900 px).
  await expect.poll(() => page.$eval('iframe.score-playground', (f) => Number((f as HTMLIFrameElement).height))).toBeLessThan(700);
  expect(errors).toEqual([]);
});
