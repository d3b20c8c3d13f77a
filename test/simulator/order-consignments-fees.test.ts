/**
 * The rest of the orders documents (issue 13): consignments and the checkout's shipping quotes,
 * order fees with PUT semantics, shipping address updates, the delete-all operations, one refund by
 * id, and the order settings.
 */
import { describe, expect, it } from 'vitest';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';
import type { TestSim } from '../support/simulator.ts';

const { start } = useFamilySim();

async function apiOrder(s: TestSim, fees?: unknown[]): Promise<any> {
  const res = await s.api('POST', '/v2/orders', {
    billing_address: { first_name: 'Ana', last_name: 'Núñez', street_1: 'Calle 1', city: 'Madrid', zip: '28001', country: 'Spain', country_iso2: 'ES', email: 'ana@example.com' },
    products: [{ product_id: 2, quantity: 3 }],
    ...(fees ? { fees } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('order consignments and shipping quotes', () => {
  it("lists a placed order's products in its consignments, and the checkout's quote per shipping consignment", async () => {
    const s = await start();
    const placed = await s.control('POST', `/stores/${s.hash}/orders`, { profile: 'typical', count: 1 });
    const id = placed.body.ids[0];
    const products = (await s.api('GET', `/v2/orders/${id}/products`)).body;
    const addresses = (await s.api('GET', `/v2/orders/${id}/shipping_addresses`)).body;

    const full = await s.api('GET', `/v2/orders/${id}/consignments?include=consignments.line_items`);
    expect(full.status, full.text).toBe(200);
    expect(full.body.pickups).toEqual([]);
    const lines = [...full.body.shipping, ...full.body.downloads].flatMap((c: any) => c.line_items);
    expect(lines.map((l: any) => l.id).sort()).toEqual(products.map((p: any) => p.id).sort());
    expect(lines).toEqual(expect.arrayContaining(products));
    expect(full.body.shipping.map((c: any) => c.id)).toEqual(addresses.map((a: any) => a.id));

    const links = await s.api('GET', `/v2/orders/${id}/consignments`);
    expect(links.body.shipping[0].line_items[0]).toEqual({ url: expect.stringMatching(new RegExp(`/v2/orders/${id}/products/\\d+$`)), resource: expect.stringMatching(/^\/orders\/\d+\/products\/\d+$/) });
    expect((await s.api('GET', `/v2/orders/${id}/consignments?include=fees`)).status).toBe(400);

    const first = addresses[0];
    const quote = await s.api('GET', `/v2/orders/${id}/shipping_addresses/${first.id}/shipping_quotes`);
    expect(quote.status, quote.text).toBe(200);
    expect(quote.body).toMatchObject({ id: String(first.id), shipping_provider_id: 'bcstatic', shipping_provider_quote: [], method_id: first.shipping_method === 'Freight' ? 2 : first.country_iso2 === 'US' ? 1 : 4 });
    expect(quote.body).not.toHaveProperty('address_id');
    // The shipping consignment of that address has the same quote.
    expect((await s.api('GET', `/v2/orders/${id}/consignments/shipping/${first.id}/shipping_quotes`)).body).toEqual(quote.body);
    expect(full.body.shipping[0].shipping_quotes.resource).toBe(`/orders/${id}/consignments/shipping/${first.id}/shipping_quotes`);
    expect((await s.api('GET', `/v2/orders/${id}/shipping_addresses/999999/shipping_quotes`)).status).toBe(404);

    // The quote is what checkout left: a later change of the address (its method) does not rewrite it.
    const changed = await s.api('PUT', `/v2/orders/${id}/shipping_addresses/${first.id}`, { shipping_method: first.shipping_method === 'Freight' ? 'Flat Rate' : 'Freight', street_1: 'Somewhere else 1' });
    expect(changed.status, changed.text).toBe(200);
    expect((await s.api('GET', `/v2/orders/${id}/shipping_addresses/${first.id}/shipping_quotes`)).body).toEqual(quote.body);
    expect((await s.api('GET', `/v2/orders/${id}/consignments/shipping/${first.id}/shipping_quotes`)).body).toEqual(quote.body);
  });

  it('answers 204 for the quotes of an order made through the API, as the document says', async () => {
    const s = await start();
    const order = await apiOrder(s);
    const [address] = (await s.api('GET', `/v2/orders/${order.id}/shipping_addresses`)).body;
    expect((await s.api('GET', `/v2/orders/${order.id}/shipping_addresses/${address.id}/shipping_quotes`)).status).toBe(204);
    expect((await s.api('GET', `/v2/orders/${order.id}/consignments/shipping/${address.id}/shipping_quotes`)).status).toBe(204);
  });
});

describe('order fees', () => {
  it('replaces fees on PUT: with an id updated, without one created, left out deleted; totals follow', async () => {
    const s = await start();
    const order = await apiOrder(s, [{ type: 'custom_fee', display_name_customer: 'Handling', cost_ex_tax: 10, cost_inc_tax: 12 }]);
    expect(order.fees).toEqual({ url: expect.stringContaining(`/orders/${order.id}/fees`), resource: `/orders/${order.id}/fees` });
    const [handling] = (await s.api('GET', `/v2/orders/${order.id}/fees`)).body.fees;
    expect(handling).toEqual({ id: handling.id, type: 'custom_fee', display_name_customer: 'Handling', display_name_merchant: 'Handling', source: 'v2', base_cost: '10.0000', cost_ex_tax: '10.0000', cost_inc_tax: '12.0000', cost_tax: '2.0000', tax_class_id: null });
    const totalBefore = Number(order.total_inc_tax);

    const put = await s.api('PUT', `/v2/orders/${order.id}`, {
      fees: [
        { id: handling.id, type: 'custom_fee', display_name_merchant: 'Handling (merchant)', cost_ex_tax: '20.0000', cost_tax: '4.0000', tax_class_id: 2 },
        { type: 'custom_fee', display_name_customer: 'Insurance', cost_inc_tax: 5, cost_tax: 1 },
      ],
    });
    expect(put.status, put.text).toBe(200);
    const fees = (await s.api('GET', `/v2/orders/${order.id}?include=fees`)).body.fees;
    expect(fees).toHaveLength(2);
    expect(fees[0]).toMatchObject({ id: handling.id, display_name_merchant: 'Handling (merchant)', display_name_customer: 'Handling (merchant)', cost_ex_tax: '20.0000', cost_inc_tax: '24.0000', cost_tax: '4.0000', tax_class_id: 2 });
    expect(fees[1]).toMatchObject({ display_name_customer: 'Insurance', cost_ex_tax: '4.0000', cost_inc_tax: '5.0000', cost_tax: '1.0000' });
    expect(fees[1].id).not.toBe(handling.id);
    expect(Number(put.body.total_inc_tax)).toBeCloseTo(totalBefore - 12 + 24 + 5, 2);

    // Left out: deleted. `fees: []` deletes them all.
    await s.api('PUT', `/v2/orders/${order.id}`, { fees: [fees[1]] });
    expect((await s.api('GET', `/v2/orders/${order.id}/fees`)).body.fees.map((f: any) => f.id)).toEqual([fees[1].id]);
    const cleared = await s.api('PUT', `/v2/orders/${order.id}`, { fees: [] });
    expect((await s.api('GET', `/v2/orders/${order.id}/fees`)).body).toEqual({ fees: [] });
    expect(Number(cleared.body.total_inc_tax)).toBeCloseTo(totalBefore - 12, 2);
    // An update without `fees` keeps them (only fees follow PUT semantics).
    await s.api('PUT', `/v2/orders/${order.id}`, { fees: [{ display_name_customer: 'Kept', cost_ex_tax: 1, cost_inc_tax: 1 }] });
    await s.api('PUT', `/v2/orders/${order.id}`, { staff_notes: 'checked' });
    expect((await s.api('GET', `/v2/orders/${order.id}/fees`)).body.fees.map((f: any) => f.display_name_customer)).toEqual(['Kept']);
  });

  it('refuses inconsistent or incomplete fees with a V2 400 naming the fee, changing nothing', async () => {
    const s = await start();
    const order = await apiOrder(s);
    const cases: [unknown, string][] = [
      [{ display_name_customer: 'X', cost_ex_tax: 10 }, 'fees[0].cost_ex_tax'],
      [{ display_name_customer: 'X', cost_ex_tax: 10, cost_inc_tax: 12, cost_tax: 1 }, 'fees[0].cost_tax'],
      [{ cost_ex_tax: 10, cost_inc_tax: 12 }, 'fees[0].display_name_customer'],
      [{ id: 999, display_name_customer: 'X', cost_ex_tax: 1, cost_inc_tax: 1 }, 'fees[0].id'],
      [{ display_name_customer: 'X', cost_ex_tax: 'ten', cost_inc_tax: 1 }, 'fees[0].cost_ex_tax'],
    ];
    for (const [fee, field] of cases) {
      const res = await s.api('PUT', `/v2/orders/${order.id}`, { staff_notes: 'not saved', fees: [fee] });
      expect(res.status, JSON.stringify(fee)).toBe(400);
      expect(Object.keys(res.body[0].details.invalid_reason), JSON.stringify(fee)).toContain(field);
    }
    // A new order has no fee an id could name.
    const withId = await s.api('POST', '/v2/orders', { billing_address: { zip: '28001', email: 'x@example.com' }, products: [{ product_id: 2, quantity: 1 }], fees: [{ id: 1, display_name_customer: 'X', cost_ex_tax: 1, cost_inc_tax: 1 }] });
    expect(withId.status).toBe(400);
    expect(withId.body[0].details.invalid_reason).toHaveProperty(['fees[0].id']);
    const after = (await s.api('GET', `/v2/orders/${order.id}`)).body;
    expect(after.staff_notes).toBe('');
    expect((await s.api('GET', `/v2/orders/${order.id}/fees`)).body).toEqual({ fees: [] });
  });
});

describe('shipping address updates, delete-all operations and one refund', () => {
  it('updates a shipping address without recalculating its cost, raising store/order/updated', async () => {
    const s = await start();
    const order = await apiOrder(s);
    const [address] = (await s.api('GET', `/v2/orders/${order.id}/shipping_addresses`)).body;
    const res = await s.api('PUT', `/v2/orders/${order.id}/shipping_addresses/${address.id}`, { street_1: 'Gran Vía 2', zip: '28013' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: address.id, street_1: 'Gran Vía 2', zip: '28013', cost_inc_tax: address.cost_inc_tax, shipping_quotes: { resource: `/orders/${order.id}/shipping_addresses/${address.id}/shipping_quotes` } });
    const readOnlyField = await s.api('PUT', `/v2/orders/${order.id}/shipping_addresses/${address.id}`, { items_total: 9 });
    expect(readOnlyField.status).toBe(400);
    expect(readOnlyField.body[0].details.invalid_reason).toHaveProperty('items_total');
    expect((await s.api('PUT', `/v2/orders/${order.id}/shipping_addresses/999999`, { city: 'X' })).status).toBe(404);
    const events = (await ledgerOf(s, 'webhook:event')).filter((e) => e.scope === 'store/order/updated').map((e) => e.data.id);
    expect(events).toEqual([order.id]);
  });

  it('deletes every shipment of an order, and archives every order', async () => {
    const s = await start();
    const order = await apiOrder(s);
    const [address] = (await s.api('GET', `/v2/orders/${order.id}/shipping_addresses`)).body;
    const [line] = (await s.api('GET', `/v2/orders/${order.id}/products`)).body;
    for (const n of [1, 2]) expect((await s.api('POST', `/v2/orders/${order.id}/shipments`, { order_address_id: address.id, items: [{ order_product_id: line.id, quantity: 1 }] })).status).toBe(201);
    expect((await s.api('DELETE', `/v2/orders/${order.id}/shipments`)).status).toBe(204);
    expect((await s.api('GET', `/v2/orders/${order.id}/shipments`)).status).toBe(204);
    expect((await s.api('GET', `/v2/orders/${order.id}/products/${line.id}`)).body.quantity_shipped).toBe(0);
    expect((await ledgerOf(s, 'webhook:event')).filter((e) => e.scope === 'store/shipment/deleted')).toHaveLength(2);

    const live = (await s.api('GET', '/v2/orders/count')).body.count;
    expect(live).toBeGreaterThan(1);
    expect((await s.api('DELETE', '/v2/orders')).status).toBe(204);
    expect((await s.api('GET', '/v2/orders')).status).toBe(204);
    expect((await s.api('GET', `/v2/orders/${order.id}`)).body.is_deleted).toBe(true);
    expect((await ledgerOf(s, 'webhook:event')).filter((e) => e.scope === 'store/order/archived')).toHaveLength(live);
  });

  it('reads one refund by id, whatever its order, and 404s an unknown one', async () => {
    const s = await start();
    const orders = (await s.api('GET', '/v2/orders?limit=250')).body.filter((o: any) => Number(o.total_inc_tax) > 5 && o.payment_status === 'captured');
    const made = await s.api('POST', `/v3/orders/${orders[0].id}/payment_actions/refunds`, { items: [{ item_type: 'ORDER', item_id: orders[0].id, amount: 5 }] });
    expect(made.status, made.text).toBe(201);
    const got = await s.api('GET', `/v3/orders/payment_actions/refunds/${made.body.data.id}`);
    expect(got.body).toEqual({ data: made.body.data, meta: {} });
    const missing = await s.api('GET', '/v3/orders/payment_actions/refunds/987654');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, title: expect.stringContaining('refund') });
  });
});

describe('order settings', () => {
  it('keeps global notification emails and per-channel overrides that fall back with null', async () => {
    const s = await start();
    const seeded = await s.api('GET', '/v3/orders/settings');
    expect(seeded.body.data.notifications.order_placed.email_addresses).toEqual([expect.stringMatching(/^orders@/)]);
    expect(seeded.body.data.notifications.forward_invoice.email_addresses).toEqual([]);

    const put = await s.api('PUT', '/v3/orders/settings', { notifications: { forward_invoice: { email_addresses: ['ap@example.com'] } } });
    expect(put.status, put.text).toBe(200);
    // Partial: the order_placed list is kept.
    expect(put.body.data.notifications).toEqual({ order_placed: seeded.body.data.notifications.order_placed, forward_invoice: { email_addresses: ['ap@example.com'] } });
    expect((await s.api('PUT', '/v3/orders/settings', { notifications: { order_placed: { email_addresses: null } } })).status).toBe(422);
    const bad = await s.api('PUT', '/v3/orders/settings', { notifications: { order_placed: { email_addresses: ['ok@example.com', 'not-an-email'] } } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).join()).toMatch(/email_addresses/);

    expect((await s.api('GET', '/v3/orders/settings/channels/1')).body.data.notifications).toEqual({ order_placed: { email_addresses: null }, forward_invoice: { email_addresses: null } });
    const channel = await s.api('PUT', '/v3/orders/settings/channels/2', { notifications: { order_placed: { email_addresses: [] } } });
    expect(channel.body.data.notifications).toEqual({ order_placed: { email_addresses: [] }, forward_invoice: { email_addresses: null } });
    const reset = await s.api('PUT', '/v3/orders/settings/channels/2', { notifications: { order_placed: { email_addresses: null } } });
    expect(reset.body.data.notifications.order_placed.email_addresses).toBeNull();
    expect((await s.api('GET', '/v3/orders/settings/channels/99')).status).toBe(404);
    const badChannel = await s.api('PUT', '/v3/orders/settings/channels/2', { notifications: { order_placed: { email_addresses: ['nope'] } } });
    expect(badChannel.status).toBe(422);
    expect(badChannel.body.errors).toHaveProperty(['notifications.order_placed.email_addresses[0]']);
  });
});
