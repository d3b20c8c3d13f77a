/**
 * The flows into the store (ERP stock and prices) against hand-made runs: a real simulated store
 * takes the writes (so the ledger holds what the platform keeps after each one), the test plays
 * the ERP by publishing changes and the integration by writing them, with exactly one defect each.
 */
import { describe, expect, it } from 'vitest';
import type { Criterion } from '../../src/verify/criteria.ts';
import { resolveCriteria } from '../../src/verify/criteria.ts';
import { createCatalogBacklog } from '../../src/uat/catalog-backlog.ts';
import { createTestRun, specs, type TestRun } from './support/run-builder.ts';

const MINUTE = 60_000;

const stockCriteria: Criterion[] = [
  { id: 'no-lost-stock-changes', name: 'n', flow: 'inventory', measure: 'inventory.lost', op: '==', limit: 0, why: 'w', source: 'scenario' },
  { id: 'no-wrong-stock', name: 'n', flow: 'inventory', measure: 'inventory.corrupted', op: '==', limit: 0, why: 'w', source: 'scenario' },
  { id: 'stock-latency', name: 'n', flow: 'inventory', measure: 'inventory.syncLatencyP95Seconds', op: '<=', limit: 900, unit: 's', why: 'w', source: 'scenario' },
];

/** A SKU the ERP stocks: a product tracked at product level, so its base variant carries the count. */
function stockedSku(run: TestRun): string {
  const product = [...run.store.products.values()].find((p) => p.inventory_tracking === 'product')!;
  return product.sku;
}

function stockRecord(sku: string, available: number): Record<string, unknown> {
  return { itemNo: sku, warehouse: 'MAIN', binLocation: 'A01', onHand: available, allocated: 0, available, uom: 'EA', unitsPerUom: 1, updatedAt: '2026-11-27T12:00:00Z' };
}

/** The ERP publishes a stock count. */
function publishStock(run: TestRun, sku: string, available: number): void {
  run.publish('erp', 'inventory', sku, stockRecord(sku, available));
}

/** The integration writes a stock count with an absolute adjustment, as the platform records it. */
function writeStock(run: TestRun, sku: string, quantity: number, status = 200): void {
  run.request('PUT', '/stores/stest/v3/inventory/adjustments/absolute', status);
  if (status < 300) run.store.adjustInventory('absolute', [{ sku, quantity, location_id: 1 }]);
}

const inventoryOf = (v: ReturnType<TestRun['verify']>) => v.streams.find((s) => s.stream.id === 'inventory')!;

describe('the verifier on ERP stock → BigCommerce inventory', () => {
  it('passes when every change reached the store, with latency from publication to the write', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(3 * MINUTE);
    writeStock(run, sku, 40);
    run.advance(20 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    expect(v.measures['inventory.expected']).toBe(1);
    expect(v.measures['inventory.correct']).toBe(1);
    expect(v.measures['inventory.syncLatencyP95Seconds']).toBe(180);
    expect(v.verdict).toBe('pass');
  });

  it('counts a change superseded by a newer one as synced when the newer value is written', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(MINUTE);
    publishStock(run, sku, 35);
    run.advance(4 * MINUTE);
    writeStock(run, sku, 35);
    run.advance(20 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    const records = inventoryOf(v).records;
    expect(records.map((r) => [r.sourceId, r.outcome, r.latencyMs])).toEqual([
      [`${sku} #1`, 'correct', 5 * MINUTE],
      [`${sku} #2`, 'correct', 4 * MINUTE],
    ]);
    expect(v.verdict).toBe('pass');
  });

  it('fails a change that never reached the store, names it, and still counts it lost when dead-lettered without a reject rule of the spec', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(3 * MINUTE);
    writeStock(run, sku, 40);
    run.advance(MINUTE);
    publishStock(run, sku, 12);
    run.advance(30 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    expect(v.verdict).toBe('fail');
    expect(v.measures['inventory.lost']).toBe(1);
    expect(v.criteria.find((c) => c.id === 'no-lost-stock-changes')!.evidence[0]).toContain(`stock change ${sku} #2`);

    run.deadLetter(`${sku}@1`, 'BigCommerce answered 422: location 1 unknown', { spec: 'erp-inventory-to-bigcommerce' });
    const again = run.verify({ criteria: stockCriteria });
    // The spec accepts the change, so the dead letter is not a reason to lose it (DESIGN.md section 4).
    expect(again.measures['inventory.lost']).toBe(1);
    expect(again.measures['inventory.deadLettered']).toBe(0);
    expect(again.measures['inventory.deadLetteredUnjustified']).toBe(1);
    expect(again.verdict).toBe('fail');
  });

  it('calls a stale count written after a newer change corrupted, with the field and both values', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(MINUTE);
    publishStock(run, sku, 12);
    run.advance(MINUTE);
    // The integration read the feed before the second change and writes the first count late.
    writeStock(run, sku, 40);
    run.advance(30 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    const [first, second] = inventoryOf(v).records;
    expect(first!.outcome).toBe('correct');
    expect(second!.outcome).toBe('corrupted');
    expect(second!.diffs).toEqual([{ field: 'inventory_level', expected: 12, actual: 40 }]);
    expect(v.criteria.find((c) => c.id === 'no-wrong-stock')!.passed).toBe(false);
  });

  it('does not take a shopper order that happens to leave the published count for a write', () => {
    const run = createTestRun();
    const product = [...run.store.products.values()].find((p) => p.inventory_tracking === 'product' && p.inventory_level > 1)!;
    const level = run.store.variantsOf(product.id)[0]!.inventory_level;
    // The ERP counts one sold; the store takes one on a shopper order, but nobody synced the ERP.
    publishStock(run, product.sku, level - 1);
    run.advance(MINUTE);
    run.ledgerEntry({ kind: 'resource:updated', resource: 'variant', id: product.base_variant_id, body: { ...run.store.variantsOf(product.id)[0]!, inventory_level: level - 1 }, cause: 'order' });
    run.advance(30 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    expect(v.measures['inventory.lost']).toBe(1);
  });

  it('needs no write for a change back to the count the integration last wrote', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    writeStock(run, sku, 40);
    run.advance(MINUTE);
    publishStock(run, sku, 38);
    run.advance(2 * MINUTE);
    // Back to 40 before the integration polled: the 38 was superseded by a value the store holds.
    publishStock(run, sku, 40);
    run.advance(30 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    expect(inventoryOf(v).records.map((r) => [r.outcome, r.latencyMs])).toEqual([
      ['correct', 0],
      ['correct', 2 * MINUTE],
      ['correct', 0],
    ]);
    expect(v.verdict).toBe('pass');
  });

  it('treats a change of the last minutes that has not arrived as in flight, not lost', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(2 * MINUTE);
    writeStock(run, sku, 40);
    run.advance(MINUTE);
    publishStock(run, sku, 30);
    run.advance(5 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    expect(v.measures['inventory.lost']).toBe(0);
    expect(v.measures['inventory.inFlight']).toBe(1);
    expect(inventoryOf(v).note).toMatch(/in flight, not lost/);
  });

  it('attributes a change lost after a 429 on the adjustment to the rate-limit-breach pattern', () => {
    const run = createTestRun();
    const sku = stockedSku(run);
    publishStock(run, sku, 40);
    run.advance(MINUTE);
    run.request('PUT', '/stores/stest/v3/inventory/adjustments/absolute', 429);
    run.advance(30 * MINUTE);
    const v = run.verify({ criteria: stockCriteria });
    const finding = v.findings.find((f) => f.pattern === 'rate-limit-breach' && f.stream === 'inventory');
    expect(finding?.evidence[0]?.ref).toBe(`stock change ${sku} #1`);
    expect(finding?.evidence[0]?.detail).toMatch(/got a 429/);
  });

  it('cannot judge the flow without a record of what the ERP published, and says why', () => {
    const run = createTestRun();
    const v = run.verify({ criteria: stockCriteria });
    expect(inventoryOf(v).available).toBe(false);
    const c = v.criteria.find((x) => x.id === 'no-lost-stock-changes')!;
    expect(c.passed).toBe(false);
    expect(c.note).toMatch(/published-erp\.jsonl/);
  });

  it('judges a stream a criterion measures even where the integration never wrote it', () => {
    const resolved = resolveCriteria({ config: { scope: ['orders'], criteria: [stockCriteria[0]!] } });
    expect(resolved.scope).toEqual(['orders', 'inventory']);
  });
});

describe('the verifier on ERP price list → BigCommerce products', () => {
  const priceCriteria: Criterion[] = [
    { id: 'no-lost-price-changes', name: 'n', flow: 'catalog', measure: 'prices.lost', op: '==', limit: 0, why: 'w', source: 'scenario' },
    { id: 'no-wrong-prices', name: 'n', flow: 'catalog', measure: 'prices.corrupted', op: '==', limit: 0, why: 'w', source: 'scenario' },
  ];
  const priceRecord = (p: { id: number; sku: string; price: number; cost_price: number; upc: string }, listPrice: number) => ({
    itemNo: p.sku,
    webId: p.id,
    description: 'x',
    listPrice,
    salePrice: null,
    costPrice: p.cost_price,
    currency: 'USD',
    weightKg: null,
    upc: p.upc.slice(0, 14),
    status: 'ACTIVE',
    updatedAt: '2026-11-27T12:00:00Z',
  });

  it('passes a batch update that carries the new price, and names the field when it does not', () => {
    const run = createTestRun();
    const product = [...run.store.products.values()][3]!;
    run.publish('erp', 'price-list', product.sku, priceRecord(product, 19.99));
    run.advance(2 * MINUTE);
    run.request('PUT', '/stores/stest/v3/catalog/products', 200);
    run.store.updateProducts([{ id: product.id, sku: product.sku, price: 19.99, sale_price: 0, cost_price: product.cost_price, availability: 'available', is_visible: true, upc: product.upc.slice(0, 14) }]);
    run.advance(30 * MINUTE);
    const ok = run.verify({ criteria: priceCriteria });
    expect(ok.measures['prices.correct']).toBe(1);
    expect(ok.measures['prices.syncLatencyP95Seconds']).toBe(120);
    expect(ok.verdict).toBe('pass');

    run.publish('erp', 'price-list', product.sku, priceRecord(product, 24.5));
    run.advance(MINUTE);
    run.request('PUT', '/stores/stest/v3/catalog/products', 200);
    // Written with the cents dropped: a corrupted price.
    run.store.updateProducts([{ id: product.id, price: 24 }]);
    run.advance(30 * MINUTE);
    const bad = run.verify({ criteria: priceCriteria });
    const record = bad.streams.find((s) => s.stream.id === 'prices')!.records.at(-1)!;
    expect(record.outcome).toBe('corrupted');
    expect(record.diffs).toEqual([{ field: 'price', expected: 24.5, actual: 24 }]);
    expect(bad.verdict).toBe('fail');
  });
});

describe('the UAT drain backlog of the flows into the store', () => {
  it('counts items whose newest published value the store does not hold, once the integration writes the flow', () => {
    const backlog = createCatalogBacklog(specs());
    backlog.published({ system: 'erp', resource: 'inventory', body: stockRecord('SKU-1', 40) });
    backlog.published({ system: 'erp', resource: 'inventory', body: stockRecord('SKU-2', 5) });
    // The integration has not written inventory at all: nothing to wait for.
    expect(backlog.pending()).toBe(0);
    backlog.stored('variant', { id: 1, sku: 'SKU-1', inventory_level: 40 });
    expect(backlog.pending()).toBe(1);
    const live = { id: 2, sku: 'SKU-2', inventory_level: 5 };
    backlog.stored('variant', live);
    expect(backlog.pending()).toBe(0);
    // The store's object changes when a shopper buys one; that is not a write of the flow.
    live.inventory_level = 3;
    expect(backlog.pending()).toBe(0);
    backlog.published({ system: 'erp', resource: 'inventory', body: stockRecord('SKU-2', 4) });
    expect(backlog.pending()).toBe(1);
    // A negative available is clamped to 0 by the spec, which is what the store must hold.
    backlog.published({ system: 'erp', resource: 'inventory', body: stockRecord('SKU-2', -3) });
    backlog.stored('variant', { id: 2, sku: 'SKU-2', inventory_level: 0 });
    expect(backlog.pending()).toBe(0);
  });
});

describe('the verifier on the other flows into the store', () => {
  const criteria = (stream: string): Criterion[] => [
    { id: `no-lost-${stream}`, name: 'n', flow: 'shipments', measure: `${stream}.lost`, op: '==', limit: 0, why: 'w', source: 'config' },
    { id: `no-wrong-${stream}`, name: 'n', flow: 'shipments', measure: `${stream}.corrupted`, op: '==', limit: 0, why: 'w', source: 'config' },
    { id: `no-duplicate-${stream}`, name: 'n', flow: 'shipments', measure: `${stream}.duplicated`, op: '==', limit: 0, why: 'w', source: 'config' },
  ];
  const spec = (name: string) => specs().find((s) => s.spec.name === name)!;

  /** A placed order and the 3PL's shipment of all of it, as the 3PL publishes it. */
  function shippedOrder(run: TestRun, trackingNumber = '1Z999AA10123456784') {
    const [id] = run.place('typical');
    const order = run.snapshot(id!) as { id: number; products: { id: number; sku: string; quantity: number }[]; shipping_addresses: { id: number }[] };
    const shipment = {
      shipmentId: `BC-${id}-${order.shipping_addresses[0]!.id}`,
      fulfillmentOrderRef: `BC-${id}`,
      orderRef: String(id),
      consignmentRef: order.shipping_addresses[0]!.id,
      carrier: 'UPS',
      service: 'Ground',
      trackingNumber,
      trackingUrl: `https://www.ups.com/track?tracknum=${trackingNumber}`,
      shippedAt: '2026-11-27T12:00:00Z',
      packages: 2,
      weightGrams: 1200,
      lines: order.products.map((p) => ({ lineRef: p.id, sku: p.sku, quantity: p.quantity })),
      updatedAt: '2026-11-27T12:00:00Z',
    };
    return { id: id!, shipment };
  }

  it('finds the shipment an integration created from a 3PL shipment, and calls a second one a duplicate', async () => {
    const { applyMapping } = await import('../../src/mappings/apply-mapping.ts');
    const run = createTestRun();
    const { id, shipment } = shippedOrder(run);
    run.publish('3pl', 'shipment', shipment.shipmentId, shipment);
    run.advance(4 * MINUTE);
    const mapped = applyMapping(spec('3pl-shipments-to-bigcommerce'), shipment);
    expect(mapped.errors).toEqual([]);
    run.store.createShipment(id, mapped.record as never);
    run.advance(40 * MINUTE);
    const ok = run.verify({ criteria: criteria('shipments') });
    const stream = ok.streams.find((s) => s.stream.id === 'shipments')!;
    expect(stream.records.map((r) => [r.sourceId, r.outcome, r.latencyMs])).toEqual([[shipment.shipmentId, 'correct', 4 * MINUTE]]);
    expect(ok.verdict).toBe('pass');

    // Posted twice, a line each time: the platform keeps no external reference to stop it.
    const again = createTestRun();
    let second = shippedOrder(again);
    while (second.shipment.lines.length < 2) second = shippedOrder(again);
    again.publish('3pl', 'shipment', second.shipment.shipmentId, second.shipment);
    const whole = applyMapping(spec('3pl-shipments-to-bigcommerce'), second.shipment).record as { items: unknown[] };
    again.store.createShipment(second.id, { ...whole, items: [whole.items[0]] } as never);
    again.store.createShipment(second.id, { ...whole, items: [whole.items[1]] } as never);
    again.advance(40 * MINUTE);
    const v = again.verify({ criteria: criteria('shipments') });
    const record = v.streams.find((s) => s.stream.id === 'shipments')!.records[0]!;
    expect(record.duplicates).toBe(1);
    expect(v.measures['shipments.duplicated']).toBe(1);
    // Each carries one of every line where the 3PL shipped them all: wrong, field by field.
    expect(record.outcome).toBe('corrupted');
    expect(record.diffs!.some((d) => /^items\[1\]/.test(d.field))).toBe(true);
  });

  it('wants a shipment the spec rejects (a 55-character freight reference) dead-lettered, and matches the engine\'s bc.shipment target', () => {
    const run = createTestRun();
    const { shipment } = shippedOrder(run, `JJD${'A'.repeat(52)}`);
    run.publish('3pl', 'shipment', shipment.shipmentId, shipment);
    run.advance(40 * MINUTE);
    const lost = run.verify({ criteria: criteria('shipments') });
    expect(lost.measures['shipments.expectedDeadLetters']).toBe(1);
    expect(lost.measures['shipments.lost']).toBe(1);
    run.deadLetter(shipment.shipmentId, 'tracking_number: 55 characters; the target allows 50', { spec: '3pl-shipments-to-bigcommerce', target: 'bc.shipment' });
    const held = run.verify({ criteria: criteria('shipments') });
    expect(held.measures['shipments.lost']).toBe(0);
    expect(held.measures['shipments.deadLettered']).toBe(1);
  });

  it('judges an invoice by the order status and staff notes the store came to hold', async () => {
    const { applyMapping } = await import('../../src/mappings/apply-mapping.ts');
    const run = createTestRun();
    const [id] = run.place('typical');
    const invoice = { invoiceNo: 'INV0000001', orderRef: String(id), customerNo: 'C1', invoiceDate: '2026-11-27', dueDate: '2026-11-27', status: 'PAID', currency: 'USD', amount: 120.5, amountPaid: 120.5, paymentMethod: 'CARD', paidAt: '2026-11-27T12:00:00Z', updatedAt: '2026-11-27T12:00:00Z' };
    run.publish('erp', 'invoice', invoice.invoiceNo, invoice);
    run.advance(40 * MINUTE);
    const lost = run.verify({ criteria: criteria('invoices') });
    expect(lost.measures['invoices.lost']).toBe(1);
    expect(lost.criteria.find((c) => c.id === 'no-lost-invoices')!.evidence[0]).toContain('invoice change INV0000001 #1');

    const mapped = applyMapping(spec('erp-invoices-to-order-status'), invoice).record as { status_id: number; staff_notes: string };
    expect(mapped.status_id).toBe(10);
    run.store.updateOrder(id!, mapped);
    // Shipping it later moves the status on; the invoice was carried when the order held it.
    run.advance(5 * MINUTE);
    run.store.updateOrder(id!, { status_id: 2 });
    run.advance(40 * MINUTE);
    const synced = run.verify({ criteria: criteria('invoices') });
    expect(synced.measures['invoices.correct']).toBe(1);
    expect(synced.measures['invoices.syncLatencyP95Seconds']).toBe(2400);
  });

  it('wants a sales rep\'s edit of a CRM contact on the customer, and does not ask for an echo of the store\'s own values', async () => {
    const { applyMapping } = await import('../../src/mappings/apply-mapping.ts');
    const run = createTestRun();
    const customer = [...run.store.customers.values()][0]!;
    const contact = { email: customer.email.toLowerCase(), firstName: customer.first_name, lastName: customer.last_name, company: customer.company, phone: customer.phone, accountTier: 'Retail', lifecycleStage: 'customer', bigcommerceCustomerId: customer.id, source: 'bigcommerce', createdAt: '2026-11-27T12:00:00Z', updatedAt: '2026-11-27T12:00:00Z' };
    // The integration wrote the customer to the CRM; the CRM's record echoes the store's values.
    run.store.updateCustomers([{ id: customer.id, company: customer.company }]);
    run.publish('crm', 'contact', contact.email, contact);
    run.advance(MINUTE);
    // A sales rep fixes the phone number: that must reach the store.
    const edited = { ...contact, phone: '+1 555 0100200' };
    run.publish('crm', 'contact', contact.email, edited);
    run.advance(40 * MINUTE);
    const before = run.verify({ criteria: criteria('contacts') });
    const records = before.streams.find((s) => s.stream.id === 'contacts')!.records;
    expect(records.map((r) => r.outcome)).toEqual(['correct', 'lost']);

    const mapped = applyMapping(spec('crm-contact-to-customers'), edited).record as { id: number; phone: string };
    run.store.updateCustomers([{ id: mapped.id, phone: mapped.phone }]);
    run.advance(40 * MINUTE);
    expect(run.verify({ criteria: criteria('contacts') }).measures['contacts.lost']).toBe(0);
  });

  it('finds the refund an ERP credit memo became through the memo number in its reason, and ignores the memos the store wrote', async () => {
    const { applyMapping } = await import('../../src/mappings/apply-mapping.ts');
    const run = createTestRun();
    const [id] = run.place('typical');
    const order = run.snapshot(id!) as { products: { id: number; price_inc_tax: string }[] };
    const line = order.products[0]!;
    const memo = { externalId: 'CM000001', origin: 'ERP', orderRef: String(id), memoDate: '2026-11-27', reasonCode: 'RETURN', reasonText: 'Returned to warehouse', refundMethod: 'ORIGINAL', currency: 'USD', total: 10, taxTotal: 0, lines: [{ lineNo: 1, type: 'ITEM', orderLineRef: line.id, quantity: 1, amount: 10 }], createdAt: '2026-11-27T12:00:00Z' };
    run.publish('erp', 'credit-memo', memo.externalId, memo);
    // A memo the store's own refund produced (the other direction) is not to be refunded again.
    run.publish('erp', 'credit-memo', 'R-77', { ...memo, externalId: 'R-77', origin: 'BIGCOMMERCE' });
    run.advance(3 * MINUTE);
    const mapped = applyMapping(spec('erp-credit-memos-to-refunds'), memo);
    expect(mapped.errors).toEqual([]);
    const request = mapped.record as { items: { item_type: 'PRODUCT'; item_id: number; quantity: number; reason: string }[] };
    run.store.createRefund(id!, { items: request.items.map((i) => ({ item_type: i.item_type, item_id: i.item_id, quantity: i.quantity, reason: i.reason })), payments: [{ provider_id: 'testgateway', amount: 10, offline: false }] });
    run.advance(40 * MINUTE);
    const v = run.verify({ criteria: criteria('creditMemos') });
    const stream = v.streams.find((s) => s.stream.id === 'creditMemos')!;
    expect(stream.records.map((r) => [r.sourceId, r.outcome])).toEqual([['CM000001', 'correct']]);
    expect(stream.measures.skipped).toBe(1);
    expect(v.verdict).toBe('pass');
  });
});
