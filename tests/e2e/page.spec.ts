import { test, expect, inkedFraction } from './fixtures';

test('the page loads, draws the default preset and switches to 1D without errors', async ({ page, errors, offOrigin }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Score Playground' })).toBeVisible();
  const view = page.getByTestId('exact-view');
  await expect(view).toHaveAttribute('data-dim', '2');
  // Heatmap, points and quiver paint most of the plot area.
  await expect.poll(() => inkedFraction(page, '[data-testid=exact-view] canvas')).toBeGreaterThan(0.5);
  // Contours come from d3-contour as SVG paths.
  expect(await view.locator('svg path').count()).toBeGreaterThan(3);
  await page.screenshot({ path: 'screenshots/page-2d.png', fullPage: true });

  await page.getByTestId('preset').selectOption('bimodal-1d');
  await expect(view).toHaveAttribute('data-dim', '1');
  const density = view.locator('svg').first().locator('path');
  await expect(density).toHaveCount(1);
  expect((await density.getAttribute('d'))?.length ?? 0).toBeGreaterThan(100);
  // The histogram has bars.
  expect(await view.locator('svg').first().locator('rect').count()).toBeGreaterThan(10);
  await page.screenshot({ path: 'screenshots/page-1d.png', fullPage: true });

  expect(errors).toEqual([]);
  expect(offOrigin).toEqual([]);
});
