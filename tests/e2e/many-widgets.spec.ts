import { test, expect, trainingWorkers } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// Twenty training widgets on one course page: no crash, no console error, every widget in view
// trains on the page's shared pool of workers (at most hardwareConcurrency − 1), those out of view
// start nothing until they are scrolled to, and those scrolled away pause and take no steps.

type El = ScorePlaygroundElement;
const METHODS = ['dsm', 'ncsn', 'sm', 'mulde', 'ssm'];

test('a page with 20 widgets: every visible one trains, the rest wait, nothing crashes', async ({ page, errors }) => {
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
  await expect
    .poll(
      async () => {
        const v = await inViewTraining();
        return v.inView > 3 && v.training === v.inView;
      },
      { timeout: 180_000 },
    )
    .toBe(true);
  // The last row, two screens down, has started nothing.
  const far = (await loaded()).slice(-4);
  expect(far).toEqual([false, false, false, false]);
  // One engine for the page: the widgets share the pool's workers.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const pool = trainingWorkers(page).length;
  expect(pool).toBeGreaterThanOrEqual(1);
  expect(pool).toBeLessThanOrEqual(Math.max(1, cores - 1));

  // Scroll to the end: the last widgets load and train; the first ones pause and take no more steps.
  await page.locator('score-playground').last().scrollIntoViewIfNeeded();
  await expect.poll(async () => (await steps()).slice(-4).every((s) => s > 5), { timeout: 180_000 }).toBe(true);
  await expect.poll(() => page.$eval('score-playground', (el) => (el as El).autoPausedForVisibility)).toBe(true);
  await expect.poll(() => page.$eval('score-playground', (el) => (el as El).state.running)).toBe(false);
  const firstRow = (await steps()).slice(0, 4);
  // The last widgets keep training meanwhile; the first row, off screen, stays where it paused.
  const lastBefore = (await steps()).slice(-4);
  await expect.poll(async () => (await steps()).slice(-4).every((s, i) => s > lastBefore[i]), { timeout: 60_000 }).toBe(true);
  expect((await steps()).slice(0, 4)).toEqual(firstRow);
  expect(trainingWorkers(page).length).toBeLessThanOrEqual(Math.max(1, cores - 1));
  expect(crashed).toBe(false);
  expect(errors).toEqual([]);
});
