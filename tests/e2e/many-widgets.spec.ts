import { test, expect } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// Twenty training widgets on one course page: no crash, no console error, every widget in view
// trains, and those out of view start nothing (no worker, no runtime) until they are scrolled to.

type El = ScorePlaygroundElement;
const METHODS = ['dsm', 'ncsn', 'sm', 'mulde', 'ssm'];

// Fails today on a 2-core machine: of the ~12 widgets in view, some never take a step within
// 3 minutes, since each runs its own worker and tfjs runtime. Enabled once widgets share a pool of workers.
test.fixme('a page with 20 widgets: every visible one trains, the rest wait, nothing crashes', async ({ page, errors }) => {
  test.setTimeout(240_000);
  let crashed = false;
  page.on('crash', () => (crashed = true));
  await page.setViewportSize({ width: 1280, height: 900 });
  const items = Array.from({ length: 20 }, (_, i) => {
    const dataset = i % 2 ? 'bimodal-1d' : 'three-blobs';
    return `<score-playground method="${METHODS[i % METHODS.length]}" dataset="${dataset}" backend="wasm" layout="compact" controls="train" autoplay></score-playground>`;
  });
  const html = `<!doctype html><meta charset="utf-8"><title>20 widgets</title><link rel="icon" href="data:,">
<style>body{margin:0;display:grid;grid-template-columns:repeat(4,1fr);gap:4px}</style>
<script type="module" src="/score-playground.js"></script>${items.join('\n')}`;
  await page.route('**/twenty-widgets.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/twenty-widgets.html');

  /** Widgets now in view, and how many of them have trained past step 5. */
  const inViewTraining = () =>
    page.evaluate(() => {
      const inView = [...document.querySelectorAll('score-playground')].filter((w) => {
        const r = w.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      });
      return { inView: inView.length, training: inView.filter((w) => (w as El).state.step > 5).length };
    });
  const steps = () => page.evaluate(() => [...document.querySelectorAll('score-playground')].map((w) => (w as El).state.step));
  const loaded = () => page.evaluate(() => [...document.querySelectorAll('score-playground')].map((w) => (w as El).loaded));

  // Every widget in view (as laid out once loaded) trains.
  await expect.poll(async () => {
    const v = await inViewTraining();
    return v.inView > 3 && v.training === v.inView;
  }, { timeout: 180_000 }).toBe(true);
  // The last row, two screens down, has started nothing.
  const far = (await loaded()).slice(-4);
  expect(far).toEqual([false, false, false, false]);
  expect(page.workers().length).toBe((await loaded()).filter(Boolean).length);

  // Scroll to the end: the last widgets load and train, the first ones pause.
  await page.locator('score-playground').last().scrollIntoViewIfNeeded();
  await expect.poll(async () => (await steps()).slice(-4).every((s) => s > 5), { timeout: 180_000 }).toBe(true);
  await expect.poll(() => page.$eval('score-playground', (el) => (el as El).autoPausedForVisibility)).toBe(true);
  expect(crashed).toBe(false);
  expect(errors).toEqual([]);
});
