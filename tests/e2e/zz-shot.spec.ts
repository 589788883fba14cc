import { test, expect } from './fixtures';
test('shot', async ({ page }) => {
  await page.goto('/?method=dsm&dataset=bimodal-1d&sigma=0.3&model=autoencoder&width=16&lr=0.01&backend=wasm');
  const panel = page.getByTestId('panel-dsm');
  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 90_000 }).toBeGreaterThan(1500);
  await panel.getByTestId('pause').click();
  console.log('1D', await panel.getAttribute('data-fisher'), await page.getByTestId('density-view').getAttribute('data-tv'));
  await panel.screenshot({ path: 'shots/ae-1d.png' });
  await page.setViewportSize({ width: 390, height: 900 });
  await panel.getByTestId('model').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'shots/ae-390.png' });
});
