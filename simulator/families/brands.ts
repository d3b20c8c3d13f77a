/**
 * Brands (brands_catalog.v3.yml). Twelve brands are seeded, ids 1 to SEEDED_BRAND_COUNT, because
 * the seeded products name brand ids 0 (none) to 12 (seed.ts): every product's `brand_id` resolves.
 * Names come from the store's seed. Kept from the platform: the name is required (at most 255
 * characters) and unique, case-insensitively (409). The platform raises no webhook for brands
 * (webhooks.v3.yml lists none).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { createSeededFaker, SEEDED_BRAND_COUNT } from '../domain/seed.ts';
import { intFilters, textFilters } from './filters.ts';
import { deleteMetafieldsOf, metafieldRoutes } from './metafields.ts';
import type { FamilyDecl, Item, ResourceDecl } from './model.ts';

const FILE = 'brands_catalog.v3.yml';

export interface Brand extends Item {
  id: number;
  name: string;
  page_title: string;
  meta_keywords: string[];
  meta_description: string;
  search_keywords: string;
  image_url: string;
  custom_url: { url: string; is_customized: boolean };
}

const slug = (name: string) => `/${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}/`;

const brandBody = z.object({
  name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  page_title: z.string().max(255).optional(),
  meta_keywords: z.array(z.string()).optional(),
  meta_description: z.string().max(65_535).optional(),
  search_keywords: z.string().max(65_535).optional(),
  image_url: z.string().optional(),
  custom_url: z.object({ url: z.string().min(1).max(1024), is_customized: z.boolean().optional() }).optional(),
});

export const brandResource: ResourceDecl<Brand> = {
  name: 'brand',
  label: 'brand',
  id: 'sequence',
  seed(ctx) {
    const f = createSeededFaker(ctx.seed);
    const names = new Set<string>();
    while (names.size < SEEDED_BRAND_COUNT) names.add(f.company.name().replace(/,.*$/, ''));
    return [...names].map((name, i) => ({ id: i + 1, name, page_title: name, meta_keywords: [], meta_description: '', search_keywords: name.toLowerCase(), image_url: '', custom_url: { url: `/brands${slug(name)}`, is_customized: false } }));
  },
  create: (input) => {
    const name = String(input.name);
    return { page_title: '', meta_keywords: [], meta_description: '', search_keywords: '', image_url: '', ...(input as Partial<Brand>), name, custom_url: { url: `/brands${slug(name)}`, is_customized: false, ...(input.custom_url as object | undefined) } } as Omit<Brand, 'id'>;
  },
  check(next, ctx) {
    const clash = ctx.collection<Brand>('brand').all().find((b) => b.id !== next.id && b.name.toLowerCase() === next.name.toLowerCase());
    if (clash) throw new DomainError('conflict', `Failed to save the brand: the name "${next.name}" is already used by brand ${clash.id}.`, { name: 'already used by another brand' });
  },
  filters: {
    ...intFilters<Brand>('id', (b) => b.id),
    ...textFilters<Brand>('name', (b) => b.name),
    ...textFilters<Brand>('page_title', (b) => b.page_title, ['eq']),
  },
  sort: { keys: { name: (b) => b.name }, directionParam: 'direction' },
  onDelete: (brand, ctx) => deleteMetafieldsOf('brand', brand.id, ctx),
};

export const brandsFamily: FamilyDecl = {
  name: 'brands',
  envelope: 'v3',
  resources: [brandResource],
  routes: [
    { method: 'GET', path: '/catalog/brands', op: 'list', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, summary: 'List brands' },
    { method: 'POST', path: '/catalog/brands', op: 'create', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, body: brandBody, summary: 'Create a brand' },
    { method: 'DELETE', path: '/catalog/brands', op: 'delete-by-filter', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, summary: 'Delete brands matching the filters' },
    { method: 'GET', path: '/catalog/brands/{brand_id}', op: 'get', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, summary: 'Get a brand' },
    { method: 'PUT', path: '/catalog/brands/{brand_id}', op: 'update', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, body: brandBody.partial(), summary: 'Update a brand' },
    { method: 'DELETE', path: '/catalog/brands/{brand_id}', op: 'delete', resource: 'brand', scope: 'store_v2_products', spec: { file: FILE }, summary: 'Delete a brand' },
    ...metafieldRoutes({ type: 'brand', resource: 'brand', base: '/catalog/brands', param: 'brand_id', metafieldParam: 'metafield_id', file: FILE, scope: 'store_v2_products' }),
  ],
};
