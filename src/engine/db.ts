/**
 * The engine's state in one SQLite file (better-sqlite3): the work queue of ids to fetch, the
 * outbox of what to write to each target, the dead-letter queue, watermarks and alerts; the
 * webhook inbox is a file of its own beside it (inbox.ts). Everything the engine must not lose is
 * committed before anything is acknowledged or sent, which is what lets it survive `kill -9` at
 * any moment (docs/decisions/0007).
 *
 * WAL mode with synchronous=NORMAL: a committed transaction survives the death of the process
 * (the WAL is in the OS page cache), though not a power cut; a receiver that fsyncs every webhook
 * could not answer a flash sale in milliseconds. Schema changes are numbered migrations tracked
 * in `PRAGMA user_version`.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDir, preparePrivateFile } from '../../lib/private-files.ts';
import { INBOX_CURSOR_KEY, inboxPathFor, openInboxFile } from './inbox.ts';

export type Sqlite = Database.Database;

export interface EngineDb {
  sqlite: Sqlite;
  path: string;
  /** The webhook inbox's own file (inbox.ts); a temporary one for an in-memory database. */
  inboxPath: string;
  /** Run fn in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T;
  close(): void;
}

/** SQL run in one transaction, or code for a step SQL alone cannot do (another file). */
type Migration = string | ((sqlite: Sqlite, ctx: { inboxPath: string }) => void);

/** Exported for the upgrade tests, which build a file as an older engine left it. */
export const MIGRATIONS: Migration[] = [
  // 1: the whole first schema.
  `
  CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    resource_id TEXT,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'planned', 'ignored'))
  );
  CREATE INDEX inbox_new ON inbox(seq) WHERE state = 'new';

  CREATE TABLE work (
    lane TEXT NOT NULL,
    key TEXT NOT NULL,
    since INTEGER NOT NULL,
    version INTEGER NOT NULL,
    not_before INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    PRIMARY KEY (lane, key)
  ) WITHOUT ROWID;

  CREATE TABLE outbox (
    spec TEXT NOT NULL,
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'inflight', 'sent', 'dead')),
    sent_hash TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    remote_id TEXT,
    observed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (spec, key)
  ) WITHOUT ROWID;
  CREATE INDEX outbox_due ON outbox(target, not_before) WHERE state IN ('pending', 'inflight');

  CREATE TABLE dlq (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spec TEXT NOT NULL,
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rejected', 'mapping', 'exhausted', 'fetch')),
    reason TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    lane TEXT,
    source_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replayed', 'superseded')),
    replayed_at INTEGER
  );
  CREATE UNIQUE INDEX dlq_open ON dlq(spec, key) WHERE state = 'open';

  CREATE TABLE kv (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT NOT NULL,
    at INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX alerts_undelivered ON alerts(id) WHERE delivered = 0;
  `,
  // 2: the writers' and the planner's "what is due, oldest first" read in index order, so a
  // backlog of thousands is not sorted on every take (it was: O(backlog) per batch, issue 15).
  `
  DROP INDEX outbox_due;
  CREATE INDEX outbox_due ON outbox(target, not_before, observed_at) WHERE state IN ('pending', 'inflight');
  CREATE INDEX work_due ON work(lane, not_before, since);
  `,
  // 3: the inbox moves to a file of its own, written only by the receiver's thread, so an insert
  // never waits for the mapper's write lock (inbox.ts). 'new' rows stay new: the cursor is set
  // just below the first of them. Run again after a crash half-way, it finds the rows already
  // there (INSERT OR IGNORE on seq and hash) and finishes.
  (sqlite, { inboxPath }) => {
    openInboxFile(inboxPath).close();
    sqlite.prepare('ATTACH DATABASE ? AS inbox_file').run(inboxPath);
    try {
      sqlite.transaction(() => {
        sqlite.exec('INSERT OR IGNORE INTO inbox_file.inbox (seq, hash, scope, resource_id, payload, received_at, state) SELECT seq, hash, scope, resource_id, payload, received_at, state FROM main.inbox ORDER BY seq');
        // The last event before the first new one (the planner planned in seq order).
        const cursor = sqlite
          .prepare<[], { seq: number }>("SELECT COALESCE(MAX(seq), 0) AS seq FROM main.inbox WHERE seq < COALESCE((SELECT MIN(seq) FROM main.inbox WHERE state = 'new'), 1e18)")
          .get()!.seq;
        if (cursor > 0) sqlite.prepare('INSERT INTO main.kv (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(INBOX_CURSOR_KEY, String(cursor));
        sqlite.exec('DROP TABLE main.inbox');
        sqlite.pragma('user_version = 3');
      })();
    } finally {
      sqlite.exec('DETACH DATABASE inbox_file');
    }
  },
];

export function openEngineDb(path: string): EngineDb {
  if (path !== ':memory:') {
    // Full orders and customer details: owner-only, the WAL and shared-memory files too (issue 14).
    makePrivateDir(dirname(path));
    preparePrivateFile(path, ['-wal', '-shm']);
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // The dlq command may write while the engine runs; wait for the lock rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  const inbox = inboxPathFor(path);
  try {
    migrate(sqlite, { inboxPath: inbox.path });
  } catch (error) {
    sqlite.close();
    inbox.dispose();
    throw error;
  }
  return {
    sqlite,
    path,
    inboxPath: inbox.path,
    tx: <T>(fn: () => T): T => sqlite.transaction(fn)(),
    close: () => {
      sqlite.close();
      inbox.dispose();
    },
  };
}

function migrate(sqlite: Sqlite, ctx: { inboxPath: string }): void {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`Failed to open the engine database: it is at schema version ${current}, newer than this engine knows (${MIGRATIONS.length}). Use the bc-harness version that wrote it.`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const step = MIGRATIONS[v]!;
    // A code step commits its own transaction(s) and sets user_version itself.
    if (typeof step === 'function') step(sqlite, ctx);
    else {
      sqlite.transaction(() => {
        sqlite.exec(step);
        sqlite.pragma(`user_version = ${v + 1}`);
      })();
    }
  }
}

/**
 * Whether another connection (another process: `bc-harness dlq replay`) committed to the file
 * since the last call. SQLite's `PRAGMA data_version` changes only for other connections' commits,
 * so this costs one pragma and says nothing about the engine's own writes.
 */
export function createChangeWatch(db: EngineDb): () => boolean {
  const version = db.sqlite.prepare('PRAGMA data_version').pluck();
  let seen = version.get();
  return () => {
    const now = version.get();
    if (now === seen) return false;
    seen = now;
    return true;
  };
}

/** Small named values that must survive restarts: watermarks, the engine's id. */
export interface Kv {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export function createKv(db: EngineDb): Kv {
  const get = db.sqlite.prepare<[string], { value: string }>('SELECT value FROM kv WHERE name = ?');
  const set = db.sqlite.prepare('INSERT INTO kv (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  return {
    get: (name) => get.get(name)?.value,
    set: (name, value) => void set.run(name, value),
  };
}
