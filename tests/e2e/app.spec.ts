import { test, expect, inkedFraction, watchWorkers, watched } from './fixtures';

test('the dataset editor changes the data, the URL, and the training follows', async ({ page, errors }) => {
  await page.goto('/?method=dsm&backend=wasm');
  const panel = page.getByTestId('panel-dsm');
  // Chromium has WebAssembly relaxed SIMD: the worker's products run model/wasm-gemm.ts.
  await expect(panel.getByTestId('backend')).toHaveText('wasm (relaxed SIMD)');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');

  await page.getByTestId('edit-dataset').click();
  const mean = page.locator('[data-handle="mean-0"]');
  await mean.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  // The edited mixture is now "custom" and in the address bar as JSON; the run restarted on the new data.
  await expect(page.getByTestId('preset')).toHaveValue('custom');
  await expect.poll(() => decodeURIComponent(page.url())).toContain('"means":[[3,0]');
  await expect(panel).toHaveAttribute('data-step', '0');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');

  // A refused edit explains itself and keeps the last valid mixture.
  await page.getByLabel('weight of component 1').fill('-2');
  await page.getByLabel('weight of component 1').press('Enter');
  await expect(page.getByTestId('editor-message')).toBeVisible();
  await expect.poll(() => decodeURIComponent(page.url())).toContain('"means":[[3,0]');
  expect(errors).toEqual([]);
});

test('every setting round-trips through the URL and reloads the same page', async ({ page, errors }) => {
  const q =
    'dataset=two-blobs&method=mulde&n=400&seed=7&lr=0.004&batch=128&width=64&depth=2&sigma-min=0.1&sigma-max=2.5&beta=0.5&view-sigma=0.4&backend=wasm&levels=5&steps=40&eps=0.0002&particles=200&sampler=pc';
  await page.goto(`/?${q}`);
  const panel = page.getByTestId('panel-mulde');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('beta-value')).toHaveText('0.50');
  await expect(panel.getByTestId('width')).toHaveValue('64');
  await expect(page.getByTestId('global-seed')).toHaveValue('7');
  await expect(page.getByTestId('sampler')).toHaveValue('pc');
  // The address bar keeps every non-default setting (order may differ).
  await expect.poll(() => new URLSearchParams(new URL(page.url()).search).get('sigma-max')).toBe('2.5');
  const got = new URLSearchParams(new URL(page.url()).search);
  for (const [k, v] of new URLSearchParams(q)) expect(got.get(k), k).toBe(v);
  expect(errors).toEqual([]);
});

test('bad URL parameters render the page with defaults and a specific warning, never markup', async ({ page, errors }) => {
  await page.goto('/?method=<b>x</b>&sigma=-3&dataset=%7B%22weights%22%3A%5B1%5D%7D&seed=abc');
  const w = page.getByTestId('warnings');
  await expect(w).toContainText('method: "<b>x</b>" is not one of');
  await expect(w).toContainText('sigma: -3 is outside');
  await expect(w).toContainText('dataset:');
  await expect(w).toContainText('seed: "abc" is not a number');
  expect(await page.locator('b', { hasText: 'x' }).count()).toBe(0);
  await expect(page.getByTestId('panel-ncsn')).toBeVisible();
  await expect.poll(() => inkedFraction(page, '[data-testid=exact-view] canvas')).toBeGreaterThan(0.5);
  expect(errors).toEqual([]);
});

test('keyboard only: reach Train, run, pause and step one panel', async ({ page }) => {
  await watchWorkers(page);
  await page.goto('/?method=ncsn&backend=wasm');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'play');
  }
  expect(found).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(20);
  await page.keyboard.press('Enter'); // same button, now Pause
  await expect(panel).toHaveAttribute('data-running', 'false');
  // The burst in flight when Pause was pressed still lands: wait for the worker's frame that
  // says it stopped, and for the panel to show its step.
  await expect.poll(async () => (await watched(page)).progress?.running).toBe(false);
  const step = (await watched(page)).progress!.step;
  await expect(panel).toHaveAttribute('data-step', String(step));
  await page.keyboard.press('Tab'); // Step ×10
  await page.keyboard.press('Enter');
  await expect(panel).toHaveAttribute('data-step', String(step + 10));
  // The live region tells screen readers what happened.
  await expect(panel.locator('p[aria-live=polite]')).toContainText(`step ${step + 10}`);
});

test('comparison view trains all five methods on the same data', async ({ page, errors }) => {
  await page.goto('/?method=compare&backend=wasm');
  await expect(page.getByRole('heading', { name: 'All five side by side' })).toBeVisible();
  await page.getByTestId('train-all').click();
  for (const m of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde'])
    await expect.poll(async () => Number(await page.getByTestId(`compare-${m}`).getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(50);
  await page.getByTestId('pause-all').click();
  for (const m of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde']) await expect(page.getByTestId(`fisher-${m}`)).not.toHaveText('—');
  await page.screenshot({ path: 'screenshots/compare.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('samples: annealed Langevin draws particles and reports energy distance and mode shares', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm&particles=300&levels=5&steps=40');
  const panel = page.getByTestId('panel-ncsn');
  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(300);
  await panel.getByTestId('pause').click();
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('energy')).not.toHaveText('—', { timeout: 60_000 });
  await expect(panel.getByTestId('shares')).toContainText('true 33%');
  await page.screenshot({ path: 'screenshots/desktop.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'screenshots/phone.png', fullPage: true });
  // Nothing overflows the phone width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(392);
  expect(errors).toEqual([]);
});

test('export: view as PNG and SVG, samples as CSV, weights JSON out and back in', async ({ page, errors }) => {
  await page.goto('/?method=dsm&backend=wasm&particles=50&levels=2&steps=10');
  const panel = page.getByTestId('panel-dsm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  // The exports sit in the Details disclosure, under the teaching views.
  await expect(panel.getByTestId('export-png')).toBeHidden();
  await panel.getByTestId('details').locator('summary').click();
  const save = async (testid: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), panel.getByTestId(testid).click()]);
    const path = await d.path();
    return { name: d.suggestedFilename(), body: (await import('node:fs')).readFileSync(path!) };
  };
  const png = await save('export-png');
  expect(png.name).toBe('score-playground-dsm-field.png');
  expect(png.body.subarray(1, 4).toString()).toBe('PNG');
  const svg = await save('export-svg');
  expect(svg.body.toString()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg.body.toString()).toContain('<image');
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('export-csv')).toBeEnabled({ timeout: 60_000 });
  const csv = (await save('export-csv')).body.toString().trim().split('\n');
  expect(csv[0]).toBe('x,y');
  expect(csv).toHaveLength(51);
  const weights = await save('export-weights');
  const w = JSON.parse(weights.body.toString());
  expect(w).toMatchObject({ format: 'score-playground-weights', method: 'dsm', dim: 2, step: 10 });
  // Load them into a fresh run: the step count does not change, the field comes back.
  await panel.getByTestId('reset').click();
  await expect(panel).toHaveAttribute('data-step', '0');
  await panel.getByTestId('weights-file').setInputFiles({ name: 'w.json', mimeType: 'application/json', buffer: weights.body });
  await expect(panel.getByTestId('export-message')).toHaveText('Loading weights: done');
  // A weights file for another network is refused with a reason.
  const wrong = { ...w, width: 32 };
  await panel.getByTestId('weights-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrong)) });
  await expect(panel.getByTestId('export-message')).toContainText("failed: invalid weights: the file's network is width 32");
  expect(errors).toEqual([]);
});
