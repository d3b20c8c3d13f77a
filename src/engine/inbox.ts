/**
 * The webhook inbox: every accepted callback is one row, deduplicated on the payload's `hash`
 * (the platform fires duplicates with the same hash; facts section c). A row is committed before
 * the receiver answers 200, so an acknowledged event is never lost.
 *
 * The inbox is a SQLite file of its own next to the engine's (`<engine db>-inbox`), written only
 * by the receiver (on its own thread: receiver-thread.ts). SQLite lets one connection write a
 * WAL file at a time and its busy handler sleeps 1, 2, 5, 10, 15 ms between tries, so an insert
 * that had to wait for the mapper's transactions in the engine file would blow the receiver's
 * answer-time budget; in a file of its own nobody else writes, it never waits.
 *
 * The planner reads new rows through its own connection and records how far it has planned as a
 * cursor (the last planned `seq`) in the engine file's `kv` table, in the same transaction that
 * creates the work rows: no transaction spans two files, and a kill -9 at any point neither loses
 * an event (the cursor did not move) nor plans one twice (the work rows and the cursor committed
 * together). Rows keep a `state`: 'ignored' for scopes the engine did not subscribe to (never
 * planned), 'new' otherwise ('planned' only in rows migrated from the engine file, all at or
 * below the cursor).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDir, preparePrivateFile } from '../../lib/private-files.ts';
import type { EngineDb, Sqlite } from './db.ts';

export interface InboxEvent {
  seq: number;
  hash: string;
  scope: string;
  resourceId: string | null;
  payload: string;
  receivedAt: number;
}

export type InboxInsert = 'accepted' | 'duplicate';

export interface InboxRecord {
  hash: string;
  scope: string;
  resourceId: string | null;
  payload: string;
  receivedAt: number;
  ignored: boolean;
}

/** The receiver's side: the only connection that writes the inbox file. */
export interface InboxWriter {
  /** Record an event; 'duplicate' when its hash was seen before. */
  insert(event: InboxRecord): InboxInsert;
  /**
   * Record events in one transaction (one WAL commit for all: the receiver's group commit); the
   * outcome of each, in order ('duplicate' also for a hash seen earlier in the same call). If any
   * insert fails, none is committed and this throws.
   */
  insertMany(events: readonly InboxRecord[]): InboxInsert[];
  /**
   * Forget events received before `before` (their hashes included) that are planned (seq at or
   * below `plannedUpTo`, the planner's cursor) or ignored; never one still to be planned.
   */
  prune(before: number, plannedUpTo: number): number;
  close(): void;
}

/** The planner's side: reads new events, moves the cursor in the engine file. */
export interface Inbox {
  /** The oldest events not yet planned. */
  takeNew(limit: number): InboxEvent[];
  /** Move the cursor past these events; call it in the engine file's transaction that plans them. */
  markPlanned(seqs: number[]): void;
  countNew(): number;
  /** The last planned seq (0 before the first). */
  cursor(): number;
  close(): void;
}

/**
 * How long a hash is remembered: the platform retries a delivery for about 48 hours (facts
 * section c), so a duplicate can arrive that late; a week is ample, and keeps the file bounded.
 */
export const INBOX_RETENTION_MS = 7 * 86_400_000;

/** The planner's cursor in the engine file's kv table. */
export const INBOX_CURSOR_KEY = 'inbox:planned-seq';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    resource_id TEXT,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'planned', 'ignored'))
  );
  CREATE INDEX IF NOT EXISTS inbox_new ON inbox(seq) WHERE state = 'new';
  CREATE INDEX IF NOT EXISTS inbox_received ON inbox(received_at);
`;

/** The inbox file of an engine database; an in-memory engine database gets a temporary one. */
export function inboxPathFor(dbPath: string): { path: string; dispose(): void } {
  if (dbPath !== ':memory:') return { path: `${dbPath}-inbox`, dispose: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'bc-engine-inbox-'));
  return { path: join(dir, 'inbox.sqlite'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Open the inbox file (created private, WAL, synchronous=NORMAL like the engine file) with its schema. */
export function openInboxFile(path: string): Sqlite {
  // Full webhook payloads: owner-only, as the engine file (issue 14).
  makePrivateDir(dirname(path));
  preparePrivateFile(path, ['-wal', '-shm']);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // The writer is alone; a reader never blocks it in WAL mode. This only covers a checkpoint.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.exec(SCHEMA);
  return sqlite;
}

export function createInboxWriter(path: string): InboxWriter {
  const sqlite = openInboxFile(path);
  const insert = sqlite.prepare(
    'INSERT INTO inbox (hash, scope, resource_id, payload, received_at, state) VALUES (@hash, @scope, @resourceId, @payload, @receivedAt, @state) ON CONFLICT(hash) DO NOTHING',
  );
  // In slices, so an hourly prune after a week of flash sales never holds the file for long.
  const prune = sqlite.prepare(
    "DELETE FROM inbox WHERE seq IN (SELECT seq FROM inbox WHERE received_at < @before AND (seq <= @upTo OR state <> 'new') LIMIT 2000)",
  );
  const insertOne = (e: InboxRecord): InboxInsert => {
    const info = insert.run({ hash: e.hash, scope: e.scope, resourceId: e.resourceId, payload: e.payload, receivedAt: e.receivedAt, state: e.ignored ? 'ignored' : 'new' });
    return info.changes === 1 ? 'accepted' : 'duplicate';
  };
  // better-sqlite3 rolls the whole transaction back and rethrows when one insert throws.
  const insertAll = sqlite.transaction((events: readonly InboxRecord[]) => events.map(insertOne));
  return {
    insert: insertOne,
    insertMany: (events) => (events.length === 1 ? [insertOne(events[0]!)] : insertAll(events)),
    prune(before, plannedUpTo) {
      let total = 0;
      for (;;) {
        const n = prune.run({ before, upTo: plannedUpTo }).changes;
        total += n;
        if (n < 2000) return total;
      }
    },
    close: () => sqlite.close(),
  };
}

export function createInbox(db: EngineDb): Inbox {
  const sqlite = openInboxFile(db.inboxPath);
  const getCursor = db.sqlite.prepare<[string], { value: string }>('SELECT value FROM kv WHERE name = ?');
  const setCursor = db.sqlite.prepare(
    'INSERT INTO kv (name, value) VALUES (@name, @value) ON CONFLICT(name) DO UPDATE SET value = excluded.value WHERE CAST(excluded.value AS INTEGER) > CAST(kv.value AS INTEGER)',
  );
  const takeNew = sqlite.prepare<[number, number], { seq: number; hash: string; scope: string; resource_id: string | null; payload: string; received_at: number }>(
    "SELECT seq, hash, scope, resource_id, payload, received_at FROM inbox WHERE seq > ? AND state = 'new' ORDER BY seq LIMIT ?",
  );
  const countNew = sqlite.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE seq > ? AND state = 'new'");
  const cursor = () => Number(getCursor.get(INBOX_CURSOR_KEY)?.value ?? 0);
  return {
    takeNew: (limit) =>
      takeNew.all(cursor(), limit).map((r) => ({ seq: r.seq, hash: r.hash, scope: r.scope, resourceId: r.resource_id, payload: r.payload, receivedAt: r.received_at })),
    markPlanned(seqs) {
      if (seqs.length === 0) return;
      setCursor.run({ name: INBOX_CURSOR_KEY, value: String(Math.max(...seqs)) });
    },
    countNew: () => countNew.get(cursor())!.n,
    cursor,
    close: () => sqlite.close(),
  };
}
