/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/webhook-payload.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The light callback body POSTed to a hook's destination. Mirrors webhooks.v3.yml components.schemas.webhook_callback_base (scope, store_id, hash, created_at, producer) plus the `data` object each store_* callback schema adds (facts section c). It names the resource, it is not the resource: a receiver must fetch the record. `data.id` is required by neither the spec nor here because store/app/uninstalled and store/information/updated carry only data.type.
 */
export interface WebhookPayload {
  /**
   * The event, e.g. "store/order/statusUpdated".
   */
  scope: string;
  /**
   * Numeric store id, sent as a string.
   */
  store_id: string;
  data: WebhookPayloadData;
  /**
   * SHA-1 hex of the JSON-encoded payload; a duplicate firing carries the same hash, so receivers dedupe on it (facts section c).
   */
  hash: string;
  /**
   * Unix seconds.
   */
  created_at: number;
  /**
   * "stores/{store_hash}".
   */
  producer: string;
  [k: string]: unknown;
}
/**
 * What changed. type and id name the resource; the listed extras appear only for the scopes noted. Other scopes add other keys (e.g. store/hook/deliveryException sends error_code and a string `message`, which clashes with the object `message` of store/order/message/created, so neither is declared).
 *
 * This interface was referenced by `WebhookPayload`'s JSON-Schema
 * via the `definition` "data".
 */
export interface WebhookPayloadData {
  /**
   * order, product, sku, customer, cart, cart_line_item, shipment, category, subscriber, channel, ...
   */
  type: string;
  /**
   * An integer for orders, products, skus, customers and shipments; a UUID string for carts and cart line items.
   */
  id?: number | string;
  /**
   * store/order/statusUpdated.
   */
  status?: {
    previous_status_id: number;
    new_status_id: number;
    [k: string]: unknown;
  };
  /**
   * store/product/inventory/* and store/sku/inventory/*. method is absolute (API or control panel) or relative (an order); value is the signed delta (facts section c).
   */
  inventory?: {
    product_id: number;
    variant_id?: number;
    method: 'absolute' | 'relative';
    value: number;
    [k: string]: unknown;
  };
  /**
   * store/sku/*.
   */
  sku?: {
    product_id: number;
    variant_id: number;
    [k: string]: unknown;
  };
  /**
   * store/cart/converted and store/shipment/*.
   */
  orderId?: number;
  /**
   * store/cart/lineItem/*.
   */
  cartId?: string;
  /**
   * store/cart/couponApplied.
   */
  couponId?: number;
  /**
   * store/cart/abandoned (in the spec example; the events page omits it).
   */
  token?: string;
  /**
   * store/customer/address/*.
   */
  address?: {
    customer_id?: number;
    [k: string]: unknown;
  };
  /**
   * store/order/refund/created.
   */
  refund?: {
    refund_id?: number;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
