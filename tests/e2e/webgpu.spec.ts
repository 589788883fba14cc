import { test, expect } from './fixtures';

// Later tests train on the WebGPU backend; this proves the browser really gives an adapter,
// both in the page and in a dedicated worker (where training runs), so those tests are real.
test('navigator.gpu gives a WebGPU adapter in the page and in a dedicated worker', async ({ page }) => {
  await page.goto('/');
  const inPage = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return { ok: false, why: 'no navigator.gpu' };
    const gpu = (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu;
    const a = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string }; isFallbackAdapter?: boolean } | null;
    if (!a) return { ok: false, why: 'requestAdapter returned null' };
    return { ok: true, vendor: a.info?.vendor ?? '', fallback: a.isFallbackAdapter ?? null };
  });
  expect(inPage, JSON.stringify(inPage)).toMatchObject({ ok: true });

  // A same-origin probe script (the page's CSP allows workers from 'self' only).
  await page.route('**/__gpu-probe.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `
      (async () => {
        if (!self.navigator.gpu) { postMessage({ ok: false, why: 'no navigator.gpu in worker' }); return; }
        const a = await self.navigator.gpu.requestAdapter();
        if (!a) { postMessage({ ok: false, why: 'no adapter in worker' }); return; }
        const d = await a.requestDevice();
        postMessage({ ok: !!d, limits: d.limits.maxStorageBufferBindingSize });
      })();`,
    }),
  );
  const inWorker = await page.evaluate(async () => {
    const w = new Worker('./__gpu-probe.js');
    return new Promise((resolve) => {
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => resolve({ ok: false, why: e.message });
    });
  });
  expect(inWorker, JSON.stringify(inWorker)).toMatchObject({ ok: true });
});
