/**
 * The worst-case catalog profile (`--catalog worst-case`) served over real HTTP: 600 variants paged
 * at the platform's 250, the 8-level category chain as a tree, Unicode round-tripping byte for
 * byte, and maximum lengths counted in characters (an emoji is one), accepted at the limit and
 * refused one character over with a 422 naming the field.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CUSTOMER_ADDRESSES, MAX_LENGTH, MAX_VARIANTS_PER_PRODUCT, WORST_CASE_CATEGORY_DEPTH } from '../../simulator/domain/worst-case-catalog.ts';
import { charLength } from '../../simulator/domain/text.ts';
import { useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const worstCase = () => start({ catalog: 'worst-case' });

describe('the worst-case catalog', () => {
  it('pages through the 600 variants of one product, 250 at a time', async () => {
    const s = await worstCase();
    const big = s.running.sim.store(s.hash)!.worstCase!.bigProductId;
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await s.api('GET', `/v3/catalog/products/${big}/variants?limit=250&page=${page}`));
    expect(pages.map((p) => p.body.data.length)).toEqual([250, 250, MAX_VARIANTS_PER_PRODUCT - 500]);
    expect(pages[0]!.body.meta.pagination).toMatchObject({ total: MAX_VARIANTS_PER_PRODUCT, total_pages: 3, per_page: 250 });
    const ids = pages.flatMap((p) => p.body.data.map((v: any) => v.id));
    expect(new Set(ids).size).toBe(MAX_VARIANTS_PER_PRODUCT);
    // Every combination of the three options once.
    expect(new Set(pages.flatMap((p) => p.body.data.map((v: any) => v.option_values.map((o: any) => o.id).join('-')))).size).toBe(MAX_VARIANTS_PER_PRODUCT);
    // A price list holds a record for every one of them.
    const records = [];
    for (let page = 1; page <= 3; page++) records.push(...(await s.api('GET', `/v3/pricelists/1/records?variant_id:in=${ids.slice((page - 1) * 250, page * 250).join(',')}&limit=250`)).body.data);
    expect(new Set(records.map((r: any) => r.variant_id)).size).toBe(MAX_VARIANTS_PER_PRODUCT);
  });

  it('serves the category chain as a tree 8 levels deep, and refuses a ninth level', async () => {
    const s = await worstCase();
    const tree = await s.api('GET', '/v3/catalog/trees/1/categories');
    expect(tree.status).toBe(200);
    const chain = s.running.sim.store(s.hash)!.worstCase!.categories;
    let node = tree.body.data.find((n: any) => n.id === chain[0]!.id);
    const names = [];
    while (node) {
      names.push(node.name);
      expect(node.depth).toBe(names.length);
      node = node.children[0];
    }
    expect(names).toEqual(chain.map((c) => c.name));
    expect(names).toHaveLength(WORST_CASE_CATEGORY_DEPTH);
    const ninth = await s.api('POST', '/v3/catalog/trees/categories', [{ name: 'Zu tief', parent_id: chain.at(-1)!.id, tree_id: 1 }]);
    expect(ninth.status).toBe(422);
    expect(JSON.stringify(ninth.body.errors)).toContain('parent_id');
  });

  it('round-trips Unicode names byte for byte, and accepts the maximum length in characters but not one more', async () => {
    const s = await worstCase();
    const extras = s.running.sim.store(s.hash)!.worstCase!;
    for (const id of extras.productIds.slice(1)) {
      const seeded = s.running.sim.store(s.hash)!.products.get(id)!;
      const got = await s.api('GET', `/v3/catalog/products/${id}`);
      expect(Buffer.from(got.body.data.name, 'utf8').equals(Buffer.from(seeded.name, 'utf8'))).toBe(true);
      expect(charLength(got.body.data.name)).toBe(MAX_LENGTH.productName);
      expect(charLength(got.body.data.sku)).toBe(MAX_LENGTH.productSku);
      // The same name and SKU back through PUT are accepted unchanged.
      const same = await s.api('PUT', `/v3/catalog/products/${id}`, { name: got.body.data.name, sku: got.body.data.sku });
      expect(same.status, same.text.slice(0, 300)).toBe(200);
      expect(same.body.data.name).toBe(seeded.name);
      // One character more (an emoji: two UTF-16 units, one character) is refused, naming the field.
      for (const field of ['name', 'sku'] as const) {
        const over = await s.api('PUT', `/v3/catalog/products/${id}`, { [field]: `${got.body.data[field]}🎁` });
        expect(over.status).toBe(422);
        expect(over.body.errors).toHaveProperty(field);
      }
    }
    // The emoji product's name is longer than 250 in UTF-16 units, and still accepted.
    const emoji = s.running.sim.store(s.hash)!.products.get(extras.productIds.at(-1)!)!;
    expect(emoji.name.length).toBeGreaterThan(MAX_LENGTH.productName);
  });

  it('gives each worst-case customer 10 addresses whose fields are at their maximum, Unicode intact', async () => {
    const s = await worstCase();
    const extras = s.running.sim.store(s.hash)!.worstCase!;
    const list = await s.api('GET', `/v3/customers?id:in=${extras.customerIds.join(',')}&include=addresses`);
    expect(list.body.data).toHaveLength(extras.customerIds.length);
    for (const c of list.body.data) {
      expect(c.addresses).toHaveLength(MAX_CUSTOMER_ADDRESSES);
      expect(charLength(c.first_name)).toBe(MAX_LENGTH.customerFirstName);
      expect(c.email.length).toBe(255);
      for (const a of c.addresses) {
        expect(charLength(a.address1)).toBe(MAX_LENGTH.address1);
        expect(charLength(a.city)).toBe(MAX_LENGTH.city);
      }
    }
    const first = list.body.data[0];
    const again = await s.api('PUT', '/v3/customers', [{ id: first.id, first_name: first.first_name, last_name: first.last_name, company: first.company }]);
    expect(again.status, again.text.slice(0, 300)).toBe(200);
    const over = await s.api('PUT', '/v3/customers', [{ id: first.id, first_name: `${first.first_name}x` }]);
    expect(over.status).toBe(422);
    expect(JSON.stringify(over.body.errors)).toContain('first_name');
    const address = first.addresses[0];
    const ok = await s.api('PUT', '/v3/customers/addresses', [{ id: address.id, address1: address.address1 }]);
    expect(ok.status, ok.text.slice(0, 300)).toBe(200);
    const tooLong = await s.api('PUT', '/v3/customers/addresses', [{ id: address.id, city: `${address.city}ü` }]);
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body.errors)).toContain('city');
  });

  it('is the same for the same seed', async () => {
    const a = await worstCase();
    const first = (await a.api('GET', `/v3/catalog/products?id:in=${a.running.sim.store(a.hash)!.worstCase!.productIds.join(',')}`)).text;
    await a.close();
    const b = await worstCase();
    expect((await b.api('GET', `/v3/catalog/products?id:in=${b.running.sim.store(b.hash)!.worstCase!.productIds.join(',')}`)).text).toBe(first);
  });
});
