import { test, expect } from './fixtures';

// lr = 0.5 blows NCSN up within a few Adam steps (measured: loss 1.2e8 at step 3 on three blobs):
// the guard rolls the burst back, the run pauses with a message and a hint, and lowering the
// learning rate lets it train.
test('a learning rate that blows up is caught; the run pauses with its last good weights and resumes once lowered', async ({ page, errors }) => {
  await page.goto('/?method=ncsn&backend=wasm&lr=0.5');
  const panel = page.getByTestId('panel-ncsn');
  await expect(panel.getByTestId('backend')).toContainText('wasm');
  // The untrained net's field has arrived (its Fisher divergence is shown) before anything trains.
  await expect(panel).toHaveAttribute('data-fisher', /\d/);
  const fisher0 = await panel.getAttribute('data-fisher');
  await panel.getByTestId('play').click();

  const alert = panel.getByTestId('error');
  await expect(alert).toContainText(/Training diverged \(loss \S+ at step \d+\)\. The run is paused at step 0 with the last good weights/, { timeout: 30_000 });
  await expect(alert).toContainText('Lower the learning rate');
  await expect(panel).toHaveAttribute('data-running', 'false');
  await expect(panel).toHaveAttribute('data-step', '0');
  // Rolled back to the weights before the failing burst (here the initial ones): the same field,
  // and no value of the failed burst in the loss read-out.
  await expect(panel).toHaveAttribute('data-fisher', fisher0 ?? '');
  await expect(panel.getByTestId('loss')).toHaveText('—');

  // Lower the learning rate (the slider is log₁₀: −2.7 ≈ 2e-3) and train again.
  await panel.getByTestId('lr').fill('-2.7');
  await expect(panel.getByTestId('lr-value')).toHaveText('0.0020');
  await panel.getByTestId('play').click();
  await expect(alert).toHaveCount(0);
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(300);
  await panel.getByTestId('pause').click();
  const end = Number(await panel.getAttribute('data-loss-end'));
  // NCSN's loss starts near 1 and stays O(1) when training works.
  expect(Number.isFinite(end) && end < 2).toBe(true);
  expect(errors).toEqual([]);
});
