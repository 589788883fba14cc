import { test, expect } from './fixtures';

// Chapter 2's cost figure times exact and sliced score matching in the compute worker for
// d = 1 … 64 and states the numbers it measured.

const DIMS = [1, 2, 4, 8, 16, 32, 64];

test('the trace-cost figure measures both losses at every dimension, with no console error', async ({ page, errors }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/learn.html#sm');
  const fig = page.getByTestId('trace-cost');
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const read = async (name: string) => ((await fig.getAttribute(name)) ?? '').split(',').map(Number);
  const exact = await read('data-exact-ms');
  const sliced = await read('data-sliced-ms');
  expect(exact).toHaveLength(DIMS.length);
  expect(sliced).toHaveLength(DIMS.length);
  for (const v of [...exact, ...sliced]) expect(v).toBeGreaterThan(0);
  // d tangents against one: at d = 64 the exact loss costs several times the sliced one on any
  // machine (in theory ~30×; 3× leaves room for a busy one).
  expect(exact[DIMS.length - 1]).toBeGreaterThan(3 * sliced[DIMS.length - 1]);
  // The text alternative states the measured numbers.
  await expect(fig).toHaveAttribute('aria-label', /exact SM [\d.]+ → [\d.]+ ms .*sliced SM [\d.]+ → [\d.]+ ms/);
  await expect(fig.locator('svg circle')).toHaveCount(2 * DIMS.length);
  expect(errors).toEqual([]);
});
