/**
 * Done means: all eight flows against the mocks. One world, every flow on, the back office moving
 * on its own (invoices, parcels, goods receipts, price reviews, sales reps editing contacts, ERP
 * credit memos; shortened timings) while the shared clock is walked forward; then each flow's
 * target is checked against its source.
 */
import { afterEach, expect, it } from 'vitest';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { expectedRecord, specs, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const breathe = (ms = 25) => new Promise((r) => setTimeout(r, ms));

async function walk(w: World, minutes: number, stepMinutes = 5) {
  for (let m = 0; m < minutes; m += stepMinutes) {
    w.clock.advance(stepMinutes * 60_000);
    await breathe();
  }
}

it('runs all eight flows against the mocks, each target matching its source through the specs', async () => {
  world = await startWorld({
    timeScale: 60,
    engine: { pollSeconds: '60', sweepSeconds: '900' },
    mocksTiming: { invoiceAfterMs: 10 * 60_000, shipAfterMs: 10 * 60_000, goodsReceiptEveryMs: 15 * 60_000, priceReviewEveryMs: 30 * 60_000, crmEditsEveryMs: 30 * 60_000, erpCreditMemoEveryMs: 60 * 60_000 },
  });
  const w = world;
  const store = w.sim.running.sim.store(w.sim.hash)!;
  const sys = w.mocks.systems;

  // Shopper activity: orders, shoppers who register, carts that will be abandoned.
  const orderIds = await w.placeOrders(6);
  const registered = (await w.sim.control('POST', `/stores/${w.sim.hash}/customers`, { count: 3 })).body.ids as number[];
  const carts = (await w.sim.control('POST', `/stores/${w.sim.hash}/carts`, { count: 6, abandonAfterMinutes: 60 })).body.ids as string[];
  await expect.poll(() => orderIds.every((id) => sys.erp.getSalesOrder(String(id))), { timeout: 15_000 }).toBe(true);
  // A merchant refund in the store (an order-level goodwill amount).
  const refund = await w.sim.api('POST', `/v3/orders/${orderIds[0]}/payment_actions/refunds`, { items: [{ item_type: 'ORDER', item_id: orderIds[0], amount: 2.5, reason: 'Goodwill' }] });
  expect(refund.status).toBe(201);

  await walk(w, 180);
  await expect.poll(() => w.engine!.work.counts().order + w.engine!.inbox.countNew(), { timeout: 10_000 }).toBe(0);
  await walk(w, 10, 1);

  // 1. Orders -> ERP and 3PL.
  const truth = await w.truthOrders();
  for (const id of orderIds) {
    expect(sys.erp.getSalesOrder(String(id)), `ERP ${id}`).toEqual(expectedRecord('orders-to-erp-sales-order', truth.get(id)));
  }
  expect(sys.threepl.fulfillmentOrderCount()).toBeGreaterThan(0);

  // 2. Marketing events: every order, and every abandoned cart with an email.
  const abandoned = carts.filter((id) => store.carts.get(id)?.email);
  expect(abandoned.length).toBeGreaterThan(0);
  // The last writes may still be leaving the outbox on a busy machine: wait for them, bounded.
  const missingEvents = async () => {
    const events = new Set((await w.journal('marketing')).map((l) => l.body.eventId as string));
    return [...orderIds.map((id) => `order-placed:${id}`), ...abandoned.map((id) => `cart-abandoned:${id}`)].filter((e) => !events.has(e));
  };
  await expect.poll(missingEvents, { timeout: 30_000, interval: 250 }).toEqual([]);

  // 3. Customers, BigCommerce -> CRM: the shoppers who registered are contacts.
  for (const id of registered) {
    const c = store.customers.get(id)!;
    expect(sys.crm.getContact(c.email), c.email).toMatchObject({ bigcommerceCustomerId: id, firstName: c.first_name, source: 'bigcommerce' });
  }
  // ... and CRM -> BigCommerce: the fields the CRM owns, for every contact with a store account.
  const contacts = sys.crm.contacts(undefined, 1000).filter((c) => c.bigcommerceCustomerId);
  for (const contact of contacts) {
    const wanted = applyMapping(specs().get('crm-contact-to-customers')!, contact).record!;
    const customer = store.customers.get(contact.bigcommerceCustomerId as number)!;
    expect({ phone: customer.phone, customer_group_id: customer.customer_group_id }, String(contact.email)).toEqual({ phone: wanted.phone ?? customer.phone, customer_group_id: wanted.customer_group_id });
  }

  // 4. Inventory: the store's stock is the ERP's available stock.
  for (const record of sys.erp.inventory(undefined, 1000)) {
    const variant = [...store.variants.values()].find((v) => v.sku === record.itemNo);
    expect(variant?.inventory_level, String(record.itemNo)).toBe(Math.max(0, (record.available as number) * (record.unitsPerUom as number)));
  }

  // 5. Catalog and pricing: the store's prices are the ERP price list's.
  for (const item of sys.erp.priceList(undefined, 1000)) {
    const product = store.products.get(item.webId as number)!;
    expect({ price: product.price, sale_price: product.sale_price }, String(item.itemNo)).toEqual({ price: Math.round((item.listPrice as number) * 100) / 100, sale_price: item.salePrice === null ? 0 : Math.round((item.salePrice as number) * 100) / 100 });
  }

  // 6. Shipment tracking: every 3PL parcel is a shipment on its order, or (tracking numbers the
  // platform cannot hold) a dead letter saying why.
  const shipments = sys.threepl.shipments(undefined, 1000);
  expect(shipments.length).toBeGreaterThan(0);
  for (const s of shipments) {
    const order = store.orders.get(Number(s.orderRef))!;
    const shipped = order.shipments.find((x) => x.comments.startsWith(`3PL shipment ${s.shipmentId},`));
    if ((s.trackingNumber as string).length <= 50) expect(shipped?.tracking_number, String(s.shipmentId)).toBe(s.trackingNumber);
    else {
      expect(shipped).toBeUndefined();
      expect(w.engine!.dlq.list({ state: 'open', spec: '3pl-shipments-to-bigcommerce' }).find((d) => d.key === s.shipmentId)?.reason).toMatch(/tracking_number/);
    }
  }

  // 7. Invoice and payment status: invoiced orders carry the invoice in their staff notes.
  const invoices = sys.erp.invoices(undefined, 1000);
  expect(invoices.length).toBeGreaterThan(0);
  for (const inv of invoices) expect(store.orders.get(Number(inv.orderRef))!.order.staff_notes).toMatch(new RegExp(`^ERP invoice ${inv.invoiceNo}: `));

  // 8. Returns and refunds, both ways: the store refund is an ERP credit memo, and the ERP's own
  // memos are store refunds (never echoed back).
  const memos = sys.erp.creditMemos(undefined, 1000);
  const fromStore = memos.find((m) => m.externalId === `BC-R${refund.body.data.id}`);
  const storeRefund = store.orders.get(orderIds[0]!)!.refunds.find((r) => r.id === refund.body.data.id);
  const { createdAt: _created, ...memo } = fromStore ?? {};
  expect(memo).toEqual(expectedRecord('refunds-to-erp-credit-memo', storeRefund));
  expect(fromStore).toMatchObject({ origin: 'BIGCOMMERCE', orderRef: String(orderIds[0]) });
  const fromErp = memos.filter((m) => m.origin === 'ERP');
  expect(fromErp.length).toBeGreaterThan(0);
  for (const memo of fromErp) {
    const refunds = store.orders.get(Number(memo.orderRef))!.refunds.filter((r) => r.items.some((i) => (i.reason ?? '').startsWith(`ERP credit memo ${memo.externalId}:`)));
    const dead = w.engine!.dlq.list({ state: 'open', spec: 'erp-credit-memos-to-refunds' }).find((d) => d.key === memo.externalId);
    // Exactly one refund per memo, or a dead letter with the platform's reason.
    expect(refunds.length + (dead ? 1 : 0), String(memo.externalId)).toBe(1);
  }
  expect(memos.filter((m) => m.origin === 'BIGCOMMERCE').every((m) => String(m.externalId).startsWith('BC-R'))).toBe(true);

  // Within the platform's batch limits: every batch write was accepted (the simulator answers 413
  // past 10 products or customers and 422 past 2,000 inventory items), and batches were used.
  const engineClient = (await w.sim.control('GET', '/stores')).body.stores[0].accounts[0].clientId;
  const writes = (await w.ledger(['api:request'])).filter((l) => l.client === engineClient && l.method === 'PUT');
  const batchCalls = (path: string) => writes.filter((l) => l.path.endsWith(path));
  for (const path of ['/v3/catalog/products', '/v3/customers', '/v3/inventory/adjustments/absolute']) {
    expect(batchCalls(path).length, path).toBeGreaterThan(0);
    expect(batchCalls(path).every((l) => l.status === 200), path).toBe(true);
  }
  // Batched, not one call per record: the first start alone writes all 60 prices.
  const productRecords = w.engine!.metrics.value('bc_engine_records_written_total', { target: 'bc.product' });
  expect(productRecords).toBeGreaterThanOrEqual(60);
  expect(batchCalls('/v3/catalog/products').length * 4).toBeLessThanOrEqual(productRecords);

  console.log(`dead letters: ${w.engine!.dlq.list({ state: 'open' }).map((d) => `${d.spec} ${d.key}: ${d.reason.slice(0, 100)}`).join(' | ') || 'none'}`);
  // All eight flows through a real engine: over the default 30 s on a machine shared with other
  // CPU-bound work; each wait inside is bounded on its own.
}, 120_000);
