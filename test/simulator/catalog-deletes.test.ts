/**
 * Product and variant deletion, variant creation and the order transaction webhook (issue 13):
 * `DELETE /v3/catalog/products[/{id}]`, `POST` and `DELETE /v3/catalog/products/{id}/variants`,
 * each delivered over HTTP to a hook with the payload webhooks.v3.yml gives, the ledger lines they
 * write, the per-product records of the declared families gone with the product, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import type { TestSim } from '../support/simulator.ts';
import { ledgerOf } from '../support/family-sim.ts';
import { useWebhookWorld } from '../support/webhook-world.ts';

const { setup } = useWebhookWorld();

interface ProductWithVariants {
  id: number;
  sku: string;
  variants: { id: number; sku: string; option_values: { id: number; option_id: number }[] }[];
}

/** The seeded products with their variants: the first one with options (several variants) and the first without. */
async function catalog(sim: TestSim): Promise<{ withOptions: ProductWithVariants; simple: ProductWithVariants; all: ProductWithVariants[] }> {
  const all = (await sim.api('GET', '/v3/catalog/products?include=variants&limit=250')).body.data as ProductWithVariants[];
  return { withOptions: all.find((p) => p.variants.length > 1)!, simple: all.find((p) => p.variants.length === 1)!, all };
}

/** Scopes and data of the webhooks a receiver got, in arrival order. */
const delivered = (received: { body: any }[]) => received.map((r) => [r.body.scope, r.body.data]);

describe('DELETE /v3/catalog/products/{id}', () => {
  it('removes the product and its variants, raises store/product/deleted once and writes the ledger', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/product/*', destination: receiver.url })).status).toBe(200);
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/sku/*', destination: receiver.url })).status).toBe(200);
    const { withOptions } = await catalog(sim);
    const variantIds = withOptions.variants.map((v) => v.id);

    const res = await sim.api('DELETE', `/v3/catalog/products/${withOptions.id}`);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');

    expect((await sim.api('GET', `/v3/catalog/products/${withOptions.id}`)).status).toBe(404);
    expect((await sim.api('GET', `/v3/catalog/products/${withOptions.id}/variants`)).status).toBe(404);
    const left = (await sim.api('GET', `/v3/catalog/variants?id:in=${variantIds.join(',')}`)).body.data;
    expect(left).toEqual([]);
    expect((await sim.api('GET', `/v3/catalog/products?id:in=${withOptions.id}`)).body.data).toEqual([]);

    // One product event, nothing per variant (webhooks.v3.yml lists no SKU event for it).
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(delivered(receiver.received)).toEqual([['store/product/deleted', { type: 'product', id: withOptions.id }]]);
    const deletions = (await ledgerOf(sim, 'resource:deleted')).map((e) => [e.resource, e.id]);
    expect(deletions).toEqual([...variantIds.map((id) => ['variant', id]), ['product', withOptions.id]]);
    const events = (await ledgerOf(sim, 'webhook:event')).map((e) => e.scope);
    expect(events).toEqual(['store/product/deleted']);
  });

  it('answers 404 for an unknown or non-numeric id and changes nothing', async () => {
    const { sim } = await setup();
    const before = (await sim.api('GET', '/v3/catalog/products?limit=250')).body.data.length;
    const missing = await sim.api('DELETE', '/v3/catalog/products/987654');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, title: expect.stringContaining('not found') });
    expect((await sim.api('DELETE', '/v3/catalog/products/abc')).status).toBe(404);
    expect((await sim.api('GET', '/v3/catalog/products?limit=250')).body.data.length).toBe(before);
    expect(await ledgerOf(sim, 'resource:deleted')).toEqual([]);
  });

  it("takes the product's images, custom fields, metafields, options, modifiers and price records with it (404 after)", async () => {
    const { sim } = await setup();
    const { withOptions } = await catalog(sim);
    const id = withOptions.id;
    const variantId = withOptions.variants[0]!.id;
    // Records of every kind exist first, so the 404s after the delete are the delete's doing.
    const image = await sim.api('POST', `/v3/catalog/products/${id}/images`, { image_url: 'https://cdn.example.com/a.jpg' });
    expect(image.status, image.text).toBe(200);
    const custom = await sim.api('POST', `/v3/catalog/products/${id}/custom-fields`, { name: 'Material', value: 'Wool' });
    expect(custom.status, custom.text).toBe(200);
    const metafield = await sim.api('POST', `/v3/catalog/products/${id}/metafields`, { namespace: 'erp', key: 'id', value: '42', permission_set: 'write' });
    expect(metafield.status, metafield.text).toBe(200);
    const options = await sim.api('GET', `/v3/catalog/products/${id}/options`);
    expect(options.body.data.length).toBeGreaterThan(0);
    const record = await sim.api('PUT', `/v3/pricelists/1/records/${variantId}/USD`, { price: 9.5 });
    expect(record.status, record.text).toBe(200);
    expect((await sim.api('GET', `/v3/pricelists/1/records/${variantId}/USD`)).status).toBe(200);

    expect((await sim.api('DELETE', `/v3/catalog/products/${id}`)).status).toBe(204);

    for (const path of [
      `/v3/catalog/products/${id}/images`,
      `/v3/catalog/products/${id}/images/${image.body.data.id}`,
      `/v3/catalog/products/${id}/custom-fields`,
      `/v3/catalog/products/${id}/custom-fields/${custom.body.data.id}`,
      `/v3/catalog/products/${id}/metafields`,
      `/v3/catalog/products/${id}/metafields/${metafield.body.data.id}`,
      `/v3/catalog/products/${id}/options`,
      `/v3/catalog/products/${id}/options/${options.body.data[0].id}`,
      `/v3/catalog/products/${id}/modifiers`,
      `/v3/catalog/products/${id}/variants/${variantId}/metafields`,
      `/v3/pricelists/1/records/${variantId}/USD`,
    ]) {
      expect((await sim.api('GET', path)).status, `GET ${path}`).toBe(404);
    }
    const records = (await sim.api('GET', `/v3/pricelists/1/records?variant_id:in=${withOptions.variants.map((v) => v.id).join(',')}`)).body.data;
    expect(records).toEqual([]);
    // The batch metafield list of every product no longer shows the deleted product's.
    const all = (await sim.api('GET', '/v3/catalog/products/metafields?limit=250')).body.data as { resource_id: number }[];
    expect(all.some((m) => m.resource_id === id)).toBe(false);
  });

  it("leaves past orders' lines as they were", async () => {
    const { sim } = await setup();
    const order = (await sim.api('GET', '/v2/orders?limit=1')).body[0];
    const [line] = (await sim.api('GET', `/v2/orders/${order.id}/products`)).body;
    expect((await sim.api('DELETE', `/v3/catalog/products/${line.product_id}`)).status).toBe(204);
    const after = (await sim.api('GET', `/v2/orders/${order.id}/products`)).body;
    expect(after[0]).toEqual(line);
  });
});

describe('DELETE /v3/catalog/products?filters', () => {
  it('deletes the products id:in names, one store/product/deleted each', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/product/deleted', destination: receiver.url })).status).toBe(200);
    const { all } = await catalog(sim);
    const ids = [all[2]!.id, all[4]!.id];
    const res = await sim.api('DELETE', `/v3/catalog/products?id:in=${ids.join(',')}`);
    expect(res.status, res.text).toBe(204);
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(delivered(receiver.received).sort()).toEqual(ids.map((id) => ['store/product/deleted', { type: 'product', id }]).sort());
    const remaining = (await sim.api('GET', '/v3/catalog/products?limit=250')).body.data.map((p: { id: number }) => p.id);
    expect(remaining).toHaveLength(all.length - 2);
    for (const id of ids) expect(remaining).not.toContain(id);
  });

  it('leaves a store with no product that can still create one, which borrows nothing from a deleted product', async () => {
    const { sim } = await setup();
    const { all } = await catalog(sim);
    for (let i = 0; i < all.length; i += 100) {
      const ids = all.slice(i, i + 100).map((p) => p.id);
      expect((await sim.api('DELETE', `/v3/catalog/products?id:in=${ids.join(',')}`)).status).toBe(204);
    }
    expect((await sim.api('GET', '/v3/catalog/products')).body.data).toEqual([]);
    const created = await sim.api('POST', '/v3/catalog/products', { name: 'After the clear-out', type: 'physical', weight: 1, price: 9.5, sku: 'NEW-1' });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data).toMatchObject({ name: 'After the clear-out', sku: 'NEW-1', price: 9.5, categories: [], description: '', upc: '', brand_id: 0 });
    const variants = (await sim.api('GET', `/v3/catalog/products/${created.body.data.id}/variants`)).body.data;
    expect(variants).toMatchObject([{ product_id: created.body.data.id, sku: 'NEW-1', option_values: [] }]);
  });

  it('takes the list filters (a SKU here)', async () => {
    const { sim } = await setup();
    const { simple } = await catalog(sim);
    expect((await sim.api('DELETE', `/v3/catalog/products?sku=${encodeURIComponent(simple.sku)}`)).status).toBe(204);
    expect((await sim.api('GET', `/v3/catalog/products/${simple.id}`)).status).toBe(404);
  });

  it('refuses a delete with no filter (422 naming it) and keeps every product', async () => {
    const { sim } = await setup();
    const before = (await sim.api('GET', '/v3/catalog/products?limit=250')).body.data.length;
    for (const query of ['', '?limit=5', '?unknown=1']) {
      const res = await sim.api('DELETE', `/v3/catalog/products${query}`);
      expect(res.status, `DELETE /v3/catalog/products${query}`).toBe(422);
      expect(res.body).toMatchObject({ status: 422, errors: { filter: expect.stringContaining('id:in') } });
      expect(res.body.title).toMatch(/needs a filter/);
    }
    expect((await sim.api('GET', '/v3/catalog/products?limit=250')).body.data.length).toBe(before);
  });

  it('refuses a filter matching more than 250 products, deleting none', async () => {
    const { sim } = await setup({ products: 260 });
    const res = await sim.api('DELETE', '/v3/catalog/products?id:min=1');
    expect(res.status).toBe(422);
    expect(res.body.title).toMatch(/matches 260 products; at most 250/);
    expect((await sim.api('GET', '/v3/catalog/products?limit=1')).body.meta.pagination.total).toBe(260);
  });
});

describe('POST /v3/catalog/products/{id}/variants', () => {
  /** A new value of the product's first option, so there is a combination no variant has. */
  async function freshValue(sim: TestSim, product: ProductWithVariants): Promise<{ id: number; option_id: number; rest: { id: number; option_id: number }[] }> {
    const options = (await sim.api('GET', `/v3/catalog/products/${product.id}/options`)).body.data as { id: number; option_values: { id: number }[] }[];
    const made = await sim.api('POST', `/v3/catalog/products/${product.id}/options/${options[0]!.id}/values`, { label: 'XXL — Übergröße', sort_order: 9 });
    expect(made.status, made.text).toBe(200);
    return { id: made.body.data.id, option_id: options[0]!.id, rest: options.slice(1).map((o) => ({ id: o.option_values[0]!.id, option_id: o.id })) };
  }

  it('creates a variant of an unused combination, raises store/sku/created and is listed with the product', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/sku/created', destination: receiver.url })).status).toBe(200);
    const { withOptions } = await catalog(sim);
    const value = await freshValue(sim, withOptions);
    const res = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: 'XXL-NEW-1', price: 31.5, inventory_level: 7, option_values: [{ id: value.id, option_id: value.option_id }, ...value.rest] });
    expect(res.status, res.text).toBe(200);
    const variant = res.body.data;
    expect(variant).toMatchObject({ product_id: withOptions.id, sku: 'XXL-NEW-1', price: 31.5, calculated_price: 31.5, inventory_level: 7 });
    expect(variant.option_values).toContainEqual({ id: value.id, option_id: value.option_id, label: 'XXL — Übergröße', option_display_name: expect.any(String) });

    const listed = (await sim.api('GET', `/v3/catalog/products/${withOptions.id}/variants`)).body.data.map((v: { id: number }) => v.id);
    expect(listed).toEqual([...withOptions.variants.map((v) => v.id), variant.id]);
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(delivered(receiver.received)).toEqual([['store/sku/created', { type: 'sku', id: variant.id, sku: { product_id: withOptions.id, variant_id: variant.id } }]]);
    expect((await ledgerOf(sim, 'resource:created')).map((e) => [e.resource, e.id]).filter(([r]) => r === 'variant')).toEqual([['variant', variant.id]]);
    // Its stock counts in the product's.
    const product = (await sim.api('GET', `/v3/catalog/products/${withOptions.id}?include=variants`)).body.data;
    expect(product.inventory_level).toBe(product.variants.reduce((s: number, v: { inventory_level: number }) => s + v.inventory_level, 0));
  });

  it('refuses a duplicate SKU and a combination a variant already has (409), and values that are not the product’s (422)', async () => {
    const { sim } = await setup();
    const { withOptions, simple } = await catalog(sim);
    const existing = withOptions.variants[0]!;
    const value = await freshValue(sim, withOptions);
    const fresh = [{ id: value.id, option_id: value.option_id }, ...value.rest];

    const dupSku = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: existing.sku, option_values: fresh });
    expect(dupSku.status).toBe(409);
    expect(dupSku.body.errors).toHaveProperty('sku');
    const twin = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: 'TWIN-1', option_values: existing.option_values.map(({ id, option_id }) => ({ id, option_id })) });
    expect(twin.status).toBe(409);
    expect(twin.body.title).toContain(`Variant ${existing.id}`);

    const foreign = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: 'FOREIGN-1', option_values: [{ id: value.id, option_id: 999999 }] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toHaveProperty(['option_values[0].option_id']);
    const wrongValue = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: 'WRONG-1', option_values: [{ id: 999999, option_id: value.option_id }, ...value.rest] });
    expect(wrongValue.status).toBe(422);
    expect(wrongValue.body.errors).toHaveProperty(['option_values[0].id']);
    const partial = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { sku: 'HALF-1', option_values: [{ id: value.id, option_id: value.option_id }] });
    // The seeded products with options have two (Size, Colour), so naming one leaves the other out.
    expect(value.rest.length).toBeGreaterThan(0);
    expect(partial.status).toBe(422);
    expect(partial.body.errors).toHaveProperty('option_values');
    const noOptions = await sim.api('POST', `/v3/catalog/products/${simple.id}/variants`, { sku: 'NOOPT-1', option_values: [{ id: value.id, option_id: value.option_id }] });
    expect(noOptions.status).toBe(422);
    expect(noOptions.body.title).toMatch(/no variant options/);
    const noSku = await sim.api('POST', `/v3/catalog/products/${withOptions.id}/variants`, { option_values: fresh });
    expect(noSku.status).toBe(422);
    expect(noSku.body.errors).toHaveProperty('sku');
    expect((await sim.api('POST', '/v3/catalog/products/987654/variants', { sku: 'X-1', option_values: fresh })).status).toBe(404);
    // Nothing was made.
    expect((await sim.api('GET', `/v3/catalog/products/${withOptions.id}/variants`)).body.data).toHaveLength(withOptions.variants.length);
  });
});

describe('DELETE /v3/catalog/products/{id}/variants/{variant_id}', () => {
  it('deletes one variant, raises store/sku/deleted and keeps the product', async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/sku/deleted', destination: receiver.url })).status).toBe(200);
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/product/deleted', destination: receiver.url })).status).toBe(200);
    const { withOptions } = await catalog(sim);
    const [first, second] = withOptions.variants;
    const res = await sim.api('DELETE', `/v3/catalog/products/${withOptions.id}/variants/${second!.id}`);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(delivered(receiver.received)).toEqual([['store/sku/deleted', { type: 'sku', id: second!.id, sku: { product_id: withOptions.id, variant_id: second!.id } }]]);
    const product = (await sim.api('GET', `/v3/catalog/products/${withOptions.id}?include=variants`)).body.data;
    expect(product.variants.map((v: { id: number }) => v.id)).not.toContain(second!.id);
    expect(product.variants.map((v: { id: number }) => v.id)).toContain(first!.id);
    expect(product.inventory_level).toBe(product.variants.reduce((s: number, v: { inventory_level: number }) => s + v.inventory_level, 0));
    expect((await ledgerOf(sim, 'resource:deleted')).map((e) => [e.resource, e.id])).toEqual([['variant', second!.id]]);
  });

  it("refuses the product's last variant (422 naming it), and 404s a variant of another product", async () => {
    const { sim } = await setup();
    const { withOptions, simple } = await catalog(sim);
    const last = simple.variants[0]!.id;
    const res = await sim.api('DELETE', `/v3/catalog/products/${simple.id}/variants/${last}`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, errors: { variant_id: expect.stringContaining('last variant') } });
    expect(res.body.title).toContain(`Variant ${last}`);
    expect((await sim.api('GET', `/v3/catalog/products/${simple.id}/variants`)).body.data).toHaveLength(1);

    expect((await sim.api('DELETE', `/v3/catalog/products/${simple.id}/variants/${withOptions.variants[0]!.id}`)).status).toBe(404);
    expect((await sim.api('DELETE', `/v3/catalog/products/987654/variants/${last}`)).status).toBe(404);
    expect(await ledgerOf(sim, 'resource:deleted')).toEqual([]);
  });
});

describe('store/order/transaction/created', () => {
  it("is raised with the transaction's id for a shopper order's purchase and for a refund", async () => {
    const { sim, receiver } = await setup();
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/order/transaction/created', destination: receiver.url })).status).toBe(200);
    const [orderId] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 })).body.ids;
    await expect.poll(() => receiver.received.length).toBe(1);
    const [purchase] = (await sim.api('GET', `/v3/orders/${orderId}/transactions`)).body.data;
    expect(delivered(receiver.received)).toEqual([['store/order/transaction/created', { type: 'order', id: orderId, transaction: { id: purchase.id } }]]);

    const [line] = (await sim.api('GET', `/v2/orders/${orderId}/products`)).body;
    expect((await sim.api('POST', `/v3/orders/${orderId}/payment_actions/refunds`, { items: [{ item_type: 'PRODUCT', item_id: line.id, quantity: 1 }] })).status).toBe(201);
    await expect.poll(() => receiver.received.length).toBe(2);
    const refund = (await sim.api('GET', `/v3/orders/${orderId}/transactions`)).body.data.find((t: { event: string }) => t.event === 'refund');
    expect(refund.id).not.toBe(purchase.id);
    expect(delivered(receiver.received)[1]).toEqual(['store/order/transaction/created', { type: 'order', id: orderId, transaction: { id: refund.id } }]);
  });
});
