// Locate a Chromium for the browser tests and the benchmark: $CHROMIUM_PATH, then the Debian
// package's /usr/bin/chromium, then a browser Playwright downloaded itself.
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-watchdog',
  '--disable-background-networking',
  '--no-first-run',
];

export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  try {
    const { chromium } = await import('playwright');
    const p = chromium.executablePath();
    if (p && existsSync(p)) return p;
  } catch {
    // Playwright's own browser is optional.
  }
  return null;
}

export const NO_CHROMIUM_MESSAGE = `No Chromium found for the browser tests.
Install one of:
  - Debian/Ubuntu:  sudo apt-get install -y chromium
  - any system:     npx playwright install chromium
or point CHROMIUM_PATH at an existing Chromium or Chrome binary.`;
