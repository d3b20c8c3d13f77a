/**
 * Pending ids to fetch from BigCommerce, one row per (lane, id): however many webhooks name an
 * order before the planner gets to it, the order is fetched once. Each enqueue bumps the row's
 * version, and completing a fetch deletes the row only at the version it fetched, so an event that
 * arrives while the fetch is in flight is fetched again rather than lost.
 */
import type { EngineDb } from './db.ts';

/**
 * What the planner fetches: orders, an order's refunds, customers, abandoned carts; and `remap`,
 * a replayed dead letter whose stored source record is mapped again (keyed by its id).
 */
export const lanes = ['order', 'refund', 'customer', 'cart', 'remap'] as const;
export type Lane = (typeof lanes)[number];

export interface WorkItem {
  lane: Lane;
  key: string;
  since: number;
  version: number;
  attempts: number;
}

export interface WorkQueue {
  enqueue(lane: Lane, key: string, now: number): void;
  /** Items due now, oldest first. */
  due(lane: Lane, now: number, limit: number): WorkItem[];
  /** How many items of a lane are due now and the oldest one's `since`, without reading them. */
  dueSummary(lane: Lane, now: number): { n: number; oldest: number | undefined };
  /** When the next item of a lane that is backed off past `now` becomes due (for the planner's timer). */
  nextDue(lane: Lane, now: number): number | undefined;
  complete(item: Pick<WorkItem, 'lane' | 'key' | 'version'>): void;
  retryLater(item: Pick<WorkItem, 'lane' | 'key'>, notBefore: number, error: string): void;
  remove(lane: Lane, key: string): void;
  counts(): Record<Lane, number>;
}

export function createWorkQueue(db: EngineDb): WorkQueue {
  const s = db.sqlite;
  const enqueue = s.prepare('INSERT INTO work (lane, key, since, version) VALUES (?, ?, ?, 1) ON CONFLICT(lane, key) DO UPDATE SET version = version + 1');
  const due = s.prepare<[string, number, number], { key: string; since: number; version: number; attempts: number }>(
    'SELECT key, since, version, attempts FROM work WHERE lane = ? AND not_before <= ? ORDER BY since LIMIT ?',
  );
  const dueSummary = s.prepare<[string, number], { n: number; oldest: number | null }>('SELECT COUNT(*) AS n, MIN(since) AS oldest FROM work WHERE lane = ? AND not_before <= ?');
  const nextDue = s.prepare<[string, number], { at: number | null }>('SELECT MIN(not_before) AS at FROM work WHERE lane = ? AND not_before > ?');
  const complete = s.prepare('DELETE FROM work WHERE lane = ? AND key = ? AND version = ?');
  const retry = s.prepare('UPDATE work SET attempts = attempts + 1, not_before = ?, last_error = ? WHERE lane = ? AND key = ?');
  const remove = s.prepare('DELETE FROM work WHERE lane = ? AND key = ?');
  const counts = s.prepare<[], { lane: Lane; n: number }>('SELECT lane, COUNT(*) AS n FROM work GROUP BY lane');
  return {
    enqueue: (lane, key, now) => void enqueue.run(lane, key, now),
    due: (lane, now, limit) => due.all(lane, now, limit).map((r) => ({ lane, key: r.key, since: r.since, version: r.version, attempts: r.attempts })),
    dueSummary(lane, now) {
      const r = dueSummary.get(lane, now)!;
      return { n: r.n, oldest: r.oldest ?? undefined };
    },
    nextDue: (lane, now) => nextDue.get(lane, now)?.at ?? undefined,
    complete: (item) => void complete.run(item.lane, item.key, item.version),
    retryLater: (item, notBefore, error) => void retry.run(notBefore, error.slice(0, 2000), item.lane, item.key),
    remove: (lane, key) => void remove.run(lane, key),
    counts() {
      const out = Object.fromEntries(lanes.map((l) => [l, 0])) as Record<Lane, number>;
      for (const r of counts.all()) out[r.lane] = r.n;
      return out;
    },
  };
}
