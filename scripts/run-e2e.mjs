// Run the Playwright end-to-end tests against the built app with a Chromium found on this machine.
import { spawnSync } from 'node:child_process';
import { findChromium, NO_CHROMIUM_MESSAGE } from './find-chromium.mjs';

const chromium = await findChromium().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
if (!chromium) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}
console.log(`e2e: using Chromium at ${chromium}`);
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
