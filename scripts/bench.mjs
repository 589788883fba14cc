// Benchmark: build the bench page, serve it on 127.0.0.1, run it in headless Chromium and print
// JSON records (one per method × backend), also written to bench-results/.
// Usage: npm run bench [-- --methods ncsn --backends wasm,webgpu --width 128 --batch 256]
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE } from './find-chromium.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const exe = await findChromium();
if (!exe) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}
const build = spawnSync('npx', ['vite', 'build', '--mode', 'bench', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const root = 'dist-bench';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = await readFile(join(root, path.endsWith('/') ? path + 'index.html' : path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
const page = await browser.newPage();
page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
const q = new URLSearchParams(Object.entries(args).filter(([, v]) => v !== undefined));
await page.goto(`http://127.0.0.1:${port}/tests/bench/bench.html?${q}`);
await page.waitForFunction(() => window.__benchDone === true, null, { timeout: 30 * 60_000 });
const records = await page.evaluate(() => window.__bench);
await browser.close();
server.close();

const out = { date: new Date().toISOString(), chromium: exe, cores: (await import('node:os')).cpus().length, records };
await mkdir('bench-results', { recursive: true });
const file = `bench-results/bench-${out.date.replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify(out, null, 2));
for (const r of records) console.log(JSON.stringify(r));
console.error(`bench: wrote ${file}`);
