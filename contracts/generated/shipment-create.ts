/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/shipment-create.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

import type { DecimalString } from './order.ts';

/**
 * The body of POST /v2/orders/{order_id}/shipments. Mirrors orders.v2.oas2.yml components.schemas.orderShipment_Post. order_address_id and items are required by the platform (facts section f) although the spec's schema lists no required fields. A shipment has no external reference field, so an integration must keep its own map from the carrier's shipment to the shipment id to stay idempotent.
 */
export interface ShipmentCreate {
  /**
   * The order shipping address shipped to (GET /v2/orders/{id}/shipping_addresses).
   */
  order_address_id: number;
  /**
   * @minItems 1
   */
  items: ShipmentCreateItem[];
  tracking_number?: string;
  /**
   * Custom tracking URL; when empty the platform generates one from tracking_carrier.
   */
  tracking_link?: string;
  /**
   * "" or an AfterShip courier slug (facts section f).
   */
  tracking_carrier?: string;
  /**
   * "", auspost, canadapost, endicia, usps, fedex, ups, upsready, upsonline, shipperhq, royalmail, or carrier_{id} (facts section f). The spec's anyOf includes a free-string branch, so no enum here.
   */
  shipping_provider?: string;
  shipping_method?: string;
  comments?: string;
  /**
   * Added 2024-08 (facts section g).
   */
  merchant_shipping_cost?: DecimalString;
  [k: string]: unknown;
}
/**
 * This interface was referenced by `ShipmentCreate`'s JSON-Schema
 * via the `definition` "item".
 */
export interface ShipmentCreateItem {
  order_product_id: number;
  quantity: number;
  [k: string]: unknown;
}
