/**
 * Behaviour of the declared families (simulator/families) through real HTTP: validation errors in
 * the V2 and V3 shapes naming the field, pagination, filters and sorting, the quota and the
 * ledger, the webhook scopes each change raises, OAuth scopes, seeded data that hangs together
 * with the products, and reset.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../simulator/domain/seed.ts';
import { declaredOperations } from '../../simulator/families/registry.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const ledger = ledgerOf;

describe('declared families: validation', () => {
  it('answers a bad V3 body with 422 in the V3 shape, naming each field', async () => {
    const s = await start();
    const res = await s.api('POST', '/v3/catalog/categories', { name: 'x'.repeat(51), parent_id: 'top' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/api-docs/getting-started/api-status-codes' });
    expect(Object.keys(res.body.errors).sort()).toEqual(['name', 'parent_id']);
    expect(res.body.errors.name).toMatch(/50/);
  });

  it('answers a bad V2 body with 400 in the V2 shape, naming the field', async () => {
    const s = await start();
    const res = await s.api('POST', '/v2/currencies', { currency_code: 'euro', currency_exchange_rate: '0.9', decimal_places: 2, decimal_token: '.', thousands_token: ',', name: 'Euro', token: '€', token_location: 'left' });
    expect(res.status).toBe(400);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body[0]).toMatchObject({ status: 400, details: { invalid_reason: { currency_code: expect.stringMatching(/ISO 4217/) } } });
  });

  it('names the position of a bad item in a batch', async () => {
    const s = await start();
    const res = await s.api('POST', '/v3/catalog/trees/categories', [{ name: 'Fine', tree_id: 1, parent_id: 0 }, { name: '', tree_id: 1 }]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveProperty(['[1].name']);
    // All or nothing: the valid first item was not created either, nor when the second fails a store rule.
    const list = await s.api('GET', '/v3/catalog/trees/categories?name=Fine');
    expect(list.body.data).toEqual([]);
    const clash = await s.api('POST', '/v3/catalog/trees/categories', [{ name: 'Fine', tree_id: 1, parent_id: 0 }, { name: 'Shirts', tree_id: 1, parent_id: 6 }]);
    expect(clash.status).toBe(409);
    expect(clash.body.errors).toEqual({ '[1].name': 'already used by a sibling category' });
    expect((await s.api('GET', '/v3/catalog/trees/categories?name=Fine')).body.data).toEqual([]);
    expect(await ledger(s, 'resource:created')).toEqual([]);
  });

  it('refuses a batch over the limit with 413, and a cycle and a ninth level with 422', async () => {
    const s = await start();
    const big = await s.api('POST', '/v3/catalog/trees/categories', Array.from({ length: 51 }, (_, i) => ({ name: `c${i}`, tree_id: 1 })));
    expect(big.status).toBe(413);
    // Shirts (18) is under Men (6) under Apparel (1).
    const cycle = await s.api('PUT', '/v3/catalog/categories/1', { parent_id: 18 });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors).toEqual({ parent_id: 'would make a cycle' });
    // Pans (24) is at depth 4: four more levels reach 8, the fifth is refused.
    let parent = 24;
    for (let level = 5; level <= 8; level++) {
      const made = await s.api('POST', '/v3/catalog/categories', { name: `Level ${level}`, parent_id: parent });
      expect(made.status, made.text).toBe(200);
      parent = made.body.data.id;
    }
    const ninth = await s.api('POST', '/v3/catalog/categories', { name: 'Level 9', parent_id: parent });
    expect(ninth.status).toBe(422);
    expect(ninth.body.errors.parent_id).toMatch(/8 levels/);
  });

  it('answers 409 for a duplicate sibling category or brand name, and keeps the default currency', async () => {
    const s = await start();
    expect((await s.api('POST', '/v3/catalog/categories', { name: 'shirts', parent_id: 6 })).status).toBe(409);
    const brand = await s.api('GET', '/v3/catalog/brands/1');
    expect((await s.api('POST', '/v3/catalog/brands', { name: brand.body.data.name.toUpperCase() })).status).toBe(409);
    const del = await s.api('DELETE', '/v2/currencies/1');
    expect(del.status).toBe(400);
    expect(del.body[0].details.invalid_reason).toHaveProperty('id');
  });

  it('refuses a delete-by-filter with no filter instead of deleting everything', async () => {
    const s = await start();
    const res = await s.api('DELETE', '/v3/catalog/brands');
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveProperty('filter');
    expect((await s.api('GET', '/v3/catalog/brands')).body.meta.pagination.total).toBe(12);
  });
});

describe('declared families: lists', () => {
  it('pages V3 lists with the platform meta and links', async () => {
    const s = await start();
    const page2 = await s.api('GET', '/v3/catalog/categories?limit=15&page=2');
    expect(page2.body.data.map((c: any) => c.id)).toEqual(Array.from({ length: 15 }, (_, i) => 16 + i));
    expect(page2.body.meta.pagination).toEqual({ total: 40, count: 15, per_page: 15, current_page: 2, total_pages: 3, links: { current: '?page=2&limit=15', previous: '?page=1&limit=15', next: '?page=3&limit=15' } });
    expect((await s.api('GET', '/v3/catalog/categories?limit=251')).status).toBe(422);
  });

  it('pages V2 lists as bare arrays and answers an empty page with 204', async () => {
    const s = await start();
    const first = await s.api('GET', '/v2/currencies?limit=3');
    expect(first.body.map((c: any) => c.currency_code)).toEqual(['USD', 'EUR', 'GBP']);
    const empty = await s.api('GET', '/v2/currencies?page=9');
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');
  });

  it('filters with :in, :not_in, :like, :min and booleans, sorts, and projects fields', async () => {
    const s = await start();
    const ids = (res: any) => res.body.data.map((c: any) => c.id ?? c.category_id);
    expect(ids(await s.api('GET', '/v3/catalog/categories?id:in=3,1,2'))).toEqual([1, 2, 3]);
    expect(ids(await s.api('GET', '/v3/catalog/categories?parent_id=15'))).toEqual([24, 25]);
    expect(ids(await s.api('GET', '/v3/catalog/categories?name:like=TENT'))).toEqual([17, 34]);
    expect(ids(await s.api('GET', '/v3/catalog/categories?id:min=38&id:not_in=39'))).toEqual([38, 40]);
    expect(ids(await s.api('GET', '/v3/catalog/trees/categories?category_id:in=5,6&tree_id:in=1'))).toEqual([5, 6]);
    // A repeated list parameter is one list.
    expect(ids(await s.api('GET', '/v3/catalog/categories?id:in=1&id:in=2'))).toEqual([1, 2]);
    const byName = await s.api('GET', '/v3/catalog/brands?sort=name&direction=desc&limit=250');
    const names = byName.body.data.map((b: any) => b.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a)));
    const projected = await s.api('GET', '/v3/catalog/brands?include_fields=name&limit=1');
    expect(Object.keys(projected.body.data[0]).sort()).toEqual(['id', 'name']);
    expect(ids(await s.api('GET', '/v3/channels?available=true'))).toEqual([1, 2, 3]);
    expect(ids(await s.api('GET', '/v3/channels?type:in=pos'))).toEqual([3]);
    expect((await s.api('GET', '/v3/catalog/brands?id:in=one')).body.errors).toHaveProperty(['id:in']);
  });

  it('serves the tree of channel 1 nested, to the depth asked', async () => {
    const s = await start();
    const tree = await s.api('GET', '/v3/catalog/trees/1/categories?depth=2');
    expect(tree.body.data.map((n: any) => n.name)).toEqual(['Apparel', 'Home & Garden', 'Electronics', 'Sports & Outdoors', 'Sale']);
    expect(tree.body.data[0].children.map((n: any) => [n.name, n.depth, n.path, n.children])).toEqual([
      ['Men', 2, [1], []],
      ['Women', 2, [1], []],
      ['Kids', 2, [1], []],
    ]);
    const full = await s.api('GET', '/v3/catalog/trees/1/categories');
    const depth = (nodes: any[]): number => Math.max(0, ...nodes.map((n) => 1 + depth(n.children)));
    expect(depth(full.body.data)).toBe(4);
  });
});

describe('declared families: platform effects', () => {
  it('counts each family request against the quota and records it in the ledger', async () => {
    const s = await start({ plan: 'standard' });
    const a = await s.api('GET', '/v2/store');
    const b = await s.api('GET', '/v3/catalog/brands');
    expect(Number(b.headers['x-rate-limit-requests-left'])).toBe(Number(a.headers['x-rate-limit-requests-left']) - 1);
    const requests = await ledger(s, 'api:request');
    expect(requests.map((r) => [r.method, r.path.replace(/^\/stores\/[^/]+/, ''), r.status])).toEqual([
      ['GET', '/v2/store', 200],
      ['GET', '/v3/catalog/brands', 200],
    ]);
  });

  it('records every change with the full record, and raises the category and channel scopes', async () => {
    const s = await start();
    const made = await s.api('POST', '/v3/catalog/categories', { name: 'Boots', parent_id: 4 });
    const child = await s.api('POST', '/v3/catalog/categories', { name: 'Hiking boots', parent_id: made.body.data.id });
    await s.api('PUT', `/v3/catalog/categories/${made.body.data.id}`, { name: 'Boots & Shoes' });
    await s.api('DELETE', `/v3/catalog/categories/${made.body.data.id}`);
    const channel = await s.api('POST', '/v3/channels', { name: 'eBay DE', type: 'marketplace', platform: 'ebay' });
    await s.api('PUT', `/v3/channels/${channel.body.data.id}`, { status: 'inactive' });
    await s.api('POST', '/v3/catalog/brands', { name: 'Brand without a webhook' });

    const changes = (await ledger(s, 'resource:created,resource:updated,resource:deleted')).map((e) => [e.kind, e.resource, e.id]);
    expect(changes).toEqual([
      ['resource:created', 'category', made.body.data.id],
      ['resource:created', 'category', child.body.data.id],
      ['resource:updated', 'category', made.body.data.id],
      // The subcategory goes with its parent, first.
      ['resource:deleted', 'category', child.body.data.id],
      ['resource:deleted', 'category', made.body.data.id],
      ['resource:created', 'channel', channel.body.data.id],
      ['resource:updated', 'channel', channel.body.data.id],
      ['resource:created', 'brand', 13],
    ]);
    const body = (await ledger(s, 'resource:updated')).find((e) => e.resource === 'category').body;
    expect(body).toMatchObject({ id: made.body.data.id, name: 'Boots & Shoes', parent_id: 4, tree_id: 1 });

    const events = (await ledger(s, 'webhook:event')).map((e) => [e.scope, e.data]);
    expect(events).toEqual([
      ['store/category/created', { type: 'category', id: made.body.data.id }],
      ['store/category/created', { type: 'category', id: child.body.data.id }],
      ['store/category/updated', { type: 'category', id: made.body.data.id }],
      ['store/category/deleted', { type: 'category', id: child.body.data.id }],
      ['store/category/deleted', { type: 'category', id: made.body.data.id }],
      ['store/channel/created', { type: 'channel', id: channel.body.data.id }],
      ['store/channel/updated', { type: 'channel', id: channel.body.data.id }],
    ]);
  });

  it('delivers a family scope to a hook registered for it', async () => {
    const delivered: { scope: string; data: unknown }[] = [];
    const s = await start({
      deliver: async (request) => {
        const payload = JSON.parse(request.body);
        delivered.push({ scope: payload.scope, data: payload.data });
        return { status: 200, durationMs: 0 };
      },
    });
    expect((await s.api('POST', '/v3/hooks', { scope: 'store/category/*', destination: 'https://hooks.example.com/cat' })).status).toBe(200);
    await s.api('POST', '/v3/catalog/trees/categories', [{ name: 'Via hook', tree_id: 1, parent_id: 0 }]);
    await expect.poll(() => delivered).toEqual([{ scope: 'store/category/created', data: { type: 'category', id: 41 } }]);
  });

  it('lets a read-only token read but not write, by OAuth scope', async () => {
    const s = await start();
    for (const path of ['/v2/store', '/v2/currencies', '/v3/channels', '/v3/sites', '/v3/catalog/trees', '/v3/catalog/brands']) {
      expect((await s.api('GET', path, undefined, s.readOnlyToken)).status, path).toBe(200);
    }
    const write = await s.api('POST', '/v3/channels', { name: 'x', type: 'pos', platform: 'square' }, s.readOnlyToken);
    expect(write.status).toBe(403);
    expect(write.body.title).toMatch(/store_channel_settings/);
    expect((await s.api('PUT', '/v3/sites/1000', { url: 'https://x.example.com' }, s.readOnlyToken)).status).toBe(403);
    expect((await s.api('DELETE', '/v2/currencies/2', undefined, s.readOnlyToken)).status).toBe(403);
  });

  it('makes the store information follow the default currency, and the old default give it up', async () => {
    const s = await start();
    const eur = await s.api('PUT', '/v2/currencies/2', { is_default: true });
    expect(eur.body.is_default).toBe(true);
    expect((await s.api('GET', '/v2/currencies/1')).body.is_default).toBe(false);
    const info = await s.api('GET', '/v2/store');
    expect(info.body).toMatchObject({ currency: 'EUR', currency_symbol: '€', decimal_separator: ',', thousands_separator: '.', id: s.hash, default_channel_id: 1, default_site_id: 1000 });
    expect((await s.api('PUT', '/v2/currencies/2', { is_default: false })).status).toBe(400);
    const time = await s.api('GET', '/v2/time');
    expect(time.body).toEqual({ time: Math.floor(Date.UTC(2026, 10, 27, 12) / 1000) });
  });
});

describe('declared families: store information', () => {
  it('raises store/information/updated, data {type: "store"}, when the merchant changes the profile, and not for no change', async () => {
    const s = await start();
    const changed = await s.control('PATCH', `/stores/${s.hash}/information`, { name: 'Bäckerei Müller', phone: '+49 30 1234567' });
    expect(changed.status, changed.text).toBe(200);
    expect((await s.api('GET', '/v2/store')).body).toMatchObject({ name: 'Bäckerei Müller', phone: '+49 30 1234567' });
    expect((await s.control('PATCH', `/stores/${s.hash}/information`, { name: 'Bäckerei Müller' })).status).toBe(200);
    const bad = await s.control('PATCH', `/stores/${s.hash}/information`, { country_code: 'Germany', plan: 'enterprise' });
    expect(bad.status).toBe(422);
    const events = (await ledger(s, 'webhook:event')).map((e) => [e.scope, e.data]);
    expect(events).toEqual([['store/information/updated', { type: 'store' }]]);
  });
});

describe('declared families: metafields', () => {
  const field = (key: string, extra: Record<string, unknown> = {}) => ({ namespace: 'erp', key, value: `v-${key}`, permission_set: 'write', ...extra });

  it('pages by cursor when asked, and by offset otherwise', async () => {
    const s = await start();
    const made = await s.api('POST', '/v3/catalog/brands/metafields', Array.from({ length: 5 }, (_, i) => ({ ...field(`k${i}`), resource_id: 1 })));
    expect(made.status, made.text).toBe(200);
    expect(made.body.meta).toEqual({ total: 5, success: 5, failed: 0 });
    const first = await s.api('GET', '/v3/catalog/brands/1/metafields?limit=2&after=');
    expect(first.status).toBe(422);
    const offset = await s.api('GET', '/v3/catalog/brands/1/metafields?limit=2');
    expect(offset.body.meta.pagination).toMatchObject({ total: 5, total_pages: 3 });
    const page1 = offset.body.data.map((m: any) => m.key);
    const afterCursor = await s.api('GET', `/v3/catalog/brands/1/metafields?limit=2&after=${encodeURIComponent(Buffer.from(String(offset.body.data[1].id)).toString('base64url'))}`);
    expect(afterCursor.body.data.map((m: any) => m.key)).toEqual(['k2', 'k3']);
    const { cursor_pagination } = afterCursor.body.meta;
    expect(cursor_pagination).toMatchObject({ count: 2, per_page: 2 });
    const last = await s.api('GET', `/v3/catalog/brands/1/metafields?limit=2&after=${cursor_pagination.end_cursor}`);
    expect(last.body.data.map((m: any) => m.key)).toEqual(['k4']);
    expect(last.body.meta.cursor_pagination.links.next).toBeUndefined();
    const back = await s.api('GET', `/v3/catalog/brands/1/metafields?limit=2&before=${cursor_pagination.start_cursor}`);
    expect(back.body.data.map((m: any) => m.key)).toEqual(page1);
  });

  it("keeps one key per namespace, owner and client, hides another client's app_only ones, and goes with its owner", async () => {
    const s = await start();
    expect((await s.api('POST', '/v3/catalog/categories/24/metafields', field('sku-map'))).status).toBe(200);
    const dup = await s.api('POST', '/v3/catalog/categories/24/metafields', field('sku-map'));
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual({ key: 'already used in this namespace' });
    expect((await s.api('POST', '/v3/catalog/categories/987/metafields', field('x'))).status).toBe(404);
    const secret = await s.api('POST', '/v3/catalog/categories/24/metafields', field('token', { permission_set: 'app_only' }));
    expect((await s.api('GET', `/v3/catalog/categories/24/metafields/${secret.body.data.id}`)).status).toBe(200);
    const readOnly = await s.api('GET', '/v3/catalog/categories/24/metafields', undefined, s.readOnlyToken);
    expect(readOnly.body.data.map((m: any) => m.key)).toEqual(['sku-map']);
    expect((await s.api('GET', `/v3/catalog/categories/24/metafields/${secret.body.data.id}`, undefined, s.readOnlyToken)).status).toBe(404);
    // Pans (24) goes with Cookware (15), and its metafields with it.
    expect((await s.api('DELETE', '/v3/catalog/categories/15')).status).toBe(204);
    expect((await s.api('GET', '/v3/catalog/categories/metafields')).body.data).toEqual([]);
    const deleted = (await ledger(s, 'resource:deleted')).map((e) => `${e.resource} ${e.id}`);
    expect(deleted).toEqual(expect.arrayContaining(['category 24', 'category 25', 'category 15', `metafield ${secret.body.data.id}`]));
  });

  it("answers the store's metafields with string ids, as their document shows, and takes them back", async () => {
    const s = await start();
    const made = await s.api('POST', '/v3/store/metafields', [field('currency-feed')]);
    const [m] = made.body.data;
    expect(m).toMatchObject({ id: expect.stringMatching(/^\d+$/), resource_type: 'store', resource_id: expect.stringMatching(/^\d+$/) });
    expect((await s.api('PUT', '/v3/store/metafields', [{ id: m.id, value: 'v2' }])).body.data[0].value).toBe('v2');
    expect((await s.api('DELETE', '/v3/store/metafields', [m.id])).body).toEqual({ data: [Number(m.id)], errors: [], meta: { total: 1, success: 1, failed: 0 } });
  });
});

describe('declared families: seeded data', () => {
  it('seeds categories and brands that every seeded product names', async () => {
    const s = await start({ products: 200 });
    const products = (await s.api('GET', '/v3/catalog/products?limit=250')).body.data as { categories: number[]; brand_id: number }[];
    const categories = new Set((await s.api('GET', '/v3/catalog/categories?limit=250')).body.data.map((c: any) => c.id));
    const brands = new Set((await s.api('GET', '/v3/catalog/brands?limit=250')).body.data.map((b: any) => b.id));
    expect(products.length).toBe(200);
    expect(products.flatMap((p) => p.categories).filter((id) => !categories.has(id))).toEqual([]);
    expect(products.map((p) => p.brand_id).filter((id) => id !== 0 && !brands.has(id))).toEqual([]);
    // The seed puts products in the leaves only: the category ids the seed can use are all leaves.
    const catalog = generateCatalog({ seed: 1, now: 0, products: 500, customers: 0 });
    const used = new Set(catalog.products.flatMap((p) => p.categories));
    const parents = new Set((await s.api('GET', '/v3/catalog/categories?limit=250')).body.data.map((c: any) => c.parent_id));
    expect([...used].filter((id) => parents.has(id))).toEqual([]);
  });

  it('gives the same seed the same families, and a reset restores them', async () => {
    const s = await start();
    const before = await s.api('GET', '/v3/catalog/brands?limit=250');
    const uuidsBefore = (await s.api('GET', '/v3/catalog/trees/categories?limit=250')).body.data.map((c: any) => c.category_uuid);
    await s.api('DELETE', '/v3/catalog/categories/1');
    await s.api('POST', '/v3/catalog/brands', { name: 'Gone after reset' });
    await s.api('PUT', '/v2/currencies/3', { is_default: true });
    expect((await s.control('POST', '/reset')).status).toBe(204);
    expect((await s.api('GET', '/v3/catalog/brands?limit=250')).body).toEqual(before.body);
    expect((await s.api('GET', '/v3/catalog/categories?limit=250')).body.meta.pagination.total).toBe(40);
    expect((await s.api('GET', '/v3/catalog/trees/categories?limit=250')).body.data.map((c: any) => c.category_uuid)).toEqual(uuidsBefore);
    expect((await s.api('GET', '/v2/store')).body.currency).toBe('USD');

    const other = await startTestSim({ deliver: async () => ({ status: 200, durationMs: 0 }) });
    try {
      expect((await other.api('GET', '/v3/catalog/brands?limit=250')).body).toEqual(before.body);
    } finally {
      await other.close();
    }
  });
});

describe('bc-harness sim --list-operations', () => {
  it('lists the hand-written routes and every declared operation with its document, as JSON', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(process.cwd(), 'bin/bc-harness.js'), 'sim', '--list-operations', '--json']);
    const table = JSON.parse(stdout);
    const declared = declaredOperations();
    const handWritten = table.operations.filter((o: any) => o.op === 'hand-written');
    expect(table.count).toBe(table.operations.length);
    expect(table.operations.filter((o: any) => o.op !== 'hand-written')).toEqual(declared);
    // The 44 operations served before the families, found in the express router, less
    // GET /v3/carts/{id} (now the carts family), plus the 8 added by hand with the rest of the
    // orders documents (consignments, quotes, fees, shipping address PUT, the delete-alls, one
    // refund), the 5 of /v2/hooks and the 4 catalog deletes and variant create (product by id and
    // by filter, variant create and delete).
    expect(handWritten.length).toBe(44 - 1 + 8 + 5 + 4);
    expect(handWritten.map((o: any) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['GET /v2/orders/{id}', 'PUT /v3/catalog/products', 'POST /v3/hooks']));
    expect(table.byFamily).toMatchObject({ 'store-information': 9, currencies: 6, channels: 24, sites: 11, categories: 23, brands: 15 });
  });
});

describe('declared families: brands and products agree', () => {
  it('lets a product name a brand created through /v3/catalog/brands, and refuses one deleted there', async () => {
    const s = await start();
    const created = await s.api('POST', '/v3/catalog/brands', { name: 'Harness Test Brand' });
    expect(created.status).toBe(200);
    const brandId = created.body.data.id as number;
    const productId = (await s.api('GET', '/v3/catalog/products?limit=1')).body.data[0].id as number;
    const named = await s.api('PUT', `/v3/catalog/products/${productId}`, { brand_id: brandId });
    expect(named.status).toBe(200);
    expect(named.body.data.brand_id).toBe(brandId);
    expect((await s.api('DELETE', '/v3/catalog/brands/1')).status).toBe(204);
    const gone = await s.api('PUT', `/v3/catalog/products/${productId}`, { brand_id: 1 });
    expect(gone.status).toBe(409);
    expect(gone.body.errors).toHaveProperty('brand_id');
  });
});
