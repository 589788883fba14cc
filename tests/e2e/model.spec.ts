import { test, expect, inkedFraction } from './fixtures';
import type { Page } from '@playwright/test';
import { parseSettings } from '../../src/ui/state/settings';

const num = async (page: Page, testid: string, attr: string): Promise<number> => Number(await page.getByTestId(testid).getAttribute(attr));
/** The settings the page's own shareable address reads back as. */
const pageSettings = (page: Page) => {
  const p = new URL(page.url()).searchParams;
  return parseSettings((n) => p.get(n));
};

// Vincent's autoencoder trains in the worker like the MLP: loss, field, density, and the link.
test("DSM's autoencoder trains in Chromium: its loss falls, its field and density are drawn, and the link keeps it", async ({ page, errors }) => {
  await page.goto('/?method=dsm&model=autoencoder&width=32&lr=0.01&backend=wasm');
  const panel = page.getByTestId('panel-dsm');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  await expect(page.getByTestId('warnings')).toHaveCount(0);
  await expect(panel.getByTestId('model')).toHaveValue('autoencoder');
  await expect(panel.getByTestId('model-note')).toContainText('J = width hidden units');
  await expect(panel.getByTestId('activation')).toHaveCount(0);
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  await expect(panel).toHaveAttribute('data-field', 'shown');
  await expect.poll(() => inkedFraction(page, '[data-testid=panel-dsm] canvas')).toBeGreaterThan(0.3);
  const before = await page.$eval('[data-testid=panel-dsm] canvas', (c) => (c as HTMLCanvasElement).toDataURL());
  await panel.getByTestId('play').click();
  await expect.poll(() => num(page, 'panel-dsm', 'data-step'), { timeout: 90_000 }).toBeGreaterThan(600);
  await panel.getByTestId('pause').click();
  await expect(panel).toHaveAttribute('data-running', 'false');
  const start = await num(page, 'panel-dsm', 'data-loss-start');
  const end = await num(page, 'panel-dsm', 'data-loss-end');
  console.log(
    `autoencoder DSM: loss ${start} → ${end}, Fisher ${await panel.getAttribute('data-fisher')}, TV ${await page.getByTestId('density-view').getAttribute('data-tv')}`,
  );
  expect(end, `loss start ${start} end ${end}`).toBeLessThan(start - 0.05 * Math.abs(start));
  expect(await page.$eval('[data-testid=panel-dsm] canvas', (c) => (c as HTMLCanvasElement).toDataURL())).not.toEqual(before);
  // The density comes from the model's energy and is judged against q_σ like any other.
  await expect(page.getByTestId('density-view')).toHaveAttribute('data-tv', /\d/);
  expect(await num(page, 'density-view', 'data-tv')).toBeLessThan(0.5);
  // Langevin on the autoencoder's score, on the device, lands near the data (measured: energy distance 0.04).
  await panel.getByTestId('sample').click();
  await expect(panel.getByTestId('energy')).not.toHaveText('—', { timeout: 60_000 });
  const energy = await num(page, 'sample-numbers', 'data-energy');
  console.log(`autoencoder Langevin samples: energy distance ${energy}`);
  expect(energy).toBeLessThan(0.3);
  await page.screenshot({ path: 'test-results/autoencoder-dsm.png', fullPage: true });

  // The address carries the model; choosing the MLP drops it, choosing the autoencoder again brings it back.
  expect(pageSettings(page).settings).toMatchObject({ method: 'dsm', model: 'autoencoder', width: 32 });
  await panel.getByTestId('model').selectOption('mlp');
  await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBeNull();
  await expect(panel.getByTestId('activation')).toHaveValue('auto');
  await expect(panel).toHaveAttribute('data-step', '0');
  await panel.getByTestId('model').selectOption('autoencoder');
  await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('autoencoder');
  await page.goto(page.url());
  await expect(page.getByTestId('panel-dsm').getByTestId('model')).toHaveValue('autoencoder');
  expect(errors).toEqual([]);
});

test('the autoencoder on another method is named in a note and the panel trains the MLP', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&model=autoencoder&backend=wasm');
  await expect(page.getByTestId('warnings')).toContainText('model: autoencoder applies to dsm only; ncsn goes without it');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('model')).toHaveCount(0);
  await panel.getByTestId('step').click();
  await expect(panel).toHaveAttribute('data-step', '10');
  expect(errors).toEqual([]);
});

test('activation and σ embedding: MULDE says GELU, a choice goes into the link, NCSN trains with k = 2', async ({ page, errors }) => {
  await page.goto('/?method=mulde&backend=wasm');
  const mulde = page.getByTestId('panel-mulde');
  await expect(mulde.getByTestId('activation')).toHaveValue('auto');
  await expect(mulde.getByTestId('activation').locator('option:checked')).toHaveText('auto (GELU)');
  await mulde.getByTestId('activation').selectOption('tanh');
  await expect.poll(() => new URL(page.url()).searchParams.get('activation')).toBe('tanh');
  await mulde.getByTestId('frequencies').selectOption('2');
  await expect.poll(() => new URL(page.url()).searchParams.get('frequencies')).toBe('2');

  await page.goto('/?method=ncsn&frequencies=2&backend=wasm');
  const ncsn = page.getByTestId('panel-ncsn');
  await expect(ncsn.getByTestId('frequencies')).toHaveValue('2');
  await expect(ncsn.getByTestId('activation').locator('option:checked')).toHaveText('auto (SiLU)');
  await ncsn.getByTestId('play').click();
  await expect.poll(() => num(page, 'panel-ncsn', 'data-step'), { timeout: 90_000 }).toBeGreaterThan(300);
  await ncsn.getByTestId('pause').click();
  await expect(ncsn).toHaveAttribute('data-field', 'shown');
  const start = await num(page, 'panel-ncsn', 'data-loss-start');
  const end = await num(page, 'panel-ncsn', 'data-loss-end');
  expect(end, `loss start ${start} end ${end}`).toBeLessThan(start);
  await page.goto('/?method=dsm');
  await expect(page.getByTestId('panel-dsm').getByTestId('frequencies')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the autoencoder on WebGPU follows the same loss curve as on wasm', async ({ page, errors }) => {
  const curve = async (backend: string) => {
    await page.goto(`/?method=dsm&model=autoencoder&width=32&backend=${backend}`);
    const panel = page.getByTestId('panel-dsm');
    await expect(panel.getByTestId('backend')).toContainText(backend, { timeout: 60_000 });
    for (let i = 1; i <= 4; i++) {
      await panel.getByTestId('step').click();
      await expect(panel).toHaveAttribute('data-step', String(10 * i), { timeout: 90_000 });
    }
    await expect(panel).toHaveAttribute('data-field', 'shown');
    return {
      backend: await panel.getByTestId('backend').textContent(),
      start: await num(page, 'panel-dsm', 'data-loss-start'),
      end: await num(page, 'panel-dsm', 'data-loss-end'),
    };
  };
  const gpu = await curve('webgpu');
  const wasm = await curve('wasm');
  expect(gpu.backend).toMatch(/^webgpu/);
  // Same seed, same batches: only float32 rounding differs between backends.
  expect(Math.abs(gpu.start - wasm.start) / Math.abs(wasm.start)).toBeLessThan(0.02);
  expect(Math.abs(gpu.end - wasm.end) / Math.abs(wasm.end)).toBeLessThan(0.02);
  expect(errors).toEqual([]);
});

test('a widget takes the model from its attribute and trains the autoencoder', async ({ page, errors }) => {
  await page.goto('/examples/course-notes.html');
  const w = page.locator('#w-dsm');
  await w.scrollIntoViewIfNeeded();
  await expect(w.getByTestId('backend')).not.toHaveText('starting…', { timeout: 60_000 });
  await page.$eval('#w-dsm', (el) => el.setAttribute('model', 'autoencoder'));
  await expect(w.getByText('learned −∇E (conservative by construction)')).toBeVisible();
  await page.$eval('#w-dsm', (el) => (el as unknown as { step(n: number): Promise<void> }).step(20));
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-step', '20');
  await expect(w.getByTestId('panel-dsm')).toHaveAttribute('data-field', 'shown');
  expect(errors).toEqual([]);
});
