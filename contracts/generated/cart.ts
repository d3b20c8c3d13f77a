/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/cart.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * A V3 cart: the `data` of GET /v3/carts/{cartId}, which an integration fetches after a store/cart/abandoned webhook (the payload names the cart, facts section c). Mirrors carts.v3.yml (bigcommerce/docs reference/, components.schemas Cart + BaseItem). carts.v3.yml is not among ../shared/bigcommerce-specs, so test/contracts/contracts-vs-spec.test.ts cannot compare this contract and says so. Amounts are numbers; the cart id is a UUID string; email is empty for a guest who has not reached checkout.
 */
export interface Cart {
  id: string;
  parent_id?: string | null;
  /**
   * 0 for a guest.
   */
  customer_id: number;
  email: string;
  currency: {
    code: string;
    [k: string]: unknown;
  };
  tax_included?: boolean;
  base_amount: number;
  discount_amount: number;
  /**
   * The cart total after discounts, before tax when tax_included is false.
   */
  cart_amount: number;
  coupons?: CartCoupon[];
  discounts?: CartDiscount[];
  line_items: {
    physical_items: CartLineItem[];
    digital_items: CartLineItem[];
    gift_certificates?: {
      [k: string]: unknown;
    }[];
    custom_items?: {
      [k: string]: unknown;
    }[];
    [k: string]: unknown;
  };
  created_time: string;
  updated_time: string;
  channel_id?: number;
  locale?: string;
  [k: string]: unknown;
}
/**
 * carts.v3.yml AppliedCoupon.
 *
 * This interface was referenced by `Cart`'s JSON-Schema
 * via the `definition` "coupon".
 */
export interface CartCoupon {
  id?: string;
  code: string;
  coupon_type?: string;
  discounted_amount?: number;
  display_name?: string;
  [k: string]: unknown;
}
/**
 * carts.v3.yml AppliedDiscount.
 *
 * This interface was referenced by `Cart`'s JSON-Schema
 * via the `definition` "discount".
 */
export interface CartDiscount {
  id?: string | number;
  discounted_amount?: number;
  [k: string]: unknown;
}
/**
 * carts.v3.yml BaseItem (physical items add is_require_shipping and gift_wrapping).
 *
 * This interface was referenced by `Cart`'s JSON-Schema
 * via the `definition` "item".
 */
export interface CartLineItem {
  id: string;
  parent_id?: string | null;
  variant_id: number;
  product_id: number;
  sku: string;
  name: string;
  url?: string;
  quantity: number;
  is_taxable?: boolean;
  image_url?: string;
  discount_amount?: number;
  coupon_amount?: number;
  original_price?: number;
  list_price: number;
  sale_price: number;
  extended_list_price?: number;
  extended_sale_price: number;
  is_require_shipping?: boolean;
  options?: CartLineItemOption[];
  [k: string]: unknown;
}
export interface CartLineItemOption {
  name?: string;
  nameId?: number;
  value?: string;
  valueId?: number | null;
  [k: string]: unknown;
}
