/**
 * Done means (issue 14, item 4): an engine that lost its database starts against a store that
 * still holds the previous engine's hooks (the platform allows one `store/hook/deliveryException`
 * hook per client, and one hook per scope and destination), and against a store where someone
 * else changed them (another destination, switched off, extra copies, headers stripped), and ends
 * with exactly its own set: one active hook per scope it needs, pointing at it, carrying its secret
 * and id. Hooks of the same API account that are not the engine's are left alone.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ENGINE_HEADER, EXCEPTION_SCOPE, SECRET_HEADER } from '../../src/engine/monitor.ts';
import { SECRET, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const ORDER_SCOPES = ['store/order/created', 'store/order/updated', 'store/order/statusUpdated', 'store/order/archived'];

async function hooks(w: World): Promise<any[]> {
  const res = await w.sim.api('GET', '/v3/hooks?limit=250');
  expect(res.status).toBe(200);
  return res.body.data;
}

function loseDatabase(w: World) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${w.config.db}${suffix}`, { force: true });
}

/** The engine's set: exactly one active hook per scope, at its URLs, with its secret and id; nothing else of an engine. */
async function expectExactlyOwnSet(w: World) {
  const ready = w.ready!;
  const all = await hooks(w);
  const engines = all.filter((h) => h.headers?.[ENGINE_HEADER] !== undefined || h.headers?.[SECRET_HEADER] !== undefined || h.scope === EXCEPTION_SCOPE);
  const scopes = [...ORDER_SCOPES, EXCEPTION_SCOPE].sort();
  expect(engines.map((h) => h.scope).sort()).toEqual(scopes);
  for (const h of engines) {
    expect(h, h.scope).toMatchObject({
      is_active: true,
      destination: h.scope === EXCEPTION_SCOPE ? ready.webhookUrl.replace(/\/webhooks$/, '/webhooks/exceptions') : ready.webhookUrl,
      headers: { [SECRET_HEADER]: SECRET, [ENGINE_HEADER]: ready.engineId },
    });
  }
  expect(ready.hooks.map((s) => s.scope).sort()).toEqual(scopes);
  expect(new Set(ready.hooks.map((s) => s.id))).toEqual(new Set(engines.map((h) => h.id)));
  return all;
}

it('adopts the hooks of an engine whose database was lost, also after someone else changed them, and ends with exactly its own set', async () => {
  world = await startWorld({ timeScale: 60, engine: { flows: 'orders' } });
  const w = world;
  const first = w.ready!;
  expect((await hooks(w)).length).toBe(5);

  // 1. The database is lost; the store still has the previous engine's hooks, as they were.
  await w.stopEngine();
  loseDatabase(w);
  await w.startEngine();
  expect(w.ready!.engineId).not.toBe(first.engineId);
  await expectExactlyOwnSet(w);

  // 2. Lost again, and meanwhile someone changed the hooks with the same API account.
  await w.stopEngine();
  loseDatabase(w);
  const before = await hooks(w);
  const byScope = (scope: string) => before.find((h) => h.scope === scope)!;
  const put = async (id: number, body: unknown) => expect((await w.sim.api('PUT', `/v3/hooks/${id}`, body)).status).toBe(200);
  const post = async (body: unknown) => {
    const res = await w.sim.api('POST', '/v3/hooks', body);
    expect(res.status).toBe(200);
    return res.body.data.id as number;
  };
  await put(byScope('store/order/created').id, { destination: 'https://elsewhere.example.com/webhooks' });
  await put(byScope('store/order/updated').id, { is_active: false });
  const created = byScope('store/order/created');
  await post({ scope: 'store/order/created', destination: 'https://copy.example.com/webhooks', headers: created.headers });
  await post({ scope: 'store/order/statusUpdated', destination: 'https://copy.example.com/webhooks', headers: created.headers, is_active: false });
  // Headers stripped and pointed elsewhere: only its scope says it is the engine's (one per client).
  await put(byScope(EXCEPTION_SCOPE).id, { destination: 'https://elsewhere.example.com/exceptions', headers: null, is_active: false });
  // The same account's hooks that are not the engine's: another destination, no engine headers.
  const foreign = [
    await post({ scope: 'store/product/updated', destination: 'https://other-app.example.com/hooks' }),
    await post({ scope: 'store/order/created', destination: 'https://other-app.example.com/orders', headers: { authorization: 'Basic b3RoZXI6YXBw' } }),
  ];

  await w.startEngine();
  const after = await expectExactlyOwnSet(w);
  // Someone else's hooks are untouched.
  for (const id of foreign) expect(after.find((h) => h.id === id), `hook ${id}`).toEqual((await hooks(w)).find((h) => h.id === id));
  expect(after.filter((h) => foreign.includes(h.id))).toHaveLength(2);
  expect(after.find((h) => h.id === foreign[1])).toMatchObject({ destination: 'https://other-app.example.com/orders', is_active: true });
  expect(after).toHaveLength(5 + 2);
  // Adopted rather than re-created where it could: the deliveryException hook is the same one.
  expect(after.find((h) => h.scope === EXCEPTION_SCOPE)!.id).toBe(byScope(EXCEPTION_SCOPE).id);

  // And webhooks reach the adopted engine.
  const [orderId] = await w.placeOrders(1);
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 20_000 }).toBeDefined();
  expect(w.engine!.metrics.value('bc_engine_webhooks_received_total', { outcome: 'accepted' })).toBeGreaterThan(0);
});
