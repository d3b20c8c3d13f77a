import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildWebhookPayload, payloadBody, webhookHash } from '../../simulator/domain/webhooks/payload.ts';
import { startReceiver } from '../support/receiver.ts';
import type { TestSim } from '../support/simulator.ts';
import { attemptsRecorded, useWebhookWorld } from '../support/webhook-world.ts';

const { setup, cleanup } = useWebhookWorld();

describe('webhooks over HTTP, beyond the basics', () => {
  it('denylists a destination that fails more than 10% of 100 deliveries and shows it in /v3/hooks/admin', async () => {
    const { sim, receiver } = await setup({}, 503);
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 100 });
    await expect.poll(() => receiver.received.length).toBe(100);
    await attemptsRecorded(sim, 100);
    const admin = await sim.api('GET', '/v3/hooks/admin');
    expect(admin.body.data.blocked_domains).toEqual([expect.objectContaining({ destination: '127.0.0.1', time_left: 180 })]);
    // While blocked, new events wait: nothing reaches the receiver.
    receiver.respond(200);
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 3 });
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received).toHaveLength(100);
    // Three minutes later the block lifts and the waiting events (and due retries) go out.
    await sim.control('POST', '/clock', { advanceMs: 180_000 });
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(103);
  });

  it('raises store/cart/abandoned after an hour without activity', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/cart/abandoned', destination: receiver.url });
    const carts = await sim.control('POST', `/stores/${sim.hash}/carts`, { count: 2 });
    expect(carts.status).toBe(201);
    await sim.control('POST', '/clock', { advanceMs: 59 * 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    await sim.control('POST', '/clock', { advanceMs: 60_000 });
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received.map((r) => r.body.data.id).sort()).toEqual([...carts.body.ids].sort());
    expect(receiver.received[0]!.body.data).toMatchObject({ type: 'cart', token: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('delays deliveries by simulated time when the fault plan asks', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/customer/created', destination: receiver.url });
    await sim.control('PUT', '/faults', { webhooks: { delay: { probability: 1, minMs: 600_000, maxMs: 600_000 } } });
    await sim.control('POST', `/stores/${sim.hash}/customers`, { count: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(0);
    await sim.control('POST', '/clock', { advanceMs: 600_000 });
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(receiver.received[0]!.headers['x-sim-fault']).toBe('delay');
  });

  it('refuses plain http destinations in strict mode, as the platform does', async () => {
    const { sim, receiver } = await setup({ strictDestinations: true });
    const res = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    expect(res.status).toBe(422);
    expect(res.body.errors.destination).toMatch(/https on port 443/);
  });

  it('refuses a second hook for the same scope and destination', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url })).status).toBe(200);
    const again = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    expect(again.status).toBe(422);
    expect(again.body.errors.destination).toMatch(/already exists/);
  });

  it('signs callbacks with Standard Webhooks headers when signing is on', async () => {
    const { sim, receiver } = await setup({ signWebhooks: true });
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    const { headers, body } = receiver.received[0]!;
    const secret = sim.running.sim.clientSecret(hook.body.data.client_id);
    const expected = createHmac('sha256', secret).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${JSON.stringify(body)}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('shows hooks only to the client that created them', async () => {
    const { sim, receiver } = await setup();
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    expect((await sim.api('GET', '/v3/hooks', undefined, sim.readOnlyToken)).body.data).toEqual([]);
    const other = await sim.api('GET', `/v3/hooks/${hook.body.data.id}`, undefined, sim.readOnlyToken);
    expect(other.status).toBe(404);
    expect(other.body.title).toBe(`Webhook with id [${hook.body.data.id}] not found`);
  });
});

describe('carts', () => {
  it('serves an abandoned cart through GET /v3/carts/{id} and a converted one as 404', async () => {
    const { sim } = await setup();
    const [cartId] = (await sim.control('POST', `/stores/${sim.hash}/carts`, { count: 1 })).body.ids;
    const cart = await sim.api('GET', `/v3/carts/${cartId}`);
    expect(cart.status).toBe(200);
    expect(cart.body.data).toMatchObject({ id: cartId, currency: { code: 'USD' }, line_items: { physical_items: expect.any(Array), digital_items: expect.any(Array) } });
    const items = [...cart.body.data.line_items.physical_items, ...cart.body.data.line_items.digital_items];
    expect(items[0]).toMatchObject({ product_id: expect.any(Number), variant_id: expect.any(Number), sku: expect.any(String), quantity: 1 });
    const [orderId] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 })).body.ids;
    const order = await sim.api('GET', `/v2/orders/${orderId}`);
    expect((await sim.api('GET', `/v3/carts/${order.body.cart_id}`)).status).toBe(404);
  });
});

describe('the unreachable-receiver fault', () => {
  it('fails every attempt as a refused connection without calling the receiver, until lifted', async () => {
    const { sim, receiver } = await setup();
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('PUT', '/faults', { webhooks: { unreachable: 1 } });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await attemptsRecorded(sim, 1);
    await sim.control('POST', '/clock', { advanceMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(0);
    const attempts = (await sim.control('GET', '/ledger?kinds=webhook:attempt')).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error, a.fault])).toEqual([
      [0, 'network-error', 'ECONNREFUSED', 'unreachable'],
      [1, 'network-error', 'ECONNREFUSED', 'unreachable'],
    ]);
    await sim.control('PUT', '/faults', {});
    await sim.control('POST', '/clock', { advanceMs: 180_000 });
    await expect.poll(() => receiver.received.length).toBe(1);
  });
});

describe('webhook payload text', () => {
  // payload.ts writes the hashed text and the body from shared parts instead of JSON.stringify of
  // two objects: both must stay exactly what JSON.stringify gives, or hashes and bodies change.
  const inputs = [
    { scope: 'store/order/created', storeId: '1000001', storeHash: 'abc123', data: { type: 'order', id: 101 }, createdAtMs: Date.UTC(2026, 5, 1, 12, 0, 0, 999) },
    { scope: 'store/sku/inventory/order/updated', storeId: '1000001', storeHash: 'abc123', data: { type: 'sku', id: 7, inventory: { product_id: 3, method: 'relative', value: -2, variant_id: 7 } }, createdAtMs: 1 },
    { scope: 'store/cart/converted', storeId: '1000001', storeHash: 'x"y\\z', data: { type: 'cart', id: 'b1f0-Ünï "quoted" 🎁', orderId: 5, skipped: undefined }, createdAtMs: 0 },
    { scope: 'store/app/uninstalled', storeId: '1000001', storeHash: 'abc123', data: { type: 'store' }, createdAtMs: Date.UTC(2030, 0, 1) },
  ] as const;

  it('hashes the JSON of {scope, store_id, data, created_at, producer} and delivers the JSON of the payload', () => {
    for (const input of inputs) {
      const payload = buildWebhookPayload(input as Parameters<typeof buildWebhookPayload>[0]);
      const unsigned = { scope: input.scope, store_id: input.storeId, data: input.data, created_at: Math.floor(input.createdAtMs / 1000), producer: `stores/${input.storeHash}` };
      expect(payload.hash).toBe(createHash('sha1').update(JSON.stringify(unsigned)).digest('hex'));
      expect(webhookHash(input as Parameters<typeof webhookHash>[0])).toBe(payload.hash);
      expect(payloadBody(payload)).toBe(JSON.stringify(payload));
      expect(Object.keys(payload)).toEqual(['scope', 'store_id', 'data', 'hash', 'created_at', 'producer']);
    }
  });
});
