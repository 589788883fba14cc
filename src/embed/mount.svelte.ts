/**
 * The heavy half of the element, loaded when a widget first nears the viewport or is touched:
 * the Svelte panel, its state and (through the panel) its training worker.
 */
import { mount, unmount, untrack } from 'svelte';
import Widget from './Widget.svelte';
import { AppState } from '../ui/state/app.svelte';
import type { PageRun } from '../ui/state/run.svelte';

export interface Mounted {
  app: AppState;
  destroy(): void;
}

export function mountWidget(target: HTMLElement, get: (name: string) => string | null, onrun: (method: string, run: PageRun) => () => void): Mounted {
  const app = new AppState(get);
  const component = mount(Widget, { target, props: { app, onrun } });
  return { app, destroy: () => void unmount(component) };
}

/** Call `fn` with the final positions each time a sampling run of `run` finishes; returns a stop function. */
export function watchSamples(run: PageRun, fn: (x: Float32Array) => void): () => void {
  return $effect.root(() => {
    $effect(() => {
      const x = run.particles;
      if (x && !run.sampling) untrack(() => fn(x));
    });
  });
}
