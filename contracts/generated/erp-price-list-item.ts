/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/erp-price-list-item.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * One record of the legacy ERP's GET /price-list?since=ISO (DESIGN.md section 8): the item master fields the web store needs, changed since the watermark. webId is the BigCommerce product id, stored on the item master when the product was first published (empty for items never published). Weights are in kilograms. Records the harness reads are open objects.
 */
export interface ErpPriceListItem {
  itemNo: string;
  webId: number | null;
  description: string;
  brand?: string;
  listPrice: number;
  /**
   * null when the item is not on sale.
   */
  salePrice: number | null;
  costPrice: number;
  currency: string;
  weightKg?: number | null;
  upc?: string;
  /**
   * ACTIVE sells, INACTIVE is temporarily withdrawn, DISCONTINUED will not come back.
   */
  status: 'ACTIVE' | 'INACTIVE' | 'DISCONTINUED';
  effectiveFrom?: string;
  updatedAt: string;
  [k: string]: unknown;
}
