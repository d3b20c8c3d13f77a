/**
 * Conformance: the simulator's real HTTP responses, validated against the official BigCommerce
 * OpenAPI specs (../shared/bigcommerce-specs/current, read in place, never copied).
 *
 * One row per endpoint: which spec file and path key documents it, the method and status, and how
 * to call the simulator. A worst-case shopper order (Unicode, 100+ lines, several shipping
 * addresses) is placed first, so the order endpoints are checked on the hard cases. Each row checks
 * the status, the declared media type, and the body against the spec schema; a failure lists every
 * ajv error with its instancePath so the broken field is named.
 *
 * Spec path keys are relative to the server base: `/stores/{store_hash}/v2` in
 * orders.v2.oas2.yml, `/stores/{store_hash}/v3` in the V3 files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listServedOperations } from '../../simulator/http/operations.ts';
import { startTestSim, type ApiResponse, type TestSim } from '../support/simulator.ts';
import { createSpecValidator, dereferenceSpec, formatAjvErrors, haveSpecs, loadSpec, responseSchema, specsDir, type SpecValidator } from '../support/specs.ts';

const V2 = 'orders.v2.oas2.yml';
const V3_ORDERS = 'orders.v3.yml';
const PRODUCTS = 'products_catalog.v3.yml';
const VARIANTS = 'product-variants_catalog.v3.yml';
const CUSTOMERS = 'customers.v3.yml';
const WEBHOOKS = 'webhooks.v3.yml';
const INVENTORY = 'inventory.v3.yml';

/** Ids the rows need, gathered once the worst-case order exists. */
interface Ctx {
  sim: TestSim;
  orderId: number;
  /** Shipping addresses of the worst-case order and a line shipped to the second one. */
  addressIds: number[];
  secondAddressLineId: number;
  productId: number;
  variantId: number;
  /** Eleven product ids, for the 413 batch. */
  elevenProductIds: number[];
  hookId: number;
  /** The shipment placed during setup (to the first address). */
  shipmentId: number;
}

interface Row {
  /** The simulator call, as a client would describe it. */
  call: string;
  file: string;
  /** The spec's path key, relative to the file's server base. */
  specPath: string;
  method: 'get' | 'post' | 'put' | 'delete';
  status: number;
  mediaType?: string;
  /**
   * Where the document is wrong about what the platform answers, and why: the documented status
   * whose body schema checks the answer (when the answer's status is not listed), and/or the
   * correction applied to the body before it is checked. Everything else is still checked.
   */
  exception?: { reason: string; status?: number; adapt?(body: any): unknown };
  /**
   * The served operation (`/v2/hooks/{id}`) when it is not the document's path under the file's
   * base: an operation no document describes, checked against its closest documented twin.
   */
  operation?: string;
  send(ctx: Ctx): Promise<ApiResponse>;
}

/** A V2 order placed through the API, for the rows that change or archive one. */
async function placeApiOrder(sim: TestSim, productId: number): Promise<ApiResponse> {
  return sim.api('POST', '/v2/orders', {
    billing_address: { first_name: 'Søren', last_name: 'Kierkegaard-Østergaard', street_1: 'Nørregade 1', city: 'København', zip: '1165', country: 'Denmark', country_iso2: 'DK', email: 'soren@example.com' },
    products: [{ product_id: productId, quantity: 2 }],
    staff_notes: 'conformance — API order',
  });
}

/** The JSON body of a setup call that must succeed. */
async function ok(res: Promise<ApiResponse>, what: string): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`Setup ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

/** Refund items of a PRODUCT line without their `requested_amount: null`, the one correction REFUND_ITEM_NULL_AMOUNT allows. */
function withoutNullProductAmounts(refunds: { items?: { item_type: string; requested_amount?: unknown }[] }[]): void {
  for (const refund of refunds) for (const item of refund.items ?? []) if (item.item_type === 'PRODUCT' && item.requested_amount === null) delete item.requested_amount;
}

const REFUND_ITEM_NULL_AMOUNT =
  'orders.v3.yml types a refund item requested_amount as Amount (a number, not nullable), yet its own examples answer requested_amount: null for a PRODUCT item and Amount says the field is irrelevant for PRODUCT; the simulator sends null there, so only that null is dropped before the check.';

const POST_V2_ORDERS_201 =
  'orders.v2.oas2.yml lists only 200 for POST /orders; the simulator answers 201 Created like the V2 creates the same document does list as 201 (POST /orders/{order_id}/shipments), and clients accept any 2xx. Unverified against a live store, so the body is checked against the documented 200 schema.';

const V2_HOOKS_UNDOCUMENTED =
  'No official document describes /v2/hooks (bigcommerce-facts.md: it "exists and returns bare objects"); the simulator serves the hooks of /v3/hooks without the {data, meta} envelope (decision 0014), so the bare answer is checked wrapped in that envelope against the webhooks.v3.yml operation.';
const wrapV2Hook = (body: unknown) => ({ data: body, meta: {} });

const CONSIGNMENT_LINES_ONE_OF =
  'orders.v2.oas2.yml types a consignment\'s line_items as oneOf an array of links (products_Resource) and an array of order products, neither of which requires a property, so every non-empty list matches both and oneOf can never pass; the line items are left out of the check (test/simulator/order-consignments-fees.test.ts checks they are the order\'s products).';
/** The consignments without their line_items (see CONSIGNMENT_LINES_ONE_OF). */
function withoutConsignmentLines(body: { shipping?: { line_items?: unknown }[]; downloads?: { line_items?: unknown }[] }): unknown {
  for (const c of [...(body.shipping ?? []), ...(body.downloads ?? [])]) delete c.line_items;
  return body;
}

const FEES_LIST =
  'orders.v2.oas2.yml types GET /orders/{order_id}/fees as one fee (orderFees_Resp) while its example answers {fees: [...]}; the simulator answers the example\'s shape, and each fee is checked against the fee schema.';

/** A V2 order made through the API with two fees (one given ex and inc tax, one ex tax and tax). */
async function orderWithFees(sim: TestSim, productId: number): Promise<number> {
  const placed = await ok(placeApiOrder(sim, productId), 'POST /v2/orders');
  await ok(
    sim.api('PUT', `/v2/orders/${placed.id}`, {
      fees: [
        { type: 'custom_fee', display_name_customer: 'Verpackung — Sperrgut', source: 'AA', cost_ex_tax: 12.3, cost_inc_tax: 12.3, tax_class_id: 2 },
        { type: 'custom_fee', display_name_merchant: 'Zoll', cost_ex_tax: '4.0000', cost_tax: '0.8000' },
      ],
    }),
    'PUT /v2/orders/{id} fees',
  );
  return placed.id;
}

/** Option values no variant of the product has: a new value of its first option, the first value of the others. */
async function unusedCombination(sim: TestSim, productId: number, label: string): Promise<{ id: number; option_id: number }[]> {
  const options = (await ok(sim.api('GET', `/v3/catalog/products/${productId}/options`), 'GET options')).data as { id: number; option_values: { id: number }[] }[];
  const value = await ok(sim.api('POST', `/v3/catalog/products/${productId}/options/${options[0]!.id}/values`, { label, sort_order: 9 }), 'POST option value');
  return [{ id: value.data.id, option_id: options[0]!.id }, ...options.slice(1).map((o) => ({ id: o.option_values[0]!.id, option_id: o.id }))];
}

const rows: Row[] = [
  // ---- Orders V2 -------------------------------------------------------------------------------
  { call: 'GET /v2/orders (list, every order including the worst-case one)', file: V2, specPath: '/orders', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v2/orders?limit=250') },
  { call: 'GET /v2/orders/{id} (the worst-case order)', file: V2, specPath: '/orders/{order_id}', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}`) },
  {
    // The spec documents only the object structure, which needs consignment_structure=object.
    call: 'GET /v2/orders/{id}?include=consignments.line_items,fees&consignment_structure=object (the worst-case order)',
    file: V2,
    specPath: '/orders/{order_id}',
    method: 'get',
    status: 200,
    send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}?include=consignments.line_items,fees&consignment_structure=object`),
  },
  { call: 'PUT /v2/orders/{id}', file: V2, specPath: '/orders/{order_id}', method: 'put', status: 200, send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, { staff_notes: 'Geprüft ✓ — conformance' }) },
  { call: 'GET /v2/orders/{id}/products (all 100+ worst-case lines)', file: V2, specPath: '/orders/{order_id}/products', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/products?limit=250`) },
  { call: 'GET /v2/orders/{id}/shipping_addresses (several addresses)', file: V2, specPath: '/orders/{order_id}/shipping_addresses', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/shipping_addresses`) },
  {
    call: 'POST /v2/orders/{id}/shipments',
    file: V2,
    specPath: '/orders/{order_id}/shipments',
    method: 'post',
    status: 201,
    send: ({ sim, orderId, addressIds, secondAddressLineId }) =>
      sim.api('POST', `/v2/orders/${orderId}/shipments`, { order_address_id: addressIds[1], items: [{ order_product_id: secondAddressLineId, quantity: 1 }], tracking_number: '1Z999AA10123456784', tracking_carrier: 'ups', comments: 'Zweite Lieferung — 📦' }),
  },
  { call: 'GET /v2/orders/{id}/shipments', file: V2, specPath: '/orders/{order_id}/shipments', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/shipments`) },
  { call: 'GET /v2/order_statuses', file: V2, specPath: '/order_statuses', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v2/order_statuses') },
  { call: 'GET /v2/orders/count', file: V2, specPath: '/orders/count', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v2/orders/count') },
  { call: 'POST /v2/orders (Unicode billing address)', file: V2, specPath: '/orders', method: 'post', status: 201, exception: { status: 200, reason: POST_V2_ORDERS_201 }, send: ({ sim, productId }) => placeApiOrder(sim, productId) },
  {
    call: 'DELETE /v2/orders/{id} (an order placed for it)',
    file: V2,
    specPath: '/orders/{order_id}',
    method: 'delete',
    status: 204,
    send: async ({ sim, productId }) => sim.api('DELETE', `/v2/orders/${(await ok(placeApiOrder(sim, productId), 'POST /v2/orders')).id}`),
  },
  { call: 'GET /v2/orders/{id}/products/{id} (a line shipped to the second address)', file: V2, specPath: '/orders/{order_id}/products/{product_id}', method: 'get', status: 200, send: ({ sim, orderId, secondAddressLineId }) => sim.api('GET', `/v2/orders/${orderId}/products/${secondAddressLineId}`) },
  { call: 'GET /v2/orders/{id}/shipping_addresses/{id} (the second address)', file: V2, specPath: '/orders/{order_id}/shipping_addresses/{id}', method: 'get', status: 200, send: ({ sim, orderId, addressIds }) => sim.api('GET', `/v2/orders/${orderId}/shipping_addresses/${addressIds[1] ?? addressIds[0]}`) },
  { call: 'GET /v2/orders/{id}/coupons (the worst-case Unicode coupon)', file: V2, specPath: '/orders/{order_id}/coupons', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/coupons`) },
  { call: 'GET /v2/orders/{id}/shipments/count', file: V2, specPath: '/orders/{order_id}/shipments/count', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/shipments/count`) },
  { call: 'GET /v2/orders/{id}/shipments/{id}', file: V2, specPath: '/orders/{order_id}/shipments/{shipment_id}', method: 'get', status: 200, send: ({ sim, orderId, shipmentId }) => sim.api('GET', `/v2/orders/${orderId}/shipments/${shipmentId}`) },
  {
    call: 'PUT /v2/orders/{id}/shipments/{id}',
    file: V2,
    specPath: '/orders/{order_id}/shipments/{shipment_id}',
    method: 'put',
    status: 200,
    send: ({ sim, orderId, shipmentId }) => sim.api('PUT', `/v2/orders/${orderId}/shipments/${shipmentId}`, { tracking_number: '1Z999AA10123456785', comments: 'Korrigiert — ✓' }),
  },
  {
    call: 'DELETE /v2/orders/{id}/shipments/{id} (a shipment placed for it)',
    file: V2,
    specPath: '/orders/{order_id}/shipments/{shipment_id}',
    method: 'delete',
    status: 204,
    send: async ({ sim, orderId, addressIds, secondAddressLineId }) => {
      const shipment = await ok(sim.api('POST', `/v2/orders/${orderId}/shipments`, { order_address_id: addressIds[1] ?? addressIds[0], items: [{ order_product_id: secondAddressLineId, quantity: 1 }], tracking_number: 'TO-DELETE' }), 'POST shipments');
      return sim.api('DELETE', `/v2/orders/${orderId}/shipments/${shipment.id}`);
    },
  },
  {
    call: 'GET /v2/orders/{id}/consignments?include=consignments.line_items (the worst-case order)',
    file: V2,
    specPath: '/orders/{order_id}/consignments',
    method: 'get',
    status: 200,
    exception: { reason: CONSIGNMENT_LINES_ONE_OF, adapt: withoutConsignmentLines },
    send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}/consignments?include=consignments.line_items`),
  },
  { call: 'GET /v2/orders/{id}/shipping_addresses/{id}/shipping_quotes (the checkout quote of the second address)', file: V2, specPath: '/orders/{order_id}/shipping_addresses/{shipping_address_id}/shipping_quotes', method: 'get', status: 200, send: ({ sim, orderId, addressIds }) => sim.api('GET', `/v2/orders/${orderId}/shipping_addresses/${addressIds[1] ?? addressIds[0]}/shipping_quotes`) },
  {
    call: 'GET /v2/orders/{id}/consignments/shipping/{id}/shipping_quotes (the first shipping consignment)',
    file: V2,
    specPath: '/orders/{order_id}/consignments/shipping/{shipping_consignment_id}/shipping_quotes',
    method: 'get',
    status: 200,
    send: ({ sim, orderId, addressIds }) => sim.api('GET', `/v2/orders/${orderId}/consignments/shipping/${addressIds[0]}/shipping_quotes`),
  },
  {
    call: 'PUT /v2/orders/{id}/shipping_addresses/{id} (Unicode address)',
    file: V2,
    specPath: '/orders/{order_id}/shipping_addresses/{id}',
    method: 'put',
    status: 200,
    send: ({ sim, orderId, addressIds }) => sim.api('PUT', `/v2/orders/${orderId}/shipping_addresses/${addressIds[0]}`, { first_name: 'Zoë', street_1: 'Königsallee 1', city: 'Düsseldorf', zip: '40212', country: 'Germany', country_iso2: 'DE' }),
  },
  {
    call: 'GET /v2/orders/{id}/fees (an API order given two fees)',
    file: V2,
    specPath: '/orders/{order_id}/fees',
    method: 'get',
    status: 200,
    exception: { reason: FEES_LIST, adapt: (body) => body.fees[1] },
    send: async ({ sim, productId }) => sim.api('GET', `/v2/orders/${await orderWithFees(sim, productId)}/fees`),
  },
  {
    call: 'DELETE /v2/orders/{id}/shipments (an API order with two shipments)',
    file: V2,
    specPath: '/orders/{order_id}/shipments',
    method: 'delete',
    status: 204,
    send: async ({ sim, productId }) => {
      const placed = await ok(placeApiOrder(sim, productId), 'POST /v2/orders');
      const [address] = await ok(sim.api('GET', `/v2/orders/${placed.id}/shipping_addresses`), 'GET shipping_addresses');
      const [line] = await ok(sim.api('GET', `/v2/orders/${placed.id}/products`), 'GET products');
      for (const n of [1, 2]) await ok(sim.api('POST', `/v2/orders/${placed.id}/shipments`, { order_address_id: address.id, items: [{ order_product_id: line.id, quantity: 1 }], tracking_number: `DEL-${n}` }), 'POST shipment');
      return sim.api('DELETE', `/v2/orders/${placed.id}/shipments`);
    },
  },
  { call: 'GET /v2/order_statuses/{id} (Awaiting Fulfillment)', file: V2, specPath: '/order_statuses/{status_id}', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v2/order_statuses/11') },

  // ---- Catalog V3 ------------------------------------------------------------------------------
  { call: 'GET /v3/catalog/products', file: PRODUCTS, specPath: '/catalog/products', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/catalog/products?limit=250') },
  { call: 'GET /v3/catalog/products?include=variants', file: PRODUCTS, specPath: '/catalog/products', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/catalog/products?include=variants&limit=250') },
  { call: 'GET /v3/catalog/products/{id}', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}`) },
  { call: 'GET /v3/catalog/products/{id}?include=variants', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}?include=variants`) },
  { call: 'PUT /v3/catalog/products (batch of one)', file: PRODUCTS, specPath: '/catalog/products', method: 'put', status: 200, send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', [{ id: productId, price: 19.99 }]) },
  {
    call: 'POST /v3/catalog/products (Unicode name)',
    file: PRODUCTS,
    specPath: '/catalog/products',
    method: 'post',
    status: 200,
    send: ({ sim }) => sim.api('POST', '/v3/catalog/products', { name: 'Crème brûlée Set — 🍮 conformance', type: 'physical', weight: 1.5, price: 24.9, sku: 'CONF-CREME-1' }),
  },
  { call: 'PUT /v3/catalog/products/{id}', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'put', status: 200, send: ({ sim, productId }) => sim.api('PUT', `/v3/catalog/products/${productId}`, { price: 21.5 }) },
  { call: 'GET /v3/catalog/variants', file: VARIANTS, specPath: '/catalog/variants', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/catalog/variants?limit=250') },
  { call: 'GET /v3/catalog/products/{id}/variants', file: VARIANTS, specPath: '/catalog/products/{product_id}/variants', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}/variants`) },
  {
    call: 'DELETE /v3/catalog/products/{id} (a product made for it)',
    file: PRODUCTS,
    specPath: '/catalog/products/{product_id}',
    method: 'delete',
    status: 204,
    send: async ({ sim }) => sim.api('DELETE', `/v3/catalog/products/${(await ok(sim.api('POST', '/v3/catalog/products', { name: 'Zu löschen — conformance', type: 'physical', weight: 1, price: 5 }), 'POST product')).data.id}`),
  },
  {
    call: 'DELETE /v3/catalog/products?id:in= (two products made for it)',
    file: PRODUCTS,
    specPath: '/catalog/products',
    method: 'delete',
    status: 204,
    send: async ({ sim }) => {
      const ids: number[] = [];
      for (const n of [1, 2]) ids.push((await ok(sim.api('POST', '/v3/catalog/products', { name: `Batch delete ${n} — conformance`, type: 'digital', weight: 0, price: 1 }), 'POST product')).data.id);
      return sim.api('DELETE', `/v3/catalog/products?id:in=${ids.join(',')}`);
    },
  },
  {
    call: 'POST /v3/catalog/products/{id}/variants (a new option value, Unicode label)',
    file: VARIANTS,
    specPath: '/catalog/products/{product_id}/variants',
    method: 'post',
    status: 200,
    send: async ({ sim, productId }) => sim.api('POST', `/v3/catalog/products/${productId}/variants`, { sku: 'CONF-VARIANT-1', price: 17.25, option_values: await unusedCombination(sim, productId, 'Übergröße — XXL') }),
  },
  { call: 'POST /v3/catalog/products/{id}/variants for a missing product (404)', file: VARIANTS, specPath: '/catalog/products/{product_id}/variants', method: 'post', status: 404, send: ({ sim }) => sim.api('POST', '/v3/catalog/products/987654321/variants', { sku: 'NOPE-1', option_values: [{ id: 1, option_id: 1 }] }) },
  {
    call: 'DELETE /v3/catalog/products/{id}/variants/{id} (a variant made for it)',
    file: VARIANTS,
    specPath: '/catalog/products/{product_id}/variants/{variant_id}',
    method: 'delete',
    status: 204,
    send: async ({ sim, productId }) => {
      const made = await ok(sim.api('POST', `/v3/catalog/products/${productId}/variants`, { sku: 'CONF-VARIANT-DEL', option_values: await unusedCombination(sim, productId, 'To delete') }), 'POST variant');
      return sim.api('DELETE', `/v3/catalog/products/${productId}/variants/${made.data.id}`);
    },
  },
  { call: 'PUT /v3/catalog/variants', file: VARIANTS, specPath: '/catalog/variants', method: 'put', status: 200, send: ({ sim, variantId }) => sim.api('PUT', '/v3/catalog/variants', [{ id: variantId, price: 12.5, sale_price: null }]) },
  {
    call: 'PUT /v3/inventory/adjustments/absolute',
    file: INVENTORY,
    specPath: '/inventory/adjustments/absolute',
    method: 'put',
    status: 200,
    send: ({ sim, variantId }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', { reason: 'Inventur — recount', items: [{ location_id: 1, variant_id: variantId, quantity: 7 }] }),
  },
  {
    call: 'POST /v3/inventory/adjustments/relative',
    file: INVENTORY,
    specPath: '/inventory/adjustments/relative',
    method: 'post',
    status: 200,
    send: ({ sim, variantId }) => sim.api('POST', '/v3/inventory/adjustments/relative', { reason: 'Wareneingang — delivery', items: [{ location_id: 1, variant_id: variantId, quantity: 3 }] }),
  },

  // ---- Customers V3 ----------------------------------------------------------------------------
  { call: 'GET /v3/customers', file: CUSTOMERS, specPath: '/customers', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/customers?limit=250') },
  {
    call: 'POST /v3/customers (Unicode names)',
    file: CUSTOMERS,
    specPath: '/customers',
    method: 'post',
    status: 200,
    send: ({ sim }) => sim.api('POST', '/v3/customers', [{ email: 'zoe.orsted@example.com', first_name: 'Zoë 😀', last_name: 'Ørsted-Łukasiewicz', company: 'Ünïcødé GmbH' }]),
  },
  {
    call: 'PUT /v3/customers (Unicode names)',
    file: CUSTOMERS,
    specPath: '/customers',
    method: 'put',
    status: 200,
    send: async ({ sim }) => {
      const [customer] = (await ok(sim.api('GET', '/v3/customers?limit=1'), 'GET /v3/customers')).data;
      return sim.api('PUT', '/v3/customers', [{ id: customer.id, first_name: 'Ægir 🌊', company: 'Fjörð ehf.' }]);
    },
  },

  // ---- Webhooks V3 -----------------------------------------------------------------------------
  { call: 'POST /v3/hooks', file: WEBHOOKS, specPath: '/hooks', method: 'post', status: 200, send: ({ sim }) => sim.api('POST', '/v3/hooks', { scope: 'store/product/updated', destination: 'https://hooks.example.com/bc/products', is_active: true, headers: { 'X-Custom': 'yes' } }) },
  { call: 'GET /v3/hooks', file: WEBHOOKS, specPath: '/hooks', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/hooks') },
  { call: 'GET /v3/hooks/{id}', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', method: 'get', status: 200, send: ({ sim, hookId }) => sim.api('GET', `/v3/hooks/${hookId}`) },
  { call: 'PUT /v3/hooks/{id}', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', method: 'put', status: 200, send: ({ sim, hookId }) => sim.api('PUT', `/v3/hooks/${hookId}`, { destination: 'https://hooks.example.com/bc/orders-v2', headers: { 'X-Tenant': 'Zürich' } }) },
  {
    call: 'DELETE /v3/hooks/{id} (a hook created for it)',
    file: WEBHOOKS,
    specPath: '/hooks/{webhook_id}',
    method: 'delete',
    status: 200,
    send: async ({ sim }) => sim.api('DELETE', `/v3/hooks/${(await ok(sim.api('POST', '/v3/hooks', { scope: 'store/customer/*', destination: 'https://hooks.example.com/bc/gone' }), 'POST /v3/hooks')).data.id}`),
  },
  // /v2/hooks: the same hooks, bare (no document; checked against the V3 operations, wrapped).
  { call: 'POST /v2/hooks', file: WEBHOOKS, specPath: '/hooks', operation: '/v2/hooks', method: 'post', status: 200, exception: { reason: V2_HOOKS_UNDOCUMENTED, adapt: wrapV2Hook }, send: ({ sim }) => sim.api('POST', '/v2/hooks', { scope: 'store/shipment/*', destination: 'https://hooks.example.com/bc/v2-shipments', headers: { 'X-Tenant': 'Zürich' } }) },
  { call: 'GET /v2/hooks', file: WEBHOOKS, specPath: '/hooks', operation: '/v2/hooks', method: 'get', status: 200, exception: { reason: V2_HOOKS_UNDOCUMENTED, adapt: wrapV2Hook }, send: ({ sim }) => sim.api('GET', '/v2/hooks') },
  { call: 'GET /v2/hooks/{id} (a hook made through /v3/hooks)', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', operation: '/v2/hooks/{id}', method: 'get', status: 200, exception: { reason: V2_HOOKS_UNDOCUMENTED, adapt: wrapV2Hook }, send: ({ sim, hookId }) => sim.api('GET', `/v2/hooks/${hookId}`) },
  { call: 'PUT /v2/hooks/{id}', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', operation: '/v2/hooks/{id}', method: 'put', status: 200, exception: { reason: V2_HOOKS_UNDOCUMENTED, adapt: wrapV2Hook }, send: ({ sim, hookId }) => sim.api('PUT', `/v2/hooks/${hookId}`, { is_active: true }) },
  {
    call: 'DELETE /v2/hooks/{id} (a hook created for it)',
    file: WEBHOOKS,
    specPath: '/hooks/{webhook_id}',
    operation: '/v2/hooks/{id}',
    method: 'delete',
    status: 200,
    exception: { reason: V2_HOOKS_UNDOCUMENTED, adapt: wrapV2Hook },
    send: async ({ sim }) => {
      const made = await ok(sim.api('POST', '/v2/hooks', { scope: 'store/sku/*', destination: 'https://hooks.example.com/bc/v2-skus' }), 'POST /v2/hooks');
      return sim.api('DELETE', `/v2/hooks/${made.id}`);
    },
  },
  { call: 'PUT /v3/hooks/admin', file: WEBHOOKS, specPath: '/hooks/admin', method: 'put', status: 204, send: ({ sim }) => sim.api('PUT', '/v3/hooks/admin', { emails: ['ops@example.com', 'oncall@example.com'] }) },
  { call: 'GET /v3/hooks/admin (after setting the emails)', file: WEBHOOKS, specPath: '/hooks/admin', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/hooks/admin') },

  // ---- Orders V3 -------------------------------------------------------------------------------
  { call: 'GET /v3/orders/{id}/transactions (the worst-case order)', file: V3_ORDERS, specPath: '/orders/{order_id}/transactions', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v3/orders/${orderId}/transactions`) },
  {
    call: 'POST /v3/orders/{id}/payment_actions/refunds (one line of the worst-case order)',
    file: V3_ORDERS,
    specPath: '/orders/{order_id}/payment_actions/refunds',
    method: 'post',
    status: 201,
    exception: { reason: REFUND_ITEM_NULL_AMOUNT, adapt: (body) => (withoutNullProductAmounts([body.data]), body) },
    send: ({ sim, orderId, secondAddressLineId }) => sim.api('POST', `/v3/orders/${orderId}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: secondAddressLineId, quantity: 1, reason: 'Beschädigt — damaged' }] }),
  },
  { call: 'GET /v3/orders/{id}/payment_actions/refunds (after the refund)', file: V3_ORDERS, specPath: '/orders/{order_id}/payment_actions/refunds', method: 'get', status: 200, exception: { reason: REFUND_ITEM_NULL_AMOUNT, adapt: (body) => (withoutNullProductAmounts(body.data), body) }, send: ({ sim, orderId }) => sim.api('GET', `/v3/orders/${orderId}/payment_actions/refunds`) },
  {
    call: 'GET /v3/orders/payment_actions/refunds/{id} (the refund above)',
    file: V3_ORDERS,
    specPath: '/orders/payment_actions/refunds/{refund_id}',
    method: 'get',
    status: 200,
    exception: { reason: REFUND_ITEM_NULL_AMOUNT, adapt: (body) => (withoutNullProductAmounts([body.data]), body) },
    send: async ({ sim, orderId }) => {
      const refunds = await ok(sim.api('GET', `/v3/orders/${orderId}/payment_actions/refunds`), 'GET refunds');
      return sim.api('GET', `/v3/orders/payment_actions/refunds/${refunds.data[0].id}`);
    },
  },
  { call: 'GET /v3/orders/payment_actions/refunds (every order)', file: V3_ORDERS, specPath: '/orders/payment_actions/refunds', method: 'get', status: 200, exception: { reason: REFUND_ITEM_NULL_AMOUNT, adapt: (body) => (withoutNullProductAmounts(body.data), body) }, send: ({ sim }) => sim.api('GET', '/v3/orders/payment_actions/refunds') },

  // ---- Documented V3 error answers ---------------------------------------------------------------
  {
    call: 'PUT /v3/catalog/products with 11 items (413)',
    file: PRODUCTS,
    specPath: '/catalog/products',
    method: 'put',
    status: 413,
    send: ({ sim, elevenProductIds }) => sim.api('PUT', '/v3/catalog/products', elevenProductIds.map((id) => ({ id, price: 1 }))),
  },
  { call: 'PUT /v3/catalog/products with a string price (422)', file: PRODUCTS, specPath: '/catalog/products', method: 'put', status: 422, send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', [{ id: productId, price: 'cheap' }]) },
  { call: 'GET /v3/catalog/products/{id} for a missing product (404)', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'get', status: 404, send: ({ sim }) => sim.api('GET', '/v3/catalog/products/987654321') },
  { call: 'GET /v3/customers with a non-numeric limit (422)', file: CUSTOMERS, specPath: '/customers', method: 'get', status: 422, send: ({ sim }) => sim.api('GET', '/v3/customers?limit=lots') },
  { call: 'POST /v3/hooks with an invalid scope (422)', file: WEBHOOKS, specPath: '/hooks', method: 'post', status: 422, send: ({ sim }) => sim.api('POST', '/v3/hooks', { scope: 'orders', destination: 'https://hooks.example.com/bc' }) },
  { call: 'GET /v3/hooks with a wrong token (401)', file: WEBHOOKS, specPath: '/hooks', method: 'get', status: 401, send: ({ sim }) => sim.api('GET', '/v3/hooks', undefined, 'not-a-token') },
  { call: 'GET /v3/hooks/{id} for a missing hook (404)', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', method: 'get', status: 404, send: ({ sim }) => sim.api('GET', '/v3/hooks/987654321') },
  {
    call: 'PUT /v3/inventory/adjustments/absolute with a negative quantity (422, application/problem+json)',
    file: INVENTORY,
    specPath: '/inventory/adjustments/absolute',
    method: 'put',
    status: 422,
    mediaType: 'application/problem+json',
    send: ({ sim, variantId }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 1, variant_id: variantId, quantity: -1 }] }),
  },
  // Last: it archives every order the rows above use (archived orders stay readable).
  { call: 'DELETE /v2/orders (archives every order)', file: V2, specPath: '/orders', method: 'delete', status: 204, send: ({ sim }) => sim.api('DELETE', '/v2/orders') },
];

/** Every string in a JSON value with a lone UTF-16 surrogate (a split emoji), by JSON pointer. */
function malformedStrings(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value) ? [`${at || '(root)'}: ${JSON.stringify(value.slice(-12))}`] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => malformedStrings(item, `${at}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => malformedStrings(v, `${at}/${k}`));
  return [];
}

const specSuite = haveSpecs ? describe : describe.skip;

specSuite(haveSpecs ? 'the simulator answers as the official BigCommerce OpenAPI specs say' : `the simulator answers as the official BigCommerce OpenAPI specs say (skipped: no specs folder at ${specsDir})`, () => {
  let ctx: Ctx;
  let validator: SpecValidator;
  const compiled = new Map<string, ReturnType<SpecValidator['compile']>>();

  async function validatorFor(file: string, specPath: string, method: string, status: number, mediaType: string) {
    const key = `${file} ${method} ${specPath} ${status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = validator.compile(responseSchema(await loadSpec(file), file, specPath, method, status, mediaType));
      compiled.set(key, validate);
    }
    return validate;
  }

  beforeAll(async () => {
    // Enterprise: no window quota, so the manual clock never has to move for this many calls.
    const sim = await startTestSim({ plan: 'enterprise', deliver: async () => ({ status: 200, durationMs: 0 }) });
    validator = createSpecValidator();
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'worst-case', count: 1 });
    expect(placed.status, placed.text).toBe(201);
    const orderId = placed.body.ids[0] as number;

    const addresses = await sim.api('GET', `/v2/orders/${orderId}/shipping_addresses`);
    const lines = await sim.api('GET', `/v2/orders/${orderId}/products?limit=250`);
    const addressIds = (addresses.body as { id: number }[]).map((a) => a.id);
    const lineFor = (addressId: number) => (lines.body as { id: number; order_address_id: number }[]).find((l) => l.order_address_id === addressId)!.id;
    // One shipment up front, so GET shipments has something to list (it answers 204 when empty).
    const first = await sim.api('POST', `/v2/orders/${orderId}/shipments`, { order_address_id: addressIds[0], items: [{ order_product_id: lineFor(addressIds[0]!), quantity: 1 }], tracking_number: 'SETUP-1' });
    expect(first.status, first.text).toBe(201);

    const products = await sim.api('GET', '/v3/catalog/products?include=variants&limit=250');
    const withVariants = (products.body.data as { id: number; variants: { id: number }[] }[]).find((p) => p.variants.length > 1) ?? products.body.data[0];
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/*', destination: 'https://hooks.example.com/bc/orders' });
    expect(hook.status, hook.text).toBe(200);

    ctx = {
      sim,
      orderId,
      addressIds,
      secondAddressLineId: lineFor(addressIds[1] ?? addressIds[0]!),
      productId: withVariants.id,
      variantId: withVariants.variants[0].id,
      elevenProductIds: (products.body.data as { id: number }[]).slice(0, 11).map((p) => p.id),
      hookId: hook.body.data.id,
      shipmentId: first.body.id,
    };
  });

  afterAll(async () => {
    await ctx?.sim.close();
  });

  it('places a worst-case order with Unicode, more than 100 lines and several shipping addresses', async () => {
    const { sim, orderId, addressIds } = ctx;
    const lines = await sim.api('GET', `/v2/orders/${orderId}/products?limit=250`);
    const order = await sim.api('GET', `/v2/orders/${orderId}`);
    expect(lines.body.length).toBeGreaterThanOrEqual(100);
    expect(addressIds.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(order.body.billing_address)).toMatch(/[^\x00-\x7F]/);
  });

  for (const row of rows) {
    const mediaType = row.mediaType ?? 'application/json';
    const documentedStatus = row.exception?.status ?? row.status;
    const where = `${row.file} ${row.method.toUpperCase()} ${row.specPath} ${documentedStatus} ${mediaType}`;
    it(`${row.call} matches ${where}${row.exception ? ' (with a documented exception)' : ''}`, async () => {
      const res = await row.send(ctx);
      expect(res.status, `${row.call} answered ${res.status}, the row expects ${row.status}: ${res.text.slice(0, 500)}`).toBe(row.status);
      const operation = (await loadSpec(row.file)).paths?.[row.specPath]?.[row.method];
      expect(operation, `${row.file} documents no ${row.method.toUpperCase()} ${row.specPath}`).toBeDefined();
      expect(Object.keys(operation.responses ?? {}), `${row.file} ${row.method.toUpperCase()} ${row.specPath} documents no ${documentedStatus} answer`).toContain(String(documentedStatus));
      // A success the document gives no content (204, or DELETE shipments) must come without a body;
      // the catalog documents write that as `content: {}`.
      const content = operation.responses[String(documentedStatus)].content;
      if (!content || Object.keys(content).length === 0) {
        expect(res.text, `${where} documents no content, but ${row.call} sent a body`).toBe('');
        return;
      }
      expect(res.headers['content-type'] ?? '', `${row.call}: the spec documents ${mediaType} for ${documentedStatus}`).toMatch(new RegExp(`^${mediaType.replace(/[+.]/g, '\\$&')}\\b`));
      expect(res.body, `${row.call}: the body is not JSON: ${res.text.slice(0, 200)}`).not.toBeUndefined();
      const validate = await validatorFor(row.file, row.specPath, row.method, documentedStatus, mediaType);
      const body = row.exception?.adapt ? row.exception.adapt(structuredClone(res.body)) : res.body;
      const valid = validate(body);
      if (!valid) {
        expect.fail(`${row.call} does not match ${where} (${validate.errors?.length} ajv errors):\n${formatAjvErrors(validate.errors, body)}`);
      }
    });
  }

  it('embeds, with include=variants, variants that match the variant schema of product-variants_catalog.v3.yml', async () => {
    // product_Full has no `variants` property, so the products schema never looks inside them;
    // check them against the variant item schema of GET /catalog/products/{product_id}/variants.
    const res = await ctx.sim.api('GET', '/v3/catalog/products?include=variants&limit=250');
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const variantsSpec = responseSchema(await loadSpec(VARIANTS), VARIANTS, '/catalog/products/{product_id}/variants', 'get', 200);
    const validate = validator.compile({ type: 'array', items: variantsSpec.properties.data.items });
    const embedded = (res.body.data as { variants?: unknown[] }[]).flatMap((p) => p.variants ?? []);
    expect(embedded.length).toBeGreaterThan(0);
    if (!validate(embedded)) {
      expect.fail(`variants embedded by GET /v3/catalog/products?include=variants (flattened, index = position across products) do not match ${VARIANTS} variant items:\n${formatAjvErrors(validate.errors, embedded)}`);
    }
  });

  it('sends only well-formed Unicode in the worst-case order (no emoji split into a lone surrogate)', async () => {
    const { sim, orderId } = ctx;
    const bodies = {
      [`GET /v2/orders/${orderId}`]: (await sim.api('GET', `/v2/orders/${orderId}?include=consignments.line_items`)).body,
      [`GET /v2/orders/${orderId}/products`]: (await sim.api('GET', `/v2/orders/${orderId}/products?limit=250`)).body,
      [`GET /v2/orders/${orderId}/shipping_addresses`]: (await sim.api('GET', `/v2/orders/${orderId}/shipping_addresses`)).body,
    };
    const broken = Object.entries(bodies).flatMap(([call, body]) => malformedStrings(body).map((at) => `${call} ${at}`));
    expect(broken, `strings ending in half a surrogate pair:\n${broken.join('\n')}`).toEqual([]);
  });

  it('rejects a real V2 order whose id was corrupted into a string, naming /id', async () => {
    const res = await ctx.sim.api('GET', `/v2/orders/${ctx.orderId}`);
    const validate = await validatorFor(V2, '/orders/{order_id}', 'get', 200, 'application/json');
    const corrupted = structuredClone(res.body);
    corrupted.id = String(corrupted.id);
    expect(validate(corrupted)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/id');
    expect(formatAjvErrors(validate.errors, corrupted)).toMatch(/\/id must be integer/);
  });

  it('rejects a real V3 product whose id was corrupted into a string and whose type left the enum', async () => {
    const res = await ctx.sim.api('GET', `/v3/catalog/products/${ctx.productId}`);
    const validate = await validatorFor(PRODUCTS, '/catalog/products/{product_id}', 'get', 200, 'application/json');
    const corrupted = structuredClone(res.body);
    corrupted.data.id = String(corrupted.data.id);
    corrupted.data.type = 'hologram';
    expect(validate(corrupted)).toBe(false);
    const paths = validate.errors?.map((e) => e.instancePath) ?? [];
    expect(paths).toContain('/data/id');
    expect(paths).toContain('/data/type');
  });
});

/**
 * Hand-written operations (`METHOD /v2|v3/path`, spec style, as `sim --list-operations` prints them)
 * that no row can call, each with the reason. Only for what truly cannot be called: an operation
 * with no body to validate still gets a row that checks its status and that no body came.
 */
const EXEMPT: Record<string, string> = {};

/** `METHOD /v2|v3/path` with every path parameter blanked, so `{id}` and `{order_id}` match. */
function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
}

/** The operation a row calls: its file gives the version (the V2 document's base is /v2, the V3 files' /v3). */
function rowOperation(row: Row): string {
  return operationKey(row.method, row.operation ?? `${row.file === V2 ? '/v2' : '/v3'}${row.specPath}`);
}

describe('the hand-written operations conformance table', () => {
  // From the app's own router (servedOperations), so a new hand-written route needs a row here.
  const handWritten = listServedOperations().filter((o) => o.op === 'hand-written');
  const covered = new Set(rows.map(rowOperation));

  it('has a row for every hand-written operation the simulator serves, or an exemption with a reason', () => {
    expect(handWritten.length, 'servedOperations found no hand-written route: has the router walk broken?').toBeGreaterThan(30);
    const uncovered = handWritten.filter((o) => !covered.has(operationKey(o.method, o.path)) && !(`${o.method} ${o.path}` in EXEMPT)).map((o) => `${o.method} ${o.path}`);
    expect(uncovered, `hand-written operations with no row in test/simulator/conformance.test.ts (add a row, or an EXEMPT entry with the reason it cannot be called):\n${uncovered.join('\n')}`).toEqual([]);
  });

  it('has rows and exemptions only for operations the simulator serves by hand, each exemption with a reason', () => {
    const served = new Set(handWritten.map((o) => operationKey(o.method, o.path)));
    const stray = [...new Set(rows.map(rowOperation))].filter((k) => !served.has(k));
    expect(stray, 'rows for operations that are not hand-written routes (a declared family operation belongs in conformance-rows/)').toEqual([]);
    for (const [op, reason] of Object.entries(EXEMPT)) {
      expect(handWritten.map((o) => `${o.method} ${o.path}`), `EXEMPT names ${op}, which is not a hand-written operation`).toContain(op);
      expect(covered.has(operationKey(op.split(' ')[0]!, op.split(' ')[1]!)), `EXEMPT names ${op}, which has a row: drop the exemption`).toBe(false);
      expect(reason.length, `EXEMPT ${op} needs a reason`).toBeGreaterThan(20);
    }
  });
});

describe('the spec validator plumbing', () => {
  it('survives a $ref to a missing fragment, a reference cycle and an unknown format, and still checks the rest', async () => {
    const doc = {
      openapi: '3.0.0',
      paths: {
        '/things/{id}': {
          get: {
            responses: {
              '200': {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'integer', example: 'not-checked', 'x-internal': true },
                        date_created: { type: 'string', format: 'rfc-2822-date' },
                        missing: { $ref: '#/components/schemas/DoesNotExist' },
                        tree: { $ref: '#/components/schemas/Node' },
                        count: { type: 'integer', minimum: 0, exclusiveMinimum: true },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Node: { type: 'object', nullable: true, readOnly: true, discriminator: { propertyName: 'kind' }, properties: { example: { type: 'string' }, child: { $ref: '#/components/schemas/Node' } } },
        },
      },
    };
    const spec = await dereferenceSpec(doc);
    const validate = createSpecValidator().compile(responseSchema(spec, 'inline', '/things/{id}', 'get', 200));
    expect(validate({ id: 1, date_created: 'Fri, 27 Nov 2026 12:00:00 +0000', missing: { anything: true }, tree: { example: 'kept as a property', child: null }, count: 1 }), formatAjvErrors(validate.errors, {})).toBe(true);
    const bad = { id: '1', tree: { example: 5 }, count: 0 };
    expect(validate(bad)).toBe(false);
    const paths = validate.errors?.map((e) => e.instancePath) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['/id', '/tree/example', '/count']));
  });
});
