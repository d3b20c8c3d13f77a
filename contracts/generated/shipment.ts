/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/shipment.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

import type { DecimalString, Rfc2822Date } from './order.ts';

/**
 * A V2 order shipment as returned by GET /v2/orders/{order_id}/shipments(/{shipment_id}) and POST (201). Mirrors orders.v2.oas2.yml components.schemas.orderShipment; maxLengths come from orderShipment_Post and facts section f (the response schema states none). Every field is in every spec example, so all are required.
 */
export interface Shipment {
  id: number;
  order_id: number;
  customer_id: number;
  /**
   * The order shipping address shipped to; required on POST (facts section f).
   */
  order_address_id: number;
  date_created: Rfc2822Date;
  tracking_number: string;
  /**
   * Added 2024-08 (facts section g).
   */
  merchant_shipping_cost: DecimalString;
  shipping_method: string;
  /**
   * "", auspost, canadapost, endicia, usps, fedex, ups, upsready, upsonline, shipperhq, royalmail, or carrier_{id} for a third-party carrier (facts section f). The spec's anyOf includes a free-string branch, so no enum here.
   */
  shipping_provider: string;
  /**
   * "" or an AfterShip carrier slug (facts section f).
   */
  tracking_carrier: string;
  /**
   * The custom tracking link given on POST/PUT; see generated_tracking_link for the provider's link.
   */
  tracking_link: string;
  comments: string;
  billing_address: ShipmentAddress;
  shipping_address: ShipmentAddress;
  items: ShipmentItem[];
  shipping_provider_display_name: string;
  generated_tracking_link: string;
  [k: string]: unknown;
}
/**
 * Spec billingAddress_Base / shippingAddress_Base: the address fields without ids, costs or form fields.
 *
 * This interface was referenced by `Shipment`'s JSON-Schema
 * via the `definition` "address".
 */
export interface ShipmentAddress {
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  phone: string;
  email: string;
  [k: string]: unknown;
}
/**
 * This interface was referenced by `Shipment`'s JSON-Schema
 * via the `definition` "item".
 */
export interface ShipmentItem {
  order_product_id: number;
  product_id: number;
  quantity: number;
  [k: string]: unknown;
}
