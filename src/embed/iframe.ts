/** The iframe route: one <score-playground> configured by this page's URL parameters. */
import './element';
// The page shell's own styles (its screen-reader heading); the widget has its copy in its shadow root.
import '../ui/global.css';
import { HEIGHT_MESSAGE } from '../ui/share';

const el = document.createElement('score-playground');
// Attributes are plain strings, parsed and validated by the element; nothing becomes markup.
for (const [k, v] of new URLSearchParams(location.search)) el.setAttribute(k, v);
// Into the page's labelled main landmark (embed.html), so the framed page is navigable on its own.
(document.querySelector('main') ?? document.body).append(el);

// Tell the embedding page how tall this page is, whenever that changes, so the few lines of
// script in the embed snippet can size the iframe to fit (no scroll bar, no gap).
if (parent !== window) {
  new ResizeObserver(() => {
    parent.postMessage({ type: HEIGHT_MESSAGE, height: Math.ceil(document.documentElement.getBoundingClientRect().height) }, '*');
  }).observe(document.body);
}
