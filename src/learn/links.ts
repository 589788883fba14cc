/**
 * The chapters' settings as playground URL parameters: the same names the app's settings table
 * reads, so "open this in the playground" reproduces what the chapter shows.
 */

/** Widget-only attributes that the playground page has no use for. */
const WIDGET_ONLY = new Set(['layout', 'views', 'controls', 'lock', 'autoplay', 'max-steps']);

/** The playground's address (index.html beside learn.html) with the chapter's settings. */
export function playgroundHref(settings: Record<string, string>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(settings)) if (!WIDGET_ONLY.has(k)) p.set(k, v);
  return `./index.html?${p.toString()}`;
}
