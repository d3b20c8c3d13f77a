/**
 * The webhook inbox in a file of its own (inbox.ts): the receiver's writer, the planner's cursor
 * in the engine file, pruning, and the upgrade of an engine file that still holds the inbox.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKv, MIGRATIONS, openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { createInbox, createInboxWriter, INBOX_CURSOR_KEY, type InboxRecord } from '../../src/engine/inbox.ts';
import { createWorkQueue } from '../../src/engine/work-queue.ts';

let dir: string;
let db: EngineDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-inbox-'));
  db = openEngineDb(join(dir, 'engine.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (hash: string, receivedAt: number, ignored = false): InboxRecord => ({ hash: hash.repeat(40).slice(0, 40), scope: 'store/order/created', resourceId: '1', payload: '{}', receivedAt, ignored });

describe('inbox', () => {
  it('lives in a private file of its own beside the engine file', () => {
    expect(db.inboxPath).toBe(join(dir, 'engine.sqlite-inbox'));
    const writer = createInboxWriter(db.inboxPath);
    writer.insert(event('a', 1));
    for (const file of [db.inboxPath, `${db.inboxPath}-wal`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    writer.close();
    // The engine file no longer has an inbox table.
    expect(db.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'inbox'").get()).toBeUndefined();
  });

  it('stores an event once per hash, hands new ones to the planner after its cursor, and forgets only old planned or ignored ones', () => {
    const writer = createInboxWriter(db.inboxPath);
    const inbox = createInbox(db);
    expect(writer.insert(event('a', 1))).toBe('accepted');
    expect(writer.insert(event('a', 2))).toBe('duplicate');
    expect(writer.insert(event('i', 3, true))).toBe('accepted');
    expect(writer.insert(event('b', 100))).toBe('accepted');
    const fresh = inbox.takeNew(10);
    // The ignored scope is never planned.
    expect(fresh.map((e) => e.hash[0])).toEqual(['a', 'b']);
    db.tx(() => inbox.markPlanned([fresh[0]!.seq]));
    expect(inbox.cursor()).toBe(fresh[0]!.seq);
    expect(createKv(db).get(INBOX_CURSOR_KEY)).toBe(String(fresh[0]!.seq));
    expect(inbox.countNew()).toBe(1);
    expect(inbox.takeNew(10).map((e) => e.hash[0])).toEqual(['b']);
    // A cursor never moves back.
    db.tx(() => inbox.markPlanned([0]));
    expect(inbox.cursor()).toBe(fresh[0]!.seq);
    // Old and planned ('a') or ignored ('i') go; 'b' is older than the cut too but still to plan.
    expect(writer.prune(1_000, inbox.cursor())).toBe(2);
    expect(inbox.countNew()).toBe(1);
    // Its hash forgotten, 'a' is a new event again.
    expect(writer.insert(event('a', 2_000))).toBe('accepted');
    expect(inbox.countNew()).toBe(2);
    writer.close();
    inbox.close();
  });

  it('moves the cursor only with the transaction that creates the work: a rolled-back plan leaves the events new', () => {
    const writer = createInboxWriter(db.inboxPath);
    const inbox = createInbox(db);
    const work = createWorkQueue(db);
    writer.insert(event('a', 1));
    const events = inbox.takeNew(10);
    expect(() =>
      db.tx(() => {
        work.enqueue('order', '1', 1);
        inbox.markPlanned(events.map((e) => e.seq));
        throw new Error('killed mid-plan');
      }),
    ).toThrow('killed mid-plan');
    expect(inbox.cursor()).toBe(0);
    expect(inbox.takeNew(10)).toHaveLength(1);
    expect(work.counts().order ?? 0).toBe(0);
    writer.close();
    inbox.close();
  });

  it('gives an in-memory engine database a temporary inbox file, removed on close', () => {
    const memory = openEngineDb(':memory:');
    const writer = createInboxWriter(memory.inboxPath);
    const inbox = createInbox(memory);
    writer.insert(event('a', 1));
    expect(inbox.countNew()).toBe(1);
    writer.close();
    inbox.close();
    memory.close();
    expect(existsSync(memory.inboxPath)).toBe(false);
  });
});

describe('upgrade of an engine file that holds the inbox', () => {
  /** An engine file as schema version 2 left it, with planned, ignored and new events. */
  function oldEngineFile(path: string): void {
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    for (const [v, step] of MIGRATIONS.slice(0, 2).entries()) {
      old.exec(step as string);
      old.pragma(`user_version = ${v + 1}`);
    }
    const insert = old.prepare('INSERT INTO inbox (seq, hash, scope, resource_id, payload, received_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(3, 'a'.repeat(40), 'store/order/created', '1', '{"data":{"id":1}}', 10, 'planned');
    insert.run(4, 'b'.repeat(40), 'store/product/updated', '2', '{}', 11, 'ignored');
    insert.run(7, 'c'.repeat(40), 'store/order/created', '3', '{"data":{"id":3}}', 12, 'planned');
    insert.run(9, 'd'.repeat(40), 'store/order/created', '4', '{"data":{"id":4}}', 13, 'new');
    insert.run(10, 'e'.repeat(40), 'store/order/updated', '4', '{"data":{"id":4}}', 14, 'new');
    old.close();
  }

  it('moves every event to the inbox file with its seq and state, sets the cursor to the last planned one and drops the old table', () => {
    const path = join(dir, 'old', 'engine.sqlite');
    mkdirSync(join(dir, 'old'));
    oldEngineFile(path);

    const upgraded = openEngineDb(path);
    expect(upgraded.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(upgraded.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'inbox'").get()).toBeUndefined();
    const inbox = createInbox(upgraded);
    expect(inbox.cursor()).toBe(7);
    // The 'new' events are still planned after the upgrade, and nothing planned is taken again.
    expect(inbox.takeNew(10).map((e) => [e.seq, e.hash[0], e.receivedAt])).toEqual([
      [9, 'd', 13],
      [10, 'e', 14],
    ]);
    expect(inbox.countNew()).toBe(2);
    const writer = createInboxWriter(upgraded.inboxPath);
    // Hashes are remembered, and new events number after the old ones.
    expect(writer.insert(event('a', 20))).toBe('duplicate');
    expect(writer.insert(event('f', 20))).toBe('accepted');
    const taken = inbox.takeNew(10).map((e) => e.seq);
    expect(taken.slice(0, 2)).toEqual([9, 10]);
    expect(taken[2]).toBeGreaterThan(10);
    const file = new Database(upgraded.inboxPath, { readonly: true });
    expect(file.prepare('SELECT seq, state FROM inbox WHERE seq <= 10 ORDER BY seq').all()).toEqual([
      { seq: 3, state: 'planned' },
      { seq: 4, state: 'ignored' },
      { seq: 7, state: 'planned' },
      { seq: 9, state: 'new' },
      { seq: 10, state: 'new' },
    ]);
    file.close();
    writer.close();
    inbox.close();
    upgraded.close();

    // Opened again: nothing to migrate, the same state.
    const again = openEngineDb(path);
    const reread = createInbox(again);
    expect(reread.cursor()).toBe(7);
    expect(reread.countNew()).toBe(3);
    reread.close();
    again.close();
  });

  it('finishes an upgrade that died after copying part of the events (the inbox file already holds them)', () => {
    const path = join(dir, 'half', 'engine.sqlite');
    mkdirSync(join(dir, 'half'));
    oldEngineFile(path);
    // What a first attempt committed to the inbox file before the process died.
    const partial = createInboxWriter(`${path}-inbox`);
    partial.close();
    const file = new Database(`${path}-inbox`);
    file.prepare("INSERT INTO inbox (seq, hash, scope, resource_id, payload, received_at, state) VALUES (3, ?, 'store/order/created', '1', '{}', 10, 'planned')").run('a'.repeat(40));
    file.close();

    const upgraded = openEngineDb(path);
    const inbox = createInbox(upgraded);
    expect(inbox.cursor()).toBe(7);
    expect(inbox.takeNew(10).map((e) => e.seq)).toEqual([9, 10]);
    inbox.close();
    upgraded.close();
  });
});
