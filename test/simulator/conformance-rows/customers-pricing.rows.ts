/**
 * Conformance rows of the customer and pricing families (issue 13): customer groups (V2),
 * customer addresses, attributes, attribute values and form-field values, subscribers, and price
 * lists with their records and assignments. Run by families-conformance-customers-pricing.test.ts
 * (row.ts says how tables work). Every row makes what it changes or deletes.
 */
import type { TestSim } from '../../support/simulator.ts';
import { created, type DocumentException, type Row, type RowTable } from './row.ts';

let unique = 0;
const next = () => ++unique;

const address = (customerId: number) => ({ customer_id: customerId, first_name: 'Zoë', last_name: `Müller ${next()}`, address1: '1 Infinite Loop', city: 'Cupertino', state_or_province: 'California', postal_code: '95014', country_code: 'US', address_type: 'commercial' });
const newList = async (sim: TestSim) => (await created(sim, 'POST', '/v3/pricelists', { name: `Liste ${next()} — €` })).data.id as number;
const newGroup = async (sim: TestSim) => (await created(sim, 'POST', '/v2/customer_groups', { name: `Gruppe ${next()}` })).id as number;
const newAttribute = async (sim: TestSim) => (await created(sim, 'POST', '/v3/customers/attributes', [{ name: `Attribut ${next()}`, type: 'string' }])).data[0].id as number;

const rows: Row[] = [
  // ---- customer groups (V2) ----
  { op: 'GET /v2/customer_groups', send: (sim) => sim.api('GET', '/v2/customer_groups') },
  { op: 'POST /v2/customer_groups', send: (sim) => sim.api('POST', '/v2/customer_groups', { name: `Großhandel ${next()}`, discount_rules: [{ type: 'all', method: 'percent', amount: '10.0000' }] }) },
  { op: 'GET /v2/customer_groups/count', send: (sim) => sim.api('GET', '/v2/customer_groups/count') },
  { op: 'GET /v2/customer_groups/{customer_group_id}', send: (sim) => sim.api('GET', '/v2/customer_groups/2') },
  { op: 'PUT /v2/customer_groups/{customer_group_id}', send: async (sim) => sim.api('PUT', `/v2/customer_groups/${await newGroup(sim)}`, { category_access: { type: 'specific', categories: [18, 19] } }) },
  { op: 'DELETE /v2/customer_groups/{customer_group_id}', send: async (sim) => sim.api('DELETE', `/v2/customer_groups/${await newGroup(sim)}`) },

  // ---- customer addresses ----
  { op: 'GET /v3/customers/addresses', send: (sim) => sim.api('GET', '/v3/customers/addresses?customer_id:in=1,2,3') },
  { op: 'POST /v3/customers/addresses', send: (sim) => sim.api('POST', '/v3/customers/addresses', [address(4)]) },
  {
    op: 'PUT /v3/customers/addresses',
    send: async (sim) => {
      const a = await created(sim, 'POST', '/v3/customers/addresses', [address(5)]);
      return sim.api('PUT', '/v3/customers/addresses', [{ id: a.data[0].id, city: 'São Paulo', country_code: 'BR' }]);
    },
  },
  {
    op: 'DELETE /v3/customers/addresses',
    send: async (sim) => {
      const a = await created(sim, 'POST', '/v3/customers/addresses', [address(6)]);
      return sim.api('DELETE', `/v3/customers/addresses?id:in=${a.data[0].id}`);
    },
  },

  // ---- customer attributes and values ----
  { op: 'GET /v3/customers/attributes', send: (sim) => sim.api('GET', '/v3/customers/attributes') },
  { op: 'POST /v3/customers/attributes', send: (sim) => sim.api('POST', '/v3/customers/attributes', [{ name: `Kundennummer ${next()}`, type: 'number' }]) },
  { op: 'PUT /v3/customers/attributes', send: async (sim) => sim.api('PUT', '/v3/customers/attributes', [{ id: await newAttribute(sim), name: `Umbenannt ${next()}` }]) },
  { op: 'DELETE /v3/customers/attributes', send: async (sim) => sim.api('DELETE', `/v3/customers/attributes?id:in=${await newAttribute(sim)}`) },
  { op: 'GET /v3/customers/attribute-values', send: (sim) => sim.api('GET', '/v3/customers/attribute-values?attribute_id:in=1') },
  { op: 'PUT /v3/customers/attribute-values', send: (sim) => sim.api('PUT', '/v3/customers/attribute-values', [{ attribute_id: 2, value: '5000', customer_id: 1 }]) },
  {
    op: 'DELETE /v3/customers/attribute-values',
    send: async (sim) => {
      const v = await created(sim, 'PUT', '/v3/customers/attribute-values', [{ attribute_id: await newAttribute(sim), value: 'x', customer_id: 2 }]);
      return sim.api('DELETE', `/v3/customers/attribute-values?id:in=${v.data[0].id}`);
    },
  },

  // ---- form-field values ----
  { op: 'GET /v3/customers/form-field-values', send: (sim) => sim.api('GET', '/v3/customers/form-field-values') },
  { op: 'PUT /v3/customers/form-field-values', send: (sim) => sim.api('PUT', '/v3/customers/form-field-values', [{ name: 'Newsletter topics', value: ['news', 'deals'], customer_id: 1 }, { name: 'Delivery instructions', value: 'Hintertür — bitte klingeln', address_id: 1 }]) },

  // ---- subscribers ----
  { op: 'GET /v3/customers/subscribers', send: (sim) => sim.api('GET', '/v3/customers/subscribers?source=storefront') },
  { op: 'POST /v3/customers/subscribers', send: (sim) => sim.api('POST', '/v3/customers/subscribers', { email: `leser.${next()}@example.com`, first_name: 'Jürgen', source: 'custom', consents: ['marketing_newsletter'] }) },
  {
    op: 'DELETE /v3/customers/subscribers',
    send: async (sim) => {
      const s = await created(sim, 'POST', '/v3/customers/subscribers', { email: `bye.${next()}@example.com` });
      return sim.api('DELETE', `/v3/customers/subscribers?email=${encodeURIComponent(s.data.email)}`);
    },
  },
  { op: 'GET /v3/customers/subscribers/{subscriber_id}', send: async (sim) => sim.api('GET', `/v3/customers/subscribers/${(await created(sim, 'POST', '/v3/customers/subscribers', { email: `get.${next()}@example.com` })).data.id}`) },
  { op: 'PUT /v3/customers/subscribers/{subscriber_id}', send: async (sim) => sim.api('PUT', `/v3/customers/subscribers/${(await created(sim, 'POST', '/v3/customers/subscribers', { email: `put.${next()}@example.com` })).data.id}`, { last_name: 'Østergaard', consents: [] }) },
  { op: 'DELETE /v3/customers/subscribers/{subscriber_id}', send: async (sim) => sim.api('DELETE', `/v3/customers/subscribers/${(await created(sim, 'POST', '/v3/customers/subscribers', { email: `del.${next()}@example.com` })).data.id}`) },

  // ---- price lists ----
  { op: 'GET /v3/pricelists', send: (sim) => sim.api('GET', '/v3/pricelists') },
  { op: 'POST /v3/pricelists', send: (sim) => sim.api('POST', '/v3/pricelists', { name: `Händler ${next()}`, active: false }) },
  { op: 'DELETE /v3/pricelists', send: async (sim) => sim.api('DELETE', `/v3/pricelists?id:in=${await newList(sim)}`) },
  { op: 'GET /v3/pricelists/{price_list_id}', send: (sim) => sim.api('GET', '/v3/pricelists/1') },
  { op: 'PUT /v3/pricelists/{price_list_id}', send: async (sim) => sim.api('PUT', `/v3/pricelists/${await newList(sim)}`, { active: false }) },
  { op: 'DELETE /v3/pricelists/{price_list_id}', send: async (sim) => sim.api('DELETE', `/v3/pricelists/${await newList(sim)}`) },
  { op: 'POST /v3/pricelists/records', send: async (sim) => sim.api('POST', '/v3/pricelists/records', [{ price_list_id: await newList(sim), variant_id: 1, currency: 'usd', price: 9.99 }]) },
  {
    op: 'PUT /v3/pricelists/records',
    note: 'by SKU',
    send: async (sim) => {
      // The SKU of variant 2, as a seeded record shows it.
      const sku = (await created(sim, 'GET', '/v3/pricelists/1/records/2/usd')).data.sku;
      return sim.api('PUT', '/v3/pricelists/records', [{ price_list_id: await newList(sim), sku, currency: 'USD', price: 19.5, sale_price: 17 }]);
    },
  },
  { op: 'GET /v3/pricelists/{price_list_id}/records', send: (sim) => sim.api('GET', '/v3/pricelists/1/records?limit=5&currency=usd') },
  { op: 'POST /v3/pricelists/{price_list_id}/records', send: async (sim) => sim.api('POST', `/v3/pricelists/${await newList(sim)}/records`, [{ variant_id: 3, currency: 'eur', price: 12.34, bulk_pricing_tiers: [{ quantity_min: 10, quantity_max: 49, type: 'percent', amount: 5 }] }]) },
  { op: 'PUT /v3/pricelists/{price_list_id}/records', send: async (sim) => sim.api('PUT', `/v3/pricelists/${await newList(sim)}/records`, [{ variant_id: 4, currency: 'usd', price: 1 }]) },
  {
    op: 'DELETE /v3/pricelists/{price_list_id}/records',
    send: async (sim) => {
      const id = await newList(sim);
      await created(sim, 'PUT', `/v3/pricelists/${id}/records`, [{ variant_id: 5, currency: 'usd', price: 2 }]);
      return sim.api('DELETE', `/v3/pricelists/${id}/records?variant_id:in=5`);
    },
  },
  { op: 'GET /v3/pricelists/{price_list_id}/records/{variant_id}', send: (sim) => sim.api('GET', '/v3/pricelists/1/records/1') },
  { op: 'GET /v3/pricelists/{price_list_id}/records/{variant_id}/{currency_code}', send: (sim) => sim.api('GET', '/v3/pricelists/1/records/1/usd') },
  { op: 'PUT /v3/pricelists/{price_list_id}/records/{variant_id}/{currency_code}', send: (sim) => sim.api('PUT', '/v3/pricelists/2/records/1/usd', { price: 7.25, retail_price: 9 }) },
  {
    op: 'DELETE /v3/pricelists/{price_list_id}/records/{variant_id}/{currency_code}',
    send: async (sim) => {
      const id = await newList(sim);
      await created(sim, 'PUT', `/v3/pricelists/${id}/records/6/usd`, { price: 3 });
      return sim.api('DELETE', `/v3/pricelists/${id}/records/6/usd`);
    },
  },
  { op: 'GET /v3/pricelists/assignments', send: (sim) => sim.api('GET', '/v3/pricelists/assignments?channel_id=1') },
  { op: 'POST /v3/pricelists/assignments', send: async (sim) => sim.api('POST', '/v3/pricelists/assignments', [{ price_list_id: await newList(sim), customer_group_id: await newGroup(sim), channel_id: 1 }]) },
  {
    op: 'DELETE /v3/pricelists/assignments',
    send: async (sim) => {
      const id = await newList(sim);
      await created(sim, 'PUT', `/v3/pricelists/${id}/assignments`, { customer_group_id: await newGroup(sim), channel_id: 1 });
      return sim.api('DELETE', `/v3/pricelists/assignments?price_list_id=${id}`);
    },
  },
  { op: 'PUT /v3/pricelists/{price_list_id}/assignments', send: async (sim) => sim.api('PUT', `/v3/pricelists/${await newList(sim)}/assignments`, { customer_group_id: await newGroup(sim), channel_id: 1 }) },
];

/**
 * customers.v2.yml documents a customer group's `discount_rules` as `oneOf` four array schemas
 * (price list, category, product and storewide rules) that differ only in optional properties, so
 * every array matches all four and `oneOf` (exactly one) can never pass, not even for the
 * document's own example. Checked instead: each rule has a documented `type`, `method` and a
 * string `amount` (what all four alternatives say); the rest of the group is validated as documented.
 */
const DISCOUNT_RULES_REASON =
  'customers.v2.yml documents discount_rules as oneOf four array schemas that differ only in optional properties, so any array (even the document\'s example, even []) matches all four and oneOf can never pass; each rule is checked against what the four alternatives share, and the rest of the group against the document.';
function checkedGroup(group: any): unknown {
  for (const rule of group.discount_rules ?? []) {
    if (!['price_list', 'all', 'category', 'product'].includes(rule.type)) throw new Error(`discount rule type ${rule.type} is not documented`);
    if (rule.method !== undefined && !['percent', 'fixed', 'price'].includes(rule.method)) throw new Error(`discount rule method ${rule.method} is not documented`);
    if (rule.amount !== undefined && typeof rule.amount !== 'string') throw new Error('discount rule amount must be a string');
  }
  const { discount_rules: _checked, ...rest } = group;
  return rest;
}
const groupException: DocumentException = { reason: DISCOUNT_RULES_REASON, adapt: (body) => (Array.isArray(body) ? body.map(checkedGroup) : checkedGroup(body)) };

export const table: RowTable = {
  name: 'customer and pricing families',
  rows,
  exceptions: {
    'GET /v2/customer_groups': groupException,
    'POST /v2/customer_groups': groupException,
    'GET /v2/customer_groups/{customer_group_id}': groupException,
    'PUT /v2/customer_groups/{customer_group_id}': groupException,
  },
};
