/**
 * Seeded data that hangs together (issue 13), checked through the API over real HTTP, for the
 * default (typical) catalog and the worst-case one: every id a seeded record names resolves to a
 * record the API serves.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../simulator/domain/seed.ts';
import { useFamilySim } from '../support/family-sim.ts';
import type { TestSim } from '../support/simulator.ts';

const { start } = useFamilySim();

/** Every record of a V3 list, page by page. */
async function v3All(s: TestSim, path: string, limit = 250): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await s.api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&page=${page}`);
    expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
    out.push(...res.body.data);
    if (page >= res.body.meta.pagination.total_pages) return out;
  }
}

/** Every record of a V2 list (204 when a page is empty). */
async function v2All(s: TestSim, path: string): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await s.api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=250&page=${page}`);
    if (res.status === 204) return out;
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    out.push(...res.body);
    if (res.body.length < 250) return out;
  }
}

async function expectCoherent(s: TestSim) {
  const products = await v3All(s, '/v3/catalog/products');
  const variants = await v3All(s, '/v3/catalog/variants');
  const categoryIds = new Set((await v3All(s, '/v3/catalog/trees/categories')).map((c) => c.category_id));
  const brandIds = new Set((await v3All(s, '/v3/catalog/brands')).map((b) => b.id));
  const variantIds = new Set(variants.map((v) => v.id));
  expect(products.length).toBeGreaterThan(0);
  for (const p of products) {
    for (const c of p.categories) expect(categoryIds.has(c), `product ${p.id} names category ${c}`).toBe(true);
    expect(p.brand_id === 0 || brandIds.has(p.brand_id), `product ${p.id} names brand ${p.brand_id}`).toBe(true);
  }

  // Customers are in groups that exist (0 is the platform's "no group"), and have addresses.
  const groups = new Set((await v2All(s, '/v2/customer_groups')).map((g) => g.id));
  const customers = await v3All(s, '/v3/customers');
  const addresses = await v3All(s, '/v3/customers/addresses');
  const addressed = new Set(addresses.map((a) => a.customer_id));
  for (const c of customers) {
    expect(c.customer_group_id === 0 || groups.has(c.customer_group_id), `customer ${c.id} is in group ${c.customer_group_id}`).toBe(true);
    expect(addressed.has(c.id), `customer ${c.id} has an address`).toBe(true);
  }
  expect(customers.some((c) => c.customer_group_id > 0)).toBe(true);

  // Price lists are assigned to groups that exist; their records name variants that exist.
  const assignments = await v3All(s, '/v3/pricelists/assignments');
  expect(assignments.length).toBeGreaterThan(0);
  for (const a of assignments) expect(groups.has(a.customer_group_id), `assignment ${a.id} names group ${a.customer_group_id}`).toBe(true);
  const lists = await v3All(s, '/v3/pricelists');
  let records = 0;
  for (const list of lists) {
    for (const r of await v3All(s, `/v3/pricelists/${list.id}/records`)) {
      records++;
      expect(variantIds.has(r.variant_id), `price list ${list.id} names variant ${r.variant_id}`).toBe(true);
    }
  }
  expect(records).toBeGreaterThan(0);

  // Shipped past orders (Shipped 2, Completed 10) have the shipments that shipped their physical lines.
  const orders = await v2All(s, '/v2/orders');
  const shipped = orders.filter((o) => o.status_id === 2 || o.status_id === 10);
  expect(shipped.length, 'the seed has shipped orders').toBeGreaterThan(0);
  for (const o of shipped) {
    const lines: any[] = (await s.api('GET', `/v2/orders/${o.id}/products`)).body;
    const physical = lines.filter((l) => l.type !== 'digital');
    const shipments = await s.api('GET', `/v2/orders/${o.id}/shipments`);
    if (physical.length === 0) continue;
    expect(shipments.status, `order ${o.id} has shipments`).toBe(200);
    const shippedQty = new Map<number, number>();
    for (const sh of shipments.body) {
      for (const item of sh.items) {
        const line = physical.find((l) => l.id === item.order_product_id);
        expect(line, `shipment ${sh.id} item names a line of order ${o.id}`).toBeDefined();
        expect(item.product_id).toBe(line.product_id);
        shippedQty.set(line.id, (shippedQty.get(line.id) ?? 0) + item.quantity);
      }
    }
    for (const l of physical) expect(shippedQty.get(l.id), `order ${o.id} line ${l.id} shipped`).toBe(l.quantity);
  }

  // Some products, customers and orders carry metafields, on records that exist.
  const productIds = new Set(products.map((p) => p.id));
  const customerIds = new Set(customers.map((c) => c.id));
  const orderIds = new Set(orders.map((o) => o.id));
  for (const [path, owners] of [['/v3/catalog/products/metafields', productIds], ['/v3/customers/metafields', customerIds], ['/v3/orders/metafields', orderIds]] as const) {
    const fields = await v3All(s, path);
    expect(fields.length, path).toBeGreaterThan(0);
    for (const m of fields) expect(owners.has(m.resource_id), `${path}: ${m.resource_id}`).toBe(true);
  }

  // Stock per location adds up to each variant's inventory_level.
  const items = await v3All(s, '/v3/inventory/items', 1000);
  const byVariant = new Map(items.map((i) => [i.identity.variant_id, i.locations.reduce((sum: number, l: any) => sum + l.total_inventory_onhand, 0)]));
  for (const v of variants) expect(byVariant.get(v.id), `variant ${v.id} stock`).toBe(v.inventory_level);
  return { products, variants, customers, addresses, lists };
}

describe('seeded data that hangs together', () => {
  it('the typical seed: products in categories and brands that exist, customers in groups with addresses, priced variants, shipped orders with shipments, metafields, stock per location', async () => {
    const s = await start({ pastOrders: 20 });
    await expectCoherent(s);
  });

  it('the worst-case seed keeps the same rules, with the deep chain, the 600-variant product and the 10-address customers', async () => {
    const s = await start({ pastOrders: 20, catalog: 'worst-case' });
    const { products, variants, customers, addresses } = await expectCoherent(s);
    expect(products).toHaveLength(60 + 5);
    const big = products.find((p) => variants.filter((v) => v.product_id === p.id).length === 600);
    expect(big, 'a product with 600 variants').toBeDefined();
    const worstCustomers = customers.filter((c) => addresses.filter((a) => a.customer_id === c.id).length === 10);
    expect(worstCustomers).toHaveLength(4);
  });

  it('the typical catalog is the same, byte for byte, as before the worst-case profile existed', () => {
    // Fingerprints taken before worst-case-catalog.ts was added; a change here changes every run's data.
    const fingerprint = (c: unknown) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const now = Date.UTC(2025, 0, 15);
    expect(fingerprint(generateCatalog({ seed: 1, now }))).toBe('ac0cf730df743d02dd93f06cc0896f6ce6151cb57586cf701313f5dfe021294d');
    expect(fingerprint(generateCatalog({ seed: 42, now, products: 30, customers: 12 }))).toBe('a01d8ee7e6eda5859f0139f5b774456bd9f3187219bf1dd57377ec0cfa4b5510');
    expect(fingerprint(generateCatalog({ seed: 1, now, catalog: 'typical' }))).toBe('ac0cf730df743d02dd93f06cc0896f6ce6151cb57586cf701313f5dfe021294d');
    // The worst case starts with the typical records and is the same for the same seed.
    const worst = generateCatalog({ seed: 42, now, products: 30, customers: 12, catalog: 'worst-case' });
    const { worstCase: _extras, ...rest } = worst;
    expect(fingerprint({ ...rest, products: rest.products.slice(0, 30), variants: rest.variants.filter((v) => v.product_id <= 30), options: rest.options.filter((o) => o.product_id <= 30), customers: rest.customers.slice(0, 12) })).toBe('a01d8ee7e6eda5859f0139f5b774456bd9f3187219bf1dd57377ec0cfa4b5510');
    expect(fingerprint(generateCatalog({ seed: 42, now, products: 30, customers: 12, catalog: 'worst-case' }))).toBe(fingerprint(worst));
  });
});
