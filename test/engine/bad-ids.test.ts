/**
 * Done means (issue 14, items 1 and 2): ids the platform cannot produce never freeze the engine
 * and never stay queued.
 *
 * - A webhook with the right secret and a 60,000-character order id is refused with a 400 naming
 *   `data.id`; `/healthz` keeps answering and orders keep reaching the ERP.
 * - `"abc"`, `-1`, `"../../etc/passwd"`, `"😀\0"` (and 0, 2^31, 1.5, `"12"`, 1e308, a cart id that is
 *   not a UUID, a customer id in the address) are refused at the receiver and never reach the
 *   work table.
 * - Such ids already in the state file (written by an older engine) end at once: work rows are
 *   dead-lettered as `fetch` with a reason, inbox events are dropped with a log line.
 *
 * The engine runs as the real command in a child process: before the fix such an id froze its
 * event loop, and a frozen engine in this process would freeze the test with it.
 */
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openEngineDb } from '../../src/engine/db.ts';
import { createDeadLetters } from '../../src/engine/dlq.ts';
import { keyProblem } from '../../src/engine/ids.ts';
import { createInboxWriter } from '../../src/engine/inbox.ts';
import { createWorkQueue, type Lane } from '../../src/engine/work-queue.ts';
import { startWorld, type World } from '../support/engine-world.ts';
import { engineEnv, postWebhook, spawnEngine, webhook, type EngineProcess } from './engine-process.ts';

let world: World | undefined;
let engine: EngineProcess | undefined;
afterEach(async () => {
  await engine?.kill();
  engine = undefined;
  await world?.close();
  world = undefined;
});

async function metric(e: EngineProcess, sample: string): Promise<number | undefined> {
  const text = await (await fetch(e.ready.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

const total = (work: Record<string, number>) => Object.values(work).reduce((s, n) => s + n, 0);

/** Healthz answers (within its own 3 s timeout), or undefined while the engine does not answer. */
const healthOf = (e: EngineProcess) => e.health().catch(() => undefined);

it('refuses a 60,000-character order id with a 400 naming data.id, keeps answering /healthz and keeps syncing orders', async () => {
  world = await startWorld({ timeScale: 60, startEngine: false });
  const w = world;
  engine = await spawnEngine(engineEnv(w, { ENGINE_FLOWS: 'orders' }));
  const e = engine;

  const answer = await postWebhook(e.ready.webhookUrl, webhook(w, 'store/order/created', { type: 'order', id: '1'.repeat(60_000) }));
  // Orders placed after it still reach the ERP, and the engine still answers.
  const [orderId] = await w.placeOrders(1);
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 30_000, interval: 200 }).toBeDefined();
  await expect.poll(async () => (await healthOf(e))?.ok, { timeout: 30_000, interval: 200 }).toBe(true);
  const health = (await e.health())!;
  expect(total(health.work)).toBe(0);
  expect(health.inbox).toBe(0);

  expect(answer.status).toBe(400);
  expect(answer.text).toMatch(/data\.id/);
  expect(answer.text.length).toBeLessThan(500);
  expect(e.child.exitCode).toBeNull();
}, 90_000);

it('refuses ids the platform cannot produce at the receiver, naming the field; nothing reaches the work table', async () => {
  world = await startWorld({ timeScale: 60, startEngine: false });
  const w = world;
  engine = await spawnEngine(engineEnv(w, { ENGINE_FLOWS: 'orders,customers,returns-refunds,marketing-events' }));
  const e = engine;
  const url = e.ready.webhookUrl;

  const cases: [string, Record<string, unknown>, string][] = [
    ['store/order/created', { type: 'order', id: 'abc' }, 'data.id'],
    ['store/order/created', { type: 'order', id: -1 }, 'data.id'],
    ['store/order/updated', { type: 'order', id: '../../etc/passwd' }, 'data.id'],
    ['store/order/created', { type: 'order', id: '😀\0' }, 'data.id'],
    ['store/order/created', { type: 'order', id: 0 }, 'data.id'],
    ['store/order/created', { type: 'order', id: 2 ** 31 }, 'data.id'],
    ['store/order/created', { type: 'order', id: 1.5 }, 'data.id'],
    ['store/order/created', { type: 'order', id: '12' }, 'data.id'],
    ['store/order/statusUpdated', { type: 'order', id: 1e308 }, 'data.id'],
    ['store/order/refund/created', { type: 'order', id: 'abc', refund: { refund_id: 1 } }, 'data.id'],
    ['store/customer/created', { type: 'customer', id: -5 }, 'data.id'],
    ['store/customer/updated', { type: 'customer', id: 3, address: { customer_id: '../x' } }, 'data.address.customer_id'],
    ['store/cart/abandoned', { type: 'cart', id: '../../etc/passwd' }, 'data.id'],
  ];
  const answers = [];
  const hashes: string[] = [];
  for (const [scope, data] of cases) {
    const body = webhook(w, scope, data);
    hashes.push(JSON.parse(body).hash);
    answers.push(await postWebhook(url, body));
  }
  expect(answers.map((a) => a.status)).toEqual(cases.map(() => 400));
  answers.forEach((a, i) => expect(a.text, `${cases[i]![0]} ${JSON.stringify(cases[i]![1])}`).toContain(cases[i]![2]));

  // Still answering; none of them was stored, queued or dead-lettered (refused, not taken). The
  // start-up sweep queues work of its own (refunds, customers): every key there is a real id.
  await expect.poll(async () => (await healthOf(e))?.ok, { timeout: 30_000, interval: 200 }).toBe(true);
  const refused = answers.length;
  const db = openEngineDb(e.ready.db);
  try {
    const keys = db.sqlite.prepare('SELECT lane, key FROM work').all() as { lane: Lane; key: string }[];
    expect(keys.filter((k) => keyProblem(k.lane, k.key) !== undefined)).toEqual([]);
    // (The inbox holds the store's own callbacks meanwhile: the CRM feed updates customers.)
    const inboxFile = new Database(db.inboxPath, { readonly: true });
    const stored = inboxFile.prepare(`SELECT hash FROM inbox WHERE hash IN (${hashes.map(() => '?').join(',')})`).all(...hashes);
    inboxFile.close();
    expect(stored).toEqual([]);
    expect(createDeadLetters(db).list().filter((l) => l.kind === 'fetch')).toEqual([]);
  } finally {
    db.close();
  }
  expect(await metric(e, 'bc_engine_webhooks_received_total{outcome="invalid"}')).toBe(refused);

  // The platform's own ids still go through: an order and a cart's UUID.
  const [orderId] = await w.placeOrders(1);
  const ok = await postWebhook(url, webhook(w, 'store/cart/abandoned', { type: 'cart', id: '09346904-4175-44fd-be53-f7e598531b6c', token: 'x' }));
  expect(ok.status).toBe(200);
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 30_000, interval: 200 }).toBeDefined();
  await expect.poll(async () => total((await healthOf(e))?.work ?? { stuck: 1 }), { timeout: 30_000, interval: 200 }).toBe(0);
}, 90_000);

it('ends ids already in the state file that can never be fetched: work rows dead-lettered as fetch with a reason, inbox events dropped with a log line', async () => {
  world = await startWorld({ timeScale: 60, startEngine: false });
  const w = world;
  const env = engineEnv(w, { ENGINE_FLOWS: 'orders,customers,returns-refunds,marketing-events' });

  // What an older engine accepted and left behind.
  const junk: [Lane, string][] = [
    ['order', 'abc'],
    ['order', '-1'],
    ['order', '../../etc/passwd'],
    ['order', '😀\0'],
    ['order', '1'.repeat(60_000)],
    ['order', '1e+308'],
    ['order', '01'],
    ['order', '2147483648'],
    ['refund', 'abc'],
    ['customer', 'x'],
    ['cart', '../../etc/passwd'],
  ];
  const db = openEngineDb(env.ENGINE_DB!);
  try {
    const work = createWorkQueue(db);
    const inbox = createInboxWriter(db.inboxPath);
    for (const [lane, key] of junk) work.enqueue(lane, key, 0);
    for (const id of ['abc', -1, '../../etc/passwd', '😀\0']) {
      const body = webhook(w, 'store/order/created', { type: 'order', id });
      inbox.insert({ hash: JSON.parse(body).hash, scope: 'store/order/created', resourceId: String(id), payload: body, receivedAt: 0, ignored: false });
    }
    inbox.close();
  } finally {
    db.close();
  }

  engine = await spawnEngine(env);
  const e = engine;
  await expect.poll(async () => total((await healthOf(e))?.work ?? { stuck: 1 }), { timeout: 30_000, interval: 200 }).toBe(0);
  expect((await e.health()).inbox).toBe(0);

  const check = openEngineDb(env.ENGINE_DB!);
  try {
    const letters = createDeadLetters(check).list({ state: 'open' });
    for (const [lane, key] of junk) {
      const letter = letters.find((l) => l.lane === lane && (l.key === key || (key.length > 200 && l.key.startsWith(key.slice(0, 50)))));
      expect(letter, `${lane} ${key.slice(0, 20)}`).toMatchObject({ kind: 'fetch', target: 'source', spec: `fetch:${lane}` });
      expect(letter!.reason).toMatch(/can never be fetched/);
      expect(letter!.key.length).toBeLessThanOrEqual(200);
    }
    // Ended without a call: nothing was asked of the API for them.
    expect(letters.every((l) => l.attempts === 0)).toBe(true);
  } finally {
    check.close();
  }
  const apiPaths = (await w.ledger(['api:request'])).map((r) => String(r.path));
  expect(apiPaths.filter((p) => /min_id=(?!\d+&)|etc|%F0|NaN|carts\/\.\./.test(p))).toEqual([]);
  expect(e.stderr()).toMatch(/webhook event dropped: its id can never be fetched/);

  // And real work still flows.
  const [orderId] = await w.placeOrders(1);
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 30_000, interval: 200 }).toBeDefined();
}, 90_000);
