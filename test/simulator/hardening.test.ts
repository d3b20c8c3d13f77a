/**
 * Hardening (issue 14, items 5, 7, 9 and 10): repeated query parameters, bounded and chunked
 * shopper generation on the control plane, random tokens by default, and the control plane's
 * token checked before its body is read. Real simulators on loopback port 0; no wall-time
 * assertions (another CPU-bound process may share the machine), only orderings and answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { connect } from 'node:net';
import { request } from 'undici';
import { MAX_SHOPPER_BATCH } from '../../simulator/http/routes/control.ts';
import { call, startTestSim, type TestSim } from '../support/simulator.ts';

const noDeliver = async () => ({ status: 200, durationMs: 0 });

/**
 * Send a request head and the first bytes of its body, never the rest, and read the answer (the
 * server may answer before the body is complete). Gives up after 20 s: a server that waits for
 * the body it does not need never answers.
 */
async function headOnly(base: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  try {
    return await new Promise((resolve, reject) => {
      let data = '';
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} ${path} before the body was sent`)), 20_000);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8');
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = data.slice(0, end);
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
        if (Buffer.byteLength(data.slice(end + 4)) < length) return;
        clearTimeout(timer);
        resolve({ status: Number(head.split(' ')[1]), head, body: data.slice(end + 4) });
      });
      const lines = [`${method} ${path} HTTP/1.1`, `host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n{"pad":"xxxx`);
    });
  } finally {
    socket.destroy();
  }
}

describe('repeated query parameters (item 5)', () => {
  let sim: TestSim;
  let consoleError: MockInstance<typeof console.error>;
  const logged: string[] = [];
  let productId: number;
  let orderId: number;

  beforeAll(async () => {
    consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    sim = await startTestSim({ plan: 'enterprise', deliver: noDeliver });
    const products = await sim.api('GET', '/v3/catalog/products?limit=1');
    productId = products.body.data[0].id;
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 });
    orderId = placed.body.ids[0];
  });

  afterAll(async () => {
    consoleError?.mockRestore();
    await sim?.close();
  });

  it('joins a repeated include_fields on GET /v3/catalog/products/{id}, as one comma-separated list', async () => {
    const res = await sim.api('GET', `/v3/catalog/products/${productId}?include_fields=name&include_fields=price`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['id', 'name', 'price']);
  });

  it('joins a repeated exclude_fields on GET /v3/catalog/products/{id}', async () => {
    const res = await sim.api('GET', `/v3/catalog/products/${productId}?exclude_fields=name&exclude_fields=price`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body.data).toHaveProperty('id', productId);
    expect(res.body.data).not.toHaveProperty('name');
    expect(res.body.data).not.toHaveProperty('price');
    expect(res.body.data).toHaveProperty('sku');
  });

  it('joins repeated list parameters on GET /v3/catalog/products and GET /v3/customers', async () => {
    const list = await sim.api('GET', '/v3/catalog/products?include_fields=name&include_fields=price&limit=2');
    expect(list.status, list.text.slice(0, 300)).toBe(200);
    for (const p of list.body.data) expect(Object.keys(p).sort()).toEqual(['id', 'name', 'price']);
    const customers = await sim.api('GET', '/v3/customers?id:in=1&id:in=2');
    expect(customers.status, customers.text.slice(0, 300)).toBe(200);
    expect(customers.body.data.map((c: { id: number }) => c.id).sort()).toEqual([1, 2]);
  });

  it('joins a repeated include on GET /v2/orders/{id}', async () => {
    const res = await sim.api('GET', `/v2/orders/${orderId}?include=fees&include=consignments`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body).toHaveProperty('fees');
    expect(res.body).toHaveProperty('consignments');
  });

  it.each([
    ['/v3/catalog/products?limit=1&limit=2', 'v3', 'limit'],
    ['/v3/catalog/products?sort=name&sort=id', 'v3', 'sort'],
    ['/v3/catalog/products/{product}/variants?page=1&page=2', 'v3', 'page'],
    ['/v3/catalog/variants?sku=a&sku=b', 'v3', 'sku'],
    ['/v3/customers?page=1&page=2', 'v3', 'page'],
    ['/v3/hooks?is_active=true&is_active=false', 'v3', 'is_active'],
    ['/v2/orders?limit=1&limit=2', 'v2', 'limit'],
    ['/v2/orders/{order}?consignment_structure=object&consignment_structure=object', 'v2', 'consignment_structure'],
    ['/v2/orders/{order}/products?limit=1&limit=2', 'v2', 'limit'],
  ])('answers a repeated single-valued parameter on %s in the %s error shape naming %s, never 500', async (template, version, param) => {
    const path = template.replace('{product}', String(productId)).replace('{order}', String(orderId));
    const res = await sim.api('GET', path);
    if (version === 'v3') {
      expect(res.status, res.text.slice(0, 300)).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: expect.stringContaining(param), type: expect.any(String) });
      expect(Object.keys(res.body.errors)).toContain(param);
      expect(res.body.errors[param]).toMatch(/more than once/);
    } else {
      expect(res.status, res.text.slice(0, 300)).toBe(400);
      expect(res.body[0]).toMatchObject({ status: 400, message: expect.stringContaining(param) });
      expect(res.body[0].details.invalid_reason).toHaveProperty(param);
    }
  });

  it('joins a repeated kinds on GET /__sim/ledger', async () => {
    await sim.control('POST', '/clock', { advanceMs: 1000 });
    await sim.control('PUT', '/faults', {});
    const res = await sim.control('GET', '/ledger?kinds=clock:advanced&kinds=faults:changed');
    expect(res.status).toBe(200);
    const kinds = res.text.trim().split('\n').map((l) => JSON.parse(l).kind as string);
    expect(new Set(kinds)).toEqual(new Set(['clock:advanced', 'faults:changed']));
  });

  it('never answered 500 or logged an internal error', () => {
    expect(logged.filter((l) => /Failed to handle/.test(l))).toEqual([]);
  });
});

describe('shopper generation on the control plane is bounded and yields (item 7)', () => {
  let sim: TestSim;
  beforeAll(async () => {
    // The default catalog (200 products) carries hundreds of worst-case orders.
    sim = await startTestSim({ plan: 'enterprise', products: 200, customers: 50, deliver: noDeliver });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('has a per-call limit of at most 1,000', () => {
    expect(MAX_SHOPPER_BATCH).toBeLessThanOrEqual(1000);
  });

  it.each(['orders', 'carts', 'customers'])('refuses a %s count over the limit with 422 naming the limit and what to do, creating nothing', async (what) => {
    const store = sim.running.sim.store(sim.hash)!;
    const before = { orders: store.orders.size, carts: store.carts.size, customers: store.customers.size };
    const res = await sim.control('POST', `/stores/${sim.hash}/${what}`, { count: MAX_SHOPPER_BATCH + 1, ...(what === 'orders' ? { profile: 'typical' } : {}) });
    expect(res.status, res.text.slice(0, 300)).toBe(422);
    expect(res.body).toMatchObject({ status: 422, title: expect.stringContaining(String(MAX_SHOPPER_BATCH)), errors: { count: expect.stringMatching(/several calls/) } });
    expect({ orders: store.orders.size, carts: store.carts.size, customers: store.customers.size }).toEqual(before);
  });

  it('refuses the 10,000 worst-case orders of the issue', async () => {
    const res = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'worst-case', count: 10_000 });
    expect(res.status, res.text.slice(0, 300)).toBe(422);
  });

  it('answers other control and API requests while a large worst-case generation runs, then answers 201 {ids}', { timeout: 180_000 }, async () => {
    const store = sim.running.sim.store(sim.hash)!;
    const count = 400;
    const before = store.orders.size;
    let bigDone = false;
    const big = sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'worst-case', count }).finally(() => {
      bigDone = true;
    });
    // Polled on this process's event loop: a generation that never yields is seen only when done.
    await vi.waitFor(() => expect(store.orders.size).toBeGreaterThan(before), { timeout: 120_000, interval: 1 });
    expect(store.orders.size - before, 'the generation yielded to the event loop before it finished').toBeLessThan(count);
    const [clock, products] = await Promise.all([sim.control('GET', '/clock'), sim.api('GET', '/v3/catalog/products?limit=1')]);
    expect(clock.status).toBe(200);
    expect(products.status).toBe(200);
    expect(bigDone, 'the other requests were answered while the generation still ran').toBe(false);
    expect(store.orders.size - before).toBeLessThan(count);
    const res = await big;
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    expect(Object.keys(res.body)).toEqual(['ids']);
    expect(res.body.ids).toHaveLength(count);
    expect(new Set(res.body.ids).size).toBe(count);
    expect(store.orders.size - before).toBe(count);
    for (const id of [res.body.ids[0], res.body.ids.at(-1)]) expect((await sim.api('GET', `/v2/orders/${id}`)).status).toBe(200);
  });

  it('answers 201 {ids} for the most carts and customers per call', { timeout: 120_000 }, async () => {
    const carts = await sim.control('POST', `/stores/${sim.hash}/carts`, { count: MAX_SHOPPER_BATCH });
    expect(carts.status, carts.text.slice(0, 300)).toBe(201);
    expect(new Set(carts.body.ids).size).toBe(MAX_SHOPPER_BATCH);
    const customers = await sim.control('POST', `/stores/${sim.hash}/customers`, { count: MAX_SHOPPER_BATCH });
    expect(customers.status, customers.text.slice(0, 300)).toBe(201);
    expect(new Set(customers.body.ids).size).toBe(MAX_SHOPPER_BATCH);
  });

  it('stops generating when the client goes away', { timeout: 180_000 }, async () => {
    const store = sim.running.sim.store(sim.hash)!;
    const count = 400;
    const before = store.orders.size;
    const abort = new AbortController();
    const big = request(`${sim.url}/__sim/stores/${sim.hash}/orders`, {
      method: 'POST',
      signal: abort.signal,
      headers: { authorization: `Bearer ${sim.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'worst-case', count }),
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(store.orders.size).toBeGreaterThan(before), { timeout: 120_000, interval: 1 });
    abort.abort();
    await big;
    // A request answered after the abort is served between two slices, so the generation has
    // seen the closed connection (or finished) by then; it must not go on to the full count.
    let last = -1;
    await vi.waitFor(
      async () => {
        expect((await sim.control('GET', '/clock')).status).toBe(200);
        const now = store.orders.size;
        const settled = now === last;
        last = now;
        expect(settled).toBe(true);
      },
      { timeout: 120_000, interval: 200 },
    );
    expect(store.orders.size - before).toBeLessThan(count);
  });
});

describe('tokens are random unless fixed tokens are asked for (item 9)', () => {
  const sims: TestSim[] = [];
  afterEach(async () => {
    while (sims.length > 0) await sims.pop()!.close();
  });
  const start = async (options: Parameters<typeof startTestSim>[0] = {}) => {
    const s = await startTestSim({ deliver: noDeliver, ...options });
    sims.push(s);
    return s;
  };

  it('gives two simulators with the same seed the same stores and data but different tokens and secrets', async () => {
    const a = await start();
    const b = await start();
    expect(b.hash).toBe(a.hash);
    expect(b.controlToken).not.toBe(a.controlToken);
    expect(b.token).not.toBe(a.token);
    expect(b.readOnlyToken).not.toBe(a.readOnlyToken);
    const clientId = a.running.sim.store(a.hash)!.accounts[0]!.clientId;
    expect(b.running.sim.store(b.hash)!.accounts[0]!.clientId).toBe(clientId);
    expect(b.running.sim.clientSecret(clientId)).not.toBe(a.running.sim.clientSecret(clientId));
    for (const t of [a.controlToken, a.token, a.readOnlyToken]) expect(t.length).toBeGreaterThanOrEqual(32);
    const [pa, pb] = await Promise.all([a.api('GET', '/v3/catalog/products?limit=20'), b.api('GET', '/v3/catalog/products?limit=20')]);
    expect(pb.body.data).toEqual(pa.body.data);
    // Each token opens only its own simulator.
    expect((await a.api('GET', '/v3/catalog/products?limit=1', undefined, b.token)).status).toBe(401);
    expect((await call(`${a.url}/__sim/clock`, 'GET', { authorization: `Bearer ${b.controlToken}` })).status).toBe(401);
  });

  it('gives the same tokens for the same seed with deterministicTokens: true', async () => {
    const a = await start({ deterministicTokens: true });
    const b = await start({ deterministicTokens: true });
    expect(b.controlToken).toBe(a.controlToken);
    expect(b.token).toBe(a.token);
    expect(b.readOnlyToken).toBe(a.readOnlyToken);
    const c = await start({ deterministicTokens: true, seed: 8 });
    expect(c.token).not.toBe(a.token);
    expect(c.controlToken).not.toBe(a.controlToken);
  });
});

describe('the control plane checks the token before it reads the body (item 10)', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ deliver: noDeliver });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('answers 401 to a malformed body without the token, and still 400 with it', async () => {
    const anonymous = await call(`${sim.url}/__sim/reset`, 'POST', { 'content-type': 'application/json' }, '{"x":');
    expect(anonymous.status, anonymous.text).toBe(401);
    expect(anonymous.body).toMatchObject({ status: 401, title: expect.stringContaining('Bearer'), errors: {} });
    const authorized = await sim.control('PUT', '/faults', '{"x":');
    expect(authorized.status, authorized.text).toBe(400);
  });

  it('answers 401 before the body arrives, and closes the connection when the body is over the limit', { timeout: 60_000 }, async () => {
    // Only the head and the first bytes of the body are sent: the answer must not wait for the rest.
    const small = await headOnly(sim.url, 'POST', '/__sim/reset', { 'content-type': 'application/json', 'content-length': String(1024 * 1024) });
    expect(small.status, small.head).toBe(401);
    expect(small.body).toMatch(/Bearer/);
    const large = await headOnly(sim.url, 'PUT', '/__sim/faults', { authorization: 'Bearer not-the-token', 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) });
    expect(large.status, large.head).toBe(401);
    expect(large.head).toMatch(/^connection: close$/im);
    expect((await sim.control('GET', '/clock')).status).toBe(200);
  });
});
