/**
 * Categories and category trees (categories_catalog.v3.yml, category-trees_catalog.v3.yml). One
 * store of categories, two views of it: the Category Trees API sees every tree (`category_id`,
 * `tree_id`, `url.path`), the older Categories API only the tree of channel 1 (`id`,
 * `custom_url`), as the platform documents. The seeded tree is a realistic taxonomy four levels
 * deep whose ids 18 to 40 are the leaves the seeded products name (seed.ts puts each product in
 * one of 18..40), so every product's `categories` resolves.
 *
 * Platform rules kept: a parent must exist in the same tree (0 = top level); at most 8 levels; no
 * two siblings share a name (409); deleting a category deletes its subcategories; a channel
 * belongs to at most one tree. Each change raises `store/category/created|updated|deleted`
 * (webhooks.v3.yml), subcategories deleted with their parent included.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { maxChars } from '../domain/text.ts';
import { boolFilter, intFilters, textFilters } from './filters.ts';
import { deleteMetafieldsOf, metafieldRoutes } from './metafields.ts';
import { seededUuid } from './state.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, OperationRequest, ResourceDecl } from './model.ts';

const CATEGORIES = 'categories_catalog.v3.yml';
const TREES = 'category-trees_catalog.v3.yml';

/** "8 levels of child categories depth limit" (categories_catalog.v3.yml). */
export const MAX_CATEGORY_DEPTH = 8;
/** Category trees API batch size: not documented; the catalog's usual 50. */
export const CATEGORY_BATCH_LIMIT = 50;

const SORTS = ['use_store_settings', 'featured', 'newest', 'best_selling', 'alpha_asc', 'alpha_desc', 'avg_customer_review', 'price_asc', 'price_desc'] as const;

export interface Category extends Item {
  id: number;
  uuid: string;
  tree_id: number;
  parent_id: number;
  name: string;
  description: string;
  views: number;
  sort_order: number;
  page_title: string;
  meta_keywords: string[];
  meta_description: string;
  layout_file: string;
  image_url: string;
  is_visible: boolean;
  search_keywords: string;
  default_product_sort: (typeof SORTS)[number];
  url: { path: string; is_customized: boolean };
}

export interface CategoryTree extends Item {
  id: number;
  name: string;
  channels: number[];
}

/**
 * The seeded taxonomy: [id, parent, name]. Ids 1..17 are the upper levels; 18..40 are the leaves
 * the seeded products belong to. Depth reaches 4 (Home > Kitchen > Cookware > Pans).
 */
const TAXONOMY: [number, number, string][] = [
  [1, 0, 'Apparel'], [2, 0, 'Home & Garden'], [3, 0, 'Electronics'], [4, 0, 'Sports & Outdoors'], [5, 0, 'Sale'],
  [6, 1, 'Men'], [7, 1, 'Women'], [8, 1, 'Kids'], [9, 2, 'Kitchen'], [10, 2, 'Garden'], [11, 3, 'Audio'], [12, 3, 'Computers'],
  [13, 4, 'Camping'], [14, 4, 'Cycling'], [15, 9, 'Cookware'], [16, 12, 'Accessories'], [17, 13, 'Tents & Shelters'],
  [18, 6, 'Shirts'], [19, 6, 'Trousers'], [20, 7, 'Dresses'], [21, 7, 'Knitwear'], [22, 8, 'Baby'], [23, 8, 'School Uniforms'],
  [24, 15, 'Pans'], [25, 15, 'Pots'], [26, 9, 'Knives'], [27, 10, 'Planters'], [28, 10, 'Garden Tools'], [29, 11, 'Headphones'],
  [30, 11, 'Speakers'], [31, 16, 'Keyboards'], [32, 16, 'Cables'], [33, 12, 'Laptops'], [34, 17, 'Two-Person Tents'],
  [35, 17, 'Tarps'], [36, 13, 'Sleeping Bags'], [37, 14, 'Helmets'], [38, 14, 'Bike Lights'], [39, 5, 'Clearance'], [40, 5, 'Gift Ideas'],
];

const slug = (name: string) => `/${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}/`;

function depthOf(category: Pick<Category, 'parent_id'>, all: Map<number, Category>): number {
  let depth = 1;
  for (let parent = all.get(category.parent_id); parent; parent = all.get(parent.parent_id)) {
    depth++;
    if (depth > 64) break;
  }
  return depth;
}

const baseBody = {
  name: maxChars(50, 1),
  parent_id: z.number().int().min(0),
  description: z.string().max(65_535).optional(),
  views: z.number().int().min(0).optional(),
  sort_order: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
  page_title: z.string().max(255).optional(),
  search_keywords: z.string().max(255).optional(),
  meta_keywords: z.array(z.string()).optional(),
  meta_description: z.string().max(65_535).optional(),
  layout_file: z.string().max(500).optional(),
  is_visible: z.boolean().optional(),
  default_product_sort: z.enum(SORTS).optional(),
  image_url: z.string().optional(),
};
const customUrl = z.object({ url: z.string().min(1).max(255), is_customized: z.boolean().optional() });
const legacyCreate = z.object({ ...baseBody, custom_url: customUrl.optional() });
const legacyUpdate = legacyCreate.partial();
const treeCreate = z.object({ ...baseBody, parent_id: baseBody.parent_id.optional(), tree_id: z.number().int().positive(), url: z.object({ path: z.string().min(1).max(255), is_customized: z.boolean().optional() }).optional() });
const treeUpdate = treeCreate.partial().extend({ category_id: z.number().int().positive() });

/** The tree channel 1 uses: the only one the older Categories API sees. */
export function defaultTreeId(ctx: FamilyContext): number | undefined {
  return ctx.collection<CategoryTree>('category-tree').all().find((t) => t.channels.includes(1))?.id;
}

const fromLegacy = (input: Record<string, unknown>): Record<string, unknown> => {
  const { custom_url, ...rest } = input as { custom_url?: { url: string; is_customized?: boolean } };
  return custom_url ? { ...rest, url: { path: custom_url.url, is_customized: custom_url.is_customized ?? true } } : rest;
};

/** What a category's page has until someone sets it: the same for seeded and created categories. */
const pageDefaults = (name: string) => ({
  page_title: '',
  meta_keywords: [] as string[],
  meta_description: '',
  layout_file: 'category.html',
  image_url: '',
  is_visible: true,
  search_keywords: '',
  default_product_sort: 'use_store_settings' as const,
  url: { path: slug(name), is_customized: false },
});

export const categoryResource: ResourceDecl<Category> = {
  name: 'category',
  label: 'category',
  id: 'sequence',
  batchLimit: CATEGORY_BATCH_LIMIT,
  seed(ctx) {
    // The worst-case profile's chain (worst-case-catalog.ts) hangs below the taxonomy, 8 levels deep.
    const chain = (ctx.store.worstCase?.categories ?? []).map((c): [number, number, string, string?] => [c.id, c.parent_id, c.name, c.description]);
    const clash = chain.find(([id]) => TAXONOMY.some(([taken]) => taken === id));
    if (clash) throw new Error(`The worst-case category ${clash[0]} clashes with the seeded taxonomy; start its chain after ${TAXONOMY.length}.`);
    const described = (name: string, description?: string) => description ?? `<p>${name} at ${ctx.store.info.name}.</p>`;
    const rows: [number, number, string, string?][] = [...TAXONOMY, ...chain];
    return rows.map(([id, parent, name, description], i) => ({
      id,
      uuid: seededUuid(ctx.random),
      tree_id: 1,
      parent_id: parent,
      name,
      description: described(name, description),
      views: Math.floor(ctx.random() * 500),
      sort_order: i,
      ...pageDefaults(name),
    }));
  },
  create: (input, ctx) => {
    const name = String(input.name);
    return {
      uuid: seededUuid(ctx.random),
      parent_id: 0,
      description: '',
      views: 0,
      sort_order: 0,
      ...pageDefaults(name),
      ...fromLegacy(input),
      tree_id: Number(input.tree_id ?? defaultTreeId(ctx)),
    } as Omit<Category, 'id'>;
  },
  update: (item, patch) => ({ ...item, ...fromLegacy(patch), id: item.id, tree_id: item.tree_id }) as Category,
  check(next, ctx) {
    const all = ctx.collection<Category>('category');
    ctx.collection<CategoryTree>('category-tree').find(next.tree_id) ??
      (() => {
        throw new DomainError('unprocessable', `Failed to save the category: tree ${next.tree_id} does not exist. Create it with PUT /v3/catalog/trees first.`, { tree_id: `tree ${next.tree_id} not found` });
      })();
    if (next.parent_id !== 0) {
      const parent = all.find(next.parent_id);
      if (!parent || parent.tree_id !== next.tree_id) throw new DomainError('unprocessable', `Failed to save the category: parent ${next.parent_id} is not a category of tree ${next.tree_id}. Use 0 for a top-level category.`, { parent_id: `category ${next.parent_id} not found in tree ${next.tree_id}` });
      // A category cannot become its own ancestor.
      for (let p: Category | undefined = parent; p; p = all.find(p.parent_id)) {
        if (p.id === next.id) throw new DomainError('unprocessable', `Failed to move category ${next.id}: ${next.parent_id} is one of its own subcategories.`, { parent_id: 'would make a cycle' });
        if (p.parent_id === 0) break;
      }
    }
    const byId = new Map(all.all().map((c) => [c.id, c]));
    byId.set(next.id, next);
    if (depthOf(next, byId) > MAX_CATEGORY_DEPTH) throw new DomainError('unprocessable', `Failed to save the category: it would be ${depthOf(next, byId)} levels deep; the platform allows ${MAX_CATEGORY_DEPTH}.`, { parent_id: `at most ${MAX_CATEGORY_DEPTH} levels` });
    const sibling = all.all().find((c) => c.id !== next.id && c.tree_id === next.tree_id && c.parent_id === next.parent_id && c.name.toLowerCase() === next.name.toLowerCase());
    if (sibling) throw new DomainError('conflict', `Failed to save the category: "${next.name}" already exists under the same parent (category ${sibling.id}).`, { name: 'already used by a sibling category' });
  },
  onDelete(category, ctx) {
    // Subcategories go with their parent, each raising its own store/category/deleted.
    const all = ctx.collection<Category>('category');
    for (const child of all.all()) if (child.parent_id === category.id && child.tree_id === category.tree_id && all.find(child.id)) all.remove(child.id);
    deleteMetafieldsOf('category', category.id, ctx);
  },
  filters: {
    ...intFilters<Category>('id', (c) => c.id),
    ...textFilters<Category>('name', (c) => c.name),
    ...intFilters<Category>('parent_id', (c) => c.parent_id),
    ...textFilters<Category>('page_title', (c) => c.page_title),
    keyword: { type: 'string', test: (c: Category, v: string) => `${c.name} ${c.search_keywords} ${c.description}`.toLowerCase().includes(v.toLowerCase()) } as FilterDecl<Category>,
    is_visible: boolFilter<Category>((c) => c.is_visible),
  },
  sort: { keys: { name: (c) => c.name, id: (c) => c.id, parent_id: (c) => c.parent_id, sort_order: (c) => c.sort_order } },
  webhooks: { type: 'category', created: 'store/category/created', updated: 'store/category/updated', deleted: 'store/category/deleted' },
};

export const categoryTreeResource: ResourceDecl<CategoryTree> = {
  name: 'category-tree',
  label: 'category tree',
  id: 'sequence',
  seed: () => [{ id: 1, name: 'Default', channels: [1] }],
  create: (input) => ({ name: String(input.name), channels: (input.channels as number[] | undefined) ?? [] }),
  check(next, ctx) {
    for (const channel of next.channels) {
      ctx.collection('channel').find(channel) ??
        (() => {
          throw new DomainError('unprocessable', `Failed to save category tree "${next.name}": channel ${channel} does not exist.`, { channels: `channel ${channel} not found` });
        })();
      const other = ctx.collection<CategoryTree>('category-tree').all().find((t) => t.id !== next.id && t.channels.includes(channel));
      if (other) throw new DomainError('unprocessable', `Failed to save category tree "${next.name}": channel ${channel} already uses tree ${other.id}. A channel has one category tree.`, { channels: `channel ${channel} is assigned to tree ${other.id}` });
    }
  },
  onDelete(tree, ctx) {
    const categories = ctx.collection<Category>('category');
    for (const c of categories.all()) if (c.tree_id === tree.id && c.parent_id === 0 && categories.find(c.id)) categories.remove(c.id);
  },
  filters: {
    ...intFilters<CategoryTree>('id', (t) => t.id, ['in']),
    'channel_id:in': { type: 'int-list', test: (t: CategoryTree, v: number[]) => t.channels.some((c) => v.includes(c)) } as FilterDecl<CategoryTree>,
  },
};

/** The older API's view: `id` and `custom_url`, no tree. */
function legacyView(item: Item) {
  const { uuid: _uuid, tree_id: _tree, url, ...rest } = item as Category;
  return { ...rest, custom_url: { url: url.path, is_customized: url.is_customized } };
}

/** The Category Trees API's view: `category_id`, `category_uuid`, `tree_id`, `url`. */
function treeView(item: Item) {
  const { id, uuid, ...rest } = item as Category;
  return { category_id: id, category_uuid: uuid, ...rest };
}

const inDefaultTree = (item: Item, _req: OperationRequest, ctx: FamilyContext) => (item as Category).tree_id === defaultTreeId(ctx);

const treeCategoryFilters: Record<string, FilterDecl<Category>> = {
  ...intFilters<Category>('category_id', (c) => c.id, ['in', 'not_in']),
  ...textFilters<Category>('category_uuid', (c) => c.uuid, ['in', 'not_in']),
  ...intFilters<Category>('tree_id', (c) => c.tree_id, ['in', 'not_in']),
  ...intFilters<Category>('parent_id', (c) => c.parent_id, ['in', 'not_in']),
  ...textFilters<Category>('page_title', (c) => c.page_title),
  ...textFilters<Category>('name', (c) => c.name),
  keyword: categoryResource.filters!.keyword!,
  is_visible: categoryResource.filters!.is_visible!,
};

/** `GET /catalog/trees/{tree_id}/categories`: the tree as nested nodes, to `depth` levels. */
function treeOf(req: OperationRequest, ctx: FamilyContext) {
  if (!/^\d+$/.test(req.params.tree_id ?? '')) throw new DomainError('not-found', 'The requested category tree was not found.');
  const tree = ctx.collection<CategoryTree>('category-tree').require(Number(req.params.tree_id));
  const raw = req.query.depth;
  const maxDepth = raw === undefined ? MAX_CATEGORY_DEPTH : Number(raw);
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new DomainError('unprocessable', `Invalid query parameter depth: "${String(raw)}"`, { depth: 'must be a positive integer' });
  const members = ctx.collection<Category>('category').all().filter((c) => c.tree_id === tree.id);
  type Node = { id: number; parent_id: number; depth: number; path: number[]; name: string; is_visible: boolean; url: string; children: Node[] };
  const build = (parentId: number, depth: number, path: number[]): Node[] =>
    depth > maxDepth
      ? []
      : members
          .filter((c) => c.parent_id === parentId)
          .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id)
          .map((c) => ({ id: c.id, parent_id: c.parent_id, depth, path, name: c.name, is_visible: c.is_visible, url: c.url.path, children: build(c.id, depth + 1, [...path, c.id]) }));
  return { status: 200, body: { data: build(0, 1, []), meta: {} } };
}

/** `PUT /catalog/trees`: create the trees without an id, update those with one. */
function upsertTrees(req: OperationRequest, ctx: FamilyContext) {
  const body = z.array(z.object({ id: z.number().int().positive().optional(), name: z.string().min(1, 'is required').max(255), channels: z.array(z.number().int().positive()).optional() })).min(1, 'at least one tree is required');
  const parsed = body.safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || 'body';
    throw new DomainError('unprocessable', `JSON data is missing or invalid: ${field} ${issue.message}`, { [field]: issue.message });
  }
  const trees = ctx.collection<CategoryTree>('category-tree');
  const data = parsed.data.map((t, i) => {
    try {
      if (t.id === undefined) return trees.insert({ name: t.name, channels: t.channels ?? [] });
      const existing = trees.find(t.id);
      if (!existing) throw new DomainError('unprocessable', `Failed to update category tree ${t.id}: it does not exist. Leave id out to create a tree.`, { id: `tree ${t.id} not found` });
      return trees.replace({ ...existing, name: t.name, channels: t.channels ?? existing.channels });
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`[${i}].${k}`, v])));
      throw error;
    }
  });
  return { status: 200, body: { data, meta: { total: data.length, success: data.length, failed: 0 } } };
}

export const categoriesFamily: FamilyDecl = {
  name: 'categories',
  envelope: 'v3',
  resources: [categoryTreeResource, categoryResource],
  routes: [
    // Categories (the older API: the tree of channel 1 only).
    { method: 'GET', path: '/catalog/categories', op: 'list', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, scopeTo: inDefaultTree, view: legacyView, summary: 'List categories (tree of channel 1)' },
    { method: 'POST', path: '/catalog/categories', op: 'create', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, body: legacyCreate, view: legacyView, summary: 'Create a category' },
    { method: 'DELETE', path: '/catalog/categories', op: 'delete-by-filter', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, scopeTo: inDefaultTree, summary: 'Delete categories matching the filters' },
    { method: 'GET', path: '/catalog/categories/{category_id}', op: 'get', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, scopeTo: inDefaultTree, view: legacyView, summary: 'Get a category' },
    { method: 'PUT', path: '/catalog/categories/{category_id}', op: 'update', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, scopeTo: inDefaultTree, body: legacyUpdate, view: legacyView, summary: 'Update a category' },
    { method: 'DELETE', path: '/catalog/categories/{category_id}', op: 'delete', resource: 'category', scope: 'store_v2_products', spec: { file: CATEGORIES }, scopeTo: inDefaultTree, summary: 'Delete a category and its subcategories' },
    // Category trees.
    { method: 'GET', path: '/catalog/trees', op: 'list', resource: 'category-tree', scope: 'store_v2_products', spec: { file: TREES }, summary: 'List category trees' },
    { method: 'PUT', path: '/catalog/trees', op: 'custom', resource: 'category-tree', scope: 'store_v2_products', spec: { file: TREES }, handler: upsertTrees, summary: 'Create or update category trees' },
    { method: 'DELETE', path: '/catalog/trees', op: 'delete-by-filter', resource: 'category-tree', scope: 'store_v2_products', spec: { file: TREES }, summary: 'Delete category trees (and their categories)' },
    { method: 'GET', path: '/catalog/trees/{tree_id}/categories', op: 'custom', resource: 'category', scope: 'store_v2_products', spec: { file: TREES }, handler: treeOf, summary: 'Get a category tree as nested nodes' },
    { method: 'GET', path: '/catalog/trees/categories', op: 'list', resource: 'category', scope: 'store_v2_products', spec: { file: TREES }, filters: treeCategoryFilters, view: treeView, summary: 'List categories of every tree' },
    { method: 'POST', path: '/catalog/trees/categories', op: 'batch-create', resource: 'category', scope: 'store_v2_products', spec: { file: TREES }, status: 201, body: treeCreate, view: treeView, batchAnswer: 'data+totals', summary: 'Create categories in trees' },
    { method: 'PUT', path: '/catalog/trees/categories', op: 'batch-update', resource: 'category', scope: 'store_v2_products', spec: { file: TREES }, body: treeUpdate, idField: 'category_id', batchAnswer: 'totals', summary: 'Update categories in trees' },
    ...metafieldRoutes({ type: 'category', resource: 'category', base: '/catalog/categories', param: 'category_id', metafieldParam: 'metafield_id', file: CATEGORIES, scope: 'store_v2_products' }),
    { method: 'DELETE', path: '/catalog/trees/categories', op: 'delete-by-filter', resource: 'category', scope: 'store_v2_products', spec: { file: TREES }, status: 202, batchAnswer: 'totals', filters: treeCategoryFilters, summary: 'Delete categories matching the filters (and their subcategories)' },
  ],
};
