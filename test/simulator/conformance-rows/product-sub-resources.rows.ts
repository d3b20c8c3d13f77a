/**
 * Conformance rows of the product sub-resource families (issue 13): images, custom fields, bulk
 * pricing rules, product and variant metafields (family `product-details`), options, modifiers
 * and their values (family `product-options`). Run by
 * test/simulator/families-conformance-product-sub-resources.test.ts (row.ts says how tables work).
 */
import type { TestSim } from '../../support/simulator.ts';
import { created, type DocumentException, type Row, type RowTable } from './row.ts';

let unique = 0;
const next = () => ++unique;
const P = '/v3/catalog/products';

/** A product with variants (made of options) from the seeded catalog, and one of its variants. */
async function productWithVariants(sim: TestSim): Promise<{ productId: number; variantId: number; optionId: number; valueId: number }> {
  const list = await created(sim, 'GET', `${P}?include=variants&limit=250`);
  const p = list.data.find((x: any) => x.variants.length > 1);
  if (!p) throw new Error('Setup: the seeded catalog has no product with option variants');
  const v = p.variants[0];
  return { productId: p.id, variantId: v.id, optionId: v.option_values[0].option_id, valueId: v.option_values[0].id };
}

const image = () => ({ image_url: `https://images.example.com/upload/shoe-${next()}.jpg`, description: 'Schuh — Seitenansicht ✓', sort_order: 2 });
const field = () => ({ name: `Material ${next()}`, value: 'Wolle — 100 %' });
const metafield = () => ({ namespace: 'erp', key: `ext-id-${next()}`, value: `SAP-${unique} — ü`, permission_set: 'write', description: 'The ERP material number' });
const option = () => ({ display_name: `Größe ${next()}`, type: 'dropdown', sort_order: 1, option_values: [{ label: 'Klein', sort_order: 0, is_default: true }, { label: 'Groß', sort_order: 1 }] });
const modifier = () => ({ display_name: `Gravur ${next()}`, type: 'radio_buttons', required: false, option_values: [{ label: 'Ohne', sort_order: 0, is_default: true }, { label: 'Mit Gravur', sort_order: 1, adjusters: { price: { adjuster: 'relative', adjuster_value: 5 } } }] });
/** A fresh bulk pricing range on product 10, which has no seeded rules (each row takes its own quantities, so none overlap). */
const rule = () => {
  const n = next() * 1000;
  return { quantity_min: n, quantity_max: n + 99, type: 'price', amount: 1.5 };
};

const rows: Row[] = [
  // ---- images ----
  { op: 'GET /v3/catalog/products/{product_id}/images', send: (sim) => sim.api('GET', `${P}/1/images`) },
  { op: 'POST /v3/catalog/products/{product_id}/images', send: (sim) => sim.api('POST', `${P}/1/images`, image()) },
  { op: 'GET /v3/catalog/products/{product_id}/images/{image_id}', send: (sim) => sim.api('GET', `${P}/1/images/1`) },
  { op: 'PUT /v3/catalog/products/{product_id}/images/{image_id}', send: (sim) => sim.api('PUT', `${P}/1/images/1`, { description: 'Vorderansicht', is_thumbnail: true }) },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/images/{image_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/images`, image());
      return sim.api('DELETE', `${P}/1/images/${made.data.id}`);
    },
  },

  // ---- custom fields ----
  { op: 'GET /v3/catalog/products/{product_id}/custom-fields', send: (sim) => sim.api('GET', `${P}/1/custom-fields`) },
  { op: 'POST /v3/catalog/products/{product_id}/custom-fields', send: (sim) => sim.api('POST', `${P}/1/custom-fields`, field()) },
  {
    op: 'GET /v3/catalog/products/{product_id}/custom-fields/{custom_field_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/custom-fields`, field());
      return sim.api('GET', `${P}/1/custom-fields/${made.data.id}`);
    },
  },
  {
    op: 'PUT /v3/catalog/products/{product_id}/custom-fields/{custom_field_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/custom-fields`, field());
      return sim.api('PUT', `${P}/1/custom-fields/${made.data.id}`, { value: 'Baumwolle' });
    },
  },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/custom-fields/{custom_field_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/custom-fields`, field());
      return sim.api('DELETE', `${P}/1/custom-fields/${made.data.id}`);
    },
  },

  // ---- bulk pricing rules ----
  { op: 'GET /v3/catalog/products/{product_id}/bulk-pricing-rules', send: (sim) => sim.api('GET', `${P}/1/bulk-pricing-rules`) },
  { op: 'POST /v3/catalog/products/{product_id}/bulk-pricing-rules', send: (sim) => sim.api('POST', `${P}/10/bulk-pricing-rules`, rule()) },
  { op: 'GET /v3/catalog/products/{product_id}/bulk-pricing-rules/{bulk_pricing_rule_id}', send: (sim) => sim.api('GET', `${P}/1/bulk-pricing-rules/1`) },
  { op: 'PUT /v3/catalog/products/{product_id}/bulk-pricing-rules/{bulk_pricing_rule_id}', send: (sim) => sim.api('PUT', `${P}/1/bulk-pricing-rules/2`, { amount: 12 }) },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/bulk-pricing-rules/{bulk_pricing_rule_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/10/bulk-pricing-rules`, rule());
      return sim.api('DELETE', `${P}/10/bulk-pricing-rules/${made.data.id}`);
    },
  },

  // ---- product metafields ----
  {
    op: 'GET /v3/catalog/products/{product_id}/metafields',
    send: async (sim) => {
      await created(sim, 'POST', `${P}/1/metafields`, metafield());
      return sim.api('GET', `${P}/1/metafields`);
    },
  },
  { op: 'POST /v3/catalog/products/{product_id}/metafields', send: (sim) => sim.api('POST', `${P}/1/metafields`, metafield()) },
  {
    op: 'GET /v3/catalog/products/{product_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/metafields`, metafield());
      return sim.api('GET', `${P}/1/metafields/${made.data.id}`);
    },
  },
  {
    op: 'PUT /v3/catalog/products/{product_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/metafields`, metafield());
      return sim.api('PUT', `${P}/1/metafields/${made.data.id}`, { value: 'SAP-neu' });
    },
  },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/metafields`, metafield());
      return sim.api('DELETE', `${P}/1/metafields/${made.data.id}`);
    },
  },

  {
    op: 'GET /v3/catalog/products/metafields',
    send: async (sim) => {
      await created(sim, 'POST', `${P}/2/metafields`, metafield());
      return sim.api('GET', `${P}/metafields`);
    },
  },
  { op: 'POST /v3/catalog/products/metafields', send: (sim) => sim.api('POST', `${P}/metafields`, [{ ...metafield(), resource_id: 2 }, { ...metafield(), resource_id: 3 }]) },
  {
    op: 'PUT /v3/catalog/products/metafields',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/metafields`, [{ ...metafield(), resource_id: 2 }]);
      return sim.api('PUT', `${P}/metafields`, [{ id: made.data[0].id, value: 'batch-neu' }]);
    },
  },
  {
    op: 'DELETE /v3/catalog/products/metafields',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/metafields`, [{ ...metafield(), resource_id: 2 }]);
      return sim.api('DELETE', `${P}/metafields`, [made.data[0].id]);
    },
  },

  // ---- variant metafields ----
  {
    op: 'GET /v3/catalog/products/{product_id}/variants/{variant_id}/metafields',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      await created(sim, 'POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
      return sim.api('GET', `${P}/${productId}/variants/${variantId}/metafields`);
    },
  },
  {
    op: 'POST /v3/catalog/products/{product_id}/variants/{variant_id}/metafields',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      return sim.api('POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
    },
  },
  {
    op: 'GET /v3/catalog/products/{product_id}/variants/{variant_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      const made = await created(sim, 'POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
      return sim.api('GET', `${P}/${productId}/variants/${variantId}/metafields/${made.data.id}`);
    },
  },
  {
    op: 'PUT /v3/catalog/products/{product_id}/variants/{variant_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      const made = await created(sim, 'POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
      return sim.api('PUT', `${P}/${productId}/variants/${variantId}/metafields/${made.data.id}`, { value: 'EAN-neu' });
    },
  },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/variants/{variant_id}/metafields/{metafield_id}',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      const made = await created(sim, 'POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
      return sim.api('DELETE', `${P}/${productId}/variants/${variantId}/metafields/${made.data.id}`);
    },
  },
  {
    op: 'GET /v3/catalog/variants/metafields',
    send: async (sim) => {
      const { productId, variantId } = await productWithVariants(sim);
      await created(sim, 'POST', `${P}/${productId}/variants/${variantId}/metafields`, metafield());
      return sim.api('GET', '/v3/catalog/variants/metafields');
    },
  },
  {
    op: 'POST /v3/catalog/variants/metafields',
    send: async (sim) => {
      const { variantId } = await productWithVariants(sim);
      return sim.api('POST', '/v3/catalog/variants/metafields', [{ ...metafield(), resource_id: variantId }]);
    },
  },
  {
    op: 'PUT /v3/catalog/variants/metafields',
    send: async (sim) => {
      const { variantId } = await productWithVariants(sim);
      const made = await created(sim, 'POST', '/v3/catalog/variants/metafields', [{ ...metafield(), resource_id: variantId }]);
      return sim.api('PUT', '/v3/catalog/variants/metafields', [{ id: made.data[0].id, value: 'batch-neu' }]);
    },
  },
  {
    op: 'DELETE /v3/catalog/variants/metafields',
    send: async (sim) => {
      const { variantId } = await productWithVariants(sim);
      const made = await created(sim, 'POST', '/v3/catalog/variants/metafields', [{ ...metafield(), resource_id: variantId }]);
      return sim.api('DELETE', '/v3/catalog/variants/metafields', [made.data[0].id]);
    },
  },

  // ---- options and their values ----
  {
    op: 'GET /v3/catalog/products/{product_id}/options',
    send: async (sim) => {
      const { productId } = await productWithVariants(sim);
      return sim.api('GET', `${P}/${productId}/options`);
    },
  },
  { op: 'POST /v3/catalog/products/{product_id}/options', send: (sim) => sim.api('POST', `${P}/1/options`, option()) },
  {
    op: 'GET /v3/catalog/products/{product_id}/options/{option_id}',
    send: async (sim) => {
      const { productId, optionId } = await productWithVariants(sim);
      return sim.api('GET', `${P}/${productId}/options/${optionId}`);
    },
  },
  {
    op: 'PUT /v3/catalog/products/{product_id}/options/{option_id}',
    send: async (sim) => {
      const { productId, optionId } = await productWithVariants(sim);
      return sim.api('PUT', `${P}/${productId}/options/${optionId}`, { display_name: `Size ${next()}`, sort_order: 3 });
    },
  },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/options/{option_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/options`, option());
      return sim.api('DELETE', `${P}/1/options/${made.data.id}`);
    },
  },
  {
    op: 'GET /v3/catalog/products/{product_id}/options/{option_id}/values',
    send: async (sim) => {
      const { productId, optionId } = await productWithVariants(sim);
      return sim.api('GET', `${P}/${productId}/options/${optionId}/values`);
    },
  },
  {
    op: 'POST /v3/catalog/products/{product_id}/options/{option_id}/values',
    send: async (sim) => {
      const { productId, optionId } = await productWithVariants(sim);
      return sim.api('POST', `${P}/${productId}/options/${optionId}/values`, { label: `XXL ${next()}`, sort_order: 9 });
    },
  },
  {
    op: 'GET /v3/catalog/products/{product_id}/options/{option_id}/values/{value_id}',
    send: async (sim) => {
      const { productId, optionId, valueId } = await productWithVariants(sim);
      return sim.api('GET', `${P}/${productId}/options/${optionId}/values/${valueId}`);
    },
  },
  {
    op: 'PUT /v3/catalog/products/{product_id}/options/{option_id}/values/{value_id}',
    send: async (sim) => {
      const { productId, optionId, valueId } = await productWithVariants(sim);
      return sim.api('PUT', `${P}/${productId}/options/${optionId}/values/${valueId}`, { label: `Petit ${next()}` });
    },
  },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/options/{option_id}/values/{value_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/options`, option());
      const value = made.data.option_values[1];
      return sim.api('DELETE', `${P}/1/options/${made.data.id}/values/${value.id}`);
    },
  },

  // ---- modifiers and their values ----
  { op: 'GET /v3/catalog/products/{product_id}/modifiers', send: (sim) => sim.api('GET', `${P}/1/modifiers`) },
  { op: 'POST /v3/catalog/products/{product_id}/modifiers', send: (sim) => sim.api('POST', `${P}/1/modifiers`, modifier()) },
  { op: 'GET /v3/catalog/products/{product_id}/modifiers/{modifier_id}', send: (sim) => sim.api('GET', `${P}/1/modifiers/2`) },
  { op: 'PUT /v3/catalog/products/{product_id}/modifiers/{modifier_id}', send: (sim) => sim.api('PUT', `${P}/1/modifiers/1`, { display_name: `Engraving ${next()}`, required: true }) },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/modifiers/{modifier_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/modifiers`, modifier());
      return sim.api('DELETE', `${P}/1/modifiers/${made.data.id}`);
    },
  },
  { op: 'GET /v3/catalog/products/{product_id}/modifiers/{modifier_id}/values', send: (sim) => sim.api('GET', `${P}/1/modifiers/2/values`) },
  { op: 'POST /v3/catalog/products/{product_id}/modifiers/{modifier_id}/values', send: (sim) => sim.api('POST', `${P}/1/modifiers/2/values`, { label: `Premium ${next()}`, sort_order: 5, adjusters: { price: { adjuster: 'percentage', adjuster_value: 10 } } }) },
  { op: 'GET /v3/catalog/products/{product_id}/modifiers/{modifier_id}/values/{value_id}', send: (sim) => sim.api('GET', `${P}/1/modifiers/2/values/2`) },
  { op: 'PUT /v3/catalog/products/{product_id}/modifiers/{modifier_id}/values/{value_id}', send: (sim) => sim.api('PUT', `${P}/1/modifiers/2/values/2`, { label: `Geschenk ${next()}` }) },
  {
    op: 'DELETE /v3/catalog/products/{product_id}/modifiers/{modifier_id}/values/{value_id}',
    send: async (sim) => {
      const made = await created(sim, 'POST', `${P}/1/modifiers`, modifier());
      return sim.api('DELETE', `${P}/1/modifiers/${made.data.id}/values/${made.data.option_values[1].id}`);
    },
  },
];

/**
 * A `oneOf` of two alternatives that both accept any object (neither requires nor forbids a
 * property) can never pass: the image answers are checked against the `application/json`
 * alternative, the one the simulator serves (created from `image_url`), by giving the body an
 * `image_file` only the `multipart/form-data` alternative types as a string.
 */
const imageOneOf: DocumentException = {
  reason: "products_catalog.v3.yml answers an image create or update with a oneOf of its application/json and multipart/form-data shapes; neither requires a property, so every object matches both and the oneOf fails. The row checks the application/json alternative.",
  adapt: (body) => ({ ...body, data: { ...body.data, image_file: 0 } }),
};

const DOCUMENT_EXCEPTIONS: Record<string, DocumentException> = {
  'POST /v3/catalog/products/{product_id}/images': imageOneOf,
  'PUT /v3/catalog/products/{product_id}/images/{image_id}': imageOneOf,
  'GET /v3/catalog/products/{product_id}/bulk-pricing-rules': {
    reason: 'products_catalog.v3.yml types the list of a product\'s bulk pricing rules as one rule object (`data: {...}`) while it is a list like every other list; the row reads product 1, which has two seeded rules, and checks the first against that schema.',
    adapt: (body) => ({ ...body, data: body.data[0] }),
  },
};

export const table: RowTable = { name: 'product sub-resources', rows, exceptions: DOCUMENT_EXCEPTIONS };
