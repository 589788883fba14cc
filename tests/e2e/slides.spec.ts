import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// The example reveal.js deck (built with the site, offline): widgets on two slides load when their
// slide shows, and a widget whose slide is hidden pauses until the slide shows again.

type El = ScorePlaygroundElement;
const running = (id: string) => `document.getElementById('${id}').state.running`;

/** Poll until the widget is paused and its step count holds still between two looks (the last frame has come). */
async function settledStep(page: Page, id: string): Promise<number> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const s = await page.$eval(`#${id}`, (el) => (el as El).state);
        const still = !s.running && s.step === last;
        last = s.step;
        return still;
      },
      { intervals: [300] },
    )
    .toBe(true);
  return last;
}

test('a widget on a hidden slide pauses, and resumes when its slide shows again', async ({ page, errors, offOrigin }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/examples/slides.html');
  await expect(page.locator('.reveal.ready')).toBeAttached();
  // Nothing loads before its slide shows.
  expect(await page.$eval('#s-dsm', (el) => (el as El).loaded)).toBe(false);

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(running('s-dsm')), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => page.$eval('#s-dsm', (el) => (el as El).state.step)).toBeGreaterThan(10);
  expect(await page.$eval('#s-ncsn', (el) => (el as El).loaded)).toBe(false);

  // Next slide: the DSM widget pauses on its own.
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.$eval('#s-dsm', (el) => (el as El).autoPausedForVisibility)).toBe(true);
  const pausedAt = await settledStep(page, 's-dsm');

  // The NCSN slide: that widget loads and trains, the DSM one stays where it stopped.
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(running('s-ncsn')), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => page.$eval('#s-ncsn', (el) => (el as El).state.step)).toBeGreaterThan(5);
  expect(await page.$eval('#s-dsm', (el) => (el as El).state.step)).toBe(pausedAt);

  // Back to the DSM slide: it resumes, and the NCSN one pauses.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => page.evaluate(running('s-dsm'))).toBe(true);
  await expect.poll(() => page.$eval('#s-dsm', (el) => (el as El).state.step)).toBeGreaterThan(pausedAt);
  await expect.poll(() => page.$eval('#s-ncsn', (el) => (el as El).autoPausedForVisibility)).toBe(true);
  expect(errors).toEqual([]);
  expect(offOrigin).toEqual([]);
});
