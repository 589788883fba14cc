import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import type { ScorePlaygroundElement } from '../../src/embed/element';
import { parseSettings } from '../../src/ui/state/settings';

// The lessons page: every chapter loads cleanly, its prediction is revealed by a live run, its
// mission completes by scripted interaction, progress survives a reload, and each chapter's link
// opens the playground with its settings.

const CHAPTERS = ['score', 'sm', 'dsm', 'sigma', 'langevin', 'ncsn', 'samplers', 'mulde'] as const;
type Chapter = (typeof CHAPTERS)[number];

async function open(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/learn.html');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
}

/** Pick an option of a chapter's prediction and wait for the live run to reveal the answer; returns it. */
async function predict(page: Page, chapter: Chapter, option: string, timeout = 120_000): Promise<string> {
  const box = page.getByTestId(`predict-${chapter}`);
  await box.locator(`[data-option="${option}"]`).click();
  await expect(box).toHaveAttribute('data-phase', 'revealed', { timeout });
  const reveal = box.getByTestId(`reveal-${chapter}`);
  await expect(reveal).toContainText(/\d/);
  return (await reveal.getAttribute('data-answer')) ?? '';
}

async function completeMission(page: Page, chapter: Chapter): Promise<string> {
  const m = page.getByTestId(`mission-${chapter}`);
  await m.getByRole('button', { name: /check my mission/i }).click();
  await expect(m).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  return (await m.locator('.done').textContent()) ?? '';
}

/** Train the n-th widget of a chapter through its API (as the widget's Step buttons do). */
async function train(page: Page, chapter: Chapter, index: number, steps: number): Promise<{ step: number; fisher?: number }> {
  return page.evaluate(
    async ({ chapter, index, steps }) => {
      const el = document.querySelectorAll(`[data-testid="chapter-${chapter}"] score-playground`)[index] as ScorePlaygroundElement;
      const s = await el.step(steps);
      return { step: s.step, fisher: s.metrics.fisher };
    },
    { chapter, index, steps },
  );
}

test('chapter 1: the arrow between the blobs, and merging them by σ; progress survives a reload and resets', async ({ page, errors }) => {
  await open(page);
  expect(await predict(page, 'score', 'wide')).toBe('wide');
  await expect(page.getByTestId('reveal-score')).toHaveAttribute('data-outcome', 'right');
  await expect(page.getByTestId('reveal-score').locator('.verdict')).toContainText(/Right: .*pointing to the wide blob/);
  const slider = page.getByTestId('ch1-sigma');
  await slider.focus();
  // Keyboard only: the slider's End key takes σ to its largest value.
  await page.keyboard.press('End');
  await expect(page.getByTestId('score-figure')).toHaveAttribute('data-hills', '1');
  await expect(page.getByTestId('score-figure-alt')).toContainText('1 hill');
  await completeMission(page, 'score');
  await expect(page.getByTestId('progress-summary')).toContainText('1 of 8');
  await page.reload();
  await expect(page.getByTestId('mission-score')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('predict-score').locator('[data-option="wide"]')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('progress-reset').click();
  await expect(page.getByTestId('progress-summary')).toContainText('0 of 8');
  await page.reload();
  await expect(page.getByTestId('mission-score')).toHaveAttribute('data-done', 'false');
  expect(errors).toEqual([]);
});

test('chapter 2: exact SM is measured at 100, 400 and 1000 steps; sliced SM is stopped at its best', async ({ page, errors }) => {
  test.setTimeout(300_000);
  await open(page);
  await page.getByTestId('chapter-sm').scrollIntoViewIfNeeded();
  const answer = await predict(page, 'sm', 'worse', 240_000);
  console.log('sm reveal:', answer, await page.getByTestId('reveal-sm').textContent());
  // Early stopping, as a learner would do it: a few steps at a time, watching the score error.
  const seen: string[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await train(page, 'sm', 1, 20);
    seen.push(`${r.step}: ${r.fisher?.toPrecision(2)}`);
    if (r.fisher !== undefined && r.fisher < 0.15) break;
  }
  console.log('ssm score error by step:', seen.join(', '));
  await completeMission(page, 'sm');
  expect(errors).toEqual([]);
});

test('chapter 3: DSM on 20 points follows the sample; the σ = 0.3 widget recovers q_σ', async ({ page, errors }) => {
  test.setTimeout(240_000);
  await open(page);
  await page.getByTestId('chapter-dsm').scrollIntoViewIfNeeded();
  expect(await predict(page, 'dsm', 'sample')).toBe('sample');
  console.log('dsm reveal:', await page.getByTestId('reveal-dsm').textContent());
  await train(page, 'dsm', 0, 1500);
  console.log('dsm mission:', await completeMission(page, 'dsm'));
  // Vincent's autoencoder model trains in the page and reports its own density's distance to q_σ.
  const ae = page.getByTestId('autoencoder-figure');
  await ae.getByTestId('autoencoder-train').click();
  await expect(ae).toHaveAttribute('data-tv', /\d/);
  console.log('autoencoder:', await ae.locator('figcaption.fig-caption').textContent());
  expect(errors).toEqual([]);
});

test('chapter 4: the gradient noise grows about a thousandfold; a σ near 0.3 recovers p', async ({ page, errors }) => {
  test.setTimeout(240_000);
  await open(page);
  const ch = page.getByTestId('chapter-sigma');
  await ch.scrollIntoViewIfNeeded();
  expect(await predict(page, 'sigma', 'x1000')).toBe('x1000');
  const w = ch.locator('score-playground');
  await w.getByTestId('sigma').fill(String(Math.log10(0.3)));
  await expect(w.getByTestId('sigma-value')).toHaveText('0.30');
  await train(page, 'sigma', 0, 1500);
  console.log('sigma mission:', await completeMission(page, 'sigma'));
  expect(errors).toEqual([]);
});

test('chapter 5: pointing with the mouse at the blob with more particles; a larger step evens them out', async ({ page, errors }) => {
  await open(page);
  const ch = page.getByTestId('chapter-langevin');
  await ch.scrollIntoViewIfNeeded();
  // The centre of the plot is the wide blob's centre (0, 0): a click there says "the wide blob".
  const picker = page.getByTestId('picker-langevin');
  await picker.locator('svg').click();
  await expect(picker).toHaveAttribute('aria-valuetext', /marker at \(−?0\.\d, −?0\.\d\)/);
  const box = page.getByTestId('predict-langevin');
  await expect(box).toHaveAttribute('data-phase', 'revealed', { timeout: 120_000 });
  const reveal = box.getByTestId('reveal-langevin');
  await expect(reveal).toHaveAttribute('data-outcome', 'right');
  await expect(reveal).toContainText(/the wide blob holds \d+% of the 1225 particles after 500 steps of α = 0.01, the narrow blob \d+%/);
  await expect(reveal).toContainText(/\d+% of the particles ended within 1 of your spot/);
  console.log('langevin reveal:', await reveal.textContent());
  await box.screenshot({ path: 'screenshots/learn/langevin-predict-click.png' });
  await ch.getByTestId('langevin-alpha').fill(String(Math.log10(0.05)));
  await ch.getByTestId('langevin-run').click();
  await expect(ch.getByTestId('langevin-figure')).not.toHaveAttribute('data-narrow', /^0\.2/);
  await expect(ch.getByTestId('langevin-run')).toBeEnabled();
  console.log('langevin mission:', await completeMission(page, 'langevin'));
  // Skipping is a choice too: the answer comes without a verdict on the learner, and is remembered.
  await box.getByTestId('skip-langevin').click();
  await expect(box).toHaveAttribute('data-phase', 'revealed', { timeout: 120_000 });
  await expect(reveal).toHaveAttribute('data-outcome', 'skipped');
  await expect(reveal.locator('.verdict')).toContainText(/Answer: the wide blob holds \d+%/);
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('score-playground:lessons')!).predictions.langevin)).toBe('skipped');
  expect(errors).toEqual([]);
});

test('chapter 6: the original annealed schedule is far from the data; a short converged one passes', async ({ page, errors }) => {
  await open(page);
  const ch = page.getByTestId('chapter-ncsn');
  await ch.scrollIntoViewIfNeeded();
  expect(await predict(page, 'ncsn', 'far')).toBe('far');
  console.log('ncsn reveal:', await page.getByTestId('reveal-ncsn').textContent());
  await ch.getByTestId('annealed-steps').fill('30');
  await ch.getByTestId('annealed-eps').fill(String(Math.log10(3e-4)));
  await ch.getByTestId('annealed-run').click();
  await expect(ch.getByTestId('annealed-run')).toHaveText('Run');
  console.log('ncsn mission:', await completeMission(page, 'ncsn'));
  // The NCSN widget trains, and the figure samples with its learned score.
  const r = await train(page, 'ncsn', 0, 200);
  expect(r.step).toBe(200);
  await ch.getByTestId('annealed-source').selectOption('learned');
  await ch.getByTestId('annealed-run').click();
  await expect(ch.getByTestId('annealed-figure').locator('figcaption.fig-caption')).toContainText('learned score', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('chapter 7: only the reverse SDE gets the 10% mode; tuned annealed Langevin gets there too', async ({ page, errors }) => {
  await open(page);
  const ch = page.getByTestId('chapter-samplers');
  await ch.scrollIntoViewIfNeeded();
  expect(await predict(page, 'samplers', 'sde')).toBe('sde');
  console.log('samplers reveal:', await page.getByTestId('reveal-samplers').textContent());
  await ch.getByTestId('compare-eps').fill('-3');
  await ch.getByTestId('compare-run').click();
  await expect(ch.getByTestId('compare-run')).toHaveText('Run all five', { timeout: 60_000 });
  console.log('samplers mission:', await completeMission(page, 'samplers'));
  expect(errors).toEqual([]);
});

test('chapter 7 in 2D: pointing by keyboard at the over-filled mode, kept over a reload; five samplers with the exact and the learned score', async ({
  page,
  errors,
}) => {
  test.setTimeout(300_000);
  await open(page);
  const ch = page.getByTestId('chapter-samplers');
  const picker = page.getByTestId('picker-samplers-2d');
  await picker.scrollIntoViewIfNeeded();
  // Keyboard only: from the centre (0, 0), Shift+arrows move a tenth of the view: to (2.4, 2.0), the small mode.
  await picker.focus();
  for (const key of ['Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowUp', 'Shift+ArrowUp']) await page.keyboard.press(key);
  await expect(picker).toHaveAttribute('aria-valuetext', 'marker at (2.4, 2.0)');
  await page.keyboard.press('Enter');
  const box = page.getByTestId('predict-samplers-2d');
  await expect(box).toHaveAttribute('data-phase', 'revealed', { timeout: 120_000 });
  const reveal = box.getByTestId('reveal-samplers-2d');
  await expect(reveal).toHaveAttribute('data-outcome', 'right');
  await expect(reveal).toContainText(/annealed Langevin over-fills the small mode: \d+\.\d% there against 10\.0% in the data/);
  console.log('samplers 2d reveal:', await reveal.textContent());
  // The exact row is filled, with numbers in each plot's text alternative.
  const fig = page.getByTestId('sampler2d-figure');
  await expect(fig.getByTestId('sampler2d-exact-pc')).toHaveAttribute('data-energy', /\d/);
  await expect(fig.locator('figcaption.fig-caption')).toContainText('Reverse SDE (400 steps) small mode');
  await expect(fig.getByTestId('sampler2d-exact-reverse-sde').locator('svg[role="img"]')).toHaveAttribute(
    'aria-label',
    /Reverse SDE \(400 steps\), exact score: small mode \d+\.\d%, energy distance \d/,
  );
  // The spot survives a reload.
  await page.reload();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('score-playground:lessons')!).predictions['samplers-2d'])).toBe('2.40,2.00');
  await expect(page.getByTestId('picker-samplers-2d')).toHaveAttribute('aria-valuetext', 'marker at (2.4, 2.0)');
  await expect(page.getByTestId('predict-samplers-2d')).toContainText('Your earlier prediction: (2.4, 2.0)');
  // The 2D widget trains; then all five samplers run with its learned score too, from the same starts.
  const r = await train(page, 'samplers', 1, 300);
  expect(r.step).toBe(300);
  await page.getByTestId('compare2d-run').click();
  for (const id of ['langevin', 'annealed', 'reverse-sde', 'pf-ode', 'pc'])
    await expect(ch.getByTestId(`sampler2d-learned-${id}`)).toHaveAttribute('data-energy', /\d/, { timeout: 180_000 });
  await expect(page.getByTestId('sampler2d-figure').locator('figcaption.fig-caption')).toContainText('Score learned by the widget at step 300');
  console.log('samplers 2d:', await page.getByTestId('sampler2d-figure').locator('figcaption.fig-caption').textContent());
  await page.getByTestId('sampler2d-figure').screenshot({ path: 'screenshots/learn/samplers-2d-run.png' });
  expect(errors).toEqual([]);
});

test('chapter 8: MULDE trains and its anomaly AUC is compared with the exact density; the table fills', async ({ page, errors }) => {
  test.setTimeout(300_000);
  await open(page);
  const ch = page.getByTestId('chapter-mulde');
  await ch.scrollIntoViewIfNeeded();
  const answer = await predict(page, 'mulde', 'close', 240_000);
  console.log('mulde reveal:', answer, await page.getByTestId('reveal-mulde').textContent());
  await expect(page.getByTestId('live-mulde')).toContainText('1500 steps');
  if (answer !== 'close') await train(page, 'mulde', 0, 1500);
  console.log('mulde mission:', await completeMission(page, 'mulde'));
  expect(errors).toEqual([]);
});

test("each chapter's link opens the playground with that chapter's settings", async ({ page, errors }) => {
  await open(page);
  const links = await page.$$eval('[data-testid^="open-"]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(links).toHaveLength(CHAPTERS.length);
  for (const href of links) {
    const want = new URL(href).searchParams;
    await page.goto(href);
    await expect(page.getByTestId(`panel-${want.get('method')}`)).toBeVisible();
    await expect(page.getByTestId('warnings')).toHaveCount(0);
    await expect(page.getByTestId('preset')).toHaveValue(want.get('dataset')!);
    // The page's own shareable address (defaults left out) reads back as the same settings.
    const got = new URL(page.url()).searchParams;
    expect(parseSettings((n) => got.get(n)).settings, href).toEqual(parseSettings((n) => want.get(n)).settings);
  }
  await page.goto('/');
  await page.getByTestId('learn-link').click();
  await expect(page.getByRole('heading', { name: 'Learn score matching' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('screenshots of every chapter at 1280 px and 390 px', async ({ page, errors }) => {
  test.setTimeout(240_000);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/learn.html');
    for (const id of CHAPTERS) {
      const ch = page.getByTestId(`chapter-${id}`);
      // Widgets near the viewport load: bring each one there and wait until it has replaced its placeholder.
      for (const w of await ch.locator('score-playground').all()) {
        await w.scrollIntoViewIfNeeded();
        await expect(w.getByTestId('widget-placeholder')).toHaveCount(0);
      }
      await ch.scrollIntoViewIfNeeded();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `page wider than ${width} px at chapter ${id}`).toBeLessThanOrEqual(0);
      await ch.screenshot({ path: `screenshots/learn/${id}-${width}.png` });
    }
  }
  expect(errors).toEqual([]);
});
