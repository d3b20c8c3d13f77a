/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/order-update.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of PUT /v2/orders/{order_id}. Mirrors orders.v2.oas2.yml components.schemas.order_Put, which requires nothing. Only the fields a back-office system writes are declared (status, notes, external references); the body stays open for the rest. payment_status is not writable through this body.
 */
export interface OrderUpdate {
  /**
   * 0 Incomplete ... 14 Partially Refunded (facts section d, status ids).
   */
  status_id?: number;
  /**
   * Visible to staff only. One field for the whole order: a write replaces what staff typed.
   */
  staff_notes?: string;
  customer_message?: string;
  /**
   * Free string since the enum was removed in 2024 (facts section g).
   */
  payment_method?: string;
  external_id?: string | null;
  external_source?: string | null;
  external_order_id?: string | null;
  [k: string]: unknown;
}
