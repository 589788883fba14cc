import { test, expect, inkedFraction } from './fixtures';
import type { Page } from '@playwright/test';

async function panelNumber(page: Page, method: string, attr: string): Promise<number> {
  return Number(await page.getByTestId(`panel-${method}`).getAttribute(attr));
}

async function fieldSnapshot(page: Page, method: string): Promise<string> {
  return page.$eval(`[data-testid=panel-${method}] canvas`, (c) => (c as HTMLCanvasElement).toDataURL());
}

// Every method trains in its worker on wasm: the loss falls and the learned field appears and changes.
for (const method of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde']) {
  test(`${method} trains from the UI: loss falls and the field view changes`, async ({ page, errors }) => {
    await page.goto(`/?method=${method}&backend=wasm`);
    const panel = page.getByTestId(`panel-${method}`);
    await expect(panel.getByTestId('backend')).toContainText('wasm');
    await page.getByTestId('step').first().click();
    await expect(panel).toHaveAttribute('data-step', '10');
    await expect.poll(() => inkedFraction(page, `[data-testid=panel-${method}] canvas`)).toBeGreaterThan(0.3);
    const before = await fieldSnapshot(page, method);
    await panel.getByTestId('play').click();
    await expect.poll(() => panelNumber(page, method, 'data-step'), { timeout: 60_000 }).toBeGreaterThan(600);
    await panel.getByTestId('pause').click();
    await expect(panel).toHaveAttribute('data-running', 'false');
    const start = await panelNumber(page, method, 'data-loss-start');
    const end = await panelNumber(page, method, 'data-loss-end');
    // SM losses are negative at the optimum; "falls" means strictly lower, by a visible margin.
    expect(end, `loss start ${start} end ${end}`).toBeLessThan(start - 0.05 * Math.abs(start));
    expect(await fieldSnapshot(page, method)).not.toEqual(before);
    expect(errors).toEqual([]);
  });
}

test('WebGPU trains in the worker and follows the same loss curve as wasm', async ({ page, errors }) => {
  const curve = async (backend: string) => {
    await page.goto(`/?method=ncsn&backend=${backend}`);
    const panel = page.getByTestId('panel-ncsn');
    await expect(panel.getByTestId('backend')).toContainText(backend, { timeout: 60_000 });
    for (let i = 1; i <= 4; i++) {
      await panel.getByTestId('step').click();
      await expect(panel).toHaveAttribute('data-step', String(10 * i), { timeout: 90_000 });
    }
    return {
      backend: await panel.getByTestId('backend').textContent(),
      start: await panelNumber(page, 'ncsn', 'data-loss-start'),
      end: await panelNumber(page, 'ncsn', 'data-loss-end'),
    };
  };
  const gpu = await curve('webgpu');
  const wasm = await curve('wasm');
  expect(gpu.backend).toMatch(/^webgpu/);
  // Same seed, same batches: only float32 rounding differs between backends; 2% is generous.
  expect(Math.abs(gpu.start - wasm.start) / Math.abs(wasm.start)).toBeLessThan(0.02);
  expect(Math.abs(gpu.end - wasm.end) / Math.abs(wasm.end)).toBeLessThan(0.02);
  expect(errors).toEqual([]);
});
