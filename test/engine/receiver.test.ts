/**
 * Done means: bad input at the receiver (wrong secret 401, malformed JSON 400, unknown scope
 * accepted and logged, a 10 MB body 413) never crashes it; a batch of such requests, then a
 * valid event, which is processed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { SECRET, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.statusCode, text: await res.body.text() };
}

function payload(w: World, scope: string, data: Record<string, unknown>) {
  const unsigned = { scope, store_id: '1000001', data, created_at: Math.floor(w.clock.now() / 1000), producer: `stores/${w.sim.hash}` };
  return { ...unsigned, hash: createHash('sha1').update(JSON.stringify(unsigned) + randomBytes(4).toString('hex')).digest('hex') };
}

it('answers bad input with 401, 400, 413 or 200-and-ignored without crashing, then processes a valid event', async () => {
  world = await startWorld({ timeScale: 60, engine: { flows: 'orders' } });
  const w = world;
  const url = w.ready!.webhookUrl;
  // An order the platform knows about, whose webhook the test sends by hand at the end.
  const placed = await w.sim.control('POST', `/stores/${w.sim.hash}/orders`, { count: 1 });
  const orderId = placed.body.ids[0] as number;
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 10_000 }).toBeDefined();
  // The test's own event for that order: what the engine does with it is checked at the end.
  const valid = payload(w, 'store/order/updated', { type: 'order', id: orderId });

  const bad = await Promise.all([
    post(url, JSON.stringify(valid), { 'x-webhook-secret': 'wrong-secret' }),
    post(url, JSON.stringify(valid)),
    post(url, '{"scope": "store/order/created", "data": {', { 'x-webhook-secret': SECRET }),
    post(url, JSON.stringify({ hello: 'world' }), { 'x-webhook-secret': SECRET }),
    post(url, JSON.stringify(payload(w, 'store/app/uninstalled', { type: 'store', id: 1 })), { 'x-webhook-secret': SECRET }),
    post(url, Buffer.alloc(10 * 1024 * 1024, 'a'), { 'x-webhook-secret': SECRET }),
    post(url, Buffer.alloc(10 * 1024 * 1024, 'a'), { 'x-webhook-secret': 'wrong-secret' }),
    request(url, { method: 'GET' }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() })),
  ]);
  expect(bad.map((r) => r.status)).toEqual([401, 401, 400, 400, 200, 413, 401, 405]);
  expect(bad[2]!.text).toMatch(/not JSON/);
  expect(bad[3]!.text).toMatch(/scope/);
  expect(w.logs.some((l) => l.includes('ignored') && l.includes('store/app/uninstalled'))).toBe(true);

  // Still alive and counting.
  const metrics = await request(w.ready!.metricsUrl).then((r) => r.body.text());
  expect(metrics).toMatch(/bc_engine_webhooks_received_total\{outcome="unauthorized"\} 3/);
  expect(metrics).toMatch(/bc_engine_webhooks_received_total\{outcome="too-large"\} 1/);
  expect(metrics).toMatch(/bc_engine_webhooks_received_total\{outcome="ignored"\} 1/);

  // A valid event is stored once (a duplicate by hash is answered 200 and not stored again) and
  // leads to a fetch of the order it names.
  const fetchesBefore = w.engine!.metrics.value('bc_engine_fetch_calls_total', { lane: 'order' });
  const ok = await post(url, JSON.stringify(valid), { 'x-webhook-secret': SECRET });
  const again = await post(url, JSON.stringify(valid), { 'x-webhook-secret': SECRET });
  expect([ok.status, again.status]).toEqual([200, 200]);
  await expect.poll(() => w.engine!.metrics.value('bc_engine_fetch_calls_total', { lane: 'order' }), { timeout: 10_000 }).toBe(fetchesBefore + 1);
  expect(w.engine!.metrics.value('bc_engine_webhooks_received_total', { outcome: 'duplicate' })).toBeGreaterThanOrEqual(1);
});
