/**
 * Done means (issue 14, item 3): a fetch the Management API rejects with a permanent 4xx (anything
 * but 408, 409, 425 and 429) is dead-lettered at once as `fetch`, with the status and an excerpt
 * of the body, after exactly one call; a 409 is still retried.
 *
 * A proxy on loopback in front of the simulator answers the order fetches itself.
 */
import { afterEach, expect, it } from 'vitest';
import { startWorld, type World } from '../support/engine-world.ts';
import { startApiProxy, type ApiProxy } from './api-proxy.ts';

let world: World | undefined;
let proxy: ApiProxy | undefined;
afterEach(async () => {
  await world?.close();
  await proxy?.close();
  world = undefined;
  proxy = undefined;
});

const breathe = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const isOrderFetch = (url: string | undefined) => /\/v2\/orders\?min_id=/.test(url ?? '');

it('dead-letters an order fetch answered 400 at once, with the status and body, and never asks again', async () => {
  world = await startWorld({ timeScale: 60, startEngine: false });
  const w = world;
  proxy = await startApiProxy(w.sim.url);
  const rejection = { status: 400, title: 'The query parameter min_id is invalid.', type: '/api-docs/getting-started/api-status-codes' };
  proxy.intercept = (req) => (isOrderFetch(req.url) ? { status: 400, body: rejection } : undefined);
  await w.startEngine({ apiUrl: `${proxy.url}/stores/${w.sim.hash}`, flows: 'orders' });
  const dlq = w.engine!.dlq;

  const [orderId] = await w.placeOrders(1);
  await expect.poll(() => dlq.list({ state: 'open' }).length, { timeout: 20_000 }).toBe(1);
  const [letter] = dlq.list({ state: 'open' });
  expect(letter).toMatchObject({ spec: 'fetch:order', key: String(orderId), kind: 'fetch', target: 'source', lane: 'order', sourceKey: String(orderId), attempts: 1 });
  expect(letter!.reason).toMatch(/HTTP 400/);
  expect(letter!.reason).toContain('The query parameter min_id is invalid.');
  expect(w.engine!.work.counts().order).toBe(0);

  // Five simulated minutes: every backoff of a retry would have come due by now.
  for (let i = 0; i < 10; i++) {
    w.clock.advance(30_000);
    await breathe();
  }
  expect(proxy.intercepted.filter((r) => r.includes(`min_id=${orderId}&`))).toHaveLength(1);
  expect(w.engine!.work.counts().order).toBe(0);
});

it('retries an order fetch answered 409 (a conflict passes) and delivers the order', async () => {
  world = await startWorld({ timeScale: 60, startEngine: false });
  const w = world;
  proxy = await startApiProxy(w.sim.url);
  let conflicts = 0;
  proxy.intercept = (req) => (isOrderFetch(req.url) && conflicts++ < 1 ? { status: 409, body: { status: 409, title: 'Conflict', type: '/api-docs/getting-started/api-status-codes' } } : undefined);
  await w.startEngine({ apiUrl: `${proxy.url}/stores/${w.sim.hash}`, flows: 'orders' });

  const [orderId] = await w.placeOrders(1);
  await expect.poll(() => w.mocks.systems.erp.getSalesOrder(String(orderId)), { timeout: 20_000 }).toBeDefined();
  expect(proxy.intercepted).toHaveLength(1);
  expect(w.engine!.dlq.openCount()).toBe(0);
});
