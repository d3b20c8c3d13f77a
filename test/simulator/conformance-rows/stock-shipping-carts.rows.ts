/**
 * Conformance rows of the locations, inventory items, shipping and abandoned carts families
 * (issue 13). Run by test/simulator/families-conformance-stock-shipping-carts.test.ts (row.ts says
 * how tables work).
 */
import type { TestSim } from '../../support/simulator.ts';
import { created, type DocumentException, type Row, type RowTable } from './row.ts';

let unique = 0;
const next = () => ++unique;

const location = (n: number) => ({
  label: `Lager ${n} — Süd`,
  code: `WH-${n}`,
  managed_by_external_source: true,
  type_id: 'PHYSICAL',
  time_zone: 'Europe/Berlin',
  address: { address1: 'Hauptstraße 1', city: 'München', state: 'BY', zip: '80331', email: `lager${n}@example.com`, geo_coordinates: { latitude: 48.137, longitude: 11.575 }, country_code: 'DE' },
  operating_hours: { monday: { open: true, opening: '08:00', closing: '16:00' } },
  special_hours: [{ label: 'Heiligabend', date: '2026-12-24', open: false }],
});

/** A new location's id (create answers only a transaction id, so it is looked up by code). */
async function newLocation(sim: TestSim): Promise<number> {
  const n = next();
  await created(sim, 'POST', '/v3/inventory/locations', [location(n)]);
  const list = await created(sim, 'GET', `/v3/inventory/locations?location_code:in=WH-${n}`);
  return list.data[0].id;
}

const field = () => ({ namespace: 'wms', key: `bin-map-${next()}`, value: `Regal ${unique} — ü`, permission_set: 'write', description: 'The WMS site id' });
async function metafield(sim: TestSim): Promise<number> {
  return (await created(sim, 'POST', '/v3/inventory/locations/1/metafields', field())).data.id;
}

const zone = () => ({ name: `Zone ${next()} — EU`, type: 'country', locations: [{ country_iso2: 'DE' }, { country_iso2: 'AT' }], handling_fees: { fixed_surcharge: '2.50', display_separately: true } });
const method = () => ({ name: `Kurier ${next()}`, type: 'perorder', settings: { rate: 9.5 }, channel_ids: [1] });

/** The token of a cart the shopper simulation abandoned (from `store/cart/abandoned` in the ledger). */
async function abandonedToken(sim: TestSim): Promise<string> {
  const made = await sim.control('POST', `/stores/${sim.hash}/carts`, { count: 1, abandonAfterMinutes: 60 });
  if (made.status !== 201) throw new Error(`Setup: carts answered ${made.status}: ${made.text}`);
  await sim.control('POST', '/clock', { advanceMs: 3_600_000 });
  const events = (await sim.control('GET', '/ledger?kinds=webhook:event')).text.trim().split('\n').map((l) => JSON.parse(l));
  const event = events.filter((e) => e.scope === 'store/cart/abandoned' && e.data.id === made.body.ids[0]).at(-1);
  if (!event) throw new Error('Setup: no store/cart/abandoned event for the new cart');
  return event.data.token;
}

const rows: Row[] = [
  // ---- locations ----
  { op: 'GET /v3/inventory/locations', send: (sim) => sim.api('GET', '/v3/inventory/locations?is_default=true') },
  { op: 'POST /v3/inventory/locations', send: (sim) => sim.api('POST', '/v3/inventory/locations', [location(next()), { ...location(next()), type_id: 'VIRTUAL', address: undefined }]) },
  { op: 'PUT /v3/inventory/locations', send: async (sim) => sim.api('PUT', '/v3/inventory/locations', [{ id: await newLocation(sim), description: 'Umgezogen', address: { city: 'Augsburg' } }]) },
  { op: 'DELETE /v3/inventory/locations', send: async (sim) => sim.api('DELETE', `/v3/inventory/locations?location_id:in=${await newLocation(sim)}`) },

  // ---- location metafields (on location 1, which every store has) ----
  { op: 'GET /v3/inventory/locations/{location_id}/metafields', send: async (sim) => (await metafield(sim), sim.api('GET', '/v3/inventory/locations/1/metafields')) },
  { op: 'POST /v3/inventory/locations/{location_id}/metafields', send: (sim) => sim.api('POST', '/v3/inventory/locations/1/metafields', field()) },
  { op: 'GET /v3/inventory/locations/{location_id}/metafields/{metafield_id}', send: async (sim) => sim.api('GET', `/v3/inventory/locations/1/metafields/${await metafield(sim)}`) },
  { op: 'PUT /v3/inventory/locations/{location_id}/metafields/{metafield_id}', send: async (sim) => sim.api('PUT', `/v3/inventory/locations/1/metafields/${await metafield(sim)}`, { value: 'geändert ✓' }) },
  { op: 'DELETE /v3/inventory/locations/{location_id}/metafields/{metafield_id}', send: async (sim) => sim.api('DELETE', `/v3/inventory/locations/1/metafields/${await metafield(sim)}`) },
  { op: 'GET /v3/inventory/locations/metafields', send: async (sim) => (await metafield(sim), sim.api('GET', '/v3/inventory/locations/metafields?namespace=wms')) },
  { op: 'POST /v3/inventory/locations/metafields', send: (sim) => sim.api('POST', '/v3/inventory/locations/metafields', [{ ...field(), resource_id: 1 }]) },
  { op: 'PUT /v3/inventory/locations/metafields', send: async (sim) => sim.api('PUT', '/v3/inventory/locations/metafields', [{ id: await metafield(sim), value: 'batch' }]) },
  { op: 'DELETE /v3/inventory/locations/metafields', send: async (sim) => sim.api('DELETE', '/v3/inventory/locations/metafields', [await metafield(sim)]) },

  // ---- inventory items ----
  { op: 'GET /v3/inventory/items', send: (sim) => sim.api('GET', '/v3/inventory/items?limit=5&location_id:in=1') },
  { op: 'GET /v3/inventory/locations/{location_id}/items', send: (sim) => sim.api('GET', '/v3/inventory/locations/1/items?variant_id:in=1,2,3') },
  { op: 'PUT /v3/inventory/locations/{location_id}/items', send: (sim) => sim.api('PUT', '/v3/inventory/locations/1/items', { settings: [{ identity: { variant_id: 1 }, safety_stock: 2, warning_level: 3, bin_picking_number: 'A-01' }] }) },

  // ---- shipping ----
  { op: 'GET /v2/shipping/zones', send: (sim) => sim.api('GET', '/v2/shipping/zones') },
  { op: 'POST /v2/shipping/zones', send: (sim) => sim.api('POST', '/v2/shipping/zones', zone()) },
  { op: 'GET /v2/shipping/zones/{id}', send: (sim) => sim.api('GET', '/v2/shipping/zones/1') },
  { op: 'PUT /v2/shipping/zones/{id}', send: (sim) => sim.api('PUT', '/v2/shipping/zones/2', { name: 'International', free_shipping: { enabled: true, minimum_sub_total: '150.00' } }) },
  {
    op: 'DELETE /v2/shipping/zones/{id}',
    send: async (sim) => {
      const z = await created(sim, 'POST', '/v2/shipping/zones', zone());
      return sim.api('DELETE', `/v2/shipping/zones/${z.id}`);
    },
  },
  { op: 'GET /v2/shipping/zones/{zone_id}/methods', send: (sim) => sim.api('GET', '/v2/shipping/zones/1/methods') },
  { op: 'POST /v2/shipping/zones/{zone_id}/methods', send: (sim) => sim.api('POST', '/v2/shipping/zones/1/methods', method()) },
  { op: 'GET /v2/shipping/zones/{zone_id}/methods/{method_id}', send: (sim) => sim.api('GET', '/v2/shipping/zones/1/methods/2') },
  { op: 'PUT /v2/shipping/zones/{zone_id}/methods/{method_id}', send: (sim) => sim.api('PUT', '/v2/shipping/zones/1/methods/1', { settings: { rate: 8 }, handling_fees: { fixed_surcharge: 1 } }) },
  {
    op: 'DELETE /v2/shipping/zones/{zone_id}/methods/{method_id}',
    send: async (sim) => {
      const m = await created(sim, 'POST', '/v2/shipping/zones/2/methods', method());
      return sim.api('DELETE', `/v2/shipping/zones/2/methods/${m.id}`);
    },
  },
  { op: 'POST /v2/shipping/carrier/connection', send: (sim) => sim.api('POST', '/v2/shipping/carrier/connection', { carrier_id: 'auspost', connection: { auth_key: 'secret-key', test_mode: true } }) },
  {
    op: 'PUT /v2/shipping/carrier/connection',
    send: async (sim) => {
      await sim.api('POST', '/v2/shipping/carrier/connection', { carrier_id: 'endicia', connection: { account_id: 'acct', pass_phrase: 'pw' } });
      return sim.api('PUT', '/v2/shipping/carrier/connection', { carrier_id: 'endicia', connection: { account_id: 'acct', pass_phrase: 'new-pw' } });
    },
  },
  {
    op: 'DELETE /v2/shipping/carrier/connection',
    send: async (sim) => {
      await sim.api('POST', '/v2/shipping/carrier/connection', { carrier_id: 'fedex', connection: { key: 'k', password: 'p', account_number: '1', meter_number: '2' } });
      return sim.api('DELETE', '/v2/shipping/carrier/connection', { carrier_id: 'fedex' });
    },
  },

  // ---- abandoned carts ----
  { op: 'GET /v3/abandoned-carts/settings', send: (sim) => sim.api('GET', '/v3/abandoned-carts/settings') },
  { op: 'PUT /v3/abandoned-carts/settings', send: (sim) => sim.api('PUT', '/v3/abandoned-carts/settings', { email_merchant_when_cart_is_abandoned: true, merchant_abandoned_cart_email_frequency_type: 'digest', merchant_abandoned_cart_digest_email_frequency: 10 }) },
  { op: 'GET /v3/abandoned-carts/settings/channels/{channel_id}', send: (sim) => sim.api('GET', '/v3/abandoned-carts/settings/channels/2') },
  { op: 'PUT /v3/abandoned-carts/settings/channels/{channel_id}', send: (sim) => sim.api('PUT', '/v3/abandoned-carts/settings/channels/1', { enable_notification: false, merchant_email_address: 'carts@example.com' }) },
  { op: 'GET /v3/abandoned-carts/{token}', send: async (sim) => sim.api('GET', `/v3/abandoned-carts/${await abandonedToken(sim)}`) },
];

/** Where the official document is wrong about what the platform answers (each with its reason). */
const SKU_ID_REASON =
  'inventory.v3.yml says identity.sku_id is "`null` if the item is a base variant" but types it as a non-nullable integer; the simulator answers null for base variants, as the description says. Checked: every item, with a null sku_id left out.';
const DOCUMENT_EXCEPTIONS: Record<string, DocumentException> = {
  'GET /v3/inventory/items': {
    reason: SKU_ID_REASON,
    adapt: (body) => ({ ...body, data: body.data.map((i: any) => ({ ...i, identity: Object.fromEntries(Object.entries(i.identity).filter(([k, v]) => !(k === 'sku_id' && v === null))) })) }),
  },
};

export const table: RowTable = { name: 'locations, inventory items, shipping and abandoned carts', rows, exceptions: DOCUMENT_EXCEPTIONS };
