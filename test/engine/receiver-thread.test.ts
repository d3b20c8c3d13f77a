/**
 * The engine's HTTP front on its own thread (receiver-host.ts): the receiver answers webhooks
 * there, whatever the main thread is doing; what it reports (metrics events, log lines, planner
 * wake-ups) reaches the main thread; /metrics and /healthz are answered with the main thread's
 * state; bad input is handled as on the main thread.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import type { EngineEvents } from '../../src/engine/events.ts';
import { createLogger } from '../../src/engine/logger.ts';
import { SECRET, specs, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.terminate();
  await world?.close();
  world = undefined;
});

/** A world whose engine runs its receiver on a thread (the world's clock runs and is never jumped here). */
async function workerWorld(flows = 'orders'): Promise<{ w: World; engine: Engine; webhookUrl: string; metricsUrl: string; healthUrl: string }> {
  world = await startWorld({ timeScale: 60, startEngine: false, engine: { flows } });
  const w = world;
  const engine = await createEngine(w.config, { clock: w.clock, specs: specs(), logger: createLogger({ clock: w.clock, write: (line) => void w.logs.push(line) }), receiverOn: 'worker' });
  w.engine = engine;
  const ready = await engine.start();
  w.ready = ready;
  return { w, engine, ...ready };
}

function payload(w: World, scope: string, data: Record<string, unknown>) {
  const unsigned = { scope, store_id: '1000001', data, created_at: Math.floor(w.clock.now() / 1000), producer: `stores/${w.sim.hash}` };
  return { ...unsigned, hash: createHash('sha1').update(JSON.stringify(unsigned) + randomBytes(4).toString('hex')).digest('hex') };
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.statusCode, text: await res.body.text() };
}

const epochNow = () => performance.timeOrigin + performance.now();

it('answers on its thread as on the main one: bad input refused, metrics and logs relayed, /metrics and /healthz from the main thread, a valid event planned', async () => {
  const { w, engine, webhookUrl, metricsUrl, healthUrl } = await workerWorld();
  const placed = await w.sim.control('POST', `/stores/${w.sim.hash}/orders`, { count: 1 });
  const orderId = placed.body.ids[0] as number;
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 10_000 }).toBeDefined();

  const valid = payload(w, 'store/order/updated', { type: 'order', id: orderId });
  const bad = await Promise.all([
    post(webhookUrl, JSON.stringify(valid), { 'x-webhook-secret': 'wrong-secret' }),
    post(webhookUrl, '{"scope": "store/order/created", "data": {', { 'x-webhook-secret': SECRET }),
    post(webhookUrl, JSON.stringify(payload(w, 'store/order/created', { type: 'order', id: 'abc' })), { 'x-webhook-secret': SECRET }),
    post(webhookUrl, JSON.stringify(payload(w, 'store/app/uninstalled', { type: 'store', id: 1 })), { 'x-webhook-secret': SECRET }),
    post(webhookUrl, Buffer.alloc(1024 * 1024, 'a'), { 'x-webhook-secret': SECRET }),
    request(webhookUrl, { method: 'GET' }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() })),
    request(webhookUrl.replace('/webhooks', '/elsewhere')).then(async (r) => ({ status: r.statusCode, text: await r.body.text() })),
  ]);
  expect(bad.map((r) => r.status)).toEqual([401, 400, 400, 200, 413, 405, 404]);
  expect(bad[2]!.text).toMatch(/data\.id/);

  // Garbage instead of HTTP: a 400 from the thread's server, which keeps answering.
  const garbage = await new Promise<string>((resolve, reject) => {
    const url = new URL(webhookUrl);
    const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
    let text = '';
    socket.on('data', (c) => (text += c.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(garbage).toMatch(/^HTTP\/1.1 400/);

  // Log lines written on the thread reach the engine's logger; its metrics events the main bus.
  await expect.poll(() => w.logs.some((l) => l.includes('ignored') && l.includes('store/app/uninstalled'))).toBe(true);
  expect(w.logs.some((l) => l.includes('an id the platform cannot produce'))).toBe(true);
  const text = await request(metricsUrl).then((r) => r.body.text());
  expect(text).toMatch(/bc_engine_webhooks_received_total\{outcome="unauthorized"\} 1/);
  expect(text).toMatch(/bc_engine_webhooks_received_total\{outcome="too-large"\} 1/);
  expect(text).toMatch(/bc_engine_webhooks_received_total\{outcome="ignored"\} 1/);
  expect(text).toMatch(/bc_engine_inbox_new \d/);
  const health = await request(healthUrl).then((r) => r.body.json() as Promise<{ ok: boolean; inbox: number }>);
  expect(health).toMatchObject({ ok: true, inbox: expect.any(Number) });

  // A valid event is stored once and wakes the planner, which fetches the order it names.
  const fetchesBefore = engine.metrics.value('bc_engine_fetch_calls_total', { lane: 'order' });
  const ok = await post(webhookUrl, JSON.stringify(valid), { 'x-webhook-secret': SECRET });
  const again = await post(webhookUrl, JSON.stringify(valid), { 'x-webhook-secret': SECRET });
  expect([ok.status, again.status]).toEqual([200, 200]);
  await expect.poll(() => engine.metrics.value('bc_engine_fetch_calls_total', { lane: 'order' }), { timeout: 10_000 }).toBe(fetchesBefore + 1);
  await expect.poll(() => engine.metrics.value('bc_engine_webhooks_received_total', { outcome: 'duplicate' })).toBe(1);
  // The thread stamps events with the engine's time: the rebuilt clock reads the same.
  expect(engine.inbox.countNew()).toBe(0);
}, 60_000);

/**
 * A client on a thread of its own, so the test's main thread (the engine's) can be blocked while
 * it posts. It posts when `gate[0]` becomes 1 and records the real epoch ms of the answer and its
 * status in `result`, then sets `gate[0]` to 2.
 */
async function startThreadClient(url: string, body: string): Promise<{ gate: Int32Array; result: Float64Array }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const result = new Float64Array(new SharedArrayBuffer(16));
  const worker = new Worker(
    `
    const http = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const { gate, result, url, body, secret } = workerData;
    parentPort.postMessage('ready');
    // Bounded, so a broken test fails instead of hanging the thread.
    Atomics.wait(gate, 0, 0, 20000);
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': secret } }, (res) => {
      res.resume();
      res.on('end', () => {
        result[0] = performance.timeOrigin + performance.now();
        result[1] = res.statusCode;
        Atomics.store(gate, 0, 2);
      });
    });
    req.end(body);
    `,
    { eval: true, workerData: { gate, result, url, body, secret: SECRET } },
  );
  workers.push(worker);
  await new Promise((resolve) => worker.once('message', resolve));
  return { gate, result };
}

it("answers a webhook while the engine's main thread is blocked, well before the block ends", async () => {
  const { w, engine, webhookUrl } = await workerWorld();
  const received: EngineEvents['webhook:received'][] = [];
  engine.bus.on('webhook:received', (e) => void received.push(e));
  // Warm the thread's receiver up: its first request pays for compiling the receiver's code.
  expect((await post(webhookUrl, JSON.stringify(payload(w, 'store/order/updated', { type: 'order', id: 1 })), { 'x-webhook-secret': SECRET })).status).toBe(200);
  await expect.poll(() => received.length).toBe(1);

  const body = JSON.stringify(payload(w, 'store/order/updated', { type: 'order', id: 2 }));
  const client = await startThreadClient(webhookUrl, body);
  const blockMs = 300;
  Atomics.store(client.gate, 0, 1);
  Atomics.notify(client.gate, 0);
  const blockEnd = epochNow() + blockMs;
  while (epochNow() < blockEnd) {
    // The engine's main thread, busy with a mapper slice, a 7 MB order page, a write.
  }
  // The answer came while the main thread could not have done anything.
  expect(Atomics.load(client.gate, 0)).toBe(2);
  expect(client.result[1]).toBe(200);
  expect(client.result[0]).toBeLessThan(blockEnd);
  // What the receiver measured on its own thread, relayed after the block: well under it.
  await expect.poll(() => received.length).toBe(2);
  expect(received[1]).toMatchObject({ outcome: 'accepted', scope: 'store/order/updated' });
  expect(received[1]!.realMs).toBeLessThan(blockMs / 2);
}, 60_000);
