/**
 * Catalog V3 (products_catalog.v3.yml, product-variants_catalog.v3.yml) and inventory
 * adjustments (inventory.v3.yml). Batch limits are the platform's: at most 10 products per
 * `PUT /catalog/products` (413 beyond), 50 variants per `PUT /catalog/variants`, 2,000 items per
 * inventory adjustment.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { renameFields } from '../../domain/faults.ts';
import type { Product, Variant } from '../../../contracts/generated/index.ts';
import type { Departing, KnownKeys, StripIndex } from '../../../contracts/known-keys.ts';
import type { V3Product, V3Variant } from '../../domain/model.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Simulator } from '../../domain/simulator.ts';
import type { Store } from '../../domain/store.ts';
import { productSubResources } from '../../families/product-details.ts';
import { productOptionsOf, variantOptionsOf } from '../../families/product-options.ts';
import { FAMILIES } from '../../families/registry.ts';
import { familyContext } from '../../families/state.ts';
import { HttpError } from '../errors.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { intList, paginate, projectFields } from '../pagination.ts';
import { idParam, parseBody, parseQuery } from '../validation.ts';
import { maxChars } from '../../domain/text.ts';

export const PRODUCT_BATCH_LIMIT = 10;
export const VARIANT_BATCH_LIMIT = 50;
export const INVENTORY_ITEMS_LIMIT = 2000;

const tooLarge = (max: number) =>
  new HttpError(413, `The request payload is too large. The maximum items allowed in the array is ${max}.`, { body: `at most ${max} items per request; split the batch` });

const money = z.number().min(0);

const productUpdate = z
  .object({
    id: z.number().int().positive(),
    name: maxChars(250, 1).optional(),
    type: z.enum(['physical', 'digital']).optional(),
    sku: maxChars(255).optional(),
    price: money.optional(),
    cost_price: money.optional(),
    retail_price: money.optional(),
    sale_price: money.optional(),
    map_price: money.optional(),
    inventory_level: z.number().int().min(0).optional(),
    inventory_warning_level: z.number().int().min(0).optional(),
    is_visible: z.boolean().optional(),
    description: z.string().optional(),
    weight: z.number().min(0).optional(),
    availability: z.enum(['available', 'disabled', 'preorder']).optional(),
    upc: z.string().max(14).optional(),
    mpn: z.string().optional(),
    gtin: z.string().max(14).optional(),
    categories: z.array(z.number().int()).optional(),
    brand_id: z.number().int().min(0).optional(),
  })
  // Unknown fields are dropped, never stored: the platform ignores what it does not know, and a
  // stored stray field could break every later response for the product.
  .strip();

const productCreate = z.object({
  name: maxChars(250, 1),
  type: z.enum(['physical', 'digital']),
  weight: z.number().min(0),
  price: money,
  sku: maxChars(255).optional(),
  inventory_level: z.number().int().min(0).optional(),
  inventory_tracking: z.enum(['none', 'product', 'variant']).optional(),
  brand_id: z.number().int().min(0).optional(),
});

const variantUpdate = z
  .object({
    id: z.number().int().positive(),
    sku: maxChars(255).optional(),
    price: money.nullable().optional(),
    sale_price: money.nullable().optional(),
    cost_price: money.nullable().optional(),
    retail_price: money.nullable().optional(),
    map_price: money.nullable().optional(),
    inventory_level: z.number().int().min(0).optional(),
    inventory_warning_level: z.number().int().min(0).optional(),
    purchasing_disabled: z.boolean().optional(),
    upc: z.string().max(14).optional(),
    mpn: z.string().optional(),
    gtin: z.string().max(14).optional(),
    weight: z.number().min(0).nullable().optional(),
  })
  .strip();

const inventoryItem = z
  .object({
    location_id: z.number().int().positive().default(1),
    variant_id: z.number().int().positive().optional(),
    product_id: z.number().int().positive().optional(),
    sku: z.string().min(1).optional(),
    quantity: z.number().int().min(-2_147_483_647).max(2_147_483_647),
  })
  .refine((i) => [i.variant_id, i.product_id, i.sku].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of variant_id, product_id or sku is required',
  });

const inventoryBody = (method: 'absolute' | 'relative') =>
  z.object({
    reason: z.string().max(255).optional(),
    items: z
      .array(method === 'absolute' ? inventoryItem.refine((i) => i.quantity >= 0, { message: 'absolute quantity must be >= 0', path: ['quantity'] }) : inventoryItem)
      .min(1, 'at least one item is required'),
  });

const productListQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(250, 'must be at most 250').default(50),
    id: z.coerce.number().int().optional(),
    'id:in': z.string().optional(),
    'id:not_in': z.string().optional(),
    'id:min': z.coerce.number().int().optional(),
    'id:max': z.coerce.number().int().optional(),
    'id:greater': z.coerce.number().int().optional(),
    'id:less': z.coerce.number().int().optional(),
    name: z.string().optional(),
    'name:like': z.string().optional(),
    sku: z.string().optional(),
    'sku:in': z.string().optional(),
    type: z.enum(['physical', 'digital']).optional(),
    is_visible: z.enum(['true', 'false', '1', '0']).optional(),
    'date_modified:min': z.string().optional(),
    'date_modified:max': z.string().optional(),
    date_modified: z.string().optional(),
    'inventory_level:min': z.coerce.number().int().optional(),
    'inventory_level:max': z.coerce.number().int().optional(),
    'price:min': z.coerce.number().optional(),
    'price:max': z.coerce.number().optional(),
    include: z.string().optional(),
    include_fields: z.string().optional(),
    exclude_fields: z.string().optional(),
    sort: z.enum(['id', 'name', 'sku', 'price', 'date_modified', 'date_last_imported', 'inventory_level', 'is_visible', 'total_sold']).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
  })
  .loose();

const nullableMoney = money.nullable().optional();
const variantCreate = z
  .object({
    sku: maxChars(255, 1),
    option_values: z.array(z.object({ id: z.number().int().positive(), option_id: z.number().int().positive() })).min(1, 'at least one option value is required'),
    price: nullableMoney,
    sale_price: nullableMoney,
    retail_price: nullableMoney,
    map_price: nullableMoney,
    cost_price: nullableMoney,
    weight: z.number().min(0).nullable().optional(),
    width: z.number().min(0).nullable().optional(),
    height: z.number().min(0).nullable().optional(),
    depth: z.number().min(0).nullable().optional(),
    purchasing_disabled: z.boolean().optional(),
    purchasing_disabled_message: z.string().max(255).optional(),
    upc: z.string().max(14).optional(),
    mpn: z.string().optional(),
    gtin: z.string().max(14).optional(),
    inventory_level: z.number().int().min(0).optional(),
    inventory_warning_level: z.number().int().min(0).optional(),
    bin_picking_number: z.string().max(255).optional(),
  })
  .strip();

/** "The maximum number of products you can delete at one time is 250" (products_catalog.v3.yml, Delete Products). */
export const PRODUCT_DELETE_LIMIT = 250;
/** The query keys of the product list that are not filters: a delete naming only these names no product. */
const NOT_FILTERS = new Set(['page', 'limit', 'include', 'include_fields', 'exclude_fields', 'sort', 'direction']);

const productQuery = z.object({ include: z.string().optional(), include_fields: z.string().optional(), exclude_fields: z.string().optional() }).loose();

/**
 * Product fields the platform always returns (the contract requires them) that the simulator does
 * not store or serve yet. Serving them would change every product response, so the departure is
 * named here; test/contracts/served-types.test.ts fails when one of them starts being served, so
 * the list only shrinks.
 */
/**
 * The product fields the platform always returns but the simulator keeps no state for (reviews,
 * SEO, pre-order, gift wrapping, storefront layout): served with the values a product created in
 * the control panel starts with, so an integration that reads `page_title` or `total_sold` finds
 * a value of the documented type rather than nothing. Chosen where the document gives none:
 * `related_products: [-1]` (the platform's "related automatically"), `layout_file: "product.html"`,
 * `option_set_display: "right"`, `open_graph_type: "product"`, the open graph flags on. No state:
 * a PUT of them is accepted by the platform but not kept here.
 */
export const PRODUCT_DEFAULTS = {
  option_set_display: 'right',
  reviews_rating_sum: 0,
  reviews_count: 0,
  total_sold: 0,
  related_products: [-1],
  warranty: '',
  bin_picking_number: '',
  layout_file: 'product.html',
  search_keywords: '',
  availability_description: '',
  gift_wrapping_options_type: 'any',
  gift_wrapping_options_list: [],
  sort_order: 0,
  is_condition_shown: false,
  order_quantity_minimum: 0,
  order_quantity_maximum: 0,
  page_title: '',
  meta_keywords: [],
  meta_description: '',
  view_count: 0,
  preorder_release_date: null,
  preorder_message: '',
  is_preorder_only: false,
  is_price_hidden: false,
  price_hidden_label: '',
  open_graph_type: 'product',
  open_graph_title: '',
  open_graph_description: '',
  open_graph_use_meta_description: true,
  open_graph_use_product_name: true,
  open_graph_use_image: true,
} as const satisfies Partial<StripIndex<Product>>;

/**
 * A variant as served. map_price departs: the contract (and products_catalog.v3.yml
 * productVariant_Base) says number, the simulator stores null ("inherit from the product") like the
 * other variant prices, and product-variants_catalog.v3.yml, which the variant routes answer to, does
 * not declare map_price at all.
 */
export type ServedVariant = Departing<Variant, { map_price: number | null }>;

/** A product as served: the contract, with the served variants. */
export type ServedProduct = Departing<Product, { variants?: ServedVariant[] }>;

const isoDate = (value: string | undefined, field: string): number | undefined => {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(422, `The filter ${field} is not a date: "${value}". Use ISO-8601 or Unix seconds.`, { [field]: 'not a date' });
  return ms;
};

/** The product filters of `GET /catalog/products`, which `DELETE /catalog/products` takes too. */
function productFilter(q: z.infer<typeof productListQuery>, store: Store): (p: V3Product) => boolean {
  const idIn = intList(q['id:in']);
  const idNotIn = intList(q['id:not_in']);
  const skuIn = q['sku:in']?.split(',');
  const modMin = isoDate(q['date_modified:min'], 'date_modified:min');
  const modMax = isoDate(q['date_modified:max'], 'date_modified:max');
  const modExact = isoDate(q.date_modified, 'date_modified');
  const like = q['name:like']?.toLowerCase();
  return (p) => {
    if (q.id !== undefined && p.id !== q.id) return false;
    if (idIn && !idIn.includes(p.id)) return false;
    if (idNotIn && idNotIn.includes(p.id)) return false;
    if (q['id:min'] !== undefined && p.id < q['id:min']) return false;
    if (q['id:max'] !== undefined && p.id > q['id:max']) return false;
    if (q['id:greater'] !== undefined && p.id <= q['id:greater']) return false;
    if (q['id:less'] !== undefined && p.id >= q['id:less']) return false;
    if (q.name !== undefined && p.name !== q.name) return false;
    if (like !== undefined && !p.name.toLowerCase().includes(like.replace(/%/g, ''))) return false;
    if (q.sku !== undefined && p.sku !== q.sku && !store.variantsOf(p.id).some((v) => v.sku === q.sku)) return false;
    if (skuIn && !skuIn.includes(p.sku)) return false;
    if (q.type !== undefined && p.type !== q.type) return false;
    if (q.is_visible !== undefined && p.is_visible !== (q.is_visible === 'true' || q.is_visible === '1')) return false;
    const modified = Date.parse(p.date_modified);
    if (modMin !== undefined && modified < modMin) return false;
    if (modMax !== undefined && modified > modMax) return false;
    if (modExact !== undefined && modified < modExact) return false;
    if (q['inventory_level:min'] !== undefined && p.inventory_level < q['inventory_level:min']) return false;
    if (q['inventory_level:max'] !== undefined && p.inventory_level > q['inventory_level:max']) return false;
    if (q['price:min'] !== undefined && p.price < q['price:min']) return false;
    if (q['price:max'] !== undefined && p.price > q['price:max']) return false;
    return true;
  };
}

export function createV3CatalogRouter(sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  const products = requireScope('store_v2_products');
  // `/catalog/products/metafields` is the product metafields' batch route (simulator/families), not product "metafields".
  const toFamilies: RequestHandler = (req, _res, next) => next(req.params.id === 'metafields' ? 'route' : undefined);
  const inventory = requireScope('store_inventory');

  /**
   * `include=variants,images,custom_fields,bulk_pricing_rules,options,modifiers`: the variants are
   * the store's; the rest are the declared families' records (simulator/families), read only when
   * asked so a plain product read does not seed them.
   */
  const familyIncludes = ['images', 'custom_fields', 'bulk_pricing_rules', 'options', 'modifiers'] as const;
  const renderVariant = (v: V3Variant): ServedVariant => v;
  const renderProduct = (p: V3Product, include: string | undefined, store: Store): ServedProduct => {
    const asked = new Set((include ?? '').split(','));
    const out: ServedProduct = asked.has('variants') ? { ...PRODUCT_DEFAULTS, ...p, variants: store.variantsOf(p.id).map(renderVariant) } : { ...PRODUCT_DEFAULTS, ...p };
    if (familyIncludes.some((name) => asked.has(name))) {
      const ctx = familyContext(store, { seed: sim.seed, clock: sim.clock, families: FAMILIES });
      const records = { ...productSubResources(ctx, p.id), ...productOptionsOf(ctx, p.id) };
      // The families keep untyped records (their shapes are checked by the families' conformance
      // tests against the spec), so these arrays go in through the open part of the contract.
      const open: Record<string, unknown> = out;
      for (const name of familyIncludes) if (asked.has(name)) open[name] = records[name];
    }
    return renameFields(sim.faults(), 'product', out);
  };

  router.get(
    '/catalog/products',
    products,
    handle((req, res) => {
      const q = parseQuery(productListQuery, req.query);
      const store = locals(res).store;
      let list = [...store.products.values()].filter(productFilter(q, store));
      if (q.sort) {
        const key = q.sort as keyof V3Product;
        const dir = q.direction === 'desc' ? -1 : 1;
        list = [...list].sort((a, b) => {
          const ka = a[key] as number | string;
          const kb = b[key] as number | string;
          return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * dir;
        });
      }
      const page = paginate(list, q.page, q.limit);
      res.json({
        data: page.data.map((p) => projectFields(renderProduct(p, q.include, store), q.include_fields, q.exclude_fields)),
        meta: page.meta,
      });
    }),
  );

  router.get(
    '/catalog/products/:id',
    toFamilies,
    products,
    handle((req, res) => {
      const store = locals(res).store;
      const p = store.products.get(idParam(req.params.id as string, 'product'));
      if (!p) throw new HttpError(404, 'The requested product was not found.');
      const q = parseQuery(productQuery, req.query);
      res.json({ data: projectFields(renderProduct(p, q.include, store), q.include_fields, q.exclude_fields), meta: {} });
    }),
  );

  router.post(
    '/catalog/products',
    products,
    handle((req, res) => {
      const body = parseBody(productCreate, req.body);
      const product = locals(res).store.createProduct(body);
      res.json({ data: product, meta: {} });
    }),
  );

  router.put(
    '/catalog/products',
    products,
    handle((req, res) => {
      if (Array.isArray(req.body) && req.body.length > PRODUCT_BATCH_LIMIT) throw tooLarge(PRODUCT_BATCH_LIMIT);
      const batch = parseBody(z.array(productUpdate).min(1, 'at least one product is required'), req.body);
      const updated = locals(res).store.updateProducts(batch);
      res.json({ data: updated, meta: { total: updated.length, success: updated.length, failed: 0 } });
    }),
  );

  router.delete(
    '/catalog/products',
    products,
    handle((req, res) => {
      const q = parseQuery(productListQuery, req.query);
      const store = locals(res).store;
      const filters = Object.keys(productListQuery.shape).filter((k) => !NOT_FILTERS.has(k) && q[k as keyof typeof q] !== undefined);
      // products_catalog.v3.yml: "you must include a filter", so a bare DELETE never empties the catalog (decision 0014).
      if (filters.length === 0) {
        throw new HttpError(422, 'Deleting products needs a filter, such as id:in=1,2,3; a DELETE without one would delete every product.', { filter: 'add a filter such as id:in, name, sku or brand_id' });
      }
      const matched = [...store.products.values()].filter(productFilter(q, store));
      if (matched.length > PRODUCT_DELETE_LIMIT) {
        throw new HttpError(422, `The filter matches ${matched.length} products; at most ${PRODUCT_DELETE_LIMIT} can be deleted at one time. Narrow the filter (for example id:in with at most ${PRODUCT_DELETE_LIMIT} ids).`, { filter: `matches more than ${PRODUCT_DELETE_LIMIT} products` });
      }
      store.deleteProducts(matched.map((p) => p.id));
      res.status(204).end();
    }),
  );

  router.delete(
    '/catalog/products/:id',
    toFamilies,
    products,
    handle((req, res) => {
      const store = locals(res).store;
      const id = idParam(req.params.id as string, 'product');
      if (!store.products.has(id)) throw new HttpError(404, 'The requested product was not found.');
      store.deleteProducts([id]);
      res.status(204).end();
    }),
  );

  router.put(
    '/catalog/products/:id',
    toFamilies,
    products,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'product');
      const body = parseBody(productUpdate.omit({ id: true }), req.body);
      if (!locals(res).store.products.has(id)) throw new HttpError(404, 'The requested product was not found.');
      let updated;
      try {
        [updated] = locals(res).store.updateProducts([{ ...body, id }]);
      } catch (error) {
        // The store validates a batch; a single product's errors name its fields, not `[0].field`.
        if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.replace(/^\[0\]\./, ''), v])));
        throw error;
      }
      res.json({ data: updated, meta: {} });
    }),
  );

  router.get(
    '/catalog/products/:id/variants',
    products,
    handle((req, res) => {
      const q = parseQuery(z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(250).default(50) }).loose(), req.query);
      const store = locals(res).store;
      const id = idParam(req.params.id as string, 'product');
      if (!store.products.has(id)) throw new HttpError(404, 'The requested product was not found.');
      res.json(paginate(store.variantsOf(id).map((v) => renameFields(sim.faults(), 'variant', v)), q.page, q.limit));
    }),
  );

  router.post(
    '/catalog/products/:id/variants',
    products,
    handle((req, res) => {
      const store = locals(res).store;
      const id = idParam(req.params.id as string, 'product');
      if (!store.products.has(id)) throw new HttpError(404, 'The requested product was not found.');
      const body = parseBody(variantCreate, req.body);
      // The product's options are the options family's records (created through /options too), not the seed's.
      const options = variantOptionsOf(familyContext(store, { seed: sim.seed, clock: sim.clock, families: FAMILIES }), id);
      const variant = store.createVariant(id, body, options);
      res.json({ data: renameFields(sim.faults(), 'variant', variant), meta: {} });
    }),
  );

  router.delete(
    '/catalog/products/:id/variants/:variant_id',
    products,
    handle((req, res) => {
      const store = locals(res).store;
      const id = idParam(req.params.id as string, 'product');
      const variantId = idParam(req.params.variant_id as string, 'variant');
      if (!store.products.has(id)) throw new HttpError(404, 'The requested product was not found.');
      store.deleteVariant(id, variantId);
      res.status(204).end();
    }),
  );

  router.get(
    '/catalog/variants',
    products,
    handle((req, res) => {
      const q = parseQuery(
        z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(250).default(50), 'id:in': z.string().optional(), 'product_id:in': z.string().optional(), sku: z.string().optional() }).loose(),
        req.query,
      );
      const idIn = intList(q['id:in']);
      const productIn = intList(q['product_id:in']);
      const list = [...locals(res).store.variants.values()].filter((v) => (!idIn || idIn.includes(v.id)) && (!productIn || productIn.includes(v.product_id)) && (q.sku === undefined || v.sku === q.sku));
      res.json(paginate(list.map((v) => renameFields(sim.faults(), 'variant', v)), q.page, q.limit));
    }),
  );

  router.put(
    '/catalog/variants',
    products,
    handle((req, res) => {
      if (Array.isArray(req.body) && req.body.length > VARIANT_BATCH_LIMIT) throw tooLarge(VARIANT_BATCH_LIMIT);
      const batch = parseBody(z.array(variantUpdate).min(1, 'at least one variant is required'), req.body);
      const updated = locals(res).store.updateVariants(batch);
      res.json({ data: updated, meta: { total: updated.length, success: updated.length, failed: 0 } });
    }),
  );

  const adjust = (method: 'absolute' | 'relative') =>
    handle((req, res) => {
      if (Array.isArray(req.body?.items) && req.body.items.length > INVENTORY_ITEMS_LIMIT) {
        // The Inventory API rejects over the limit rather than clamping (facts section e).
        throw new HttpError(422, `Failed to adjust inventory: ${req.body.items.length} items exceed the limit of ${INVENTORY_ITEMS_LIMIT} per request. Split the adjustment.`, { items: `at most ${INVENTORY_ITEMS_LIMIT} items` });
      }
      const body = parseBody(inventoryBody(method), req.body);
      res.json(locals(res).store.adjustInventory(method, body.items));
    });

  router.put('/inventory/adjustments/absolute', inventory, adjust('absolute'));
  router.post('/inventory/adjustments/relative', inventory, adjust('relative'));

  return router;
}
