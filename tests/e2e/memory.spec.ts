import { test, expect } from './fixtures';

// tf.memory().numTensors in the real worker stays flat over 10,000 training steps of every method
// (the worker reports it with every progress frame; the panel shows it as data-tensors). A small
// net keeps 10,000 steps quick; leaks come from code paths, not from sizes.
const STEPS = 10_000;

for (const method of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde']) {
  test(`${method}: the worker's tensor count is the same after ${STEPS} steps as after 200`, async ({ page, errors }) => {
    test.setTimeout(240_000);
    await page.goto(`/?method=${method}&backend=wasm&width=8&depth=1&batch=8`);
    const panel = page.getByTestId(`panel-${method}`);
    await expect(panel.getByTestId('backend')).toContainText('wasm');
    const read = async (attr: string) => Number(await panel.getAttribute(attr));
    await panel.getByTestId('play').click();
    await expect.poll(() => read('data-step'), { timeout: 60_000 }).toBeGreaterThan(200);
    const early = await read('data-tensors');
    expect(early).toBeGreaterThan(0);
    await expect.poll(() => read('data-step'), { timeout: 200_000, intervals: [1000] }).toBeGreaterThanOrEqual(STEPS);
    const late = await read('data-tensors');
    await panel.getByTestId('pause').click();
    await expect(panel).toHaveAttribute('data-running', 'false');
    expect(late, `tensors at step ~200: ${early}, at step ${await read('data-step')}: ${late}`).toBe(early);
    await expect.poll(() => read('data-tensors')).toBe(early);
    expect(errors).toEqual([]);
  });
}
