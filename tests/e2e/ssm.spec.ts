import { test, expect } from './fixtures';

// Sliced SM's own settings: M directions per point and the variance-reduced loss, from the link
// to the panel and back, trained, and changed while training without a restart.

test('the SSM panel trains with M = 4 variance-reduced, and the link round-trips', async ({ page, errors }) => {
  await page.goto('/?method=ssm&backend=wasm&width=32&projections=4&variance-reduced=true');
  const panel = page.getByTestId('panel-ssm');
  await expect(panel.getByTestId('projections')).toHaveValue('4');
  await expect(panel.getByTestId('variance-reduced')).toBeChecked();
  await expect(page.getByTestId('warnings')).toHaveCount(0);

  await panel.getByTestId('play').click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 90_000 }).toBeGreaterThan(150);
  await panel.getByTestId('pause').click();
  await expect(panel).toHaveAttribute('data-running', 'false');
  const [start, end] = [Number(await panel.getAttribute('data-loss-start')), Number(await panel.getAttribute('data-loss-end'))];
  expect(end).toBeLessThan(start);

  // The address bar holds both settings, and opening it again shows them.
  await expect.poll(() => new URL(page.url()).searchParams.get('projections')).toBe('4');
  expect(new URL(page.url()).searchParams.get('variance-reduced')).toBe('true');
  await page.goto(page.url());
  await expect(page.getByTestId('panel-ssm').getByTestId('projections')).toHaveValue('4');
  await expect(page.getByTestId('panel-ssm').getByTestId('variance-reduced')).toBeChecked();
  expect(errors).toEqual([]);
});

test('changing M and the variance-reduced switch while training goes on from the same run', async ({ page, errors }) => {
  await page.goto('/?method=ssm&backend=wasm&width=32');
  const panel = page.getByTestId('panel-ssm');
  await expect(panel.getByTestId('projections')).toHaveValue('1');
  await expect(panel.getByTestId('variance-reduced')).not.toBeChecked();
  await panel.getByTestId('play').click();
  const step = async () => Number(await panel.getAttribute('data-step'));
  await expect.poll(step, { timeout: 60_000 }).toBeGreaterThan(50);
  const before = await step();
  await panel.getByTestId('projections').selectOption('8');
  await panel.getByTestId('variance-reduced').check();
  // A new run would start again from step 0.
  expect(await step()).toBeGreaterThanOrEqual(before);
  await expect.poll(step, { timeout: 60_000 }).toBeGreaterThan(before + 30);
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('projections')).toBe('8');
  expect(errors).toEqual([]);
});

test('any count in range shows in the M control; one out of range falls back to 1 with a warning', async ({ page, errors }) => {
  await page.goto('/?method=ssm&backend=wasm&width=16&projections=3');
  await expect(page.getByTestId('panel-ssm').getByTestId('projections')).toHaveValue('3');
  await page.goto('/?method=ssm&backend=wasm&width=16&projections=99&variance-reduced=often');
  await expect(page.getByTestId('warnings')).toContainText('projections: 99 is outside 1 … 16; using 1');
  await expect(page.getByTestId('warnings')).toContainText('variance-reduced: "often" is not true or false; using false');
  await expect(page.getByTestId('panel-ssm').getByTestId('projections')).toHaveValue('1');
  await expect(page.getByTestId('panel-ssm').getByTestId('variance-reduced')).not.toBeChecked();
  expect(errors).toEqual([]);
});
