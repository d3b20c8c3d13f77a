/**
 * Shipping zones and methods V2 (shipping.v2.yml), and carrier connections. Seeded to match the
 * store's orders (order-profiles.ts ships US orders "Flat Rate" or "Freight" in zone "United
 * States", the rest in "International"): zone 1 "United States" (country US) with Flat Rate,
 * Freight (by weight) and a disabled Free Shipping; zone 2 "International" (global) with Flat
 * Rate. Kept from the platform: V2 bare objects and arrays, 400 naming the field; a zone's
 * locations fit its type (country: `country_iso2`; state: and `state_iso2`; zip: and `zip`;
 * global: none); a zone's name is unique (409) and required on update, as the document says; a
 * method's `channel_ids` are channels the store has (all of them when not given); per-order and
 * per-item methods need `settings.rate`, by-weight and by-total ones `settings.range`; deleting a zone
 * deletes its methods. Carrier connections keep no credentials: only which carrier is connected
 * and a fingerprint (nothing reads them back; the ledger must not hold merchants' passwords).
 * The platform raises no webhook for any of these (webhooks.v3.yml lists none).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { fingerprint } from '../domain/redact.ts';
import type { Channel } from './channels.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl } from './model.ts';

const FILE = 'shipping.v2.yml';

const ZONE_TYPES = ['zip', 'country', 'state', 'global'] as const;
const METHOD_TYPES = ['perorder', 'peritem', 'weight', 'total', 'auspost', 'canadapost', 'endicia', 'usps', 'fedex', 'royalmail', 'upsready', 'freeshipping'] as const;
const CARRIERS = ['auspost', 'canadapost', 'endicia', 'usps', 'fedex', 'royalmail', 'upsready'] as const;

interface ZoneLocation {
  id: number;
  country_iso2: string;
  state_iso2?: string;
  zip?: string;
}

export interface ShippingZone extends Item {
  id: number;
  name: string;
  type: (typeof ZONE_TYPES)[number];
  locations: ZoneLocation[];
  free_shipping: { enabled: boolean; minimum_sub_total: string; exclude_fixed_shipping_products: boolean };
  handling_fees: { fixed_surcharge: string; display_separately: boolean } | { percentage_surcharge: string; display_separately: boolean };
  enabled: boolean;
}

export interface ShippingMethod extends Item {
  id: number;
  zone_id: number;
  name: string;
  type: (typeof METHOD_TYPES)[number];
  settings: Record<string, unknown>;
  enabled: boolean;
  handling_fees: { fixed_surcharge: number } | { percentage_surcharge: number };
  is_fallback: boolean;
  channel_ids: number[];
}

interface CarrierConnection extends Item {
  /** The carrier id (`fedex`). */
  id: string;
  /** Which connection fields were sent, and a fingerprint of their values (redact.ts, as hook headers): never the values. */
  fields: string[];
  fingerprint: string;
}

const bad = (message: string, fields: Record<string, string>) => new DomainError('bad-request', message, fields);

// Decimal strings on V2; a number is taken too, as clients often send one.
const money = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string('must be a decimal such as "5.00"').regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal such as "5.00"'));
const iso2 = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO code such as US');

const zoneFields = {
  name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  type: z.enum(ZONE_TYPES, 'must be one of zip, country, state, global'),
  locations: z.array(z.object({ country_iso2: iso2, state_iso2: z.string().min(1).max(3).optional(), zip: z.string().min(1).max(20).optional() })).max(40_000, 'at most 40,000 locations'),
  free_shipping: z.object({ enabled: z.boolean().optional(), minimum_sub_total: money.optional(), exclude_fixed_shipping_products: z.boolean().optional() }),
  handling_fees: z.union([z.object({ fixed_surcharge: money, display_separately: z.boolean().optional() }).strict(), z.object({ percentage_surcharge: money, display_separately: z.boolean().optional() }).strict()], 'must have fixed_surcharge or percentage_surcharge, not both'),
  enabled: z.boolean(),
};
const zoneCreate = z.object({ ...zoneFields, locations: zoneFields.locations.optional(), free_shipping: zoneFields.free_shipping.optional(), handling_fees: zoneFields.handling_fees.optional(), enabled: zoneFields.enabled.optional() });
// "Zone name. Required for PUT requests." (shipping.v2.yml)
const zoneUpdate = zoneCreate.partial().extend({ name: zoneFields.name });

const methodFields = {
  name: z.string().min(1, 'is required').max(255),
  type: z.enum(METHOD_TYPES, `must be one of ${METHOD_TYPES.join(', ')}`),
  settings: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  handling_fees: z.union([z.object({ fixed_surcharge: z.coerce.number().min(0) }).strict(), z.object({ percentage_surcharge: z.coerce.number().min(0) }).strict()], 'must have fixed_surcharge or percentage_surcharge, not both'),
  is_fallback: z.boolean(),
  channel_ids: z.array(z.number().int().positive()).min(1, 'at least one channel'),
};
const methodCreate = z.object({ ...methodFields, settings: methodFields.settings.optional(), enabled: methodFields.enabled.optional(), handling_fees: methodFields.handling_fees.optional(), is_fallback: methodFields.is_fallback.optional(), channel_ids: methodFields.channel_ids.optional() });
const methodUpdate = methodCreate.partial();

/** Each zone location gets a store-wide id, as the platform numbers them. */
function numberLocations(locations: Omit<ZoneLocation, 'id'>[], ctx: FamilyContext, keep: ZoneLocation[] = []): ZoneLocation[] {
  let next = Math.max(0, ...ctx.collection<ShippingZone>('shipping-zone').all().flatMap((z) => z.locations.map((l) => l.id))) + 1;
  return locations.map((l) => keep.find((k) => k.country_iso2 === l.country_iso2 && k.state_iso2 === l.state_iso2 && k.zip === l.zip) ?? { id: next++, ...l });
}

export const shippingZoneResource: ResourceDecl<ShippingZone> = {
  name: 'shipping-zone',
  label: 'shipping zone',
  id: 'sequence',
  seed: () => [
    { id: 1, name: 'United States', type: 'country', locations: [{ id: 1, country_iso2: 'US' }], free_shipping: { enabled: false, minimum_sub_total: '0.0000', exclude_fixed_shipping_products: false }, handling_fees: { fixed_surcharge: '0.0000', display_separately: true }, enabled: true },
    { id: 2, name: 'International', type: 'global', locations: [], free_shipping: { enabled: false, minimum_sub_total: '0.0000', exclude_fixed_shipping_products: false }, handling_fees: { fixed_surcharge: '5.0000', display_separately: true }, enabled: true },
  ],
  create: (input, ctx) =>
    ({
      name: String(input.name),
      type: input.type,
      locations: numberLocations((input.locations as ZoneLocation[] | undefined) ?? [], ctx),
      free_shipping: { enabled: false, minimum_sub_total: '0.0000', exclude_fixed_shipping_products: false, ...(input.free_shipping as object | undefined) },
      handling_fees: (input.handling_fees as ShippingZone['handling_fees'] | undefined) ?? { fixed_surcharge: '0.0000', display_separately: true },
      enabled: (input.enabled as boolean | undefined) ?? true,
    }) as Omit<ShippingZone, 'id'>,
  update: (item, patch, ctx) => ({
    ...item,
    ...patch,
    id: item.id,
    locations: patch.locations ? numberLocations(patch.locations as ZoneLocation[], ctx, item.locations) : item.locations,
    free_shipping: { ...item.free_shipping, ...(patch.free_shipping as object | undefined) },
  }) as ShippingZone,
  check(next, ctx) {
    const need: Record<ShippingZone['type'], (keyof ZoneLocation)[]> = { country: ['country_iso2'], state: ['country_iso2', 'state_iso2'], zip: ['country_iso2', 'zip'], global: [] };
    if (next.type === 'global' && next.locations.length > 0) throw bad('Failed to save the shipping zone: a global zone has no locations.', { locations: 'must be empty for a global zone' });
    if (next.type !== 'global' && next.locations.length === 0) throw bad(`Failed to save the shipping zone: a ${next.type} zone needs at least one location.`, { locations: `at least one location for a ${next.type} zone` });
    next.locations.forEach((l, i) => {
      const missing = need[next.type].filter((f) => !l[f]);
      if (missing.length > 0) throw bad(`Failed to save the shipping zone: location ${i} of a ${next.type} zone needs ${missing.join(' and ')}.`, Object.fromEntries(missing.map((f) => [`locations[${i}].${f}`, `is required for a ${next.type} zone`])));
    });
    const clash = ctx.collection<ShippingZone>('shipping-zone').all().find((z) => z.id !== next.id && z.name.toLowerCase() === next.name.toLowerCase());
    if (clash) throw new DomainError('conflict', `Failed to save the shipping zone: the name "${next.name}" is already used by zone ${clash.id}.`, { name: 'already used by another zone' });
  },
  onDelete(zone, ctx) {
    const methods = ctx.collection<ShippingMethod>('shipping-method');
    for (const m of methods.all()) if (m.zone_id === zone.id) methods.remove(m.id);
  },
};

const channelIds = (ctx: FamilyContext) =>
  ctx
    .collection<Channel>('channel')
    .all()
    .filter((c) => !['deleted', 'terminated', 'archived'].includes(c.status))
    .map((c) => c.id);

export const shippingMethodResource: ResourceDecl<ShippingMethod> = {
  name: 'shipping-method',
  label: 'shipping method',
  id: 'sequence',
  seed: (ctx) => {
    const all = channelIds(ctx);
    const base = { enabled: true, handling_fees: { fixed_surcharge: 0 }, is_fallback: false, channel_ids: all };
    return [
      { id: 1, zone_id: 1, ...base, name: 'Flat Rate', type: 'perorder', settings: { rate: 7 } },
      { id: 2, zone_id: 1, ...base, name: 'Freight', type: 'weight', settings: { default_cost: 45, default_cost_type: 'fixed_amount', range: [{ lower_limit: 0, upper_limit: 150, shipping_cost: 45 }, { lower_limit: 150, upper_limit: 1000, shipping_cost: 120 }] } },
      { id: 3, zone_id: 1, ...base, name: 'Free Shipping', type: 'freeshipping', settings: {}, enabled: false },
      { id: 4, zone_id: 2, ...base, name: 'Flat Rate', type: 'perorder', settings: { rate: 25 } },
    ];
  },
  create: (input, ctx) =>
    ({
      name: String(input.name),
      type: input.type,
      settings: (input.settings as Record<string, unknown> | undefined) ?? {},
      enabled: (input.enabled as boolean | undefined) ?? true,
      handling_fees: (input.handling_fees as ShippingMethod['handling_fees'] | undefined) ?? { fixed_surcharge: 0 },
      is_fallback: (input.is_fallback as boolean | undefined) ?? false,
      // "When creating a new method, all available channels are associated by default."
      channel_ids: (input.channel_ids as number[] | undefined) ?? channelIds(ctx),
      zone_id: Number(input.zone_id),
    }) as Omit<ShippingMethod, 'id'>,
  update: (item, patch) => ({ ...item, ...patch, id: item.id, zone_id: item.zone_id }) as ShippingMethod,
  check(next, ctx) {
    const known = new Set(ctx.collection<Channel>('channel').all().map((c) => c.id));
    const unknown = next.channel_ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw bad(`Failed to save the shipping method: channel ${unknown.join(', ')} does not exist.`, { channel_ids: `unknown channel ${unknown.join(', ')}` });
    const s = next.settings;
    if ((next.type === 'perorder' || next.type === 'peritem') && (typeof s.rate !== 'number' || s.rate < 0)) throw bad(`Failed to save the shipping method: a ${next.type} method needs settings.rate, a non-negative number.`, { 'settings.rate': 'is required: a non-negative number' });
    if (next.type === 'weight' || next.type === 'total') {
      const range = s.range;
      const ok = Array.isArray(range) && range.every((r) => r && typeof r === 'object' && ['lower_limit', 'upper_limit', 'shipping_cost'].every((k) => typeof (r as Record<string, unknown>)[k] === 'number'));
      if (!ok) throw bad(`Failed to save the shipping method: a by-${next.type} method needs settings.range, a list of {lower_limit, upper_limit, shipping_cost} numbers.`, { 'settings.range': 'is required: [{lower_limit, upper_limit, shipping_cost}]' });
    }
  },
};

const carrierConnectionResource: ResourceDecl<CarrierConnection> = {
  name: 'carrier-connection',
  label: 'carrier connection',
  id: 'natural',
  create: (input) => input as Omit<CarrierConnection, 'id'>,
};

/** A zone's methods only, 404 when the zone does not exist. */
const ofZone = (item: Item, req: OperationRequest, ctx: FamilyContext) => {
  const raw = req.params.zone_id ?? '';
  if (!/^\d+$/.test(raw)) throw new DomainError('not-found', `The requested shipping zone was not found: "${raw}" is not a valid id.`);
  ctx.collection('shipping-zone').require(Number(raw));
  return (item as ShippingMethod).zone_id === Number(raw);
};
const methodView = (item: Item) => {
  const { zone_id: _zone, ...rest } = item as ShippingMethod;
  return rest;
};

const connectionBody = z.object({ carrier_id: z.enum(CARRIERS, `must be one of ${CARRIERS.join(', ')}`), connection: z.record(z.string(), z.unknown()).refine((c) => Object.keys(c).length > 0, 'Required fields missing: the carrier\'s connection fields') });

function connect(mode: 'create' | 'update') {
  return (req: OperationRequest, ctx: FamilyContext) => {
    const body = connectionBody.safeParse(req.body);
    if (!body.success) {
      const fields = Object.fromEntries(body.error.issues.map((i) => [i.path.map(String).join('.') || 'body', i.message]));
      throw bad(`Required fields missing or invalid: ${Object.keys(fields).join(', ')}`, fields);
    }
    const { carrier_id, connection } = body.data;
    const connections = ctx.collection<CarrierConnection>('carrier-connection');
    const record: CarrierConnection = { id: carrier_id, fields: Object.keys(connection).sort(), fingerprint: fingerprint(JSON.stringify(connection)) };
    const existing = connections.find(carrier_id);
    if (mode === 'create' && existing) throw bad(`The carrier ${carrier_id} is already connected. Update the connection with PUT instead.`, { carrier_id: 'already connected' });
    if (mode === 'update' && !existing) throw bad(`The carrier ${carrier_id} is not connected. Connect it with POST first.`, { carrier_id: 'not connected' });
    if (existing) connections.replace(record);
    else connections.insert(record);
    return { status: 204 };
  };
}

function disconnect(req: OperationRequest, ctx: FamilyContext) {
  const body = z.object({ carrier_id: z.enum(CARRIERS, `must be one of ${CARRIERS.join(', ')}`) }).safeParse(req.body);
  if (!body.success) throw bad('Required fields missing [carrier_id]', { carrier_id: body.error.issues[0]?.message ?? 'is required' });
  const connections = ctx.collection<CarrierConnection>('carrier-connection');
  if (!connections.find(body.data.carrier_id)) throw bad(`The carrier ${body.data.carrier_id} is not connected.`, { carrier_id: 'not connected' });
  connections.remove(body.data.carrier_id);
  return { status: 204 };
}

const scope = 'store_v2_information' as const;
const spec = { file: FILE };

export const shippingFamily: FamilyDecl = {
  name: 'shipping',
  envelope: 'v2',
  resources: [shippingZoneResource, shippingMethodResource, carrierConnectionResource],
  routes: [
    { method: 'GET', path: '/shipping/zones', op: 'list', resource: 'shipping-zone', scope, spec, summary: 'List shipping zones' },
    { method: 'POST', path: '/shipping/zones', op: 'create', resource: 'shipping-zone', scope, spec, status: 201, body: zoneCreate, summary: 'Create a shipping zone' },
    { method: 'GET', path: '/shipping/zones/{id}', op: 'get', resource: 'shipping-zone', scope, spec, summary: 'Get a shipping zone' },
    { method: 'PUT', path: '/shipping/zones/{id}', op: 'update', resource: 'shipping-zone', scope, spec, body: zoneUpdate, summary: 'Update a shipping zone' },
    { method: 'DELETE', path: '/shipping/zones/{id}', op: 'delete', resource: 'shipping-zone', scope, spec, summary: 'Delete a shipping zone and its methods' },
    { method: 'GET', path: '/shipping/zones/{zone_id}/methods', op: 'list', resource: 'shipping-method', scope, spec, scopeTo: ofZone, view: methodView, summary: "List a zone's shipping methods" },
    {
      method: 'POST',
      path: '/shipping/zones/{zone_id}/methods',
      op: 'create',
      resource: 'shipping-method',
      scope,
      spec,
      body: methodCreate,
      fromPath: (req, ctx) => {
        ofZone({ id: 0, zone_id: 0 }, req, ctx);
        return { zone_id: Number(req.params.zone_id) };
      },
      view: methodView,
      summary: 'Create a shipping method in a zone',
    },
    { method: 'GET', path: '/shipping/zones/{zone_id}/methods/{method_id}', op: 'get', resource: 'shipping-method', scope, spec, scopeTo: ofZone, view: methodView, summary: 'Get a shipping method' },
    { method: 'PUT', path: '/shipping/zones/{zone_id}/methods/{method_id}', op: 'update', resource: 'shipping-method', scope, spec, scopeTo: ofZone, body: methodUpdate, view: methodView, summary: 'Update a shipping method' },
    { method: 'DELETE', path: '/shipping/zones/{zone_id}/methods/{method_id}', op: 'delete', resource: 'shipping-method', scope, spec, scopeTo: ofZone, summary: 'Delete a shipping method' },
    { method: 'POST', path: '/shipping/carrier/connection', op: 'custom', resource: 'carrier-connection', scope, spec, handler: connect('create'), summary: 'Connect a shipping carrier (credentials are not kept)' },
    { method: 'PUT', path: '/shipping/carrier/connection', op: 'custom', resource: 'carrier-connection', scope, spec, handler: connect('update'), summary: "Update a carrier's connection" },
    { method: 'DELETE', path: '/shipping/carrier/connection', op: 'custom', resource: 'carrier-connection', scope, spec, handler: disconnect, summary: 'Disconnect a shipping carrier' },
  ],
};
