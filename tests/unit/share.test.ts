import { describe, expect, it } from 'vitest';
import { elementSnippet, embedSnippets, iframeSnippet, roundedForEmbed } from '../../src/ui/share';
import { defaults, parseSettings } from '../../src/ui/state/settings';

describe('embed code', () => {
  const base = 'https://example.org/notes/';

  it('rounds slider values to what the sliders show', () => {
    const s = { ...defaults('two-blobs'), method: 'dsm' as const, sigma: Math.sqrt(0.1), learningRate: 0.0031622 };
    expect(roundedForEmbed(s).sigma).toBe(0.32);
    const code = embedSnippets(base, s);
    expect(code).toContain('sigma="0.32"');
    expect(code).toContain('lr="0.0032"');
    expect(code).not.toContain('0.316');
  });

  it('carries views, controls, lock, max-steps and layout in both forms', () => {
    const s = {
      ...defaults(),
      method: 'ncsn' as const,
      views: ['field' as const, 'loss' as const],
      controls: ['train' as const, 'view-sigma' as const],
      lock: ['view-sigma' as const],
      maxSteps: 500,
      layout: 'compact' as const,
    };
    const code = embedSnippets(base, s);
    for (const a of ['views="field,loss"', 'controls="train,view-sigma"', 'lock="view-sigma"', 'max-steps="500"', 'layout="compact"'])
      expect(code).toContain(a);
    expect(code).toContain(
      'embed.html?dataset=three-blobs&amp;views=field%2Closs&amp;lock=view-sigma&amp;max-steps=500&amp;layout=compact&amp;controls=train%2Cview-sigma',
    );
  });

  it('the iframe form includes the lines that apply the height the embed page posts, from its origin only', () => {
    const code = embedSnippets(base, defaults());
    expect(code).toContain(`e.origin !== 'https://example.org'`);
    expect(code).toContain('score-playground:height');
    expect(code).toMatch(/<iframe class="score-playground" src="https:\/\/example.org\/notes\/embed.html\?/);
  });

  it('the element code, read back through the settings table, gives the chosen settings', () => {
    const chosen = {
      ...defaults('two-blobs'),
      method: 'dsm' as const,
      sigma: Math.sqrt(0.1),
      views: ['field' as const, 'loss' as const],
      controls: ['train' as const, 'sigma' as const],
      lock: ['sigma' as const],
      maxSteps: 300,
      layout: 'compact' as const,
      autoplay: true,
    };
    const code = elementSnippet(base, chosen);
    const attrs = new Map(
      [...code.matchAll(/ ([a-z-]+)="([^"]*)"/g)]
        .filter(([, k]) => k !== 'type' && k !== 'src')
        .map(([, k, v]) => [k, v.replace(/&quot;/g, '"').replace(/&amp;/g, '&')]),
    );
    const { settings: back, warnings } = parseSettings((n) => attrs.get(n) ?? null);
    expect(warnings).toEqual([]);
    expect(back).toMatchObject({
      method: 'dsm',
      dataset: 'two-blobs',
      sigma: 0.32,
      views: ['field', 'loss'],
      controls: ['train', 'sigma'],
      lock: ['sigma'],
      maxSteps: 300,
      layout: 'compact',
      autoplay: true,
    });
  });

  it('the iframe form takes the chosen width', () => {
    const code = iframeSnippet(base, defaults(), 600);
    expect(code).toContain('width="600"');
    expect(code).toContain('max-width:600px');
    expect(code).not.toContain('<score-playground');
  });
});
