// The README picture: build the site, serve it, train the NCSN panel on the default dataset past
// 1500 steps, draw annealed-Langevin samples with trails, and save the panel as
// public/screenshot.jpg. Usage: npm run screenshot
import { spawn, spawnSync } from 'node:child_process';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE } from './find-chromium.mjs';

const exe = await findChromium();
if (!exe) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = 4399;
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(`http://127.0.0.1:${port}/?method=ncsn&backend=wasm`);
  await page.getByTestId('play').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=panel-ncsn]')?.getAttribute('data-step')) > 1500, null, { timeout: 180_000 });
  await page.getByTestId('pause').click();
  await page.getByTestId('sample').click();
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=energy]')?.textContent ?? ''), null, { timeout: 180_000 });
  await page.waitForTimeout(500);
  await page.getByTestId('panel-ncsn').screenshot({ path: 'public/screenshot.jpg', type: 'jpeg', quality: 80 });
  console.log(`screenshot: public/screenshot.jpg (${(await page.getByTestId('sample-numbers').textContent())?.replace(/\s+/g, ' ')})`);
  await browser.close();
} finally {
  server.kill();
}
