/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/refund.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * A V3 order refund: the items of GET /v3/orders/{order_id}/payment_actions/refunds and GET /v3/orders/payment_actions/refunds(/{refund_id}). Mirrors orders.v3.yml components.schemas.Refund. Amounts are numbers (2 decimals), not V2 strings. A refund carries no currency: it is the order's. The webhook store/order/refund/created names the order and refund_id (facts section c).
 */
export interface Refund {
  id: number;
  order_id: number;
  /**
   * The control-panel user who refunded; 0 for an API refund.
   */
  user_id?: number;
  created: string;
  /**
   * Free text typed by the merchant (or given in the API request).
   */
  reason?: string;
  total_amount: number;
  /**
   * Can be negative when less was refunded than the tax collected.
   */
  total_tax?: number;
  uses_merchant_override_values?: boolean;
  /**
   * Empty when the refund was a tax adjustment.
   */
  items: RefundItem[];
  /**
   * @minItems 1
   */
  payments: RefundPayment[];
  [k: string]: unknown;
}
/**
 * Spec RefundItem. item_id is an order product id for PRODUCT and GIFT_WRAPPING, an order address id for SHIPPING and HANDLING, the order id for ORDER.
 *
 * This interface was referenced by `Refund`'s JSON-Schema
 * via the `definition` "item".
 */
export interface RefundItem {
  item_type: 'PRODUCT' | 'GIFT_WRAPPING' | 'SHIPPING' | 'HANDLING' | 'ORDER' | 'FEE';
  item_id: number;
  /**
   * Only for PRODUCT items.
   */
  quantity?: number;
  /**
   * The amount asked for an amount-bound item (SHIPPING, HANDLING, ORDER, FEE). Quantity-bound PRODUCT items are refunded by quantity and carry no requested amount, hence null.
   */
  requested_amount?: number | null;
  reason?: string;
  [k: string]: unknown;
}
/**
 * Spec RefundPayment: one payment provider's part of the refund.
 *
 * This interface was referenced by `Refund`'s JSON-Schema
 * via the `definition` "payment".
 */
export interface RefundPayment {
  id?: number;
  /**
   * e.g. storecredit, braintree, custom.
   */
  provider_id: string;
  amount: number;
  offline: boolean;
  is_declined?: boolean;
  declined_message?: string;
  transaction_id?: string;
  [k: string]: unknown;
}
