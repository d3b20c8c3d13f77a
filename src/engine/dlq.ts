/**
 * The dead-letter queue: what the engine could not deliver and will not retry by itself, with
 * the reason, what it tried to send and how many times. Four kinds, each replayed its own way:
 *
 * - `rejected`: the target refused the record (a 4xx such as the ERP's 422 for an unknown SKU).
 *   Replay re-sends the same record once someone has fixed the target.
 * - `exhausted`: transient failures (5xx, timeouts) outlasted the retry budget. Replay re-sends.
 * - `mapping`: the mapping spec rejected the source (a 255-character SKU where the ERP takes 20).
 *   Replay maps the source again: re-fetched from BigCommerce, or the stored feed record.
 * - `fetch`: the source could not be read. Replay fetches it again.
 *
 * At most one open entry per (spec, key): a record failing again updates its entry instead of
 * piling up copies, so the queue's size is the number of records that need a person.
 */
import type { EngineDb } from './db.ts';
import type { Outbox, Target } from './outbox.ts';
import type { Lane, WorkQueue } from './work-queue.ts';

export const deadLetterKinds = ['rejected', 'exhausted', 'mapping', 'fetch'] as const;
export type DeadLetterKind = (typeof deadLetterKinds)[number];

export type DeadLetterState = 'open' | 'replayed' | 'superseded';

export interface DeadLetter {
  id: number;
  spec: string;
  key: string;
  target: Target | 'source';
  kind: DeadLetterKind;
  reason: string;
  payload: unknown;
  attempts: number;
  lane: Lane | null;
  sourceKey: string | null;
  createdAt: number;
  updatedAt: number;
  state: DeadLetterState;
  replayedAt: number | null;
}

export interface DeadLetterInput {
  spec: string;
  key: string;
  target: Target | 'source';
  kind: DeadLetterKind;
  reason: string;
  payload: unknown;
  attempts: number;
  lane?: Lane;
  sourceKey?: string;
}

export interface DeadLetters {
  /** Add (or refresh the open entry of the same record); `isNew` when the queue grew. */
  add(entry: DeadLetterInput, now: number): { id: number; isNew: boolean };
  list(filter?: { state?: DeadLetterState; spec?: string }): DeadLetter[];
  get(id: number): DeadLetter | undefined;
  openCount(): number;
  /** A source the spec rejected now maps: its open mapping entry is no longer anyone's problem. */
  resolveMapping(spec: string, key: string, now: number): void;
  /** Put an open entry back to work; returns what was done, or why not. */
  replay(id: number, now: number, deps: { outbox: Outbox; work: WorkQueue }): { ok: true; action: string } | { ok: false; reason: string };
}

interface Row {
  id: number;
  spec: string;
  key: string;
  target: string;
  kind: DeadLetterKind;
  reason: string;
  payload: string;
  attempts: number;
  lane: string | null;
  source_key: string | null;
  created_at: number;
  updated_at: number;
  state: DeadLetterState;
  replayed_at: number | null;
}

const fromRow = (r: Row): DeadLetter => ({
  id: r.id,
  spec: r.spec,
  key: r.key,
  target: r.target as Target | 'source',
  kind: r.kind,
  reason: r.reason,
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  lane: r.lane as Lane | null,
  sourceKey: r.source_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  state: r.state,
  replayedAt: r.replayed_at,
});

export function createDeadLetters(db: EngineDb): DeadLetters {
  const s = db.sqlite;
  const open = s.prepare<[string, string], { id: number }>("SELECT id FROM dlq WHERE spec = ? AND key = ? AND state = 'open'");
  const insert = s.prepare(
    `INSERT INTO dlq (spec, key, target, kind, reason, payload, attempts, lane, source_key, created_at, updated_at)
     VALUES (@spec, @key, @target, @kind, @reason, @payload, @attempts, @lane, @sourceKey, @now, @now)`,
  );
  const refresh = s.prepare('UPDATE dlq SET kind = @kind, reason = @reason, payload = @payload, attempts = @attempts, lane = @lane, source_key = @sourceKey, updated_at = @now WHERE id = @id');
  const get = s.prepare<[number], Row>('SELECT * FROM dlq WHERE id = ?');
  const count = s.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM dlq WHERE state = 'open'");
  const replayed = s.prepare("UPDATE dlq SET state = 'replayed', replayed_at = ?, updated_at = ? WHERE id = ? AND state = 'open'");
  const resolveMapping = s.prepare("UPDATE dlq SET state = 'superseded', updated_at = ? WHERE spec = ? AND key = ? AND state = 'open' AND kind = 'mapping'");

  return {
    add(entry, now) {
      const params = {
        spec: entry.spec,
        key: entry.key,
        target: entry.target,
        kind: entry.kind,
        reason: entry.reason.slice(0, 4000),
        payload: JSON.stringify(entry.payload ?? null),
        attempts: entry.attempts,
        lane: entry.lane ?? null,
        sourceKey: entry.sourceKey ?? null,
        now,
      };
      return db.tx(() => {
        const existing = open.get(entry.spec, entry.key);
        if (existing) {
          refresh.run({ ...params, id: existing.id });
          return { id: existing.id, isNew: false };
        }
        return { id: Number(insert.run(params).lastInsertRowid), isNew: true };
      });
    },
    list(filter = {}) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.state) {
        where.push('state = ?');
        args.push(filter.state);
      }
      if (filter.spec) {
        where.push('spec = ?');
        args.push(filter.spec);
      }
      return s
        .prepare<string[], Row>(`SELECT * FROM dlq ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`)
        .all(...args)
        .map(fromRow);
    },
    get(id) {
      const r = get.get(id);
      return r ? fromRow(r) : undefined;
    },
    openCount: () => count.get()!.n,
    resolveMapping: (spec, key, now) => void resolveMapping.run(now, spec, key),
    replay(id, now, { outbox, work }) {
      return db.tx(() => {
        const r = get.get(id);
        if (!r) return { ok: false as const, reason: `no dead letter ${id}` };
        if (r.state !== 'open') return { ok: false as const, reason: `dead letter ${id} is ${r.state}, not open` };
        const entry = fromRow(r);
        let action: string;
        switch (entry.kind) {
          case 'rejected':
          case 'exhausted':
            if (!outbox.requeue(entry.spec, entry.key, now)) return { ok: false as const, reason: `the outbox has no record ${entry.spec}/${entry.key} to re-send` };
            action = `re-sending ${entry.spec} ${entry.key}`;
            break;
          case 'mapping':
          case 'fetch':
            if (entry.lane && entry.sourceKey) {
              // Due at once, whatever clock the caller has (the dlq command runs on wall time).
              work.enqueue(entry.lane, entry.sourceKey, 0);
              action = `fetching ${entry.lane} ${entry.sourceKey} again`;
            } else {
              // A feed record cannot be fetched by key: map the stored copy again.
              work.enqueue('remap', String(entry.id), 0);
              action = `mapping the stored ${entry.spec} record ${entry.key} again`;
            }
            break;
          default:
            return entry.kind satisfies never;
        }
        replayed.run(now, now, id);
        return { ok: true as const, action };
      });
    },
  };
}
