import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  { ignores: ['dist/', 'dist-lib/', 'dist-bench/', 'node_modules/', 'test-results/', 'bench-results/', 'screenshots/', 'scripts/.*'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  // The layering rule: pure math never reaches for tfjs, Svelte or the DOM; the UI never imports tfjs.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@tensorflow/*', 'svelte', 'svelte/*', 'd3', 'd3-*', '../*'] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'self'],
    },
  },
  // The network and the worker know nothing of the page: they never import the UI or the element.
  {
    files: ['src/model/**/*.ts', 'src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/ui/*', '**/ui/**', '**/embed/*', 'svelte', 'svelte/*', 'd3', 'd3-*'] }] },
  },
  {
    files: ['src/ui/**/*', 'src/main.ts', 'src/embed/**/*', 'src/learn/**/*'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@tensorflow/*', '**/model/*'] }] },
  },
  // The model sits below the worker as well (this block replaces the one above for model/).
  {
    files: ['src/model/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/ui/*', '**/ui/**', '**/embed/*', '**/worker/*', 'svelte', 'svelte/*', 'd3', 'd3-*'] }] },
  },
);
