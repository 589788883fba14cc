import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { HOST_ORIGIN, HOST_PORT } from './host-server';
import type { ScorePlaygroundElement } from '../../src/embed/element';

// The package as a user gets it: `npm pack`, installed from the tarball (offline: the package has
// no dependencies) into a fresh Vite app in a temp folder, type-checked against the shipped
// types, built by Vite, served, and run in Chromium.

const ROOT = resolve(import.meta.dirname, '../..');
const bin = (pkg: string, file: string) => join(ROOT, 'node_modules', pkg, file);
let dir = '';
let server: ChildProcess | null = null;

const INDEX = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course site</title><link rel="icon" href="data:,"></head>
<body><h1>Notes</h1>
<score-playground id="w" method="dsm" dataset="bimodal-1d" backend="wasm" views="field,loss" controls="train"></score-playground>
<script type="module" src="./main.ts"></script></body></html>`;

// Uses the shipped types: the tag name map, the events' details and the state.
const MAIN = `import 'score-playground';
import type { WidgetState } from 'score-playground';
const w = document.querySelector('score-playground')!;
w.addEventListener('ready', (e) => { document.body.dataset.backend = e.detail.backend; });
w.addEventListener('progress', (e) => { document.body.dataset.step = String(e.detail.step); });
export const first: WidgetState = w.state;
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] },
  include: ['main.ts'],
};

/** Run a command; a failure throws with what it printed (tsc reports on stdout). */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: e });
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'score-playground-app-'));
  run('npm', ['run', 'build:lib'], ROOT);
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string }[];
  const app = join(dir, 'site');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'course-site', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0].filename)], app);
  writeFileSync(join(app, 'index.html'), INDEX);
  writeFileSync(join(app, 'main.ts'), MAIN);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  run('node', [bin('typescript', 'bin/tsc'), '-p', app], app);
  run('node', [bin('vite', 'bin/vite.js'), 'build'], app);
  server = spawn('node', [bin('vite', 'bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(HOST_PORT), '--strictPort'], {
    cwd: app,
    stdio: 'pipe',
  });
  await new Promise<void>((ok, fail) => {
    server!.stdout!.on('data', (d: Buffer) => d.toString().includes(String(HOST_PORT)) && ok());
    server!.once('exit', (code) => fail(new Error(`vite preview exited with ${code}`)));
  });
});

test.afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the packed package, installed into a fresh Vite app, registers the element and trains', async ({ page, errors }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${HOST_ORIGIN}/`);
  await expect(page.locator('body')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  const state = await page.$eval('#w', (el) => (el as ScorePlaygroundElement).step(25));
  expect(state.step).toBe(25);
  await expect(page.locator('body')).toHaveAttribute('data-step', '25');
  // Everything, worker and wasm included, came from the app's own origin.
  expect(requests.filter((u) => !u.startsWith(HOST_ORIGIN) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(errors).toEqual([]);
});
