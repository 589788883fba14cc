import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** axe-core's violations on the page as it is now, one line each (rule: first target). */
async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
}

for (const m of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde', 'compare'])
  test(`axe finds no violation on the ${m} page`, async ({ page }) => {
    await page.goto(`/?method=${m}&backend=wasm`);
    await expect(page.getByTestId(m === 'compare' ? 'comparison' : `panel-${m}`)).toBeVisible();
    if (m !== 'compare') await expect(page.getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
    expect(await violations(page)).toEqual([]);
  });

test('axe finds no violation on the embed route', async ({ page }) => {
  await page.goto('/embed.html?method=dsm&backend=wasm');
  await expect(page.getByTestId('backend').first()).not.toHaveText('starting…', { timeout: 60_000 });
  expect(await violations(page)).toEqual([]);
});

test('axe finds no violation on the course-notes example', async ({ page }) => {
  await page.goto('/examples/course-notes.html');
  await expect(page.locator('#w-dsm').getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
  // axe reads into the iframe too, so wait until it has drawn its panel (a widget starts only
  // when it nears the viewport, so bring the iframe there).
  await page.locator('#w-iframe').scrollIntoViewIfNeeded();
  await expect(page.frameLocator('#w-iframe').getByTestId('panel-ssm')).toBeVisible({ timeout: 60_000 });
  expect(await violations(page)).toEqual([]);
});
