/**
 * The engine's per-kick reads stay cheap however large the backlog (issue 15): the writers take
 * due outbox rows in index order instead of sorting the backlog on every take, the planner counts
 * a lane's due work instead of reading it, and the periodic look for another process's writes
 * (a dead-letter replay) notices them without waking every stage for nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createChangeWatch, openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { createOutbox } from '../../src/engine/outbox.ts';
import { createWorkQueue } from '../../src/engine/work-queue.ts';

let dir: string;
let db: EngineDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-due-'));
  db = openEngineDb(join(dir, 'engine.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = (sql: string, ...params: unknown[]) =>
  (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

it('takes due outbox rows and counts due work from indexes, with no sort of the backlog', () => {
  const outboxDue = plan("SELECT * FROM outbox WHERE target = ? AND state IN ('pending', 'inflight') AND not_before <= ? ORDER BY not_before, observed_at LIMIT ?", 'erp.sales-order', 0, 16);
  expect(outboxDue).toMatch(/USING INDEX outbox_due/);
  expect(outboxDue).not.toMatch(/TEMP B-TREE/);
  expect(plan('SELECT COUNT(*) AS n, MIN(since) AS oldest FROM work WHERE lane = ? AND not_before <= ?', 'order', 0)).toMatch(/COVERING INDEX work_due/);
});

it('hands out a large backlog oldest first, in the same order as before the index', () => {
  const outbox = createOutbox(db);
  // Staged in an order unlike their observation times, all due at once (not_before 0).
  const observed = [50, 10, 40, 30, 20, 60];
  db.tx(() =>
    observed.forEach((at, i) =>
      outbox.stage({ spec: 'orders-to-erp-sales-order', key: String(100 + i), target: 'erp.sales-order', policy: 'upsert', method: 'PUT', path: `/sales-orders/${100 + i}`, body: { i }, observedAt: at }, 70),
    ),
  );
  expect(outbox.due('erp.sales-order', 100, 4).map((r) => r.observedAt)).toEqual([10, 20, 30, 40]);
  // A backed-off row goes behind the rest however early it was observed.
  outbox.markRetry(outbox.get('orders-to-erp-sales-order', '101')!, 90, 'ERP answered 503', 80);
  expect(outbox.due('erp.sales-order', 100, 10).map((r) => r.observedAt)).toEqual([20, 30, 40, 50, 60, 10]);
  expect(outbox.due('erp.sales-order', 85, 10).map((r) => r.observedAt)).toEqual([20, 30, 40, 50, 60]);
});

it('counts the work due in a lane and its oldest, leaving out work backed off past now', () => {
  const work = createWorkQueue(db);
  expect(work.dueSummary('order', 1_000)).toEqual({ n: 0, oldest: undefined });
  work.enqueue('order', '7', 300);
  work.enqueue('order', '8', 200);
  work.enqueue('order', '9', 100);
  work.enqueue('customer', '1', 50);
  work.retryLater({ lane: 'order', key: '9' }, 5_000, 'API answered 503');
  expect(work.dueSummary('order', 1_000)).toEqual({ n: 2, oldest: 200 });
  expect(work.dueSummary('order', 5_000)).toEqual({ n: 3, oldest: 100 });
  expect(work.dueSummary('customer', 1_000)).toEqual({ n: 1, oldest: 50 });
  expect(work.due('order', 1_000, 10).map((i) => i.key)).toEqual(['8', '7']);
});

it('notices a commit by another connection (a dead-letter replay), and not its own', () => {
  const changed = createChangeWatch(db);
  expect(changed()).toBe(false);
  createWorkQueue(db).enqueue('order', '1', 0);
  expect(changed()).toBe(false);
  const other = openEngineDb(db.path);
  try {
    createWorkQueue(other).enqueue('remap', '12', 0);
  } finally {
    other.close();
  }
  expect(changed()).toBe(true);
  expect(changed()).toBe(false);
});
