import { test, expect, addWidget } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// What an author controls: which parts show, which controls move, how far training goes, how
// much of the page a widget takes, and what its network says at points of the author's choosing.

type El = ScorePlaygroundElement;

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 760, height: 900 });
  await page.goto('/examples/course-notes.html');
});

test('lock shows a setting without letting it change; max-steps stops training exactly there', async ({ page, errors }) => {
  // The exercise of the course-notes page, at the top (so widgets loading above it cannot push it off-screen).
  const attrs = await page.$eval('#w-exercise', (el) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])));
  await addWidget(page, 'w-ex', { ...attrs, id: 'w-ex' });
  const w = page.locator('#w-ex');
  await expect(w.getByTestId('sigma')).toBeDisabled();
  await expect(w.getByTestId('sigma-value')).toHaveText('0.10');
  await w.getByTestId('play').click();
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-step', '300', { timeout: 60_000 });
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-running', 'false');
  await expect(w.getByTestId('play')).toHaveText('Done: 300 steps');
  await expect(w.getByTestId('play')).toBeDisabled();
  // The API cannot go past it either; reset starts the exercise again.
  expect((await page.$eval('#w-ex', (el) => (el as El).step(50))).step).toBe(300);
  await w.getByTestId('reset').click();
  await expect(w.getByTestId('play')).toHaveText('Train');
  expect(errors).toEqual([]);
});

test('every part has a view name: field and loss alone show nothing else, and a widget no one can start says so', async ({ page }) => {
  await addWidget(page, 'w-bare', { method: 'dsm', dataset: 'two-blobs', views: 'field,loss', controls: 'sigma,sigma-max,explode' });
  const w = page.locator('#w-bare');
  await expect(w.locator('canvas').first()).toBeVisible();
  for (const gone of ['h2:not(.sr-only)', '.tex', '.explain', 'dl.numbers', '[data-testid=play]']) await expect(w.locator(gone)).toHaveCount(0);
  await expect(w.getByTestId('export-png')).toHaveCount(0);
  const warnings = w.getByTestId('widget-warnings');
  await expect(warnings).toContainText('controls: "explode" is not one of');
  await expect(warnings).toContainText('controls: sigma-max does not apply to dsm');
  await expect(warnings).toContainText('no reader can start training');
  // The valid control stayed.
  await expect(w.getByTestId('sigma')).toBeVisible();
});

test('layout="compact" is at most 480 px tall at 720 px wide', async ({ page }) => {
  await page.evaluate(() => document.body.style.setProperty('max-width', '720px'));
  await addWidget(page, 'w-compact', { method: 'ncsn', dataset: 'three-blobs', layout: 'compact', controls: 'train,view-sigma' });
  const w = page.locator('#w-compact');
  await expect(w.getByTestId('backend')).toHaveCount(0);
  await expect(w.locator('canvas').first()).toBeVisible();
  await expect(w.getByTestId('view-sigma')).toBeVisible();
  const box = await w.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(720);
  expect(box!.width).toBeGreaterThan(700);
  expect(box!.height).toBeLessThanOrEqual(480);
});

test('a widget far below the fold starts nothing until it nears the viewport', async ({ page }) => {
  await page.setViewportSize({ width: 760, height: 600 });
  await page.goto('/examples/course-notes.html');
  const far = page.locator('#w-exercise');
  await expect(page.locator('#w-dsm').getByTestId('panel-dsm')).toBeVisible();
  expect(await far.evaluate((el) => (el as El).loaded)).toBe(false);
  await expect(far.getByTestId('widget-placeholder')).toBeAttached();
  await far.scrollIntoViewIfNeeded();
  await expect(far.getByTestId('panel-dsm')).toBeVisible();
  expect(await far.evaluate((el) => (el as El).loaded)).toBe(true);
});

test("field, logDensity and anomalyScores answer at the author's points, and refuse clearly where they cannot", async ({ page, errors }) => {
  await addWidget(page, 'w-mul', { method: 'mulde', dataset: 'two-blobs', backend: 'wasm', width: '64' });
  await addWidget(page, 'w-dsm2', { method: 'dsm', dataset: 'bimodal-1d', backend: 'wasm' });
  const out = await page.evaluate(async () => {
    const mul = document.getElementById('w-mul') as El;
    const dsm = document.getElementById('w-dsm2') as El;
    const errs: string[] = [];
    const refuse = async (p: Promise<unknown>) =>
      p.then(
        () => errs.push('resolved'),
        (e: Error) => errs.push(e.message),
      );
    await refuse(mul.anomalyScores([[0, 0]]));
    await mul.step(800);
    // two-blobs: components at (0, 0) and (3, 2); a far point is less likely and more anomalous.
    const pts = [
      [0, 0],
      [3, 2],
      [-5, 6],
    ];
    const ld = await mul.logDensity(pts);
    const an = await mul.anomalyScores(pts);
    const f = await mul.field(new Float32Array([0, 0, 1, 1]), { sigma: 0.5 });
    await dsm.step(400);
    const s1 = await dsm.field([-5.5, 0, 5.5]);
    await refuse(dsm.logDensity([0]));
    await refuse(dsm.anomalyScores([0]));
    await refuse(dsm.field([0], { sigma: 2 }));
    await refuse(mul.field([[0, 0, 0]]));
    await refuse(mul.field([0, Number.NaN]));
    await refuse(mul.field([0, 0], { sigma: 0 }));
    return { ld: Array.from(ld), an: Array.from(an), fLen: f.length, fF32: f instanceof Float32Array, s1: Array.from(s1), errs };
  });
  expect(out.fLen).toBe(4);
  expect(out.fF32).toBe(true);
  expect(out.ld).toHaveLength(3);
  expect(out.ld[2]).toBeLessThan(Math.min(out.ld[0], out.ld[1]) - 3);
  expect(out.an[2]).toBeGreaterThan(Math.max(out.an[0], out.an[1]));
  // DSM in 1D: left of every mode the score points right, right of every mode it points left.
  expect(out.s1[0]).toBeGreaterThan(0);
  expect(out.s1[2]).toBeLessThan(0);
  expect(out.errs).toEqual([
    expect.stringMatching(/^anomalyScores\(\): the network is untrained \(step 0\)/),
    expect.stringMatching(/^logDensity\(\) needs a MULDE widget \(method="mulde"\); this one is dsm/),
    expect.stringMatching(/^anomalyScores\(\) needs a MULDE widget/),
    expect.stringMatching(/^field\(\): dsm learns the score at its one training σ/),
    expect.stringMatching(/^field\(\): each point needs 2 coordinates/),
    expect.stringMatching(/^field\(\): every coordinate must be a finite number/),
    expect.stringMatching(/^field\(\): mulde learns σ > 0 only/),
  ]);
  expect(errors).toEqual([]);
});
