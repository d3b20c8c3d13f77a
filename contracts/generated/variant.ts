/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/variant.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * A V3 catalog variant: the `data` of GET /v3/catalog/products/{product_id}/variants/{variant_id}, the items of GET /v3/catalog/variants, and the items of a product's `variants` with include=variants. Mirrors product-variants_catalog.v3.yml components.schemas.productVariant_Full (allOf productVariant_Base). Nullable prices and dimensions mean "inherit from the product"; calculated_price / calculated_weight hold the effective values. `required` lists the fields in every variant response example of the spec.
 */
export interface Variant {
  id: number;
  product_id: number;
  sku: string;
  /**
   * Read-only V2 SKU id; null for a product's base variant.
   */
  sku_id: number | null;
  price: number | null;
  /**
   * Storefront price after sale_price and price rules.
   */
  calculated_price: number;
  sale_price: number | null;
  retail_price: number | null;
  /**
   * Minimum advertised price. Typed `number` in products_catalog.v3.yml productVariant_Full; missing from product-variants_catalog.v3.yml productVariant_Full although every variant example there has the key (with a placeholder value {}).
   */
  map_price: number;
  cost_price: number | null;
  weight: number | null;
  calculated_weight: number;
  width: number | null;
  height: number | null;
  depth: number | null;
  is_free_shipping: boolean;
  fixed_cost_shipping_price: number | null;
  purchasing_disabled: boolean;
  purchasing_disabled_message: string;
  image_url: string;
  upc: string | null;
  mpn: string | null;
  gtin: string | null;
  /**
   * Used when the product's inventory_tracking is "variant".
   */
  inventory_level: number | null;
  inventory_warning_level: number | null;
  bin_picking_number: string | null;
  /**
   * The option values that make up this variant; empty for the product's base variant.
   */
  option_values: VariantOptionValue[];
  [k: string]: unknown;
}
/**
 * Spec productVariantOptionValue_Full.
 *
 * This interface was referenced by `Variant`'s JSON-Schema
 * via the `definition` "optionValue".
 */
export interface VariantOptionValue {
  id: number;
  option_id: number;
  label: string;
  option_display_name: string;
  [k: string]: unknown;
}
