import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../support/simulator.ts';

let sim: TestSim;
beforeAll(async () => {
  // Enterprise (unlimited) so the many calls here never meet the quota.
  sim = await startTestSim({ plan: 'enterprise' });
});
afterAll(async () => {
  await sim.close();
});

describe('V2 orders', () => {
  it('lists orders by id range, status and customer, sorted and paged', async () => {
    await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 12 });
    const all = await sim.api('GET', '/v2/orders?limit=250');
    expect(all.status).toBe(200);
    const ids = all.body.map((o: any) => o.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    const range = await sim.api('GET', `/v2/orders?min_id=${ids[3]}&max_id=${ids[6]}`);
    expect(range.body.map((o: any) => o.id)).toEqual(ids.slice(3, 7));
    const desc = await sim.api('GET', '/v2/orders?sort=id:desc&limit=3&page=2');
    expect(desc.body.map((o: any) => o.id)).toEqual([...ids].reverse().slice(3, 6));
    const awaiting = await sim.api('GET', '/v2/orders?status_id=11&limit=250');
    expect(awaiting.body.every((o: any) => o.status_id === 11)).toBe(true);
    const customerId = all.body.find((o: any) => o.customer_id > 0).customer_id;
    const mine = await sim.api('GET', `/v2/orders?customer_id=${customerId}`);
    expect(mine.body.every((o: any) => o.customer_id === customerId)).toBe(true);
  });

  it('filters by date modified in RFC-2822 and ISO-8601 alike', async () => {
    await sim.control('POST', '/clock', { advanceMs: 3_600_000 });
    const since = new Date(Date.parse((await sim.control('GET', '/clock')).body.now));
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 2 });
    const iso = await sim.api('GET', `/v2/orders?min_date_modified=${encodeURIComponent(since.toISOString())}`);
    expect(iso.body.map((o: any) => o.id)).toEqual(placed.body.ids);
    const rfc = await sim.api('GET', `/v2/orders?min_date_modified=${encodeURIComponent(since.toUTCString().replace('GMT', '+0000'))}`);
    expect(rfc.body.map((o: any) => o.id)).toEqual(placed.body.ids);
    const none = await sim.api('GET', `/v2/orders?min_date_created=${encodeURIComponent(new Date(since.getTime() + 86_400_000).toISOString())}`);
    expect(none.status).toBe(204);
  });

  it('renders money as 4-decimal strings, dates as RFC-2822 and sub-resources as links', async () => {
    const [id] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids;
    const order = (await sim.api('GET', `/v2/orders/${id}`)).body;
    expect(order.total_inc_tax).toMatch(/^\d+\.\d{4}$/);
    expect(order.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(order.products).toEqual({ url: expect.stringContaining(`/v2/orders/${id}/products`), resource: `/orders/${id}/products` });
    const products = (await sim.api('GET', `/v2/orders/${id}/products`)).body;
    expect(products.length).toBeGreaterThan(0);
    expect(products[0]).toMatchObject({ order_id: id, price_inc_tax: expect.stringMatching(/^\d+\.\d{4}$/) });
  });

  it('includes consignments with their line items when asked', async () => {
    const [id] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'worst-case', count: 1 })).body.ids;
    const legacy = (await sim.api('GET', `/v2/orders/${id}?include=consignments`)).body;
    expect(Array.isArray(legacy.consignments)).toBe(true);
    const object = (await sim.api('GET', `/v2/orders/${id}?include=consignments.line_items&consignment_structure=object`)).body;
    expect(object.consignments.shipping.length).toBe(3);
    expect(object.consignments.shipping[0].line_items[0]).toHaveProperty('sku');
  });

  it('moves an order through a status update and a full shipment', async () => {
    const [id] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids;
    expect((await sim.api('GET', `/v2/orders/${id}/shipments`)).status).toBe(204);
    const updated = await sim.api('PUT', `/v2/orders/${id}`, { status_id: 9 });
    expect(updated.body).toMatchObject({ status_id: 9, status: 'Awaiting Shipment' });
    const lines = (await sim.api('GET', `/v2/orders/${id}/products`)).body.filter((p: any) => p.type === 'physical');
    const [address] = (await sim.api('GET', `/v2/orders/${id}/shipping_addresses`)).body;
    if (lines.length === 0) return;
    const shipment = await sim.api('POST', `/v2/orders/${id}/shipments`, {
      order_address_id: address.id,
      tracking_number: '1Z999AA10123456784',
      tracking_carrier: 'ups',
      items: lines.map((l: any) => ({ order_product_id: l.id, quantity: l.quantity })),
    });
    expect(shipment.status).toBe(201);
    expect(shipment.body).toMatchObject({ order_id: id, tracking_number: '1Z999AA10123456784', shipping_address: expect.objectContaining({ zip: address.zip }) });
    const order = (await sim.api('GET', `/v2/orders/${id}`)).body;
    expect(order).toMatchObject({ status_id: 2, status: 'Shipped' });
    expect(order.date_shipped).not.toBe('');
    const again = await sim.api('POST', `/v2/orders/${id}/shipments`, { order_address_id: address.id, items: [{ order_product_id: lines[0].id, quantity: 1 }] });
    expect(again.status).toBe(422);
    expect(Array.isArray(again.body)).toBe(true);
    const listed = await sim.api('GET', `/v2/orders/${id}/shipments`);
    expect(listed.body).toHaveLength(1);
    expect((await sim.api('DELETE', `/v2/orders/${id}/shipments/${shipment.body.id}`)).status).toBe(204);
    // Deleting a shipment does not take the order out of Shipped.
    expect((await sim.api('GET', `/v2/orders/${id}`)).body.status_id).toBe(2);
  });

  it('creates an order through the API as Pending, and counts orders by status', async () => {
    const product = (await sim.api('GET', '/v3/catalog/products?limit=1&type=physical')).body.data[0];
    const created = await sim.api('POST', '/v2/orders', {
      billing_address: { first_name: 'Ada', last_name: 'Lovelace', street_1: '1 Analytical Way', city: 'London', zip: 'N1 9GU', country: 'United Kingdom', country_iso2: 'GB', email: 'ada@example.com' },
      products: [{ product_id: product.id, quantity: 2 }, { name: 'Engraving', quantity: 1, price_inc_tax: 5, price_ex_tax: 5 }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status_id: 1, status: 'Pending', items_total: 3 });
    const count = (await sim.api('GET', '/v2/orders/count')).body;
    expect(count.count).toBe(count.statuses.reduce((s: number, x: any) => s + x.count, 0));
    expect(count.statuses.find((s: any) => s.id === 1).count).toBeGreaterThanOrEqual(1);
  });

  it('refunds part of an order and moves it to Partially Refunded', async () => {
    const [id] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids;
    const [line] = (await sim.api('GET', `/v2/orders/${id}/products`)).body;
    const refund = await sim.api('POST', `/v3/orders/${id}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }] });
    expect(refund.status).toBe(201);
    const order = (await sim.api('GET', `/v2/orders/${id}`)).body;
    expect([4, 14]).toContain(order.status_id);
    expect(Number(order.refunded_amount)).toBeCloseTo(Number(line.price_inc_tax), 2);
    const transactions = (await sim.api('GET', `/v3/orders/${id}/transactions`)).body.data;
    expect(transactions.map((t: any) => t.event)).toContain('refund');
  });
});

describe('V3 catalog, inventory and customers', () => {
  it('lists products with variants and filters by id:in', async () => {
    const res = await sim.api('GET', '/v3/catalog/products?id:in=1,2,3&include=variants');
    expect(res.body.data.map((p: any) => p.id)).toEqual([1, 2, 3]);
    expect(res.body.data[0].variants.length).toBeGreaterThan(0);
    expect(res.body.meta.pagination).toMatchObject({ total: 3, count: 3, current_page: 1, total_pages: 1 });
  });

  it('updates up to 10 products in a batch and refuses 11 with 413', async () => {
    const ok = await sim.api('PUT', '/v3/catalog/products', Array.from({ length: 10 }, (_, i) => ({ id: i + 1, price: 10 + i })));
    expect(ok.status).toBe(200);
    expect(ok.body.data.map((p: any) => p.price)).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
    const tooMany = await sim.api('PUT', '/v3/catalog/products', Array.from({ length: 11 }, (_, i) => ({ id: i + 1, price: 1 })));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.title).toBe('The request payload is too large. The maximum items allowed in the array is 10.');
    expect((await sim.api('GET', '/v3/catalog/products/11')).body.data.price).not.toBe(1);
  });

  it('refuses a relative inventory adjustment before any absolute one with 422', async () => {
    const created = await sim.api('POST', '/v3/catalog/products', { name: 'Fresh SKU without stock', type: 'physical', weight: 1, price: 9.5, sku: 'FRESH-1', inventory_tracking: 'product' });
    expect(created.status).toBe(200);
    const id = created.body.data.id;
    const relative = await sim.api('POST', '/v3/inventory/adjustments/relative', { reason: 'recount', items: [{ location_id: 1, product_id: id, quantity: 5 }] });
    expect(relative.status).toBe(422);
    expect(relative.body.title).toBe(`Items with identity: [product_id ${id}] requires absolute adjustment before relative`);
    const absolute = await sim.api('PUT', '/v3/inventory/adjustments/absolute', { reason: 'stock take', items: [{ location_id: 1, product_id: id, quantity: 40 }] });
    expect(absolute.status).toBe(200);
    expect(absolute.body.transaction_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sim.api('POST', '/v3/inventory/adjustments/relative', { items: [{ location_id: 1, product_id: id, quantity: -15 }] })).status).toBe(200);
    expect((await sim.api('GET', `/v3/catalog/products/${id}`)).body.data.inventory_level).toBe(25);
  });

  it('creates and updates customers in batches of at most 10', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => ({ email: `buyer${i}@example.org`, first_name: 'Buyer', last_name: `N${i}` }));
    const created = await sim.api('POST', '/v3/customers', batch);
    expect(created.status).toBe(200);
    expect(created.body.data).toHaveLength(10);
    const dup = await sim.api('POST', '/v3/customers', [batch[0]]);
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({ status: 422, title: 'Create customers failed.', type: expect.any(String), errors: expect.any(Object) });
    const found = await sim.api('GET', '/v3/customers?email:in=buyer3@example.org');
    expect(found.body.data).toHaveLength(1);
    const updated = await sim.api('PUT', '/v3/customers', [{ id: found.body.data[0].id, company: 'Acme Wholesale' }]);
    expect(updated.body.data[0].company).toBe('Acme Wholesale');
    expect((await sim.api('POST', '/v3/customers', [...batch, batch[0]])).status).toBe(413);
  });
});

describe('scopes', () => {
  it('lets a read-only account read but not write, with a 403 in the V3 shape', async () => {
    expect((await sim.api('GET', '/v3/catalog/products?limit=1', undefined, sim.readOnlyToken)).status).toBe(200);
    const denied = await sim.api('PUT', '/v3/catalog/products', [{ id: 1, price: 1 }], sim.readOnlyToken);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ status: 403, title: expect.stringContaining('You do not have permission'), type: '/api-docs/getting-started/api-status-codes' });
  });
});
