/** The example reveal.js deck: reveal.js and its theme come from the bundle, nothing from a CDN. */
import Reveal from 'reveal.js';
import 'reveal.js/reveal.css';
import 'reveal.js/theme/serif.css';
import '../embed/element';

// A widget is a fixed 720 px wide panel on a 960 × 700 slide; reveal.js scales the whole slide.
void new Reveal({ hash: true, width: 960, height: 700, margin: 0.04, transition: 'slide' }).initialize();
