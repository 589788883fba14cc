import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

const METHOD_PAGES = ['sm', 'ssm', 'dsm', 'ncsn', 'mulde', 'compare'];

test('a glossary term opens by keyboard and closes with Escape', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm');
  const term = page.getByTestId('panel-ncsn').getByRole('button', { name: 'rel. Fisher div.' });
  await expect(term).toHaveAttribute('aria-expanded', 'false');
  // Tab from the element before it, so focus arrives the way a keyboard user's does.
  await term.evaluate((el) => (el.previousElementSibling as HTMLElement | null)?.focus());
  await term.focus();
  await page.keyboard.press('Enter');
  await expect(term).toHaveAttribute('aria-expanded', 'true');
  const id = await term.getAttribute('aria-describedby');
  const def = page.locator(`[id="${id}"]`);
  await expect(def).toBeVisible();
  await expect(def).toContainText('Lower is better');
  await page.keyboard.press('Escape');
  await expect(term).toHaveAttribute('aria-expanded', 'false');
  await expect(def).toBeHidden();
  expect(errors).toEqual([]);
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 390, height: 844 } });
  test('a glossary term opens by tap, inside the screen', async ({ page }) => {
    await page.goto('/?method=ncsn&backend=wasm');
    const term = page.getByTestId('panel-ncsn').getByRole('button', { name: 'training noise range' });
    await term.tap();
    await expect(term).toHaveAttribute('aria-expanded', 'true');
    const def = page.locator(`[id="${await term.getAttribute('aria-describedby')}"]`);
    await expect(def).toBeVisible();
    const box = await def.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  });
});

test('the display σ is one setting for the exact view and the panel, and round-trips through Copy link', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?method=ncsn&backend=wasm');
  await page.getByTestId('sigma').fill(String(Math.log10(2)));
  await expect(page.getByTestId('sigma-value')).toHaveText('2.0');
  await expect(page.getByTestId('view-sigma-value')).toHaveText('2.0');
  await expect(page.getByTestId('sigma')).toHaveAttribute('aria-valuetext', '2.0');
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copied')).not.toHaveText('');
  const shown = (await page.getByTestId('copied').textContent()) ?? '';
  const link = shown === 'Link copied' ? await page.evaluate(() => navigator.clipboard.readText()) : shown;
  // The slider snaps to its steps (1/200 of the log range): the link carries the value it shows.
  const sent = Number(new URL(link).searchParams.get('view-sigma'));
  expect(Math.abs(sent / 2 - 1)).toBeLessThan(0.03);
  await page.goto(link);
  await expect(page.getByTestId('sigma-value')).toHaveText('2.0');
  await expect(page.getByTestId('view-sigma-value')).toHaveText('2.0');
});

test('pointing at the field shows the learned and the exact score there', async ({ page }) => {
  await page.goto('/?method=dsm&backend=wasm');
  const panel = page.getByTestId('panel-dsm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  // The probe reads the field on screen: point only once the learned field has arrived.
  await expect(panel).toHaveAttribute('data-field', 'shown');
  const plot = panel.locator('.view').first().locator('figure.plot');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  const probe = panel.getByTestId('field-probe');
  await expect(probe).toContainText('learned (');
  await expect(probe).toContainText('exact (');
  await expect(plot.getByTestId('probe-arrow')).toHaveCount(2);
});

test('sampling before training says the network is untrained', async ({ page }) => {
  await page.goto('/?method=ncsn&backend=wasm&particles=50&levels=2&steps=5');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('untrained-note')).toBeVisible();
  await expect(panel.getByTestId('energy-floor')).toContainText('two true samples', { timeout: 60_000 });
});

test('the sampler shows only the settings it uses', async ({ page }) => {
  await page.goto('/?method=ncsn&backend=wasm');
  const panel = page.getByTestId('panel-ncsn');
  const shown = async () => {
    const out: string[] = [];
    for (const id of ['levels', 'steps-per-level', 'eps', 'flow-steps', 'langevin-steps']) if (await panel.getByTestId(id).isVisible()) out.push(id);
    return out;
  };
  const sampler = panel.getByTestId('sampler');
  await expect.poll(shown).toEqual(['levels', 'steps-per-level', 'eps']);
  await sampler.selectOption('pc');
  await expect.poll(shown).toEqual(['levels', 'steps-per-level']);
  // The term explains itself as a button, and names the input beside it.
  await expect(panel.getByRole('button', { name: 'corrector steps' })).toBeVisible();
  await expect(panel.getByRole('spinbutton', { name: 'corrector steps' })).toHaveValue('30');
  for (const flow of ['reverse-sde', 'pf-ode']) {
    await sampler.selectOption(flow);
    await expect.poll(shown).toEqual(['flow-steps']);
  }
  // 10 levels × 30 steps in the link become 300 steps for the samplers without levels.
  await expect(panel.getByTestId('flow-steps')).toHaveValue('300');
  await sampler.selectOption('langevin');
  await expect.poll(shown).toEqual(['eps', 'langevin-steps']);
  await expect(panel.getByTestId('color-by').locator('option').first()).toHaveText('time');
});

test('while particles move the view shows their σ; the colours have a legend for each choice', async ({ page }) => {
  await page.goto('/?method=ncsn&backend=wasm&particles=300&levels=40&steps=200');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('sample').click();
  const now = panel.getByTestId('sampling-sigma');
  await expect(now).toContainText('the particles are at σ =');
  await expect.poll(async () => Number(await now.getAttribute('data-sigma')), { timeout: 30_000 }).toBeGreaterThan(0);
  const legend = panel.getByTestId('sample-legend');
  await expect(legend.getByTestId('color-bar')).toContainText('noise level σ');
  await expect(legend.getByTestId('color-bar')).toContainText('σ 5.0');
  await panel.getByTestId('color-by').selectOption('particle');
  await expect(legend.getByTestId('color-bar')).toContainText('start position x');
  await panel.getByTestId('stop-sampling').click();
  await expect(panel.getByTestId('sample')).toBeVisible();
});

test('the anomaly map before training says it means nothing yet', async ({ page }) => {
  await page.goto('/?method=mulde&backend=wasm');
  const panel = page.getByTestId('panel-mulde');
  await expect(panel.getByTestId('anomaly-untrained')).toContainText('step 0');
});

test('the anomaly map refits when training pauses, reads like the density maps, and scores compare by share', async ({ page, errors }) => {
  await page.goto('/?method=mulde&backend=wasm&width=32');
  const panel = page.getByTestId('panel-mulde');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  const view = panel.getByTestId('anomaly-view');
  await panel.getByTestId('anomaly-build').click();
  await expect(view).toHaveAttribute('data-built-step', '10');
  await expect(panel.getByTestId('anomaly-map').getByTestId('color-bar')).toContainText('yellow where typical, as in the density maps');
  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step'))).toBeGreaterThan(30);
  await panel.getByTestId('pause').click();
  // The map follows the weights training stopped at, without a click.
  await expect
    .poll(
      async () => {
        const [built, step] = [await view.getAttribute('data-built-step'), await panel.getAttribute('data-step')];
        return Number(built) > 10 && built === step;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await panel.getByTestId('score-point').click();
  const picks = panel.getByTestId('picks');
  await expect(picks).toContainText('only their shares');
  await expect(picks.getByTestId('pick-exact-share')).toHaveText(/^\d+\.\d%$/);
  expect(errors).toEqual([]);
});

test('the loss chart draws the floor under the loss, and the Fisher divergence gets a curve of its own', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm');
  const panel = page.getByTestId('panel-ncsn');
  for (const step of ['10', '20']) {
    await panel.getByTestId('step').click();
    await expect(panel).toHaveAttribute('data-step', step);
  }
  const chart = panel.getByTestId('loss-chart');
  await expect(chart.getByTestId('loss-floor')).toBeAttached();
  // In 2D the denoising floor lies in (0, d/2) = (0, 1); an untrained network is above it.
  const floor = Number(await chart.getAttribute('data-floor'));
  expect(floor).toBeGreaterThan(0);
  expect(floor).toBeLessThan(1);
  expect(Number(await chart.getAttribute('data-smoothed'))).toBeGreaterThan(floor);
  await expect(chart).toContainText('floor: the exact scores of q_σ');
  // One point per read-out: at least the ones at steps 10 and 20.
  const fisher = panel.getByTestId('fisher-chart');
  await expect.poll(async () => Number(await fisher.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  await expect(fisher.locator('svg')).toHaveAttribute('aria-label', /relative Fisher divergence on a log scale: [\d.]+ at step 20/);
  expect(errors).toEqual([]);
});

test('the score-matching floor is negative, as its loss is', async ({ page }) => {
  await page.goto('/?method=sm&backend=wasm');
  const panel = page.getByTestId('panel-sm');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  const chart = panel.getByTestId('loss-chart');
  await expect(chart.getByTestId('loss-floor')).toBeAttached();
  expect(Number(await chart.getAttribute('data-floor'))).toBeLessThan(0);
  await expect(chart).toHaveAttribute('data-zero', 'true');
});

test.describe('at 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  for (const m of METHOD_PAGES)
    test(`nothing overflows sideways on the ${m} page`, async ({ page }) => {
      await page.goto(`/?method=${m}&backend=wasm`);
      await expect(page.getByTestId(m === 'compare' ? 'tab-compare' : `panel-${m}`)).toBeVisible();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });

  for (const m of ['ncsn', 'mulde'])
    test(`the ${m} page puts field and loss first, keeps its formula in its box, and every stop has an action`, async ({ page }) => {
      await page.goto(`/?method=${m}&backend=wasm`);
      const panel = page.getByTestId(`panel-${m}`);
      await expect(panel.getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
      // Secondary views are folded, one tap away; the loss is not.
      const sections = [
        'density-section',
        'samples-section',
        ...(m === 'mulde' ? ['mulde-logdensity-section', 'mulde-levels-section', 'mulde-anomaly-section'] : []),
      ];
      for (const id of sections) await expect(panel.getByTestId(id)).not.toHaveAttribute('open');
      await expect(panel.getByTestId('loss-chart')).toBeVisible();
      await panel.getByTestId('samples-section').locator('summary').click();
      await expect(panel.getByTestId('sample')).toBeVisible();
      // The formula is wider than the phone: it scrolls inside its own box.
      const tex = await panel
        .locator('.tex')
        .first()
        .evaluate((t) => ({ right: t.getBoundingClientRect().right, scroll: t.scrollWidth, width: t.clientWidth }));
      expect(tex.right).toBeLessThanOrEqual(390);
      expect(tex.scroll).toBeGreaterThan(tex.width);
      // Every tab stop is a control (or a scroller, whose action is to scroll), and every slider says its value.
      const stops = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[tabindex]')]
          .filter(
            (e) =>
              e.tabIndex >= 0 &&
              !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(e.tagName) &&
              e.getAttribute('role') !== 'button' &&
              !(e.getAttribute('role') === 'region' && /scroll/.test(e.getAttribute('aria-label') ?? '')),
          )
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(stops).toEqual([]);
      for (const slider of await panel.locator('input[type=range]').all()) {
        const shown = await slider.locator('xpath=preceding-sibling::label//output').textContent();
        await expect(slider).toHaveAttribute('aria-valuetext', shown!);
      }
      const r = await new AxeBuilder({ page }).analyze();
      expect(r.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    });
});
