import { describe, it, expect } from 'vitest';
import { interpolatePlasma } from 'd3';
import { colorBySigma, colorByStart, COLOR_STEPS, sampleRamp } from '../../src/ui/sample-colors';

/** The ramp's ends through d3 directly: plasma at 0.05 and 0.85. */
const FIRST = interpolatePlasma(0.05);
const LAST = interpolatePlasma(0.85);

describe('sample colours', () => {
  it('by σ: the first level takes the first colour, the last level the last, log-spaced between', () => {
    const frames = [5, 5, 0.5, 0.05];
    const c = colorBySigma(5, 0.05, frames, 0.5);
    expect(c.by).toBe('frame');
    expect(c.trail(0)).toBe(FIRST);
    expect(c.trail(3)).toBe(LAST);
    // σ = 0.5 is halfway in log σ between 5 and 0.05: the stepped ramp's nearest step to ½.
    expect(c.trail(2)).toBe(sampleRamp(Math.round(0.5 * (COLOR_STEPS - 1)) / (COLOR_STEPS - 1)));
    expect(c.particle(7)).toBe(c.trail(2));
    expect(c.legend).toMatchObject({ lo: 'σ 5.0', hi: 'σ 0.050' });
  });

  it('with one σ throughout (Langevin), by time along the run', () => {
    const c = colorBySigma(0.3, 0.3, [0.3, 0.3, 0.3], NaN);
    expect(c.trail(0)).toBe(FIRST);
    expect(c.trail(2)).toBe(LAST);
    expect(c.legend.label).toContain('time along the run');
  });

  it('by start: the left 5% of starts take the first colour, the right 5% the last, and few colours for many particles', () => {
    const x0 = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) [x0[2 * i], x0[2 * i + 1]] = [-3 + (6 * i) / 999, Math.sin(i)];
    const c = colorByStart(x0, 2);
    expect(c.by).toBe('particle');
    expect(c.particle(0)).toBe(FIRST);
    expect(c.particle(40)).toBe(FIRST);
    expect(c.particle(999)).toBe(LAST);
    expect(c.particle(960)).toBe(LAST);
    expect(c.particle(500)).not.toBe(FIRST);
    expect(c.trail(500)).toBe(c.particle(500));
    expect(new Set(Array.from({ length: 1000 }, (_, i) => c.particle(i))).size).toBe(COLOR_STEPS);
    // d3's percentiles of the 1000 evenly spaced starts: −3 + 6·0.05 and −3 + 6·0.95.
    expect(c.legend).toMatchObject({ lo: 'x ≤ -2.7', hi: 'x ≥ 2.7' });
  });
});
