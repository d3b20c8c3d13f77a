/**
 * Bad input never crashes the simulator and is answered in the platform's error envelopes:
 * V2 an array `[{status, message}]`, V3 `{status, title, type, errors}`, the control plane
 * `{status, title, errors}`.
 *
 * Each case is one row: how to send it, the expected status and envelope, and (where the platform
 * names it) the field the error must name. Every case runs once on its own, then all of them again
 * at once in one Promise.all batch; afterwards a valid GET /v2/orders/{id} must still answer 200,
 * and nothing may have been answered with (or logged as) an internal simulator error.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { call, startTestSim, type ApiResponse, type TestSim } from '../support/simulator.ts';

const V3_UNAUTHORIZED = 'Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store.';
const TWO_MB = 2 * 1024 * 1024;

type Envelope = 'v2' | 'v3' | 'control';

interface Ctx {
  sim: TestSim;
  orderId: number;
  productId: number;
  /** A product only the deep-nesting case touches, so a simulator bug there cannot spill over. */
  deepProductId: number;
  /** A product only the bad `type` case touches. */
  typeProductId: number;
  variantId: number;
  /** A variant (and its product) only the unknown-field case touches. */
  spareVariant: { id: number; product_id: number };
  elevenProductIds: number[];
}

interface Case {
  /** Completes "answers ... to <name>". */
  name: string;
  send(ctx: Ctx): Promise<ApiResponse>;
  /** One status, or the statuses the platform might reasonably answer (never 500). */
  status: number | number[];
  /** The error envelope expected when the answer is 4xx. */
  envelope: Envelope;
  /** The error must name this field: a V3/control `errors` key containing it, or the V2 message/details. */
  field?: string;
  /** V3/control title (or V2 message) must contain this. */
  title?: string;
  /** Further checks after the answer, for cases that could corrupt state. */
  after?(ctx: Ctx, res: ApiResponse): Promise<void>;
}

/** A Management API call with exactly the headers given (no default token). */
async function raw(sim: TestSim, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<ApiResponse> {
  return call(`${sim.url}${path}`, method, headers, body);
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const DEEP = nested(50_000);

const cases: Case[] = [
  // ---- Malformed JSON --------------------------------------------------------------------------
  { name: 'a malformed JSON body on V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, '{"status_id": 2,'), status: 400, envelope: 'v2' },
  { name: 'a malformed JSON body on V3 PUT /v3/catalog/products', send: ({ sim }) => sim.api('PUT', '/v3/catalog/products', '[{"id": 1, "price": }]'), status: 400, envelope: 'v3' },

  // ---- Wrong types -----------------------------------------------------------------------------
  { name: 'status_id "abc" on V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, { status_id: 'abc' }), status: 400, envelope: 'v2', field: 'status_id' },
  {
    name: 'a string order_address_id on V2 POST /v2/orders/{id}/shipments',
    send: ({ sim, orderId }) => sim.api('POST', `/v2/orders/${orderId}/shipments`, { order_address_id: 'first', items: [{ order_product_id: 1, quantity: 1 }] }),
    status: 400,
    envelope: 'v2',
    field: 'order_address_id',
  },
  { name: 'a string price on V3 PUT /v3/catalog/products', send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', [{ id: productId, price: '12.00' }]), status: 422, envelope: 'v3', field: 'price' },
  {
    // products_catalog.v3.yml: type is an enum of physical and digital in the PUT item schema.
    name: 'a product type of 42 on V3 PUT /v3/catalog/products',
    send: ({ sim, typeProductId }) => sim.api('PUT', '/v3/catalog/products', [{ id: typeProductId, type: 42 }]),
    status: 422,
    envelope: 'v3',
    field: 'type',
    after: async ({ sim, typeProductId }) => {
      const product = await sim.api('GET', `/v3/catalog/products/${typeProductId}`);
      expect.soft(['physical', 'digital'], `product ${typeProductId} type after the update`).toContain(product.body?.data?.type);
    },
  },
  { name: 'a string price on V3 PUT /v3/catalog/variants', send: ({ sim, variantId }) => sim.api('PUT', '/v3/catalog/variants', [{ id: variantId, price: 'cheap' }]), status: 422, envelope: 'v3', field: 'price' },
  { name: 'a numeric email on V3 POST /v3/customers', send: ({ sim }) => sim.api('POST', '/v3/customers', [{ email: 42, first_name: 'Zoë', last_name: 'Ørsted' }]), status: 422, envelope: 'v3', field: 'email' },
  {
    name: 'a string quantity on V3 PUT /v3/inventory/adjustments/absolute',
    send: ({ sim, variantId }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 1, variant_id: variantId, quantity: 'ten' }] }),
    status: 422,
    envelope: 'v3',
    field: 'quantity',
  },
  { name: 'an is_active of "yes" on V3 POST /v3/hooks', send: ({ sim }) => sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: 'https://hooks.example.com/bc', is_active: 'yes' }), status: 422, envelope: 'v3', field: 'is_active' },

  // ---- Size limits -----------------------------------------------------------------------------
  {
    name: 'a body over 2 MB on V2 PUT /v2/orders/{id}',
    send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, JSON.stringify({ staff_notes: 'x'.repeat(TWO_MB + 1024) })),
    status: 413,
    envelope: 'v2',
  },
  {
    name: 'a body over 2 MB on V3 PUT /v3/catalog/products',
    send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', JSON.stringify([{ id: productId, description: 'x'.repeat(TWO_MB + 1024) }])),
    status: 413,
    envelope: 'v3',
  },
  {
    name: 'a V3 PUT /v3/catalog/products batch of 11 items',
    send: ({ sim, elevenProductIds }) => sim.api('PUT', '/v3/catalog/products', elevenProductIds.map((id) => ({ id, price: 1 }))),
    status: 413,
    envelope: 'v3',
    title: 'maximum items allowed in the array is 10',
  },

  // ---- Unknown stores, routes and ids ----------------------------------------------------------
  { name: 'an unknown store hash on V2', send: ({ sim }) => raw(sim, 'GET', '/stores/nosuchstore/v2/orders', { 'x-auth-token': sim.token }), status: 404, envelope: 'v2' },
  { name: 'an unknown store hash on V3', send: ({ sim }) => raw(sim, 'GET', '/stores/nosuchstore/v3/catalog/products', { 'x-auth-token': sim.token }), status: 404, envelope: 'v3' },
  { name: 'an unknown V2 route under a valid store', send: ({ sim }) => sim.api('GET', '/v2/no_such_resource'), status: 404, envelope: 'v2' },
  { name: 'an unknown V3 route under a valid store', send: ({ sim }) => sim.api('GET', '/v3/catalog/no-such-resource'), status: 404, envelope: 'v3' },
  { name: 'a non-numeric order id (/v2/orders/abc)', send: ({ sim }) => sim.api('GET', '/v2/orders/abc'), status: 404, envelope: 'v2' },
  { name: 'a negative order id (/v2/orders/-1)', send: ({ sim }) => sim.api('GET', '/v2/orders/-1'), status: 404, envelope: 'v2' },
  { name: 'a non-numeric product id (/v3/catalog/products/abc)', send: ({ sim }) => sim.api('GET', '/v3/catalog/products/abc'), status: 404, envelope: 'v3' },
  { name: 'a non-numeric hook id (/v3/hooks/abc)', send: ({ sim }) => sim.api('GET', '/v3/hooks/abc'), status: 404, envelope: 'v3' },

  // ---- Authentication and scopes ---------------------------------------------------------------
  { name: 'a V2 request without X-Auth-Token', send: ({ sim, orderId }) => raw(sim, 'GET', `/stores/${sim.hash}/v2/orders/${orderId}`), status: 401, envelope: 'v2' },
  { name: 'a V2 request with a wrong X-Auth-Token', send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}`, undefined, 'wrong-token'), status: 401, envelope: 'v2' },
  { name: 'a V3 request without X-Auth-Token', send: ({ sim }) => raw(sim, 'GET', `/stores/${sim.hash}/v3/catalog/products`), status: 401, envelope: 'v3', title: V3_UNAUTHORIZED },
  { name: 'a V3 request with a wrong X-Auth-Token', send: ({ sim }) => sim.api('GET', '/v3/catalog/products', undefined, 'wrong-token'), status: 401, envelope: 'v3', title: V3_UNAUTHORIZED },
  { name: 'a read-only token doing V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, { staff_notes: 'nope' }, sim.readOnlyToken), status: 403, envelope: 'v2' },
  { name: 'a read-only token doing V3 PUT /v3/catalog/products', send: ({ sim, productId }) => sim.api('PUT', '/v3/catalog/products', [{ id: productId, price: 1 }], sim.readOnlyToken), status: 403, envelope: 'v3' },
  { name: 'a read-only token doing V2 GET /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('GET', `/v2/orders/${orderId}`, undefined, sim.readOnlyToken), status: 200, envelope: 'v2' },
  { name: 'a read-only token doing V3 GET /v3/catalog/products/{id}', send: ({ sim, productId }) => sim.api('GET', `/v3/catalog/products/${productId}`, undefined, sim.readOnlyToken), status: 200, envelope: 'v3' },

  // ---- Odd bodies ------------------------------------------------------------------------------
  { name: 'an empty array batch on V3 PUT /v3/catalog/products', send: ({ sim }) => sim.api('PUT', '/v3/catalog/products', []), status: 422, envelope: 'v3' },
  { name: 'an empty array batch on V3 PUT /v3/catalog/variants', send: ({ sim }) => sim.api('PUT', '/v3/catalog/variants', []), status: 422, envelope: 'v3' },
  { name: 'an empty array batch on V3 POST /v3/customers', send: ({ sim }) => sim.api('POST', '/v3/customers', []), status: 422, envelope: 'v3' },
  { name: 'an empty items array on V3 PUT /v3/inventory/adjustments/absolute', send: ({ sim }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', { items: [] }), status: 422, envelope: 'v3', field: 'items' },
  { name: 'a null body on V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, 'null'), status: 400, envelope: 'v2' },
  { name: 'a null body on V3 PUT /v3/catalog/products', send: ({ sim }) => sim.api('PUT', '/v3/catalog/products', 'null'), status: 422, envelope: 'v3' },
  { name: 'a null body on V3 POST /v3/hooks', send: ({ sim }) => sim.api('POST', '/v3/hooks', 'null'), status: 422, envelope: 'v3' },
  { name: 'a null body on V3 PUT /v3/inventory/adjustments/absolute', send: ({ sim }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', 'null'), status: 422, envelope: 'v3' },
  { name: 'a JSON string body on V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, '"status_id=2"'), status: 400, envelope: 'v2' },
  { name: 'a JSON string body on V3 PUT /v3/catalog/products', send: ({ sim }) => sim.api('PUT', '/v3/catalog/products', '"[{\\"id\\":1}]"'), status: 422, envelope: 'v3' },
  { name: 'a JSON string body on V3 POST /v3/hooks', send: ({ sim }) => sim.api('POST', '/v3/hooks', '"store/order/created"'), status: 422, envelope: 'v3' },
  { name: 'a JSON string body on V3 PUT /v3/inventory/adjustments/absolute', send: ({ sim }) => sim.api('PUT', '/v3/inventory/adjustments/absolute', '"items"'), status: 422, envelope: 'v3' },
  { name: 'a JSON body nested 50,000 deep on V2 PUT /v2/orders/{id}', send: ({ sim, orderId }) => sim.api('PUT', `/v2/orders/${orderId}`, DEEP), status: 400, envelope: 'v2' },
  { name: 'a JSON body nested 50,000 deep on V3 PUT /v3/catalog/products', send: ({ sim }) => sim.api('PUT', '/v3/catalog/products', DEEP), status: 422, envelope: 'v3' },
  {
    // An unknown field is either ignored (200) or rejected (422); the platform never stores it,
    // and it must not break later reads of the product.
    name: 'an unknown field nested 50,000 deep inside a V3 PUT /v3/catalog/products item',
    send: ({ sim, deepProductId }) => sim.api('PUT', '/v3/catalog/products', `[{"id":${deepProductId},"price":3,"extra":${DEEP}}]`),
    status: [200, 422],
    envelope: 'v3',
    after: async ({ sim, deepProductId }) => {
      const product = await sim.api('GET', `/v3/catalog/products/${deepProductId}`);
      expect.soft(product.status, `GET /v3/catalog/products/${deepProductId} after the deep update: ${product.text.slice(0, 200)}`).toBe(200);
      if (product.status === 200) expect.soft(product.body.data, 'the unknown field was stored on the product').not.toHaveProperty('extra');
      const list = await sim.api('GET', '/v3/catalog/products?limit=250');
      expect.soft(list.status, `GET /v3/catalog/products after the deep update: ${list.text.slice(0, 200)}`).toBe(200);
    },
  },
  {
    // product_id is not a field of the PUT /catalog/variants item schema (product-variants_catalog.v3.yml).
    name: 'an unknown product_id field on a V3 PUT /v3/catalog/variants item',
    send: ({ sim, spareVariant }) => sim.api('PUT', '/v3/catalog/variants', [{ id: spareVariant.id, product_id: 'abc' }]),
    status: [200, 422],
    envelope: 'v3',
    after: async ({ sim, spareVariant }) => {
      const variants = await sim.api('GET', `/v3/catalog/variants?id:in=${spareVariant.id}`);
      expect.soft(variants.status, variants.text.slice(0, 200)).toBe(200);
      const variant = (variants.body?.data as { id: number; product_id: unknown }[] | undefined)?.find((v) => v.id === spareVariant.id);
      expect.soft(variant?.product_id, `variant ${spareVariant.id} product_id after the update`).toBe(spareVariant.product_id);
    },
  },

  // ---- Control plane ---------------------------------------------------------------------------
  { name: 'a control-plane request without the bearer token', send: ({ sim }) => raw(sim, 'GET', '/__sim/faults'), status: 401, envelope: 'control' },
  { name: 'a control-plane request with a wrong bearer token', send: ({ sim }) => raw(sim, 'PUT', '/__sim/faults', { authorization: 'Bearer not-the-token' }, '{}'), status: 401, envelope: 'control' },
  { name: 'a fault plan with webhooks.duplicate = 2', send: ({ sim }) => sim.control('PUT', '/faults', { webhooks: { duplicate: 2 } }), status: 422, envelope: 'control', field: 'webhooks.duplicate' },
  { name: 'a fault plan with an unknown key', send: ({ sim }) => sim.control('PUT', '/faults', { api: { latencyMs: 5, teleport: true } }), status: 422, envelope: 'control', field: 'api' },
  { name: 'a malformed JSON fault plan', send: ({ sim }) => sim.control('PUT', '/faults', '{"webhooks":'), status: 400, envelope: 'control' },
  { name: "a shopper order with profile 'nope'", send: ({ sim }) => sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'nope', count: 1 }), status: 422, envelope: 'control', field: 'profile' },
  { name: 'a shopper order batch with count 0', send: ({ sim }) => sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 0 }), status: 422, envelope: 'control', field: 'count' },
];

function expectEnvelope(c: Case, res: ApiResponse): void {
  const label = `${c.name}: ${res.status} ${res.text.slice(0, 400)}`;
  if (c.envelope === 'v2') {
    expect(Array.isArray(res.body), `${label}\nV2 errors are an array of {status, message}`).toBe(true);
    expect(res.body.length, label).toBeGreaterThanOrEqual(1);
    for (const item of res.body) {
      expect(item, label).toMatchObject({ status: res.status, message: expect.any(String) });
      expect(item.message.length, label).toBeGreaterThan(0);
    }
    if (c.field) expect(JSON.stringify(res.body), `${label}\nthe error must name ${c.field}`).toContain(c.field);
    if (c.title) expect(res.body[0].message, label).toContain(c.title);
    return;
  }
  expect(res.body && typeof res.body === 'object' && !Array.isArray(res.body), `${label}\n${c.envelope} errors are an object`).toBe(true);
  expect(res.body, label).toMatchObject({ status: res.status, title: expect.any(String), errors: expect.any(Object) });
  if (c.envelope === 'v3') expect(res.body.type, label).toEqual(expect.any(String));
  if (c.field) {
    const keys = Object.keys(res.body.errors);
    expect(keys.some((k) => k.includes(c.field!)), `${label}\nerrors must name ${c.field}; keys: ${keys.join(', ')}`).toBe(true);
  }
  if (c.title) expect(res.body.title, label).toContain(c.title);
}

function expectAnswer(c: Case, res: ApiResponse, check: typeof expect.soft = expect): boolean {
  const allowed = Array.isArray(c.status) ? c.status : [c.status];
  check(allowed, `${c.name}: answered ${res.status} ${res.text.slice(0, 400)}`).toContain(res.status);
  if (!allowed.includes(res.status)) return false;
  if (res.status >= 400) expectEnvelope(c, res);
  return true;
}

function titleOf(c: Case): string {
  const statuses = Array.isArray(c.status) ? c.status : [c.status];
  const shape = c.envelope === 'control' ? 'control-plane' : c.envelope.toUpperCase();
  const ok = statuses.filter((s) => s < 400);
  const errors = statuses.filter((s) => s >= 400);
  if (errors.length === 0) return `answers ${ok.join(' or ')} to ${c.name}`;
  const error = `${errors.join(' or ')} in the ${shape} error shape`;
  return ok.length === 0 ? `answers ${error} to ${c.name}` : `answers ${ok.join(' or ')}, or ${error}, to ${c.name}`;
}

describe('bad input never crashes the simulator and gets the platform error shapes', () => {
  let ctx: Ctx;
  let consoleError: MockInstance<typeof console.error>;
  const logged: string[] = [];
  const answers: { name: string; status: number; text: string }[] = [];

  const send = async (c: Case): Promise<ApiResponse> => {
    const res = await c.send(ctx);
    answers.push({ name: c.name, status: res.status, text: res.text.slice(0, 300) });
    return res;
  };

  beforeAll(async () => {
    // The simulator runs in this process: its error middleware logs through console.error.
    consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
    });
    // Enterprise: no window quota, so ~120 calls on a manual clock never meet a 429.
    const sim = await startTestSim({ plan: 'enterprise', deliver: async () => ({ status: 200, durationMs: 0 }) });
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 });
    expect(placed.status, placed.text).toBe(201);
    const products = await sim.api('GET', '/v3/catalog/products?include=variants&limit=250');
    const all = products.body.data as { id: number; variants: { id: number; product_id: number }[] }[];
    const [first, ...rest] = all;
    const spare = rest.filter((p) => p.variants.length > 0).at(-3)!;
    ctx = {
      sim,
      orderId: placed.body.ids[0],
      productId: first!.id,
      deepProductId: all.at(-1)!.id,
      typeProductId: all.at(-2)!.id,
      variantId: first!.variants[0]!.id,
      spareVariant: { id: spare.variants[0]!.id, product_id: spare.id },
      elevenProductIds: all.slice(0, 11).map((p) => p.id),
    };
  });

  afterAll(async () => {
    consoleError?.mockRestore();
    await ctx?.sim.close();
  });

  for (const c of cases) {
    it(titleOf(c), async () => {
      const res = await send(c);
      // Soft on the status, so the follow-up checks still report what a wrong answer left behind.
      expectAnswer(c, res, expect.soft);
      await c.after?.(ctx, res);
    });
  }

  it('answers every bad request correctly when they all arrive at once in one batch', async () => {
    const results = await Promise.allSettled(cases.map((c) => send(c)));
    const problems: string[] = [];
    results.forEach((result, i) => {
      const c = cases[i]!;
      if (result.status === 'rejected') {
        problems.push(`${c.name}: the request failed (${String(result.reason)})`);
        return;
      }
      try {
        expectAnswer(c, result.value);
      } catch (error) {
        problems.push((error as Error).message.split('\n')[0]!);
      }
    });
    expect(problems, `wrong answers in the concurrent batch:\n${problems.join('\n')}`).toEqual([]);
  });

  it('still answers a valid GET /v2/orders/{id} with 200 after all of them', async () => {
    expect(ctx.sim.running.server.listening).toBe(true);
    const order = await ctx.sim.api('GET', `/v2/orders/${ctx.orderId}`);
    expect(order.status, `GET /v2/orders/${ctx.orderId} after the bad input: ${order.text.slice(0, 300)}`).toBe(200);
    expect(order.body.id).toBe(ctx.orderId);
  });

  it('never answered 500 or logged an internal simulator error for any of them', () => {
    expect(answers.length, 'every case ran alone and in the batch before this check').toBeGreaterThanOrEqual(cases.length * 2);
    const fivehundreds = answers.filter((a) => a.status >= 500 || a.text.includes('Internal simulator error')).map((a) => `${a.name}: ${a.status} ${a.text}`);
    const internal = logged.filter((line) => /Internal simulator error|Failed to handle/.test(line));
    expect({ fivehundreds, internal }, `500 answers:\n${fivehundreds.join('\n')}\nlogged:\n${internal.join('\n')}`).toEqual({ fivehundreds: [], internal: [] });
  });
});
