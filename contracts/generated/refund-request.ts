/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/refund-request.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of POST /v3/orders/{order_id}/payment_actions/refunds for an item refund. Mirrors orders.v3.yml components.schemas.RefundRequest_Post_Items (items + payments; the other branch, a tax adjustment, is not used by integrations here). An item is quantity-bound (PRODUCT, GIFT_WRAPPING: quantity) or amount-bound (ORDER, SHIPPING, HANDLING, TAX, FEE: amount), the spec's ItemsRefund oneOf. The platform refuses a refund over the refundable amount, which is the only guard against a replayed request: refunds have no external reference.
 */
export interface RefundRequest {
  /**
   * @minItems 1
   */
  items: RefundRequestItem[];
  /**
   * @minItems 1
   */
  payments: RefundRequestPayment[];
  [k: string]: unknown;
}
/**
 * This interface was referenced by `RefundRequest`'s JSON-Schema
 * via the `definition` "item".
 */
export interface RefundRequestItem {
  item_type: 'PRODUCT' | 'GIFT_WRAPPING' | 'ORDER' | 'SHIPPING' | 'HANDLING' | 'TAX' | 'FEE';
  /**
   * Order product id (PRODUCT, GIFT_WRAPPING), order address id (SHIPPING, HANDLING), order id (ORDER), fee id (FEE).
   */
  item_id: number;
  /**
   * Quantity-bound items only.
   */
  quantity?: number;
  /**
   * Amount-bound items only; a non-negative 2-decimal value.
   */
  amount?: number;
  reason?: string;
  [k: string]: unknown;
}
/**
 * This interface was referenced by `RefundRequest`'s JSON-Schema
 * via the `definition` "payment".
 */
export interface RefundRequestPayment {
  /**
   * A provider from POST .../refund_quotes, e.g. storecredit, or custom for an offline refund.
   */
  provider_id: string;
  amount: number;
  offline: boolean;
  [k: string]: unknown;
}
