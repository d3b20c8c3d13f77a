/**
 * Metafields: the key/value records integrations keep their own data in (an ERP's external id on a
 * category, a PIM's sync hash on a brand). One table for every owner type, as on the platform (ids
 * are unique across owners), served under each owner's family with the owner's document:
 * `/catalog/categories/{category_id}/metafields`, `/catalog/brands/...`, `/channels/...` and the
 * store's own `/store/metafields` (store_information.v3.yml).
 *
 * Platform rules kept: `namespace` and `key` (1-64 characters), `value` (1-65,535) and
 * `permission_set` are required; one key per namespace, owner and client (409); at most 250
 * metafields per owner and client; an `app_only` metafield is invisible to other clients; the
 * batch endpoints take at most 50 records (the platform's documented batch size for metafields is
 * not stated; 50 is the catalog's usual one). Lists page by offset, or by `before`/`after`
 * cursors when sent. Deleting the owner deletes its metafields.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { integerId } from './engine.ts';
import { intFilters, textFilters } from './filters.ts';
import type { FamilyContext, FamilyScope, Item, OperationRequest, ResourceDecl, RouteDecl } from './model.ts';

export const METAFIELDS_PER_OWNER = 250;
export const METAFIELD_BATCH_LIMIT = 50;

const PERMISSIONS = ['app_only', 'read', 'write', 'read_and_sf_access', 'write_and_sf_access'] as const;

export type MetafieldOwner = 'category' | 'brand' | 'channel' | 'store' | 'location' | 'order' | 'customer' | 'product' | 'variant';

export interface Metafield extends Item {
  id: number;
  namespace: string;
  key: string;
  value: string;
  description: string;
  permission_set: (typeof PERMISSIONS)[number];
  resource_type: MetafieldOwner;
  resource_id: number;
  date_created: string;
  date_modified: string;
  owner_client_id: string;
}

const fields = {
  namespace: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
  key: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
  value: z.string().min(1, 'is required').max(65_535, 'must be at most 65,535 characters'),
  permission_set: z.enum(PERMISSIONS),
  description: z.string().max(255).optional(),
};
const createBody = z.object(fields);
const updateBody = createBody.partial();

/** The app that wrote the seeded metafields: an ERP connector installed before the integration under test. */
export const SEEDED_METAFIELD_CLIENT = 'erp-connector';
export const SEEDED_METAFIELD_NAMESPACE = 'erp_sync';

/**
 * Metafields an ERP connector left on some of the store's records, so an integration meets
 * metafields that are not its own: every 10th product and customer, every 5th seeded order, and
 * every record of the worst-case profile (whose keys and namespace are at the 64-character
 * maximum and whose values are Unicode). Readable by other apps (`read`), as such keys usually
 * are. Reads no random numbers, so the families seeded after it do not change.
 */
function seededMetafields(ctx: FamilyContext): Metafield[] {
  const at = new Date(ctx.seededAt - 60 * 86_400_000).toISOString();
  const worst = ctx.store.worstCase;
  const out: Metafield[] = [];
  const add = (resource_type: MetafieldOwner, resource_id: number, key: string, value: string, namespace = SEEDED_METAFIELD_NAMESPACE) =>
    out.push({ id: out.length + 1, namespace, key, value, description: '', permission_set: 'read', resource_type, resource_id, date_created: at, date_modified: at, owner_client_id: SEEDED_METAFIELD_CLIENT });
  for (const p of ctx.store.products.values()) if (p.id % 10 === 0) add('product', p.id, 'external_id', `ERP-${p.sku}`);
  for (const c of ctx.store.customers.values()) if (c.id % 10 === 0) add('customer', c.id, 'account_ref', `ACC-${String(c.id).padStart(6, '0')}`);
  for (const [i, o] of [...ctx.store.orders.values()].entries()) if (i % 5 === 0) add('order', o.order.id, 'sales_order', `SO-${o.order.id}`);
  if (worst) {
    const longNamespace = 'erp_sync_'.padEnd(64, 'x');
    const longKey = 'k'.repeat(64);
    for (const id of worst.productIds) add('product', id, longKey, `Größe 日本語 العربية 🎁 ${id}`, longNamespace);
    for (const id of worst.customerIds) add('customer', id, longKey, `Kundennummer 顧客 عميل 👤 ${id}`, longNamespace);
  }
  return out;
}

export const metafieldResource: ResourceDecl<Metafield> = {
  name: 'metafield',
  label: 'metafield',
  id: 'sequence',
  batchLimit: METAFIELD_BATCH_LIMIT,
  seed: seededMetafields,
  create: (input, ctx) => {
    const now = ctx.nowIso();
    return { description: '', ...(input as Partial<Metafield>), date_created: now, date_modified: now } as Omit<Metafield, 'id'>;
  },
  update: (item, patch, ctx) => ({ ...item, ...patch, id: item.id, resource_type: item.resource_type, resource_id: item.resource_id, owner_client_id: item.owner_client_id, date_modified: ctx.nowIso() }) as Metafield,
  check(next, ctx, previous) {
    const all = ctx.collection<Metafield>('metafield').all();
    const sameOwner = all.filter((m) => m.resource_type === next.resource_type && m.resource_id === next.resource_id && m.owner_client_id === next.owner_client_id && m.id !== next.id);
    const clash = sameOwner.find((m) => m.namespace === next.namespace && m.key === next.key);
    if (clash) throw new DomainError('conflict', `Failed to save the metafield: ${next.resource_type} ${next.resource_id} already has key "${next.key}" in namespace "${next.namespace}" (metafield ${clash.id}). Update that one instead.`, { key: 'already used in this namespace' });
    if (!previous && sameOwner.length >= METAFIELDS_PER_OWNER) throw new DomainError('unprocessable', `Failed to create the metafield: ${next.resource_type} ${next.resource_id} already has ${METAFIELDS_PER_OWNER} metafields of this client, the platform's limit.`, { resource_id: `at most ${METAFIELDS_PER_OWNER} metafields per client` });
  },
  // Every change raises store/metafield/<change> and, for owner types that have their own family
  // of scopes, the owner's one (metafieldScopes); a Collection raises one scope per change, so
  // this lives here rather than in `webhooks`.
  afterChange(when, item, ctx) {
    const data = metafieldEventData(item, ctx);
    for (const scope of metafieldScopes(item.resource_type, when)) ctx.store.emit(scope, data);
  },
  filters: {
    ...intFilters<Metafield>('id', (m) => m.id, ['eq', 'in', 'not_in', 'min', 'max', 'greater', 'less']),
    ...textFilters<Metafield>('key', (m) => m.key, ['eq', 'in']),
    ...textFilters<Metafield>('namespace', (m) => m.namespace, ['eq', 'in']),
  },
};

/**
 * The owner-specific metafield scope prefixes. `order`, `product`, `variant` and `cart` are the
 * ones bigcommerce-facts.md lists (store/order/metafield/*, store/product/metafield/*,
 * store/product/variant/metafield/*, store/cart/metafield/*); brand, category, channel and
 * inventory location are the names the platform's webhook events page lists for those owners.
 * Customer and store metafields have none: they raise only store/metafield/*. webhooks.v3.yml
 * documents no metafield event at all.
 */
export const METAFIELD_OWNER_SCOPES: Readonly<Partial<Record<MetafieldOwner | 'cart', string>>> = {
  order: 'store/order/metafield',
  product: 'store/product/metafield',
  variant: 'store/product/variant/metafield',
  cart: 'store/cart/metafield',
  brand: 'store/brand/metafield',
  category: 'store/category/metafield',
  channel: 'store/channel/metafield',
  location: 'store/inventory/location/metafield',
};

/** Every scope one metafield change raises: the generic one first, then the owner's. */
export function metafieldScopes(owner: string, when: 'created' | 'updated' | 'deleted'): string[] {
  const own = METAFIELD_OWNER_SCOPES[owner as MetafieldOwner];
  return [`store/metafield/${when}`, ...(own ? [`${own}/${when}`] : [])];
}

/**
 * The event's `data`: `{metafield_id, resource_id, resource_type}` (bigcommerce-facts.md, "Metafield
 * events"), after the `type` and `id` webhooks.v3.yml says every event's data carries (type
 * `metafield`, the metafield's id: chosen, the platform shows no example). `resource_id` is what the
 * API answers for the owner: the store's id (a string) for store metafields.
 */
export function metafieldEventData(m: Metafield, ctx: FamilyContext): { type: string; id: number; metafield_id: number; resource_id: number | string; resource_type: string } {
  return { type: 'metafield', id: m.id, metafield_id: m.id, resource_id: m.resource_type === 'store' ? ctx.store.info.storeId : m.resource_id, resource_type: m.resource_type };
}

/** Delete an owner's metafields with it (call from the owner resource's onDelete). */
export function deleteMetafieldsOf(type: MetafieldOwner, id: number, ctx: FamilyContext): void {
  const metafields = ctx.collection<Metafield>('metafield');
  for (const m of metafields.all()) if (m.resource_type === type && m.resource_id === id) metafields.remove(m.id);
}

export interface MetafieldOwnerDecl {
  type: MetafieldOwner;
  /** The owner's collection (`category`); absent for the store. */
  resource?: string;
  /** Whether owner `id` exists, when the owner is the store's own record rather than a family collection (orders, customers: read through ctx.store). */
  exists?(id: number, ctx: FamilyContext, req?: OperationRequest): boolean;
  /** The batch routes' collection path when it is not `base` (variants: `/catalog/variants`). */
  batchBase?: string;
  /** The owner's collection path (`/catalog/categories`), without the id. */
  base: string;
  /** The owner's id parameter (`category_id`); absent for the store. */
  param?: string;
  /** The single metafield's parameter name in the owner's document (`metafield_id`, `metafieldId`). */
  metafieldParam: string;
  file: string;
  scope: FamilyScope;
  envelope?: 'v3';
}

/**
 * The metafield routes of one owner type: five per owner record (`/{base}/{id}/metafields...`) and
 * four batch ones (`/{base}/metafields`); the store has no owner id, so its seven are the batch
 * four plus get, update and delete of one.
 */
export function metafieldRoutes(owner: MetafieldOwnerDecl): RouteDecl[] {
  const visible = (m: Metafield, req: OperationRequest) => m.resource_type === owner.type && (m.permission_set !== 'app_only' || m.owner_client_id === req.clientId);
  const ownerId = (req: OperationRequest) => (owner.param ? Number(req.params[owner.param]) : 0);
  /** The owner in the path must exist (404) before its metafields are read or written. */
  const ownerExists = (id: number, ctx: FamilyContext, req?: OperationRequest) => (owner.exists ? owner.exists(id, ctx, req) : owner.resource ? ctx.collection(owner.resource).find(id) !== undefined : true);
  const requireOwner = (req: OperationRequest, ctx: FamilyContext) => {
    if (!owner.param || (!owner.resource && !owner.exists)) return;
    const raw = req.params[owner.param] ?? '';
    if (!/^\d+$/.test(raw) || !ownerExists(Number(raw), ctx, req)) throw new DomainError('not-found', `The requested ${owner.type} was not found: ${owner.type} ${raw} does not exist.`);
  };
  const ofOwner = (item: Item, req: OperationRequest, ctx: FamilyContext) => {
    requireOwner(req, ctx);
    const m = item as Metafield;
    return visible(m, req) && m.resource_id === ownerId(req);
  };
  // An owner read through the store (a product, a variant) can be deleted there without its
  // metafields being removed: they are gone to every reader of the batch routes too.
  const ofType = (item: Item, req: OperationRequest, ctx: FamilyContext) => visible(item as Metafield, req) && (!owner.exists || ownerExists((item as Metafield).resource_id, ctx));
  const stamp = (req: OperationRequest, ctx: FamilyContext, resourceId?: number) => {
    if ((owner.resource || owner.exists) && resourceId !== undefined && !ownerExists(resourceId, ctx)) {
      throw new DomainError('unprocessable', `Failed to create the metafield: ${owner.type} ${resourceId} does not exist.`, { resource_id: `${owner.type} ${resourceId} not found` });
    }
    return { resource_type: owner.type, resource_id: resourceId ?? 0, owner_client_id: req.clientId };
  };
  // The store's metafields answer their id and resource_id (the store id) as strings: the document
  // says so and its example answer shows `id: '69'`, `resource_id: '1001197568'`.
  const storeView = (item: Item, ctx: FamilyContext) => ({ ...item, id: String(item.id), resource_id: ctx.store.info.storeId });
  const common = { resource: 'metafield', scope: owner.scope, spec: { file: owner.file }, ...(owner.envelope ? { envelope: owner.envelope } : {}), ...(owner.type === 'store' ? { view: storeView } : {}) } as const;
  const one = `${owner.base}${owner.param ? `/{${owner.param}}` : ''}/metafields`;
  const batch = `${owner.batchBase ?? owner.base}/metafields`;
  const label = owner.type === 'store' ? 'the store' : `a ${owner.type}`;
  const perOwner: RouteDecl[] = owner.param
    ? [
        { ...common, method: 'GET', path: one, op: 'list', guard: requireOwner, scopeTo: ofOwner, cursor: true, summary: `List ${label}'s metafields` },
        {
          ...common,
          method: 'POST',
          path: one,
          op: 'create',
          body: createBody,
          fromPath: (req, ctx) => {
            requireOwner(req, ctx);
            return stamp(req, ctx, ownerId(req));
          },
          summary: `Create a metafield on ${label}`,
        },
      ]
    : [];
  const single = `${one}/{${owner.metafieldParam}}`;
  return [
    ...perOwner,
    { ...common, method: 'GET', path: single, op: 'get', scopeTo: ofOwner, summary: `Get one of ${label}'s metafields` },
    { ...common, method: 'PUT', path: single, op: 'update', scopeTo: ofOwner, body: updateBody, summary: `Update one of ${label}'s metafields` },
    { ...common, method: 'DELETE', path: single, op: 'delete', scopeTo: ofOwner, summary: `Delete one of ${label}'s metafields` },
    { ...common, method: 'GET', path: batch, op: 'list', scopeTo: ofType, cursor: true, summary: `List the metafields of every ${owner.type}` },
    {
      ...common,
      method: 'POST',
      path: batch,
      op: 'batch-create',
      body: owner.param ? createBody.extend({ resource_id: z.number().int().positive() }) : createBody,
      fromPath: (req, ctx, input) => stamp(req, ctx, owner.param ? Number(input.resource_id) : undefined),
      batchAnswer: 'data+errors',
      summary: `Create metafields on several ${owner.type === 'store' ? 'keys of the store' : `${owner.type} records`}`,
    },
    { ...common, method: 'PUT', path: batch, op: 'batch-update', scopeTo: ofType, body: updateBody.extend({ id: integerId }), batchAnswer: 'data+errors', summary: `Update several ${owner.type} metafields` },
    { ...common, method: 'DELETE', path: batch, op: 'batch-delete', scopeTo: ofType, summary: `Delete several ${owner.type} metafields by id` },
  ];
}
