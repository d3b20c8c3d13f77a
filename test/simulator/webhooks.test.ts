import { describe, expect, it } from 'vitest';
import { RETRY_LADDER_SECONDS } from '../../simulator/domain/webhooks/retry-ladder.ts';
import { startReceiver } from '../support/receiver.ts';
import type { TestSim } from '../support/simulator.ts';
import { attemptsRecorded, useWebhookWorld } from '../support/webhook-world.ts';

const { setup, cleanup } = useWebhookWorld();

async function ledger(sim: TestSim): Promise<any[]> {
  const res = await sim.control('GET', '/ledger');
  return res.text.trim().split('\n').map((l) => JSON.parse(l));
}

describe('webhook delivery', () => {
  it('sends store/order/created with the light payload and the hook\'s custom headers', async () => {
    const { sim, receiver } = await setup();
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url, is_active: true, headers: { 'x-shared-secret': 's3cr3t' } });
    expect(hook.status).toBe(200);
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 });
    const orderId = placed.body.ids[0];
    await expect.poll(() => receiver.received.length).toBe(1);
    const [callback] = receiver.received;
    expect(callback!.headers['x-shared-secret']).toBe('s3cr3t');
    expect(Object.keys(callback!.body).sort()).toEqual(['created_at', 'data', 'hash', 'producer', 'scope', 'store_id']);
    expect(callback!.body).toMatchObject({
      scope: 'store/order/created',
      store_id: expect.stringMatching(/^\d+$/),
      data: { type: 'order', id: orderId },
      hash: expect.stringMatching(/^[0-9a-f]{40}$/),
      created_at: Math.floor(Date.UTC(2026, 10, 27, 12) / 1000),
      producer: `stores/${sim.hash}`,
    });
    // Light payload: nothing of the order beyond its id.
    expect(Object.keys(callback!.body.data)).toEqual(['type', 'id']);
  });

  it('raises statusUpdated from 0 to 11, inventory and cart scopes for a shopper order', async () => {
    const { sim, receiver } = await setup();
    for (const scope of ['store/order/statusUpdated', 'store/cart/converted', 'store/product/inventory/order/updated']) {
      await sim.api('POST', '/v3/hooks', { scope, destination: receiver.url });
    }
    const placed = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 });
    const orderId = placed.body.ids[0];
    await expect.poll(() => receiver.received.some((r) => r.body.scope === 'store/order/statusUpdated')).toBe(true);
    await expect.poll(() => receiver.received.some((r) => r.body.scope === 'store/product/inventory/order/updated')).toBe(true);
    const status = receiver.received.find((r) => r.body.scope === 'store/order/statusUpdated')!.body;
    expect(status.data).toEqual({ type: 'order', id: orderId, status: { previous_status_id: 0, new_status_id: 11 } });
    const cart = receiver.received.find((r) => r.body.scope === 'store/cart/converted')!.body;
    expect(cart.data).toMatchObject({ type: 'cart', id: expect.stringMatching(/^[0-9a-f-]{36}$/), orderId });
    const inventory = receiver.received.find((r) => r.body.scope === 'store/product/inventory/order/updated')!.body;
    expect(inventory.data.inventory).toMatchObject({ method: 'relative', value: expect.any(Number) });
    expect(inventory.data.inventory.value).toBeLessThan(0);
  });

  it('counts 3xx as a failure and retries it', async () => {
    const { sim, receiver } = await setup({}, 302);
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    await attemptsRecorded(sim, 1);
    receiver.respond(200);
    await sim.control('POST', '/clock', { advanceMs: 60_000 });
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received[1]!.body.hash).toBe(receiver.received[0]!.body.hash);
  });

  it('walks a failing receiver through the whole retry ladder to is_active false in a few real seconds', async () => {
    // 173,040 simulated seconds of ladder at 50,000x is about 3.5 real seconds of waiting.
    const { sim, receiver } = await setup({ timeScale: 50_000 }, 500);
    const watcher = await startReceiver(200);
    cleanup.push(() => watcher.close());
    const created = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.api('POST', '/v3/hooks', { scope: 'store/hook/deliveryException', destination: watcher.url });
    const started = Date.now();
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(async () => (await sim.api('GET', `/v3/hooks/${created.body.data.id}`)).body.data.is_active, { timeout: 15_000, interval: 100 }).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);

    // One first try plus the 11 retries, with the ladder's gaps between them in simulated time.
    expect(receiver.received).toHaveLength(1 + RETRY_LADDER_SECONDS.length);
    const attempts = (await ledger(sim)).filter((e) => e.kind === 'webhook:attempt' && e.hookId === created.body.data.id);
    expect(attempts.map((a) => a.attempt)).toEqual([...Array(12).keys()]);
    const gaps = attempts.slice(1).map((a, i) => (Date.parse(a.at) - Date.parse(attempts[i]!.at)) / 1000);
    // Never early. How late depends on real scheduling: each real millisecond of delivery or
    // event-loop delay is 50 simulated seconds here (the compression limit the docs describe);
    // the exact gaps are asserted on the manual clock in the next test.
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(RETRY_LADDER_SECONDS[i]!));
    const total = (Date.parse(attempts.at(-1)!.at) - Date.parse(attempts[0]!.at)) / 3600_000;
    expect(total).toBeGreaterThan(47.9);

    await expect.poll(() => watcher.received.some((r) => r.body.data?.error_code === 90002)).toBe(true);
    expect(watcher.received.some((r) => r.body.data?.error_code === 90001)).toBe(true);
    const notifications = await sim.control('GET', `/stores/${sim.hash}/notifications`);
    expect(notifications.body.notifications).toEqual([expect.objectContaining({ hookId: created.body.data.id, message: expect.stringMatching(/retries exhausted/) })]);

    // PUT is_active: true re-enables it and new events flow again.
    receiver.respond(200);
    const before = receiver.received.length;
    await sim.api('PUT', `/v3/hooks/${created.body.data.id}`, { is_active: true });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBeGreaterThan(before);
  });

  it('retries exactly on the ladder\'s rungs, to the second, on the manual clock', async () => {
    const { sim, receiver } = await setup({}, 500);
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    for (const [i, rung] of RETRY_LADDER_SECONDS.entries()) {
      await attemptsRecorded(sim, i + 1);
      await sim.control('POST', '/clock', { advanceMs: rung * 1000 - 1 });
      await new Promise((r) => setTimeout(r, 20));
      expect(receiver.received).toHaveLength(i + 1);
      await sim.control('POST', '/clock', { advanceMs: 1 });
      await expect.poll(() => receiver.received.length).toBe(i + 2);
    }
    await expect.poll(async () => (await sim.api('GET', `/v3/hooks/${hook.body.data.id}`)).body.data.is_active).toBe(false);
  });

  it('deactivates a hook after 90 days without events', async () => {
    const { sim, receiver } = await setup();
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/shipment/created', destination: receiver.url });
    await sim.control('POST', '/clock', { advanceMs: 89 * 86_400_000 });
    expect((await sim.api('GET', `/v3/hooks/${hook.body.data.id}`)).body.data.is_active).toBe(true);
    await sim.control('POST', '/clock', { advanceMs: 2 * 86_400_000 });
    expect((await sim.api('GET', `/v3/hooks/${hook.body.data.id}`)).body.data.is_active).toBe(false);
  });
});

describe('webhook faults', () => {
  it('never duplicates or reorders deliveries without a fault plan', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) {
      ids.push(...(await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids);
      await expect.poll(() => receiver.received.length).toBe(i + 1);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received.map((r) => r.body.data.id)).toEqual(ids);
    expect(new Set(receiver.received.map((r) => r.body.hash)).size).toBe(15);
    expect(receiver.received.every((r) => r.headers['x-sim-fault'] === undefined)).toBe(true);
  });

  it('delivers the same payload twice when duplicates are asked for', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    const plan = await sim.control('PUT', '/faults', { webhooks: { duplicate: 1 } });
    expect(plan.status).toBe(200);
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 3 });
    await expect.poll(() => receiver.received.length).toBe(6);
    const byHash = new Map<string, number>();
    for (const r of receiver.received) byHash.set(r.body.hash, (byHash.get(r.body.hash) ?? 0) + 1);
    expect([...byHash.values()]).toEqual([2, 2, 2]);
    expect(receiver.received.filter((r) => r.headers['x-sim-fault'] === 'duplicate')).toHaveLength(3);
  });

  it('delivers an event after the one that followed it when out-of-order is asked for', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('PUT', '/faults', { webhooks: { outOfOrder: 1 } });
    const first = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids[0];
    const second = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids[0];
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received.map((r) => r.body.data.id)).toEqual([second, first]);
    expect(receiver.received[1]!.headers['x-sim-fault']).toBe('out-of-order');
  });

  it('drops deliveries when asked and records the drop in the ledger', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('PUT', '/faults', { webhooks: { drop: 1 } });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(0);
    expect((await ledger(sim)).filter((e) => e.kind === 'webhook:dropped' && e.reason === 'fault')).toHaveLength(2);
  });
});
