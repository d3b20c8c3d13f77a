/**
 * Behaviour of the order sub-resources (messages, taxes, capture, void, refund quotes, order
 * metafields) and customer metafields through real HTTP: the owners are the store's own orders and
 * customers, validation answers in the V2 or V3 shape naming the field, payment actions move the
 * order's payment status and raise its webhook, a quote changes nothing, and the ledger and OAuth
 * scopes apply.
 */
import { describe, expect, it } from 'vitest';
import type { TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const ledger = ledgerOf;

async function orders(s: TestSim): Promise<any[]> {
  return (await s.api('GET', '/v2/orders?limit=250&sort=id:asc')).body;
}

describe('order messages and taxes', () => {
  it("reads the seeded customer's message on its order, filters it, and 404s an unknown order", async () => {
    const s = await start();
    const withMessage = (await orders(s)).find((o) => o.customer_message.trim() !== '');
    expect(withMessage).toBeDefined();
    const list = await s.api('GET', `/v2/orders/${withMessage.id}/messages`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ order_id: withMessage.id, customer_id: withMessage.customer_id, message: withMessage.customer_message, type: 'customer', status: 'unread' })]);
    expect((await s.api('GET', `/v2/orders/${withMessage.id}/messages?status=read`)).status).toBe(204);
    const bad = await s.api('GET', `/v2/orders/${withMessage.id}/messages?is_flagged=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('is_flagged');
    expect((await s.api('GET', '/v2/orders/999999/messages')).status).toBe(404);
  });

  it("lists the taxes the order's products carry, so they add up to the order's product tax", async () => {
    const s = await start();
    const taxed = (await orders(s)).find((o) => Number(o.subtotal_tax) > 0);
    expect(taxed).toBeDefined();
    const taxes = await s.api('GET', `/v2/orders/${taxed.id}/taxes`);
    expect(taxes.status).toBe(200);
    const items = taxes.body.filter((t: any) => t.line_item_type === 'item');
    const products = (await s.api('GET', `/v2/orders/${taxed.id}/products`)).body;
    expect(items.reduce((sum: number, t: any) => sum + Number(t.line_amount), 0)).toBeCloseTo(products.reduce((sum: number, p: any) => sum + Number(p.total_tax), 0), 2);
    expect(new Set(items.map((t: any) => t.order_product_id))).toEqual(new Set(products.filter((p: any) => Number(p.total_tax) > 0).map((p: any) => String(p.id))));
  });
});

describe('payment actions', () => {
  it('captures or voids only an authorized payment, moving payment_status and raising store/order/updated', async () => {
    const s = await start();
    const [a, b] = (await orders(s)).filter((o) => o.payment_status === 'captured');
    const refused = await s.api('POST', `/v3/orders/${a.id}/payment_actions/capture`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toHaveProperty('payment_status');
    await s.api('PUT', `/v2/orders/${a.id}`, { payment_status: 'authorized' });
    await s.api('PUT', `/v2/orders/${b.id}`, { payment_status: 'authorized' });
    const before = (await ledger(s, 'webhook:event')).length;
    expect((await s.api('POST', `/v3/orders/${a.id}/payment_actions/capture`)).status).toBe(201);
    expect((await s.api('POST', `/v3/orders/${b.id}/payment_actions/void`)).status).toBe(201);
    expect((await s.api('GET', `/v2/orders/${a.id}`)).body.payment_status).toBe('capture pending');
    expect((await s.api('GET', `/v2/orders/${b.id}`)).body.payment_status).toBe('void pending');
    const events = (await ledger(s, 'webhook:event')).slice(before).filter((e) => e.scope === 'store/order/updated').map((e) => e.data.id);
    expect(events).toEqual([a.id, b.id]);
    // Captured once: a second capture is refused.
    expect((await s.api('POST', `/v3/orders/${a.id}/payment_actions/capture`)).status).toBe(422);
    expect((await s.api('POST', '/v3/orders/999999/payment_actions/void')).status).toBe(404);
    expect((await s.api('POST', `/v3/orders/${a.id}/payment_actions/capture`, undefined, s.readOnlyToken)).status).toBe(403);
  });

  it('quotes a refund with the refund rules and changes nothing', async () => {
    const s = await start();
    const order = (await orders(s))[0];
    const [line] = (await s.api('GET', `/v2/orders/${order.id}/products`)).body;
    const quote = await s.api('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }, { item_type: 'SHIPPING', item_id: 0, amount: 2 }] });
    expect(quote.status).toBe(201);
    expect(quote.body.data.total_refund_amount).toBeCloseTo(Number(line.price_inc_tax) + 2, 2);
    expect(quote.body.data.refund_methods[0][0].amount).toBe(quote.body.data.total_refund_amount);
    const after = (await s.api('GET', `/v2/orders/${order.id}`)).body;
    expect([after.refunded_amount, after.status_id]).toEqual([order.refunded_amount, order.status_id]);
    const tooMany = await s.api('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: line.quantity + 1 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toHaveProperty('items[0].quantity');
    const noAmount = await s.api('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'SHIPPING', item_id: 0 }] });
    expect(noAmount.body.errors).toHaveProperty('items[0].amount');
    const badType = await s.api('POST', `/v3/orders/${order.id}/payment_actions/refund_quotes`, { items: [{ item_type: 'SHOES', item_id: 0 }] });
    expect(badType.status).toBe(422);
    expect(badType.body.errors).toHaveProperty('items[0].item_type');
  });
});

describe('order and customer metafields', () => {
  it('keep metafields on the store orders and customers, with the ledger, per-owner keys and 404 for unknown owners', async () => {
    const s = await start();
    const order = (await orders(s))[0];
    const field = { namespace: 'erp', key: 'invoice', value: 'INV-1', permission_set: 'write' };
    const made = await s.api('POST', `/v3/orders/${order.id}/metafields`, field);
    expect(made.status).toBe(200);
    expect(made.body.data).toMatchObject({ resource_type: 'order', resource_id: order.id, key: 'invoice' });
    expect((await s.api('POST', `/v3/orders/${order.id}/metafields`, field)).status).toBe(409);
    expect((await s.api('POST', '/v3/orders/999999/metafields', field)).status).toBe(404);
    expect((await s.api('GET', '/v3/orders/999999/metafields')).status).toBe(404);
    const batch = await s.api('POST', '/v3/orders/metafields', [{ ...field, resource_id: 999999 }]);
    expect(batch.status).toBe(422);
    expect(batch.body.errors).toHaveProperty(['[0].resource_id']);
    const invalid = await s.api('POST', `/v3/orders/${order.id}/metafields`, { ...field, key: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toHaveProperty('key');

    // A customer made through the hand-written route can hold metafields at once.
    const customer = (await s.api('POST', '/v3/customers', [{ email: 'meta@example.com', first_name: 'Meta', last_name: 'Field' }])).body.data[0];
    const onCustomer = await s.api('POST', `/v3/customers/${customer.id}/metafields`, field);
    expect(onCustomer.body.data).toMatchObject({ resource_type: 'customer', resource_id: customer.id });
    // One table, separate owners: the order's metafields do not list the customer's.
    // The namespace leaves out the seeded ERP connector's metafields (metafields.ts).
    expect((await s.api('GET', '/v3/orders/metafields?namespace=erp')).body.data.map((m: any) => m.id)).toEqual([made.body.data.id]);
    expect((await s.api('GET', `/v3/customers/${customer.id}/metafields/${made.body.data.id}`)).status).toBe(404);
    const created = (await ledger(s, 'resource:created')).filter((e) => e.resource === 'metafield').map((e) => [e.body.resource_type, e.body.resource_id]);
    expect(created).toEqual([
      ['order', order.id],
      ['customer', customer.id],
    ]);
    expect((await s.api('POST', `/v3/customers/${customer.id}/metafields`, { ...field, key: 'x' }, s.readOnlyToken)).status).toBe(403);
  });
});
