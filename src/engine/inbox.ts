/**
 * The webhook inbox: every accepted callback is one row, deduplicated on the payload's `hash`
 * (the platform fires duplicates with the same hash; facts section c). The receiver only inserts;
 * the planner turns new rows into work. A row is committed before the receiver answers 200, so an
 * acknowledged event is never lost.
 */
import type { EngineDb } from './db.ts';

export interface InboxEvent {
  seq: number;
  hash: string;
  scope: string;
  resourceId: string | null;
  payload: string;
  receivedAt: number;
}

export type InboxInsert = 'accepted' | 'duplicate';

export interface Inbox {
  /** Record an event; 'duplicate' when its hash was seen before. */
  insert(event: { hash: string; scope: string; resourceId: string | null; payload: string; receivedAt: number; ignored: boolean }): InboxInsert;
  /** The oldest events not yet planned. */
  takeNew(limit: number): InboxEvent[];
  markPlanned(seqs: number[]): void;
  countNew(): number;
  /** Forget planned and ignored events received before `before` (their hashes included). */
  prune(before: number): number;
}

/**
 * How long a hash is remembered: the platform retries a delivery for about 48 hours (facts
 * section c), so a duplicate can arrive that late; a week is ample, and keeps the file bounded.
 */
export const INBOX_RETENTION_MS = 7 * 86_400_000;

export function createInbox(db: EngineDb): Inbox {
  const insert = db.sqlite.prepare(
    'INSERT INTO inbox (hash, scope, resource_id, payload, received_at, state) VALUES (@hash, @scope, @resourceId, @payload, @receivedAt, @state) ON CONFLICT(hash) DO NOTHING',
  );
  const takeNew = db.sqlite.prepare<[number], { seq: number; hash: string; scope: string; resource_id: string | null; payload: string; received_at: number }>(
    "SELECT seq, hash, scope, resource_id, payload, received_at FROM inbox WHERE state = 'new' ORDER BY seq LIMIT ?",
  );
  const mark = db.sqlite.prepare("UPDATE inbox SET state = 'planned' WHERE seq = ?");
  const countNew = db.sqlite.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE state = 'new'");
  const prune = db.sqlite.prepare("DELETE FROM inbox WHERE state <> 'new' AND received_at < ?");
  return {
    insert(e) {
      const info = insert.run({ hash: e.hash, scope: e.scope, resourceId: e.resourceId, payload: e.payload, receivedAt: e.receivedAt, state: e.ignored ? 'ignored' : 'new' });
      return info.changes === 1 ? 'accepted' : 'duplicate';
    },
    takeNew: (limit) =>
      takeNew.all(limit).map((r) => ({ seq: r.seq, hash: r.hash, scope: r.scope, resourceId: r.resource_id, payload: r.payload, receivedAt: r.received_at })),
    markPlanned(seqs) {
      db.tx(() => {
        for (const seq of seqs) mark.run(seq);
      });
    },
    countNew: () => countNew.get()!.n,
    prune: (before) => prune.run(before).changes,
  };
}
