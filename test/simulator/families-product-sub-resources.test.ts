/**
 * Behaviour of the product sub-resource families through real HTTP: images, custom fields, bulk
 * pricing rules, product and variant metafields, options and modifiers with their values, all
 * hanging off the store's own products and variants; `include=` of them on the product routes;
 * validation naming the field, the 404 of a product that does not exist, the ledger records and
 * the `store/product/updated` each change raises.
 */
import { describe, expect, it } from 'vitest';
import { call, type TestSim } from '../support/simulator.ts';
import { ledgerOf, useFamilySim } from '../support/family-sim.ts';

const { start } = useFamilySim();
const ledger = ledgerOf;
const events = async (s: TestSim, scope: string) => (await ledger(s, 'webhook:event')).filter((e) => e.scope === scope).map((e) => e.data);

const P = '/v3/catalog/products';

/** A seeded product whose variants are made of options. */
async function optionProduct(s: TestSim): Promise<any> {
  const list = await s.api('GET', `${P}?include=variants&limit=250`);
  return list.body.data.find((p: any) => p.variants.length > 1);
}

describe('product sub-resources', () => {
  it("answer 404 for a product that does not exist, even for an empty list, and never show another product's records", async () => {
    const s = await start();
    for (const path of ['images', 'custom-fields', 'bulk-pricing-rules', 'metafields', 'options', 'modifiers']) {
      const res = await s.api('GET', `${P}/99999/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.title).toContain('product');
    }
    expect((await s.api('POST', `${P}/99999/custom-fields`, { name: 'a', value: 'b' })).status).toBe(404);
    // Every metafield owner's list checks its owner too.
    expect((await s.api('GET', '/v3/catalog/categories/99999/metafields')).status).toBe(404);
    // Product 1's seeded image is not product 2's.
    expect((await s.api('GET', `${P}/2/images/1`)).status).toBe(404);
    expect((await s.api('GET', `${P}/1/images/1`)).body.data).toMatchObject({ id: 1, product_id: 1, is_thumbnail: true });
  });

  it('make images from image_url with CDN addresses, keep one thumbnail, refuse an upload naming image_url, and raise store/product/updated', async () => {
    const s = await start();
    const made = await s.api('POST', `${P}/3/images`, { image_url: 'https://images.example.com/a/blue shoe.png', is_thumbnail: true });
    expect(made.status, made.text).toBe(200);
    expect(made.body.data).toMatchObject({ product_id: 3, is_thumbnail: true, image_url: 'https://images.example.com/a/blue shoe.png', image_file: 'a/blue_shoe.png' });
    expect(made.body.data.url_standard).toBe(`https://cdn11.bigcommerce.com/s-${s.hash}/products/3/images/${made.body.data.id}/blue_shoe__${made.body.data.id}.500.659.png?c=1`);
    // The old thumbnail gave it up.
    const images = (await s.api('GET', `${P}/3/images`)).body.data;
    expect(images.filter((i: any) => i.is_thumbnail).map((i: any) => i.id)).toEqual([made.body.data.id]);
    // A multipart upload is not JSON (the pipeline refuses it, as every route); an image_file without image_url is refused naming image_url.
    const upload = await call(`${s.url}/stores/${s.hash}${P}/3/images`, 'POST', { 'x-auth-token': s.token, 'content-type': 'multipart/form-data; boundary=x', accept: 'application/json' }, '--x\r\nContent-Disposition: form-data; name="image_file"; filename="a.jpg"\r\n\r\nJPEG\r\n--x--\r\n');
    expect(upload.status).toBe(400);
    expect(upload.body.title).toContain('Send a JSON body');
    const fileOnly = await s.api('POST', `${P}/3/images`, { image_file: 'a.jpg' });
    expect(fileOnly.status).toBe(422);
    expect(fileOnly.body.errors.image_url).toContain('send image_url');
    expect((await s.api('POST', `${P}/3/images`, { image_url: 'not a url' })).body.errors).toHaveProperty('image_url');
    expect(await events(s, 'store/product/updated')).toContainEqual({ type: 'product', id: 3 });
    const created = (await ledger(s, 'resource:created')).filter((e) => e.resource === 'product-image');
    expect(created.map((e) => e.id)).toEqual([made.body.data.id]);
  });

  it('validate custom fields and bulk pricing rules like the platform, naming the field', async () => {
    const s = await start();
    const long = await s.api('POST', `${P}/11/custom-fields`, { name: 'x'.repeat(251), value: '' });
    expect(long.status).toBe(422);
    expect(Object.keys(long.body.errors).sort()).toEqual(['name', 'value']);
    const field = await s.api('POST', `${P}/11/custom-fields`, { name: 'Material', value: 'Kork' });
    expect(field.body.data).toEqual({ id: field.body.data.id, name: 'Material', value: 'Kork' });
    expect((await s.api('GET', `${P}/11/custom-fields?name=Material`)).body.data.map((f: any) => f.value)).toEqual(['Kork']);

    // Product 1 has the seeded 10-49 and 50+ rules.
    const overlap = await s.api('POST', `${P}/1/bulk-pricing-rules`, { quantity_min: 40, quantity_max: 60, type: 'price', amount: 1 });
    expect(overlap.status).toBe(422);
    expect(overlap.body.errors.quantity_min).toContain('overlaps');
    expect((await s.api('POST', `${P}/10/bulk-pricing-rules`, { quantity_min: 20, quantity_max: 5, type: 'price', amount: 1 })).body.errors).toHaveProperty('quantity_max');
    expect((await s.api('POST', `${P}/10/bulk-pricing-rules`, { quantity_min: 2, quantity_max: 0, type: 'percent', amount: 150 })).body.errors).toHaveProperty('amount');
    expect((await s.api('POST', `${P}/10/bulk-pricing-rules`, { quantity_min: 2, quantity_max: 0, type: 'cheap', amount: 1 })).body.errors).toHaveProperty('type');
    const ok = await s.api('POST', `${P}/10/bulk-pricing-rules`, { quantity_min: 2, quantity_max: 0, type: 'fixed', amount: 9.5 });
    expect(ok.body.data).toEqual({ id: ok.body.data.id, quantity_min: 2, quantity_max: 0, type: 'fixed', amount: 9.5 });
    // Updating a rule into its neighbour's range is refused too.
    expect((await s.api('PUT', `${P}/1/bulk-pricing-rules/1`, { quantity_max: 70 })).status).toBe(422);
  });

  it('are included on the product routes when asked, and include_fields still projects', async () => {
    const s = await start();
    await s.api('POST', `${P}/1/custom-fields`, { name: 'Farbe', value: 'Rot' });
    const one = await s.api('GET', `${P}/1?include=images,custom_fields,bulk_pricing_rules,options,modifiers`);
    const data = one.body.data;
    expect(data.images.map((i: any) => i.id)).toEqual([1]);
    expect(data.custom_fields.map((f: any) => f.name)).toContain('Farbe');
    expect(data.bulk_pricing_rules.map((r: any) => [r.quantity_min, r.quantity_max])).toEqual([
      [10, 49],
      [50, 0],
    ]);
    expect(data.modifiers.map((m: any) => m.display_name)).toEqual(['Engraving', 'Gift wrap']);
    expect(data.modifiers[1].option_values.map((v: any) => v.label)).toEqual(['No wrapping', 'Gift wrap']);
    expect(data).not.toHaveProperty('variants');
    const plain = (await s.api('GET', `${P}/1`)).body.data;
    expect(plain).not.toHaveProperty('images');
    const list = await s.api('GET', `${P}?include=variants,options&id:in=1,2`);
    expect(list.body.data.map((p: any) => [p.id, Array.isArray(p.variants), Array.isArray(p.options)])).toEqual([
      [1, true, true],
      [2, true, true],
    ]);
    const projected = await s.api('GET', `${P}/1?include=images&include_fields=name`);
    expect(Object.keys(projected.body.data).sort()).toEqual(['id', 'name']);
    const excluded = await s.api('GET', `${P}/1?include=images&exclude_fields=images,description`);
    expect(excluded.body.data).not.toHaveProperty('images');
    expect(excluded.body.data).toHaveProperty('name');
  });
});

describe('product options and modifiers', () => {
  it("are seeded as the variants' options, refuse a duplicate name, and cannot be deleted while variants use them", async () => {
    const s = await start();
    const product = await optionProduct(s);
    const options = (await s.api('GET', `${P}/${product.id}/options`)).body.data;
    const used = product.variants.flatMap((v: any) => v.option_values.map((ov: any) => [ov.option_id, ov.id, ov.label]));
    for (const [optionId, valueId, label] of used) {
      const option = options.find((o: any) => o.id === optionId);
      expect(option.option_values.find((v: any) => v.id === valueId)?.label).toBe(label);
    }
    const dup = await s.api('POST', `${P}/${product.id}/options`, { display_name: options[0].display_name, type: 'dropdown', option_values: [{ label: 'A', sort_order: 0 }] });
    expect(dup.status).toBe(422);
    expect(dup.body.errors).toHaveProperty('display_name');
    const del = await s.api('DELETE', `${P}/${product.id}/options/${options[0].id}`);
    expect(del.status).toBe(422);
    expect(del.body.title).toContain('delete those variants first');
    expect((await s.api('DELETE', `${P}/${product.id}/options/${options[0].id}/values/${options[0].option_values[0].id}`)).status).toBe(422);
    // An option of another product is not this product's.
    expect((await s.api('GET', `${P}/1/options/${options[0].id}`)).status).toBe(product.id === 1 ? 200 : 404);
  });

  it('make values with an option, keep one default and unique labels, and delete them with it', async () => {
    const s = await start();
    const repeated = await s.api('POST', `${P}/5/options`, { display_name: 'Länge', type: 'rectangles', option_values: [{ label: 'Kurz', sort_order: 0 }, { label: 'kurz', sort_order: 1 }] });
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors).toHaveProperty('option_values[1].label');
    expect((await s.api('GET', `${P}/5/options`)).body.data.map((o: any) => o.display_name)).not.toContain('Länge');

    const made = await s.api('POST', `${P}/5/options`, { display_name: 'Länge', type: 'rectangles', option_values: [{ label: 'Kurz', sort_order: 0, is_default: true }, { label: 'Lang', sort_order: 1 }] });
    expect(made.status, made.text).toBe(200);
    const [kurz, lang] = made.body.data.option_values;
    expect([kurz.label, kurz.is_default, lang.label, lang.is_default]).toEqual(['Kurz', true, 'Lang', false]);
    const path = `${P}/5/options/${made.body.data.id}/values`;
    expect((await s.api('POST', path, { label: 'LANG', sort_order: 2 })).body.errors).toHaveProperty('label');
    await s.api('PUT', `${path}/${lang.id}`, { is_default: true });
    expect((await s.api('GET', path)).body.data.map((v: any) => [v.label, v.is_default])).toEqual([
      ['Kurz', false],
      ['Lang', true],
    ]);
    expect((await s.api('DELETE', `${P}/5/options/${made.body.data.id}`)).status).toBe(204);
    expect((await s.api('GET', `${path}/${lang.id}`)).status).toBe(404);
    const deleted = (await ledger(s, 'resource:deleted')).filter((e) => e.resource === 'product-option-value').map((e) => e.id);
    expect(deleted.sort()).toEqual([kurz.id, lang.id].sort());
    expect((await events(s, 'store/product/updated')).every((d) => d.id === 5)).toBe(true);
  });

  it('take values only on list-type modifiers, with price adjusters, and require `required`', async () => {
    const s = await start();
    const noRequired = await s.api('POST', `${P}/1/modifiers`, { display_name: 'Notiz', type: 'text' });
    expect(noRequired.status).toBe(422);
    expect(noRequired.body.errors).toHaveProperty('required');
    expect((await s.api('POST', `${P}/1/modifiers`, { display_name: 'Notiz', type: 'text', required: false, option_values: [{ label: 'x', sort_order: 0 }] })).status).toBe(422);
    // Modifier 1 is the seeded text engraving: no values.
    const onText = await s.api('POST', `${P}/1/modifiers/1/values`, { label: 'x', sort_order: 0 });
    expect(onText.status).toBe(422);
    expect(onText.body.errors).toHaveProperty('option_id');
    const value = await s.api('POST', `${P}/1/modifiers/2/values`, { label: 'Luxus', sort_order: 3, adjusters: { price: { adjuster: 'relative', adjuster_value: 12 } } });
    expect(value.body.data).toMatchObject({ option_id: 2, label: 'Luxus', adjusters: { price: { adjuster: 'relative', adjuster_value: 12 } } });
    expect((await s.api('GET', `${P}/2/modifiers/2/values`)).status).toBe(404);
  });
});

describe('product and variant metafields', () => {
  it("keep a product's and a variant's metafields apart, and a variant belongs to its product", async () => {
    const s = await start();
    const product = await optionProduct(s);
    const variant = product.variants[0];
    const field = { namespace: 'erp', key: 'id', value: 'M-1', permission_set: 'write' };
    const onProduct = await s.api('POST', `${P}/${product.id}/metafields`, field);
    expect(onProduct.body.data).toMatchObject({ resource_type: 'product', resource_id: product.id });
    const onVariant = await s.api('POST', `${P}/${product.id}/variants/${variant.id}/metafields`, field);
    expect(onVariant.status, onVariant.text).toBe(200);
    expect(onVariant.body.data).toMatchObject({ resource_type: 'variant', resource_id: variant.id });
    expect((await s.api('POST', `${P}/${product.id}/metafields`, field)).status).toBe(409);
    const other = product.id === 1 ? 2 : 1;
    expect((await s.api('GET', `${P}/${other}/variants/${variant.id}/metafields`)).status).toBe(404);
    expect((await s.api('GET', '/v3/catalog/variants/metafields')).body.data.map((m: any) => m.id)).toEqual([onVariant.body.data.id]);
    // The product batch route is not taken for product "metafields" by the product routes.
    // The namespace leaves out the seeded ERP connector's metafields (metafields.ts).
    expect((await s.api('GET', `${P}/metafields?namespace=erp`)).body.data.map((m: any) => m.id)).toEqual([onProduct.body.data.id]);
    expect((await s.api('PUT', `${P}/metafields`, [{ id: onProduct.body.data.id, value: 'M-2' }])).body.data[0].value).toBe('M-2');
    expect((await s.api('GET', `${P}/abc`)).status).toBe(404);
    const unknown = await s.api('POST', '/v3/catalog/variants/metafields', [{ ...field, key: 'k2', resource_id: 999999 }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toHaveProperty('[0].resource_id');
  });
});
