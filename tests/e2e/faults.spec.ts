import { test, expect, trainingWorkers, watchWorkers, watched } from './fixtures';
import type { Page } from '@playwright/test';

// Backend faults, injected into the real browser API inside the training worker: the built
// worker script is served with a few lines in front that break WebGPU the way a browser or a
// driver can (no navigator.gpu, a device that cannot be created, a device lost mid-run).

/** Serve the training worker with `snippet` run before any of its code. */
async function injectIntoWorker(page: Page, snippet: string): Promise<void> {
  await page.route(/trainer\.worker-[^/]*\.js$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: `${snippet}\n${await res.text()}` });
  });
}

// A small net keeps software-emulated WebGPU/WebGL steps fast.
const SMALL = 'width=16&batch=64';

test('WebGPU missing in the worker: the run falls back to the next backend and says why', async ({ page, errors }) => {
  await injectIntoWorker(page, `Object.defineProperty(WorkerNavigator.prototype, 'gpu', { get: () => undefined, configurable: true });`);
  await page.goto(`/?method=ncsn&backend=webgpu&${SMALL}`);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('webgl', { timeout: 60_000 });
  await expect(panel.getByTestId('notice')).toContainText(/The webgpu backend could not start \(webgpu: not available in this browser\); using webgl/);
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('WebGPU device creation failing: the run falls back with a notice and trains', async ({ page }) => {
  await injectIntoWorker(page, `GPUAdapter.prototype.requestDevice = function () { return Promise.reject(new Error('injected: no device')); };`);
  await page.goto(`/?method=ncsn&backend=webgpu&${SMALL}`);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('webgl', { timeout: 60_000 });
  await expect(panel.getByTestId('notice')).toContainText(/The webgpu backend could not start .*webgpu: .*; using webgl/);
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10', { timeout: 60_000 });
});

test('WebGPU device lost mid-run: training moves to the next backend and goes on from its weights', async ({ page }) => {
  await watchWorkers(page);
  await injectIntoWorker(
    page,
    `const requestDevice = GPUAdapter.prototype.requestDevice;
     GPUAdapter.prototype.requestDevice = async function (...a) { const d = await requestDevice.apply(this, a); self.__gpuDevice = d; return d; };`,
  );
  await page.goto(`/?method=ncsn&backend=webgpu&${SMALL}`);
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('webgpu', { timeout: 60_000 });
  const step = async () => Number(await panel.getAttribute('data-step'));
  await panel.getByTestId('play').click();
  await expect.poll(step, { timeout: 90_000 }).toBeGreaterThan(30);
  // The worker snapshots its weights every 2 s while training: wait for the first one.
  await expect.poll(async () => (await watched(page)).snapshotStep, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=panel-ncsn]')!;
    const seen: number[] = [];
    (window as unknown as { __steps: number[] }).__steps = seen;
    new MutationObserver(() => seen.push(Number(el.getAttribute('data-step')))).observe(el, { attributes: true, attributeFilter: ['data-step'] });
  });
  // A restore goes back at most to the newest snapshot the worker holds, which is no older than
  // the newest one the page has seen.
  const snapshotAtLoss = (await watched(page)).snapshotStep;
  await trainingWorkers(page)[0].evaluate(() => (self as unknown as { __gpuDevice: { destroy(): void } }).__gpuDevice.destroy());

  await expect(panel.getByTestId('notice')).toContainText(/the WebGPU device was lost .*; now training on webgl/, { timeout: 60_000 });
  await expect(panel.getByTestId('backend')).toContainText('webgl');
  await expect.poll(step, { timeout: 90_000 }).toBeGreaterThan(snapshotAtLoss + 20);
  const steps = await page.evaluate(() => (window as unknown as { __steps: number[] }).__steps);
  expect(Math.min(...steps)).toBeGreaterThanOrEqual(snapshotAtLoss);
  expect(Math.min(...steps)).toBeGreaterThan(0);
  await expect(panel).toHaveAttribute('data-running', 'true');
  // Work that failed on the dying device is not reported as an error: the move explains it.
  await expect(panel.getByTestId('error')).toHaveCount(0);
});
