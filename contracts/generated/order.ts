/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/order.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * V2 dates, always UTC, e.g. "Tue, 05 Mar 2019 21:40:11 +0000" (facts section d).
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "rfc2822Date".
 */
export type Rfc2822Date = string;
/**
 * An RFC-2822 date, or "" until the event happens: date_shipped is "" until the order is fully shipped (facts section d).
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "rfc2822DateOrEmpty".
 */
export type Rfc2822DateOrEmpty = string;
/**
 * V2 money values and rates are strings such as "62.6793" (facts section d). Other V2 contracts reference this definition.
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "decimalString".
 */
export type DecimalString = string;

/**
 * A V2 order as returned by GET /v2/orders/{order_id} and in the GET /v2/orders array. Mirrors orders.v2.oas2.yml components.schemas.order_Resp (allOf order_RespOnly + order_Shared). Money and rates are decimal strings, dates are RFC-2822 strings (facts section d). `required` lists the fields present in every order example of the spec, plus currency_code (misspelled in one example) and custom_status (in every example, missing from the schema).
 */
export interface Order {
  id: number;
  /**
   * 0 for a guest checkout. The spec types it `number`; it is always a whole id.
   */
  customer_id: number;
  date_created: Rfc2822Date;
  date_modified: Rfc2822Date;
  date_shipped: Rfc2822DateOrEmpty;
  /**
   * 0 Incomplete ... 14 Partially Refunded (facts section d, status ids).
   */
  status_id: number;
  status: string;
  /**
   * Merchant label of the status. In every order example of the spec but not in its schema.
   */
  custom_status: string;
  cart_id: string;
  channel_id: number;
  subtotal_ex_tax: DecimalString;
  subtotal_inc_tax: DecimalString;
  subtotal_tax: DecimalString;
  base_shipping_cost: DecimalString;
  shipping_cost_ex_tax: DecimalString;
  shipping_cost_inc_tax: DecimalString;
  shipping_cost_tax: DecimalString;
  shipping_cost_tax_class_id: number;
  base_handling_cost: DecimalString;
  handling_cost_ex_tax: DecimalString;
  handling_cost_inc_tax: DecimalString;
  handling_cost_tax: DecimalString;
  handling_cost_tax_class_id: number;
  base_wrapping_cost: DecimalString;
  wrapping_cost_ex_tax: DecimalString;
  wrapping_cost_inc_tax: DecimalString;
  wrapping_cost_tax: DecimalString;
  wrapping_cost_tax_class_id: number;
  total_ex_tax: DecimalString;
  total_inc_tax: DecimalString;
  total_tax: DecimalString;
  is_tax_inclusive_pricing: boolean;
  /**
   * The spec types it `number`; it is a count.
   */
  items_total: number;
  /**
   * The spec types it `number`; it is a count.
   */
  items_shipped: number;
  /**
   * Free string since the enum was removed in 2024 (facts section g).
   */
  payment_method: string;
  /**
   * External transaction id of the payment provider; "" when none. The spec allows string or number.
   */
  payment_provider_id: string | number;
  payment_status:
    | 'authorized'
    | 'captured'
    | 'capture pending'
    | 'declined'
    | 'held for review'
    | 'paid'
    | 'partially refunded'
    | 'pending'
    | 'refunded'
    | 'void'
    | 'void pending'
    | '';
  refunded_amount: DecimalString;
  order_is_digital: boolean;
  store_credit_amount: DecimalString;
  gift_certificate_amount: DecimalString;
  ip_address: string;
  ip_address_v6?: string;
  geoip_country: string;
  geoip_country_iso2: string;
  currency_id: number;
  currency_code: string;
  currency_exchange_rate: DecimalString;
  default_currency_id: number;
  default_currency_code: string;
  /**
   * Only meaningful with multi-currency; the spec example shows "".
   */
  store_default_currency_code: string;
  store_default_to_transactional_exchange_rate: DecimalString;
  staff_notes: string;
  customer_message: string;
  discount_amount: DecimalString;
  coupon_discount: DecimalString;
  /**
   * The spec types it `number`; it is a count.
   */
  shipping_address_count: number;
  ebay_order_id: string;
  billing_address: OrderBillingAddress;
  is_email_opt_in: boolean;
  order_source: string;
  external_source: string | null;
  external_id: string | null;
  external_merchant_id: string | null;
  external_order_id: string;
  tax_provider_id: string;
  customer_locale: string;
  /**
   * Added 2024-09 (facts section g); absent from the spec's examples, so not required here.
   */
  is_deleted?: boolean;
  products: ResourceLink;
  shipping_addresses: ResourceLink;
  coupons: ResourceLink;
  /**
   * The spec types it as oneOf a {url, resource} link or the fee array; its examples and the facts show the array (with include=fees).
   */
  fees?: OrderFee[] | ResourceLink;
  /**
   * Only with include=consignments. A {url, resource} link, or with consignment_structure=object the consignment object (kept loose: its shape belongs to /orders/{id}/consignments).
   */
  consignments?: ResourceLink | OrderConsignments;
  [k: string]: unknown;
}
/**
 * Spec billingAddress_Resp (billingAddress_Base + form_fields).
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "billingAddress".
 */
export interface OrderBillingAddress {
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
  form_fields: FormField[];
  [k: string]: unknown;
}
/**
 * Checkout custom field on an address (spec formFields).
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "formField".
 */
export interface FormField {
  name: string;
  value: string | number | string[];
  [k: string]: unknown;
}
/**
 * V2 sub-resource link, e.g. {url: "https://api.bigcommerce.com/stores/{hash}/v2/orders/218/products", resource: "/orders/218/products"}.
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "resourceLink".
 */
export interface ResourceLink {
  url: string;
  resource: string;
  [k: string]: unknown;
}
/**
 * Spec orderFees_Resp. The spec allows string or number for the costs; V2 returns strings.
 *
 * This interface was referenced by `Order`'s JSON-Schema
 * via the `definition` "fee".
 */
export interface OrderFee {
  id: number;
  type: 'custom_fee';
  display_name_customer: string;
  display_name_merchant: string;
  source: string;
  base_cost: DecimalString;
  cost_ex_tax: DecimalString;
  cost_inc_tax: DecimalString;
  cost_tax: DecimalString;
  /**
   * null means the store's default fee tax class.
   */
  tax_class_id: number | null;
  [k: string]: unknown;
}
export interface OrderConsignments {
  pickups?: {
    [k: string]: unknown;
  }[];
  shipping?: {
    [k: string]: unknown;
  }[];
  downloads?: {
    [k: string]: unknown;
  }[];
  [k: string]: unknown;
}
