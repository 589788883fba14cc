import { test, expect } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

type El = ScorePlaygroundElement;

test('the course-notes example: three widgets and an iframe draw, train independently, offline', async ({ page, errors, offOrigin }) => {
  await page.goto('/examples/course-notes.html');
  // Widgets load as they near the viewport: bring each one there.
  for (const id of ['w-dsm', 'w-ncsn', 'w-mulde']) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await expect(page.locator(`#${id}`).getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
  }
  await page.locator('#w-iframe').scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#w-iframe');
  await expect(frame.getByTestId('panel-ssm')).toBeVisible();
  await expect(frame.getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });

  // Each widget has its own run: stepping one leaves the others at 0.
  await page.$eval('#w-dsm', (el) => (el as El).step(20));
  await page.$eval('#w-ncsn', (el) => (el as El).step(10));
  expect(await page.$eval('#w-dsm', (el) => (el as El).state.step)).toBe(20);
  expect(await page.$eval('#w-ncsn', (el) => (el as El).state.step)).toBe(10);
  expect(await page.$eval('#w-mulde', (el) => (el as El).state.step)).toBe(0);
  // Views and controls follow the attributes.
  await expect(page.locator('#w-dsm').getByTestId('density-view')).toBeVisible();
  await expect(page.locator('#w-dsm').getByTestId('width')).toHaveCount(0);
  await expect(page.locator('#w-ncsn').getByTestId('sample')).toBeVisible();
  await page.screenshot({ path: 'screenshots/course-notes.png', fullPage: true });
  expect(errors).toEqual([]);
  expect(offOrigin).toEqual([]);
});

test('host CSS does not reach into a widget, and the widget CSS does not leak out', async ({ page }) => {
  await page.goto('/examples/course-notes.html');
  const inside = page.locator('#w-dsm').getByTestId('step');
  await expect(inside).toBeVisible();
  const style = await inside.evaluate((b) => ({ color: getComputedStyle(b).color, font: getComputedStyle(b).fontFamily }));
  expect(style.color).not.toBe('rgb(102, 51, 153)'); // rebeccapurple from the host page
  expect(style.font).not.toContain('Comic Sans');
  // The page's own paragraphs keep the host styling (nothing from the widget leaked).
  const p = await page
    .locator('main > p')
    .first()
    .evaluate((e) => getComputedStyle(e).color);
  expect(p).toBe('rgb(102, 51, 153)');
});

test('the JS API trains, samples positions of the right shape and fires events', async ({ page, errors }) => {
  await page.goto('/examples/course-notes.html');
  const result = await page.$eval('#w-ncsn', async (node) => {
    const el = node as El;
    const events: string[] = [];
    el.addEventListener('progress', () => events.push('progress'));
    await el.step(30);
    const x = await el.sample({ sampler: 'annealed', n: 64, levels: 3, stepsPerLevel: 10 });
    // Predictor–corrector sizes its corrector steps on the device, from the score's norm.
    const pc = await el.sample({ sampler: 'pc', n: 64, levels: 3, stepsPerLevel: 2 });
    const finite = [...x, ...pc].every(Number.isFinite) && pc.length === x.length;
    await el.reset();
    const afterReset = el.state.step;
    // A step answered for the new run: every frame of the old one has come and gone by then.
    const next = (await el.step(1)).step;
    return { len: x.length, isF32: x instanceof Float32Array, finite, events: events.length, afterReset, next };
  });
  expect(result).toMatchObject({ len: 128, isF32: true, finite: true, afterReset: 0, next: 1 });
  expect(result.events).toBeGreaterThan(0);
  const s1d = await page.$eval('#w-dsm', async (node) => (await (node as El).sample({ sampler: 'langevin', n: 40, levels: 2, stepsPerLevel: 5 })).length);
  expect(s1d).toBe(40);
  await expect(page.$eval('#w-dsm', (node) => (node as El).step(0))).rejects.toThrow(/n must be an integer/);
  expect(errors).toEqual([]);
});

test('samplePath starts from the given points and records a frame every k updates', async ({ page, errors }) => {
  await page.goto('/examples/course-notes.html');
  const r = await page.$eval('#w-ncsn', async (node) => {
    const el = node as El;
    await el.step(20);
    const x0 = [
      [0, 0],
      [1, 2],
      [-3, 4],
    ];
    // Langevin: levels × stepsPerLevel = 12 updates, a frame every 4: the start and 3 more.
    const p = await el.samplePath({ sampler: 'langevin', x0, levels: 3, stepsPerLevel: 4, eps: 0.01, every: 4 });
    const bad = await el.samplePath({ sampler: 'langevin', x0, every: 0 }).then(
      () => '',
      (e: Error) => e.message,
    );
    return { n: p.x.length, frames: p.frames, start: Array.from(p.trails.subarray(0, 6)), last: Array.from(p.trails.subarray(18)), end: Array.from(p.x), bad };
  });
  expect(r.n).toBe(6);
  expect(r.frames).toBe(4);
  expect(r.start).toEqual([0, 0, 1, 2, -3, 4]);
  expect(r.last).toEqual(r.end);
  expect(r.bad).toMatch(/every must be a positive integer/);
  expect(errors).toEqual([]);
});

test('a widget that scrolls off-screen pauses and resumes when it comes back', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto('/examples/course-notes.html');
  const w = page.locator('#w-dsm');
  await w.scrollIntoViewIfNeeded();
  await expect(w.getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
  await page.$eval('#w-dsm', (el) => (el as El).start());
  await expect.poll(() => page.$eval('#w-dsm', (el) => (el as El).state.step)).toBeGreaterThan(5);
  await page.locator('#w-iframe').scrollIntoViewIfNeeded();
  await expect.poll(() => page.$eval('#w-dsm', (el) => (el as El).autoPausedForVisibility)).toBe(true);
  expect(await page.$eval('#w-dsm', (el) => (el as El).state.running)).toBe(false);
  await w.scrollIntoViewIfNeeded();
  await expect.poll(() => page.$eval('#w-dsm', (el) => (el as El).state.running)).toBe(true);
  await page.$eval('#w-dsm', (el) => (el as El).pause());
});

test('bad attributes: defaults with a visible, specific warning; nothing injected', async ({ page, errors }) => {
  await page.goto('/examples/course-notes.html');
  await page.evaluate(() => {
    const el = document.createElement('score-playground');
    el.id = 'w-bad';
    el.setAttribute('method', '<img src=x onerror="window.__pwned=1">');
    el.setAttribute('dataset', '{"weights":[1,1],"means":[[0,0]],"covs":[]}');
    el.setAttribute('sigma', '1e9');
    el.setAttribute('views', 'field,hologram');
    document.body.prepend(el);
  });
  const w = page.locator('#w-bad');
  await expect(w.getByTestId('widget-warnings')).toContainText('method: "<img');
  await expect(w.getByTestId('widget-warnings')).toContainText('dataset: invalid mixture: 2 weights but 1 means');
  await expect(w.getByTestId('widget-warnings')).toContainText('sigma: 1000000000 is outside');
  await expect(w.getByTestId('widget-warnings')).toContainText('views: "hologram"');
  await expect(w.getByTestId('panel-ncsn')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await w.locator('img').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('the iframe route takes the same settings as URL parameters', async ({ page, errors }) => {
  await page.goto('/embed.html?method=mulde&dataset=bimodal-1d&beta=0.25&views=field,loss&controls=train,beta');
  await expect(page.getByTestId('panel-mulde')).toBeVisible();
  await expect(page.getByTestId('beta-value')).toHaveText('0.25');
  await expect(page.getByTestId('lr')).toHaveCount(0);
  expect(errors).toEqual([]);
});
