import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  // Styles are injected by the components themselves, so a widget's styles land in its own
  // shadow root (Svelte appends them to the root node the component is mounted in).
  compilerOptions: { runes: true, css: 'injected' },
};
