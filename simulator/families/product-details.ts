/**
 * What hangs off a catalog product beyond its variants (products_catalog.v3.yml,
 * product-variants_catalog.v3.yml): images, custom fields, bulk pricing rules, and the product's
 * and its variants' metafields. The products and variants stay in the store (store.ts, the
 * hand-written `/v3/catalog/products` routes); these families read them through `ctx.store`, so a
 * sub-resource of a product that does not exist is the platform's 404, even for an empty list.
 *
 * Platform rules kept: an image is made from `image_url` (the simulator takes no file upload: a
 * multipart `image_file` is refused with 422 saying to send `image_url`); one thumbnail per
 * product (a new thumbnail takes over); custom field `name` and `value` 1-250 characters; bulk
 * pricing `quantity_min` at least 1, `quantity_max` 0 (no upper bound) or at least
 * `quantity_min`, ranges of one product do not overlap, a `percent` at most 100. Every change
 * raises `store/product/updated` for the product (webhooks.v3.yml: the product's images, custom
 * fields and pricing are the product's fields).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { intFilters, textFilters } from './filters.ts';
import { metafieldRoutes } from './metafields.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl, RouteDecl, WebhookDecl } from './model.ts';

const FILE = 'products_catalog.v3.yml';
const BASE = '/catalog/products/{product_id}';

/** The product in the path, or the platform's 404 (also for a list, so an empty one is not mistaken for a product without records). */
export function requireProduct(req: OperationRequest, ctx: FamilyContext): number {
  const raw = req.params.product_id ?? '';
  if (!/^\d+$/.test(raw) || !ctx.store.products.has(Number(raw))) throw new DomainError('not-found', `The requested product was not found: product ${raw} does not exist.`);
  return Number(raw);
}

/** Route options every product sub-resource shares: the product must exist, and the record must be that product's. */
export const ofProduct = {
  guard: (req: OperationRequest, ctx: FamilyContext) => void requireProduct(req, ctx),
  scopeTo: (item: Item, req: OperationRequest) => item.product_id === Number(req.params.product_id),
  fromPath: (req: OperationRequest) => ({ product_id: Number(req.params.product_id) }),
};

/** A change to a product's sub-resource is a change to the product: `store/product/updated` with the product's id. */
export const productUpdated = <T extends Item & { product_id: number }>(): WebhookDecl<T> => ({
  type: 'product',
  created: 'store/product/updated',
  updated: 'store/product/updated',
  deleted: 'store/product/updated',
  data: (item) => ({ id: item.product_id }),
});

/** The store's products in id order, for seeds that hang records off them. */
const seededProducts = (ctx: FamilyContext) => [...ctx.store.products.values()].sort((a, b) => a.id - b.id);
const daysBefore = (ctx: FamilyContext, days: number) => new Date(ctx.seededAt - days * 86_400_000).toISOString();

// ---------------------------------------------------------------- images

export interface ProductImage extends Item {
  id: number;
  product_id: number;
  is_thumbnail: boolean;
  sort_order: number;
  description: string;
  image_file: string;
  /** Where the image came from (the platform fetches it and serves it from its CDN). */
  image_url: string;
  date_modified: string;
}

const fileName = (url: string) => (url.split('?')[0]!.split('/').pop() || 'image.jpg').replace(/[^\w.-]/g, '_');

const imageCreate = z.object({
  image_url: z.url('is required and must be a URL: the simulator takes no file upload (image_file); send image_url instead').max(255),
  is_thumbnail: z.boolean().optional(),
  sort_order: z.number().int().min(-2147483648).max(2147483647).optional(),
  description: z.string().max(65_535).optional(),
});
const imageUpdate = imageCreate.partial();

export const imageResource: ResourceDecl<ProductImage> = {
  name: 'product-image',
  label: 'product image',
  id: 'sequence',
  // One image per seeded product, its thumbnail.
  seed: (ctx) =>
    seededProducts(ctx).map((p, i) => {
      const url = `https://images.example.com/catalog/${p.sku.toLowerCase().replace(/[^\w-]/g, '-') || p.id}.jpg`;
      return { id: i + 1, product_id: p.id, is_thumbnail: true, sort_order: 0, description: p.name, image_file: `a/${fileName(url)}`, image_url: url, date_modified: daysBefore(ctx, 30) };
    }),
  create: (input, ctx) => {
    const url = String(input.image_url);
    return { is_thumbnail: false, sort_order: 0, description: '', ...(input as Partial<ProductImage>), image_file: `a/${fileName(url)}`, date_modified: ctx.nowIso() } as Omit<ProductImage, 'id'>;
  },
  update: (item, patch, ctx) => {
    const url = (patch.image_url as string | undefined) ?? item.image_url;
    return { ...item, ...patch, id: item.id, product_id: item.product_id, image_file: `a/${fileName(url)}`, date_modified: ctx.nowIso() } as ProductImage;
  },
  // A new thumbnail takes over from the product's old one.
  afterChange(when, item, ctx) {
    if (when === 'deleted' || !item.is_thumbnail) return;
    const images = ctx.collection<ProductImage>('product-image');
    for (const other of images.all()) if (other.product_id === item.product_id && other.id !== item.id && other.is_thumbnail) images.replace({ ...other, is_thumbnail: false, date_modified: ctx.nowIso() });
  },
  webhooks: productUpdated<ProductImage>(),
};

/** The CDN addresses the platform answers, made from the store hash and the image's id. */
export function imageView(item: Item, ctx: FamilyContext): Record<string, unknown> {
  const image = item as ProductImage;
  const file = image.image_file.replace(/^a\//, '');
  const [stem, ext = 'jpg'] = file.split(/\.(?=[^.]+$)/);
  const url = (size: string) => `https://cdn11.bigcommerce.com/s-${ctx.store.info.hash}/products/${image.product_id}/images/${image.id}/${stem}__${image.id}.${size}.${ext}?c=1`;
  return { ...image, url_zoom: url('1280.1280'), url_standard: url('500.659'), url_thumbnail: url('220.290'), url_tiny: url('44.58') };
}

// ---------------------------------------------------------------- custom fields

export interface CustomField extends Item {
  id: number;
  product_id: number;
  name: string;
  value: string;
}

const customFieldCreate = z.object({ name: z.string().min(1, 'is required').max(250, 'must be at most 250 characters'), value: z.string().min(1, 'is required').max(250, 'must be at most 250 characters') });

const MATERIALS = ['Cotton', 'Steel', 'Oak', 'Recycled plastic', 'Wool', 'Aluminium'];

export const customFieldResource: ResourceDecl<CustomField> = {
  name: 'product-custom-field',
  label: 'custom field',
  id: 'sequence',
  // A material on every third seeded product, and its country of origin on every fifth.
  seed: (ctx) => {
    const out: CustomField[] = [];
    for (const p of seededProducts(ctx)) {
      if (p.id % 3 === 1) out.push({ id: out.length + 1, product_id: p.id, name: 'Material', value: MATERIALS[p.id % MATERIALS.length]! });
      if (p.id % 5 === 1) out.push({ id: out.length + 1, product_id: p.id, name: 'Country of origin', value: 'Portugal' });
    }
    return out;
  },
  create: (input) => ({ product_id: Number(input.product_id), name: String(input.name), value: String(input.value) }),
  webhooks: productUpdated<CustomField>(),
};

// ---------------------------------------------------------------- bulk pricing rules

export interface BulkPricingRule extends Item {
  id: number;
  product_id: number;
  quantity_min: number;
  quantity_max: number;
  type: 'price' | 'percent' | 'fixed';
  amount: number;
}

const bulkCreate = z.object({
  quantity_min: z.number('must be a number').int().min(1, 'must be at least 1'),
  quantity_max: z.number('must be a number').int().min(0, 'must be 0 (no upper bound) or more'),
  type: z.enum(['price', 'percent', 'fixed']),
  amount: z.number('must be a number').min(0, 'must not be negative'),
});

export const bulkPricingResource: ResourceDecl<BulkPricingRule> = {
  name: 'product-bulk-pricing-rule',
  label: 'bulk pricing rule',
  id: 'sequence',
  // Volume discounts on the first five products: 5% from 10, 10% from 50.
  seed: (ctx) =>
    seededProducts(ctx)
      .slice(0, 5)
      .flatMap((p, i) => [
        { id: 2 * i + 1, product_id: p.id, quantity_min: 10, quantity_max: 49, type: 'percent' as const, amount: 5 },
        { id: 2 * i + 2, product_id: p.id, quantity_min: 50, quantity_max: 0, type: 'percent' as const, amount: 10 },
      ]),
  create: (input) => ({ product_id: Number(input.product_id), quantity_min: Number(input.quantity_min), quantity_max: Number(input.quantity_max), type: input.type as BulkPricingRule['type'], amount: Number(input.amount) }),
  check(next, ctx) {
    if (next.quantity_max !== 0 && next.quantity_max < next.quantity_min) throw new DomainError('unprocessable', `The bulk pricing rule's quantity_max ${next.quantity_max} is below its quantity_min ${next.quantity_min}. Use 0 for no upper bound.`, { quantity_max: 'must be 0 or at least quantity_min' });
    if (next.type === 'percent' && next.amount > 100) throw new DomainError('unprocessable', `A percent bulk pricing rule takes at most 100, not ${next.amount}.`, { amount: 'at most 100 for type percent' });
    const top = (r: BulkPricingRule) => (r.quantity_max === 0 ? Number.POSITIVE_INFINITY : r.quantity_max);
    const clash = ctx
      .collection<BulkPricingRule>('product-bulk-pricing-rule')
      .all()
      .find((r) => r.product_id === next.product_id && r.id !== next.id && r.quantity_min <= top(next) && next.quantity_min <= top(r));
    if (clash) throw new DomainError('unprocessable', `The bulk pricing rule's quantities ${next.quantity_min}-${next.quantity_max || 'any'} overlap rule ${clash.id} (${clash.quantity_min}-${clash.quantity_max || 'any'}) of product ${next.product_id}.`, { quantity_min: `overlaps bulk pricing rule ${clash.id}` });
  },
  webhooks: productUpdated<BulkPricingRule>(),
};

// ---------------------------------------------------------------- routes

/** The five routes of a product sub-resource: list and create on the collection, get, update and delete of one. */
function subResourceRoutes(opts: { path: string; param: string; resource: string; file: string; label: string; create: z.ZodType; update: z.ZodType; view?: RouteDecl['view']; filters?: RouteDecl['filters'] }): RouteDecl[] {
  const common = { ...ofProduct, resource: opts.resource, scope: 'store_v2_products' as const, spec: { file: opts.file }, ...(opts.view ? { view: opts.view } : {}) };
  const one = `${opts.path}/{${opts.param}}`;
  return [
    { ...common, method: 'GET', path: opts.path, op: 'list', ...(opts.filters ? { filters: opts.filters } : {}), summary: `List a product's ${opts.label}s` },
    { ...common, method: 'POST', path: opts.path, op: 'create', body: opts.create, summary: `Create a product ${opts.label}` },
    { ...common, method: 'GET', path: one, op: 'get', summary: `Get a product ${opts.label}` },
    { ...common, method: 'PUT', path: one, op: 'update', body: opts.update, summary: `Update a product ${opts.label}` },
    { ...common, method: 'DELETE', path: one, op: 'delete', summary: `Delete a product ${opts.label}` },
  ];
}

/** Custom fields and bulk pricing rules answer without their product's id, as the platform does. */
const withoutProduct = ({ product_id: _p, ...rest }: Item) => rest;

const variantOf = (ctx: FamilyContext, id: number) => ctx.store.variants.get(id);

export const productDetailsFamily: FamilyDecl = {
  name: 'product-details',
  envelope: 'v3',
  resources: [imageResource, customFieldResource, bulkPricingResource],
  routes: [
    ...subResourceRoutes({ path: `${BASE}/images`, param: 'image_id', resource: 'product-image', file: FILE, label: 'image', create: imageCreate, update: imageUpdate, view: imageView }),
    ...subResourceRoutes({
      path: `${BASE}/custom-fields`,
      param: 'custom_field_id',
      resource: 'product-custom-field',
      file: FILE,
      label: 'custom field',
      create: customFieldCreate,
      update: customFieldCreate.partial(),
      view: withoutProduct,
      filters: { ...intFilters<CustomField>('id', (c) => c.id, ['eq', 'in']), ...textFilters<CustomField>('name', (c) => c.name, ['eq', 'like']) },
    }),
    ...subResourceRoutes({ path: `${BASE}/bulk-pricing-rules`, param: 'bulk_pricing_rule_id', resource: 'product-bulk-pricing-rule', file: FILE, label: 'bulk pricing rule', create: bulkCreate, update: bulkCreate.partial(), view: withoutProduct }),
    // The hand-written `/catalog/products/{id}` routes pass `/catalog/products/metafields` on to these.
    ...metafieldRoutes({ type: 'product', base: '/catalog/products', param: 'product_id', metafieldParam: 'metafield_id', file: FILE, scope: 'store_v2_products', exists: (id, ctx) => ctx.store.products.has(id) }),
    ...metafieldRoutes({
      type: 'variant',
      base: `${BASE}/variants`,
      batchBase: '/catalog/variants',
      param: 'variant_id',
      metafieldParam: 'metafield_id',
      file: 'product-variants_catalog.v3.yml',
      scope: 'store_v2_products',
      // In a path, the variant must be the path's product's.
      exists: (id, ctx, req) => {
        const variant = variantOf(ctx, id);
        return variant !== undefined && (req?.params.product_id === undefined || variant.product_id === Number(req.params.product_id));
      },
    }),
  ],
};

/** The records `GET /v3/catalog/products?include=` adds to a product, as their own routes answer them. */
export function productSubResources(ctx: FamilyContext, productId: number): Record<'images' | 'custom_fields' | 'bulk_pricing_rules', unknown[]> {
  const of = <T extends Item>(name: string) => ctx.collection<T>(name).all().filter((r) => r.product_id === productId);
  return {
    images: of<ProductImage>('product-image').map((i) => imageView(i, ctx)),
    custom_fields: of<CustomField>('product-custom-field').map(withoutProduct),
    bulk_pricing_rules: of<BulkPricingRule>('product-bulk-pricing-rule').map(withoutProduct),
  };
}
