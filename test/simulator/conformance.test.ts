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
}

interface Row {
  /** The simulator call, as a client would describe it. */
  call: string;
  file: string;
  /** The spec's path key, relative to the file's server base. */
  specPath: string;
  method: 'get' | 'post' | 'put';
  status: number;
  mediaType?: string;
  send(ctx: Ctx): Promise<ApiResponse>;
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

  // ---- Catalog V3 ------------------------------------------------------------------------------
  { call: 'GET /v3/catalog/products', file: PRODUCTS, specPath: '/catalog/products', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/catalog/products?limit=250') },
  { call: 'GET /v3/catalog/products?include=variants', file: PRODUCTS, specPath: '/catalog/products', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/catalog/products?include=variants&limit=250') },
  { call: 'GET /v3/catalog/products/{id}', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}`) },
  { call: 'GET /v3/catalog/products/{id}?include=variants', file: PRODUCTS, specPath: '/catalog/products/{product_id}', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}?include=variants`) },
  { call: 'PUT /v3/catalog/products (batch of one)', file: PRODUCTS, specPath: '/catalog/products', method: 'put', status: 200, send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', [{ id: productId, price: 19.99 }]) },
  { call: 'GET /v3/catalog/products/{id}/variants', file: VARIANTS, specPath: '/catalog/products/{product_id}/variants', method: 'get', status: 200, send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}/variants`) },
  { call: 'PUT /v3/catalog/variants', file: VARIANTS, specPath: '/catalog/variants', method: 'put', status: 200, send: ({ sim, variantId }) => sim.api('PUT', '/v3/catalog/variants', [{ id: variantId, price: 12.5, sale_price: null }]) },
  {
    call: 'PUT /v3/inventory/adjustments/absolute',
    file: INVENTORY,
    specPath: '/inventory/adjustments/absolute',
    method: 'put',
    status: 200,
    send: ({ sim, variantId }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', { reason: 'Inventur — recount', items: [{ location_id: 1, variant_id: variantId, quantity: 7 }] }),
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

  // ---- Webhooks V3 -----------------------------------------------------------------------------
  { call: 'POST /v3/hooks', file: WEBHOOKS, specPath: '/hooks', method: 'post', status: 200, send: ({ sim }) => sim.api('POST', '/v3/hooks', { scope: 'store/product/updated', destination: 'https://hooks.example.com/bc/products', is_active: true, headers: { 'X-Custom': 'yes' } }) },
  { call: 'GET /v3/hooks', file: WEBHOOKS, specPath: '/hooks', method: 'get', status: 200, send: ({ sim }) => sim.api('GET', '/v3/hooks') },
  { call: 'GET /v3/hooks/{id}', file: WEBHOOKS, specPath: '/hooks/{webhook_id}', method: 'get', status: 200, send: ({ sim, hookId }) => sim.api('GET', `/v3/hooks/${hookId}`) },

  // ---- Orders V3 -------------------------------------------------------------------------------
  { call: 'GET /v3/orders/{id}/transactions (the worst-case order)', file: V3_ORDERS, specPath: '/orders/{order_id}/transactions', method: 'get', status: 200, send: ({ sim, orderId }) => sim.api('GET', `/v3/orders/${orderId}/transactions`) },

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
    const where = `${row.file} ${row.method.toUpperCase()} ${row.specPath} ${row.status} ${mediaType}`;
    it(`${row.call} matches ${where}`, async () => {
      const res = await row.send(ctx);
      expect(res.status, `${row.call} answered ${res.status}, the row expects ${row.status}: ${res.text.slice(0, 500)}`).toBe(row.status);
      expect(res.headers['content-type'] ?? '', `${row.call}: the spec documents ${mediaType} for ${row.status}`).toMatch(new RegExp(`^${mediaType.replace(/[+.]/g, '\\$&')}\\b`));
      expect(res.body, `${row.call}: the body is not JSON: ${res.text.slice(0, 200)}`).not.toBeUndefined();
      const validate = await validatorFor(row.file, row.specPath, row.method, row.status, mediaType);
      const valid = validate(res.body);
      if (!valid) {
        expect.fail(`${row.call} does not match ${where} (${validate.errors?.length} ajv errors):\n${formatAjvErrors(validate.errors, res.body)}`);
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
