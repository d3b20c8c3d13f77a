/**
 * Behaviour of the customer and pricing families through real HTTP: customer groups (V2) that
 * stay the store's groups, customer addresses, attributes and form-field values that stay on the
 * store's customers, subscribers, and price lists whose seeded records, assignments and checks
 * agree with the catalog, the groups and the currencies. Validation in the V2 and V3 shapes naming
 * the field, batch limits, delete-by-filter, ledger records and the webhook scopes each change raises.
 */
import { describe, expect, it } from 'vitest';
import type { TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const ledger = ledgerOf;

const events = async (s: TestSim, prefix: string) => (await ledger(s, 'webhook:event')).filter((e) => e.scope.startsWith(prefix)).map((e) => [e.scope, e.data]);

const address = (customerId: number, extra: Record<string, unknown> = {}) => ({ customer_id: customerId, first_name: 'Ana', last_name: 'Silva', address1: 'Rua Augusta 1', city: 'Lisboa', state_or_province: 'Lisboa', postal_code: '1100-048', country_code: 'PT', ...extra });

describe('customer groups (V2)', () => {
  it("are the store's groups: seeded from them, and a group made here is one a customer can join", async () => {
    const s = await start();
    const groups = await s.api('GET', '/v2/customer_groups');
    expect(groups.body.map((g: any) => [g.id, g.name, g.is_default, g.discount_rules])).toEqual([
      [1, 'Retail', true, []],
      [2, 'Wholesale', false, [{ type: 'all', method: 'percent', amount: '15.0000' }]],
      [3, 'Distributor', false, [{ type: 'all', method: 'percent', amount: '25.0000' }]],
    ]);
    // Before: the store does not know group 4.
    const refused = await s.api('POST', '/v3/customers', [{ email: 'vip@example.com', first_name: 'V', last_name: 'IP', customer_group_id: 4 }]);
    expect(refused.status).toBe(422);
    const made = await s.api('POST', '/v2/customer_groups', { name: 'VIP', discount_rules: [{ type: 'all', method: 'percent', amount: 30 }] });
    expect(made.status, made.text).toBe(200);
    expect(made.body).toMatchObject({ id: 4, name: 'VIP', discount_rules: [{ type: 'all', method: 'percent', amount: '30.0000' }] });
    expect((await s.api('POST', '/v3/customers', [{ email: 'vip@example.com', first_name: 'V', last_name: 'IP', customer_group_id: 4 }])).status).toBe(200);
    expect((await s.api('GET', '/v2/customer_groups/count')).body).toEqual({ count: 4 });
  });

  it('refuses a bad body with 400 naming the field and a duplicate name with 409, and keeps one default', async () => {
    const s = await start();
    const bad = await s.api('POST', '/v2/customer_groups', { name: '', discount_rules: [{ type: 'everything' }] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body[0].details.invalid_reason).sort()).toEqual(['discount_rules[0].type', 'name']);
    expect((await s.api('POST', '/v2/customer_groups', { name: 'wholesale' })).status).toBe(409);
    await s.api('PUT', '/v2/customer_groups/3', { is_default: true });
    expect((await s.api('GET', '/v2/customer_groups?is_default=true')).body.map((g: any) => g.id)).toEqual([3]);
    expect((await s.api('GET', '/v2/customer_groups?name=Nobody')).status).toBe(204);
  });

  it("moves a deleted group's customers to no group and deletes its price list assignments", async () => {
    const s = await start();
    const members = (await s.api('GET', '/v3/customers?customer_group_id:in=2&limit=250')).body.data.map((c: any) => c.id);
    expect(members.length).toBeGreaterThan(0);
    expect((await s.api('DELETE', '/v2/customer_groups/2')).status).toBe(204);
    expect((await s.api('GET', '/v3/customers?customer_group_id:in=2')).body.data).toEqual([]);
    const after = (await s.api('GET', `/v3/customers?id:in=${members.join(',')}&limit=250`)).body.data;
    expect(after.every((c: any) => c.customer_group_id === 0)).toBe(true);
    expect((await events(s, 'store/customer/updated')).length).toBe(members.length);
    expect((await s.api('GET', '/v3/pricelists/assignments?customer_group_id=2')).body.data).toEqual([]);
    expect((await events(s, 'store/priceList/assignment/deleted')).map(([, d]) => d.id)).toEqual([1]);
    expect((await s.api('GET', '/v2/customer_groups/2')).status).toBe(404);
  });
});

describe('customer addresses', () => {
  it("are the customers' addresses: seeded from them, and a change shows on the customer", async () => {
    const s = await start();
    const seeded = await s.api('GET', '/v3/customers/addresses?customer_id:in=7');
    const customer = (await s.api('GET', '/v3/customers?id:in=7&include=addresses')).body.data[0];
    expect(seeded.body.data).toEqual(customer.addresses);
    const made = await s.api('POST', '/v3/customers/addresses', [address(7)]);
    expect(made.status, made.text).toBe(200);
    expect(made.body.data[0]).toMatchObject({ customer_id: 7, country: 'PT', country_code: 'PT', address_type: 'residential' });
    await s.api('PUT', '/v3/customers/addresses', [{ id: made.body.data[0].id, country_code: 'US' }]);
    const after = (await s.api('GET', '/v3/customers?id:in=7&include=addresses')).body.data[0];
    expect(after.address_count).toBe(2);
    expect(after.addresses[1]).toMatchObject({ id: made.body.data[0].id, country: 'United States' });
    expect((await s.api('DELETE', `/v3/customers/addresses?id:in=${made.body.data[0].id}`)).status).toBe(204);
    expect((await s.api('GET', '/v3/customers?id:in=7&include=addresses')).body.data[0].address_count).toBe(1);
    const id = made.body.data[0].id;
    expect(await events(s, 'store/customer/address')).toEqual([
      ['store/customer/address/created', { type: 'customer', id, address: { customer_id: 7 } }],
      ['store/customer/address/updated', { type: 'customer', id, address: { customer_id: 7 } }],
      ['store/customer/address/deleted', { type: 'customer', id, address: { customer_id: 7 } }],
    ]);
    expect((await ledger(s, 'resource:created')).map((e) => [e.resource, e.id])).toEqual([['customer-address', id]]);
  });

  it('refuses an unknown customer, a bad field, more than 10 at once and a delete without id:in, changing nothing', async () => {
    const s = await start();
    const res = await s.api('POST', '/v3/customers/addresses', [address(1), address(99_999)]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ '[1].customer_id': 'customer 99999 not found' });
    const bad = await s.api('POST', '/v3/customers/addresses', [address(1, { country_code: 'Portugal' })]);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['[0].country_code']);
    expect((await s.api('POST', '/v3/customers/addresses', Array.from({ length: 11 }, () => address(1)))).status).toBe(413);
    const unfiltered = await s.api('DELETE', '/v3/customers/addresses');
    expect(unfiltered.status).toBe(422);
    expect(await ledger(s, 'resource:created,resource:deleted')).toEqual([]);
  });
});

describe('customer attributes, their values and form-field values', () => {
  it('checks values against the attribute type, upserts one per customer, and keeps attribute_count', async () => {
    const s = await start();
    const wrong = await s.api('PUT', '/v3/customers/attribute-values', [{ attribute_id: 2, value: 'lots', customer_id: 1 }]);
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors['[0].value']).toMatch(/number/);
    const first = await s.api('PUT', '/v3/customers/attribute-values', [{ attribute_id: 2, value: '5000', customer_id: 1 }]);
    const again = await s.api('PUT', '/v3/customers/attribute-values', [{ attribute_id: 2, value: 7500, customer_id: 1 }]);
    expect(again.body.data[0]).toMatchObject({ id: first.body.data[0].id, attribute_value: '7500' });
    const count = (await s.api('GET', '/v3/customers/attribute-values?customer_id:in=1')).body.data.length;
    expect((await s.api('GET', '/v3/customers?id:in=1')).body.data[0].attribute_count).toBe(count);
    // The type is fixed; deleting the attribute deletes its values.
    const retype = await s.api('PUT', '/v3/customers/attributes', [{ id: 2, name: 'Credit', type: 'string' }]);
    expect(retype.status).toBe(422);
    expect(Object.keys(retype.body.errors)).toEqual(['[0].type']);
    await s.api('DELETE', '/v3/customers/attributes?id:in=2');
    expect((await s.api('GET', '/v3/customers/attribute-values?attribute_id:in=2')).body.data).toEqual([]);
    expect((await s.api('GET', '/v3/customers?id:in=1')).body.data[0].attribute_count).toBe(count - 1);
  });

  it('keeps at most 50 attributes with unique names', async () => {
    const s = await start();
    const names = Array.from({ length: 47 }, (_, i) => ({ name: `Attr ${i}`, type: 'string' }));
    expect((await s.api('POST', '/v3/customers/attributes', names)).status).toBe(200);
    const over = await s.api('POST', '/v3/customers/attributes', [{ name: 'One too many', type: 'date' }]);
    expect(over.status).toBe(422);
    expect(over.body.errors['[0].name']).toMatch(/50/);
    expect((await s.api('GET', '/v3/customers/attributes?name:like=attr')).body.data.length).toBe(47);
  });

  it('takes form-field values only for fields the store has, with the value their type needs', async () => {
    const s = await start();
    const unknown = await s.api('PUT', '/v3/customers/form-field-values', [{ name: 'Shoe size', value: '42', customer_id: 1 }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toHaveProperty(['[0].name']);
    const notArray = await s.api('PUT', '/v3/customers/form-field-values', [{ name: 'Newsletter topics', value: 'news', customer_id: 1 }]);
    expect(notArray.status).toBe(422);
    const ok = await s.api('PUT', '/v3/customers/form-field-values', [{ name: 'Loading dock hours', value: '7-15', address_id: 3 }]);
    expect(ok.body.data).toEqual([{ name: 'Loading dock hours', value: '7-15', address_id: 3 }]);
    await s.api('PUT', '/v3/customers/form-field-values', [{ name: 'Loading dock hours', value: '6-14', address_id: 3 }]);
    expect((await s.api('GET', '/v3/customers/form-field-values?address_id=3')).body.data).toEqual([{ name: 'Loading dock hours', value: '6-14', address_id: 3 }]);
  });
});

describe('subscribers', () => {
  it('are seeded from the customers who accepted emails, unique by email, and raise store/subscriber/*', async () => {
    const s = await start();
    const opted = (await s.api('GET', '/v3/customers?limit=250')).body.data.filter((c: any) => c.accepts_product_review_abandoned_cart_emails).map((c: any) => c.email);
    const subscribers = (await s.api('GET', '/v3/customers/subscribers?limit=250')).body.data.map((x: any) => x.email);
    expect(subscribers).toEqual(opted);
    expect((await s.api('POST', '/v3/customers/subscribers', { email: opted[0].toUpperCase() })).status).toBe(409);
    expect((await s.api('POST', '/v3/customers/subscribers', { email: 'not-an-email' })).body.errors).toHaveProperty('email');
    expect((await s.api('POST', '/v3/customers/subscribers', { email: 'a@example.com', order_id: 99_999 })).body.errors).toEqual({ order_id: 'order 99999 not found' });
    const made = await s.api('POST', '/v3/customers/subscribers', { email: 'new@example.com', source: 'custom' });
    await s.api('PUT', `/v3/customers/subscribers/${made.body.data.id}`, { consents: [] });
    expect((await s.api('DELETE', '/v3/customers/subscribers')).status).toBe(422);
    expect((await s.api('DELETE', '/v3/customers/subscribers?source=custom')).status).toBe(204);
    const id = made.body.data.id;
    expect(await events(s, 'store/subscriber/')).toEqual([
      ['store/subscriber/created', { type: 'subscriber', id }],
      ['store/subscriber/updated', { type: 'subscriber', id }],
      ['store/subscriber/deleted', { type: 'subscriber', id }],
    ]);
    expect((await s.api('GET', '/v3/customers/subscribers?limit=250')).body.data.length).toBe(opted.length);
  });
});

describe('price lists', () => {
  it("are seeded at the groups' discounts on the catalog's prices, assigned to those groups on channel 1", async () => {
    const s = await start();
    const variant = (await s.api('GET', '/v3/catalog/products/1/variants')).body.data[0];
    const price = variant.price ?? (await s.api('GET', '/v3/catalog/products/1')).body.data.price;
    const wholesale = (await s.api('GET', `/v3/pricelists/1/records/${variant.id}/usd`)).body.data;
    const distributor = (await s.api('GET', `/v3/pricelists/2/records/${variant.id}/USD`)).body.data;
    expect(wholesale).toMatchObject({ price_list_id: 1, variant_id: variant.id, product_id: 1, sku: variant.sku, currency: 'usd', price: Math.round(price * 0.85 * 100) / 100 });
    expect(distributor.price).toBe(Math.round(price * 0.75 * 100) / 100);
    const assignments = (await s.api('GET', '/v3/pricelists/assignments')).body.data;
    expect(assignments).toEqual([
      { id: 1, price_list_id: 1, customer_group_id: 2, channel_id: 1 },
      { id: 2, price_list_id: 2, customer_group_id: 3, channel_id: 1 },
    ]);
    const byProduct = (await s.api('GET', `/v3/pricelists/1/records?product_id:in=1&sku:in=${encodeURIComponent(variant.sku)}`)).body.data;
    expect(byProduct.map((r: any) => r.variant_id)).toEqual([variant.id]);
  });

  it('upserts records by variant or SKU and currency, all or nothing, naming the bad item', async () => {
    const s = await start();
    const list = (await s.api('POST', '/v3/pricelists', { name: 'Trade' })).body.data.id;
    const sku = (await s.api('GET', '/v3/pricelists/1/records/2/usd')).body.data.sku;
    const bad = await s.api('PUT', `/v3/pricelists/${list}/records`, [{ variant_id: 1, currency: 'usd', price: 5 }, { variant_id: 999_999, currency: 'usd', price: 5 }, { sku: 'NOPE', currency: 'usd', price: 1 }]);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual({ '[1].variant_id': 'variant 999999 not found' });
    const jpy = await s.api('PUT', `/v3/pricelists/${list}/records`, [{ variant_id: 1, currency: 'jpy', price: 500 }]);
    expect(jpy.body.errors).toEqual({ '[0].currency': 'JPY is not a store currency' });
    expect((await s.api('GET', `/v3/pricelists/${list}/records`)).body.data).toEqual([]);
    expect((await s.api('PUT', `/v3/pricelists/${list}/records`, [{ variant_id: 1, currency: 'usd', price: 5 }, { sku, currency: 'USD', price: 6, sale_price: 4 }])).status).toBe(200);
    expect((await s.api('PUT', `/v3/pricelists/${list}/records`, [{ variant_id: 1, currency: 'usd', price: 5.5 }])).status).toBe(200);
    const records = (await s.api('GET', `/v3/pricelists/${list}/records`)).body.data;
    expect(records.map((r: any) => [r.variant_id, r.price, r.calculated_price])).toEqual([
      [1, 5.5, 5.5],
      [2, 6, 4],
    ]);
    expect((await s.api('PUT', `/v3/pricelists/${list}/records`, Array.from({ length: 1001 }, () => ({ variant_id: 1, currency: 'usd', price: 1 })))).status).toBe(413);
    expect((await events(s, 'store/priceList/record')).map(([scope, d]) => [scope, d.id, d.variant_id])).toEqual([
      ['store/priceList/record/created', list, 1],
      ['store/priceList/record/created', list, 2],
      ['store/priceList/record/updated', list, 1],
    ]);
  });

  it('deletes a price list with its records and assignments, and raises the price list scopes', async () => {
    const s = await start();
    const list = (await s.api('POST', '/v3/pricelists', { name: 'Short-lived' })).body.data.id;
    expect((await s.api('POST', '/v3/pricelists', { name: 'short-LIVED' })).status).toBe(409);
    await s.api('PUT', `/v3/pricelists/${list}/records/1/usd`, { price: 2 });
    const assigned = await s.api('POST', '/v3/pricelists/assignments', [{ price_list_id: list, customer_group_id: 1, channel_id: 1 }]);
    expect(assigned.status).toBe(200);
    expect(assigned.text).toBe('');
    await s.api('PUT', `/v3/pricelists/${list}`, { active: false });
    expect((await s.api('DELETE', `/v3/pricelists/${list}`)).status).toBe(204);
    expect((await s.api('GET', `/v3/pricelists/${list}/records`)).status).toBe(404);
    expect((await s.api('GET', `/v3/pricelists/assignments?price_list_id=${list}`)).body.data).toEqual([]);
    expect((await events(s, 'store/priceList/')).map(([scope]) => scope)).toEqual([
      'store/priceList/created',
      'store/priceList/record/created',
      'store/priceList/assignment/updated',
      'store/priceList/updated',
      'store/priceList/deactivated',
      'store/priceList/record/deleted',
      'store/priceList/assignment/deleted',
      'store/priceList/deleted',
    ]);
    expect((await s.api('DELETE', '/v3/pricelists')).status).toBe(422);
  });

  it('gives a customer group one price list per channel: a second is refused, PUT moves it', async () => {
    const s = await start();
    const list = (await s.api('POST', '/v3/pricelists', { name: 'Wholesale 2' })).body.data.id;
    const clash = await s.api('POST', '/v3/pricelists/assignments', [{ price_list_id: list, customer_group_id: 2, channel_id: 1 }]);
    expect(clash.status).toBe(422);
    expect(Object.keys(clash.body.errors)).toEqual(['[0].customer_group_id']);
    const unknown = await s.api('POST', '/v3/pricelists/assignments', [{ price_list_id: list, customer_group_id: 77, channel_id: 1 }]);
    expect(unknown.body.errors).toEqual({ '[0].customer_group_id': 'customer group 77 not found' });
    const moved = await s.api('PUT', `/v3/pricelists/${list}/assignments`, { customer_group_id: 2, channel_id: 1 });
    expect(moved.body.data).toEqual({ id: 1, price_list_id: list, customer_group_id: 2, channel_id: 1 });
    expect((await s.api('POST', '/v3/pricelists/assignments', Array.from({ length: 26 }, () => ({ price_list_id: list })))).status).toBe(413);
    expect((await s.api('DELETE', '/v3/pricelists/assignments')).status).toBe(422);
  });

  it('lets a read-only token read price lists and customer data but not change them', async () => {
    const s = await start();
    for (const path of ['/v3/pricelists', '/v3/pricelists/1/records', '/v2/customer_groups', '/v3/customers/addresses', '/v3/customers/subscribers', '/v3/customers/attributes']) {
      expect((await s.api('GET', path, undefined, s.readOnlyToken)).status, path).toBe(200);
    }
    expect((await s.api('POST', '/v3/pricelists', { name: 'x' }, s.readOnlyToken)).status).toBe(403);
    expect((await s.api('POST', '/v2/customer_groups', { name: 'x' }, s.readOnlyToken)).status).toBe(403);
  });

  it('pages records by cursor when asked, and a reset restores the seeded lists', async () => {
    const s = await start();
    const first = (await s.api('GET', '/v3/pricelists/1/records?limit=2&after=' + Buffer.from('0').toString('base64url'))).status;
    expect(first).toBe(422);
    const page = await s.api('GET', '/v3/pricelists/1/records?limit=2');
    const cursor = Buffer.from(String(1)).toString('base64url');
    const next = await s.api('GET', `/v3/pricelists/1/records?limit=2&after=${cursor}`);
    expect(next.body.meta.cursor_pagination).toMatchObject({ count: 2, per_page: 2 });
    expect(next.body.data[0]).toEqual(page.body.data[1]);
    await s.api('DELETE', '/v3/pricelists/1');
    await s.api('DELETE', '/v2/customer_groups/3');
    expect((await s.control('POST', '/reset')).status).toBe(204);
    expect((await s.api('GET', '/v3/pricelists')).body.data.map((l: any) => l.name)).toEqual(['Wholesale', 'Distributor', 'Euro storefront']);
    expect((await s.api('GET', '/v2/customer_groups')).body.map((g: any) => g.name)).toEqual(['Retail', 'Wholesale', 'Distributor']);
    expect((await s.api('GET', '/v3/pricelists/assignments')).body.data.length).toBe(2);
  });
});
