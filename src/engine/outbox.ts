/**
 * The outbox: for every (mapping spec, source key) the record the target should hold, with its
 * delivery state. The mapper stages a record in the same transaction that consumes the work that
 * produced it; writers deliver what is staged and mark it sent. So a crash between a write and its
 * commit re-sends the same record (an idempotent upsert), never a different one, and a change to a
 * record that is already delivered is one new staged body, not a second record.
 *
 * Two delivery policies: `upsert` targets take the latest body whenever it changes (ERP sales
 * orders, stock levels); `once` targets get a record exactly once (a marketing event, a shipment,
 * a refund: sending a changed one again would be a second event, parcel or payment).
 */
import { createHash } from 'node:crypto';
import type { EngineDb } from './db.ts';

export const targets = [
  'erp.sales-order',
  'erp.credit-memo',
  '3pl.fulfillment-order',
  'crm.contact',
  'marketing.event',
  'bc.inventory',
  'bc.product',
  'bc.customer',
  'bc.order',
  'bc.shipment',
  'bc.refund',
] as const;
export type Target = (typeof targets)[number];

export type WritePolicy = 'upsert' | 'once';

export type OutboxState = 'pending' | 'inflight' | 'sent' | 'dead';

export interface OutboxRow {
  spec: string;
  key: string;
  target: Target;
  method: string;
  path: string;
  body: string;
  bodyHash: string;
  state: OutboxState;
  sentHash: string | null;
  attempts: number;
  notBefore: number;
  lastError: string | null;
  remoteId: string | null;
  observedAt: number;
}

export interface StageIntent {
  spec: string;
  key: string;
  target: Target;
  policy: WritePolicy;
  method: string;
  path: string;
  body: unknown;
  /** When the change was first seen (webhook receipt or poll), for the sync latency. */
  observedAt: number;
}

export type StageOutcome = 'staged' | 'unchanged';

export interface Outbox {
  stage(intent: StageIntent, now: number): StageOutcome;
  get(spec: string, key: string): OutboxRow | undefined;
  due(target: Target, now: number, limit: number): OutboxRow[];
  /** The earliest not_before of a target's undelivered rows. */
  nextDue(target: Target): number | undefined;
  markInflight(row: OutboxRow, now: number): void;
  /** Delivered; returns false when a newer body was staged meanwhile (it stays pending). */
  markSent(row: OutboxRow, now: number, remoteId?: string): boolean;
  markRetry(row: OutboxRow, notBefore: number, error: string, now: number): void;
  /** Dead-lettered; false when a newer body was staged meanwhile (that one gets its own chance). */
  markDead(row: OutboxRow, error: string, now: number): boolean;
  /** Wait for something else without counting a failure. */
  defer(row: OutboxRow, notBefore: number): void;
  /** Make every undelivered row of a target due now (its outage is over). */
  releaseTarget(target: Target): void;
  /** Back to pending with a clean slate (dead-letter replay). */
  requeue(spec: string, key: string, now: number): boolean;
  counts(): { target: Target; state: OutboxState; n: number }[];
  /** Run fn in one transaction: a batch's outcomes are one commit, not one per record. */
  tx<T>(fn: () => T): T;
}

// The same bytes as hashing `${method} ${path}\n${body}`, without first copying a large body into
// one more string.
export const hashBody = (method: string, path: string, body: string) => createHash('sha1').update(`${method} ${path}\n`).update(body).digest('hex');

interface Row {
  spec: string;
  key: string;
  target: Target;
  method: string;
  path: string;
  body: string;
  body_hash: string;
  state: OutboxState;
  sent_hash: string | null;
  attempts: number;
  not_before: number;
  last_error: string | null;
  remote_id: string | null;
  observed_at: number;
}

const fromRow = (r: Row): OutboxRow => ({
  spec: r.spec,
  key: r.key,
  target: r.target,
  method: r.method,
  path: r.path,
  body: r.body,
  bodyHash: r.body_hash,
  state: r.state,
  sentHash: r.sent_hash,
  attempts: r.attempts,
  notBefore: r.not_before,
  lastError: r.last_error,
  remoteId: r.remote_id,
  observedAt: r.observed_at,
});

export function createOutbox(db: EngineDb): Outbox {
  const s = db.sqlite;
  const get = s.prepare<[string, string], Row>('SELECT * FROM outbox WHERE spec = ? AND key = ?');
  // What staging compares, without the stored body: reading a large order's previous body back
  // into a string on every re-map was a good part of stage's cost (issue 15).
  const current = s.prepare<[string, string], Pick<Row, 'state' | 'body_hash' | 'sent_hash' | 'observed_at'>>(
    'SELECT state, body_hash, sent_hash, observed_at FROM outbox WHERE spec = ? AND key = ?',
  );
  const insert = s.prepare(
    `INSERT INTO outbox (spec, key, target, method, path, body, body_hash, state, observed_at, updated_at)
     VALUES (@spec, @key, @target, @method, @path, @body, @hash, 'pending', @observedAt, @now)`,
  );
  const restage = s.prepare(
    `UPDATE outbox SET method = @method, path = @path, body = @body, body_hash = @hash, state = 'pending', attempts = 0, not_before = 0,
       last_error = NULL, observed_at = @observedAt, updated_at = @now WHERE spec = @spec AND key = @key`,
  );
  const supersede = s.prepare("UPDATE dlq SET state = 'superseded', updated_at = ? WHERE spec = ? AND key = ? AND state = 'open'");
  const due = s.prepare<[string, number, number], Row>(
    "SELECT * FROM outbox WHERE target = ? AND state IN ('pending', 'inflight') AND not_before <= ? ORDER BY not_before, observed_at LIMIT ?",
  );
  const nextDue = s.prepare<[string], { at: number | null }>("SELECT MIN(not_before) AS at FROM outbox WHERE target = ? AND state IN ('pending', 'inflight')");
  const inflight = s.prepare("UPDATE outbox SET state = 'inflight', updated_at = ? WHERE spec = ? AND key = ? AND body_hash = ?");
  const sent = s.prepare(
    "UPDATE outbox SET state = 'sent', sent_hash = body_hash, last_error = NULL, remote_id = COALESCE(?, remote_id), updated_at = ? WHERE spec = ? AND key = ? AND body_hash = ?",
  );
  const sentOlder = s.prepare("UPDATE outbox SET sent_hash = ?, updated_at = ? WHERE spec = ? AND key = ?");
  const retry = s.prepare('UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?, updated_at = ? WHERE spec = ? AND key = ? AND body_hash = ?');
  const dead = s.prepare("UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE spec = ? AND key = ? AND body_hash = ?");
  const defer = s.prepare('UPDATE outbox SET not_before = ? WHERE spec = ? AND key = ? AND body_hash = ?');
  const release = s.prepare("UPDATE outbox SET not_before = 0 WHERE target = ? AND state IN ('pending', 'inflight')");
  const requeue = s.prepare("UPDATE outbox SET state = 'pending', attempts = 0, not_before = 0, last_error = NULL, updated_at = ? WHERE spec = ? AND key = ?");
  const counts = s.prepare<[], { target: Target; state: OutboxState; n: number }>('SELECT target, state, COUNT(*) AS n FROM outbox GROUP BY target, state');

  return {
    stage(intent, now) {
      const body = JSON.stringify(intent.body);
      const hash = hashBody(intent.method, intent.path, body);
      const existing = current.get(intent.spec, intent.key);
      const params = { spec: intent.spec, key: intent.key, target: intent.target, method: intent.method, path: intent.path, body, hash, observedAt: intent.observedAt, now };
      if (!existing) {
        insert.run(params);
        return 'staged';
      }
      if (existing.state === 'dead') {
        // A dead letter stays dead for the same record; a changed source may have fixed it.
        if (existing.body_hash === hash) return 'unchanged';
        restage.run(params);
        supersede.run(now, intent.spec, intent.key);
        return 'staged';
      }
      if (intent.policy === 'once') return 'unchanged';
      if (existing.state === 'sent' ? existing.sent_hash === hash : existing.body_hash === hash) return 'unchanged';
      // Keep the first observation of an undelivered change, so latency counts from there.
      restage.run({ ...params, observedAt: existing.state === 'sent' ? intent.observedAt : Math.min(existing.observed_at, intent.observedAt) });
      return 'staged';
    },
    get(spec, key) {
      const r = get.get(spec, key);
      return r ? fromRow(r) : undefined;
    },
    due: (target, now, limit) => due.all(target, now, limit).map(fromRow),
    nextDue: (target) => nextDue.get(target)?.at ?? undefined,
    markInflight: (row, now) => void inflight.run(now, row.spec, row.key, row.bodyHash),
    markSent(row, now, remoteId) {
      const changed = sent.run(remoteId ?? null, now, row.spec, row.key, row.bodyHash).changes === 1;
      if (!changed) sentOlder.run(row.bodyHash, now, row.spec, row.key);
      return changed;
    },
    markRetry: (row, notBefore, error, now) => void retry.run(notBefore, error.slice(0, 2000), now, row.spec, row.key, row.bodyHash),
    markDead: (row, error, now) => dead.run(error.slice(0, 2000), now, row.spec, row.key, row.bodyHash).changes === 1,
    defer: (row, notBefore) => void defer.run(notBefore, row.spec, row.key, row.bodyHash),
    releaseTarget: (target) => void release.run(target),
    requeue: (spec, key, now) => requeue.run(now, spec, key).changes === 1,
    counts: () => counts.all(),
    tx: (fn) => db.tx(fn),
  };
}
