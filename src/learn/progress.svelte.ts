/**
 * What a learner has done on the lessons page, kept in the browser (localStorage) so it survives
 * a reload: the prediction made in each chapter and the missions completed, with the measured
 * number that completed them. Stored data that does not parse is set aside, not thrown at the reader.
 */

export const STORAGE_KEY = 'score-playground:lessons';

export interface Saved {
  /** Chapter id → the option chosen ('skipped' when the learner skipped). */
  predictions: Record<string, string>;
  /** Chapter id → the sentence that completed the mission. */
  missions: Record<string, string>;
}

const empty = (): Saved => ({ predictions: {}, missions: {} });

/** Parse stored progress; anything malformed gives empty progress and a note. */
export function parseSaved(raw: string | null): { saved: Saved; note: string | null } {
  if (raw === null) return { saved: empty(), note: null };
  try {
    const o = JSON.parse(raw) as Partial<Saved>;
    const ok = (v: unknown): v is Record<string, string> =>
      !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
    if (ok(o.predictions) && ok(o.missions)) return { saved: { predictions: o.predictions, missions: o.missions }, note: null };
  } catch {
    // fall through
  }
  return { saved: empty(), note: 'Saved progress on this browser could not be read, so the lessons start afresh.' };
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage blocked (private mode, sandboxed frame): progress lasts for this visit only.
    return null;
  }
}

export class LessonProgress {
  predictions = $state<Record<string, string>>({});
  missions = $state<Record<string, string>>({});
  note = $state<string | null>(null);

  constructor() {
    const { saved, note } = parseSaved(storage()?.getItem(STORAGE_KEY) ?? null);
    this.predictions = saved.predictions;
    this.missions = saved.missions;
    this.note = note;
  }

  private save(): void {
    storage()?.setItem(STORAGE_KEY, JSON.stringify({ predictions: this.predictions, missions: this.missions }));
  }

  predict(chapter: string, option: string): void {
    this.predictions = { ...this.predictions, [chapter]: option };
    this.save();
  }

  complete(chapter: string, evidence: string): void {
    this.missions = { ...this.missions, [chapter]: evidence };
    this.save();
  }

  reset(): void {
    this.predictions = {};
    this.missions = {};
    this.note = null;
    storage()?.removeItem(STORAGE_KEY);
  }
}
