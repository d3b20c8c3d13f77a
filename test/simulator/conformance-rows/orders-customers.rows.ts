/**
 * Conformance rows of the order sub-resources (messages, taxes, payment actions, order metafields)
 * and customer metafields families (issue 13). Run by
 * test/simulator/families-conformance-orders-customers.test.ts (row.ts says how tables work).
 */
import type { TestSim } from '../../support/simulator.ts';
import { created, type DocumentException, type Row, type RowTable } from './row.ts';

let unique = 0;
const field = () => ({ namespace: 'erp', key: `ref-${++unique}`, value: `Beleg ${unique} — ü ✓`, permission_set: 'write', description: 'ERP document number' });

/** The first seeded order (every store has orders) and one whose customer left a message. */
async function anOrder(sim: TestSim): Promise<number> {
  return (await created(sim, 'GET', '/v2/orders?limit=1&sort=id:asc'))[0].id;
}
async function anOrderWithMessage(sim: TestSim): Promise<number> {
  const orders: { id: number; customer_message: string }[] = await created(sim, 'GET', '/v2/orders?limit=250');
  const order = orders.find((o) => o.customer_message.trim() !== '');
  if (!order) throw new Error('Setup: no seeded order has a customer message');
  return order.id;
}
/** An order whose payment is authorized, so it can be captured or voided (each row needs its own). */
let authorizedAt = 0;
async function anAuthorizedOrder(sim: TestSim): Promise<number> {
  const orders: { id: number; payment_status: string }[] = await created(sim, 'GET', '/v2/orders?limit=250&sort=id:desc');
  const order = orders.filter((o) => o.payment_status === 'captured')[authorizedAt++];
  if (!order) throw new Error('Setup: no captured order left to authorize');
  await created(sim, 'PUT', `/v2/orders/${order.id}`, { payment_status: 'authorized' });
  return order.id;
}
async function aCustomer(sim: TestSim): Promise<number> {
  return (await created(sim, 'GET', '/v3/customers?limit=1')).data[0].id;
}
const orderMetafield = async (sim: TestSim) => ({ order: await anOrder(sim), id: (await created(sim, 'POST', `/v3/orders/${await anOrder(sim)}/metafields`, field())).data.id as number });
const customerMetafield = async (sim: TestSim) => ({ customer: await aCustomer(sim), id: (await created(sim, 'POST', `/v3/customers/${await aCustomer(sim)}/metafields`, field())).data.id as number });

const rows: Row[] = [
  // ---- order messages, taxes, payment actions ----
  { op: 'GET /v2/orders/{order_id}/messages', send: async (sim) => sim.api('GET', `/v2/orders/${await anOrderWithMessage(sim)}/messages?status=unread`) },
  { op: 'GET /v2/orders/{order_id}/taxes', send: async (sim) => sim.api('GET', `/v2/orders/${await anOrder(sim)}/taxes?details=true`) },
  { op: 'POST /v3/orders/{order_id}/payment_actions/capture', send: async (sim) => sim.api('POST', `/v3/orders/${await anAuthorizedOrder(sim)}/payment_actions/capture`) },
  { op: 'POST /v3/orders/{order_id}/payment_actions/void', send: async (sim) => sim.api('POST', `/v3/orders/${await anAuthorizedOrder(sim)}/payment_actions/void`) },
  {
    op: 'POST /v3/orders/{order_id}/payment_actions/refund_quotes',
    send: async (sim) => {
      const id = await anOrder(sim);
      const products = await created(sim, 'GET', `/v2/orders/${id}/products`);
      return sim.api('POST', `/v3/orders/${id}/payment_actions/refund_quotes`, { items: [{ item_type: 'PRODUCT', item_id: products[0].id, quantity: 1 }, { item_type: 'SHIPPING', item_id: 0, amount: 1 }] });
    },
  },

  // ---- order metafields ----
  { op: 'GET /v3/orders/{order_id}/metafields', send: async (sim) => (await orderMetafield(sim), sim.api('GET', `/v3/orders/${await anOrder(sim)}/metafields`)) },
  { op: 'POST /v3/orders/{order_id}/metafields', send: async (sim) => sim.api('POST', `/v3/orders/${await anOrder(sim)}/metafields`, field()) },
  { op: 'GET /v3/orders/{order_id}/metafields/{metafield_id}', send: async (sim) => ((m) => sim.api('GET', `/v3/orders/${m.order}/metafields/${m.id}`))(await orderMetafield(sim)) },
  { op: 'PUT /v3/orders/{order_id}/metafields/{metafield_id}', send: async (sim) => ((m) => sim.api('PUT', `/v3/orders/${m.order}/metafields/${m.id}`, { value: 'geändert' }))(await orderMetafield(sim)) },
  { op: 'DELETE /v3/orders/{order_id}/metafields/{metafield_id}', send: async (sim) => ((m) => sim.api('DELETE', `/v3/orders/${m.order}/metafields/${m.id}`))(await orderMetafield(sim)) },
  { op: 'GET /v3/orders/metafields', send: async (sim) => (await orderMetafield(sim), sim.api('GET', '/v3/orders/metafields?namespace=erp')) },
  { op: 'POST /v3/orders/metafields', send: async (sim) => sim.api('POST', '/v3/orders/metafields', [{ ...field(), resource_id: await anOrder(sim) }]) },
  { op: 'PUT /v3/orders/metafields', send: async (sim) => sim.api('PUT', '/v3/orders/metafields', [{ id: (await orderMetafield(sim)).id, value: 'batch' }]) },
  { op: 'DELETE /v3/orders/metafields', send: async (sim) => sim.api('DELETE', '/v3/orders/metafields', [(await orderMetafield(sim)).id]) },

  // ---- customer metafields ----
  { op: 'GET /v3/customers/{customerId}/metafields', send: async (sim) => (await customerMetafield(sim), sim.api('GET', `/v3/customers/${await aCustomer(sim)}/metafields`)) },
  { op: 'POST /v3/customers/{customerId}/metafields', send: async (sim) => sim.api('POST', `/v3/customers/${await aCustomer(sim)}/metafields`, field()) },
  { op: 'GET /v3/customers/{customerId}/metafields/{metafieldId}', send: async (sim) => ((m) => sim.api('GET', `/v3/customers/${m.customer}/metafields/${m.id}`))(await customerMetafield(sim)) },
  { op: 'PUT /v3/customers/{customerId}/metafields/{metafieldId}', send: async (sim) => ((m) => sim.api('PUT', `/v3/customers/${m.customer}/metafields/${m.id}`, { value: 'geändert' }))(await customerMetafield(sim)) },
  { op: 'DELETE /v3/customers/{customerId}/metafields/{metafieldId}', send: async (sim) => ((m) => sim.api('DELETE', `/v3/customers/${m.customer}/metafields/${m.id}`))(await customerMetafield(sim)) },
  { op: 'GET /v3/customers/metafields', send: async (sim) => (await customerMetafield(sim), sim.api('GET', '/v3/customers/metafields?namespace=erp')) },
  { op: 'POST /v3/customers/metafields', send: async (sim) => sim.api('POST', '/v3/customers/metafields', [{ ...field(), resource_id: await aCustomer(sim) }]) },
  { op: 'PUT /v3/customers/metafields', send: async (sim) => sim.api('PUT', '/v3/customers/metafields', [{ id: (await customerMetafield(sim)).id, value: 'batch' }]) },
  { op: 'DELETE /v3/customers/metafields', send: async (sim) => sim.api('DELETE', '/v3/customers/metafields', [(await customerMetafield(sim)).id]) },
];

/**
 * customers.v3.yml answers a single metafield's create and update with the batch schema
 * (`MetaFieldCollectionPostPutResponses`: `data` an array), while its own get of the same record,
 * and every other metafield document, answers `data` as the one record. The simulator answers the
 * record, like the get; the rows check it wrapped in the array the document expects.
 */
const singleAsBatch: DocumentException = {
  reason: 'customers.v3.yml documents the single-metafield create and update answers with the batch schema (data: array); the simulator answers data as the record, like the document\'s own get and every other metafield document',
  adapt: (body: any) => ({ ...body, data: [body.data] }),
};

export const table: RowTable = {
  name: 'order sub-resources and customer metafields',
  rows,
  exceptions: { 'POST /v3/customers/{customerId}/metafields': singleAsBatch, 'PUT /v3/customers/{customerId}/metafields/{metafieldId}': singleAsBatch },
};
