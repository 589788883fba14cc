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

/**
 * Fraction of canvas pixels that are not fully transparent: proves something was drawn. 0 while
 * the canvas is not in the page yet (views mount their canvas when first drawn), so a poll waits.
 */
export async function inkedFraction(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c) return 0;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n / (d.length / 4);
  }, selector);
}

/** The page's training workers (one per panel), leaving out the shared compute worker. */
export function trainingWorkers(page: Page) {
  return page.workers().filter((w) => /trainer/.test(w.url()));
}

interface WorkerWatch {
  /** The newest weight snapshot step any training worker posted: a restart resumes from at least there. */
  snapshotStep: number;
  /** The last progress frame's step and whether the worker was still training when it sent it. */
  progress: { step: number; running: boolean } | null;
}

/**
 * Watch what the training workers tell the page (installed before the page loads): the signals
 * tests wait on instead of sleeping.
 */
export async function watchWorkers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const watch: WorkerWatch = { snapshotStep: 0, progress: null };
    (window as unknown as { __watch: WorkerWatch }).__watch = watch;
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        this.addEventListener('message', (e: MessageEvent) => {
          const d = e.data as { type?: string; step?: number; running?: boolean } | null;
          if (d?.type === 'snapshot' && typeof d.step === 'number') watch.snapshotStep = Math.max(watch.snapshotStep, d.step);
          if (d?.type === 'progress') watch.progress = { step: d.step ?? 0, running: !!d.running };
        });
      }
    };
  });
}

/** What `watchWorkers` has seen so far. */
export function watched(page: Page): Promise<WorkerWatch> {
  return page.evaluate(() => (window as unknown as { __watch: WorkerWatch }).__watch);
}

/** Add a <score-playground> with these attributes at the top of the page that is open. */
export async function addWidget(page: Page, id: string, attrs: Record<string, string>): Promise<void> {
  await page.evaluate(
    ({ id, attrs }) => {
      const el = document.createElement('score-playground');
      el.id = id;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      document.body.prepend(el);
    },
    { id, attrs },
  );
}
