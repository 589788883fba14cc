// Benchmarks of course pages with many widgets (driven by scripts/bench.mjs, --mode pages,first):
// memory of a page with 1, 10 and 20 widgets and its frame rate while they train (some in view,
// then all in view), and for one widget the bytes it transfers (gzip) and its time to first
// drawn field. Each record carries the machine's load average: on a shared machine, read the
// numbers beside it.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rafStats } from './bench-app.mjs';

const METHODS = ['dsm', 'ncsn', 'sm', 'mulde', 'ssm'];

/** A course page with n compact widgets, five to a row, all set to train. */
function pageHtml(n) {
  const items = Array.from({ length: n }, (_, i) => {
    const dataset = i % 2 ? 'bimodal-1d' : 'three-blobs';
    return `<score-playground method="${METHODS[i % METHODS.length]}" dataset="${dataset}" backend="wasm" layout="compact" autoplay controls="train"></score-playground>`;
  });
  return `<!doctype html><meta charset="utf-8"><title>${n} widgets</title>
<style>body{margin:0;display:grid;grid-template-columns:repeat(5,1fr);gap:4px}</style>
<script type="module" src="/score-playground.js"></script>${items.join('\n')}`;
}

/** Resident memory (MB) of the browser's renderer processes, where the page and its workers live (Linux /proc). */
async function rendererRssMb(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  let kb = 0;
  for (const p of processInfo.filter((q) => q.type === 'renderer')) {
    const status = await readFile(`/proc/${p.id}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}

/** Rows of five compact widgets (≤ 480 px each) fit in this many pixels of window height. */
const ROW_PX = 480;

/**
 * Pages of 1, 10 and 20 widgets: renderer memory and JS heaps (page and workers, after a forced
 * GC) once the visible widgets train, frame rate (mean and p95 frame time) over `seconds`, and
 * how many widgets trained. In a 1280 × 900 window (`page-memory`: those below the fold stay
 * unloaded), then, for 10 and 20, in a window tall enough to show them all (`page-fps`: every
 * widget in view and training).
 */
export async function pages({ newPage, origin, seconds }) {
  const records = [];
  for (const n of [1, 10, 20]) records.push(await pageRecord({ newPage, origin, seconds, n, kind: 'page-memory', height: 900 }));
  for (const n of [10, 20]) records.push(await pageRecord({ newPage, origin, seconds, n, kind: 'page-fps', height: Math.ceil(n / 5) * ROW_PX }));
  return records;
}

async function pageRecord({ newPage, origin, seconds, n, kind, height }) {
  const page = await newPage({ viewport: { width: 1280, height } });
  let crashed = false;
  page.on('crash', () => (crashed = true));
  const cdp = await page.context().newCDPSession(page);
  // Cross-origin isolated, as the bench serves its own pages, so the browser can measure the page with its workers.
  const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  await page.route(`${origin}/widgets-${n}.html`, (route) => route.fulfill({ contentType: 'text/html', headers: isolated, body: pageHtml(n) }));
  await page.goto(`${origin}/widgets-${n}.html`);
  const state = () => page.evaluate(() => [...document.querySelectorAll('score-playground')].map((w) => ({ ...w.state, loaded: w.loaded })));
  // Every widget in view has stepped: the runtimes are up and training (loaded ones just off-screen wait, paused).
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('score-playground')]
        .filter((w) => {
          const r = w.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        })
        .every((w) => w.state.step > 0),
    null,
    { timeout: 300_000 },
  );
  const before = await state();
  const stats = await page.evaluate(rafStats, seconds * 1000);
  const after = await state();
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
  // The page with its workers, as the browser accounts it (needs cross-origin isolation, which the bench serves by default).
  const uaBytes = await page.evaluate(
    () =>
      performance
        .measureUserAgentSpecificMemory?.()
        .then((m) => m.bytes)
        .catch(() => null) ?? null,
  );
  const pageHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  const workerHeaps = await Promise.all(page.workers().map((w) => w.evaluate(() => performance.memory?.usedJSHeapSize ?? 0).catch(() => 0)));
  const record = {
    kind,
    widgets: n,
    viewport: `1280x${height}`,
    loaded: after.filter((s) => s.loaded).length,
    training: after.filter((s, i) => s.step > before[i].step).length,
    workers: page.workers().filter((w) => /trainer/.test(w.url())).length,
    rendererRssMb: await rendererRssMb(page.context().browser()),
    pageHeapMb: pageHeap === null ? null : +(pageHeap / 2 ** 20).toFixed(1),
    // Workers have no performance.memory in Chromium: null then (pageAndWorkersMb counts them).
    workerHeapsMb: workerHeaps.some(Boolean) ? +(workerHeaps.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1) : null,
    pageAndWorkersMb: uaBytes === null ? null : +(uaBytes / 2 ** 20).toFixed(1),
    fps: stats.fps,
    meanFrameMs: stats.meanFrameMs,
    p95FrameMs: stats.p95FrameMs,
    seconds,
    crashed,
    loadAvg1: +loadavg()[0].toFixed(2),
  };
  await page.close();
  return record;
}

/**
 * One widget on a page: the bytes it transfers (each file gzipped as a static host would send
 * it) and the time from navigation to its first progress frame, which carries the first field.
 */
export async function first({ newPage, origin, root }) {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  const files = [];
  page.on('requestfinished', (r) => files.push(new URL(r.url()).pathname));
  const html = `<!doctype html><meta charset="utf-8"><title>one widget</title><script type="module" src="/score-playground.js"></script>
<score-playground method="ncsn" dataset="three-blobs" backend="wasm" layout="compact" controls="train"></score-playground>
<script>window.__first = new Promise((r) => document.querySelector('score-playground').addEventListener('progress', () => r(performance.now()), { once: true }));</script>`;
  await page.route(`${origin}/one-widget.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${origin}/one-widget.html`);
  const firstFieldMs = await page.evaluate(() => window.__first);
  let raw = 0,
    gz = 0;
  const seen = [...new Set(files)].filter((f) => f !== '/one-widget.html');
  for (const f of seen) {
    const body = await readFile(join(root, f)).catch(() => null);
    if (!body) continue;
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  await page.close();
  return [
    { kind: 'first-field', firstFieldMs: Math.round(firstFieldMs), files: seen.length, kB: Math.round(raw / 1024), gzipKB: Math.round(gz / 1024), list: seen },
  ];
}
