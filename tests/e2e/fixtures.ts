import { test as base, expect, type Page } from '@playwright/test';

/** A page that records console errors and uncaught exceptions, and any request leaving the origin. */
export const test = base.extend<{ errors: string[]; offOrigin: string[] }>({
  errors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await use(errors);
  },
  offOrigin: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
    const off: string[] = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) off.push(u);
    });
    await use(off);
  },
});

export { expect };

/** Fraction of canvas pixels that are not fully transparent: proves something was drawn. */
export async function inkedFraction(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n / (d.length / 4);
  });
}

/** The page's training workers (one per panel), leaving out the shared compute worker. */
export function trainingWorkers(page: Page) {
  return page.workers().filter((w) => /trainer/.test(w.url()));
}
