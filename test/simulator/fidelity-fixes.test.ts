/**
 * The fidelity fixes of issue 13, over real HTTP on loopback: the 3-concurrent-updates rule on
 * customers, unknown brands, repeated list parameters on every read, scopes on every write, and
 * archived orders that stay readable.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerUpdateMsFor, DEFAULT_CUSTOMER_UPDATE_MS } from '../../simulator/domain/simulator.ts';
import type { Store } from '../../simulator/domain/store.ts';
import { managementApiRoutes, type RouteEntry } from '../support/route-table.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';

const noDeliver = async () => ({ status: 200, durationMs: 0 });
const key = (r: RouteEntry) => `${r.method} ${r.path}`;
/** Requests reach the server in milliseconds, but the machine may be busy: poll patiently. */
const SLOW_MACHINE = { timeout: 15_000 };

describe('at most 3 concurrent PUT /v3/customers', () => {
  const HOLD_MS = 1_000;
  let sim: TestSim;
  let store: Store;
  let ids: number[];

  beforeAll(async () => {
    // A manual clock with a processing time: updates stay in flight until the test moves time.
    sim = await startTestSim({ plan: 'enterprise', deliver: noDeliver, customerUpdateMs: HOLD_MS });
    store = sim.running.sim.stores.get(sim.hash)!;
    ids = [...store.customers.keys()].slice(0, 5);
  });
  afterAll(() => sim?.close());

  const put = (id: number, company: string) => sim.api('PUT', '/v3/customers', [{ id, company }]);

  it('answers a fourth concurrent update 429 without rate-limit headers, and applies the three held ones when their time is up', async () => {
    const held = [1, 2, 3].map((i) => put(ids[i]!, `Held ${i}`));
    await expect.poll(() => store.customerUpdates.inFlight, SLOW_MACHINE).toBe(3);

    const fourth = await put(ids[0]!, 'Fourth');
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ status: 429, title: expect.stringContaining('at most 3 PUT /v3/customers'), type: '/api-docs/getting-started/api-status-codes' });
    // Without the quota headers a client retries later instead of waiting for a quota reset.
    expect(Object.keys(fourth.headers).filter((h) => h.startsWith('x-rate-limit') || h === 'x-bc-apilimit-remaining')).toEqual([]);
    expect(store.customers.get(ids[0]!)!.company).not.toBe('Fourth');
    // Still processing: nothing is written yet.
    expect(store.customers.get(ids[1]!)!.company).not.toBe('Held 1');

    await sim.control('POST', '/clock', { advanceMs: HOLD_MS });
    const answers = await Promise.all(held);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.data[0].company)).toEqual(['Held 1', 'Held 2', 'Held 3']);
    expect(store.customerUpdates.inFlight).toBe(0);

    // With the slots free again the same update goes through.
    const retry = put(ids[0]!, 'Fourth');
    await expect.poll(() => store.customerUpdates.inFlight, SLOW_MACHINE).toBe(1);
    await sim.control('POST', '/clock', { advanceMs: HOLD_MS });
    expect((await retry).status).toBe(200);
    expect(store.customers.get(ids[0]!)!.company).toBe('Fourth');
  });

  it('frees the slot of a client that hangs up while its update is held, and leaves the customer unchanged', async () => {
    const before = store.customers.get(ids[4]!)!.company;
    const abort = new AbortController();
    const pending = request(`${sim.url}/stores/${sim.hash}/v3/customers`, {
      method: 'PUT',
      headers: { 'x-auth-token': sim.token, 'content-type': 'application/json' },
      body: JSON.stringify([{ id: ids[4], company: 'Never written' }]),
      signal: abort.signal,
    }).catch((error: unknown) => error);
    await expect.poll(() => store.customerUpdates.inFlight, SLOW_MACHINE).toBe(1);
    abort.abort();
    await pending;
    await expect.poll(() => store.customerUpdates.inFlight, SLOW_MACHINE).toBe(0);
    await sim.control('POST', '/clock', { advanceMs: HOLD_MS });
    expect(store.customers.get(ids[4]!)!.company).toBe(before);
  });

  it('frees the slot at once when the batch is refused', async () => {
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ id: ids[i % 5]!, company: 'x' }));
    expect((await sim.api('PUT', '/v3/customers', tooMany)).status).toBe(413);
    expect((await sim.api('PUT', '/v3/customers', [{ company: 'no id' }])).status).toBe(422);
    expect(store.customerUpdates.inFlight).toBe(0);
  });

  it('takes a realistic processing time on a running clock and none on a manual one, unless told', () => {
    expect(customerUpdateMsFor(60, undefined)).toBe(DEFAULT_CUSTOMER_UPDATE_MS);
    expect(customerUpdateMsFor(0, undefined)).toBe(0);
    expect(customerUpdateMsFor(0, 1_000)).toBe(1_000);
    expect(() => customerUpdateMsFor(1, -5)).toThrow(/customerUpdateMs -5/);
  });
});

describe('fidelity fixes on one store', () => {
  let sim: TestSim;
  let store: Store;
  let orderId: number;
  let orderProductId: number;
  let addressId: number;
  let shipmentId: number;
  let productId: number;
  let hookId: number;
  let cartId: string;

  beforeAll(async () => {
    sim = await startTestSim({ plan: 'enterprise', deliver: noDeliver });
    store = sim.running.sim.stores.get(sim.hash)!;
    productId = [...store.products.keys()][0]!;
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 2 });
    orderId = placed.body.ids[0];
    const lines = await sim.api('GET', `/v2/orders/${orderId}/products`);
    orderProductId = lines.body[0].id;
    addressId = lines.body[0].order_address_id;
    const shipment = await sim.api('POST', `/v2/orders/${orderId}/shipments`, { order_address_id: addressId, items: [{ order_product_id: orderProductId, quantity: 1 }] });
    expect(shipment.status, shipment.text).toBe(201);
    shipmentId = shipment.body.id;
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: 'http://127.0.0.1:9/hooks' });
    expect(hook.status, hook.text).toBe(200);
    hookId = hook.body.data.id;
    cartId = (await sim.control('POST', `/stores/${sim.hash}/carts`, { count: 1 })).body.ids[0];
  });
  afterAll(() => sim?.close());

  /** A route's path with real ids, so a call reaches its handler (`known`: every parameter was one of these). */
  const fillKnown = (path: string) =>
    path
      .replace(/^\/v2\/order_statuses\/:id/, '/v2/order_statuses/1')
      .replace(/^\/v3\/catalog\/products\/:id/, `/v3/catalog/products/${productId}`)
      .replace(/^\/(v2|v3)\/hooks\/:id/, `/$1/hooks/${hookId}`)
      .replace(/^\/(v2|v3)\/orders\/:id/, `/$1/orders/${orderId}`)
      .replace(':productId', String(orderProductId))
      .replace(':addressId', String(addressId))
      .replace(':shipmentId', String(shipmentId))
      .replace(':cartId', cartId);
  const fill = (path: string) => {
    const filled = fillKnown(path);
    // A route added later with parameters this test does not know still gets called, with id 1.
    return { path: filled.replace(/:[A-Za-z_]+/g, '1'), known: !/:[A-Za-z_]/.test(filled) };
  };

  describe('brand_id must name a brand the store has', () => {
    const brandOf = (id: number) => store.products.get(id)!.brand_id;
    const existingBrand = () => [...store.products.values()].map((p) => p.brand_id).find((b) => b > 0)!;

    it('refuses an unknown brand on a batch update with the 409 the spec gives, naming the field, and applies nothing', async () => {
      const [a, b] = [...store.products.keys()];
      const before = [brandOf(a!), brandOf(b!)];
      const res = await sim.api('PUT', '/v3/catalog/products', [{ id: a, brand_id: existingBrand() }, { id: b, brand_id: 9_999 }]);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: 409, type: '/api-docs/getting-started/api-status-codes', errors: { '[1].brand_id': 'brand 9999 not found' } });
      expect([brandOf(a!), brandOf(b!)]).toEqual(before);
    });

    it('refuses an unknown brand on PUT /v3/catalog/products/{id} and on POST /v3/catalog/products', async () => {
      const one = await sim.api('PUT', `/v3/catalog/products/${productId}`, { brand_id: 424_242 });
      expect(one.status).toBe(409);
      expect(one.body.errors).toEqual({ brand_id: 'brand 424242 not found' });
      const created = await sim.api('POST', '/v3/catalog/products', { name: 'Brandless Wonder', type: 'physical', weight: 1, price: 5, brand_id: 77 });
      expect(created.status).toBe(409);
      expect(created.body.errors).toEqual({ brand_id: 'brand 77 not found' });
      expect([...store.products.values()].some((p) => p.name === 'Brandless Wonder')).toBe(false);
    });

    it('accepts an existing brand and 0 (no brand), and a new product names no brand unless told', async () => {
      const brand = existingBrand();
      const set = await sim.api('PUT', `/v3/catalog/products/${productId}`, { brand_id: brand });
      expect(set.status, set.text).toBe(200);
      expect(set.body.data.brand_id).toBe(brand);
      expect((await sim.api('PUT', '/v3/catalog/products', [{ id: productId, brand_id: 0 }])).body.data[0].brand_id).toBe(0);
      const plain = await sim.api('POST', '/v3/catalog/products', { name: 'Plain Mug', type: 'physical', weight: 1, price: 5 });
      expect(plain.body.data.brand_id).toBe(0);
      const branded = await sim.api('POST', '/v3/catalog/products', { name: 'Branded Mug', type: 'physical', weight: 1, price: 5, brand_id: brand });
      expect(branded.status, branded.text).toBe(200);
      expect(branded.body.data.brand_id).toBe(brand);
    });
  });

  describe('repeated include_fields / exclude_fields', () => {
    it('joins a repeated exclude_fields on GET /v3/catalog/products', async () => {
      const res = await sim.api('GET', '/v3/catalog/products?exclude_fields=name&exclude_fields=price&limit=3');
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      for (const p of res.body.data) {
        expect(p).toHaveProperty('sku');
        expect(p).not.toHaveProperty('name');
        expect(p).not.toHaveProperty('price');
      }
    });

    it('answers every GET route the same with repeated include_fields and exclude_fields as without them', async () => {
      const gets = managementApiRoutes(sim.running.sim).filter((r) => r.method === 'GET');
      expect(gets.length).toBeGreaterThan(20);
      const problems: string[] = [];
      for (const route of gets) {
        const { path, known } = fill(route.path);
        const plain = await sim.api('GET', path);
        const repeated = await sim.api('GET', `${path}?include_fields=id&include_fields=name&exclude_fields=sku&exclude_fields=price`);
        // With real ids the call must reach its handler; with made-up ones it must not fail.
        if (known ? ![200, 204].includes(plain.status) : plain.status >= 500) problems.push(`${key(route)}: ${plain.status} without the parameters (${plain.text.slice(0, 120)})`);
        if (repeated.status !== plain.status) problems.push(`${key(route)}: ${repeated.status} with repeated parameters, ${plain.status} without (${repeated.text.slice(0, 120)})`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('scopes on every write', () => {
    /**
     * Write routes a read-only account may call. Webhooks need only the default scope, which every
     * account has (webhooks.v3.yml "None required"; facts section a); each account changes only its
     * own hooks and notification emails. Every other write route needs a scope, so a read-only
     * token gets 403 there, including routes added after this table was written.
     */
    const defaultScopeWrites = ['PUT /v3/hooks/admin', 'POST /v3/hooks', 'PUT /v3/hooks/:id', 'DELETE /v3/hooks/:id', 'POST /v2/hooks', 'PUT /v2/hooks/:id', 'DELETE /v2/hooks/:id'];
    const writes = () => managementApiRoutes(sim.running.sim).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

    it('answers a read-only token 403 on every write route that needs a scope, in the route version envelope', async () => {
      const scoped = writes().filter((r) => !defaultScopeWrites.includes(key(r)));
      expect(scoped.length).toBeGreaterThanOrEqual(15);
      const problems: string[] = [];
      for (const route of scoped) {
        const batch = route.path === '/v3/catalog/products' || route.path === '/v3/customers' || route.path === '/v3/catalog/variants';
        const res = await sim.api(route.method, fill(route.path).path, batch ? [{ id: 1 }] : {}, sim.readOnlyToken);
        const shapeOk = route.path.startsWith('/v2/') ? Array.isArray(res.body) && res.body[0]?.status === 403 : res.body?.status === 403 && typeof res.body?.title === 'string';
        if (res.status !== 403 || !shapeOk) problems.push(`${key(route)}: ${res.status} ${res.text.slice(0, 120)}`);
      }
      expect(problems).toEqual([]);
    });

    it('lets a read-only token manage its own hooks (default scope): never a 403', async () => {
      const open = writes().filter((r) => defaultScopeWrites.includes(key(r)));
      expect(open.map(key).sort()).toEqual([...defaultScopeWrites].sort());
      const problems: string[] = [];
      for (const route of open) {
        const res = await sim.api(route.method, fill(route.path).path, route.path.endsWith('/hooks/admin') ? { emails: ['ro@example.com'] } : {}, sim.readOnlyToken);
        if (res.status === 403 || res.status >= 500) problems.push(`${key(route)}: ${res.status} ${res.text.slice(0, 120)}`);
      }
      expect(problems).toEqual([]);
      // Another account's hook stays out of reach: 404, not someone else's data.
      expect((await sim.api('DELETE', `/v3/hooks/${hookId}`, undefined, sim.readOnlyToken)).status).toBe(404);
      expect((await sim.api('DELETE', `/v2/hooks/${hookId}`, undefined, sim.readOnlyToken)).status).toBe(404);
    });

    it('keeps /v3/hooks/admin emails per API account: a read-only account cannot change the full account', async () => {
      expect((await sim.api('PUT', '/v3/hooks/admin', { emails: ['ops@example.com'] })).status).toBe(204);
      expect((await sim.api('PUT', '/v3/hooks/admin', { emails: ['intruder@example.com'] }, sim.readOnlyToken)).status).toBe(204);
      expect((await sim.api('GET', '/v3/hooks/admin')).body.data.emails).toEqual(['ops@example.com']);
      expect((await sim.api('GET', '/v3/hooks/admin', undefined, sim.readOnlyToken)).body.data.emails).toEqual(['intruder@example.com']);
    });
  });

  describe('archived orders', () => {
    const listIds = async (query = '') => {
      const res = await sim.api('GET', `/v2/orders?limit=250${query}`);
      return res.status === 204 ? [] : (res.body as { id: number }[]).map((o) => o.id);
    };
    const events = async (scope: string, id: number) => {
      const text = (await sim.control('GET', '/ledger?kinds=webhook:event')).text;
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { scope: string; data: { id: number } })
        .filter((e) => e.scope === scope && e.data.id === id).length;
    };

    it('keeps an archived order readable with is_deleted true, out of the list unless is_deleted=true asks for archived ones', async () => {
      const id = orderId;
      expect((await sim.api('DELETE', `/v2/orders/${id}`)).status).toBe(204);
      const got = await sim.api('GET', `/v2/orders/${id}`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id, is_deleted: true });
      expect((await sim.api('GET', `/v2/orders/${id}/products`)).status).toBe(200);
      expect(await listIds()).not.toContain(id);
      const archived = await listIds('&is_deleted=true');
      expect(archived).toContain(id);
      for (const other of archived) expect(store.orders.get(other)!.order.is_deleted).toBe(true);
      expect((await sim.api('DELETE', `/v2/orders/${id}`)).status).toBe(404);
    });

    it('refuses to change an archived order unless the same PUT restores it with is_deleted false', async () => {
      const id = orderId;
      const refused = await sim.api('PUT', `/v2/orders/${id}`, { staff_notes: 'still here?' });
      expect(refused.status).toBe(404);
      expect(refused.body[0].message).toMatch(/archived.*is_deleted": false/);
      const restored = await sim.api('PUT', `/v2/orders/${id}`, { is_deleted: false, staff_notes: 'restored' });
      expect(restored.status, restored.text).toBe(200);
      expect(restored.body).toMatchObject({ id, is_deleted: false, staff_notes: 'restored' });
      expect(await listIds()).toContain(id);
      // The ledger flushes before it is read, and the event was raised before the answer.
      expect(await events('store/order/updated', id)).toBeGreaterThanOrEqual(1);
    });

    it('archives an order on PUT with is_deleted true, as DELETE does', async () => {
      const id = orderId;
      const res = await sim.api('PUT', `/v2/orders/${id}`, { is_deleted: true });
      expect(res.status, res.text).toBe(200);
      expect(res.body.is_deleted).toBe(true);
      expect(await listIds()).not.toContain(id);
      expect(await events('store/order/archived', id)).toBe(2);
      // Archiving an archived order again changes nothing.
      expect((await sim.api('PUT', `/v2/orders/${id}`, { is_deleted: true })).status).toBe(200);
      expect(await events('store/order/archived', id)).toBe(2);
    });
  });
});
