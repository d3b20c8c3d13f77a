/**
 * The outbox and the dead-letter queue on a real SQLite file: what is staged, what is sent again
 * after a crash, what a replay does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { createDeadLetters } from '../../src/engine/dlq.ts';
import { createOutbox, type StageIntent } from '../../src/engine/outbox.ts';
import { createWorkQueue } from '../../src/engine/work-queue.ts';

let dir: string;
let db: EngineDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-harness-outbox-'));
  db = openEngineDb(join(dir, 'engine.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const intent = (body: unknown, policy: 'upsert' | 'once' = 'upsert'): StageIntent => ({ spec: 'orders-to-erp-sales-order', key: '101', target: 'erp.sales-order', policy, method: 'PUT', path: '/sales-orders/101', body, observedAt: 5 });

describe('outbox', () => {
  it('stages a record once, ignores the same record again, and stages a change after delivery', () => {
    const outbox = createOutbox(db);
    expect(outbox.stage(intent({ status: 'OPEN' }), 10)).toBe('staged');
    expect(outbox.stage(intent({ status: 'OPEN' }), 11)).toBe('unchanged');
    const [row] = outbox.due('erp.sales-order', 20, 10);
    expect(outbox.markSent(row!, 21)).toBe(true);
    expect(outbox.stage(intent({ status: 'OPEN' }), 30)).toBe('unchanged');
    expect(outbox.stage(intent({ status: 'CLOSED' }), 31)).toBe('staged');
    expect(outbox.get('orders-to-erp-sales-order', '101')).toMatchObject({ state: 'pending', body: '{"status":"CLOSED"}', attempts: 0 });
  });

  it('keeps the newer body pending when it was staged while the older one was being sent', () => {
    const outbox = createOutbox(db);
    outbox.stage(intent({ v: 1 }), 10);
    const [sending] = outbox.due('erp.sales-order', 10, 10);
    outbox.stage(intent({ v: 2 }), 11);
    expect(outbox.markSent(sending!, 12)).toBe(false);
    expect(outbox.get('orders-to-erp-sales-order', '101')).toMatchObject({ state: 'pending', body: '{"v":2}' });
    expect(outbox.markDead(sending!, 'late failure of the old body', 13)).toBe(false);
  });

  it('survives a restart: what was staged and not marked sent is due again with the same body', () => {
    const outbox = createOutbox(db);
    outbox.stage(intent({ v: 1 }), 10);
    db.close();
    db = openEngineDb(join(dir, 'engine.sqlite'));
    const [row] = createOutbox(db).due('erp.sales-order', 10, 10);
    expect(row).toMatchObject({ key: '101', body: '{"v":1}', state: 'pending' });
  });

  it('sends a once-record once: a later change of the source is not a second event', () => {
    const outbox = createOutbox(db);
    outbox.stage(intent({ v: 1 }, 'once'), 10);
    expect(outbox.stage(intent({ v: 2 }, 'once'), 11)).toBe('unchanged');
    expect(outbox.get('orders-to-erp-sales-order', '101')!.body).toBe('{"v":1}');
  });

  it('backs off without spending attempts on a deferral, and releases a target after its outage', () => {
    const outbox = createOutbox(db);
    outbox.stage(intent({ v: 1 }), 10);
    const [row] = outbox.due('erp.sales-order', 10, 10);
    outbox.markRetry(row!, 5_000, 'HTTP 503', 11);
    expect(outbox.due('erp.sales-order', 4_999, 10)).toEqual([]);
    expect(outbox.get('orders-to-erp-sales-order', '101')).toMatchObject({ attempts: 1, notBefore: 5_000, lastError: 'HTTP 503' });
    outbox.releaseTarget('erp.sales-order');
    expect(outbox.due('erp.sales-order', 12, 10)).toHaveLength(1);
  });
});

describe('dead-letter queue', () => {
  it('keeps one open entry per record, replays a rejected record as a re-send, and a changed source supersedes it', () => {
    const outbox = createOutbox(db);
    const dlq = createDeadLetters(db);
    const work = createWorkQueue(db);
    outbox.stage(intent({ v: 1 }), 10);
    const [row] = outbox.due('erp.sales-order', 10, 10);
    outbox.markDead(row!, 'HTTP 422', 11);
    const first = dlq.add({ spec: row!.spec, key: row!.key, target: row!.target, kind: 'rejected', reason: 'HTTP 422 lines[0].sku', payload: { body: { v: 1 } }, attempts: 1 }, 11);
    const again = dlq.add({ spec: row!.spec, key: row!.key, target: row!.target, kind: 'rejected', reason: 'HTTP 422 lines[0].sku (again)', payload: { body: { v: 1 } }, attempts: 2 }, 12);
    expect(first).toEqual({ id: again.id, isNew: true });
    expect(again.isNew).toBe(false);
    expect(dlq.openCount()).toBe(1);
    // The same record is not staged again by itself...
    expect(outbox.stage(intent({ v: 1 }), 13)).toBe('unchanged');
    // ...a replay re-sends it...
    expect(dlq.replay(first.id, 14, { outbox, work })).toEqual({ ok: true, action: 're-sending orders-to-erp-sales-order 101' });
    expect(outbox.get('orders-to-erp-sales-order', '101')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(dlq.replay(first.id, 15, { outbox, work })).toMatchObject({ ok: false, reason: expect.stringMatching(/replayed, not open/) });
    // ...and a changed record supersedes an open entry.
    outbox.markDead(outbox.due('erp.sales-order', 16, 1)[0]!, 'HTTP 422', 16);
    const second = dlq.add({ spec: 'orders-to-erp-sales-order', key: '101', target: 'erp.sales-order', kind: 'rejected', reason: 'HTTP 422', payload: {}, attempts: 1 }, 16);
    expect(second.isNew).toBe(true);
    expect(outbox.stage(intent({ v: 2 }), 17)).toBe('staged');
    expect(dlq.get(second.id)!.state).toBe('superseded');
  });

  it('replays a mapping rejection of a BigCommerce record by fetching it again, and of a feed record by mapping the stored copy', () => {
    const outbox = createOutbox(db);
    const dlq = createDeadLetters(db);
    const work = createWorkQueue(db);
    const fromOrder = dlq.add({ spec: 'orders-to-erp-sales-order', key: '7', target: 'erp.sales-order', kind: 'mapping', reason: 'lines[1].sku max-length', payload: { source: {} }, attempts: 1, lane: 'order', sourceKey: '7' }, 1);
    const fromFeed = dlq.add({ spec: '3pl-shipments-to-bigcommerce', key: 'SH-1', target: 'bc.shipment', kind: 'mapping', reason: 'tracking_number max-length', payload: { source: { shipmentId: 'SH-1' } }, attempts: 1 }, 1);
    expect(dlq.replay(fromOrder.id, 2, { outbox, work })).toMatchObject({ ok: true, action: 'fetching order 7 again' });
    expect(dlq.replay(fromFeed.id, 2, { outbox, work })).toMatchObject({ ok: true });
    expect(work.due('order', 0, 10).map((w) => w.key)).toEqual(['7']);
    expect(work.due('remap', 0, 10).map((w) => w.key)).toEqual([String(fromFeed.id)]);
  });
});

describe('mapper', () => {
  it('dead-letters a record the spec rejects, and closes that entry once the source maps', async () => {
    const { createMapper } = await import('../../src/engine/mapper.ts');
    const { createEngineBus } = await import('../../src/engine/events.ts');
    const { createSampleWorld } = await import('../../src/mappings/sample-sources.ts');
    const { specs } = await import('../support/engine-world.ts');
    const outbox = createOutbox(db);
    const dlq = createDeadLetters(db);
    const mapper = createMapper({ specs: specs(), outbox, dlq, bus: createEngineBus() });
    const route = { spec: 'orders-to-erp-sales-order', flow: 'orders' as const, source: 'bc-order' as const, target: 'erp.sales-order' as const, policy: 'upsert' as const };
    const world = createSampleWorld({ seed: 3 });
    const order = world.sample('typical').sources['bigcommerce/order'][0] as any;
    world.close();
    const broken = { ...order, products: order.products.map((p: any, i: number) => (i === 0 ? { ...p, sku: 'X'.repeat(255) } : p)) };
    expect(mapper.map(route, broken, { observedAt: 1, now: 1, lane: 'order', sourceKey: String(order.id) })).toBe('dead-lettered');
    const [entry] = dlq.list({ state: 'open' });
    expect(entry).toMatchObject({ kind: 'mapping', key: String(order.id), lane: 'order', sourceKey: String(order.id) });
    expect(entry!.reason).toMatch(/lines\[0\]\.sku: 255 characters; the target allows 20/);
    expect(outbox.get(route.spec, String(order.id))).toBeUndefined();
    expect(mapper.map(route, order, { observedAt: 2, now: 2 })).toBe('staged');
    expect(dlq.get(entry!.id)!.state).toBe('superseded');
  });
});
