import { test, expect, inkedFraction } from './fixtures';
import type { Page } from '@playwright/test';

const num = async (page: Page, testid: string, attr: string) => Number(await page.getByTestId(testid).getAttribute(attr));

// The MULDE panel's own views on the three-blobs preset: train ~1000 steps on wasm, then the
// log-density maps, f across σ, the anomaly map, a test set with its ROC, and a scored click.
test('MULDE: log-density, f across σ, anomaly map, ROC and a scored click', async ({ page, errors }) => {
  test.setTimeout(240_000);
  await page.goto('/?method=mulde&backend=wasm');
  const panel = page.getByTestId('panel-mulde');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await panel.getByTestId('play').click();
  await expect.poll(() => panel.getAttribute('data-step').then(Number), { timeout: 180_000 }).toBeGreaterThanOrEqual(1000);
  await panel.getByTestId('pause').click();
  await expect(panel).toHaveAttribute('data-running', 'false');

  // −f + c beside the exact log q_σ: both maps drawn, the gap a finite number of nats.
  const logd = page.getByTestId('mulde-logdensity');
  await expect(logd).toHaveAttribute('data-ready', 'true');
  await expect.poll(() => inkedFraction(page, '[data-testid=mulde-logdensity] figure:first-child canvas')).toBeGreaterThan(0.5);
  const gap = await num(page, 'mulde-logdensity', 'data-rms');
  expect(gap).toBeGreaterThan(0);
  expect(gap).toBeLessThan(1.5);

  // f on the data across σ: the learned band is drawn and β keeps its levels together.
  await expect(page.getByTestId('f-sigma')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('[data-testid=f-sigma] path.mean')).toHaveCount(1);
  expect(await num(page, 'f-sigma', 'data-spread')).toBeLessThan(2);

  // Anomaly map.
  const view = page.getByTestId('anomaly-view');
  await page.getByTestId('anomaly-build').click();
  // Built with the weights the panel stopped at (the last frame after a pause may still be on its way).
  await expect.poll(async () => (await view.getAttribute('data-built-step')) === (await panel.getAttribute('data-step'))).toBe(true);
  const step = await num(page, 'panel-mulde', 'data-step');
  await expect.poll(() => inkedFraction(page, '[data-testid=anomaly-map] canvas')).toBeGreaterThan(0.5);

  // Held-out normals + uniform outliers: the ROC draws, the AUC shows beside the exact one.
  await page.getByTestId('anomaly-generate').click();
  await expect(page.locator('[data-testid=anomaly-roc] [data-testid=roc-path]')).toHaveCount(2);
  const auc = await num(page, 'anomaly-view', 'data-auc');
  const exact = await num(page, 'anomaly-view', 'data-auc-exact');
  console.log(
    `MULDE three-blobs, uniform outliers, step ${step}: AUC ${auc.toFixed(3)}, exact −log p ${exact.toFixed(3)}, ` +
      `GMM on exact vectors ${(await num(page, 'anomaly-view', 'data-auc-perfect')).toFixed(3)}, GMM on x ${(await num(page, 'anomaly-view', 'data-auc-baseline')).toFixed(3)}`,
  );
  await expect(page.getByTestId('auc')).toHaveText(auc.toFixed(3));
  expect(auc).toBeGreaterThan(0.85);
  expect(exact).toBeGreaterThan(0.9);

  // A click on the map scores that point: far from the data it is stranger than every training point.
  const surface = page.getByTestId('anomaly-surface');
  const box = (await surface.boundingBox())!;
  await surface.click({ position: { x: box.width * 0.97, y: box.height * 0.97 } });
  await expect(view).toHaveAttribute('data-picks', '1');
  await expect(page.getByTestId('picked-score')).toBeVisible();
  await expect(page.getByTestId('picked-score')).toContainText('anomaly score');
  await expect(page.getByTestId('picked-score')).toContainText('stranger than 100.0%');
  // The keyboard does the same: focus the map (the crosshair starts at the centre), move it, Enter.
  await surface.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(view).toHaveAttribute('data-picks', '2');
  await expect(page.getByTestId('picks').locator('tbody tr')).toHaveCount(2);
  expect(errors).toEqual([]);
});
