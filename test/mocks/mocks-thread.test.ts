/**
 * The connected-system mocks on their own thread (the UAT run's default): the same systems behind
 * the same HTTP surface, on a clock that stays one with the orchestrator's, and the state the
 * orchestrator watches (sales orders held, journal lines, published changes) relayed to it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishedEntry } from '../../src/mocks/domain/systems.ts';
import { createLinkedClock, linkedClock, startMocksOnThread, type MocksOnThread } from '../../src/mocks/http/mocks-thread.ts';

const START = Date.UTC(2026, 10, 27, 12);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function start(options: { runDir?: string } = {}) {
  const clock = createLinkedClock({ scale: 0, start: START });
  const published: PublishedEntry[] = [];
  const mocks = await startMocksOnThread({ seed: 7, products: 30, customers: 10, clock, onPublished: (e) => published.push(e), ...options });
  cleanup.push(() => mocks.close());
  return { clock, mocks, published };
}

async function call(mocks: MocksOnThread, method: string, path: string, body?: unknown) {
  const res = await request(`${mocks.url}${path}`, {
    method: method as 'GET',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mocks.controlToken}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

async function salesOrder(mocks: MocksOnThread, externalId: string) {
  const items = (await call(mocks, 'GET', '/erp/inventory?limit=1')).body.data;
  return {
    externalId,
    orderDate: '2026-11-27',
    customerNo: 'WEBGUEST',
    status: 'OPEN',
    currency: 'USD',
    billTo: { name: 'Ada Lovelace', street1: '1 Analytical Way', city: 'London', country: 'GB' },
    shipTos: [{ shipToCode: '1', address: { name: 'Ada Lovelace', street1: '1 Analytical Way', city: 'London', country: 'GB' } }],
    lines: [{ lineNo: 1, sourceLineId: 11, lineType: 'ITEM', sku: items[0].itemNo, quantity: 2, unitPrice: 10, lineTotal: 20, shipToCode: '1' }],
    totals: { subtotal: 20, freight: 0, discount: 0, tax: 0, total: 20 },
  };
}

const mocksNow = async (mocks: MocksOnThread) => Date.parse((await call(mocks, 'GET', '/__mocks/clock')).body.now);

describe('the linked clock (the same clock on two threads)', () => {
  it('has a jump made on one copy in the other copy\'s now() at once; the other\'s timers wait for sync()', () => {
    const a = createLinkedClock({ scale: 0, start: START });
    // What the mocks thread builds from the state it is given.
    const b = linkedClock(a.state);
    const fired: number[] = [];
    b.setTimer(30_000, () => fired.push(b.now()));
    a.advance(60_000);
    expect(b.now()).toBe(START + 60_000);
    expect(fired).toEqual([]);
    b.sync();
    // Fired on the way, at the time it was due (as advance() fires timers).
    expect(fired).toEqual([START + 30_000]);
    // A timer set on b before it synced a jump is due from b's now, jump included.
    a.advance(10_000);
    b.setTimer(5_000, () => fired.push(b.now()));
    b.sync();
    expect(fired).toHaveLength(1);
    b.advance(5_000);
    expect(fired).toEqual([START + 30_000, START + 75_000]);
    expect(a.now()).toBe(START + 75_000);
  });
});

describe('the mocks on their own thread', () => {
  it('tells the orchestrator which sales orders the ERP holds and how many journal lines were written', async () => {
    const { mocks } = await start();
    const order = await salesOrder(mocks, '101');
    expect((await call(mocks, 'PUT', '/erp/sales-orders/101', order)).status).toBe(201);
    const rejected = await call(mocks, 'PUT', '/erp/sales-orders/102', { ...order, externalId: '102', billTo: { ...order.billTo, country: 'United Kingdom' } });
    expect(rejected.status).toBe(422);
    await expect.poll(() => mocks.journalCount()).toBe(2);
    expect(mocks.salesOrderSynced('101')).toBe(true);
    // A rejected write is journalled but the ERP does not hold the order.
    expect(mocks.salesOrderSynced('102')).toBe(false);
    expect(mocks.failure()).toBeUndefined();
  });

  it('sees a jump of either clock at once, and fires its timers on the way', async () => {
    const { clock, mocks, published } = await start();
    expect(await mocksNow(mocks)).toBe(START);
    // The orchestrator's jump (the simulator's /clock) is in the mocks' time for the very next
    // request: no message has to arrive first (a write stamped before the jump would look older
    // than the read that preceded it).
    clock.advance(60_000);
    expect(await mocksNow(mocks)).toBe(START + 60_000);
    // A jump asked of the mocks is in the orchestrator's time as soon as the answer is back, once
    // (not echoed back as a second jump).
    expect((await call(mocks, 'POST', '/__mocks/clock', { advanceMs: 120_000 })).status).toBe(200);
    expect(clock.now()).toBe(START + 180_000);
    expect(await mocksNow(mocks)).toBe(START + 180_000);
    // The ERP invoices a sales order an hour after it was placed: a timer on the mocks' clock,
    // fired by the orchestrator's jump, published back to the orchestrator.
    expect((await call(mocks, 'PUT', '/erp/sales-orders/201', await salesOrder(mocks, '201'))).status).toBe(201);
    clock.advance(3_600_000);
    await expect.poll(() => published.some((p) => p.system === 'erp' && p.resource === 'invoice' && p.key.length > 0)).toBe(true);
    expect(clock.now()).toBe(START + 180_000 + 3_600_000);
    expect(await mocksNow(mocks)).toBe(START + 180_000 + 3_600_000);
  });

  it('keeps a running clock in step with the orchestrator\'s', async () => {
    const clock = createLinkedClock({ scale: 1000, start: START });
    const mocks = await startMocksOnThread({ seed: 7, products: 10, customers: 5, clock });
    cleanup.push(() => mocks.close());
    for (let i = 0; i < 3; i++) {
      const before = clock.now();
      const theirs = await mocksNow(mocks);
      const after = clock.now();
      // The same clock rebuilt: read between two readings of the orchestrator's.
      expect(theirs).toBeGreaterThanOrEqual(before);
      expect(theirs).toBeLessThanOrEqual(after);
    }
  });

  it('writes the journals to the run directory by the time close() resolves', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'mocks-thread-'));
    const { mocks } = await start({ runDir });
    expect((await call(mocks, 'PUT', '/erp/sales-orders/301', await salesOrder(mocks, '301'))).status).toBe(201);
    await mocks.close();
    const lines = readFileSync(join(runDir, 'journal-erp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ kind: 'write', resource: 'sales-order', key: '301', status: 201 })]);
  });

  it('fails to start with the reason when the mocks cannot start on the thread', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mocks-thread-')), 'a-file');
    writeFileSync(file, 'not a directory');
    const clock = createLinkedClock({ scale: 0, start: START });
    await expect(startMocksOnThread({ seed: 7, products: 10, customers: 5, clock, runDir: join(file, 'run') })).rejects.toThrow(/Failed to start the connected-system mocks on their thread: .*(ENOTDIR|not a directory)/);
  });
});
