import { describe, expect, it } from 'vitest';
import { parseSaved } from '../../src/learn/progress.svelte';
import { playgroundHref } from '../../src/learn/links';
import { parseSettings } from '../../src/ui/state/settings';

describe('lesson progress storage', () => {
  it('reads back what was saved', () => {
    const saved = { predictions: { score: 'wide' }, missions: { dsm: 'TV 0.03' } };
    expect(parseSaved(JSON.stringify(saved))).toEqual({ saved, note: null });
  });
  it('starts empty with no note when nothing is stored', () => {
    expect(parseSaved(null)).toEqual({ saved: { predictions: {}, missions: {} }, note: null });
  });
  it.each(['{not json', '[]', '{"predictions":{"a":1},"missions":{}}', '{"missions":{}}'])('sets malformed data %s aside with a note', (raw) => {
    const r = parseSaved(raw);
    expect(r.saved).toEqual({ predictions: {}, missions: {} });
    expect(r.note).toMatch(/could not be read/);
  });
});

describe('playground links', () => {
  it('carry the chapter settings, without widget-only attributes, and parse without warnings', () => {
    const href = playgroundHref({ method: 'ncsn', dataset: 'three-blobs', 'sigma-max': '5', eps: '0.0001', layout: 'compact', controls: 'train' });
    const params = new URL(href, 'http://x/').searchParams;
    expect(params.has('layout')).toBe(false);
    expect(params.has('controls')).toBe(false);
    const { settings, warnings } = parseSettings((n) => params.get(n));
    expect(warnings).toEqual([]);
    expect([settings.method, settings.dataset, settings.sigmaMax, settings.eps]).toEqual(['ncsn', 'three-blobs', 5, 1e-4]);
  });
});
