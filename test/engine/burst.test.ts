/**
 * Done means: 1,000 orders placed in a burst on a Standard plan all reach the ERP, each equal to
 * the mapping of the simulator's ground truth, in a handful of batched calls.
 */
import { afterEach, expect, it } from 'vitest';
import { expectedRecord, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('delivers a burst of 1,000 orders on a Standard plan to the ERP, each equal to the mapping of the ground truth, in batched fetches', async () => {
  world = await startWorld({ timeScale: 60, engine: { flows: 'orders,marketing-events' } });
  const w = world;
  const clientId = (await w.sim.control('GET', '/stores')).body.stores[0].accounts[0].clientId;
  const ids = await w.placeOrders(1000);
  expect(ids).toHaveLength(1000);
  const erp = w.mocks.systems.erp;
  await expect.poll(() => ids.filter((id) => erp.getSalesOrder(String(id))).length, { timeout: 60_000, interval: 250 }).toBe(1000);

  const truth = await w.truthOrders();
  const mismatched = ids.filter((id) => JSON.stringify(erp.getSalesOrder(String(id))) !== JSON.stringify(expectedRecord('orders-to-erp-sales-order', truth.get(id))));
  expect(mismatched).toEqual([]);

  // Upserts only: one sales order per order, no duplicating POSTs, one create per key.
  expect(erp.postedCount()).toBe(0);
  const writes = (await w.journal('erp')).filter((l) => l.resource === 'sales-order');
  const creates = new Map<string, number>();
  for (const l of writes) if (l.status === 201) creates.set(l.key, (creates.get(l.key) ?? 0) + 1);
  expect([...creates.values()].every((n) => n === 1)).toBe(true);
  expect(creates.size).toBe(1000);

  // The other targets of the same orders.
  await expect.poll(() => w.mocks.systems.marketing.eventCount(), { timeout: 20_000 }).toBe(1000);
  const expected3pl = ids.filter((id) => expectedRecord('orders-to-3pl-fulfillment-order', truth.get(id)) !== undefined).length;
  await expect.poll(() => w.mocks.systems.threepl.fulfillmentOrderCount(), { timeout: 20_000 }).toBe(expected3pl);

  // Batching: the order reads for 1,000 orders are a few dozen calls (the aim for bursts is at
  // most 0.2 per order), where a call per webhook with its sub-resources would be thousands.
  const requests = (await w.ledger(['api:request'])).filter((l) => l.client === clientId && l.path.startsWith(`/stores/${w.sim.hash}/v2/orders`));
  console.log(`order reads for 1,000 orders: ${requests.length} calls (${(requests.length / 1000).toFixed(3)} per order)`);
  expect(requests.length).toBeLessThanOrEqual(200);
  expect(requests.every((r) => r.status === 200 || r.status === 204)).toBe(true);
  // 1,000 orders through a real engine: well over the default 30 s on a machine shared with other
  // CPU-bound work; every wait inside is bounded on its own.
}, 120_000);
