/**
 * The served order JSON is built once per order version (simulator/http/order-cache.ts, issue 15).
 * What a client reads must not change: after every kind of change to an order, a read (the first,
 * which renders, and the second, which the cache answers) is byte for byte the fresh rendering,
 * `JSON.stringify(renderOrder(...))`, which is what `res.json` sent before the cache. The test
 * clock stands still, so every change here happens in the same simulated millisecond: a cache
 * keyed by the modification stamp alone would serve stale orders. The cache holds the JSON as UTF-8
 * bytes, so the reads are compared as bytes, with the non-ASCII text of worst-case orders too.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS, type FaultPlan } from '../../simulator/domain/faults.ts';
import type { OrderAggregate } from '../../simulator/domain/model.ts';
import { createOrderJsonCache, DEFAULT_ORDER_CACHE_BYTES, utf8Bytes } from '../../simulator/http/order-cache.ts';
import { renderOrder } from '../../simulator/http/routes/v2-orders.ts';
import type { StartOptions } from '../../simulator/index.ts';
import { call, startTestSim, type TestSim } from '../support/simulator.ts';

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: StartOptions = {}): Promise<TestSim> {
  sim = await startTestSim(options);
  return sim;
}

/** A read's status, headers and body exactly as bytes (no decoding on the way). */
async function readBytes(s: TestSim, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }> {
  const res = await request(`${s.url}/stores/${s.hash}${path}`, { headers: { 'x-auth-token': s.token, ...headers } });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers as Record<string, string>, bytes };
}

/** The body is byte for byte the UTF-8 of `expected` (the text first, for a readable difference). */
function expectBytes(bytes: Buffer, expected: string, what: string): void {
  expect(bytes.toString('utf8'), what).toBe(expected);
  expect(bytes.equals(Buffer.from(expected, 'utf8')), what).toBe(true);
}

const aggOf = (s: TestSim, id: number): OrderAggregate => s.running.sim.stores.get(s.hash)!.orders.get(id)!;

/** The order as rendered fresh, without the cache: the bytes `res.json` sent for it. */
function fresh(s: TestSim, id: number, query = ''): string {
  const params = new URLSearchParams(query);
  const include = (params.get('include') ?? '').split(',').filter(Boolean);
  return JSON.stringify(renderOrder(aggOf(s, id), { base: `${s.url}/stores/${s.hash}/v2`, plan: s.running.sim.faults(), include, objectStructure: params.get('consignment_structure') === 'object' }));
}

/** Read the order twice (render, then cache) and check both reads against the fresh rendering. */
async function expectServedAsFresh(s: TestSim, id: number, query = ''): Promise<string> {
  const expected = fresh(s, id, query);
  for (const attempt of ['first read', 'second read']) {
    const res = await readBytes(s, `/v2/orders/${id}${query ? `?${query}` : ''}`);
    expect(res.status, `${attempt}: ${res.bytes}`).toBe(200);
    expect(res.headers['content-type'], attempt).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length'], attempt).toBe(String(Buffer.byteLength(expected)));
    expectBytes(res.bytes, expected, `${attempt} of order ${id}${query ? ` with ${query}` : ''}`);
  }
  return expected;
}

// The plain read last: the cache then holds it, so the next change must invalidate that entry
// (a change made through shipments, refunds or DELETE does not render the order itself).
const QUERIES = ['include=consignments', 'include=consignments.line_items', 'include=consignments&consignment_structure=object', 'include=fees', 'include=consignments,fees&consignment_structure=object', ''];

async function expectEveryVariantFresh(s: TestSim, id: number): Promise<void> {
  for (const q of QUERIES) await expectServedAsFresh(s, id, q);
}

const billing = { first_name: 'Ana', last_name: 'Núñez', street_1: 'Calle 1', city: 'Madrid', zip: '28001', country: 'Spain', country_iso2: 'ES', email: 'ana@example.com' };

describe('the cached order JSON', () => {
  it('serves the same bytes as a fresh rendering for an order that is new, updated, shipped, refunded and archived', async () => {
    const s = await start();
    const placed = await s.control('POST', `/stores/${s.hash}/orders`, { profile: 'typical', count: 1 });
    expect(placed.status, placed.text).toBe(201);
    const id = placed.body.ids[0] as number;

    const asNew = await expectServedAsFresh(s, id);
    await expectEveryVariantFresh(s, id);

    // Updated in the same simulated millisecond: date_modified does not move, the JSON does.
    const put = await s.api('PUT', `/v2/orders/${id}`, { staff_notes: 'call the customer', status_id: 9 });
    expect(put.status, put.text).toBe(200);
    expect(put.text).toBe(fresh(s, id));
    const updated = await expectServedAsFresh(s, id);
    expect(updated).not.toBe(asNew);
    expect(JSON.parse(updated)).toMatchObject({ staff_notes: 'call the customer', status_id: 9 });
    await expectEveryVariantFresh(s, id);

    // Shipped: every line on its address, through the shipments API.
    const products = (await s.api('GET', `/v2/orders/${id}/products`)).body as { id: number; quantity: number; order_address_id: number; type: string }[];
    const physical = products.filter((p) => p.type !== 'digital');
    for (const addressId of new Set(physical.map((p) => p.order_address_id))) {
      const items = physical.filter((p) => p.order_address_id === addressId).map((p) => ({ order_product_id: p.id, quantity: p.quantity }));
      const shipment = await s.api('POST', `/v2/orders/${id}/shipments`, { order_address_id: addressId, items, tracking_number: 'TRACK1' });
      expect(shipment.status, shipment.text).toBe(201);
    }
    const shipped = JSON.parse(await expectServedAsFresh(s, id));
    expect(shipped.status_id).toBe(2);
    expect(shipped.items_shipped).toBe(physical.reduce((n, p) => n + p.quantity, 0));
    await expectEveryVariantFresh(s, id);

    // A shipping address change shows in the consignments only.
    const [address] = (await s.api('GET', `/v2/orders/${id}/shipping_addresses`)).body;
    await expectServedAsFresh(s, id, 'include=consignments');
    expect((await s.api('PUT', `/v2/orders/${id}/shipping_addresses/${address.id}`, { city: 'Sevilla' })).status).toBe(200);
    expect(JSON.parse(await expectServedAsFresh(s, id, 'include=consignments')).consignments[0].shipping[0].city).toBe('Sevilla');
    await expectServedAsFresh(s, id);

    // Refunded: one line, through the V3 payment actions.
    const refund = await s.api('POST', `/v3/orders/${id}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: products[0]!.id, quantity: 1 }] });
    expect(refund.status, refund.text).toBe(201);
    const refunded = JSON.parse(await expectServedAsFresh(s, id));
    expect(refunded.payment_status).toMatch(/refunded/);
    expect(Number(refunded.refunded_amount)).toBeGreaterThan(0);
    await expectEveryVariantFresh(s, id);

    // Archived: still readable, with is_deleted true.
    expect((await s.api('DELETE', `/v2/orders/${id}`)).status).toBe(204);
    expect(JSON.parse(await expectServedAsFresh(s, id)).is_deleted).toBe(true);
    await expectEveryVariantFresh(s, id);
  });

  it('serves the same bytes for an order made through the API, with fees, and for the order list', async () => {
    const s = await start();
    const made = await s.api('POST', '/v2/orders', { billing_address: billing, products: [{ product_id: 2, quantity: 3 }], fees: [{ type: 'custom_fee', display_name_customer: 'Gift wrap', display_name_merchant: 'Gift wrap', source: 'test', cost_ex_tax: 5, cost_inc_tax: 5 }] });
    expect(made.status, made.text).toBe(201);
    expect(made.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(made.text).toBe(fresh(s, made.body.id));
    await expectEveryVariantFresh(s, made.body.id);

    // The list is its orders' JSON joined, as JSON.stringify of the array; twice (render, cache).
    const store = s.running.sim.stores.get(s.hash)!;
    const live = [...store.orders.values()].filter((a) => !a.order.is_deleted).sort((a, b) => a.order.id - b.order.id);
    const base = `${s.url}/stores/${s.hash}/v2`;
    for (const query of ['limit=250', 'limit=250&include=consignments,fees']) {
      const include = query.includes('include') ? ['consignments', 'fees'] : [];
      const expected = JSON.stringify(live.map((agg) => renderOrder(agg, { base, plan: s.running.sim.faults(), include })));
      for (let i = 0; i < 2; i++) {
        const list = await readBytes(s, `/v2/orders?${query}`);
        expect(list.status, String(list.bytes)).toBe(200);
        expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(list.headers['content-length']).toBe(String(list.bytes.length));
        expectBytes(list.bytes, expected, `list ${query}, read ${i + 1}`);
      }
    }
  });

  it('serves the same bytes for worst-case orders with non-ASCII text, alone and in the batch read', async () => {
    const s = await start({ catalog: 'worst-case' });
    const ids: number[] = [];
    for (const profile of ['worst-case', 'typical', 'b2b', 'worst-case']) {
      const placed = await s.control('POST', `/stores/${s.hash}/orders`, { profile, count: 1 });
      expect(placed.status, placed.text).toBe(201);
      ids.push(placed.body.ids[0] as number);
    }
    const worst = ids[0]!;
    const plain = await expectServedAsFresh(s, worst);
    // Text outside ASCII: more UTF-8 bytes than UTF-16 units, so a character count would be wrong.
    expect(plain).toMatch(/[^\x00-\x7f]/);
    expect(Buffer.byteLength(plain)).toBeGreaterThan(plain.length);
    await expectEveryVariantFresh(s, worst);

    // The engine's batch read: several orders, their line items, read twice (render, then cache).
    const store = s.running.sim.stores.get(s.hash)!;
    const [minId, maxId] = [Math.min(...ids), Math.max(...ids)];
    const page = [...store.orders.values()].filter((a) => a.order.id >= minId && a.order.id <= maxId && !a.order.is_deleted).sort((a, b) => a.order.id - b.order.id);
    expect(page.length).toBe(ids.length);
    const query = `min_id=${minId}&max_id=${maxId}&limit=250&sort=id:asc&include=consignments.line_items&consignment_structure=object`;
    const expected = JSON.stringify(page.map((agg) => renderOrder(agg, { base: `${s.url}/stores/${s.hash}/v2`, plan: s.running.sim.faults(), include: ['consignments.line_items'], objectStructure: true })));
    for (const attempt of ['first read', 'second read']) {
      const list = await readBytes(s, `/v2/orders?${query}`);
      expect(list.status, `${attempt}: ${list.bytes}`).toBe(200);
      expect(list.headers['content-type'], attempt).toBe('application/json; charset=utf-8');
      expect(list.headers['content-length'], attempt).toBe(String(Buffer.byteLength(expected)));
      expectBytes(list.bytes, expected, `${attempt} of the batch`);
    }

    // A conditional read goes through express's res.send with the Buffer: still JSON, not octet-stream.
    const conditional = await readBytes(s, `/v2/orders?${query}`, { 'if-none-match': '"abc"' });
    expect(conditional.status).toBe(200);
    expect(conditional.headers['content-type']).toBe('application/json; charset=utf-8');
    expectBytes(conditional.bytes, expected, 'conditional read of the batch');
    expect((await readBytes(s, `/v2/orders?${query}`, { 'if-none-match': '*' })).status).toBe(304);
  });

  it('follows a fault plan that renames fields, in and out, and the Host a client used', async () => {
    const s = await start();
    const id = [...s.running.sim.stores.get(s.hash)!.orders.keys()][0]!;
    const plain = await expectServedAsFresh(s, id);

    const set = await s.control('PUT', '/faults', { api: { renameFields: [{ resource: 'order', from: 'status_id', to: 'statusId' }] } });
    expect(set.status, set.text).toBe(200);
    const renamed = JSON.parse(await expectServedAsFresh(s, id));
    expect(renamed).toHaveProperty('statusId');
    expect(renamed).not.toHaveProperty('status_id');
    await expectEveryVariantFresh(s, id);

    expect((await s.control('PUT', '/faults', {})).status).toBe(200);
    expect(await expectServedAsFresh(s, id)).toBe(plain);

    // The links carry the Host of the request: another name for the same server gets its own.
    const other = await call(`${s.url}/stores/${s.hash}/v2/orders/${id}`, 'GET', { 'x-auth-token': s.token, host: 'api.example.test' });
    expect(other.status, other.text).toBe(200);
    expect(other.body.products.url).toBe(`http://api.example.test/stores/${s.hash}/v2/orders/${id}/products`);
    expect(await expectServedAsFresh(s, id)).toBe(plain);
  });

  it('answers HEAD with the headers of the read and no body, and a conditional read as express decides it', async () => {
    const s = await start();
    const id = [...s.running.sim.stores.get(s.hash)!.orders.keys()][0]!;
    const body = await expectServedAsFresh(s, id);
    const head = await call(`${s.url}/stores/${s.hash}/v2/orders/${id}`, 'HEAD', { 'x-auth-token': s.token });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(head.headers['x-rate-limit-requests-left']).toMatch(/^\d+$/);
    // No ETag or Last-Modified is sent, so only `If-None-Match: *` makes a read fresh (express's rule).
    expect((await call(`${s.url}/stores/${s.hash}/v2/orders/${id}`, 'GET', { 'x-auth-token': s.token, 'if-none-match': '*' })).status).toBe(304);
    const stale = await readBytes(s, `/v2/orders/${id}`, { 'if-none-match': '"abc"' });
    expect(stale.status).toBe(200);
    // express's res.send of a Buffer would say application/octet-stream unless told otherwise.
    expect(stale.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(stale.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expectBytes(stale.bytes, body, 'conditional read');
  });

  it('does not parse the body of a GET, and still refuses a malformed body on a write', async () => {
    const s = await start();
    const id = [...s.running.sim.stores.get(s.hash)!.orders.keys()][0]!;
    const read = await call(`${s.url}/stores/${s.hash}/v2/orders/${id}`, 'GET', { 'x-auth-token': s.token, 'content-type': 'application/json' }, '{not json');
    expect(read.status, read.text).toBe(200);
    const write = await call(`${s.url}/stores/${s.hash}/v2/orders/${id}`, 'PUT', { 'x-auth-token': s.token, 'content-type': 'application/json' }, '{not json');
    expect(write.status, write.text).toBe(400);
    expect(Array.isArray(write.body) && write.body[0].status).toBe(400);
  });
});

describe('createOrderJsonCache', () => {
  const agg = (id: number): OrderAggregate => ({ order: { id }, revision: 0 }) as unknown as OrderAggregate;
  const json = (text: string): Buffer => Buffer.from(text, 'utf8');

  it('answers only for the revision, plan, base URL and variant an entry was built with', () => {
    const cache = createOrderJsonCache();
    const a = agg(1);
    const bytes = json('{"id":1}');
    cache.set(a, NO_FAULTS, 'http://h/v2', '', bytes);
    expect(cache.get(a, NO_FAULTS, 'http://h/v2', '')).toBe(bytes);
    expect(cache.get(a, { ...NO_FAULTS } as FaultPlan, 'http://h/v2', '')).toBeUndefined();
    expect(cache.get(a, NO_FAULTS, 'https://h/v2', '')).toBeUndefined();
    expect(cache.get(a, NO_FAULTS, 'http://h/v2', 'fees|array')).toBeUndefined();
    a.revision++;
    expect(cache.get(a, NO_FAULTS, 'http://h/v2', '')).toBeUndefined();
  });

  it('keeps at most maxBytes of JSON, dropping the oldest entries first, and never one order bigger than an eighth of it', () => {
    const cache = createOrderJsonCache({ maxBytes: 80 });
    const orders = [1, 2, 3, 4, 5].map(agg);
    // Five characters, ten bytes each: the bound counts bytes.
    for (const o of orders) cache.set(o, NO_FAULTS, 'b', '', json('é'.repeat(5)));
    expect(cache.stats()).toEqual({ entries: 5, bytes: 50 });
    // A new variant of an order replaces its entry (and moves it to the newest end).
    for (const o of orders) cache.set(o, NO_FAULTS, 'b', 'v', json('y'.repeat(10)));
    expect(cache.stats()).toEqual({ entries: 5, bytes: 50 });
    const more = [6, 7, 8, 9].map(agg);
    for (const o of more) cache.set(o, NO_FAULTS, 'b', '', json('z'.repeat(10)));
    // 90 bytes would exceed 80: the oldest (order 1) went, and only it.
    expect(cache.stats()).toEqual({ entries: 8, bytes: 80 });
    expect(cache.get(orders[0]!, NO_FAULTS, 'b', 'v')).toBeUndefined();
    expect(cache.get(orders[1]!, NO_FAULTS, 'b', 'v')?.toString()).toBe('y'.repeat(10));
    expect(cache.get(more[3]!, NO_FAULTS, 'b', '')?.toString()).toBe('z'.repeat(10));
    // Ten bytes fit an eighth of 80; eleven do not, even as six characters.
    const huge = agg(10);
    cache.set(huge, NO_FAULTS, 'b', '', json('w'.repeat(4) + 'ñ'.repeat(2) + 'x'.repeat(3)));
    expect(cache.get(huge, NO_FAULTS, 'b', '')).toBeUndefined();
    expect(cache.stats()).toEqual({ entries: 8, bytes: 80 });
    // An order that grows past the limit loses its old entry too: the old bytes are stale.
    cache.set(orders[1]!, NO_FAULTS, 'b', 'v', json('q'.repeat(11)));
    expect(cache.get(orders[1]!, NO_FAULTS, 'b', 'v')).toBeUndefined();
    expect(cache.stats()).toEqual({ entries: 7, bytes: 70 });
  });

  it('holds a full-size run by default: 256 MiB, an eighth of it for one order', () => {
    expect(DEFAULT_ORDER_CACHE_BYTES).toBe(256 * 2 ** 20);
    const cache = createOrderJsonCache();
    const big = Buffer.allocUnsafe(DEFAULT_ORDER_CACHE_BYTES / 8);
    cache.set(agg(1), NO_FAULTS, 'b', '', big);
    expect(cache.stats()).toEqual({ entries: 1, bytes: big.length });
    cache.set(agg(2), NO_FAULTS, 'b', '', Buffer.allocUnsafe(DEFAULT_ORDER_CACHE_BYTES / 8 + 1));
    expect(cache.stats()).toEqual({ entries: 1, bytes: big.length });
  });
});

describe('utf8Bytes', () => {
  it('encodes to a Buffer of its own, exactly the UTF-8 length, not a slice of the shared pool', () => {
    const text = '{"name":"Ñandú 東京 مرحبا 👩‍👩‍👧"}';
    const bytes = utf8Bytes(text);
    expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(bytes.buffer.byteLength).toBe(Buffer.byteLength(text));
    expect(bytes.byteOffset).toBe(0);
  });
});
