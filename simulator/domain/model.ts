/**
 * The simulator's resources, held in the platform's own response shapes (V2 orders with money
 * as 4-decimal strings and RFC-2822 dates; V3 catalog and customers with numbers and ISO dates),
 * so rendering a response is serialising the object. Field names follow
 * ../shared/bigcommerce-specs/current (orders.v2.oas2.yml order_Resp, orderProducts,
 * orderShippingAddress, orderShipment; products_catalog.v3.yml; customers.v3.yml; webhooks.v3.yml).
 *
 * How these types relate to the contracts (contracts/generated, from contracts/bigcommerce):
 * - Derived, where the stored shape is the served one: Address, ResourceLink, OrderFee,
 *   AppliedDiscount, V2ShipmentItem, V2Shipment, OptionValue and Hook are the contract type
 *   without its index signature (StripIndex, contracts/known-keys.ts).
 * - Written out, where deriving would make the type worse: V2Order, V2OrderProduct,
 *   V2ShippingAddress, ProductOption, Refund, V3Variant, V3Product, V3Customer and CustomerAddress
 *   store every field the contract makes optional (or narrower types, e.g. payment_provider_id is
 *   always a string), so a derived type would force `?.` and casts on every reader; V2Order and
 *   V2ShippingAddress also leave out the links the routes add, V3Product stores a subset of the
 *   product's fields. They are object type aliases, not interfaces, so they are assignable to the
 *   contracts' open (index-signature) types.
 * What ties them: every renderer of a served body (simulator/http/routes, renderCart, the webhook
 * payload) is annotated with the contract type, or with `Departing<Contract, {...}>` naming each
 * known departure; test/contracts/served-types.test.ts keeps the annotations and departures.
 */
import type {
  Hook as HookContract,
  OrderFee as OrderFeeContract,
  OrderProductAppliedDiscount,
  OrderProductOption,
  ResourceLink as ResourceLinkContract,
  Shipment,
  ShipmentAddress,
  ShipmentItem,
  VariantOptionValue,
} from '../../contracts/generated/index.ts';
import type { StripIndex } from '../../contracts/known-keys.ts';
import type { PlanName } from '../../lib/plans.ts';

export type Scope = string;

export interface ApiAccount {
  name: string;
  clientId: string;
  accessToken: string;
  scopes: Scope[];
}

/** Narrower than the contract's FormField (whose value may also be a number or a list): the simulator stores text. */
export type FormField = {
  name: string;
  value: string;
};

/** billingAddress_Base / shippingAddress_Base: the same twelve fields stored as served. */
export type Address = StripIndex<ShipmentAddress>;

export type BillingAddress = Address & {
  form_fields: FormField[];
};

export type ResourceLink = StripIndex<ResourceLinkContract>;

/**
 * The stored order: the served one (contracts `Order`) without the sub-resource links the route
 * adds (products, shipping_addresses, coupons, consignments) and with `fees` always the list.
 * Written out rather than derived: the contract's `payment_provider_id` is `string | number` and
 * several of its fields are optional, while the simulator always stores a string and every field.
 */
export type V2Order = {
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
  /** "" when no provider was used (never null: orders.v2.oas2.yml types it string or number). */
  payment_provider_id: string;
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
};

/** An order-level fee (orders.v2.oas2.yml `orderFees_Resp`): money as 4-decimal strings, like the order's. */
export type OrderFee = StripIndex<OrderFeeContract>;

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

/** Written out: every optional field of the contract's OrderProductOption is always stored. */
export type ProductOption = {
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
  type: OrderProductOption['type'];
  name: string;
  display_style: string;
};

export type AppliedDiscount = StripIndex<OrderProductAppliedDiscount>;

/** Every optional field of the contract's OrderProduct is always stored, so written out (narrower). */
export type V2OrderProduct = {
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
};

/** The served ShippingAddress without `shipping_quotes` (a link the route adds), with text-only form fields. */
export type V2ShippingAddress = Address & {
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
};

export interface V2Coupon {
  id: number;
  coupon_id: number;
  order_id: number;
  code: string;
  amount: string;
  type: number;
  discount: number;
}

export type V2ShipmentItem = StripIndex<ShipmentItem>;

/** Stored exactly as served. */
export type V2Shipment = Omit<StripIndex<Shipment>, 'billing_address' | 'shipping_address' | 'items'> & {
  billing_address: Address;
  shipping_address: Address;
  items: V2ShipmentItem[];
};

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
  /**
   * When the storefront checkout quoted the shipping (simulated ms), or undefined for an order made
   * through the API (no quotes). The quotes themselves are derived on read from the addresses
   * (shipping-quotes.ts `shippingQuotesOf`): storing one per order cost ~60 MiB per 100,000
   * orders. `shippingQuotes` holds them only once an address changed, frozen as checkout left them.
   */
  quotedAt?: number;
  shippingQuotes?: ShippingQuote[];
  /** Simulated epoch ms, for filters and sorting without parsing the RFC-2822 strings. */
  createdAt: number;
  modifiedAt: number;
  /**
   * Bumped on every change to the order once it is in the store (`touchOrder` and `setStatus` in
   * store/order-kit.ts): the served JSON is cached per revision (simulator/http/order-cache.ts).
   * Not the modification stamp: two changes can share a simulated millisecond.
   */
  revision: number;
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

/** Narrower than the contract's RefundItem (no FEE items; requested_amount always stored). */
export type RefundItem = {
  item_type: 'PRODUCT' | 'GIFT_WRAPPING' | 'SHIPPING' | 'HANDLING' | 'ORDER';
  item_id: number;
  quantity?: number;
  requested_amount: number | null;
  reason?: string;
};

/** Narrower than the contract's Refund: user_id, reason, total_tax and the payments' flags are always stored. */
export type Refund = {
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
};

export type OptionValue = StripIndex<VariantOptionValue>;

/**
 * Narrower than the contract (upc, mpn, gtin, inventory levels, bin_picking_number never null)
 * except map_price, which the simulator stores as null ("inherit") where the contract says number:
 * see ServedVariant in simulator/http/routes/v3-catalog.ts.
 */
export type V3Variant = {
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
};

export interface ProductOptionDef {
  id: number;
  product_id: number;
  display_name: string;
  type: 'radio_buttons' | 'rectangles' | 'dropdown' | 'product_list' | 'product_list_with_images' | 'swatch' | 'checkbox' | 'text' | 'multi_line_text' | 'numbers_only_text' | 'date' | 'file';
  option_values: { id: number; label: string; sort_order: number; is_default: boolean }[];
}

/** What the simulator stores of a product: a subset of the contract's fields (see ServedProduct in simulator/http/routes/v3-catalog.ts). */
export type V3Product = {
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
  /** 0 when none (never null: products_catalog.v3.yml product_Full types it integer). */
  option_set_id: number;
  custom_url: { url: string; is_customized: boolean };
};

/** Narrower than the contract's CustomerAddress: company, address2, country, phone and address_type are always stored. */
export type CustomerAddress = {
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
};

/** Narrower than the contract's Customer: the include-only and optional fields are always stored; the route leaves out what was not asked for. */
export type V3Customer = {
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
  /** Never null: customers.v3.yml customerChannelIds is a plain array. */
  channel_ids: number[];
  address_count: number;
  attribute_count: number;
  addresses: CustomerAddress[];
  store_credit_amounts: { amount: number }[];
  authentication: { force_password_reset: boolean };
};

export interface CustomerGroup {
  id: number;
  name: string;
  /** Percentage off list price for B2B group pricing. */
  discountPercent: number;
  is_default: boolean;
}

/** Stored exactly as served (webhooks.v3.yml webhook_Full). */
export type Hook = StripIndex<HookContract>;

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
