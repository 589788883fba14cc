import { test, expect } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';
import { APP_ORIGIN, HOST_CSP, HOST_ORIGIN, hostPage, serveHost } from './host-server';

// A course page on one origin loads the widget with one script tag from another origin (the app's
// preview server, which sends CORS headers as a CDN does): it trains, its worker starts through a
// blob shim, its wasm comes from the module's origin, and nothing else is fetched.

type El = ScorePlaygroundElement;
const WIDGET = '<score-playground id="w" method="dsm" dataset="bimodal-1d" backend="wasm" views="field,loss,stats" controls="train"></score-playground>';

let stop: (() => Promise<void>) | null = null;
test.beforeAll(async () => {
  stop = await serveHost({
    '/notes.html': { html: hostPage(WIDGET), csp: HOST_CSP },
    // A strict site: workers only from its own origin, so the blob shim is refused.
    '/strict.html': { html: hostPage(WIDGET), csp: HOST_CSP.replace(/worker-src [^;]*/, "worker-src 'self'") },
  });
});
test.afterAll(async () => {
  await stop?.();
});

test('a widget loaded from another origin trains, on wasm fetched from the module origin only', async ({ page, errors }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${HOST_ORIGIN}/notes.html`);
  const w = page.locator('#w');
  await expect(w.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  const state = await page.$eval('#w', (el) => (el as El).step(30));
  expect(state.step).toBe(30);
  expect(Number.isFinite(state.loss)).toBe(true);
  // The field view drew the learned field.
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-step', '30');
  const origins = new Set(requests.map((u) => (u.startsWith('blob:') ? 'blob:' : new URL(u).origin)));
  expect([...origins].sort()).toEqual([APP_ORIGIN, HOST_ORIGIN, 'blob:'].sort());
  // The wasm binary came from the module's origin.
  expect(requests.some((u) => u.startsWith(APP_ORIGIN) && u.endsWith('.wasm'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a host whose CSP forbids blob workers gets a clear message inside the widget', async ({ page }) => {
  await page.goto(`${HOST_ORIGIN}/strict.html`);
  const error = page.locator('#w').getByTestId('error');
  await expect(error).toContainText('The training worker could not start');
  await expect(error).toContainText('worker-src blob:');
  // The API says so too, instead of waiting forever.
  const events = await page.$eval('#w', (el) => (el as El).state.running);
  expect(events).toBe(false);
});
