/**
 * Done means: a webhook outage long enough to deactivate the hooks is healed by the monitor and
 * backfilled, nothing lost. The engine's endpoint is down (a proxy in front of it answers 503)
 * while the engine keeps running; the shared clock is walked through the platform's 48-hour retry
 * ladder in ten-minute jumps until the platform deactivates the hooks.
 */
import { afterEach, expect, it } from 'vitest';
import { expectedRecord, startWorld, type World } from '../support/engine-world.ts';
import { startSwitchProxy, type SwitchProxy } from '../support/switch-proxy.ts';

let world: World | undefined;
let proxy: SwitchProxy | undefined;
afterEach(async () => {
  await world?.close();
  await proxy?.close();
  world = undefined;
});

const breathe = (ms = 15) => new Promise((r) => setTimeout(r, ms));

it('re-enables hooks the platform deactivated during a 48-hour outage, alerts, and backfills the orders it missed', async () => {
  proxy = await startSwitchProxy();
  world = await startWorld({ timeScale: 60, startEngine: false, engine: { flows: 'orders', publicUrl: proxy.url, monitorSeconds: '300', sweepSeconds: '900' } });
  const w = world;
  const { ready } = await w.startEngine();
  proxy.target = ready.metricsUrl.replace(/\/metrics$/, '');
  const erp = w.mocks.systems.erp;
  const store = w.sim.running.sim.store(w.sim.hash)!;
  const ours = () => [...store.hooks.values()].filter((h) => h.destination.startsWith(proxy!.url));
  expect(ours().length).toBeGreaterThanOrEqual(4);

  const before = await w.placeOrders(5);
  await expect.poll(() => before.every((id) => erp.getSalesOrder(String(id))), { timeout: 10_000 }).toBe(true);

  // The outage: every callback fails; the platform retries for 48 hours, then gives up.
  proxy.up = false;
  const deactivated: number[] = [];
  w.sim.running.sim.bus.on('hook:deactivated', (e) => void deactivated.push(e.hookId));
  const during = await w.placeOrders(20);
  for (let step = 0; step < 400 && deactivated.length === 0; step++) {
    w.clock.advance(600_000);
    await breathe();
  }
  expect(deactivated.length).toBeGreaterThan(0);
  expect(proxy.refused).toBeGreaterThan(20);

  // The endpoint is back; within a monitor period the engine finds the hooks off and repairs them.
  proxy.up = true;
  for (let step = 0; step < 3; step++) {
    w.clock.advance(300_000);
    await breathe(50);
  }
  await expect.poll(() => ours().every((h) => h.is_active), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => w.alerts.received.some((a) => a.body.kind === 'hook-deactivated'), { timeout: 10_000 }).toBe(true);
  expect(w.engine!.metrics.value('bc_engine_hook_checks_total', { action: 'reactivated' })).toBeGreaterThan(0);

  // Nothing lost: every order of the outage reached the ERP through the sweep, as the platform
  // has it now.
  await expect.poll(() => during.filter((id) => erp.getSalesOrder(String(id))).length, { timeout: 20_000 }).toBe(during.length);
  const truth = await w.truthOrders();
  for (const id of [...before, ...during]) expect(erp.getSalesOrder(String(id))).toEqual(expectedRecord('orders-to-erp-sales-order', truth.get(id)));
  expect(erp.postedCount()).toBe(0);

  // And webhooks flow again: the new orders' callbacks are delivered to the engine.
  const delivered: number[] = [];
  w.sim.running.sim.bus.on('webhook:attempt', (e) => {
    if (e.outcome === 'delivered' && e.scope === 'store/order/created') delivered.push(e.hookId);
  });
  const after = await w.placeOrders(5);
  await expect.poll(() => after.every((id) => erp.getSalesOrder(String(id))), { timeout: 10_000 }).toBe(true);
  expect(delivered.length).toBeGreaterThanOrEqual(after.length);
});

it('re-creates a hook someone deleted at its next check, alerts, and backfills what the missing hook would have said', async () => {
  world = await startWorld({ timeScale: 60, engine: { flows: 'orders', monitorSeconds: '300' } });
  const w = world;
  const created = (await w.sim.api('GET', '/v3/hooks')).body.data.find((h: any) => h.scope === 'store/order/created');
  // Deleted with the same API account (hooks are visible only to the client that made them).
  expect((await w.sim.api('DELETE', `/v3/hooks/${created.id}`)).status).toBe(200);
  const statusHook = (await w.sim.api('GET', '/v3/hooks')).body.data.find((h: any) => h.scope === 'store/order/statusUpdated');
  expect((await w.sim.api('DELETE', `/v3/hooks/${statusHook.id}`)).status).toBe(200);
  // Orders placed meanwhile: no hook tells the engine about them.
  const missed = await w.placeOrders(3);
  for (let step = 0; step < 2; step++) {
    w.clock.advance(300_000);
    await breathe(50);
  }
  await expect.poll(async () => (await w.sim.api('GET', '/v3/hooks')).body.data.filter((h: any) => h.scope === 'store/order/created').length, { timeout: 10_000 }).toBe(1);
  await expect.poll(() => w.alerts.received.some((a) => a.body.kind === 'hook-deactivated' && /store\/order\/created \(created\)/.test(a.body.message)), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => missed.every((id) => w.mocks.systems.erp.getSalesOrder(String(id))), { timeout: 10_000 }).toBe(true);
});
