import { test, expect, inkedFraction, addWidget } from './fixtures';
import type { ScorePlaygroundElement } from '../../src/embed/element';
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

// The device sampler (one fused product per layer on 1 × n × d particles) on WebGPU gives the
// samples wasm gives: same weights after the same seeded steps, same noise from the run's seed.
test('WebGPU samples on the device as wasm does', async ({ page, errors }) => {
  // WebGPU here is SwiftShader on the CPU: slow, so the run is small and the limit generous.
  test.setTimeout(240_000);
  await page.goto('/examples/course-notes.html');
  const sampleOn = async (backend: string) => {
    const id = `w-${backend}`;
    await addWidget(page, id, { id, method: 'ncsn', dataset: 'three-blobs', backend });
    return page.$eval(`#${id}`, async (node) => {
      const el = node as ScorePlaygroundElement;
      await el.load();
      await el.step(10);
      const x = await el.sample({ sampler: 'annealed', n: 100, levels: 4, stepsPerLevel: 5 });
      return { backend: el.state.backend, x: Array.from(x) };
    });
  };
  const gpu = await sampleOn('webgpu');
  const wasm = await sampleOn('wasm');
  expect(gpu.backend).toMatch(/^webgpu/);
  expect(gpu.x.length).toBe(200);
  // 10 training steps and 20 sampler updates in float32 on two backends: the particles agree to
  // float32 rounding of reordered sums (measured 4e-6 here); 1e-3 leaves room for other GPUs and
  // still catches a wrong layer, bias or step size, which moves particles by O(0.1–1).
  let worst = 0;
  for (let i = 0; i < gpu.x.length; i++) worst = Math.max(worst, Math.abs(gpu.x[i] - wasm.x[i]));
  expect(worst).toBeLessThan(1e-3);
  expect(errors).toEqual([]);
});
