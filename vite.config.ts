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
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

/**
 * tfjs-backend-wasm starts its pthreads from a Blob holding `factory.toString()`, so the factory
 * must not refer to anything outside itself. It refers to the enclosing `_scriptDir` (guarded by
 * `typeof`, harmless unminified); the minifier renames that variable and drops the guard, and
 * every pthread dies with "ReferenceError: e is not defined". In a worker `_scriptDir` is always
 * undefined (no document.currentScript, no __filename) and the binary's URL comes from
 * setWasmPaths, so the two inner references are removed.
 */
function tfjsWasmThreadsFix(): Plugin {
  const inner = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['Module["mainScriptUrlOrBlob"]||_scriptDir', 'Module["mainScriptUrlOrBlob"]'],
  ];
  return {
    name: 'score-playground-tfjs-wasm-threads',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
      let out = code;
      for (const [from, to] of inner) {
        if (!out.includes(from)) this.error(`tfjs-backend-wasm changed: "${from}" not found; re-check the pthread fix`);
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

/** The npm package: the element module alone (its chunks, worker and wasm beside it), no pages. */
const libraryBuild = {
  outDir: 'dist-lib',
  // No preload helper: its dependency list is relative to this build's layout, which the app
  // that bundles the package rewrites (its preloads would 404).
  modulePreload: false,
  rollupOptions: {
    preserveEntrySignatures: 'exports-only' as const,
    input: { 'score-playground': resolve(import.meta.dirname, 'src/embed/element.ts') },
    output: { entryFileNames: 'score-playground.js' },
  },
};

export default defineConfig(({ mode }) => ({
  plugins: [svelte(), contentSecurityPolicy(), tfjsWasmThreadsFix()],
  // Relative asset URLs so dist/ works from any sub-path of any static host.
  base: './',
  publicDir: mode === 'lib' ? false : 'public',
  build: {
    target: 'es2022',
    // KaTeX fonts stay files (not data: URIs), so the CSP can say font-src 'self' and nothing else.
    assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
    outDir: mode === 'bench' ? 'dist-bench' : 'dist',
    rollupOptions: {
      // The element module's exports (the anywidget front end) survive the app build.
      preserveEntrySignatures: 'exports-only' as const,
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        embed: resolve(import.meta.dirname, 'embed.html'),
        // The lessons: eight chapters with live widgets.
        learn: resolve(import.meta.dirname, 'learn.html'),
        // An example reveal.js deck with widgets on two slides.
        slides: resolve(import.meta.dirname, 'examples/slides.html'),
        // The custom element, at a stable name next to the app: <script src=".../score-playground.js">.
        'score-playground': resolve(import.meta.dirname, 'src/embed/element.ts'),
        // The benchmark page is built only for `npm run bench`, never shipped.
        ...(mode === 'bench' ? { bench: resolve(import.meta.dirname, 'tests/bench/bench.html') } : {}),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'score-playground' ? 'score-playground.js' : 'assets/[name]-[hash].js'),
      },
    },
    ...(mode === 'lib' ? libraryBuild : {}),
  },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsFix()] },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    setupFiles: ['tests/unit/setup-wasm-features.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
}));
