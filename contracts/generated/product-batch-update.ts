/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/product-batch-update.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of PUT /v3/catalog/products: a batch of product updates, each with its id. Mirrors products_catalog.v3.yml components.schemas.product_Put_Collection (allOf id + product_Base_PUT). At most 10 items; more gives 413 (facts section e). Only the fields an integration feeds from an ERP or PIM are declared; the body stays open for the rest. variants are no longer accepted in this body (2025-03, facts section g). brand_name is still accepted here although it left the product response in 2024-06.
 *
 * @minItems 1
 * @maxItems 10
 */
export type ProductBatchUpdate = ProductBatchUpdateItem[];

/**
 * One product update: id plus the fields to change.
 */
export interface ProductBatchUpdateItem {
  id: number;
  name?: string;
  sku?: string;
  price?: number;
  /**
   * 0 means no sale price.
   */
  sale_price?: number;
  cost_price?: number;
  retail_price?: number;
  /**
   * In the store's weight unit (Settings > Display).
   */
  weight?: number;
  is_visible?: boolean;
  availability?: 'available' | 'disabled' | 'preorder';
  /**
   * Creates the brand when it does not exist. Accepted on POST and PUT only (removed from the response in 2024-06).
   */
  brand_name?: string;
  upc?: string;
  mpn?: string;
  gtin?: string;
  [k: string]: unknown;
}
