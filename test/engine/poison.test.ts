/**
 * Done means: a poison order (the ERP rejects a field) lands in the dead-letter queue with its
 * reason, raises an alert, and a replay after the constraint is relaxed delivers it.
 *
 * The poison: a product launched in the store that the ERP's item master does not know yet
 * (the ERP answers 422 on lines[0].sku). The ERP team then creates the item, and the operator
 * replays the dead letter with `bc-harness dlq replay`.
 */
import { afterEach, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { expectedRecord, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  console.log = (...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`);
  try {
    const code = await main(['node', 'bc-harness', ...args]);
    return { code, out: out.join('') };
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
}

it('dead-letters an order the ERP rejects, with the reason and an alert, and delivers it on replay once the ERP knows the item', async () => {
  world = await startWorld({ timeScale: 60, engine: { flows: 'orders', alertWindowSeconds: '60' } });
  const w = world;
  const product = await w.sim.api('POST', '/v3/catalog/products', { name: 'Launch Lantern', type: 'physical', weight: 1, price: 25, sku: 'LAUNCH-LANTERN-1', inventory_level: 50, inventory_tracking: 'product' });
  expect(product.status).toBe(200);
  const address = { first_name: 'Ada', last_name: 'Lovelace', street_1: '1 Analytical Way', city: 'Berlin', zip: '10115', country: 'Germany', country_iso2: 'DE', email: 'ada@example.com' };
  const order = await w.sim.api('POST', '/v2/orders', { status_id: 11, billing_address: address, shipping_addresses: [address], products: [{ product_id: product.body.data.id, quantity: 2 }] });
  expect(order.status).toBe(201);
  const id = String(order.body.id);

  const dlq = w.engine!.dlq;
  await expect.poll(() => dlq.list({ state: 'open' }).length, { timeout: 20_000 }).toBe(1);
  const [letter] = dlq.list({ state: 'open' });
  expect(letter).toMatchObject({ spec: 'orders-to-erp-sales-order', key: id, kind: 'rejected', attempts: 1 });
  expect(letter!.reason).toMatch(/422/);
  expect(letter!.reason).toMatch(/lines\[0\]\.sku/);
  expect((letter!.payload as any).body.externalId).toBe(id);
  expect(w.mocks.systems.erp.getSalesOrder(id)).toBeUndefined();

  await expect.poll(() => w.alerts.received.some((a) => a.body.kind === 'dead-letters'), { timeout: 10_000 }).toBe(true);
  const alert = w.alerts.received.find((a) => a.body.kind === 'dead-letters')!.body;
  expect(alert.message).toMatch(new RegExp(`orders-to-erp-sales-order ${id}`));
  // And the record itself is reported, with its reason, for whoever accounts for every order.
  const report = w.alerts.received.find((a) => a.body.kind === 'dead-letter')!.body;
  expect(report).toMatchObject({ key: id, spec: 'orders-to-erp-sales-order', target: 'erp.sales-order', flow: 'orders', deadLetterKind: 'rejected', reason: expect.stringMatching(/lines\[0\]\.sku/) });
  expect(w.logs.some((l) => l.includes('ALERT dead-letters'))).toBe(true);

  const listed = await cli(['dlq', 'list', '--db', w.config.db]);
  expect(listed.code).toBe(0);
  expect(listed.out).toMatch(new RegExp(`rejected\\s+orders-to-erp-sales-order ${id}`));

  const shown = await cli(['dlq', 'show', String(letter!.id), '--db', w.config.db, '--json']);
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.out)).toMatchObject({ id: letter!.id, kind: 'rejected', reason: expect.stringMatching(/unknown item "LAUNCH-LANTERN-1"/), payload: { method: 'PUT', path: `/sales-orders/${id}` } });

  // The ERP team creates the item; the operator replays.
  expect((await w.mocksControl('PUT', '/erp/items/LAUNCH-LANTERN-1', { description: 'Launch Lantern' })).status).toBe(201);
  const replayed = await cli(['dlq', 'replay', String(letter!.id), '--db', w.config.db]);
  expect(replayed.code).toBe(0);
  expect(replayed.out).toMatch(/re-sending/);

  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(id), { timeout: 20_000 }).toBeDefined();
  const truth = await w.truthOrders();
  expect(w.mocks.systems.erp.getSalesOrder(id)).toEqual(expectedRecord('orders-to-erp-sales-order', truth.get(Number(id))));
  expect(dlq.get(letter!.id)).toMatchObject({ state: 'replayed' });
  expect(dlq.openCount()).toBe(0);
});
