/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/order-product.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

import type { DecimalString } from './order.ts';

/**
 * A V2 order line as returned by GET /v2/orders/{order_id}/products(/{product_id}). Mirrors orders.v2.oas2.yml components.schemas.orderProducts (note: the spec closes that schema with additionalProperties: false; this contract stays open because the platform adds fields silently, facts section g). `required` lists the fields in every order-product example of the spec plus the identity fields the facts list (variant_id, upc, name_customer, name_merchant, product_options).
 */
export interface OrderProduct {
  id: number;
  order_id: number;
  /**
   * 0 for a custom product that is not in the catalog.
   */
  product_id: number;
  variant_id: number;
  /**
   * The order shipping address this line ships to; a shipment's order_address_id must match.
   */
  order_address_id: number;
  order_pickup_method_id?: number;
  name: string;
  name_customer: string;
  name_merchant: string;
  sku: string;
  upc: string;
  brand: string;
  type: 'physical' | 'digital' | 'giftcertificate';
  base_price: DecimalString;
  price_ex_tax: DecimalString;
  price_inc_tax: DecimalString;
  price_tax: DecimalString;
  base_total: DecimalString;
  total_ex_tax: DecimalString;
  total_inc_tax: DecimalString;
  total_tax: DecimalString;
  discounted_total_inc_tax?: DecimalString;
  base_cost_price: DecimalString;
  cost_price_inc_tax: DecimalString;
  cost_price_ex_tax: DecimalString;
  cost_price_tax: DecimalString;
  /**
   * The spec allows number or string; every spec example and the V2 API return a decimal string.
   */
  weight: DecimalString;
  width: DecimalString;
  height: DecimalString;
  depth: DecimalString;
  quantity: number;
  /**
   * The spec types it `number`; it is a count.
   */
  quantity_shipped: number;
  /**
   * The spec types it `number`; it is a count.
   */
  quantity_refunded: number;
  is_refunded: boolean;
  /**
   * @deprecated
   * Deprecated and always 0 (facts section d).
   */
  refund_amount: DecimalString;
  /**
   * The spec types it `number`; it is an id, 0 when none.
   */
  return_id: number;
  wrapping_id: number;
  wrapping_name: string | null;
  /**
   * The spec allows string or number; V2 returns a decimal string.
   */
  base_wrapping_cost: DecimalString;
  wrapping_cost_ex_tax: DecimalString;
  wrapping_cost_inc_tax: DecimalString;
  wrapping_cost_tax: DecimalString;
  wrapping_message: string;
  event_name?: string | null;
  event_date?: string | null;
  fixed_shipping_cost: DecimalString;
  ebay_item_id: string;
  ebay_transaction_id: string;
  option_set_id: number | null;
  /**
   * Set on the children of a bundle; null otherwise.
   */
  parent_order_product_id: number | null;
  is_bundled_product: boolean;
  bin_picking_number: string;
  external_id: string | null;
  gift_certificate_id?: number | null;
  applied_discounts: OrderProductAppliedDiscount[];
  product_options: OrderProductOption[];
  /**
   * Catalog-V2 stores only (facts section d).
   */
  configurable_fields?: OrderProductConfigurableField[];
  [k: string]: unknown;
}
/**
 * Spec orderProductAppliedDiscounts. A manual order discount is spread over the lines in proportion to price_ex_tax.
 *
 * This interface was referenced by `OrderProduct`'s JSON-Schema
 * via the `definition` "appliedDiscount".
 */
export interface OrderProductAppliedDiscount {
  /**
   * A string in the spec (e.g. "total-coupon"), not a number.
   */
  id: string;
  amount: DecimalString;
  name: string;
  /**
   * null for a manual discount.
   */
  code: string | null;
  target: 'order' | 'product';
  [k: string]: unknown;
}
/**
 * Spec orderProductOptions; the type values are from facts section d.
 *
 * This interface was referenced by `OrderProduct`'s JSON-Schema
 * via the `definition` "productOption".
 */
export interface OrderProductOption {
  id: number;
  option_id?: number;
  order_product_id: number;
  product_option_id: number;
  display_name: string;
  display_value: string;
  value: string;
  type:
    | 'Checkbox'
    | 'Date field'
    | 'File Upload'
    | 'Multi-line text field'
    | 'Multiple choice'
    | 'Product Pick List'
    | 'Swatch'
    | 'Text field';
  name: string;
  display_style: string;
  display_name_customer?: string;
  display_name_merchant?: string;
  display_value_customer?: string;
  display_value_merchant?: string;
  [k: string]: unknown;
}
/**
 * This interface was referenced by `OrderProduct`'s JSON-Schema
 * via the `definition` "configurableField".
 */
export interface OrderProductConfigurableField {
  name: string;
  value: string;
  [k: string]: unknown;
}
