/**
 * What the chapters measure on their live widgets, through the widget's public API only: train to
 * a step, the density recovered from a 1D field, and how far a learned field is from a reference.
 */
import type { ScorePlaygroundElement, WidgetState } from '../../types/score-playground';
import { createMixture, pdf, smoothMixture, type MixtureSpec } from '../core/mixture';
import { grid1d } from '../core/grid';
import { densityFromScore1d } from '../core/density';
import { totalVariation } from '../core/metrics';

/** Steps per training request: a few hundred milliseconds of work. */
const CHUNK = 50;

/** Train until the widget has taken `step` steps, then wait for the frame that reports them (with its score error). */
export async function trainTo(el: ScorePlaygroundElement, step: number): Promise<WidgetState> {
  await el.load();
  await el.pause();
  // In chunks, so the loss curve and the score error move while it trains, and a stop shows at once.
  while (el.state.step < step) {
    const before = el.state.step;
    await el.step(Math.min(CHUNK, step - before));
    if (el.state.step <= before) throw new Error('the widget stopped training; its own message says why');
  }
  return settled(el, step);
}

/** The widget's state once a progress frame at or after `step` has arrived (or after 5 s, the latest one). */
function settled(el: ScorePlaygroundElement, step: number): Promise<WidgetState> {
  const ready = () => el.state.step >= step && el.state.metrics.fisher !== undefined;
  if (ready()) return Promise.resolve(el.state);
  return new Promise((resolve) => {
    const done = () => {
      el.removeEventListener('progress', on);
      clearTimeout(timer);
      resolve(el.state);
    };
    const on = () => ready() && done();
    const timer = setTimeout(done, 5000);
    el.addEventListener('progress', on);
  });
}

/** The 1D grid the chapters recover densities on. */
export const densityGrid = (view: readonly number[]) => grid1d(view[0], view[1], 400);

/**
 * Total variation between the density recovered from the widget's 1D score (trapezoid rule,
 * exponentiated, normalised on the view) and the exact density q_τ of the mixture at τ = `target` σ
 * (0 for the data's own density).
 */
export async function recoveredTv(el: ScorePlaygroundElement, spec: MixtureSpec, view: readonly number[], target: number): Promise<number> {
  const g = densityGrid(view);
  const s = await el.field(Float32Array.from(g.points));
  const learned = densityFromScore1d(g, s).density;
  const m = createMixture(spec);
  const exact = pdf(target > 0 ? smoothMixture(m, target) : m, g.points);
  return totalVariation(learned, exact, g);
}
