/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/erp-inventory-record.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * One record of the legacy ERP's GET /inventory?since=ISO (DESIGN.md section 8): the stock of one item in one warehouse, changed since the watermark. Counts are in the item's stocking unit (uom); unitsPerUom converts to eaches. available is onHand minus allocated and goes negative when the ERP has oversold. Records the harness reads are open objects: the ERP may add columns.
 */
export interface ErpInventoryRecord {
  itemNo: string;
  warehouse: string;
  binLocation?: string;
  onHand: number;
  allocated: number;
  available: number;
  uom: 'EA' | 'PK' | 'CS';
  unitsPerUom: number;
  updatedAt: string;
  [k: string]: unknown;
}
