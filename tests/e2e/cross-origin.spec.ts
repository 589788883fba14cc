import { test, expect } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';
import { APP_ORIGIN, HOST_CSP, HOST_ORIGIN, hostPage, serveHost } from './host-server';
import { embedSnippets } from '../../src/ui/share';
import { defaults } from '../../src/ui/state/settings';

// A course page on one origin loads the widget with one script tag from another origin (the app's
// preview server, which sends CORS headers as a CDN does): it trains, its worker starts through a
// blob shim, its wasm comes from the module's origin, and nothing else is fetched.

type El = ScorePlaygroundElement;
const WIDGET = '<score-playground id="w" method="dsm" dataset="bimodal-1d" backend="wasm" views="field,loss,stats" controls="train"></score-playground>';

const IFRAME_CODE = embedSnippets(`${APP_ORIGIN}/`, {
  ...defaults('two-blobs'),
  method: 'dsm',
  views: ['field', 'loss'],
  controls: ['train', 'sigma'],
  layout: 'compact',
})
  .split('\n')
  .slice(3)
  .join('\n');

let stop: (() => Promise<void>) | null = null;
test.beforeAll(async () => {
  stop = await serveHost({
    '/notes.html': { html: hostPage(WIDGET), csp: HOST_CSP },
    // A strict site: workers only from its own origin, so the blob shim is refused.
    '/strict.html': { html: hostPage(WIDGET), csp: HOST_CSP.replace(/worker-src [^;]*/, "worker-src 'self'") },
    // The iframe form of the app's embed code, pasted as is (after a heading of the page's own).
    '/iframe.html': {
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Iframe</title><link rel="icon" href="data:,"></head><body><h1>Notes</h1>${IFRAME_CODE}</body></html>`,
    },
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
  await expect(w.getByTestId('backend')).toHaveText('wasm (relaxed SIMD)', { timeout: 60_000 }); // our kernels run in the blob worker too
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

test('the pasted iframe code sizes the iframe to the embed page, with no scroll bar', async ({ page, errors }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(`${HOST_ORIGIN}/iframe.html`);
  const frame = page.frameLocator('iframe.score-playground');
  await expect(frame.getByTestId('panel-dsm')).toBeVisible({ timeout: 60_000 });
  const inner = () => frame.locator('html').evaluate((h) => Math.ceil(h.getBoundingClientRect().height));
  const outer = () => page.$eval('iframe.score-playground', (f) => Number((f as HTMLIFrameElement).height));
  await expect.poll(async () => (await outer()) - (await inner())).toBe(0);
  // A compact widget: far less than the 900 px the iframe starts at.
  expect(await outer()).toBeLessThan(600);
  expect(errors).toEqual([]);
});
