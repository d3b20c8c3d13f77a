/**
 * Behaviour of the carts and checkouts families through real HTTP: a cart's life with the webhooks
 * it raises, amounts and stable line item ids; bad input as a 422 naming the field; a checkout
 * through billing address, consignment and shipping option to an order that is in /v2/orders with
 * the cart's items; and the cart kept in the store's own table (shopper carts, abandonment, reset).
 */
import { describe, expect, it } from 'vitest';
import { billingAddress, checkoutWithConsignment, newCart, productWithVariants, simpleProduct } from '../support/cart-fixtures.ts';
import type { TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();

/** `[scope, data]` of the webhook events raised since `since` (a count of earlier events). */
async function eventsSince(s: TestSim, since: number, prefix = 'store/cart/'): Promise<[string, any][]> {
  return (await ledgerOf(s, 'webhook:event')).slice(since).filter((e) => e.scope.startsWith(prefix)).map((e) => [e.scope, e.data]);
}
const eventCount = async (s: TestSim) => (await ledgerOf(s, 'webhook:event')).length;

describe('carts', () => {
  it('lives through create, add, update and delete, raising the documented scopes, with stable ids and consistent amounts', async () => {
    const s = await start();
    const a = await simpleProduct(s);
    const b = await simpleProduct(s, 1);
    const before = await eventCount(s);

    const made = await s.api('POST', '/v3/carts', { line_items: [{ product_id: a.product_id, quantity: 2 }] });
    expect(made.status, made.text).toBe(201);
    const cart = made.body.data;
    const first = cart.line_items.physical_items[0];
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first).toMatchObject({ product_id: a.product_id, variant_id: a.variant_id, quantity: 2, list_price: a.price, extended_sale_price: Math.round(a.price * 2 * 100) / 100 });
    expect(cart.base_amount).toBe(first.extended_sale_price);
    expect(cart.cart_amount).toBe(cart.base_amount);
    expect(await eventsSince(s, before)).toEqual([
      ['store/cart/created', { type: 'cart', id: cart.id }],
      ['store/cart/updated', { type: 'cart', id: cart.id }],
      ['store/cart/lineItem/created', { type: 'cart_line_item', id: first.id, cartId: cart.id }],
    ]);

    let mark = await eventCount(s);
    const added = await s.api('POST', `/v3/carts/${cart.id}/items`, { line_items: [{ product_id: b.product_id, quantity: 1, list_price: 3.25 }] });
    expect(added.status, added.text).toBe(201);
    const lines = added.body.data.line_items.physical_items;
    expect(lines.map((l: any) => l.id)[0]).toBe(first.id);
    const second = lines[1];
    expect(second).toMatchObject({ product_id: b.product_id, list_price: 3.25, sale_price: 3.25, extended_sale_price: 3.25 });
    expect(added.body.data.cart_amount).toBe(Math.round((first.extended_sale_price + 3.25) * 100) / 100);
    expect(await eventsSince(s, mark)).toEqual([
      ['store/cart/updated', { type: 'cart', id: cart.id }],
      ['store/cart/lineItem/created', { type: 'cart_line_item', id: second.id, cartId: cart.id }],
    ]);

    mark = await eventCount(s);
    const updated = await s.api('PUT', `/v3/carts/${cart.id}/items/${first.id}`, { line_item: { product_id: a.product_id, quantity: 5 } });
    expect(updated.status, updated.text).toBe(200);
    const five = updated.body.data.line_items.physical_items.find((l: any) => l.id === first.id);
    expect(five).toMatchObject({ quantity: 5, extended_sale_price: Math.round(a.price * 5 * 100) / 100 });
    expect(updated.body.data.base_amount).toBe(Math.round((five.extended_sale_price + 3.25) * 100) / 100);
    expect(await eventsSince(s, mark)).toEqual([
      ['store/cart/updated', { type: 'cart', id: cart.id }],
      ['store/cart/lineItem/updated', { type: 'cart_line_item', id: first.id, cartId: cart.id }],
    ]);
    // The ids stay what they were: a GET gives the same ones.
    expect((await s.api('GET', `/v3/carts/${cart.id}`)).body.data.line_items.physical_items.map((l: any) => l.id)).toEqual([first.id, second.id]);

    mark = await eventCount(s);
    const removed = await s.api('DELETE', `/v3/carts/${cart.id}/items/${first.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.data.line_items.physical_items.map((l: any) => l.id)).toEqual([second.id]);
    expect(removed.body.data.cart_amount).toBe(3.25);

    const last = await s.api('DELETE', `/v3/carts/${cart.id}/items/${second.id}`);
    expect(last.status).toBe(204);
    expect(last.text).toBe('');
    expect((await s.api('GET', `/v3/carts/${cart.id}`)).status).toBe(404);
    expect(await eventsSince(s, mark)).toEqual([
      ['store/cart/lineItem/deleted', { type: 'cart_line_item', id: first.id, cartId: cart.id }],
      ['store/cart/updated', { type: 'cart', id: cart.id }],
      ['store/cart/lineItem/deleted', { type: 'cart_line_item', id: second.id, cartId: cart.id }],
      ['store/cart/updated', { type: 'cart', id: cart.id }],
      ['store/cart/deleted', { type: 'cart', id: cart.id }],
    ]);
    // The ledger has the cart's whole life, as for every resource.
    const kinds = (await ledgerOf(s, 'resource:created,resource:updated,resource:deleted')).filter((e) => e.resource === 'cart' && e.id === cart.id).map((e) => e.kind);
    expect(kinds).toEqual(['resource:created', 'resource:updated', 'resource:updated', 'resource:updated', 'resource:updated', 'resource:deleted']);
  });

  it('sets the customer, deletes a cart, picks a variant from option selections and makes redirect URLs', async () => {
    const s = await start();
    const customer = (await s.api('GET', '/v3/customers?limit=1')).body.data[0];
    const cart = (await newCart(s, 1)).data;
    const put = await s.api('PUT', `/v3/carts/${cart.id}`, { customer_id: customer.id });
    expect(put.status, put.text).toBe(201);
    expect(put.body.data).toMatchObject({ customer_id: customer.id, email: customer.email });
    expect((await s.api('PUT', `/v3/carts/${cart.id}`, { customer_id: 999_999 })).body.errors).toEqual({ customer_id: 'customer 999999 not found' });

    const v = await productWithVariants(s);
    const byOptions = await s.api('POST', '/v3/carts?include=line_items.physical_items.options', { line_items: [{ product_id: v.product_id, quantity: 1, option_selections: v.options }] });
    expect(byOptions.status, byOptions.text).toBe(201);
    const line = byOptions.body.data.line_items.physical_items[0];
    expect(line.variant_id).toBe(v.variant_id);
    expect(line.options.map((o: any) => [o.nameId, o.valueId])).toEqual(v.options!.map((o) => [o.option_id, o.option_value]));

    const urls = await s.api('POST', `/v3/carts/${cart.id}/redirect_urls`, { query_params: { utm_source: 'mail' } });
    expect(urls.status, urls.text).toBe(201);
    expect(urls.body.data.checkout_url).toContain(`id=${cart.id}`);
    expect(urls.body.data.checkout_url).toContain('utm_source=mail');

    expect((await s.api('DELETE', `/v3/carts/${cart.id}`)).status).toBe(204);
    expect((await s.api('GET', `/v3/carts/${cart.id}`)).status).toBe(404);
    expect((await s.api('DELETE', `/v3/carts/${cart.id}`)).status).toBe(404);
  });

  it('refuses bad lines with a 422 naming the field', async () => {
    const s = await start();
    const a = await simpleProduct(s);
    const v = await productWithVariants(s);
    const refused = async (body: unknown) => {
      const res = await s.api('POST', '/v3/carts', body);
      expect(res.status, res.text).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: expect.any(String), type: expect.any(String) });
      return res.body.errors;
    };
    expect(await refused({ line_items: [{ product_id: 987_654, quantity: 1 }] })).toEqual({ 'line_items[0].product_id': 'product 987654 not found' });
    expect(Object.keys(await refused({ line_items: [{ product_id: a.product_id, quantity: 0 }] }))).toEqual(['line_items[0].quantity']);
    expect(Object.keys(await refused({ line_items: [{ product_id: a.product_id, quantity: 1.5 }] }))).toEqual(['line_items[0].quantity']);
    expect(await refused({ line_items: [{ product_id: a.product_id, quantity: 1 }, { product_id: v.product_id, quantity: 1 }] })).toEqual({ 'line_items[1].variant_id': `is required: product ${v.product_id} has variants` });
    expect(await refused({ line_items: [{ product_id: a.product_id, quantity: 1, variant_id: v.variant_id }] })).toEqual({ 'line_items[0].variant_id': `not a variant of product ${a.product_id}` });
    expect(Object.keys(await refused({ line_items: [{ product_id: v.product_id, quantity: 1, option_selections: [{ option_id: v.options![0]!.option_id, option_value: 999_999 }] }] }))).toEqual(['line_items[0].option_selections[0].option_value']);
    expect(Object.keys(await refused({ line_items: [] }))).toEqual(['line_items']);
    expect(await refused({ line_items: [{ product_id: a.product_id, quantity: 1 }], currency: { code: 'CAD' } })).toEqual({ 'currency.code': 'unknown or disabled currency' });
    // A required modifier (the seeded "Gift wrap" on the first products) must be selected.
    const wrapped = (await s.api('GET', '/v3/catalog/products?include=modifiers&limit=250')).body.data.find((p: any) => p.modifiers.some((m: any) => m.required));
    const errors = await refused({ line_items: [{ product_id: wrapped.id, quantity: 1 }] });
    expect(Object.keys(errors)).toEqual(['line_items[0].option_selections']);

    const cart = (await newCart(s, 1)).data;
    const item = cart.line_items.physical_items[0];
    const zero = await s.api('PUT', `/v3/carts/${cart.id}/items/${item.id}`, { line_item: { product_id: item.product_id, quantity: 0 } });
    expect(zero.status).toBe(422);
    expect(Object.keys(zero.body.errors)).toEqual(['line_item.quantity']);
    expect((await s.api('PUT', `/v3/carts/${cart.id}/items/not-an-item`, { line_item: { product_id: item.product_id, quantity: 1 } })).status).toBe(404);
    expect((await s.api('GET', '/v3/carts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // Read-only accounts read carts but do not write them.
    expect((await s.api('GET', `/v3/carts/${cart.id}`, undefined, s.readOnlyToken)).status).toBe(200);
    expect((await s.api('POST', '/v3/carts', { line_items: [{ product_id: item.product_id, quantity: 1 }] }, s.readOnlyToken)).status).toBe(403);
  });

  it('serves shopper carts from the same table, abandons API carts after an idle hour, and forgets carts on reset', async () => {
    const s = await start();
    const shopper = await s.control('POST', `/stores/${s.hash}/carts`, { count: 1, abandonAfterMinutes: 60 });
    const shopperCart = (await s.api('GET', `/v3/carts/${shopper.body.ids[0]}`)).body.data;
    expect(shopperCart.line_items.physical_items[0].id).toMatch(/^[0-9a-f-]{36}$/);

    const cart = (await newCart(s, 1)).data;
    await s.control('POST', '/clock', { advanceMs: 30 * 60_000 });
    // Activity half an hour in moves the abandonment on.
    const item = cart.line_items.physical_items[0];
    await s.api('PUT', `/v3/carts/${cart.id}/items/${item.id}`, { line_item: { product_id: item.product_id, quantity: 2 } });
    await s.control('POST', '/clock', { advanceMs: 31 * 60_000 });
    const abandonedIds = async () => (await ledgerOf(s, 'webhook:event')).filter((e) => e.scope === 'store/cart/abandoned').map((e) => e.data.id);
    expect(await abandonedIds()).toEqual([shopperCart.id]);
    await s.control('POST', '/clock', { advanceMs: 30 * 60_000 });
    expect(await abandonedIds()).toEqual([shopperCart.id, cart.id]);

    const reset = await s.control('POST', '/reset');
    expect(reset.status, reset.text).toBeLessThan(300);
    expect((await s.api('GET', `/v3/carts/${cart.id}`)).status).toBe(404);
  });
});

describe('checkouts', () => {
  it('turns a cart into an order through billing address, consignment and shipping option', async () => {
    const s = await start();
    const { cartId, consignment, checkout } = await checkoutWithConsignment(s);
    expect(checkout.id).toBe(cartId);
    expect(checkout.billing_address).toMatchObject({ email: billingAddress.email, country_code: 'US' });
    // The US zone's enabled methods (shipping family): Flat Rate 7 and Freight by weight.
    expect(consignment.available_shipping_options.map((o: any) => o.description)).toEqual(['Flat Rate', 'Freight']);
    expect(consignment.available_shipping_options[0]).toMatchObject({ type: 'shipping_perorder', cost: 7 });
    expect(consignment.selected_shipping_option).toBeUndefined();

    // No shipping option yet: refused, naming it.
    const early = await s.api('POST', `/v3/checkouts/${cartId}/orders`);
    expect(early.status, early.text).toBe(422);
    expect(early.body.errors).toEqual({ 'consignments[0].selected_shipping_option': 'is required: select a shipping option' });
    const wrong = await s.api('PUT', `/v3/checkouts/${cartId}/consignments/${consignment.id}`, { shipping_option_id: 'nope' });
    expect(wrong.body.errors).toEqual({ shipping_option_id: 'not one of the available shipping options' });

    const flat = consignment.available_shipping_options[0];
    const selected = await s.api('PUT', `/v3/checkouts/${cartId}/consignments/${consignment.id}`, { shipping_option_id: flat.id });
    expect(selected.status, selected.text).toBe(200);
    expect(selected.body.data.consignments[0].selected_shipping_option.id).toBe(flat.id);
    const cart = selected.body.data.cart;
    expect(selected.body.data.grand_total).toBe(Math.round((cart.cart_amount_inc_tax + 7) * 100) / 100);
    await s.api('PUT', `/v3/checkouts/${cartId}`, { customer_message: 'Leave it at the door' });

    const before = await eventCount(s);
    const placed = await s.api('POST', `/v3/checkouts/${cartId}/orders`);
    expect(placed.status, placed.text).toBe(200);
    const orderId = placed.body.data.id;
    expect(await eventsSince(s, before, 'store/')).toEqual(expect.arrayContaining([
      ['store/order/created', { type: 'order', id: orderId }],
      ['store/cart/converted', { type: 'cart', id: cartId, orderId }],
    ]));
    const scopes = (await eventsSince(s, before, 'store/')).map(([scope]) => scope);
    expect(scopes.indexOf('store/order/created')).toBeLessThan(scopes.indexOf('store/cart/converted'));

    const order = (await s.api('GET', `/v2/orders/${orderId}`)).body;
    expect(order).toMatchObject({ cart_id: cartId, status_id: 0, status: 'Incomplete', order_source: 'checkout_api', customer_message: 'Leave it at the door', shipping_cost_inc_tax: '7.0000', billing_address: { first_name: 'Zoë', street_1: '100 Main Street', country_iso2: 'US', country: 'United States' } });
    expect(Number(order.total_inc_tax)).toBe(Math.round((cart.cart_amount_inc_tax + 7) * 100) / 100);
    const products = (await s.api('GET', `/v2/orders/${orderId}/products`)).body;
    const lines = cart.line_items.physical_items;
    expect(products.map((p: any) => [p.product_id, p.variant_id, p.quantity, Number(p.price_ex_tax)])).toEqual(lines.map((l: any) => [l.product_id, l.variant_id, l.quantity, l.list_price]));
    expect((await s.api('GET', `/v2/orders?cart_id=${cartId}`)).body.map((o: any) => o.id)).toEqual([orderId]);
    const shipTo = (await s.api('GET', `/v2/orders/${orderId}/shipping_addresses`)).body[0];
    expect(shipTo).toMatchObject({ shipping_method: 'Flat Rate', zip: '78701' });

    // A converted cart is gone, from the API and from memory.
    expect((await s.api('GET', `/v3/carts/${cartId}`)).status).toBe(404);
    expect((await s.api('GET', `/v3/checkouts/${cartId}`)).status).toBe(404);
    expect(s.running.sim.stores.get(s.hash)!.carts.has(cartId)).toBe(false);
  });

  it('refuses an order without a billing address, and consignments naming items the cart does not have', async () => {
    const s = await start();
    const cart = (await newCart(s)).data;
    const noBilling = await s.api('POST', `/v3/checkouts/${cart.id}/orders`);
    expect(noBilling.status).toBe(422);
    expect(noBilling.body.errors).toEqual({ billing_address: 'is required' });

    const stranger = await s.api('POST', `/v3/checkouts/${cart.id}/consignments`, [{ address: billingAddress, line_items: [{ item_id: 'not-in-cart', quantity: 1 }] }]);
    expect(stranger.status).toBe(422);
    expect(Object.keys(stranger.body.errors)).toEqual(['[0].line_items[0].item_id']);
    const noZip = await s.api('POST', `/v3/checkouts/${cart.id}/consignments`, [{ address: { ...billingAddress, postal_code: undefined }, line_items: [{ item_id: cart.line_items.physical_items[0].id, quantity: 2 }] }]);
    expect(Object.keys(noZip.body.errors)).toEqual(['[0].address.postal_code']);

    const partial = await s.api('POST', `/v3/checkouts/${cart.id}/billing-address`, { email: 'only@example.com', country_code: 'US' });
    expect(partial.status, partial.text).toBe(200);
    const incomplete = await s.api('POST', `/v3/checkouts/${cart.id}/orders`);
    expect(Object.keys(incomplete.body.errors)).toEqual(['billing_address.first_name', 'billing_address.last_name', 'billing_address.address1', 'billing_address.city']);
    const missingEmail = await s.api('POST', `/v3/checkouts/${cart.id}/billing-address`, { country_code: 'US' });
    expect(Object.keys(missingEmail.body.errors)).toEqual(['email']);

    await s.api('POST', `/v3/checkouts/${cart.id}/billing-address`, billingAddress);
    const unshipped = await s.api('POST', `/v3/checkouts/${cart.id}/orders`);
    expect(Object.keys(unshipped.body.errors)).toEqual(['consignments']);
  });
});
