// Benchmarks of the built app as people use it (driven by scripts/bench.mjs): the comparison
// view's frame rate while five methods train, a long soak of the same view, and a course page
// with ten widgets.

const METHODS = ['sm', 'ssm', 'dsm', 'ncsn', 'mulde'];

/** requestAnimationFrame rate on the page's main thread over `ms`: rate, p95 and worst frame. */
export function rafStats(ms) {
  return new Promise((resolve) => {
    const times = [];
    const t0 = performance.now();
    const tick = (t) => {
      times.push(t);
      if (t - t0 < ms) requestAnimationFrame(tick);
      else {
        const gaps = times
          .slice(1)
          .map((v, i) => v - times[i])
          .sort((a, b) => a - b);
        const span = times[times.length - 1] - times[0];
        resolve({
          fps: +(((times.length - 1) * 1000) / span).toFixed(1),
          meanFrameMs: +(span / (times.length - 1)).toFixed(1),
          p95FrameMs: +gaps[Math.floor(0.95 * (gaps.length - 1))].toFixed(1),
          maxFrameMs: +gaps[gaps.length - 1].toFixed(1),
          frames: times.length - 1,
        });
      }
    };
    requestAnimationFrame(tick);
  });
}

/**
 * `fn`'s result with the main thread's work over it (CDP Performance metrics): ms of tasks and of
 * script per second of wall time. Less sensitive than the frame rate to other load on the machine.
 */
async function withMainThreadWork(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const a = await metrics();
  const t0 = Date.now();
  const result = await fn();
  const b = await metrics();
  const per = (k) => +((1000 * (b[k] - a[k])) / ((Date.now() - t0) / 1000)).toFixed(1);
  await cdp.detach();
  return { result, mainTaskMsPerS: per('TaskDuration'), mainScriptMsPerS: per('ScriptDuration') };
}

/** The comparison view with its workers up; returns the page and a step reader. */
async function compareView(newPage, origin, backend, extra = '') {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}/index.html?method=compare&backend=${backend}${extra}`);
  await page.getByTestId('train-all').waitFor({ timeout: 60_000 });
  // Every run's worker up (their backend shows in the table) before anything is timed.
  await page.waitForFunction(
    ({ ms, b }) => ms.every((m) => document.querySelector(`[data-testid=row-${m}]`)?.textContent?.includes(b)),
    { ms: METHODS, b: backend },
    { timeout: 60_000 },
  );
  const read = (attr) =>
    page.evaluate(({ ms, a }) => Object.fromEntries(ms.map((m) => [m, Number(document.querySelector(`[data-testid=compare-${m}]`)?.getAttribute(a) ?? NaN)])), {
      ms: METHODS,
      a: attr,
    });
  return { page, read };
}

/**
 * Frame rate of the comparison view (SM, SSM, DSM, NCSN, MULDE) while all five
 * train, against the same page idle. Training throughput under that load comes along.
 */
export async function fps({ newPage, origin, backend, seconds }) {
  const { page, read } = await compareView(newPage, origin, backend);
  const idle = await page.evaluate(rafStats, 3000);
  await page.getByTestId('train-all').click();
  const s0 = await read('data-step');
  const { result: busy, ...work } = await withMainThreadWork(page, () => page.evaluate(rafStats, seconds * 1000));
  const s1 = await read('data-step');
  const stepsPerSecond = Object.fromEntries(METHODS.map((m) => [m, +(((s1[m] - s0[m]) / busy.frames) * busy.fps).toFixed(1)]));
  const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
  await page.close();
  return [
    {
      kind: 'fps',
      fps: busy.fps,
      method: 'compare',
      methods: METHODS,
      dataset: 'three-blobs',
      panels: METHODS.length,
      backend,
      seconds,
      p95FrameMs: busy.p95FrameMs,
      maxFrameMs: busy.maxFrameMs,
      idleFps: idle.fps,
      stepsPerSecond,
      crossOriginIsolated: isolated,
      ...work,
    },
  ];
}

/** Least-squares slope of ys against xs. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Soak: the comparison view trains all five for `minutes`, drawing samples from NCSN every few
 * minutes. Every 30 s: the page's JS heap after a forced GC, each worker's JS heap and live
 * tensors, and the step counts. Flat means: no tensor count ever changes after warm-up, and the
 * page heap's fitted slope is under 0.5 MB a minute.
 */
export async function soak({ newPage, origin, backend, minutes }) {
  const { page, read } = await compareView(newPage, origin, backend);
  const cdp = await page.context().newCDPSession(page);
  const pageHeap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const workerHeaps = () => Promise.all(page.workers().map((w) => w.evaluate(() => performance.memory?.usedJSHeapSize ?? null).catch(() => null)));
  await page.getByTestId('train-all').click();
  await page.waitForTimeout(10_000); // warm-up
  const t0 = Date.now();
  const samples = [];
  let nextSample = 0;
  while (Date.now() - t0 < minutes * 60_000) {
    const t = (Date.now() - t0) / 60_000;
    samples.push({
      minute: +t.toFixed(2),
      pageHeap: await pageHeap(),
      workerHeaps: await workerHeaps(),
      tensors: await read('data-tensors'),
      steps: await read('data-step'),
    });
    nextSample += 30_000;
    await page.waitForTimeout(Math.max(0, t0 + nextSample - Date.now()));
  }
  await page.close();
  const minutesAt = samples.map((s) => s.minute);
  const heapSlope = slope(
    minutesAt,
    samples.map((s) => s.pageHeap),
  );
  const tensorsChanged = METHODS.filter((m) => samples.some((s) => s.tensors[m] !== samples[0].tensors[m]));
  const last = samples[samples.length - 1];
  return [
    {
      kind: 'soak',
      method: 'compare',
      methods: METHODS,
      dataset: 'three-blobs',
      backend,
      minutes,
      pageHeapSlopeBytesPerMin: Math.round(heapSlope),
      pageHeapMB: [+(samples[0].pageHeap / 1e6).toFixed(2), +(last.pageHeap / 1e6).toFixed(2)],
      tensors: samples[0].tensors,
      tensorsChanged,
      steps: last.steps,
      flat: tensorsChanged.length === 0 && heapSlope < 0.5e6,
      samples,
    },
  ];
}

/**
 * Ten <score-playground> widgets on one course page, all set to train (autoplay). `layout`
 * 'grid': two rows of five 400-pixel columns in a 2000 × 2000 window, so all ten are in view and
 * train at once (`training` counts those that took steps while measured; a column narrower than a
 * widget's content would push the last columns off screen, where widgets pause); 'scrolled': a
 * column of full-width widgets in a 1280 × 900 window, where those off-screen pause.
 */
export async function widgets({ newPage, origin, layout, seconds }) {
  const grid = layout === 'grid';
  const page = await newPage({ viewport: grid ? { width: 2000, height: 2000 } : { width: 1280, height: 900 } });
  let crashed = false;
  page.on('crash', () => (crashed = true));
  const methods = ['dsm', 'ncsn', 'sm', 'mulde', 'ssm'];
  const items = Array.from({ length: 10 }, (_, i) => {
    const m = methods[i % methods.length];
    const dataset = i % 2 ? 'bimodal-1d' : 'three-blobs';
    return `<score-playground method="${m}" dataset="${dataset}" backend="wasm" autoplay views="field,loss" controls="train"></score-playground>`;
  });
  const style = grid ? 'body{margin:0;display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:4px}' : 'body{max-width:900px;margin:0 auto}';
  const html = `<!doctype html><meta charset="utf-8"><title>ten widgets</title><style>${style}</style>
<script type="module" src="/score-playground.js"></script>${items.join('\n')}`;
  await page.route(`${origin}/ten-widgets.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${origin}/ten-widgets.html`);
  await page.waitForFunction(() => document.querySelectorAll('score-playground').length === 10 && customElements.get('score-playground') !== undefined, null, {
    timeout: 60_000,
  });
  await page.waitForTimeout(8000); // workers start, backends load, autoplay begins
  const state = () => page.evaluate(() => [...document.querySelectorAll('score-playground')].map((w) => w.state ?? {}));
  const before = await state();
  const { result: stats, ...work } = await withMainThreadWork(page, () => page.evaluate(rafStats, seconds * 1000));
  const after = await state();
  const training = after.filter((s, i) => s.running && s.step > (before[i].step ?? 0)).length;
  if (crashed) throw new Error('the page crashed');
  const responsive = await page.evaluate(async () => {
    // Input latency: a click handler's delay on the main thread while everything trains.
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 0));
    return performance.now() - t;
  });
  await page.close();
  return [
    {
      kind: 'fps',
      widgets: 10,
      layout,
      fps: stats.fps,
      p95FrameMs: stats.p95FrameMs,
      maxFrameMs: stats.maxFrameMs,
      training,
      seconds,
      timerDelayMs: +responsive.toFixed(1),
      ...work,
    },
  ];
}
