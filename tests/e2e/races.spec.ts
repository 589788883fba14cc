import { test, expect, trainingWorkers } from './fixtures';
import type { Page } from '@playwright/test';

// Input that arrives faster than the worker answers: slider storms, resets in the middle of
// bursts, a sampler interrupted by a reset or a method switch, a new dataset while training.
// No exception, no stale frame, no leaked tensors.

const URL = '/?method=ncsn&backend=wasm&width=32&particles=2000&steps=200';

/** Record every data-step value the NCSN panel shows from now on (window.__steps). */
async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=panel-ncsn]')!;
    const seen: number[] = [];
    (window as unknown as { __steps: number[] }).__steps = seen;
    new MutationObserver(() => seen.push(Number(el.getAttribute('data-step')))).observe(el, { attributes: true, attributeFilter: ['data-step'] });
  });
}
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __steps: number[] }).__steps);

test('slider storms while training: the run keeps training and takes the last values', async ({ page, errors }) => {
  await page.goto(URL);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(50);
  const lr = panel.getByTestId('lr');
  const sigma = panel.getByTestId('view-sigma');
  for (let i = 0; i < 60; i++) {
    await lr.fill(String(-4 + (i % 30) / 10));
    await sigma.fill(String(-1.5 + (i % 25) / 10));
  }
  await lr.fill('-2.7');
  await sigma.fill('0');
  // The slider moves in steps of 1/200 of its log range: 10⁰ lands within 2% of 1.
  await expect.poll(async () => Math.abs(Number(await panel.getByTestId('view-sigma-value').textContent()) - 1)).toBeLessThan(0.02);
  const s0 = Number(await panel.getAttribute('data-step'));
  await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(s0 + 100);
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect(panel.getByTestId('error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('resets during bursts: after the last one, no frame of an old run is drawn and no tensor leaks', async ({ page, errors }) => {
  await page.goto(URL);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  // A fresh run's tensor count, read as later on: in the frame after ten steps (a frame sent while
  // another field read-out is in flight also counts that read-out's tensor).
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  const fresh = await panel.getAttribute('data-tensors');
  expect(Number(fresh)).toBeGreaterThan(0);
  for (let round = 0; round < 8; round++) {
    await panel.getByTestId('play').click();
    await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(20);
    for (let i = 0; i < 5; i++) await panel.getByTestId('reset').click();
  }
  await recordSteps(page);
  await expect(panel).toHaveAttribute('data-step', '0');
  await expect(panel).toHaveAttribute('data-running', 'false');
  // The worker answers in order: once ten steps of the new run are shown, any frame an old run
  // sent has arrived. Reset left the new run paused at 0, so 0 and 10 are the only values allowed.
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  expect((await recorded(page)).filter((s) => s !== 0 && s !== 10)).toEqual([]);
  await expect(panel).toHaveAttribute('data-step', '10');
  await expect(panel).toHaveAttribute('data-tensors', fresh ?? '');
  expect(errors).toEqual([]);
});

test('a sampler interrupted by a reset or by switching method leaves a clean state', async ({ page, errors }) => {
  await page.goto(URL);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');

  // Reset mid-sample: the sampler stops, the panel leaves its sampling state, no numbers of the
  // old run appear.
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('stop-sampling')).toBeVisible();
  await panel.getByTestId('reset').click();
  await expect(panel.getByTestId('sample')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('energy')).toHaveText('—');
  await expect(panel.getByTestId('error')).toHaveCount(0);

  // Switch method mid-sample, and back: the old panel and its worker go away cleanly.
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('stop-sampling')).toBeVisible();
  await page.getByTestId('tab-dsm').click();
  await expect(page.getByTestId('panel-dsm')).toBeVisible();
  await expect.poll(() => trainingWorkers(page).length).toBe(1);
  await page.getByTestId('tab-ncsn').click();
  await expect(page.getByTestId('panel-ncsn').getByTestId('sample')).toBeVisible();
  await expect(page.getByTestId('panel-ncsn').getByTestId('backend')).toContainText('wasm');
  expect(errors).toEqual([]);
});

test('a new dataset while training restarts the run on the new data without errors', async ({ page, errors }) => {
  await page.goto(URL);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(100);
  await page.getByTestId('preset').selectOption('two-blobs');
  await page.getByTestId('preset').selectOption('three-blobs');
  await page.getByTestId('preset').selectOption('two-blobs');
  await recordSteps(page);
  // Ten steps of the new run shown means every frame sent before them has arrived (in order).
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  expect((await recorded(page)).filter((s) => s !== 0 && s !== 10)).toEqual([]);
  await expect(panel.getByTestId('error')).toHaveCount(0);
  expect(errors).toEqual([]);
});
