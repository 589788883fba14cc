/**
 * What components read from Svelte context instead of props handed down every level: the page's
 * `AppState` (provided by the app and by each widget) and a panel's `PageRun` (provided by the
 * method panel for everything inside it).
 */
import { createContext } from 'svelte';
import type { AppState } from './app.svelte';
import type { PageRun } from './run.svelte';

export const [appState, provideAppState] = createContext<AppState>();
export const [pageRun, providePageRun] = createContext<PageRun>();
