/**
 * `/v2/hooks` over the same hooks as `/v3/hooks`, and the metafield webhooks (issue 13): a hook
 * made through one API is seen, changed and deleted through the other, per client; a metafield
 * change raises store/metafield/<change> and the owner's own scope, delivered over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { ledgerOf } from '../support/family-sim.ts';
import { useWebhookWorld } from '../support/webhook-world.ts';

const { setup } = useWebhookWorld();
const field = (key: string) => ({ namespace: 'erp', key, value: `v-${key}`, permission_set: 'write' });

describe('/v2/hooks', () => {
  it('manages the same hooks as /v3/hooks, bare, visible only to the client that made them', async () => {
    const { sim } = await setup();
    const made = await sim.api('POST', '/v2/hooks', { scope: 'store/order/created', destination: 'https://hooks.example.com/bc/v2', headers: { 'X-Tenant': 'Zürich' } });
    expect(made.status, made.text).toBe(200);
    expect(made.body).toMatchObject({ scope: 'store/order/created', destination: 'https://hooks.example.com/bc/v2', is_active: true, headers: { 'X-Tenant': 'Zürich' }, store_hash: sim.hash });
    expect(made.body).not.toHaveProperty('data');

    const v3 = await sim.api('GET', '/v3/hooks');
    expect(v3.body.data.map((h: { id: number }) => h.id)).toEqual([made.body.id]);
    expect((await sim.api('GET', `/v3/hooks/${made.body.id}`)).body.data).toEqual(made.body);
    // Another client (the read-only account) sees neither the list nor the hook.
    expect((await sim.api('GET', '/v2/hooks', undefined, sim.readOnlyToken)).status).toBe(204);
    expect((await sim.api('GET', '/v3/hooks', undefined, sim.readOnlyToken)).body.data).toEqual([]);
    const hidden = await sim.api('GET', `/v2/hooks/${made.body.id}`, undefined, sim.readOnlyToken);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual([{ status: 404, message: `Webhook with id [${made.body.id}] not found` }]);

    // A hook made through V3 is changed through V2 and the change shows in V3.
    const fromV3 = await sim.api('POST', '/v3/hooks', { scope: 'store/product/*', destination: 'https://hooks.example.com/bc/v3' });
    const changed = await sim.api('PUT', `/v2/hooks/${fromV3.body.data.id}`, { is_active: false });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ id: fromV3.body.data.id, is_active: false });
    expect((await sim.api('GET', `/v3/hooks/${fromV3.body.data.id}`)).body.data.is_active).toBe(false);
    expect((await sim.api('GET', '/v2/hooks?is_active=false')).body.map((h: { id: number }) => h.id)).toEqual([fromV3.body.data.id]);

    // Deleted through V3, gone from V2.
    expect((await sim.api('DELETE', `/v3/hooks/${made.body.id}`)).status).toBe(200);
    expect((await sim.api('GET', `/v2/hooks/${made.body.id}`)).status).toBe(404);
    const deleted = await sim.api('DELETE', `/v2/hooks/${fromV3.body.data.id}`);
    expect(deleted.body).toMatchObject({ id: fromV3.body.data.id });
    expect((await sim.api('GET', '/v2/hooks')).status).toBe(204);
  });

  it('refuses a bad body in the V2 shape, naming the field, and keeps the V3 limits', async () => {
    const { sim } = await setup();
    const missing = await sim.api('POST', '/v2/hooks', { scope: 'store/order/created' });
    expect(missing.status).toBe(400);
    expect(Array.isArray(missing.body)).toBe(true);
    expect(missing.body[0]).toMatchObject({ status: 400, details: { invalid_reason: { destination: expect.any(String) } } });
    expect(missing.body[0].message).toMatch(/destination/);
    const badScope = await sim.api('POST', '/v2/hooks', { scope: 'orders', destination: 'https://hooks.example.com/x' });
    expect(badScope.body[0].details.invalid_reason).toHaveProperty('scope');
    const unknown = await sim.api('PUT', '/v2/hooks/987654', { is_active: false });
    expect(unknown.body).toEqual([{ status: 404, message: 'Webhook with id [987654] not found' }]);

    const hook = { scope: 'store/order/created', destination: 'https://hooks.example.com/same' };
    expect((await sim.api('POST', '/v3/hooks', hook)).status).toBe(200);
    // One hook per client, scope and destination, whichever API made the first.
    const twice = await sim.api('POST', '/v2/hooks', hook);
    expect(twice.status).toBe(422);
    expect(twice.body[0]).toMatchObject({ status: 422, details: { invalid_reason: { destination: expect.stringContaining('already exists') } } });
    const emptyUpdate = await sim.api('PUT', `/v2/hooks/${(await sim.api('GET', '/v2/hooks')).body[0].id}`, {});
    expect(emptyUpdate.status).toBe(400);
    expect(emptyUpdate.body[0].message).toMatch(/at least one field/);
  });
});

describe('metafield webhooks', () => {
  it('raises store/product/metafield/* and store/metafield/* with {metafield_id, resource_id, resource_type}, delivered to a store/metafield/* hook', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/metafield/*', destination: receiver.url })).status).toBe(200);
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/product/metafield/created', destination: receiver.url })).status).toBe(200);

    const made = await sim.api('POST', '/v3/catalog/products/3/metafields', field('erp-id'));
    expect(made.status, made.text).toBe(200);
    const id = made.body.data.id;
    const data = { type: 'metafield', id, metafield_id: id, resource_id: 3, resource_type: 'product' };
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received.map((r) => [r.body.scope, r.body.data]).sort()).toEqual([
      ['store/metafield/created', data],
      ['store/product/metafield/created', data],
    ]);

    expect((await sim.api('PUT', `/v3/catalog/products/3/metafields/${id}`, { value: 'changed' })).status).toBe(200);
    expect((await sim.api('DELETE', `/v3/catalog/products/3/metafields/${id}`)).status).toBe(204);
    // The store/metafield/* hook takes the update and the delete; the created-only hook takes neither.
    await expect.poll(() => receiver.received.length).toBe(4);
    expect(receiver.received.slice(2).map((r) => r.body.scope)).toEqual(['store/metafield/updated', 'store/metafield/deleted']);
    const events = (await ledgerOf(sim, 'webhook:event')).map((e) => e.scope);
    expect(events).toEqual(['store/metafield/created', 'store/product/metafield/created', 'store/metafield/updated', 'store/product/metafield/updated', 'store/metafield/deleted', 'store/product/metafield/deleted']);
  });

  it("raises each owner type's own scope: orders, variants, customers (generic only) and the store (its id as a string)", async () => {
    const { sim } = await setup();
    const order = (await sim.api('GET', '/v2/orders?limit=1')).body[0].id;
    const variant = (await sim.api('GET', '/v3/catalog/products/5/variants')).body.data[0].id;
    const customer = (await sim.api('GET', '/v3/customers?limit=1')).body.data[0].id;
    for (const [path, key] of [
      [`/v3/orders/${order}/metafields`, 'o'],
      [`/v3/catalog/products/5/variants/${variant}/metafields`, 'v'],
      [`/v3/customers/${customer}/metafields`, 'c'],
      ['/v3/store/metafields', 's'],
    ] as const) {
      const res = await sim.api('POST', path, path.startsWith('/v3/store') ? [field(key)] : field(key));
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    const events = (await ledgerOf(sim, 'webhook:event')).map((e) => [e.scope, e.data.resource_type, e.data.resource_id]);
    // The store's id, as its metafields answer resource_id.
    const storeId = (await sim.api('GET', '/v3/store/metafields')).body.data[0].resource_id;
    expect(events).toEqual([
      ['store/metafield/created', 'order', order],
      ['store/order/metafield/created', 'order', order],
      ['store/metafield/created', 'variant', variant],
      ['store/product/variant/metafield/created', 'variant', variant],
      ['store/metafield/created', 'customer', customer],
      ['store/metafield/created', 'store', String(storeId)],
    ]);
  });
});
