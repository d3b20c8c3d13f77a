/**
 * Done means: the receiver commits the events validated in one turn of its loop in one inbox
 * transaction (receiver.ts, group commit), and still answers each request as it would have been
 * answered alone: 50 webhooks at once (duplicate hashes and an unsubscribed scope among them) get
 * one 'accepted' per hash, 'duplicate' for the rest, 'ignored' for the scope, and the inbox holds
 * one row per hash; when a group's transaction fails, every request in it gets the 500 and none of
 * its rows is committed, so no 200 is ever sent for an event that is not stored.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'undici';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { createEngineBus, type EngineEvents } from '../../src/engine/events.ts';
import { createFront } from '../../src/engine/front.ts';
import { createInboxWriter, type InboxRecord, type InboxWriter } from '../../src/engine/inbox.ts';
import { createLogger } from '../../src/engine/logger.ts';
import { createReceiver } from '../../src/engine/receiver.ts';

const SECRET = 'group-commit-secret';
const STORE = 'abc123';
const START = Date.UTC(2026, 10, 27, 12, 0, 0);

let dir: string;
let inboxPath: string;
let clock: Clock;
let writer: InboxWriter;
let server: Server | undefined;
const clients: Client[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-group-commit-'));
  inboxPath = join(dir, 'engine.sqlite-inbox');
  clock = createVirtualClock({ scale: 0, start: START });
  writer = createInboxWriter(inboxPath);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  }
  writer.close();
  clock.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A receiver on this thread over the real inbox writer, recording the size of every group it commits. */
async function startReceiver() {
  const groups: number[] = [];
  const received: EngineEvents['webhook:received'][] = [];
  const logs: string[] = [];
  let wakeUps = 0;
  const bus = createEngineBus();
  bus.on('webhook:received', (e) => void received.push(e));
  const receiver = createReceiver({
    inbox: {
      insertMany(events: readonly InboxRecord[]) {
        groups.push(events.length);
        return writer.insertMany(events);
      },
    },
    clock,
    secret: SECRET,
    storeHash: STORE,
    knownScopes: new Set(['store/order/created']),
    bus,
    logger: createLogger({ clock, write: (line) => void logs.push(line) }),
    onAccepted: () => void wakeUps++,
  });
  server = createFront({ receiver, metrics: () => '', health: () => '{}' });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, groups, received, logs, wakeUps: () => wakeUps };
}

function webhook(id: number, scope = 'store/order/created', salt = '') {
  const unsigned = { scope, store_id: '1', data: { type: scope === 'store/order/created' ? 'order' : 'store', id }, created_at: 1, producer: `stores/${STORE}` };
  const hash = createHash('sha1').update(`${scope}:${id}:${salt}`).digest('hex');
  return { hash, body: JSON.stringify({ ...unsigned, hash }) };
}

/**
 * `n` connections, each opened (by a request answered 404) before the test's burst, so the burst's
 * requests reach the receiver together rather than one per accepted connection.
 */
async function openConnections(origin: string, n: number): Promise<Client[]> {
  const opened = Array.from({ length: n }, () => new Client(origin, { pipelining: 1 }));
  clients.push(...opened);
  await Promise.all(opened.map(async (c) => (await c.request({ path: '/warm-up', method: 'GET' })).body.text()));
  return opened;
}

async function postOn(client: Client, body: string): Promise<{ status: number; text: string }> {
  const res = await client.request({ path: '/webhooks', method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET }, body });
  return { status: res.statusCode, text: await res.body.text() };
}

function inboxRows(): { hash: string; state: string; resource_id: string }[] {
  const db = new Database(inboxPath, { readonly: true });
  try {
    return db.prepare('SELECT hash, state, resource_id FROM inbox ORDER BY seq').all() as { hash: string; state: string; resource_id: string }[];
  } finally {
    db.close();
  }
}

const count = (events: EngineEvents['webhook:received'][], outcome: string) => events.filter((e) => e.outcome === outcome).length;

it('commits 50 concurrent webhooks in groups and answers each as alone: one accepted per hash, the rest duplicate, the unsubscribed scope ignored', async () => {
  const r = await startReceiver();
  const connections = await openConnections(r.origin, 50);
  // 40 orders, 5 of them sent twice (same hash, same body), and 5 events of a scope not subscribed to.
  const sends = [
    ...Array.from({ length: 40 }, (_, i) => webhook(i + 1)),
    ...Array.from({ length: 5 }, (_, i) => webhook(i * 7 + 1)),
    ...Array.from({ length: 5 }, (_, i) => webhook(1, 'store/app/uninstalled', `u${i}`)),
  ];
  const answers = await Promise.all(sends.map((s, i) => postOn(connections[i]!, s.body)));

  expect(answers.map((a) => a.status)).toEqual(sends.map(() => 200));
  expect(answers.every((a) => a.text === '')).toBe(true);
  expect(count(r.received, 'accepted')).toBe(40);
  expect(count(r.received, 'duplicate')).toBe(5);
  expect(count(r.received, 'ignored')).toBe(5);
  expect(r.received.every((e) => e.outcome !== 'accepted' || e.scope === 'store/order/created')).toBe(true);
  expect(r.logs.filter((l) => l.includes('accepted but ignored') && l.includes('store/app/uninstalled'))).toHaveLength(5);
  // Grouped: fewer transactions than requests, every request in exactly one of them.
  expect(r.groups.reduce((a, b) => a + b, 0)).toBe(50);
  expect(Math.max(...r.groups)).toBeGreaterThan(1);
  // One row per hash, in the state its scope calls for.
  const rows = inboxRows();
  const distinct = new Set(sends.map((s) => s.hash));
  expect(rows).toHaveLength(distinct.size);
  expect(new Set(rows.map((row) => row.hash))).toEqual(distinct);
  expect(rows.filter((row) => row.state === 'ignored')).toHaveLength(5);
  expect(rows.filter((row) => row.state === 'new').map((row) => Number(row.resource_id)).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  // The planner is woken (once per group that accepted something, at least once).
  await expect.poll(() => r.wakeUps()).toBeGreaterThanOrEqual(1);
  expect(r.wakeUps()).toBeLessThanOrEqual(r.groups.length);
}, 30_000);

it('answers every request of a group whose transaction fails with the 500 and commits none of it; the retry is accepted', async () => {
  const r = await startReceiver();
  expect((await postOn((await openConnections(r.origin, 1))[0]!, webhook(1000).body)).status).toBe(200);
  // Test-only: the inbox file refuses one hash (a second connection, as a disk error would refuse
  // a write). Every other event of that hash's group is rolled back with it.
  const poisoned = webhook(7);
  const admin = new Database(inboxPath);
  admin.exec(`CREATE TRIGGER refuse BEFORE INSERT ON inbox WHEN NEW.hash = '${poisoned.hash}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  const sends = Array.from({ length: 20 }, (_, i) => (i === 7 ? poisoned : webhook(i + 1, 'store/order/created', 'second')));
  const connections = await openConnections(r.origin, 20);
  const groupsBefore = r.groups.length;
  const answers = await Promise.all(sends.map((s, i) => postOn(connections[i]!, s.body)));

  expect(answers[7]).toEqual({ status: 500, text: JSON.stringify({ error: 'could not store the event; retry later' }) });
  const stored = new Set(inboxRows().map((row) => row.hash));
  // The contract: a 200 only for a committed row, a 500 only for one that is not there.
  expect(answers.map((a) => a.status)).toEqual(sends.map((s) => (stored.has(s.hash) ? 200 : 500)));
  // The whole group of the refused event got the 500: as many as its group held, logged and counted as today.
  const burstGroups = r.groups.slice(groupsBefore);
  const failed = answers.filter((a) => a.status === 500).length;
  expect(burstGroups).toContain(failed);
  expect(r.logs.filter((l) => l.includes('could not store a webhook') && l.includes('refused by the test'))).toHaveLength(failed);
  expect(r.received.filter((e) => e.outcome === 'malformed' && e.reason === 'could not store the event; retry later')).toHaveLength(failed);

  // The platform retries once the store works again; each is accepted now.
  admin.exec('DROP TRIGGER refuse');
  admin.close();
  const retried = sends.filter((_, i) => answers[i]!.status === 500);
  const again = await Promise.all(retried.map((s, i) => postOn(connections[i]!, s.body)));
  expect(again.map((a) => a.status)).toEqual(retried.map(() => 200));
  expect(inboxRows()).toHaveLength(21);
}, 30_000);

it('insertMany commits a group in one transaction: a duplicate within it is reported as such, one failure rolls all of it back', () => {
  const record = (hash: string): InboxRecord => ({ hash, scope: 'store/order/created', resourceId: '1', payload: '{}', receivedAt: START, ignored: false });
  const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(40));
  expect(writer.insertMany([record(a!), record(b!), record(a!)])).toEqual(['accepted', 'accepted', 'duplicate']);
  const admin = new Database(inboxPath);
  admin.exec(`CREATE TRIGGER refuse BEFORE INSERT ON inbox WHEN NEW.hash = '${'d'.repeat(40)}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  admin.close();
  expect(() => writer.insertMany([record(c!), record('d'.repeat(40))])).toThrow(/refused by the test/);
  expect(inboxRows().map((row) => row.hash)).toEqual([a, b]);
  // The writer still works after the rollback.
  expect(writer.insertMany([record(c!)])).toEqual(['accepted']);
});
