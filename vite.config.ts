import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

/**
 * The Content-Security-Policy of the built pages. Nothing loads from another origin; the wasm
 * backend needs 'wasm-unsafe-eval' to compile its binary; nothing needs 'unsafe-eval'. Inline
 * style attributes (Svelte's style: directives, KaTeX) need 'unsafe-inline' for styles only.
 * Only in builds: the dev server injects inline scripts for hot reload.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'score-playground-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [svelte(), contentSecurityPolicy()],
  // Relative asset URLs so dist/ works from any sub-path of any static host.
  base: './',
  build: {
    target: 'es2022',
    // KaTeX fonts stay files (not data: URIs), so the CSP can say font-src 'self' and nothing else.
    assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
    outDir: mode === 'bench' ? 'dist-bench' : 'dist',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        embed: resolve(import.meta.dirname, 'embed.html'),
        // The custom element, at a stable name next to the app: <script src=".../score-playground.js">.
        'score-playground': resolve(import.meta.dirname, 'src/embed/element.ts'),
        // The benchmark page is built only for `npm run bench`, never shipped.
        ...(mode === 'bench' ? { bench: resolve(import.meta.dirname, 'tests/bench/bench.html') } : {}),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'score-playground' ? 'score-playground.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  worker: { format: 'es' },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
}));
