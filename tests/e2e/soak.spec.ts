import { test, expect } from './fixtures';

// A short soak (the benchmark has the 30-minute one): the comparison view trains all five
// methods for thousands of steps each (half a minute on an idle 2-core machine). Each worker's tensor count must not
// move once training runs, and the page's JS heap after a full garbage collection must not grow.
const METHODS = ['sm', 'ssm', 'dsm', 'ncsn', 'mulde'];
/** Tensor counts are sampled this many times, each after every run has taken this many more steps. */
const SAMPLES = 12;
const STEPS_PER_SAMPLE = 200;

test('five methods training for thousands of steps: tensor counts flat, page heap flat', async ({ page, errors }) => {
  test.setTimeout(300_000);
  const cdp = await page.context().newCDPSession(page);
  const heapAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const tensors = () =>
    page.evaluate((ms) => ms.map((m) => Number(document.querySelector(`[data-testid=compare-${m}]`)?.getAttribute('data-tensors'))), METHODS);
  const steps = () => page.evaluate((ms) => ms.map((m) => Number(document.querySelector(`[data-testid=compare-${m}]`)?.getAttribute('data-step'))), METHODS);

  await page.goto('/?method=compare&backend=wasm&width=32');
  for (const m of METHODS) await expect(page.getByTestId(`row-${m}`)).toContainText('wasm', { timeout: 60_000 });
  await page.getByTestId('train-all').click();
  // Warm-up: every run has trained and drawn a few frames.
  await expect.poll(async () => Math.min(...(await steps())), { timeout: 60_000 }).toBeGreaterThan(50);
  const t0 = await tensors();
  const heap0 = await heapAfterGc();
  const s0 = await steps();
  const samples: number[][] = [];
  let last = s0;
  for (let k = 0; k < SAMPLES; k++) {
    const from = last;
    await expect.poll(async () => (last = await steps()).every((s, i) => s >= from[i] + STEPS_PER_SAMPLE), { timeout: 60_000 }).toBe(true);
    samples.push(await tensors());
  }
  const s1 = await steps();
  const heap1 = await heapAfterGc();
  console.log(
    `soak ${SAMPLES} × ${STEPS_PER_SAMPLE} steps: steps ${s0.join('/')} → ${s1.join('/')}, tensors ${t0.join('/')}, heap ${(heap0 / 1e6).toFixed(1)} → ${(heap1 / 1e6).toFixed(1)} MB`,
  );
  // Every run kept training…
  s1.forEach((s, i) => expect(s).toBeGreaterThan(s0[i]));
  // …with the same live tensors in its worker at every sample.
  for (const row of samples) expect(row).toEqual(t0);
  // Loss curves are capped (4000 points a run) and frames replace each other, so after GC the heap
  // only moves by allocator noise; 5 MB is several times that and far below a frame-per-second leak
  // (a 40 × 40 field kept per frame, ten frames a second, would add ~30 MB a minute across four runs).
  expect(heap1 - heap0).toBeLessThan(5e6);
  expect(errors).toEqual([]);
});
