import { describe, it, expect } from 'vitest';
import { defaults, parseSettings, toParams, parseDataset, type Settings } from '../../src/ui/state/settings';

const fromParams = (p: URLSearchParams) => parseSettings((k) => p.get(k));

describe('settings ⇄ URL', () => {
  it('defaults round-trip to a short link', () => {
    const p = toParams(defaults());
    expect(p.toString()).toBe('dataset=three-blobs');
    expect(fromParams(p)).toEqual({ settings: defaults(), warnings: [] });
  });

  it('every setting round-trips, seed included', () => {
    const s: Settings = {
      ...defaults('bimodal-1d'),
      method: 'mulde',
      nData: 777,
      seed: 12345,
      learningRate: 0.0042,
      batchSize: 128,
      width: 64,
      depth: 2,
      sigma: 0.7,
      sigmaMin: 0.02,
      sigmaMax: 3.5,
      beta: 0.37,
      projection: 'rademacher',
      projections: 4,
      varianceReduced: true,
      viewSigma: 1.25,
      backend: 'wasm',
      sampler: 'pc',
      particles: 250,
      levels: 20,
      stepsPerLevel: 30,
      eps: 3e-5,
      views: ['field', 'loss'],
      controls: ['train', 'beta'],
      autoplay: true,
      lock: ['beta', 'lr'],
      maxSteps: 500,
      layout: 'compact',
    };
    const back = fromParams(new URLSearchParams(toParams(s).toString()));
    expect(back.warnings).toEqual([]);
    expect(back.settings).toEqual(s);
  });

  it('a custom JSON mixture round-trips', () => {
    const spec = {
      weights: [1, 2],
      means: [
        [0, 1],
        [2, -1],
      ],
      covs: [
        [
          [1, 0.2],
          [0.2, 1],
        ],
        [
          [0.5, 0],
          [0, 0.5],
        ],
      ],
    };
    const s = { ...defaults(), dataset: 'custom', spec, nData: 400 };
    const back = fromParams(new URLSearchParams(toParams(s).toString()));
    expect(back.warnings).toEqual([]);
    expect(back.settings.spec).toEqual(spec);
    expect(back.settings.dataset).toBe('custom');
    expect(back.settings.nData).toBe(400);
  });

  it.each([
    ['method', 'gan', /method: "gan" is not one of sm, ssm/],
    ['sigma', '-1', /sigma: -1 is outside 0.001 … 50; using 0.5/],
    ['seed', '1.5', /seed: 1.5 is not a whole number/],
    ['lr', 'fast', /lr: "fast" is not a number/],
    ['n', '100000', /n: 100000 is outside 10 … 5000/],
    ['backend', 'tpu', /backend: "tpu"/],
    ['dataset', 'mnist', /dataset: "mnist" is not a preset/],
    ['dataset', '{"weights":[1],"means":[[0,0]],"covs":[[[1,2],[2,1]]]}', /dataset: invalid mixture: covariance 1 is not positive definite/],
    ['dataset', '{not json', /dataset: the JSON mixture does not parse/],
    // Every size a link or an attribute can ask for is capped, and the warning names the cap.
    ['width', '1000', /width: 1000 is outside 4 … 512/],
    ['depth', '9', /depth: 9 is outside 1 … 6/],
    ['batch', '4096', /batch: 4096 is outside 8 … 2048/],
    ['particles', '30000', /particles: 30000 is outside 10 … 5000/],
    ['levels', '5000', /levels: 5000 is outside 1 … 1000/],
    ['steps', '5000', /steps: 5000 is outside 1 … 1000/],
    ['projections', '0', /^projections: 0 is outside 1 … 16; using 1$/],
    ['projections', '2.5', /^projections: 2.5 is not a whole number; using 1$/],
    ['projections', '64', /^projections: 64 is outside 1 … 16; using 1$/],
    ['variance-reduced', 'maybe', /^variance-reduced: "maybe" is not true or false; using false$/],
    [
      'dataset',
      JSON.stringify({
        weights: new Array(17).fill(1),
        means: new Array(17).fill([0, 0]),
        covs: new Array(17).fill([
          [1, 0],
          [0, 1],
        ]),
      }),
      /dataset: the JSON mixture needs .* at most 16 components/,
    ],
  ])('bad %s=%s falls back to the default with a specific warning', (k, v, msg) => {
    const { settings, warnings } = fromParams(new URLSearchParams({ [k]: v }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(msg);
    const key = k === 'dataset' ? 'dataset' : k;
    expect((settings as unknown as Record<string, unknown>)[key]).toEqual((defaults() as unknown as Record<string, unknown>)[key]);
  });

  it.each([
    ['views', 'field,heatmap', 'views', ['field'], /^views: "heatmap" is not one of header, formula, .*; dropped$/],
    ['controls', 'train,explode', 'controls', ['train'], /^controls: "explode" is not one of train, .*; dropped$/],
    ['lock', 'lr,speed,batch', 'lock', ['lr', 'batch'], /^lock: "speed" is not one of/],
  ])('a typo in %s=%s keeps the valid names and warns about the dropped one', (k, v, key, kept, msg) => {
    const { settings, warnings } = fromParams(new URLSearchParams({ [k]: v }));
    expect((settings as unknown as Record<string, unknown>)[key]).toEqual(kept);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(msg);
  });

  it('σ controls have their own names, and a control of another method is named in a warning', () => {
    const ok = fromParams(new URLSearchParams({ method: 'ncsn', controls: 'train,sigma-min,sigma-max,view-sigma' }));
    expect(ok.warnings).toEqual([]);
    expect(ok.settings.controls).toEqual(['train', 'sigma-min', 'sigma-max', 'view-sigma']);
    const bad = fromParams(new URLSearchParams({ method: 'ncsn', controls: 'train,sigma,beta' }));
    expect(bad.settings.controls).toEqual(['train', 'sigma', 'beta']);
    expect(bad.warnings).toEqual(['controls: sigma does not apply to ncsn (it belongs to dsm)', 'controls: beta does not apply to ncsn (it belongs to mulde)']);
  });

  it("sliced SM's projections and variance-reduced form parse from a link or an attribute, and belong to SSM alone", () => {
    const ok = fromParams(new URLSearchParams({ method: 'ssm', projections: '4', 'variance-reduced': '', controls: 'train,projections,variance-reduced' }));
    expect(ok.warnings).toEqual([]);
    expect(ok.settings).toMatchObject({ projections: 4, varianceReduced: true });
    expect(fromParams(new URLSearchParams({ 'variance-reduced': 'false' })).settings.varianceReduced).toBe(false);
    // Today's behaviour by default: one projection, the plain loss; defaults stay out of links.
    expect(defaults()).toMatchObject({ projections: 1, varianceReduced: false });
    expect(toParams({ ...defaults(), method: 'ssm' }).toString()).toBe('dataset=three-blobs&method=ssm');
    expect(toParams({ ...defaults(), method: 'ssm', projections: 8, varianceReduced: true }).toString()).toBe(
      'dataset=three-blobs&method=ssm&projections=8&variance-reduced=true',
    );
    const bad = fromParams(new URLSearchParams({ method: 'dsm', controls: 'train,projections,variance-reduced' }));
    expect(bad.warnings).toEqual([
      'controls: projections does not apply to dsm (it belongs to ssm)',
      'controls: variance-reduced does not apply to dsm (it belongs to ssm)',
    ]);
  });

  it('a widget that no reader can start says so; autoplay or a train control is enough', () => {
    const { warnings } = fromParams(new URLSearchParams({ method: 'dsm', views: 'field,loss', controls: 'sigma' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no "train" and no autoplay, so no reader can start training/);
    expect(fromParams(new URLSearchParams({ method: 'dsm', controls: 'sigma', autoplay: '' })).warnings).toEqual([]);
    expect(fromParams(new URLSearchParams({ method: 'dsm', controls: 'train' })).warnings).toEqual([]);
  });

  it('layout="compact" shows one field view and the loss unless views says otherwise; max-steps and lock parse', () => {
    expect(fromParams(new URLSearchParams({ layout: 'compact' })).settings.views).toEqual(['field', 'loss']);
    expect(fromParams(new URLSearchParams({ layout: 'compact', views: 'field,stats' })).settings.views).toEqual(['field', 'stats']);
    expect(fromParams(new URLSearchParams({ layout: 'wide' })).warnings[0]).toMatch(/layout: "wide" is not one of full, compact; using full/);
    expect(fromParams(new URLSearchParams({ 'max-steps': '500' })).settings.maxSteps).toBe(500);
    expect(fromParams(new URLSearchParams({ 'max-steps': '-3' })).warnings[0]).toMatch(/max-steps: -3 is outside 0 … 1000000; using 0/);
  });

  it('swaps an inverted σ range and says so', () => {
    const { settings, warnings } = fromParams(new URLSearchParams({ 'sigma-min': '3', 'sigma-max': '0.1' }));
    expect([settings.sigmaMin, settings.sigmaMax]).toEqual([0.1, 3]);
    expect(warnings[0]).toMatch(/swapped/);
  });

  it('never passes markup through: a dataset with HTML is refused as text', () => {
    expect(() => parseDataset('<img src=x onerror=alert(1)>')).toThrow(/is not a preset/);
  });
});
