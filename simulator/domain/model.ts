/**
 * The simulator's resources, held in the platform's own response shapes (V2 orders with money
 * as 4-decimal strings and RFC-2822 dates; V3 catalog and customers with numbers and ISO dates),
 * so rendering a response is serialising the object. Field names follow
 * ../shared/bigcommerce-specs/current (orders.v2.oas2.yml order_Resp, orderProducts,
 * orderShippingAddress, orderShipment; products_catalog.v3.yml; customers.v3.yml; webhooks.v3.yml).
 */
import type { PlanName } from '../../lib/plans.ts';

export type Scope = string;

export interface ApiAccount {
  name: string;
  clientId: string;
  accessToken: string;
  scopes: Scope[];
}

export interface FormField {
  name: string;
  value: string;
}

export interface Address {
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
}

export interface BillingAddress extends Address {
  form_fields: FormField[];
}

export interface ResourceLink {
  url: string;
  resource: string;
}

export interface V2Order {
  id: number;
  customer_id: number;
  date_created: string;
  date_modified: string;
  date_shipped: string;
  status_id: number;
  status: string;
  custom_status: string;
  cart_id: string;
  channel_id: number;
  subtotal_ex_tax: string;
  subtotal_inc_tax: string;
  subtotal_tax: string;
  base_shipping_cost: string;
  shipping_cost_ex_tax: string;
  shipping_cost_inc_tax: string;
  shipping_cost_tax: string;
  shipping_cost_tax_class_id: number;
  base_handling_cost: string;
  handling_cost_ex_tax: string;
  handling_cost_inc_tax: string;
  handling_cost_tax: string;
  handling_cost_tax_class_id: number;
  base_wrapping_cost: string;
  wrapping_cost_ex_tax: string;
  wrapping_cost_inc_tax: string;
  wrapping_cost_tax: string;
  wrapping_cost_tax_class_id: number;
  total_ex_tax: string;
  total_inc_tax: string;
  total_tax: string;
  items_total: number;
  items_shipped: number;
  payment_method: string;
  payment_provider_id: string | null;
  payment_status: string;
  refunded_amount: string;
  order_is_digital: boolean;
  store_credit_amount: string;
  gift_certificate_amount: string;
  ip_address: string;
  ip_address_v6: string;
  geoip_country: string;
  geoip_country_iso2: string;
  currency_id: number;
  currency_code: string;
  currency_exchange_rate: string;
  default_currency_id: number;
  default_currency_code: string;
  store_default_currency_code: string;
  store_default_to_transactional_exchange_rate: string;
  staff_notes: string;
  customer_message: string;
  discount_amount: string;
  coupon_discount: string;
  shipping_address_count: number;
  is_deleted: boolean;
  is_tax_inclusive_pricing: boolean;
  is_email_opt_in: boolean;
  ebay_order_id: string;
  order_source: string;
  external_source: string | null;
  external_id: string | null;
  external_merchant_id: string | null;
  external_order_id: string;
  tax_provider_id: string;
  customer_locale: string;
  billing_address: BillingAddress;
  fees: OrderFee[];
}

/** An order-level fee (orders.v2.oas2.yml `orderFees_Resp`): money as 4-decimal strings, like the order's. */
export interface OrderFee {
  id: number;
  type: 'custom_fee';
  display_name_customer: string;
  display_name_merchant: string;
  source: string;
  base_cost: string;
  cost_ex_tax: string;
  cost_inc_tax: string;
  cost_tax: string;
  tax_class_id: number | null;
}

/**
 * A shipping quote persisted on an order for one shipping address (consignment), as the storefront
 * checkout leaves it (orders.v2.oas2.yml `shippingQuotes_Base`). Orders made through the API or
 * the control panel have none (the quote endpoints answer 204).
 */
export interface ShippingQuote {
  id: string;
  uuid: string;
  timestamp: string;
  shipping_provider_id: string;
  shipping_provider_quote: Record<string, unknown>[];
  provider_code: string;
  carrier_code: string;
  rate_code: string;
  rate_id: string;
  method_id: number;
  /** The shipping address (consignment) it was quoted for; not part of the answer. */
  address_id: number;
}

export interface ProductOption {
  id: number;
  option_id: number;
  order_product_id: number;
  product_option_id: number;
  display_name: string;
  display_name_customer: string;
  display_name_merchant: string;
  display_value: string;
  display_value_customer: string;
  display_value_merchant: string;
  value: string;
  type: string;
  name: string;
  display_style: string;
}

export interface AppliedDiscount {
  id: string;
  amount: string;
  name: string;
  code: string | null;
  target: 'order' | 'product';
}

export interface V2OrderProduct {
  id: number;
  order_id: number;
  product_id: number;
  variant_id: number;
  order_pickup_method_id: number;
  order_address_id: number;
  name: string;
  name_customer: string;
  name_merchant: string;
  sku: string;
  upc: string;
  type: 'physical' | 'digital' | 'giftcertificate';
  base_price: string;
  price_ex_tax: string;
  price_inc_tax: string;
  price_tax: string;
  base_total: string;
  total_ex_tax: string;
  total_inc_tax: string;
  total_tax: string;
  weight: string;
  width: string;
  height: string;
  depth: string;
  quantity: number;
  base_cost_price: string;
  cost_price_inc_tax: string;
  cost_price_ex_tax: string;
  cost_price_tax: string;
  is_refunded: boolean;
  quantity_refunded: number;
  refund_amount: string;
  return_id: number;
  wrapping_id: number;
  wrapping_name: string | null;
  base_wrapping_cost: string;
  wrapping_cost_ex_tax: string;
  wrapping_cost_inc_tax: string;
  wrapping_cost_tax: string;
  wrapping_message: string;
  quantity_shipped: number;
  event_name: string | null;
  event_date: string | null;
  fixed_shipping_cost: string;
  ebay_item_id: string;
  ebay_transaction_id: string;
  option_set_id: number | null;
  parent_order_product_id: number | null;
  is_bundled_product: boolean;
  bin_picking_number: string;
  external_id: string | null;
  brand: string;
  gift_certificate_id: number | null;
  discounted_total_inc_tax: string;
  applied_discounts: AppliedDiscount[];
  product_options: ProductOption[];
  configurable_fields: FormField[];
}

export interface V2ShippingAddress extends Address {
  id: number;
  order_id: number;
  items_total: number;
  items_shipped: number;
  shipping_method: string;
  base_cost: string;
  cost_ex_tax: string;
  cost_inc_tax: string;
  cost_tax: string;
  cost_tax_class_id: number;
  base_handling_cost: string;
  handling_cost_ex_tax: string;
  handling_cost_inc_tax: string;
  handling_cost_tax: string;
  handling_cost_tax_class_id: number;
  shipping_zone_id: number;
  shipping_zone_name: string;
  form_fields: FormField[];
}

export interface V2Coupon {
  id: number;
  coupon_id: number;
  order_id: number;
  code: string;
  amount: string;
  type: number;
  discount: number;
}

export interface V2ShipmentItem {
  order_product_id: number;
  product_id: number;
  quantity: number;
}

export interface V2Shipment {
  id: number;
  order_id: number;
  customer_id: number;
  order_address_id: number;
  date_created: string;
  tracking_number: string;
  merchant_shipping_cost: string;
  shipping_method: string;
  shipping_provider: string;
  tracking_carrier: string;
  tracking_link: string;
  generated_tracking_link: string;
  shipping_provider_display_name: string;
  comments: string;
  billing_address: Address;
  shipping_address: Address;
  items: V2ShipmentItem[];
}

export interface OrderStatusInfo {
  id: number;
  name: string;
  system_label: string;
  custom_label: string;
  system_description: string;
  order: number;
}

/** An order and everything hanging off it. */
export interface OrderAggregate {
  order: V2Order;
  products: V2OrderProduct[];
  shippingAddresses: V2ShippingAddress[];
  coupons: V2Coupon[];
  shipments: V2Shipment[];
  transactions: Transaction[];
  refunds: Refund[];
  /** Quotes the storefront checkout persisted, one per shipping address (none for API orders). */
  shippingQuotes: ShippingQuote[];
  /** Simulated epoch ms, for filters and sorting without parsing the RFC-2822 strings. */
  createdAt: number;
  modifiedAt: number;
}

export interface Transaction {
  id: number;
  order_id: string;
  event: 'purchase' | 'authorization' | 'capture' | 'refund' | 'void' | 'pending' | 'settled';
  method: string;
  amount: number;
  currency: string;
  gateway: string;
  gateway_transaction_id: string;
  status: 'ok' | 'error';
  test: boolean;
  fraud_review: boolean;
  /** Only on refunds, voids and captures: the purchase they refer to (integer, not nullable in orders.v3.yml). */
  reference_transaction_id?: number;
  date_created: string;
  payment_method_id: string;
  offline?: { display_name: string };
  custom?: { payment_method: string };
}

export interface RefundItem {
  item_type: 'PRODUCT' | 'GIFT_WRAPPING' | 'SHIPPING' | 'HANDLING' | 'ORDER';
  item_id: number;
  quantity?: number;
  requested_amount: number | null;
  reason?: string;
}

export interface Refund {
  id: number;
  order_id: number;
  user_id: number;
  created: string;
  reason: string;
  total_amount: number;
  total_tax: number;
  uses_merchant_override_values: boolean;
  items: RefundItem[];
  payments: { id: number; provider_id: string; amount: number; offline: boolean; is_declined: boolean; declined_message: string }[];
}

export interface OptionValue {
  id: number;
  label: string;
  option_id: number;
  option_display_name: string;
}

export interface V3Variant {
  id: number;
  product_id: number;
  sku: string;
  sku_id: number | null;
  price: number | null;
  calculated_price: number;
  sale_price: number | null;
  retail_price: number | null;
  map_price: number | null;
  cost_price: number | null;
  weight: number | null;
  calculated_weight: number;
  width: number | null;
  height: number | null;
  depth: number | null;
  is_free_shipping: boolean;
  fixed_cost_shipping_price: number | null;
  purchasing_disabled: boolean;
  purchasing_disabled_message: string;
  image_url: string;
  upc: string;
  mpn: string;
  gtin: string;
  inventory_level: number;
  inventory_warning_level: number;
  bin_picking_number: string;
  option_values: OptionValue[];
}

export interface ProductOptionDef {
  id: number;
  product_id: number;
  display_name: string;
  type: 'radio_buttons' | 'rectangles' | 'dropdown' | 'product_list' | 'product_list_with_images' | 'swatch' | 'checkbox' | 'text' | 'multi_line_text' | 'numbers_only_text' | 'date' | 'file';
  option_values: { id: number; label: string; sort_order: number; is_default: boolean }[];
}

export interface V3Product {
  id: number;
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  description: string;
  weight: number;
  width: number;
  depth: number;
  height: number;
  price: number;
  cost_price: number;
  retail_price: number;
  sale_price: number;
  map_price: number;
  tax_class_id: number;
  product_tax_code: string;
  calculated_price: number;
  categories: number[];
  brand_id: number;
  inventory_level: number;
  inventory_warning_level: number;
  inventory_tracking: 'none' | 'product' | 'variant';
  is_free_shipping: boolean;
  fixed_cost_shipping_price: number;
  is_visible: boolean;
  is_featured: boolean;
  upc: string;
  mpn: string;
  gtin: string;
  availability: 'available' | 'disabled' | 'preorder';
  condition: 'New' | 'Used' | 'Refurbished';
  base_variant_id: number;
  date_created: string;
  date_modified: string;
  option_set_id: number | null;
  custom_url: { url: string; is_customized: boolean };
}

export interface CustomerAddress {
  id: number;
  customer_id: number;
  first_name: string;
  last_name: string;
  company: string;
  address1: string;
  address2: string;
  city: string;
  state_or_province: string;
  postal_code: string;
  country: string;
  country_code: string;
  phone: string;
  address_type: 'residential' | 'commercial';
}

export interface V3Customer {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  company: string;
  phone: string;
  notes: string;
  tax_exempt_category: string;
  customer_group_id: number;
  date_created: string;
  date_modified: string;
  accepts_product_review_abandoned_cart_emails: boolean;
  registration_ip_address: string;
  origin_channel_id: number;
  channel_ids: number[] | null;
  address_count: number;
  attribute_count: number;
  addresses: CustomerAddress[];
  store_credit_amounts: { amount: number }[];
  authentication: { force_password_reset: boolean };
}

export interface CustomerGroup {
  id: number;
  name: string;
  /** Percentage off list price for B2B group pricing. */
  discountPercent: number;
  is_default: boolean;
}

export interface Hook {
  id: number;
  client_id: string;
  store_hash: string;
  scope: string;
  destination: string;
  is_active: boolean;
  headers: Record<string, string> | null;
  created_at: number;
  updated_at: number;
}

export interface Cart {
  id: string;
  customer_id: number;
  channel_id: number;
  email: string;
  currency: string;
  base_amount: number;
  cart_amount: number;
  line_items: CartLine[];
  /** Items not in the catalog (`custom_items` of `POST /v3/carts`); absent on shopper carts. */
  custom_items?: CartCustomItem[];
  gift_certificates?: CartGiftCertificate[];
  locale?: string;
  created_time: string;
  updated_time: string;
  /** Simulated epoch ms of the last activity, for the abandonment rule (>= 1 h idle). */
  lastActivityAt: number;
  state: 'active' | 'abandoned' | 'converted';
  order_id?: number;
  /** The token of the abandoned-cart email link (and of `store/cart/abandoned`), which `GET /v3/abandoned-carts/{token}` resolves. */
  abandonedToken?: string;
}

/** One catalog line of a cart. `id` is the line item's uuid, stable while the line lives. */
export interface CartLine {
  /** Ledger bodies written before line items had ids have none (renderCart falls back to the position). */
  id: string;
  product_id: number;
  variant_id: number;
  sku: string;
  quantity: number;
  list_price: number;
  /** The catalog price when the line was priced (`original_price`); absent on shopper carts, where it is `list_price`. */
  original_price?: number;
  /** Option (and modifier) selections as sent: `{option_id, option_value}`. */
  option_selections?: { option_id: number; option_value: number | string }[];
}

export interface CartCustomItem {
  id: string;
  sku: string;
  name: string;
  quantity: number;
  list_price: number;
  image_url?: string;
}

export interface CartGiftCertificate {
  id: string;
  name: string;
  theme: string;
  amount: number;
  quantity: number;
  sender: { name?: string; email?: string };
  recipient: { name?: string; email?: string };
  message?: string;
}

export interface StoreInfo {
  hash: string;
  /** The numeric store id, sent as a string in webhook payloads. */
  storeId: string;
  name: string;
  plan: PlanName;
  defaultCurrency: string;
}
