// Screenshots of every method page at 1280 px and 390 px, after a short training run, for
// reading the page as a newcomer would. Serves an already built dist/ (npm run build).
// Usage: node scripts/screenshot-pages.mjs [outDir] [distDir] [port]
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE } from './find-chromium.mjs';

const [out = 'screenshots/pages', dist = 'dist', port = '4398'] = process.argv.slice(2);
const exe = await findChromium();
if (!exe) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const server = spawn('node_modules/.bin/vite', ['preview', '--outDir', dist, '--host', '127.0.0.1', '--port', port, '--strictPort'], { stdio: 'ignore' });
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
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const m of ['sm', 'ssm', 'dsm', 'ncsn', 'mulde', 'compare']) {
      await page.goto(`http://127.0.0.1:${port}/?method=${m}&backend=wasm`);
      if (m !== 'compare') {
        const panel = page.getByTestId(`panel-${m}`);
        await panel.getByTestId('step').click();
        await page.waitForFunction((id) => Number(document.querySelector(`[data-testid=panel-${id}]`)?.getAttribute('data-step')) >= 10, m, {
          timeout: 60_000,
        });
      }
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${out}/${m}-${width}.png`, fullPage: true });
      console.log(`${out}/${m}-${width}.png`);
    }
    await page.close();
  }
  await browser.close();
} finally {
  server.kill();
}
