/**
 * Inventory items (inventory.v3.yml): what an ERP or 3PL reads to reconcile stock,
 * `GET /v3/inventory/items` (every item at every location) and
 * `GET /v3/inventory/locations/{location_id}/items`, and the per-location settings it writes,
 * `PUT /v3/inventory/locations/{location_id}/items`.
 *
 * The stock is the store's own: each variant's `inventory_level`, which the hand-written
 * adjustments (`/v3/inventory/adjustments/*`), catalog writes and shoppers' orders change, read
 * through the Store and never copied. The store keeps one figure per variant, counted at the
 * default location (1); other locations hold none (0 on hand). Settings: at location 1 the
 * warning level is the variant's `inventory_warning_level` (a write goes to the variant, as the
 * catalog shows it) and the bin picking number starts as the variant's; safety stock, "in stock"
 * and the other locations' settings are kept here per location and variant.
 * `available_to_sell` is on hand minus safety stock, never below 0.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { V3Variant } from '../domain/model.ts';
import { paginate } from '../http/pagination.ts';
import { pageParams, parseFilterValue } from './engine.ts';
import { intFilters, textFilters } from './filters.ts';
import { DEFAULT_LOCATION_ID, type Location } from './locations.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, OperationRequest, ResourceDecl } from './model.ts';
import { seededUuid } from './state.ts';

const FILE = 'inventory.v3.yml';

/** "Limit of 1000 items for payload length" (the GET lists): the largest page. */
export const INVENTORY_MAX_LIMIT = 1000;
/** "Limit of 2000 items for payload length" (PUT location items). */
export const SETTINGS_BATCH_LIMIT = 2000;

export interface InventorySetting extends Item {
  /** `${location_id}:${variant_id}`. */
  id: string;
  location_id: number;
  variant_id: number;
  safety_stock: number;
  is_in_stock: boolean;
  warning_level: number;
  bin_picking_number: string;
}

export const inventorySettingResource: ResourceDecl<InventorySetting> = {
  name: 'inventory-setting',
  label: 'inventory setting',
  id: 'natural',
  create: (input) => input as Omit<InventorySetting, 'id'>,
};

const settingKey = (locationId: number, variantId: number) => `${locationId}:${variantId}`;

/** One variant's settings at one location, as stored or as the platform's defaults. */
function settingsOf(variant: V3Variant, location: Location, ctx: FamilyContext) {
  const stored = ctx.collection<InventorySetting>('inventory-setting').find(settingKey(location.id, variant.id));
  const atDefault = location.id === DEFAULT_LOCATION_ID;
  return {
    safety_stock: stored?.safety_stock ?? 0,
    is_in_stock: stored?.is_in_stock ?? true,
    // The default location's warning level is the variant's (the catalog field), whatever wrote it last.
    warning_level: atDefault ? variant.inventory_warning_level : (stored?.warning_level ?? 0),
    bin_picking_number: stored?.bin_picking_number ?? (atDefault ? variant.bin_picking_number : ''),
  };
}

function stockAt(variant: V3Variant, location: Location, ctx: FamilyContext) {
  const settings = settingsOf(variant, location, ctx);
  const onHand = location.id === DEFAULT_LOCATION_ID ? variant.inventory_level : 0;
  return { available_to_sell: Math.max(0, onHand - settings.safety_stock), total_inventory_onhand: onHand, settings };
}

const identity = (v: V3Variant) => ({ sku: v.sku, variant_id: v.id, product_id: v.product_id, sku_id: v.sku_id });

type Filters = Record<string, FilterDecl<any>>;

const itemFilters: Filters = {
  ...textFilters<any>('sku', (v: V3Variant) => v.sku, ['in']),
  ...intFilters<any>('variant_id', (v: V3Variant) => v.id, ['in']),
  ...intFilters<any>('product_id', (v: V3Variant) => v.product_id, ['in']),
};
const locationFilters: Filters = {
  ...intFilters<any>('location_id', (l: Location) => l.id, ['in']),
  ...textFilters<any>('location_code', (l: Location) => l.code, ['in']),
};

/** Records matching the declared filters present in the query (a value that does not parse is a 422 naming it). */
function matching<T>(items: T[], filters: Filters, req: OperationRequest): T[] {
  const active = Object.entries(filters)
    .filter(([name]) => req.query[name] !== undefined)
    .map(([name, decl]) => ({ decl, value: parseFilterValue(decl, name, req.query[name], 'v3') }));
  return items.filter((item) => active.every(({ decl, value }) => decl.test(item as never, value as never)));
}

function page<T>(all: T[], req: OperationRequest, render: (item: T) => unknown) {
  const { page: n, limit } = pageParams(req, 'v3', INVENTORY_MAX_LIMIT);
  const paged = paginate(all, n, limit);
  return { status: 200, body: { data: paged.data.map(render), meta: paged.meta } };
}

const variantsOf = (ctx: FamilyContext) => [...ctx.store.variants.values()].sort((a, b) => a.id - b.id);

function listItems(req: OperationRequest, ctx: FamilyContext) {
  const locations = matching(ctx.collection<Location>('location').all(), locationFilters, req);
  const variants = matching(variantsOf(ctx), itemFilters, req);
  return page(variants, req, (v) => ({
    identity: identity(v),
    locations: locations.map((l) => ({ location_id: l.id, location_code: l.code, location_name: l.label, ...stockAt(v, l, ctx), location_enabled: l.enabled })),
  }));
}

function listLocationItems(req: OperationRequest, ctx: FamilyContext) {
  const location = requireLocation(req, ctx);
  const variants = matching(variantsOf(ctx), itemFilters, req);
  return page(variants, req, (v) => {
    const { sku_id: _skuId, ...id } = identity(v);
    return { identity: id, ...stockAt(v, location, ctx) };
  });
}

function requireLocation(req: OperationRequest, ctx: FamilyContext): Location {
  const raw = req.params.location_id ?? '';
  if (!/^\d+$/.test(raw)) throw new DomainError('not-found', `The requested location was not found: "${raw}" is not a valid id.`);
  return ctx.collection<Location>('location').require(Number(raw));
}

const settingsBody = z.object({
  settings: z
    .array(
      z
        .object({
          identity: z
            .object({ sku: z.string().min(1).optional(), variant_id: z.number().int().positive().optional(), product_id: z.number().int().positive().optional() })
            .refine((i) => [i.sku, i.variant_id, i.product_id].filter((x) => x !== undefined).length === 1, 'exactly one of sku, variant_id or product_id is required'),
          safety_stock: z.number().int().min(0).max(2_147_483_647).optional(),
          is_in_stock: z.boolean().optional(),
          warning_level: z.number().int().min(0).max(2_147_483_647).optional(),
          bin_picking_number: z.string().max(255).optional(),
        })
        .refine((s) => s.safety_stock !== undefined || s.is_in_stock !== undefined || s.warning_level !== undefined || s.bin_picking_number !== undefined, {
          // The document's example error for this case.
          message: 'At least one setting must be specified: warning_level, is_in_stock or safety_stock',
          path: ['settings'],
        }),
    )
    .min(1, 'at least one item is required')
    .max(SETTINGS_BATCH_LIMIT, `at most ${SETTINGS_BATCH_LIMIT} items per request`),
});

function resolve(identityIn: { sku?: string; variant_id?: number; product_id?: number }, i: number, ctx: FamilyContext): V3Variant {
  const { store } = ctx;
  const fail = (what: string) => new DomainError('unprocessable', `Items with identity: [${what}] were not found.`, { [`settings.${i}.identity`]: `unknown ${what}` });
  if (identityIn.variant_id !== undefined) {
    const v = store.variants.get(identityIn.variant_id);
    if (!v) throw fail(`variant_id ${identityIn.variant_id}`);
    return v;
  }
  if (identityIn.product_id !== undefined) {
    const list = store.variantsOf(identityIn.product_id);
    if (!store.products.get(identityIn.product_id) || list.length === 0) throw fail(`product_id ${identityIn.product_id}`);
    if (list.length > 1) throw new DomainError('unprocessable', `Items with identity: [product_id ${identityIn.product_id}] have ${list.length} variants; name a variant_id or sku.`, { [`settings.${i}.identity`]: 'the product has variants' });
    return list[0]!;
  }
  const v = identityIn.sku === undefined ? undefined : store.variantBySku(identityIn.sku);
  if (!v) throw fail(`sku ${identityIn.sku}`);
  return v;
}

function putLocationSettings(req: OperationRequest, ctx: FamilyContext) {
  const location = requireLocation(req, ctx);
  const body = settingsBodyOf(req.body);
  // Every identity first, so a request with an unknown one changes nothing.
  const targets = body.settings.map((s, i) => ({ s, variant: resolve(s.identity, i, ctx) }));
  const settings = ctx.collection<InventorySetting>('inventory-setting');
  for (const { s, variant } of targets) {
    const current = settingsOf(variant, location, ctx);
    const next: InventorySetting = {
      id: settingKey(location.id, variant.id),
      location_id: location.id,
      variant_id: variant.id,
      safety_stock: s.safety_stock ?? current.safety_stock,
      is_in_stock: s.is_in_stock ?? current.is_in_stock,
      warning_level: s.warning_level ?? current.warning_level,
      bin_picking_number: s.bin_picking_number ?? current.bin_picking_number,
    };
    if (settings.find(next.id)) settings.replace(next);
    else settings.insert(next);
    // The default location's warning level is the catalog's: the variant changes with it.
    if (location.id === DEFAULT_LOCATION_ID && s.warning_level !== undefined && s.warning_level !== variant.inventory_warning_level) {
      ctx.store.updateVariants([{ id: variant.id, inventory_warning_level: s.warning_level }]);
    }
  }
  return { status: 200, body: { transaction_id: seededUuid(ctx.random) } };
}

function settingsBodyOf(raw: unknown) {
  const result = settingsBody.safeParse(raw);
  if (result.success) return result.data;
  // The platform names items as `settings.0.settings` (the document's example).
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.map(String).join('.') || 'body'] ??= issue.message;
  const [first] = Object.entries(fields);
  throw new DomainError('unprocessable', `Payload contains invalid fields${first ? `: ${first[0]} ${first[1]}` : ''}`, fields);
}

export const inventoryFamily: FamilyDecl = {
  name: 'inventory-items',
  envelope: 'v3',
  resources: [inventorySettingResource],
  routes: [
    { method: 'GET', path: '/inventory/items', op: 'custom', resource: 'inventory-setting', scope: 'store_inventory', spec: { file: FILE }, filters: { ...itemFilters, ...locationFilters }, handler: listItems, summary: 'List the stock of every item at every location' },
    { method: 'GET', path: '/inventory/locations/{location_id}/items', op: 'custom', resource: 'inventory-setting', scope: 'store_inventory', spec: { file: FILE }, filters: itemFilters, handler: listLocationItems, summary: 'List the stock of every item at one location' },
    { method: 'PUT', path: '/inventory/locations/{location_id}/items', op: 'custom', resource: 'inventory-setting', scope: 'store_inventory', spec: { file: FILE }, handler: putLocationSettings, summary: "Update items' inventory settings at a location" },
  ],
};
