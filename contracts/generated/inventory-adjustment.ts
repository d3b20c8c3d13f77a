/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/inventory-adjustment.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of PUT /v3/inventory/adjustments/absolute: set the stock of items at a location to a count. Mirrors inventory.v3.yml components.schemas.AdjustmentsAbsoluteRequest. Each item names one of sku, variant_id or product_id (the spec's oneOf); that rule lives in the description rather than in an anyOf so the item's fields stay comparable with the spec. Limits from facts section e: at most 2,000 items per request, at most 2,147,483,647 per location; processing is asynchronous and absolute adjustments cannot fail for insufficient stock.
 */
export interface InventoryAdjustment {
  /**
   * Free text shown in the inventory history, e.g. "ERP stock sync".
   */
  reason?: string;
  /**
   * @minItems 1
   * @maxItems 2000
   */
  items: InventoryAdjustmentItem[];
  [k: string]: unknown;
}
/**
 * One item: its location and its new absolute quantity, identified by sku, variant_id or product_id (one of them).
 *
 * This interface was referenced by `InventoryAdjustment`'s JSON-Schema
 * via the `definition` "item".
 */
export interface InventoryAdjustmentItem {
  /**
   * Inventory location; 1 is the default location of a store without multi-location inventory.
   */
  location_id: number;
  sku?: string;
  variant_id?: number;
  product_id?: number;
  /**
   * The new count. Absolute adjustments cannot go below 0; the Inventory API rejects counts over 2,147,483,647 (facts section e).
   */
  quantity: number;
  [k: string]: unknown;
}
