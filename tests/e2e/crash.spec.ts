import { test, expect, trainingWorkers, watchWorkers, watched } from './fixtures';
import type { Page } from '@playwright/test';

// The training worker dies in a real browser: terminated from inside (no event reaches the page,
// only the missing heartbeat tells) or killed by an uncaught error. The page restarts it and the
// run goes on from the last snapshot the worker sent.

const panelStep = async (page: Page) => Number(await page.getByTestId('panel-ncsn').getAttribute('data-step'));

/** Record every data-step value the panel shows from now on. */
async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=panel-ncsn]')!;
    const seen: number[] = [];
    (window as unknown as { __steps: number[] }).__steps = seen;
    new MutationObserver(() => seen.push(Number(el.getAttribute('data-step')))).observe(el, { attributes: true, attributeFilter: ['data-step'] });
  });
}

test('a worker terminated mid-run is noticed and restarted; training goes on from its snapshot', async ({ page, errors }) => {
  await watchWorkers(page);
  await page.goto('/?method=ncsn&backend=wasm&width=32');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('play').click();
  await expect.poll(() => panelStep(page), { timeout: 60_000 }).toBeGreaterThan(500);
  // Snapshots come every 2 s while training: wait for one from step > 500.
  await expect.poll(async () => (await watched(page)).snapshotStep, { timeout: 30_000 }).toBeGreaterThan(500);
  const lossStart = await panel.getAttribute('data-loss-start');
  const workers = trainingWorkers(page);
  expect(workers.length).toBe(1);
  await workers[0].evaluate(() => self.close());

  const notice = panel.getByTestId('notice');
  await expect(notice).toContainText('was restarted', { timeout: 30_000 });
  // From the restart on (frames sent before it may lie between two snapshots): the new worker
  // needs a second or more for its runtime, so its first frame comes after this.
  await recordSteps(page);
  const resumed = Number(/from step (\d+)/.exec((await notice.textContent()) ?? '')?.[1]);
  expect(resumed).toBeGreaterThan(500);
  // Training continues on a new worker, and the count never goes back below the snapshot.
  await expect.poll(() => panelStep(page), { timeout: 60_000 }).toBeGreaterThan(resumed + 200);
  await expect(panel).toHaveAttribute('data-running', 'true');
  const steps = await page.evaluate(() => (window as unknown as { __steps: number[] }).__steps);
  expect(Math.min(...steps)).toBeGreaterThanOrEqual(resumed);
  // The loss curve kept its beginning: the same first steps (their mean moves only by rounding
  // when the history has thinned meanwhile; a history restarted at the snapshot would begin lower).
  expect(Number(await panel.getAttribute('data-loss-start'))).toBeCloseTo(Number(lossStart), 6);
  expect(trainingWorkers(page).length).toBe(1);
  expect(errors).toEqual([]);
});

test('a paused run comes back paused, at the step it stopped, with the same field', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm&width=32');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  for (let i = 1; i <= 3; i++) {
    await panel.getByTestId('step').click();
    await expect(panel).toHaveAttribute('data-step', String(10 * i));
  }
  const fisher = await panel.getAttribute('data-fisher');
  await trainingWorkers(page)[0].evaluate(() => self.close());
  await expect(panel.getByTestId('notice')).toContainText('continues from step 30', { timeout: 30_000 });
  // The restored weights give the same field, so the same Fisher divergence (to float32 rounding).
  await expect
    .poll(async () => Math.abs(Number(await panel.getAttribute('data-fisher')) - Number(fisher)) / Number(fisher), { timeout: 30_000 })
    .toBeLessThan(1e-4);
  await expect(panel).toHaveAttribute('data-step', '30');
  await expect(panel).toHaveAttribute('data-running', 'false');
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '40');
  expect(errors).toEqual([]);
});

test('a worker that keeps crashing is given up on with a message, not restarted forever', async ({ page }) => {
  await page.goto('/?method=ncsn&backend=wasm&width=32');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  const crash = async () => {
    const w = trainingWorkers(page).at(-1)!;
    // An uncaught error inside the worker: the page's Worker gets an error event at once.
    await w.evaluate(() =>
      setTimeout(() => {
        throw new Error('injected fault');
      }, 0),
    );
  };
  for (let i = 1; i <= 3; i++) {
    const before = trainingWorkers(page).at(-1);
    await crash();
    await expect(panel.getByTestId('notice')).toContainText('was restarted');
    await expect.poll(() => trainingWorkers(page).at(-1) !== before && trainingWorkers(page).length === 1, { timeout: 30_000 }).toBe(true);
    await expect(panel.getByTestId('backend')).toContainText('wasm', { timeout: 30_000 });
  }
  await crash();
  await expect(panel.getByTestId('error')).toContainText(/stopped 4 times within a minute .*injected fault.*reload the page/);
  await expect(panel).toHaveAttribute('data-running', 'false');
  await expect.poll(() => trainingWorkers(page).length).toBe(0);
});
