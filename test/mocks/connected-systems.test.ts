import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';
import { startReceiver } from '../support/receiver.ts';

const START = Date.UTC(2026, 10, 27, 12);
let mocks: RunningMocks | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await mocks?.close();
  mocks = undefined;
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function start() {
  mocks = await startMocks({ seed: 7, products: 60, customers: 30, timeScale: 0, start: START });
  return mocks;
}

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await request(`${mocks!.url}${path}`, {
    method: method as 'GET',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text.split('\n')[0]!) : undefined, text };
}

const journal = async (system: string) => (await call('GET', `/${system}/journal`, undefined, mocks!.controlToken)).text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

const sku = () => mocks!.systems.erp.inventory(undefined, 1)[0]!.itemNo as string;

function salesOrder(externalId: string, overrides: Record<string, unknown> = {}) {
  return {
    externalId,
    orderDate: '2026-11-27',
    customerNo: 'WEBGUEST',
    status: 'OPEN',
    currency: 'USD',
    billTo: { name: 'Ada Lovelace', street1: '1 Analytical Way', city: 'London', country: 'GB' },
    shipTos: [{ shipToCode: '1', address: { name: 'Ada Lovelace', street1: '1 Analytical Way', city: 'London', country: 'GB' } }],
    lines: [{ lineNo: 1, sourceLineId: 11, lineType: 'ITEM', sku: sku(), quantity: 2, unitPrice: 10, lineTotal: 20, shipToCode: '1' }],
    totals: { subtotal: 20, freight: 0, discount: 0, tax: 0, total: 20 },
    ...overrides,
  };
}

describe('ERP mock', () => {
  it('upserts sales orders by external id, journals create then update, and never duplicates', async () => {
    await start();
    expect((await call('PUT', '/erp/sales-orders/101', salesOrder('101'))).status).toBe(201);
    expect((await call('PUT', '/erp/sales-orders/101', salesOrder('101', { status: 'HOLD' }))).status).toBe(200);
    expect((await call('GET', '/erp/sales-orders/101')).body.status).toBe('HOLD');
    const lines = await journal('erp');
    expect(lines.map((l) => [l.resource, l.key, l.status, l.existed])).toEqual([
      ['sales-order', '101', 201, false],
      ['sales-order', '101', 200, true],
    ]);
    expect(lines[0]).toMatchObject({ kind: 'write', at: new Date(START).toISOString(), body: expect.objectContaining({ externalId: '101' }) });
    expect(mocks!.systems.erp.salesOrderCount()).toBe(1);
  });

  it('creates a new record on every POST, the way careless integrations duplicate orders', async () => {
    await start();
    await call('POST', '/erp/sales-orders', salesOrder('202'));
    await call('POST', '/erp/sales-orders', salesOrder('202'));
    expect(mocks!.systems.erp.postedCount()).toBe(2);
    expect((await journal('erp')).filter((l) => l.key === '202' && l.status === 201)).toHaveLength(2);
  });

  it.each([
    ['an unknown SKU', { lines: [{ lineNo: 1, lineType: 'ITEM', sku: 'NOPE-1', quantity: 1, unitPrice: 1, lineTotal: 1 }] }, 'lines[0].sku', /unknown item/],
    ['a name longer than the ERP keeps', { billTo: { name: 'A'.repeat(31), street1: 'x', city: 'y', country: 'GB' } }, 'billTo.name', /30/],
    ['a country name instead of an ISO code', { billTo: { name: 'Ada', street1: 'x', city: 'y', country: 'United Kingdom' } }, 'billTo.country', /pattern/],
  ])('rejects %s with 422 naming the field, and journals the rejection', async (_name, overrides, field, message) => {
    await start();
    const res = await call('PUT', '/erp/sales-orders/303', salesOrder('303', overrides));
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
    expect((await journal('erp')).at(-1)).toMatchObject({ key: '303', status: 422, errors: expect.any(Array) });
  });

  it('allocates stock for orders and lets goods arrive over simulated time', async () => {
    await start();
    const item = sku();
    const before = mocks!.systems.erp.available(item)!;
    await call('PUT', '/erp/sales-orders/404', salesOrder('404'));
    expect(mocks!.systems.erp.available(item)).toBe(before - 2);
    const watermark = new Date(START + 1).toISOString();
    expect((await call('GET', `/erp/inventory?since=${watermark}`)).body.data.map((r: any) => r.itemNo)).toEqual([]);
    mocks!.clock.advance(24 * 3_600_000);
    const changed = (await call('GET', `/erp/inventory?since=${watermark}`)).body;
    expect(changed.data.length).toBeGreaterThan(0);
    expect(changed.meta.nextSince).toBe(changed.data.at(-1).updatedAt);
  });

  it('invoices an order an hour after it arrives and reports it paid', async () => {
    await start();
    await call('PUT', '/erp/sales-orders/505', salesOrder('505', { paymentMethod: 'CC' }));
    expect((await call('GET', '/erp/invoices')).body.data).toEqual([]);
    mocks!.clock.advance(3_600_000);
    const [invoice] = (await call('GET', '/erp/invoices')).body.data;
    expect(invoice).toMatchObject({ orderRef: '505', status: 'PAID', amount: 20, amountPaid: 20 });
  });

  it('accepts a credit memo only for an order it knows', async () => {
    await start();
    const memo = { externalId: 'R1', origin: 'BIGCOMMERCE', orderRef: '606', memoDate: '2026-11-27', reasonCode: 'RETURN', total: 10, lines: [{ lineNo: 1, type: 'ITEM', orderLineRef: 11, quantity: 1 }] };
    expect((await call('PUT', '/erp/credit-memos/R1', memo)).status).toBe(422);
    await call('PUT', '/erp/sales-orders/606', salesOrder('606'));
    expect((await call('PUT', '/erp/credit-memos/R1', memo)).status).toBe(201);
    expect((await call('GET', '/erp/credit-memos')).body.data).toHaveLength(1);
  });
});

describe('ERP change batches', () => {
  it('publishes price and stock changes on request, visible on the feeds after the watermark', async () => {
    await start();
    const watermark = new Date(START + 1).toISOString();
    mocks!.clock.advance(1_000);
    const price = await call('POST', '/erp/changes', { kind: 'price', count: 25 }, mocks!.controlToken);
    expect(price.status).toBe(201);
    expect(price.body.changed).toBe(25);
    const stock = await call('POST', '/erp/changes', { kind: 'stock', count: 10 }, mocks!.controlToken);
    expect(stock.body.changed).toBe(10);
    const prices = (await call('GET', `/erp/price-list?since=${watermark}`)).body.data;
    expect(new Set(prices.map((p: any) => p.itemNo))).toEqual(new Set(price.body.items));
    expect((await call('GET', `/erp/inventory?since=${watermark}`)).body.data.length).toBe(new Set(stock.body.items).size);
    expect((await call('POST', '/erp/changes', { kind: 'colour', count: 1 }, mocks!.controlToken)).status).toBe(422);
    expect((await call('POST', '/erp/changes', { kind: 'price', count: 1 })).status).toBe(401);
  });
});

describe('3PL, CRM and marketing mocks', () => {
  it('ships a fulfilment order after two simulated hours, pollable and pushed', async () => {
    await start();
    const receiver = await startReceiver(200);
    cleanup.push(() => receiver.close());
    expect((await call('PUT', '/3pl/push', { url: receiver.url }, mocks!.controlToken)).status).toBe(200);
    const fo = { externalId: 'FO-1', orderRef: '707', orderDate: '2026-11-27T12:00:00Z', consignments: [{ consignmentRef: 1, shipTo: { name: 'Ada', address1: '1 Way', city: 'London', postalCode: 'N1', country: 'GB' }, serviceLevel: 'STANDARD', lines: [{ lineRef: 1, sku: sku(), quantity: 1 }] }] };
    const put = await call('PUT', '/3pl/fulfillment-orders/FO-1', fo);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    mocks!.clock.advance(2 * 3_600_000);
    const [shipment] = (await call('GET', '/3pl/shipments')).body.data;
    expect(shipment).toMatchObject({ fulfillmentOrderRef: 'FO-1', orderRef: '707', consignmentRef: 1, trackingNumber: expect.any(String) });
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(receiver.received[0]!.body.shipmentId).toBe(shipment.shipmentId);
  });

  it('merges CRM contacts by email and keeps what the write left out', async () => {
    await start();
    const [existing] = (await call('GET', '/crm/contacts?limit=1')).body.data;
    const res = await call('PUT', `/crm/contacts/${encodeURIComponent(existing.email)}`, { email: existing.email, company: 'New Co' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ company: 'New Co', firstName: existing.firstName, accountTier: existing.accountTier });
  });

  it('dedupes marketing events on eventId', async () => {
    await start();
    const event = { eventId: 'order_placed:808', type: 'order_placed', occurredAt: new Date(START).toISOString(), email: 'a@example.com', orderId: 808 };
    expect((await call('POST', '/marketing/events', event)).body).toEqual({ accepted: true, duplicate: false });
    expect((await call('POST', '/marketing/events', event)).body).toEqual({ accepted: true, duplicate: true });
    expect(mocks!.systems.marketing.eventCount()).toBe(1);
    expect(await journal('marketing')).toHaveLength(2);
  });
});

describe('mock faults and bad input', () => {
  it('answers 503 while down, 429 with Retry-After when rate limited, and recovers', async () => {
    await start();
    const token = mocks!.controlToken;
    expect((await call('PUT', '/erp/faults', { downForMs: 600_000 }, token)).status).toBe(200);
    const down = await call('PUT', '/erp/sales-orders/909', salesOrder('909'));
    expect(down.status).toBe(503);
    expect(down.headers['x-mock-fault']).toBe('down');
    expect((await journal('erp')).at(-1)).toMatchObject({ method: 'PUT', resource: 'sales-order', key: '909', status: 503, fault: 'down' });
    mocks!.clock.advance(600_000);
    expect((await call('PUT', '/erp/sales-orders/909', salesOrder('909'))).status).toBe(201);
    await call('PUT', '/crm/faults', { rateLimit: { probability: 1, retryAfterSeconds: 17 } }, token);
    const limited = await call('GET', '/crm/contacts');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('17');
  });

  it('rejects a bad fault plan with 422 naming the field, and control calls without the token with 401', async () => {
    await start();
    const bad = await call('PUT', '/erp/faults', { errorRate: 3 }, mocks!.controlToken);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('errorRate');
    expect((await call('PUT', '/erp/faults', {})).status).toBe(401);
    expect((await call('GET', '/erp/journal')).status).toBe(401);
  });

  it('survives malformed JSON, wrong shapes and bad watermarks, then still serves', async () => {
    await start();
    const results = await Promise.all([
      call('PUT', '/erp/sales-orders/1', '{nope'),
      call('PUT', '/erp/sales-orders/1', '"a string"'),
      call('PUT', '/erp/sales-orders/1', { externalId: 1 }),
      call('POST', '/marketing/events', []),
      call('GET', '/erp/inventory?since=yesterday'),
      call('GET', '/erp/inventory?limit=0'),
      call('GET', '/nowhere'),
    ]);
    // A bare JSON string is not an object: the strict JSON parser refuses it as malformed.
    expect(results.map((r) => r.status)).toEqual([400, 400, 422, 422, 400, 400, 404]);
    for (const r of results) expect(r.body.errors[0]).toEqual({ field: expect.any(String), message: expect.any(String) });
    expect((await call('PUT', '/erp/sales-orders/1', salesOrder('1'))).status).toBe(201);
  });
});
