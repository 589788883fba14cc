// Benchmark: build the bench page, serve dist-bench on 127.0.0.1, run it in headless Chromium and
// print JSON records (one per line), also written to bench-results/.
//
// Usage: npm run bench [-- --mode train,ttq,fps --methods ncsn --backends wasm,webgpu --width 128 --batch 256]
//   --mode     train    ms/step per method × backend through the real worker (+ play-loop ms/step)
//              ttq      time to quality (tests/bench/quality.ts): NCSN on three-blobs (energy distance), DSM on
//                       bimodal-1d (TV), SM (relative Fisher divergence) and MULDE (anomaly AUC) on three-blobs;
//                       --ttq ncsn,dsm picks some; --seeds 1,2,3 (default 1–5): one record per seed and their median
//              sample   time of the app's default sample (annealed Langevin, 500 particles, 10 × 30, trails) after NCSN training
//              fps      main-thread frame rate of the built app's "Compare all" view while all five train
//              widgets  frame rate of a page with ten <score-playground> widgets training (all in view; scrolled)
//              pages    memory (renderer RSS, JS heaps) and frame rate of pages with 1, 10, 20 widgets training
//              first    one widget: bytes transferred (gzip) and time to its first field
//              soak     the comparison view training for --soak-minutes (default 30): heap and tensors over time
//              profile  kernel census and micro-benchmarks per backend; with --sample 1, where the app's
//                       default sample's time goes (ms per update, kernels per update with their times)
//              default: train,ttq,fps,widgets
//   --isolate 0        serve without COOP/COEP (as a plain static host does); default: isolated
//   --threads N        profile mode: ask the wasm backend for N threads
//   --fps-seconds S    fps and widgets measuring window (default 10)
//   --soak-minutes M   soak length (default 30)
//   --verbose          echo the page's console
//   --torch-script F   train mode: also time the same steps in PyTorch with F (a script printing
//                      {"kind":"torch-step","method","msPerStep"} lines; default $TORCH_METHODS_BENCH),
//                      run by --python (default /usr/bin/python3) on one thread; skipped quietly
//                      when the script or torch is absent
//   sample mode also times the same sample in PyTorch (scripts/torch-sample.py, one thread) before and
//   after the browser when --python has torch, and records the ratio
//   Anything else is passed to the bench page as a URL parameter (ttq: --lr, --batch, --check, …).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE } from './find-chromium.mjs';
import { fps, soak, widgets } from './bench-app.mjs';
import { first, pages } from './bench-widgets.mjs';

// --name value pairs; a --flag with no value reads as 'true'.
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) continue;
  const next = process.argv[i + 1];
  args[a.slice(2)] = next === undefined || next.startsWith('--') ? 'true' : (i++, next);
}
const take = (name, fallback) => {
  const v = args[name];
  delete args[name];
  return v ?? fallback;
};
const modes = take('mode', 'train,ttq,fps,widgets').split(',');
// Cross-origin isolation (COOP + COEP) lets the wasm backend load its threaded binary; --isolate 0
// serves the pages as a plain static host would.
const isolate = take('isolate', '1') !== '0';
const verbose = take('verbose', 'false') === 'true';
const fpsSeconds = Number(take('fps-seconds', '10'));
const soakMinutes = Number(take('soak-minutes', '30'));
const torchScript = take('torch-script', process.env.TORCH_METHODS_BENCH);
const python = take('python', '/usr/bin/python3');

const exe = await findChromium();
if (!exe) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}
const build = spawnSync('npx', ['vite', 'build', '--mode', 'bench', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const root = 'dist-bench';
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};
const isolationHeaders = isolate ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = await readFile(join(root, path.endsWith('/') ? path + 'index.html' : path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', ...isolationHeaders });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** PyTorch (and its BLAS) on one thread, as our worker runs. */
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const torchBefore = torchRun();
const torchSampleBefore = torchSampleRun();
const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
async function newPage(options) {
  const page = await browser.newPage(options);
  page.on('console', (m) => (verbose || m.type() === 'error') && console.error('[page]', m.type(), m.text()));
  page.on('pageerror', (e) => console.error('[page] uncaught', e.message));
  return page;
}

/** One mode of tests/bench/bench.html; its records. */
async function benchPage(mode) {
  const page = await newPage();
  const q = new URLSearchParams({ ...args, mode });
  await page.goto(`${origin}/tests/bench/bench.html?${q}`);
  await page.waitForFunction(() => window.__benchDone === true, null, { timeout: 30 * 60_000 });
  const records = await page.evaluate(() => window.__bench);
  await page.close();
  return records;
}

const records = [];
for (const mode of modes) {
  try {
    const backend = (args.backends ?? 'wasm').split(',')[0];
    if (mode === 'fps') records.push(...(await fps({ newPage, origin, backend, seconds: fpsSeconds })));
    else if (mode === 'soak') records.push(...(await soak({ newPage, origin, backend, minutes: soakMinutes })));
    else if (mode === 'pages') records.push(...(await pages({ newPage, origin, seconds: fpsSeconds })));
    else if (mode === 'first') records.push(...(await first({ newPage, origin, root })));
    else if (mode === 'widgets') for (const layout of ['grid', 'scrolled']) records.push(...(await widgets({ newPage, origin, layout, seconds: fpsSeconds })));
    else records.push(...(await benchPage(mode)));
  } catch (e) {
    records.push({ kind: 'skipped', mode, reason: String(e?.message ?? e) });
  }
}
await browser.close();
server.close();
records.push(...torchReference(records, [torchBefore, torchRun()]));
records.push(...torchSampleReference(records, [torchSampleBefore, torchSampleRun()]));

/**
 * PyTorch's ms/step for the same methods and shapes on one thread (OPENBLAS_NUM_THREADS=1), or null
 * when the script, python or torch is missing (a record saying why when it ran and failed).
 */
function torchRun() {
  if (!modes.includes('train') || !torchScript || !existsSync(torchScript) || !existsSync(python)) return null;
  const run = spawnSync(python, [torchScript, args.width ?? '128', args.batch ?? '256'], { env: oneThread, encoding: 'utf8', timeout: 20 * 60_000 });
  if (run.status !== 0) return { failed: (run.stderr || run.error?.message || 'failed').trim().split('\n').pop() };
  return {
    steps: run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l)),
  };
}

/** PyTorch's median ms for the app's default sample (scripts/torch-sample.py), or null without torch. */
function torchSampleRun() {
  const script = fileURLToPath(new URL('torch-sample.py', import.meta.url));
  if (!modes.includes('sample') || !existsSync(python)) return null;
  const run = spawnSync(python, [script], { env: oneThread, encoding: 'utf8', timeout: 10 * 60_000 });
  if (run.status !== 0) return null;
  const last = run.stdout.trim().split('\n').pop();
  return last?.startsWith('{') ? JSON.parse(last) : null;
}

/** The faster of PyTorch's two sample timings, with the ratio of ours to it on each sample record. */
function torchSampleReference(ours, runs) {
  const done = runs.filter(Boolean);
  if (done.length === 0) return [];
  const best = done.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
  for (const r of ours) {
    if (r.kind !== 'sample-time') continue;
    r.torchMedianMs = best.medianMs;
    r.ratioToTorch = +(r.medianMs / best.medianMs).toFixed(2);
  }
  return [{ ...best, runs: done.length }];
}

/**
 * PyTorch's figure beside ours: timed right before and right after the browser runs on the same
 * (possibly shared) machine, the faster of the two kept per method; each of our records gets it
 * and the ratio to it.
 */
function torchReference(ours, runs) {
  if (runs.some((r) => r === null)) return [];
  const failed = runs.find((r) => r.failed);
  if (failed) return [{ kind: 'skipped', mode: 'torch', reason: failed.failed }];
  const best = new Map();
  for (const t of runs.flatMap((r) => r.steps)) if (!best.has(t.method) || t.msPerStep < best.get(t.method).msPerStep) best.set(t.method, t);
  for (const r of ours) {
    const t = best.get(r.method);
    if (r.kind === 'train-step' && t && r.width === t.width && r.batch === t.batch) {
      r.torchMsPerStep = t.msPerStep;
      r.ratioToTorch = +(r.msPerStep / t.msPerStep).toFixed(2);
    }
  }
  return [...best.values()].map((t) => ({ ...t, runs: runs.length }));
}

const out = { date: new Date().toISOString(), chromium: exe, cores: cpus().length, loadavg: loadavg(), isolated: isolate, records };
await mkdir('bench-results', { recursive: true });
const file = `bench-results/bench-${out.date.replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify(out, null, 2));
for (const r of records) console.log(JSON.stringify(r));
const steps = records.filter((r) => r.kind === 'train-step');
if (steps.length) {
  console.log('\nmethod  backend  ms/step  kernels/step  PyTorch ms/step  ratio');
  for (const r of steps) console.log([r.method, r.backend, r.msPerStep, r.kernelsPerStep ?? '-', r.torchMsPerStep ?? '-', r.ratioToTorch ?? '-'].join('  '));
}
console.error(
  `bench: wrote ${file} (load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} on ${cpus().length} cores)`,
);
