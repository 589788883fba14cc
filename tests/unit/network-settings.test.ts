/**
 * The network's settings (score model, activation, σ embedding): parsing, links that write only
 * what differs from the method's default, warnings for bad or inapplicable values, and the
 * RunConfig a panel builds from them.
 */
import { describe, expect, it } from 'vitest';
import { defaults, parseSettings, toParams, type Settings } from '../../src/ui/state/settings';
import { runConfigOf } from '../../src/ui/state/run-config';

const fromParams = (p: Record<string, string>) => parseSettings((k) => new URLSearchParams(p).get(k));
const roundTrip = (s: Settings) => fromParams(Object.fromEntries(toParams(s)));

describe('network settings', () => {
  it('defaults write nothing: the MLP, the method’s own activation, no σ embedding', () => {
    const s = defaults();
    expect([s.model, s.activation, s.frequencies]).toEqual(['mlp', 'auto', 0]);
    const p = toParams({ ...s, method: 'mulde' });
    expect(['model', 'activation', 'frequencies'].filter((k) => p.has(k))).toEqual([]);
  });

  it('the autoencoder, an activation and an embedding round-trip through a link', () => {
    const dsm: Settings = { ...defaults(), method: 'dsm', model: 'autoencoder', activation: 'tanh' };
    expect(toParams(dsm).get('model')).toBe('autoencoder');
    expect(roundTrip(dsm)).toEqual({ settings: dsm, warnings: [] });
    const ncsn: Settings = { ...defaults(), method: 'ncsn', frequencies: 3 };
    expect(toParams(ncsn).get('frequencies')).toBe('3');
    expect(roundTrip(ncsn)).toEqual({ settings: ncsn, warnings: [] });
  });

  it('MULDE trains with GELU and the others with SiLU unless a link names one; a named SiLU stays SiLU on MULDE', () => {
    const s = defaults();
    expect(runConfigOf(s, 'mulde').activation).toBe('gelu');
    for (const m of ['sm', 'ssm', 'dsm', 'ncsn'] as const) expect(runConfigOf(s, m).activation).toBe('silu');
    const silu: Settings = { ...s, method: 'mulde', activation: 'silu' };
    expect(toParams(silu).get('activation')).toBe('silu');
    const back = roundTrip(silu).settings;
    expect(runConfigOf(back, 'mulde').activation).toBe('silu');
    expect(runConfigOf({ ...s, activation: 'gelu' }, 'ncsn').activation).toBe('gelu');
  });

  it('a method without the setting trains without it: the autoencoder is DSM’s, the embedding NCSN’s and MULDE’s', () => {
    const s: Settings = { ...defaults(), model: 'autoencoder', frequencies: 2 };
    expect(runConfigOf(s, 'dsm')).toMatchObject({ model: 'autoencoder', frequencies: 0 });
    expect(runConfigOf(s, 'ncsn')).toMatchObject({ model: 'mlp', frequencies: 2 });
    expect(runConfigOf(s, 'mulde')).toMatchObject({ model: 'mlp', frequencies: 2 });
    expect(runConfigOf(s, 'sm')).toMatchObject({ model: 'mlp', frequencies: 0 });
  });

  it.each([
    ['model', 'transformer', 'mlp', /^model: "transformer" is not one of mlp, autoencoder; using mlp$/],
    ['activation', 'relu', 'auto', /^activation: "relu" is not one of auto, softplus, silu, tanh, gelu; using auto$/],
    ['frequencies', '9', 0, /^frequencies: 9 is outside 0 … 8; using 0$/],
    ['frequencies', '1.5', 0, /^frequencies: 1.5 is not a whole number; using 0$/],
    ['frequencies', 'many', 0, /^frequencies: "many" is not a number; using 0$/],
  ])('a bad %s=%s is refused with a message and falls back', (k, v, kept, msg) => {
    const { settings, warnings } = fromParams({ method: 'ncsn', [k]: v });
    expect((settings as unknown as Record<string, unknown>)[k]).toEqual(kept);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(msg);
  });

  it('a value for a method that lacks it is kept and named; so is a control of another method', () => {
    const { settings, warnings } = fromParams({ method: 'ncsn', model: 'autoencoder' });
    expect(settings.model).toBe('autoencoder');
    expect(warnings).toEqual(['model: autoencoder applies to dsm only; ncsn goes without it']);
    expect(fromParams({ method: 'dsm', frequencies: '2' }).warnings).toEqual(['frequencies: 2 applies to ncsn, mulde only; dsm goes without it']);
    expect(fromParams({ method: 'compare', model: 'autoencoder' }).warnings).toEqual([]);
    expect(fromParams({ method: 'ncsn', controls: 'train,model,frequencies,activation' }).warnings).toEqual([
      'controls: model does not apply to ncsn (it belongs to dsm)',
    ]);
  });
});
