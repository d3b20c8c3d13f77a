/**
 * Mapping a page of fetched orders runs in slices of real time (issue 15): as many items as fit
 * the budget (at least one), each slice one transaction, the event loop served between slices, a
 * failing slice rolled back without undoing the ones before. Real time is a counter the test
 * advances, so nothing here depends on how fast the machine is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createKv, openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { inTimedSlices } from '../../src/engine/slices.ts';

let dir: string;
let db: EngineDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-slices-'));
  db = openEngineDb(join(dir, 'engine.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A real-time clock that moves only when an item says how long it took. */
const fakeTime = () => {
  let t = 1000;
  return { now: () => t, spend: (ms: number) => void (t += ms) };
};

it('fills each slice up to the budget, and gives a slow item a slice of its own', async () => {
  const time = fakeTime();
  const cost = [3, 3, 3, 3, 20, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 2];
  const slices: number[][] = [];
  let current: number[] = [];
  await inTimedSlices(
    cost.map((ms, i) => ({ i, ms })),
    {
      tx: (fn) => db.tx(fn),
      each: (item) => {
        current.push(item.i);
        time.spend(item.ms);
      },
      afterSlice: () => {
        slices.push(current);
        current = [];
      },
      budgetMs: 8,
      now: time.now,
    },
  );
  // 3+3+3 reaches 8; the 20 ms item is alone (and at least one item always goes); eight 1 ms
  // items fill the next; a 9 ms item still goes first in its slice.
  expect(slices).toEqual([[0, 1, 2], [3, 4], [5, 6, 7, 8, 9, 10, 11, 12], [13, 14], [15]]);
  expect(slices.flat()).toEqual(cost.map((_, i) => i));
});

it('commits each slice on its own and serves the event loop between slices', async () => {
  const time = fakeTime();
  const kv = createKv(db);
  const served: string[] = [];
  // A webhook arriving while the first slice is mapped: answered before the second slice starts.
  const items = ['a', 'b', 'c', 'd'];
  await inTimedSlices(items, {
    tx: (fn) => db.tx(fn),
    each: (name) => {
      if (name === 'a') setImmediate(() => served.push(`webhook while ${kv.get('a') ? 'a is committed' : 'a is not committed'}`));
      served.push(`map ${name}`);
      kv.set(name, 'mapped');
      time.spend(5);
    },
    budgetMs: 8,
    now: time.now,
  });
  expect(served).toEqual(['map a', 'map b', 'webhook while a is committed', 'map c', 'map d']);
});

it('rolls back the slice that fails and keeps the ones committed before it', async () => {
  const time = fakeTime();
  const kv = createKv(db);
  const run = inTimedSlices(['a', 'b', 'c', 'd', 'e'], {
    tx: (fn) => db.tx(fn),
    each: (name) => {
      if (name === 'd') throw new Error('cannot map d');
      kv.set(name, 'mapped');
      time.spend(4);
    },
    budgetMs: 8,
    now: time.now,
  });
  await expect(run).rejects.toThrow('cannot map d');
  // Slices [a, b] and then [c, d]: c went down with d, e was never reached.
  expect(['a', 'b', 'c', 'd', 'e'].map((k) => kv.get(k) ?? '-')).toEqual(['mapped', 'mapped', '-', '-', '-']);
});

it('does nothing, and calls nothing, for no items', async () => {
  let calls = 0;
  await inTimedSlices([], { tx: () => calls++, each: () => calls++, afterSlice: () => calls++ });
  expect(calls).toBe(0);
});
