/**
 * The failure-rate alert speaks when a system is down, however sparse the attempts: while a
 * target is failing the writers send one probe at a time with a backoff of up to a minute, so a
 * five-minute window can hold fewer attempts than the rate needs. A streak of failures of one
 * system raises it too; failures spread over systems with successes in between do not.
 */
import { afterEach, expect, it } from 'vitest';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { createAlerts, type Alerts } from '../../src/engine/alerts.ts';
import { openEngineDb, type EngineDb } from '../../src/engine/db.ts';
import { createEngineBus, type EngineBus } from '../../src/engine/events.ts';
import { createLogger } from '../../src/engine/logger.ts';

let db: EngineDb | undefined;
let alerts: Alerts | undefined;
afterEach(() => {
  alerts?.stop();
  db?.sqlite.close();
  alerts = undefined;
  db = undefined;
});

function setup(): { clock: Clock; bus: EngineBus; raised: { kind: string; message: string }[] } {
  const clock = createVirtualClock({ scale: 0, start: Date.UTC(2026, 0, 1) });
  const bus = createEngineBus();
  db = openEngineDb(':memory:');
  const raised: { kind: string; message: string }[] = [];
  bus.on('alert:raised', (e) => raised.push(e));
  alerts = createAlerts({
    clock,
    db,
    bus,
    logger: createLogger({ clock, write: () => {} }),
    transport: { send: () => Promise.reject(new Error('no alert URL in this test')), sendJson: () => Promise.reject(new Error('no alert URL in this test')), close: async () => {} },
    engineId: () => 'test',
    windowMs: 300_000,
    failureRate: 0.25,
    minAttempts: 10,
  });
  return { clock, bus, raised };
}

const failWrite = (bus: EngineBus) => bus.emit('write:failed', { target: 'erp.sales-order', spec: 'orders-to-erp-sales-order', records: 1, transient: true, error: 'HTTP 503' });
const fetched = (bus: EngineBus) => bus.emit('fetch:completed', { lane: 'orders', requested: 1, received: 1, calls: 1 });

it('raises failure-rate for a target down for ten minutes whose probes are a minute apart', () => {
  const { clock, bus, raised } = setup();
  // The orders were fetched once; then ten probes, 60 simulated seconds apart: no five-minute
  // window holds the ten attempts the share needs, the streak does.
  fetched(bus);
  for (let i = 0; i < 10; i++) {
    failWrite(bus);
    if (i < 9) clock.advance(60_000);
  }
  expect(raised.map((r) => r.kind)).toEqual(['failure-rate']);
  expect(raised[0]!.message).toBe('erp.sales-order: the last 10 attempts all failed, over 540 simulated seconds');
});

it('stays quiet for occasional failures of one system between its successes', () => {
  const { clock, bus, raised } = setup();
  for (let i = 0; i < 40; i++) {
    if (i % 10 === 0) failWrite(bus);
    else bus.emit('write:succeeded', { target: 'erp.sales-order', spec: 'orders-to-erp-sales-order', records: 1, latencyMs: [10] });
    clock.advance(30_000);
  }
  expect(raised).toEqual([]);
});

it('still raises on the share over the window when failures alternate with successes', () => {
  const { bus, raised } = setup();
  for (let i = 0; i < 12; i++) {
    if (i % 2 === 0) failWrite(bus);
    else fetched(bus);
  }
  expect(raised.map((r) => r.kind)).toEqual(['failure-rate']);
  expect(raised[0]!.message).toMatch(/^55% of 11 attempts failed in the last 300 simulated seconds/);
});
