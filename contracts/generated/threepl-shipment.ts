/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/threepl-shipment.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * One record of the 3PL's GET /shipments?since=ISO (DESIGN.md section 8): a parcel shipment of one consignment of a fulfilment order. carrier is the 3PL's own carrier code; tracking numbers can be longer than BigCommerce's 50 characters (freight and consolidated services) and tracking URLs longer than its 500. Records the harness reads are open objects.
 */
export interface ThreeplShipment {
  shipmentId: string;
  fulfillmentOrderRef: string;
  orderRef: string;
  consignmentRef: number;
  /**
   * UPS, FEDEX, USPS, DHL, ROYALMAIL, AUSPOST, CANADAPOST, DPD or another code the 3PL adds.
   */
  carrier: string;
  service?: string;
  trackingNumber: string;
  trackingUrl?: string;
  shippedAt: string;
  packages?: number;
  weightGrams?: number;
  /**
   * @minItems 1
   */
  lines: ThreeplShipmentLine[];
  updatedAt?: string;
  [k: string]: unknown;
}
export interface ThreeplShipmentLine {
  lineRef: number;
  sku?: string;
  quantity: number;
  [k: string]: unknown;
}
