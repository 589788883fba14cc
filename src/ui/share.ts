/** Embed code for the current settings: the custom element and the iframe route. */
import { toParams, type Settings } from './state/settings';

/** Escape a value for an HTML attribute in double quotes. */
export function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function embedSnippets(base: string, s: Settings, query = toParams(s).toString()): string {
  const attrs = [...toParams(s)].map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  return [
    `<script type="module" src="${base}score-playground.js"></script>`,
    `<score-playground${attrs}></score-playground>`,
    '',
    `<iframe src="${base}embed.html?${attr(query)}" width="720" height="640" style="border:0" title="Score Playground"></iframe>`,
  ].join('\n');
}
