/**
 * Price lists (price_lists.v3.yml): B2B and multi-currency prices per variant, their records, and
 * their assignments to customer groups and channels. Seeded to agree with the rest of the store:
 * "Wholesale" and "Distributor" price the variants of the first products at the discount of the
 * customer group of the same name (seed.ts: 15% and 25%) and are assigned to those groups on
 * channel 1; "Euro storefront" holds EUR prices and is not assigned. Records name variants of the
 * store's catalog (read through `ctx.store.variants`, never copied) by `variant_id` or `sku`, and a
 * currency the store has (currencies.ts).
 *
 * Platform rules kept: a price list's name is required and unique (409); deleting a price list
 * deletes its records and assignments; a record is keyed by price list, variant and currency, and
 * the batch writes upsert (at most 1,000 records per request); a customer group has one price list
 * per channel (422); assignment batches take at most 25. Scopes raised: `store/priceList/created|
 * updated|deleted`, `store/priceList/activated|deactivated` when `active` changes,
 * `store/priceList/record/created|updated|deleted` and `store/priceList/assignment/updated|deleted`.
 * webhooks.v3.yml documents none of them; their names are BigCommerce's webhook events page's and
 * the payloads (`{type: 'priceList', id: <price list id>}`, records and assignments adding what
 * they name) are the simulator's choice (decision 0014).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { V3Variant } from '../domain/model.ts';
import type { Currency } from './currencies.ts';
import type { CustomerGroupRecord } from './customer-groups.ts';
import { discountPercentOf } from './customer-groups.ts';
import { parseWith } from './engine.ts';
import { intFilters, textFilters } from './filters.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, OperationRequest, ResourceDecl } from './model.ts';

const FILE = 'price_lists.v3.yml';
export const RECORD_BATCH_LIMIT = 1000;
export const ASSIGNMENT_BATCH_LIMIT = 25;
/** Seeded records cover the variants of this many products. */
const SEEDED_PRODUCTS = 25;

export interface PriceList extends Item {
  id: number;
  name: string;
  active: boolean;
  date_created: string;
  date_modified: string;
}

interface BulkTier {
  quantity_min: number;
  quantity_max: number;
  type: 'fixed' | 'price' | 'percent';
  amount: number;
}

export interface PriceRecord extends Item {
  id: number;
  price_list_id: number;
  variant_id: number;
  /** Lower case, as the platform answers it (`usd`). */
  currency: string;
  price: number;
  sale_price?: number;
  retail_price?: number;
  map_price?: number;
  bulk_pricing_tiers: BulkTier[];
  date_created: string;
  date_modified: string;
}

export interface PriceListAssignment extends Item {
  id: number;
  price_list_id: number;
  customer_group_id?: number;
  channel_id: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const priceOf = (ctx: FamilyContext, v: V3Variant) => v.price ?? ctx.store.products.get(v.product_id)?.price ?? v.calculated_price;

// ---------------------------------------------------------------- price lists

const listBody = z.object({ name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'), active: z.boolean().optional() });

export const priceListResource: ResourceDecl<PriceList> = {
  name: 'price-list',
  label: 'price list',
  id: 'sequence',
  seed: (ctx) => {
    const at = new Date(ctx.seededAt - 180 * 86_400_000).toISOString();
    return [
      { id: 1, name: 'Wholesale', active: true, date_created: at, date_modified: at },
      { id: 2, name: 'Distributor', active: true, date_created: at, date_modified: at },
      { id: 3, name: 'Euro storefront', active: false, date_created: at, date_modified: at },
    ];
  },
  create: (input, ctx) => ({ active: true, ...(input as Partial<PriceList>), name: String(input.name), date_created: ctx.nowIso(), date_modified: ctx.nowIso() }) as Omit<PriceList, 'id'>,
  update: (item, patch, ctx) => ({ ...item, ...patch, id: item.id, date_created: item.date_created, date_modified: ctx.nowIso() }) as PriceList,
  check(next, ctx) {
    const clash = ctx.collection<PriceList>('price-list').all().find((p) => p.id !== next.id && p.name.toLowerCase() === next.name.toLowerCase());
    if (clash) throw new DomainError('conflict', `Failed to save the price list: the name "${next.name}" is already used by price list ${clash.id}.`, { name: 'already used by another price list' });
  },
  afterChange(when, item, ctx, previous) {
    if (when === 'updated' && previous && previous.active !== item.active) ctx.store.emit(item.active ? 'store/priceList/activated' : 'store/priceList/deactivated', { type: 'priceList', id: item.id });
  },
  // "All associated price records are also removed" (price_lists.v3.yml); so are its assignments.
  onDelete(list, ctx) {
    for (const name of ['price-list-record', 'price-list-assignment'] as const) {
      const collection = ctx.collection<Item & { price_list_id: number }>(name);
      for (const r of collection.all()) if (r.price_list_id === list.id) collection.remove(r.id);
    }
  },
  filters: {
    ...intFilters<PriceList>('id', (p) => p.id, ['eq', 'in']),
    ...textFilters<PriceList>('name', (p) => p.name, ['eq', 'like']),
  },
  webhooks: { type: 'priceList', created: 'store/priceList/created', updated: 'store/priceList/updated', deleted: 'store/priceList/deleted' },
};

// ---------------------------------------------------------------- records

const money = z.number('must be a number').nonnegative('must not be negative');
const tier = z.object({ quantity_min: z.number().int().min(0), quantity_max: z.number().int().min(0), type: z.enum(['fixed', 'price', 'percent']), amount: money });
const recordPrices = { price: money, sale_price: money.optional(), retail_price: money.optional(), map_price: money.optional(), bulk_pricing_tiers: z.array(tier).optional() };
const recordFields = { ...recordPrices, variant_id: z.number().int().positive().optional(), sku: z.string().min(1).optional(), currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code such as USD') };
const namesVariant = (r: { variant_id?: number; sku?: string }) => r.variant_id !== undefined || r.sku !== undefined;
const namesVariantError = { message: 'either variant_id or sku is required', path: ['variant_id'] };
const recordItem = z.object(recordFields).refine(namesVariant, namesVariantError);
// The upsert across lists: the same record, naming its list.
const recordItemAnyList = z.object({ ...recordFields, price_list_id: z.number('must be a price list id').int().positive() }).refine(namesVariant, namesVariantError);
const singleRecord = z.object(recordPrices);

export const priceRecordResource: ResourceDecl<PriceRecord> = {
  name: 'price-list-record',
  label: 'price record',
  id: 'sequence',
  batchLimit: RECORD_BATCH_LIMIT,
  seed: (ctx) => {
    const at = new Date(ctx.seededAt - 90 * 86_400_000).toISOString();
    // The worst-case profile's 600-variant product is priced too: a list with a record for every variant.
    const big = ctx.store.worstCase?.bigProductId;
    const variants = [...ctx.store.variants.values()].filter((v) => v.product_id <= SEEDED_PRODUCTS || v.product_id === big);
    const groups = ctx.collection<CustomerGroupRecord>('customer-group');
    const lists: { id: number; currency: string; factor: number }[] = [
      { id: 1, currency: 'usd', factor: 1 - discountPercentOf(groups.find(2)?.discount_rules ?? []) / 100 },
      { id: 2, currency: 'usd', factor: 1 - discountPercentOf(groups.find(3)?.discount_rules ?? []) / 100 },
      { id: 3, currency: 'eur', factor: Number(ctx.collection<Currency>('currency').all().find((c) => c.currency_code === 'EUR')?.currency_exchange_rate ?? 0.92) },
    ];
    let id = 1;
    return lists.flatMap((list) => variants.map((v) => ({ id: id++, price_list_id: list.id, variant_id: v.id, currency: list.currency, price: round2(priceOf(ctx, v) * list.factor), bulk_pricing_tiers: [], date_created: at, date_modified: at })));
  },
  check(next, ctx) {
    ctx.collection('price-list').find(next.price_list_id) ?? fail('price_list_id', `price list ${next.price_list_id} not found`, `Price list ${next.price_list_id} does not exist.`);
    if (!ctx.store.variants.has(next.variant_id)) fail('variant_id', `variant ${next.variant_id} not found`, `Variant ${next.variant_id} does not exist in the catalog.`);
    const code = next.currency.toUpperCase();
    if (!ctx.collection<Currency>('currency').all().some((c) => c.currency_code === code)) fail('currency', `${code} is not a store currency`, `The currency ${code} is not one of the store's currencies. Create it with POST /v2/currencies first.`);
    for (const [i, t] of next.bulk_pricing_tiers.entries()) if (t.quantity_max !== 0 && t.quantity_max < t.quantity_min) fail(`bulk_pricing_tiers[${i}].quantity_max`, 'must not be below quantity_min', 'A bulk pricing tier ends before it starts.');
  },
  filters: {
    ...intFilters<PriceRecord>('variant_id', (r) => r.variant_id, ['in']),
    currency: { type: 'string', test: (r, v: string) => r.currency === v.toLowerCase() },
    'currency:in': { type: 'string-list', test: (r, v: string[]) => v.map((c) => c.toLowerCase()).includes(r.currency) },
  },
  webhooks: { type: 'priceList', omitId: true, created: 'store/priceList/record/created', updated: 'store/priceList/record/updated', deleted: 'store/priceList/record/deleted', data: (r) => ({ id: r.price_list_id, variant_id: r.variant_id, currency: r.currency }) },
};

function fail(field: string, reason: string, message: string): never {
  throw new DomainError('unprocessable', message, { [field]: reason });
}

/** The record as the platform answers it: the variant's product and SKU, and the price a shopper pays. */
const recordView = (item: Item, ctx: FamilyContext) => {
  const { id: _internal, ...r } = item as PriceRecord;
  const variant = ctx.store.variants.get(r.variant_id);
  return { ...r, product_id: variant?.product_id ?? 0, sku: variant?.sku ?? '', calculated_price: r.sale_price ?? r.price };
};

const variantFor = (ctx: FamilyContext, input: { variant_id?: number; sku?: string }, at: string): number => {
  if (input.variant_id !== undefined) return input.variant_id;
  const found = input.sku === undefined ? undefined : ctx.store.variantBySku(input.sku);
  if (!found) fail(`${at}.sku`, `no variant has SKU ${input.sku}`, `No variant has the SKU "${input.sku}".`);
  return found.id;
};

/** Create or replace records keyed by (price list, variant, currency); every item is checked before the first is written. */
function upsertRecords(items: (z.infer<typeof recordItem> & { price_list_id: number })[], ctx: FamilyContext): PriceRecord[] {
  const records = ctx.collection<PriceRecord>('price-list-record');
  const now = ctx.nowIso();
  const drafts = items.map((input, i) => {
    const { sku: _sku, ...prices } = input;
    const key = { price_list_id: input.price_list_id, variant_id: variantFor(ctx, input, `[${i}]`), currency: input.currency.toLowerCase() };
    const existing = records.all().find((r) => r.price_list_id === key.price_list_id && r.variant_id === key.variant_id && r.currency === key.currency);
    const draft: PriceRecord = { bulk_pricing_tiers: [], ...prices, ...key, id: existing?.id ?? -(i + 1), date_created: existing?.date_created ?? now, date_modified: now };
    try {
      priceRecordResource.check!(draft, ctx);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.startsWith('[') ? k : `[${i}].${k}`, v])));
      throw error;
    }
    return draft;
  });
  return drafts.map((draft) => {
    // A repeated key in one batch: the later item replaces what the earlier one wrote.
    const current = records.all().find((r) => r.price_list_id === draft.price_list_id && r.variant_id === draft.variant_id && r.currency === draft.currency);
    if (current) return records.replace({ ...draft, id: current.id, date_created: current.date_created });
    const { id: _stand_in, ...fields } = draft;
    return records.insert(fields);
  });
}

const batchOfRecords = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S>[] => {
  if (Array.isArray(body) && body.length > RECORD_BATCH_LIMIT) throw new DomainError('too-large', `The request payload is too large. The maximum items allowed in the array is ${RECORD_BATCH_LIMIT}.`, { body: `at most ${RECORD_BATCH_LIMIT} price records per request` });
  return parseWith(z.array(schema).min(1, 'at least one price record is required'), body, 'v3');
};

const requireList = (req: OperationRequest, ctx: FamilyContext): number => {
  const raw = req.params.price_list_id ?? '';
  if (!/^\d+$/.test(raw)) throw new DomainError('not-found', 'The requested price list was not found.');
  ctx.collection('price-list').require(Number(raw));
  return Number(raw);
};

const upsertInList = (req: OperationRequest, ctx: FamilyContext) => {
  const listId = requireList(req, ctx);
  upsertRecords(batchOfRecords(recordItem, req.body).map((r) => ({ ...r, price_list_id: listId })), ctx);
  return { status: 200, body: { data: {}, meta: {} } };
};

const upsertAcrossLists = (req: OperationRequest, ctx: FamilyContext) => {
  upsertRecords(batchOfRecords(recordItemAnyList, req.body), ctx);
  return { status: 200, body: { data: {}, meta: {} } };
};

/** `/pricelists/{price_list_id}/records/{variant_id}/{currency_code}`: one record by its natural key. */
function oneRecord(method: 'GET' | 'PUT' | 'DELETE') {
  return (req: OperationRequest, ctx: FamilyContext) => {
    const listId = requireList(req, ctx);
    const variantId = Number(req.params.variant_id);
    const currency = String(req.params.currency_code ?? '').toLowerCase();
    const records = ctx.collection<PriceRecord>('price-list-record');
    // A deleted variant's records went with it, as its product's images and options did (see ofList).
    const existing = ctx.store.variants.has(variantId) ? records.all().find((r) => r.price_list_id === listId && r.variant_id === variantId && r.currency === currency) : undefined;
    if (method === 'PUT') {
      const input = parseWith(singleRecord, req.body, 'v3');
      if (!/^\d+$/.test(req.params.variant_id ?? '')) throw new DomainError('not-found', 'The requested variant was not found.');
      const [saved] = upsertRecords([{ ...input, variant_id: variantId, currency, price_list_id: listId }], ctx);
      return { status: 200, body: { data: recordView(saved!, ctx), meta: {} } };
    }
    if (!existing) throw new DomainError('not-found', `Price list ${listId} has no ${currency.toUpperCase()} record for variant ${req.params.variant_id}.`);
    if (method === 'GET') return { status: 200, body: { data: recordView(existing, ctx), meta: {} } };
    records.remove(existing.id);
    return { status: 204 };
  };
}

/**
 * A record of this list whose variant the catalog still has: deleting a product or variant
 * (v3-catalog.ts) leaves its records in the table, and they are gone to every reader from then on.
 */
const ofList = (item: Item, req: OperationRequest, ctx: FamilyContext) => (item as PriceRecord).price_list_id === requireList(req, ctx) && ctx.store.variants.has((item as PriceRecord).variant_id);
const ofListAndVariant = (item: Item, req: OperationRequest, ctx: FamilyContext) => ofList(item, req, ctx) && String((item as PriceRecord).variant_id) === req.params.variant_id;

/** The record lists' filters: the resource's, and the catalog's product and SKU of each record's variant. */
const variantOf = (r: PriceRecord, ctx: FamilyContext) => ctx.store.variants.get(r.variant_id);
const recordListFilters: Record<string, FilterDecl<PriceRecord>> = {
  ...priceRecordResource.filters!,
  'product_id:in': { type: 'int-list', test: (r, ids: number[], ctx) => ids.includes(variantOf(r, ctx!)?.product_id ?? -1) },
  sku: { type: 'string', test: (r, sku: string, ctx) => variantOf(r, ctx!)?.sku === sku },
  'sku:in': { type: 'string-list', test: (r, skus: string[], ctx) => skus.includes(variantOf(r, ctx!)?.sku ?? '') },
};

// ---------------------------------------------------------------- assignments

const assignmentItem = z.object({ price_list_id: z.number('must be a price list id').int().positive(), customer_group_id: z.number().int().positive().optional(), channel_id: z.number().int().positive().optional() });
const assignmentPut = z.object({ customer_group_id: z.number('must be a customer group id').int().positive(), channel_id: z.number('must be a channel id').int().positive() });

export const assignmentResource: ResourceDecl<PriceListAssignment> = {
  name: 'price-list-assignment',
  label: 'price list assignment',
  id: 'sequence',
  batchLimit: ASSIGNMENT_BATCH_LIMIT,
  // Each B2B group on the default storefront gets the price list of the same name.
  seed: () => [
    { id: 1, price_list_id: 1, customer_group_id: 2, channel_id: 1 },
    { id: 2, price_list_id: 2, customer_group_id: 3, channel_id: 1 },
  ],
  create: (input) => ({ price_list_id: Number(input.price_list_id), ...(input.customer_group_id !== undefined ? { customer_group_id: Number(input.customer_group_id) } : {}), channel_id: Number(input.channel_id ?? 1) }),
  check(next, ctx) {
    if (!ctx.collection('price-list').find(next.price_list_id)) fail('price_list_id', `price list ${next.price_list_id} not found`, `Price list ${next.price_list_id} does not exist.`);
    if (next.customer_group_id !== undefined && !ctx.collection('customer-group').find(next.customer_group_id)) fail('customer_group_id', `customer group ${next.customer_group_id} not found`, `Customer group ${next.customer_group_id} does not exist.`);
    if (!ctx.collection('channel').find(next.channel_id)) fail('channel_id', `channel ${next.channel_id} not found`, `Channel ${next.channel_id} does not exist.`);
    const clash = ctx.collection<PriceListAssignment>('price-list-assignment').all().find((a) => a.id !== next.id && a.channel_id === next.channel_id && a.customer_group_id === next.customer_group_id);
    if (clash) fail('customer_group_id', `already assigned to price list ${clash.price_list_id} on channel ${next.channel_id}`, `The ${next.customer_group_id === undefined ? 'channel' : `customer group ${next.customer_group_id}`} already has price list ${clash.price_list_id} on channel ${next.channel_id} (assignment ${clash.id}). Delete that assignment first, or use PUT /v3/pricelists/{price_list_id}/assignments.`);
  },
  filters: {
    ...intFilters<PriceListAssignment>('id', (a) => a.id, ['eq', 'in']),
    ...intFilters<PriceListAssignment>('price_list_id', (a) => a.price_list_id, ['eq', 'in']),
    ...intFilters<PriceListAssignment>('customer_group_id', (a) => a.customer_group_id ?? 0, ['eq', 'in']),
    ...intFilters<PriceListAssignment>('channel_id', (a) => a.channel_id, ['eq', 'in']),
  },
  // The platform's events name only "updated" and "deleted": a new assignment is an update of the price list's assignments.
  webhooks: { type: 'priceList', omitId: true, created: 'store/priceList/assignment/updated', updated: 'store/priceList/assignment/updated', deleted: 'store/priceList/assignment/deleted', data: (a) => ({ id: a.price_list_id, assignment: { id: a.id, customer_group_id: a.customer_group_id ?? null, channel_id: a.channel_id } }) },
};

/** POST /pricelists/assignments: all or nothing, answering 200 with no body ("No content", price_lists.v3.yml). */
function createAssignments(req: OperationRequest, ctx: FamilyContext) {
  if (Array.isArray(req.body) && req.body.length > ASSIGNMENT_BATCH_LIMIT) throw new DomainError('too-large', `The request payload is too large. The maximum items allowed in the array is ${ASSIGNMENT_BATCH_LIMIT}.`, { body: `at most ${ASSIGNMENT_BATCH_LIMIT} assignments per request` });
  const items = parseWith(z.array(assignmentItem).min(1, 'at least one assignment is required'), req.body, 'v3');
  const assignments = ctx.collection<PriceListAssignment>('price-list-assignment');
  const drafts = items.map((input, i) => {
    const draft = { ...assignmentResource.create!(input, ctx), id: -(i + 1) } as PriceListAssignment;
    try {
      assignmentResource.check!(draft, ctx);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`[${i}].${k}`, v])));
      throw error;
    }
    return draft;
  });
  for (const [i, { id: _stand_in, ...fields }] of drafts.entries()) {
    try {
      assignments.insert(fields);
    } catch (error) {
      // Two items of the batch for the same group and channel.
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`[${i}].${k}`, v])));
      throw error;
    }
  }
  return { status: 200 };
}

/** PUT /pricelists/{price_list_id}/assignments: the group's price list on the channel becomes this one. */
function upsertAssignment(req: OperationRequest, ctx: FamilyContext) {
  const listId = requireList(req, ctx);
  const input = parseWith(assignmentPut, req.body, 'v3');
  const assignments = ctx.collection<PriceListAssignment>('price-list-assignment');
  const existing = assignments.all().find((a) => a.customer_group_id === input.customer_group_id && a.channel_id === input.channel_id);
  const saved = existing ? assignments.replace({ ...existing, price_list_id: listId }) : assignments.insert({ price_list_id: listId, ...input });
  return { status: 200, body: { data: saved, meta: {} } };
}

// ---------------------------------------------------------------- family

const r = { scope: 'store_v2_products', spec: { file: FILE } } as const;

export const priceListsFamily: FamilyDecl = {
  name: 'price-lists',
  envelope: 'v3',
  resources: [priceListResource, priceRecordResource, assignmentResource],
  routes: [
    { ...r, method: 'GET', path: '/pricelists', op: 'list', resource: 'price-list', cursor: true, summary: 'List price lists' },
    { ...r, method: 'POST', path: '/pricelists', op: 'create', resource: 'price-list', body: listBody, summary: 'Create a price list' },
    { ...r, method: 'DELETE', path: '/pricelists', op: 'delete-by-filter', resource: 'price-list', summary: 'Delete price lists (and their records) matching id:in or name' },
    { ...r, method: 'GET', path: '/pricelists/{price_list_id}', op: 'get', resource: 'price-list', summary: 'Get a price list' },
    { ...r, method: 'PUT', path: '/pricelists/{price_list_id}', op: 'update', resource: 'price-list', body: listBody.partial(), summary: 'Update a price list' },
    { ...r, method: 'DELETE', path: '/pricelists/{price_list_id}', op: 'delete', resource: 'price-list', summary: 'Delete a price list and its records' },
    { ...r, method: 'POST', path: '/pricelists/records', op: 'custom', resource: 'price-list-record', handler: upsertAcrossLists, summary: 'Create or replace records of several price lists (at most 1,000)' },
    { ...r, method: 'PUT', path: '/pricelists/records', op: 'custom', resource: 'price-list-record', handler: upsertAcrossLists, summary: 'Create or replace records of several price lists (at most 1,000)' },
    { ...r, method: 'GET', path: '/pricelists/{price_list_id}/records', op: 'list', resource: 'price-list-record', scopeTo: ofList, view: recordView, filters: recordListFilters, cursor: true, summary: "List a price list's records" },
    { ...r, method: 'POST', path: '/pricelists/{price_list_id}/records', op: 'custom', resource: 'price-list-record', handler: upsertInList, summary: 'Create or replace records of a price list (at most 1,000)' },
    { ...r, method: 'PUT', path: '/pricelists/{price_list_id}/records', op: 'custom', resource: 'price-list-record', handler: upsertInList, summary: 'Create or replace records of a price list (at most 1,000)' },
    { ...r, method: 'DELETE', path: '/pricelists/{price_list_id}/records', op: 'delete-by-filter', resource: 'price-list-record', scopeTo: ofList, filters: recordListFilters, allowUnfiltered: true, summary: "Delete a price list's records (all, or those matching the filters)" },
    { ...r, method: 'GET', path: '/pricelists/{price_list_id}/records/{variant_id}', op: 'list', resource: 'price-list-record', scopeTo: ofListAndVariant, view: recordView, cursor: true, summary: "List a variant's records in a price list" },
    { ...r, method: 'GET', path: '/pricelists/{price_list_id}/records/{variant_id}/{currency_code}', op: 'custom', resource: 'price-list-record', handler: oneRecord('GET'), summary: "Get a variant's record in one currency" },
    { ...r, method: 'PUT', path: '/pricelists/{price_list_id}/records/{variant_id}/{currency_code}', op: 'custom', resource: 'price-list-record', handler: oneRecord('PUT'), summary: "Set a variant's record in one currency" },
    { ...r, method: 'DELETE', path: '/pricelists/{price_list_id}/records/{variant_id}/{currency_code}', op: 'custom', resource: 'price-list-record', handler: oneRecord('DELETE'), summary: "Delete a variant's record in one currency" },
    { ...r, method: 'GET', path: '/pricelists/assignments', op: 'list', resource: 'price-list-assignment', cursor: true, summary: 'List price list assignments' },
    { ...r, method: 'POST', path: '/pricelists/assignments', op: 'custom', resource: 'price-list-assignment', handler: createAssignments, summary: 'Assign price lists to customer groups and channels (at most 25)' },
    { ...r, method: 'DELETE', path: '/pricelists/assignments', op: 'delete-by-filter', resource: 'price-list-assignment', summary: 'Delete price list assignments matching the filters' },
    { ...r, method: 'PUT', path: '/pricelists/{price_list_id}/assignments', op: 'custom', resource: 'price-list-assignment', handler: upsertAssignment, summary: "Set a customer group's price list on a channel" },
  ],
};
