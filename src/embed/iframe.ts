/** The iframe route: one <score-playground> configured by this page's URL parameters. */
import './element';

const el = document.createElement('score-playground');
// Attributes are plain strings, parsed and validated by the element; nothing becomes markup.
for (const [k, v] of new URLSearchParams(location.search)) el.setAttribute(k, v);
// Into the page's labelled main landmark (embed.html), so the framed page is navigable on its own.
(document.querySelector('main') ?? document.body).append(el);
