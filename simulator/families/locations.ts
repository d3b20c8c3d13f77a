/**
 * Inventory locations (locations.v3.yml): the warehouses and shops a store keeps stock in. Every
 * store has location 1, its default location and shipping origin, at the store's address (the
 * store profile in store-information.ts); it is the location the store's stock is counted at
 * (inventory.ts). Location 2 is seeded as the EAST warehouse the ERP inventory mapping names
 * (mappings/erp-inventory-to-bigcommerce.yml). Kept from the platform: creates and updates are
 * batches answering only
 * `{transaction_id}`; `label`, `managed_by_external_source`, `type_id` and `time_zone` are required,
 * and a PHYSICAL location needs an address with `address1`, `city`, `state`, `zip`, `email`,
 * `geo_coordinates` and `country_code`; at most 100 active (enabled) locations; location 1 is the
 * shipping origin, so it cannot be deleted (the document's 422 title) nor disabled; a delete
 * names its locations with `location_id:in` and takes their metafields and inventory settings
 * with them. The platform raises no webhook for locations (webhooks.v3.yml lists none).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { boolFilter, intFilters, textFilters } from './filters.ts';
import { deleteMetafieldsOf, metafieldRoutes } from './metafields.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, ResourceDecl } from './model.ts';
import { seededUuid } from './state.ts';
import type { StoreProfile } from './store-information.ts';

const FILE = 'locations.v3.yml';

/** "Limit of 100 active locations" (locations.v3.yml). */
export const MAX_ACTIVE_LOCATIONS = 100;
/** The store's default location and shipping origin. */
export const DEFAULT_LOCATION_ID = 1;

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

interface Hours {
  open: boolean;
  opening: string;
  closing: string;
}

export interface LocationAddress {
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  email: string;
  phone: string;
  geo_coordinates: { latitude: number; longitude: number };
  country_code: string;
}

export interface Location extends Item {
  id: number;
  code: string;
  label: string;
  description: string;
  managed_by_external_source: boolean;
  type_id: 'PHYSICAL' | 'VIRTUAL';
  enabled: boolean;
  operating_hours: Record<(typeof DAYS)[number], Hours>;
  time_zone: string;
  created_at: string;
  updated_at: string;
  /** Absent for a VIRTUAL location created without one. */
  address?: LocationAddress;
  storefront_visibility: boolean;
  special_hours: { label: string; date: string; open: boolean; opening: string; closing: string; all_day: boolean; annual: boolean }[];
}

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:00');
const hours = z.object({ open: z.boolean().default(false), opening: time.default('00:00'), closing: time.default('00:00') });
const operatingHours = z.object(Object.fromEntries(DAYS.map((d) => [d, hours.optional()])) as Record<(typeof DAYS)[number], z.ZodOptional<typeof hours>>);
const specialHours = z.array(
  z.object({
    label: z.string().min(1, 'is required').max(255),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-24'),
    open: z.boolean('is required'),
    opening: time.default('00:00'),
    closing: time.default('00:00'),
    all_day: z.boolean().default(false),
    annual: z.boolean().default(false),
  }),
);
const addressFields = {
  address1: z.string().min(1, 'is required').max(255),
  address2: z.string().max(255).optional(),
  city: z.string().min(1, 'is required').max(100),
  state: z.string().min(1, 'is required').max(100),
  zip: z.string().min(1, 'is required').max(20),
  email: z.email('must be an email address'),
  phone: z.string().max(50).optional(),
  geo_coordinates: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  country_code: z.string().regex(/^[A-Z]{2,3}$/, 'must be an ISO 3166-1 country code such as US'),
};
const address = z.object(addressFields);
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be a tz database time zone such as Etc/UTC or America/Chicago');

const common = {
  code: z.string().min(1).max(255).optional(),
  description: z.string().max(65_535).optional(),
  enabled: z.boolean().optional(),
  operating_hours: operatingHours.optional(),
  storefront_visibility: z.boolean().optional(),
  special_hours: specialHours.optional(),
};

const createBody = z
  .object({
    ...common,
    label: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
    managed_by_external_source: z.boolean('is required'),
    type_id: z.enum(['PHYSICAL', 'VIRTUAL'], 'must be PHYSICAL or VIRTUAL'),
    time_zone: timeZone,
    address: address.optional(),
  })
  .superRefine((l, issue) => {
    if (l.type_id === 'PHYSICAL' && !l.address) issue.addIssue({ code: 'custom', path: ['address'], message: 'is required for a PHYSICAL location' });
  });

const updateBody = z.object({
  ...common,
  id: z.number('is required').int().positive(),
  label: z.string().min(1).max(255).optional(),
  managed_by_external_source: z.boolean().optional(),
  type_id: z.enum(['PHYSICAL', 'VIRTUAL']).optional(),
  time_zone: timeZone.optional(),
  // An update may send part of the address; the whole is checked against the PHYSICAL rule in `check`.
  address: address.partial().optional(),
});

const closed = (): Hours => ({ open: false, opening: '00:00', closing: '00:00' });
const withHours = (given: unknown, base?: Location['operating_hours']) =>
  Object.fromEntries(DAYS.map((d) => [d, (given as Partial<Location['operating_hours']> | undefined)?.[d] ?? base?.[d] ?? closed()])) as Location['operating_hours'];

const unprocessable = (message: string, fields: Record<string, string>) => new DomainError('unprocessable', message, fields);

export const locationResource: ResourceDecl<Location> = {
  name: 'location',
  label: 'location',
  id: 'sequence',
  batchLimit: MAX_ACTIVE_LOCATIONS,
  seed(ctx) {
    const profile = ctx.collection<StoreProfile>('store-information').find(1);
    const at = new Date(ctx.seededAt - 400 * 86_400_000).toISOString();
    const weekday: Hours = { open: true, opening: '09:00', closing: '17:00' };
    return [
      {
        id: DEFAULT_LOCATION_ID,
        code: 'BC-LOCATION-1',
        label: 'Default location',
        description: 'The store address, its shipping origin',
        managed_by_external_source: false,
        type_id: 'PHYSICAL',
        enabled: true,
        operating_hours: { ...withHours(undefined), monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
        // The store's own zone (store-information.ts answers America/Chicago).
        time_zone: 'America/Chicago',
        created_at: at,
        updated_at: at,
        // The store profile's address (685 Third Avenue, New York, NY 10017).
        address: { address1: '685 Third Avenue', address2: '', city: 'New York', state: 'NY', zip: '10017', email: profile?.order_email ?? `orders@store-${ctx.store.info.hash}.mybigcommerce.com`, phone: profile?.phone ?? '', geo_coordinates: { latitude: 40.7527, longitude: -73.9723 }, country_code: 'US' },
        storefront_visibility: true,
        special_hours: [],
      },
      {
        // The ERP inventory mapping's EAST warehouse (mappings/erp-inventory-to-bigcommerce.yml
        // assumes locations 1 (MAIN) and 2 (EAST) exist with these ids).
        id: 2,
        code: 'EAST',
        label: 'East warehouse',
        description: 'Overflow stock, shipped by the ERP',
        managed_by_external_source: true,
        type_id: 'PHYSICAL',
        enabled: true,
        operating_hours: { ...withHours(undefined), monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
        time_zone: 'America/New_York',
        created_at: at,
        updated_at: at,
        address: { address1: '200 Port Street', address2: '', city: 'Newark', state: 'NJ', zip: '07114', email: `east@store-${ctx.store.info.hash}.mybigcommerce.com`, phone: '', geo_coordinates: { latitude: 40.6895, longitude: -74.1745 }, country_code: 'US' },
        storefront_visibility: false,
        special_hours: [],
      },
    ];
  },
  create(input, ctx) {
    const now = ctx.nowIso();
    const given = input as Partial<Omit<Location, 'address'>> & { address?: Partial<LocationAddress> };
    return {
      // Labels are unique, so a code made from one is too (and stays unique within one batch).
      code: given.code ?? `BC-${String(given.label).toUpperCase().normalize('NFKD').replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
      label: String(given.label),
      description: given.description ?? '',
      managed_by_external_source: Boolean(given.managed_by_external_source),
      type_id: given.type_id ?? 'PHYSICAL',
      enabled: given.enabled ?? true,
      operating_hours: withHours(given.operating_hours),
      time_zone: String(given.time_zone),
      created_at: now,
      updated_at: now,
      ...(given.address ? { address: { address2: '', phone: '', ...given.address } } : {}),
      storefront_visibility: given.storefront_visibility ?? true,
      special_hours: given.special_hours ?? [],
    } as Omit<Location, 'id'>;
  },
  update(item, patch, ctx) {
    const { address: addressPatch, operating_hours, ...rest } = patch as Partial<Omit<Location, 'address'>> & { address?: Partial<LocationAddress> };
    const merged = addressPatch ? ({ address2: '', phone: '', ...item.address, ...addressPatch } as LocationAddress) : item.address;
    return { ...item, ...rest, id: item.id, operating_hours: withHours(operating_hours, item.operating_hours), ...(merged ? { address: merged } : {}), created_at: item.created_at, updated_at: ctx.nowIso() } as Location;
  },
  check(next, ctx, previous) {
    const all = ctx.collection<Location>('location').all().filter((l) => l.id !== next.id);
    const sameCode = all.find((l) => l.code === next.code);
    if (sameCode) throw unprocessable(`Failed to save the location: the code "${next.code}" is already used by location ${sameCode.id}. Codes are unique.`, { code: 'already used by another location' });
    const sameLabel = all.find((l) => l.label.toLowerCase() === next.label.toLowerCase());
    if (sameLabel) throw unprocessable(`Failed to save the location: the label "${next.label}" is already used by location ${sameLabel.id}. Labels are unique.`, { label: 'already used by another location' });
    if (next.type_id === 'PHYSICAL') {
      const missing = (['address1', 'city', 'state', 'zip', 'email', 'country_code'] as const).filter((f) => !next.address?.[f]);
      if (!next.address?.geo_coordinates) missing.push('geo_coordinates' as never);
      if (missing.length > 0) throw unprocessable(`Failed to save the location: a PHYSICAL location needs an address with ${missing.join(', ')}.`, Object.fromEntries(missing.map((f) => [`address.${f}`, 'is required for a PHYSICAL location'])));
    }
    if (next.id === DEFAULT_LOCATION_ID && !next.enabled) throw unprocessable('Failed to disable location 1: it is the default location and the shipping origin of the store.', { enabled: 'the default location cannot be disabled' });
    const becomesActive = next.enabled && (!previous || !previous.enabled);
    if (becomesActive && all.filter((l) => l.enabled).length >= MAX_ACTIVE_LOCATIONS) {
      throw unprocessable(`Failed to save the location: the store already has ${MAX_ACTIVE_LOCATIONS} active locations, the platform's limit. Disable or delete one first.`, { enabled: `at most ${MAX_ACTIVE_LOCATIONS} active locations` });
    }
  },
  onDelete(location, ctx) {
    if (location.id === DEFAULT_LOCATION_ID) {
      // The document's title for this case.
      throw unprocessable(`Location canʼt be deleted. ${location.label} is set as a shipping origin for this store and canʼt be deleted.`, { 'location_id:in': 'location 1 is the shipping origin' });
    }
    deleteMetafieldsOf('location', location.id, ctx);
    // Its inventory settings go with it (the stock itself is counted at location 1: inventory.ts).
    const settings = ctx.collection<Item & { location_id: number }>('inventory-setting');
    for (const s of settings.all()) if (s.location_id === location.id) settings.remove(s.id);
  },
  filters: {
    ...intFilters<Location>('location_id', (l) => l.id, ['in']),
    ...textFilters<Location>('location_code', (l) => l.code, ['in']),
    'type_id:in': { type: 'string-list', test: (l: Location, v: string[]) => v.includes(l.type_id) } as FilterDecl<Location>,
    is_default: boolFilter<Location>((l) => l.id === DEFAULT_LOCATION_ID),
    managed_by_external_source: boolFilter<Location>((l) => l.managed_by_external_source),
    is_active: boolFilter<Location>((l) => l.enabled),
    storefront_visibility: boolFilter<Location>((l) => l.storefront_visibility),
  },
};

/** The locations a delete names: every id must exist, or nothing is deleted (404 naming them). */
function deleteLocations(req: { query: Record<string, unknown> }, ctx: FamilyContext) {
  const raw = req.query['location_id:in'];
  if (raw === undefined || String(raw).trim() === '') throw unprocessable('Failed to delete locations: name them with location_id:in (a comma-separated list of ids).', { 'location_id:in': 'is required' });
  const ids = String(raw).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = ids.filter((s) => !/^\d+$/.test(s));
  if (bad.length > 0) throw unprocessable(`Invalid query parameter location_id:in: "${bad.join(',')}" is not a list of integers`, { 'location_id:in': 'must be a comma-separated list of integers' });
  const locations = ctx.collection<Location>('location');
  const unknown = ids.filter((id) => !locations.find(Number(id)));
  if (unknown.length > 0) throw new DomainError('not-found', `Locations not found: ${unknown.join(', ')}. Nothing was deleted.`, { 'location_id:in': `unknown location ${unknown.join(', ')}` });
  const targets = ids.map((id) => locations.require(Number(id)));
  // Location 1 refuses before any other is deleted.
  const origin = targets.find((l) => l.id === DEFAULT_LOCATION_ID);
  if (origin) locationResource.onDelete!(origin, ctx);
  for (const l of targets) locations.remove(l.id);
  return { status: 200, body: { transaction_id: seededUuid(ctx.random) } };
}

export const locationsFamily: FamilyDecl = {
  name: 'locations',
  envelope: 'v3',
  resources: [locationResource],
  routes: [
    { method: 'GET', path: '/inventory/locations', op: 'list', resource: 'location', scope: 'store_locations', spec: { file: FILE }, maxLimit: 1000, summary: 'List inventory locations' },
    { method: 'POST', path: '/inventory/locations', op: 'batch-create', resource: 'location', scope: 'store_locations', spec: { file: FILE }, body: createBody, batchAnswer: 'transaction', summary: 'Create locations (a batch; answers a transaction id)' },
    { method: 'PUT', path: '/inventory/locations', op: 'batch-update', resource: 'location', scope: 'store_locations', spec: { file: FILE }, body: updateBody, batchAnswer: 'transaction', summary: 'Update locations (a batch; answers a transaction id)' },
    {
      method: 'DELETE',
      path: '/inventory/locations',
      op: 'custom',
      resource: 'location',
      scope: 'store_locations',
      spec: { file: FILE },
      filters: { 'location_id:in': locationResource.filters!['location_id:in']! },
      handler: deleteLocations,
      summary: 'Delete the locations named by location_id:in (not location 1)',
    },
    ...metafieldRoutes({ type: 'location', resource: 'location', base: '/inventory/locations', param: 'location_id', metafieldParam: 'metafield_id', file: FILE, scope: 'store_locations' }),
  ],
};
