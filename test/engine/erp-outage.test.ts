/**
 * Done means: an ERP answering 503 for 10 simulated minutes ends with nothing lost. The engine
 * keeps the sales orders in its outbox, probes the ERP with backoff instead of hammering it, and
 * drains everything once it answers again; nothing reaches the dead-letter queue.
 */
import { afterEach, expect, it } from 'vitest';
import { expectedRecord, startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('loses nothing while the ERP answers 503 for ten simulated minutes, and drains once it is back', async () => {
  world = await startWorld({ timeScale: 120, engine: { flows: 'orders' } });
  const w = world;
  const erp = w.mocks.systems.erp;
  const outageStart = w.clock.now();
  expect((await w.mocksControl('PUT', '/erp/faults', { downForMs: 600_000 })).status).toBe(200);
  const ids = await w.placeOrders(60);

  // During the outage nothing lands, and the orders wait in the outbox, not in the dead letters.
  await expect.poll(() => w.engine!.metrics.value('bc_engine_writes_total', { target: 'erp.sales-order', outcome: 'transient' }), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(ids.filter((id) => erp.getSalesOrder(String(id)))).toEqual([]);

  await expect.poll(() => ids.filter((id) => erp.getSalesOrder(String(id))).length, { timeout: 30_000, interval: 200 }).toBe(ids.length);
  expect(w.clock.now() - outageStart).toBeGreaterThanOrEqual(600_000);
  // The mock journals refused writes too (status 503); the first accepted one came after the outage.
  const journal = await w.journal('erp');
  expect(journal.some((l) => l.resource === 'sales-order' && l.status === 503)).toBe(true);
  const first = journal.filter((l) => l.resource === 'sales-order' && l.status < 300).map((l) => Date.parse(l.at));
  expect(Math.min(...first)).toBeGreaterThanOrEqual(outageStart + 600_000);

  const truth = await w.truthOrders();
  for (const id of ids) expect(erp.getSalesOrder(String(id))).toEqual(expectedRecord('orders-to-erp-sales-order', truth.get(id)));
  expect(w.engine!.dlq.openCount()).toBe(0);
  // The outage did not go unnoticed: the failure rate crossed the threshold and raised an alert.
  expect(w.alerts.received.some((a) => a.body.kind === 'failure-rate')).toBe(true);
  // One probe at a time while it was down: far fewer attempts than orders times retries.
  const failedAttempts = w.engine!.metrics.value('bc_engine_writes_total', { target: 'erp.sales-order', outcome: 'transient' });
  console.log(`failed ERP attempts during the outage: ${failedAttempts}`);
  expect(failedAttempts).toBeLessThan(60);
});
