import { mount } from 'svelte';
import Learn from './Learn.svelte';
import '../ui/global.css';
import './learn.css';
// Registers <score-playground>; each widget loads its panel and worker only when it nears the viewport.
import '../embed/element';

const target = document.getElementById('learn');
if (!target) throw new Error('missing #learn element');
mount(Learn, { target });
