/**
 * The worker's play loop with fake runs: playing runs take turns in round-robin order, a paused
 * run gets no turn, one that finishes or fails leaves the queue without stopping the others.
 */
import { expect, test } from 'vitest';
import { Scheduler, type Turnable } from '../../src/worker/scheduler';

class FakeRun implements Turnable {
  turns = 0;
  constructor(
    readonly name: string,
    private log: string[],
    public left = Infinity,
    private fails = false,
  ) {}
  async turn(): Promise<boolean> {
    this.log.push(this.name);
    this.turns++;
    if (this.fails) throw new Error('burst failed');
    this.left--;
    return this.left > 0;
  }
}

/** A scheduler whose yield lets the test count turns; resolves once `n` turns were taken. */
function setup() {
  const log: string[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  const yieldTask = () =>
    new Promise<void>((r) => {
      waiters = waiters.filter((w) => (log.length >= w.n ? (w.resolve(), false) : true));
      setTimeout(r, 0);
    });
  const after = (n: number) => new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { log, scheduler: new Scheduler<FakeRun>(yieldTask), after };
}

test('ten playing runs take turns in order, each progressing', async () => {
  const { log, scheduler, after } = setup();
  const runs = Array.from({ length: 10 }, (_, i) => new FakeRun(`r${i}`, log));
  for (const r of runs) scheduler.add(r);
  await after(30);
  for (const r of runs) scheduler.remove(r);
  expect(log.slice(0, 30)).toEqual([0, 1, 2].flatMap(() => runs.map((r) => r.name)));
});

test('adding a run twice keeps one place; a removed run gets no more turns', async () => {
  const { log, scheduler, after } = setup();
  const a = new FakeRun('a', log);
  const b = new FakeRun('b', log);
  scheduler.add(a);
  scheduler.add(a);
  scheduler.add(b);
  await after(4);
  scheduler.remove(a);
  const seen = log.length;
  await after(seen + 4);
  scheduler.remove(b);
  expect(log.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  // At most the turn in progress when `a` was removed, then b alone.
  expect(log.slice(seen + 1)).not.toContain('a');
});

test('a run that finishes or fails leaves the queue; the others go on', async () => {
  const { log, scheduler, after } = setup();
  const done = new FakeRun('done', log, 2);
  const bad = new FakeRun('bad', log, Infinity, true);
  const ok = new FakeRun('ok', log);
  for (const r of [done, bad, ok]) scheduler.add(r);
  await after(8);
  scheduler.remove(ok);
  expect(done.turns).toBe(2);
  expect(bad.turns).toBe(1);
  expect(log.slice(0, 6)).toEqual(['done', 'bad', 'ok', 'done', 'ok', 'ok']);
});

test('with nothing playing the loop stops, and starts again for a new run', async () => {
  const { log, scheduler, after } = setup();
  const a = new FakeRun('a', log, 1);
  scheduler.add(a);
  await after(1);
  await new Promise((r) => setTimeout(r, 5));
  expect(scheduler.waiting).toEqual([]);
  const b = new FakeRun('b', log, 1);
  scheduler.add(b);
  await after(2);
  expect(log).toEqual(['a', 'b']);
});
