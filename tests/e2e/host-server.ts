/**
 * A course site on another origin than the app: a tiny HTTP server on E2E_PORT + 1 that serves
 * host pages built by the tests, each with its own Content-Security-Policy header.
 */
import { createServer, type Server } from 'node:http';

export const APP_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173)}`;
export const HOST_PORT = Number(process.env.E2E_PORT ?? 4173) + 1;
export const HOST_ORIGIN = `http://127.0.0.1:${HOST_PORT}`;

export interface HostPage {
  html: string;
  csp?: string;
}

/** The CSP a host page needs to load the widget from APP_ORIGIN (as the README lists it). */
export const HOST_CSP = [
  "default-src 'self'",
  `script-src 'self' ${APP_ORIGIN} 'wasm-unsafe-eval'`,
  `worker-src blob: ${APP_ORIGIN}`,
  `connect-src ${APP_ORIGIN}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
].join('; ');

/** Serve `pages` (path → page) on HOST_PORT; resolves with a function that stops the server. */
export async function serveHost(pages: Record<string, HostPage>): Promise<() => Promise<void>> {
  const server: Server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', HOST_ORIGIN).pathname];
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (page.csp) headers['content-security-policy'] = page.csp;
    res.writeHead(200, headers).end(page.html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(HOST_PORT, '127.0.0.1', resolve);
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A host page that loads the element module from the app's origin and holds `body`. */
export function hostPage(body: string, moduleUrl = `${APP_ORIGIN}/score-playground.js`): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,">
<script type="module" src="${moduleUrl}"></script></head><body>${body}</body></html>`;
}
