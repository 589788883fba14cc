import { test, expect, addWidget } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// step(n) trains n steps or rejects saying why. Steps taken without a break for longer than the
// heartbeat allows once got the worker replaced mid-request, and a MULDE widget's step(1500)
// resolved at step 0 with no error.

type El = ScorePlaygroundElement;

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 760, height: 900 });
  await page.goto('/examples/course-notes.html');
});

test('one large step(n) on a MULDE widget trains n steps, however long a step takes', async ({ page, errors }) => {
  test.setTimeout(300_000);
  // Batch 1024: a step takes long enough that 200 steps without a break outlast the heartbeat.
  await addWidget(page, 'w-big', { method: 'mulde', dataset: 'two-blobs', backend: 'wasm', batch: '1024', views: 'loss,stats' });
  const state = await page.$eval('#w-big', (el) => (el as El).step(300));
  expect(state.step).toBe(300);
  await expect(page.locator('#w-big').getByTestId('panel-mulde')).toHaveAttribute('data-step', '300');
  // The run stayed on its worker: no notice of a restart.
  await expect(page.locator('#w-big').locator('.notice.fault')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a step(n) cut short by a reset rejects with the reason', async ({ page }) => {
  await addWidget(page, 'w-cut', { method: 'sm', dataset: 'two-blobs', backend: 'wasm', views: 'loss' });
  const message = await page.$eval('#w-cut', async (node) => {
    const el = node as El;
    const steps = el.step(50_000);
    // Frames come while it steps: reset once the first one reports progress.
    await new Promise<void>((resolve) => {
      const on = () => {
        if (el.state.step === 0) return;
        el.removeEventListener('progress', on);
        resolve();
      };
      el.addEventListener('progress', on);
    });
    await el.reset();
    return steps.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
  });
  expect(message).toMatch(/^step\(50000\): the run changed before the answer came/);
});
