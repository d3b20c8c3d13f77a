/**
 * The receiver's front on its thread without an engine around it (receiver-host.ts): the inbox
 * file it writes (a burst of concurrent webhooks included), pruning by message, and a new thread
 * on the same port when the old one dies.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { createEngineBus } from '../../src/engine/events.ts';
import { createInbox } from '../../src/engine/inbox.ts';
import { createLogger } from '../../src/engine/logger.ts';
import { startReceiverFront, type ReceiverFront } from '../../src/engine/receiver-host.ts';

const SECRET = 'host-test-secret';
const START = Date.UTC(2026, 10, 27, 12, 0, 0);
let dir: string;
let db: EngineDb;
let clock: Clock;
let front: ReceiverFront | undefined;
const logs: string[] = [];
let accepted = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-receiver-host-'));
  db = openEngineDb(join(dir, 'engine.sqlite'));
  logs.length = 0;
  accepted = 0;
});
afterEach(async () => {
  await front?.close();
  front = undefined;
  clock?.dispose();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startFront(): Promise<ReceiverFront> {
  const realStart = performance.timeOrigin + performance.now();
  const clockState = { scale: 60, start: START, realStart };
  clock = createVirtualClock(clockState);
  front = await startReceiverFront({
    on: 'worker',
    inboxPath: db.inboxPath,
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    storeHash: 'abc123',
    knownScopes: new Set(['store/order/created']),
    clock,
    clockState,
    bus: createEngineBus(),
    logger: createLogger({ clock, write: (line) => void logs.push(line) }),
    onAccepted: () => void accepted++,
    metrics: () => 'metrics from the main thread\n',
    health: () => JSON.stringify({ ok: true }),
  });
  return front;
}

async function send(port: number, id: number): Promise<number> {
  const unsigned = { scope: 'store/order/created', store_id: '1', data: { type: 'order', id }, created_at: 1, producer: 'stores/abc123' };
  const body = JSON.stringify({ ...unsigned, hash: createHash('sha1').update(`${id}`).digest('hex') });
  const res = await request(`http://127.0.0.1:${port}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET }, body });
  await res.body.text();
  return res.statusCode;
}

it("stores events in the inbox file with the engine's time, prunes planned ones by message, and asks the main thread for /metrics", async () => {
  const f = await startFront();
  const before = clock.now();
  expect(await send(f.port, 1)).toBe(200);
  expect(await send(f.port, 2)).toBe(200);
  const after = clock.now();
  const inbox = createInbox(db);
  const events = inbox.takeNew(10);
  expect(events.map((e) => e.resourceId)).toEqual(['1', '2']);
  // Stamped by the thread's rebuilt clock: the same simulated time as the main thread's.
  for (const e of events) {
    expect(e.receivedAt).toBeGreaterThanOrEqual(before);
    expect(e.receivedAt).toBeLessThanOrEqual(after);
  }
  await expect.poll(() => accepted).toBeGreaterThanOrEqual(1);
  db.tx(() => inbox.markPlanned([events[0]!.seq]));
  // Everything is older than the cut; only the planned one goes.
  expect(await f.prune(after + 1, inbox.cursor())).toBe(1);
  expect(inbox.takeNew(10).map((e) => e.resourceId)).toEqual(['2']);
  expect(await request(`http://127.0.0.1:${f.port}/metrics`).then((r) => r.body.text())).toBe('metrics from the main thread\n');
  inbox.close();
}, 30_000);

it('starts a new thread on the same port when the receiver thread dies', async () => {
  const f = await startFront();
  expect(await send(f.port, 1)).toBe(200);
  await f.currentWorker()!.terminate();
  await expect.poll(() => logs.some((l) => l.includes('receiver thread died')), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => f.currentWorker() !== undefined, { timeout: 15_000 }).toBe(true);
  expect(await send(f.port, 2)).toBe(200);
  const inbox = createInbox(db);
  expect(inbox.countNew()).toBe(2);
  inbox.close();
}, 30_000);

it('answers 50 webhooks sent at once from the thread, duplicates included, with one inbox row per hash', async () => {
  const f = await startFront();
  // Ids 1..40, then 1..10 again (the platform's duplicates: same hash).
  const ids = [...Array.from({ length: 40 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => i + 1)];
  const statuses = await Promise.all(ids.map((id) => send(f.port, id)));
  expect(statuses).toEqual(ids.map(() => 200));
  const inbox = createInbox(db);
  expect(inbox.takeNew(100).map((e) => Number(e.resourceId)).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  inbox.close();
  await expect.poll(() => accepted).toBeGreaterThanOrEqual(1);
}, 30_000);
