/**
 * Behaviour of the locations, inventory items, shipping and abandoned carts families through real
 * HTTP: validation in the V2 and V3 shapes naming the field, the platform's rules (location 1 is
 * the shipping origin, stock is the store's own, a zone's locations fit its type, a token resolves
 * an abandoned cart), the ledger, OAuth scopes, seeded data that agrees with the store's orders and
 * carts, and reset.
 */
import { describe, expect, it } from 'vitest';
import type { TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const ledger = ledgerOf;

const warehouse = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  label: `Warehouse ${code}`,
  managed_by_external_source: false,
  type_id: 'PHYSICAL',
  time_zone: 'America/Los_Angeles',
  address: { address1: '1 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', email: `${code.toLowerCase()}@example.com`, geo_coordinates: { latitude: 37.8, longitude: -122.3 }, country_code: 'US' },
  ...extra,
});

async function locationId(s: TestSim, code: string): Promise<number> {
  return (await s.api('GET', `/v3/inventory/locations?location_code:in=${code}`)).body.data[0].id;
}

describe('locations', () => {
  it('seeds location 1 at the store address, creates batches answering a transaction id, and filters', async () => {
    const s = await start();
    const seeded = await s.api('GET', '/v3/inventory/locations');
    expect(seeded.body.data).toHaveLength(2);
    expect(seeded.body.data[0]).toMatchObject({ id: 1, type_id: 'PHYSICAL', enabled: true, address: { address1: '685 Third Avenue', city: 'New York', zip: '10017', country_code: 'US' } });
    // The EAST warehouse the ERP inventory mapping names (mappings/erp-inventory-to-bigcommerce.yml: MAIN 1, EAST 2).
    expect(seeded.body.data[1]).toMatchObject({ id: 2, code: 'EAST', managed_by_external_source: true });
    const made = await s.api('POST', '/v3/inventory/locations', [warehouse('WEST'), { label: 'Drop shipper', managed_by_external_source: true, type_id: 'VIRTUAL', time_zone: 'Etc/UTC' }]);
    expect(made.status, made.text).toBe(200);
    expect(Object.keys(made.body)).toEqual(['transaction_id']);
    const ids = (res: any) => res.body.data.map((l: any) => l.id);
    expect(ids(await s.api('GET', '/v3/inventory/locations?type_id:in=VIRTUAL'))).toEqual([4]);
    expect(ids(await s.api('GET', '/v3/inventory/locations?is_default=false'))).toEqual([2, 3, 4]);
    expect(ids(await s.api('GET', '/v3/inventory/locations?managed_by_external_source=false'))).toEqual([1, 3]);
    expect(ids(await s.api('GET', '/v3/inventory/locations?location_id:in=1,4'))).toEqual([1, 4]);
    const updated = await s.api('PUT', '/v3/inventory/locations', [{ id: 3, address: { city: 'Fremont' }, enabled: false }]);
    expect(updated.status, updated.text).toBe(200);
    const west = (await s.api('GET', '/v3/inventory/locations?location_id:in=3')).body.data[0];
    expect(west).toMatchObject({ enabled: false, address: { city: 'Fremont', address1: '1 Dock Rd' } });
    expect(ids(await s.api('GET', '/v3/inventory/locations?is_active=false'))).toEqual([3]);
    const changes = (await ledger(s, 'resource:created,resource:updated')).map((e) => [e.kind, e.resource, e.id]);
    expect(changes).toEqual([
      ['resource:created', 'location', 3],
      ['resource:created', 'location', 4],
      ['resource:updated', 'location', 3],
    ]);
    // No webhook is documented for locations.
    expect(await ledger(s, 'webhook:event')).toEqual([]);
  });

  it('refuses bad locations naming the field and position, all or nothing', async () => {
    const s = await start();
    const noAddress = await s.api('POST', '/v3/inventory/locations', [warehouse('A'), { label: 'B', managed_by_external_source: false, type_id: 'PHYSICAL', time_zone: 'Mars/Olympus' }]);
    expect(noAddress.status).toBe(422);
    expect(Object.keys(noAddress.body.errors).sort()).toEqual(['[1].address', '[1].time_zone']);
    const dupCode = await s.api('POST', '/v3/inventory/locations', [warehouse('A'), warehouse('BC-LOCATION-1', { label: 'Other' })]);
    expect(dupCode.status).toBe(422);
    expect(dupCode.body.errors).toEqual({ '[1].code': 'already used by another location' });
    expect((await s.api('GET', '/v3/inventory/locations')).body.meta.pagination.total).toBe(2);
    const unknown = await s.api('PUT', '/v3/inventory/locations', [{ id: 99, label: 'x' }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toHaveProperty(['[0].id']);
    const disable = await s.api('PUT', '/v3/inventory/locations', [{ id: 1, enabled: false }]);
    expect(disable.status).toBe(422);
    expect(disable.body.errors).toEqual({ '[0].enabled': 'the default location cannot be disabled' });
  });

  it('keeps location 1 as the shipping origin, and deletes others with their metafields', async () => {
    const s = await start();
    await s.api('POST', '/v3/inventory/locations', [warehouse('EASTSIDE')]);
    const east = await locationId(s, 'EASTSIDE');
    const mf = await s.api('POST', `/v3/inventory/locations/${east}/metafields`, { namespace: 'wms', key: 'site', value: 'E1', permission_set: 'write' });
    expect(mf.status, mf.text).toBe(200);
    expect(mf.body.data).toMatchObject({ resource_type: 'location', resource_id: east });
    const origin = await s.api('DELETE', `/v3/inventory/locations?location_id:in=${east},1`);
    expect(origin.status).toBe(422);
    expect(origin.body.title).toMatch(/shipping origin/);
    expect((await s.api('GET', '/v3/inventory/locations')).body.meta.pagination.total).toBe(3);
    expect((await s.api('DELETE', '/v3/inventory/locations')).status).toBe(422);
    expect((await s.api('DELETE', '/v3/inventory/locations?location_id:in=77')).status).toBe(404);
    const gone = await s.api('DELETE', `/v3/inventory/locations?location_id:in=${east}`);
    expect(gone.status).toBe(200);
    expect(gone.body.transaction_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await s.api('GET', '/v3/inventory/locations/metafields')).body.data).toEqual([]);
    expect((await s.api('POST', `/v3/inventory/locations/${east}/metafields`, { namespace: 'wms', key: 'site', value: 'E1', permission_set: 'write' })).status).toBe(404);
    const deleted = (await ledger(s, 'resource:deleted')).map((e) => `${e.resource} ${e.id}`);
    expect(deleted).toEqual([`metafield ${mf.body.data.id}`, `location ${east}`]);
  });

  it('needs store_locations to write, and lets the read-only twin read', async () => {
    const s = await start();
    expect((await s.api('GET', '/v3/inventory/locations', undefined, s.readOnlyToken)).status).toBe(200);
    const write = await s.api('POST', '/v3/inventory/locations', [warehouse('RO')], s.readOnlyToken);
    expect(write.status).toBe(403);
    expect(write.body.title).toMatch(/store_locations/);
  });
});

describe('inventory items', () => {
  it("reports the store's own stock at location 1, as adjustments change it, and none elsewhere", async () => {
    const s = await start();
    const variant = (await s.api('GET', '/v3/inventory/items?limit=1')).body.data[0];
    const variantId = variant.identity.variant_id as number;
    expect(variant.locations.map((l: any) => l.location_id)).toEqual([1, 2]);
    const levelBefore = (await s.api('GET', `/v3/catalog/products/${variant.identity.product_id}/variants`)).body.data.find((v: any) => v.id === variantId).inventory_level;
    expect(variant.locations[0]).toMatchObject({ location_id: 1, total_inventory_onhand: levelBefore, available_to_sell: levelBefore, location_enabled: true });

    expect((await s.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 1, variant_id: variantId, quantity: 40 }] })).status).toBe(200);
    expect((await s.api('POST', '/v3/inventory/adjustments/relative', { items: [{ location_id: 1, variant_id: variantId, quantity: -5 }] })).status).toBe(200);
    await s.api('POST', '/v3/inventory/locations', [warehouse('WEST')]);
    const after = await s.api('GET', `/v3/inventory/items?variant_id:in=${variantId}`);
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0].locations.map((l: any) => [l.location_id, l.total_inventory_onhand, l.available_to_sell])).toEqual([
      [1, 35, 35],
      [2, 0, 0],
      [3, 0, 0],
    ]);
    expect((await s.api('GET', `/v3/inventory/items?variant_id:in=${variantId}&location_code:in=WEST`)).body.data[0].locations.map((l: any) => l.location_id)).toEqual([3]);
    const atOne = await s.api('GET', `/v3/inventory/locations/1/items?variant_id:in=${variantId}`);
    expect(atOne.body.data[0]).toMatchObject({ identity: { variant_id: variantId }, total_inventory_onhand: 35 });
    expect((await s.api('GET', '/v3/inventory/locations/9/items')).status).toBe(404);
  });

  it('keeps settings per location; the warning level of location 1 is the variant’s; safety stock lowers available to sell', async () => {
    const s = await start();
    const item = (await s.api('GET', '/v3/inventory/items?limit=1')).body.data[0].identity;
    await s.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 1, variant_id: item.variant_id, quantity: 10 }] });
    const put = await s.api('PUT', '/v3/inventory/locations/1/items', { settings: [{ identity: { sku: item.sku }, safety_stock: 4, warning_level: 7, bin_picking_number: 'B-12' }] });
    expect(put.status, put.text).toBe(200);
    const row = (await s.api('GET', `/v3/inventory/locations/1/items?sku:in=${encodeURIComponent(item.sku)}`)).body.data[0];
    expect(row).toMatchObject({ available_to_sell: 6, total_inventory_onhand: 10, settings: { safety_stock: 4, warning_level: 7, bin_picking_number: 'B-12', is_in_stock: true } });
    const catalogVariant = (await s.api('GET', `/v3/catalog/products/${item.product_id}/variants`)).body.data.find((v: any) => v.id === item.variant_id);
    expect(catalogVariant.inventory_warning_level).toBe(7);

    const empty = await s.api('PUT', '/v3/inventory/locations/1/items', { settings: [{ identity: { variant_id: item.variant_id } }] });
    expect(empty.status).toBe(422);
    expect(empty.body.errors).toEqual({ 'settings.0.settings': 'At least one setting must be specified: warning_level, is_in_stock or safety_stock' });
    const unknown = await s.api('PUT', '/v3/inventory/locations/1/items', { settings: [{ identity: { variant_id: item.variant_id }, safety_stock: 1 }, { identity: { sku: 'NO-SUCH-SKU' }, safety_stock: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toHaveProperty(['settings.1.identity']);
    // All or nothing: the first item kept its safety stock.
    expect((await s.api('GET', `/v3/inventory/locations/1/items?variant_id:in=${item.variant_id}`)).body.data[0].settings.safety_stock).toBe(4);
    expect((await s.api('GET', '/v3/inventory/items?variant_id:in=x')).body.errors).toHaveProperty(['variant_id:in']);
  });

  it('pages items with the V3 meta', async () => {
    const s = await start({ products: 30 });
    const page2 = await s.api('GET', '/v3/inventory/items?limit=10&page=2');
    expect(page2.body.data).toHaveLength(10);
    expect(page2.body.meta.pagination).toMatchObject({ count: 10, per_page: 10, current_page: 2 });
    expect(page2.body.meta.pagination.total).toBeGreaterThanOrEqual(30);
    // "Limit of 1000 items for payload length": a page of 1000 is allowed, not more.
    const all = await s.api('GET', '/v3/inventory/items?limit=1000');
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(all.body.meta.pagination.total);
    expect((await s.api('GET', '/v3/inventory/items?limit=1001')).body.errors).toHaveProperty('limit');
  });

  it('refuses an adjustment at a location the store does not have, and takes one at a location it created', async () => {
    const s = await start();
    const variantId = (await s.api('GET', '/v3/inventory/items?limit=1')).body.data[0].identity.variant_id;
    const unknown = await s.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 5, variant_id: variantId, quantity: 3 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual({ location_id: 'unknown location 5' });
    expect((await s.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 2, variant_id: variantId, quantity: 3 }] })).status).toBe(200);
    await s.api('POST', '/v3/inventory/locations', [warehouse('NORTH')]);
    expect((await s.api('PUT', '/v3/inventory/adjustments/absolute', { items: [{ location_id: 3, variant_id: variantId, quantity: 3 }] })).status).toBe(200);
  });
});

describe('shipping zones and methods', () => {
  it('seeds the zones and methods the seeded orders name', async () => {
    const s = await start();
    const zones = (await s.api('GET', '/v2/shipping/zones')).body;
    expect(zones.map((z: any) => [z.id, z.name, z.type])).toEqual([
      [1, 'United States', 'country'],
      [2, 'International', 'global'],
    ]);
    const methods = (await s.api('GET', '/v2/shipping/zones/1/methods')).body.map((m: any) => m.name);
    const orders = (await s.api('GET', '/v2/orders?limit=250')).body as any[];
    const shippedBy = new Set<string>();
    for (const o of orders.slice(0, 10)) {
      for (const a of (await s.api('GET', `/v2/orders/${o.id}/shipping_addresses`)).body) shippedBy.add(a.shipping_method);
    }
    expect([...shippedBy].filter((m) => !methods.includes(m))).toEqual([]);
  });

  it('checks zone locations against the zone type in the V2 error shape, and answers 201', async () => {
    const s = await start();
    const bad = await s.api('POST', '/v2/shipping/zones', { name: 'Texas', type: 'state', locations: [{ country_iso2: 'US' }] });
    expect(bad.status).toBe(400);
    expect(bad.body[0].details.invalid_reason).toEqual({ 'locations[0].state_iso2': 'is required for a state zone' });
    const badType = await s.api('POST', '/v2/shipping/zones', { name: 'X', type: 'planet' });
    expect(badType.status).toBe(400);
    expect(badType.body[0].details.invalid_reason).toHaveProperty('type');
    const ok = await s.api('POST', '/v2/shipping/zones', { name: 'Texas', type: 'state', locations: [{ country_iso2: 'US', state_iso2: 'TX' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.locations[0]).toMatchObject({ id: 2, country_iso2: 'US', state_iso2: 'TX' });
    const dup = await s.api('POST', '/v2/shipping/zones', { name: 'texas', type: 'country', locations: [{ country_iso2: 'MX' }] });
    expect(dup.status).toBe(409);
    expect(dup.body[0].details.invalid_reason).toEqual({ name: 'already used by another zone' });
    // "Zone name. Required for PUT requests."
    const noName = await s.api('PUT', `/v2/shipping/zones/${ok.body.id}`, { enabled: false });
    expect(noName.status).toBe(400);
    expect(noName.body[0].details.invalid_reason).toHaveProperty('name');
  });

  it('gives a new method every channel, refuses unknown channels and bad settings, and keeps methods in their zone', async () => {
    const s = await start();
    const made = await s.api('POST', '/v2/shipping/zones/2/methods', { name: 'Express', type: 'peritem', settings: { rate: 12 } });
    expect(made.status, made.text).toBe(200);
    expect(made.body.channel_ids).toEqual([1, 2, 3]);
    expect(made.body).not.toHaveProperty('zone_id');
    const badChannel = await s.api('POST', '/v2/shipping/zones/2/methods', { name: 'Y', type: 'perorder', settings: { rate: 1 }, channel_ids: [42] });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body[0].details.invalid_reason).toEqual({ channel_ids: 'unknown channel 42' });
    const noRate = await s.api('POST', '/v2/shipping/zones/2/methods', { name: 'Z', type: 'perorder' });
    expect(noRate.body[0].details.invalid_reason).toHaveProperty(['settings.rate']);
    expect((await s.api('GET', `/v2/shipping/zones/1/methods/${made.body.id}`)).status).toBe(404);
    expect((await s.api('GET', '/v2/shipping/zones/9/methods')).status).toBe(404);
    // Deleting the zone deletes its methods.
    expect((await s.api('DELETE', '/v2/shipping/zones/2')).status).toBe(204);
    const deleted = (await ledger(s, 'resource:deleted')).map((e) => `${e.resource} ${e.id}`);
    expect(deleted).toEqual(['shipping-method 4', `shipping-method ${made.body.id}`, 'shipping-zone 2']);
    expect(await ledger(s, 'webhook:event')).toEqual([]);
  });

  it('connects carriers without keeping their credentials', async () => {
    const s = await start();
    const body = { carrier_id: 'endicia', connection: { account_id: 'acct-9', pass_phrase: 'hunter2-secret' } };
    expect((await s.api('POST', '/v2/shipping/carrier/connection', body)).status).toBe(204);
    const again = await s.api('POST', '/v2/shipping/carrier/connection', body);
    expect(again.status).toBe(400);
    expect(again.body[0].details.invalid_reason).toEqual({ carrier_id: 'already connected' });
    expect((await s.api('PUT', '/v2/shipping/carrier/connection', { carrier_id: 'usps', connection: { username: 'u' } })).status).toBe(400);
    expect((await s.api('POST', '/v2/shipping/carrier/connection', { carrier_id: 'dhl', connection: { a: 1 } })).status).toBe(400);
    expect((await s.api('DELETE', '/v2/shipping/carrier/connection', { carrier_id: 'endicia' })).status).toBe(204);
    const ledgerText = (await s.control('GET', '/ledger')).text;
    expect(ledgerText).toContain('"resource":"carrier-connection"');
    expect(ledgerText).not.toContain('hunter2-secret');
  });
});

describe('abandoned carts', () => {
  it('resolves the token of store/cart/abandoned to the cart, and only while the cart is abandoned', async () => {
    const s = await start();
    const made = await s.control('POST', `/stores/${s.hash}/carts`, { count: 2, abandonAfterMinutes: 60 });
    expect(made.status).toBe(201);
    await s.control('POST', '/clock', { advanceMs: 30 * 60_000 });
    // Not abandoned yet: no token has been given out.
    expect(await ledger(s, 'webhook:event').then((e) => e.filter((x) => x.scope === 'store/cart/abandoned'))).toEqual([]);
    await s.control('POST', '/clock', { advanceMs: 30 * 60_000 });
    const events = (await ledger(s, 'webhook:event')).filter((e) => e.scope === 'store/cart/abandoned');
    expect(events.map((e) => e.data.id).sort()).toEqual([...made.body.ids].sort());
    for (const e of events) {
      const res = await s.api('GET', `/v3/abandoned-carts/${e.data.token}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { cart_id: e.data.id }, meta: {} });
      // The id opens the cart through the hand-written carts route.
      expect((await s.api('GET', `/v3/carts/${res.body.data.cart_id}`)).body.data.id).toBe(e.data.id);
    }
    const unknown = await s.api('GET', '/v3/abandoned-carts/00000000000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.title).toMatch(/store\/cart\/abandoned/);
  });

  it('keeps global settings and per-channel overrides, validating like the platform', async () => {
    const s = await start();
    const global = await s.api('GET', '/v3/abandoned-carts/settings');
    expect(global.body.data).toMatchObject({ enable_notification: true, merchant_email_address: `admin@store-${s.hash}.mybigcommerce.com`, merchant_abandoned_cart_email_frequency_type: 'individual' });
    expect(global.body.data).not.toHaveProperty('id');
    const bad = await s.api('PUT', '/v3/abandoned-carts/settings', { merchant_abandoned_cart_digest_email_frequency: 1, merchant_email_address: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['merchant_abandoned_cart_digest_email_frequency', 'merchant_email_address']);
    const put = await s.api('PUT', '/v3/abandoned-carts/settings', { email_merchant_when_cart_is_abandoned: true });
    expect(put.body.data).toMatchObject({ email_merchant_when_cart_is_abandoned: true, enable_notification: true });

    const none = await s.api('GET', '/v3/abandoned-carts/settings/channels/2');
    expect(Object.values(none.body.data).every((v) => v === null)).toBe(true);
    const set = await s.api('PUT', '/v3/abandoned-carts/settings/channels/2', { enable_notification: false });
    expect(set.body.data).toMatchObject({ enable_notification: false, merchant_email_address: null });
    const cleared = await s.api('PUT', '/v3/abandoned-carts/settings/channels/2', { enable_notification: null, merchant_email_address: 'eu@example.com' });
    expect(cleared.body.data).toMatchObject({ enable_notification: null, merchant_email_address: 'eu@example.com' });
    expect((await s.api('GET', '/v3/abandoned-carts/settings/channels/77')).status).toBe(404);
    expect((await s.api('PUT', '/v3/abandoned-carts/settings/channels/2', { merchant_abandoned_cart_email_frequency_type: 'weekly' })).status).toBe(422);
    // The channel's digest needs a frequency: the global one (2) applies.
    expect((await s.api('PUT', '/v3/abandoned-carts/settings/channels/2', { merchant_abandoned_cart_email_frequency_type: 'digest' })).status).toBe(200);
    expect((await s.api('PUT', '/v3/abandoned-carts/settings', { enable_notification: false }, s.readOnlyToken)).status).toBe(403);
  });
});

describe('stock, shipping and carts families: platform effects', () => {
  it('counts requests against the quota, and a reset restores the seeded records', async () => {
    const s = await start({ plan: 'standard' });
    const a = await s.api('GET', '/v3/inventory/locations');
    const b = await s.api('GET', '/v2/shipping/zones');
    expect(Number(b.headers['x-rate-limit-requests-left'])).toBe(Number(a.headers['x-rate-limit-requests-left']) - 1);
    await s.api('POST', '/v3/inventory/locations', [warehouse('TEMP')]);
    await s.api('DELETE', '/v2/shipping/zones/1');
    await s.api('PUT', '/v3/abandoned-carts/settings', { enable_notification: false });
    expect((await s.control('POST', '/reset')).status).toBe(204);
    expect((await s.api('GET', '/v3/inventory/locations')).body.meta.pagination.total).toBe(2);
    expect((await s.api('GET', '/v2/shipping/zones')).body.map((z: any) => z.id)).toEqual([1, 2]);
    expect((await s.api('GET', '/v2/shipping/zones/1/methods')).body).toHaveLength(3);
    expect((await s.api('GET', '/v3/abandoned-carts/settings')).body.data.enable_notification).toBe(true);
  });
});
