import type { OptionValue, V3Product, V3Variant } from './model.ts';

/**
 * A seeded variant: the product's prices and weight, no own dimensions or codes, as the control
 * panel makes one. One literal for the typical and the worst-case catalogs, so they cannot drift.
 */
export function seededVariant(v: { id: number; product: V3Product; sku: string; skuId: number | null; inventoryLevel: number; values: OptionValue[] }): V3Variant {
  const { product, values } = v;
  return {
    id: v.id,
    product_id: product.id,
    sku: v.sku,
    sku_id: v.skuId,
    price: null,
    calculated_price: product.price,
    sale_price: null,
    retail_price: null,
    map_price: null,
    cost_price: product.cost_price,
    weight: null,
    calculated_weight: product.weight,
    width: null,
    height: null,
    depth: null,
    is_free_shipping: false,
    fixed_cost_shipping_price: null,
    purchasing_disabled: false,
    purchasing_disabled_message: '',
    image_url: '',
    upc: '',
    mpn: '',
    gtin: '',
    inventory_level: v.inventoryLevel,
    inventory_warning_level: 0,
    bin_picking_number: '',
    option_values: values,
  };
}
