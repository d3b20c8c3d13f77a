/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/threepl-fulfillment-order.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The 3PL's fulfilment order: the body of PUT /fulfillment-orders/{externalId} (an upsert, DESIGN.md section 8). One per store order; each consignment is one delivery address with the lines that go there, shipped and tracked separately (the 3PL's shipments name the consignment). Weights in whole grams, ISO 3166-1 alpha-2 countries, a service level from the 3PL's list. Closed objects: the 3PL refuses unknown fields.
 */
export interface ThreeplFulfillmentOrder {
  /**
   * BC-<order id>: the idempotency key of the upsert.
   */
  externalId: string;
  orderRef: string;
  orderDate: string;
  customerEmail?: string;
  /**
   * Printed on the packing slip.
   */
  instructions?: string;
  /**
   * Customs value of the goods (order total including tax).
   */
  declaredValue?: number;
  currency?: string;
  /**
   * @minItems 1
   * @maxItems 10
   */
  consignments: ThreeplConsignment[];
}
/**
 * This interface was referenced by `ThreeplFulfillmentOrder`'s JSON-Schema
 * via the `definition` "consignment".
 */
export interface ThreeplConsignment {
  /**
   * The BigCommerce order address id; comes back on the 3PL's shipments.
   */
  consignmentRef: number;
  shipTo: ThreeplAddress;
  serviceLevel: 'STANDARD' | 'EXPRESS' | 'FREIGHT' | 'PICKUP';
  /**
   * @minItems 1
   */
  lines: ThreeplLine[];
}
/**
 * This interface was referenced by `ThreeplFulfillmentOrder`'s JSON-Schema
 * via the `definition` "address".
 */
export interface ThreeplAddress {
  name: string;
  company?: string;
  address1: string;
  address2?: string;
  city: string;
  state?: string;
  postalCode: string;
  country: string;
  phone?: string;
  email?: string;
}
/**
 * This interface was referenced by `ThreeplFulfillmentOrder`'s JSON-Schema
 * via the `definition` "line".
 */
export interface ThreeplLine {
  /**
   * The BigCommerce order product id; comes back on the 3PL's shipments.
   */
  lineRef: number;
  sku: string;
  description?: string;
  quantity: number;
  unitWeightGrams?: number;
  /**
   * Personalisation the picker must see (engraving text, chosen options).
   */
  options?: string;
}
