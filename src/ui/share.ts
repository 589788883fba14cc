/** Embed code for the current settings: the custom element and the iframe route. */
import { toParams, type Settings } from './state/settings';

/** Escape a value for an HTML attribute in double quotes. */
export function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The settings a slider shows with two significant digits, rounded as the slider shows them. */
const SLIDER_KEYS = ['learningRate', 'sigma', 'sigmaMin', 'sigmaMax', 'viewSigma', 'beta'] as const;

/** The settings as pasted into a page: slider values rounded to what the slider shows (σ = 0.32, not 0.316228). */
export function roundedForEmbed(s: Settings): Settings {
  const out = { ...s };
  for (const k of SLIDER_KEYS) out[k] = +s[k].toPrecision(2);
  return out;
}

/** The message the embed page posts to its parent whenever its height changes. */
export const HEIGHT_MESSAGE = 'score-playground:height';

/** The embed form an author picks: the custom element (one script tag) or the iframe route (no script of ours). */
export type EmbedForm = 'element' | 'iframe';

/** The script tag and the element, with the settings as attributes (slider values rounded). */
export function elementSnippet(base: string, settings: Settings): string {
  const attrs = [...toParams(roundedForEmbed(settings))].map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  return [`<script type="module" src="${base}score-playground.js"></script>`, `<score-playground${attrs}></score-playground>`].join('\n');
}

/**
 * The iframe route at `width` px (at most: it narrows with the page). It starts at a typical
 * height; the few lines of script after it apply the height the embed page posts, so it never
 * shows a scroll bar.
 */
export function iframeSnippet(base: string, settings: Settings, width = 720): string {
  const params = toParams(roundedForEmbed(settings));
  const origin = new URL(base).origin;
  return [
    `<iframe class="score-playground" src="${base}embed.html?${attr(params.toString())}" width="${width}" height="900" style="border:0;width:100%;max-width:${width}px" title="Score Playground"></iframe>`,
    '<script>',
    `  addEventListener('message', (e) => {`,
    `    if (e.origin !== '${origin}' || e.data?.type !== '${HEIGHT_MESSAGE}') return;`,
    `    for (const f of document.querySelectorAll('iframe.score-playground')) if (f.contentWindow === e.source) f.height = e.data.height;`,
    '  });',
    '</script>',
  ].join('\n');
}

/** Both forms, the element first. */
export function embedSnippets(base: string, settings: Settings, width = 720): string {
  return [elementSnippet(base, settings), '', iframeSnippet(base, settings, width)].join('\n');
}
