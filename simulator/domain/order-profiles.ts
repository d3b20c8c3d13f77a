/**
 * Shopper order profiles. A load script only picks rates and the mix; the content of each order
 * comes from here, seeded, so a run is reproducible.
 *
 * - typical: 1-4 lines, guests and registered customers, sometimes a coupon.
 * - b2b: a customer in a B2B group with group pricing, 50+ lines, bulk quantities, a PO number
 *   in a checkout form field (core orders have no B2B fields; B2B data travels in form fields,
 *   bigcommerce-facts.md section d).
 * - worst-case: 100+ lines, every product option type, several shipping addresses, coupon plus
 *   gift certificate plus store credit, zero-price and digital lines, tax exempt, Unicode, emoji
 *   and right-to-left names, fields at their maximum length, a long customer message, and a
 *   non-default currency. Hard, but carriable by a correct integration: every field the connected
 *   systems refuse outright stays within their limits, so only truncation warnings remain. The
 *   exception is a stated minority (UNCARRIABLE_WORST_CASE_EVERY) that no integration can carry.
 */
import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { cents, money, rfc2822 } from './format.ts';
import type {
  Address,
  BillingAddress,
  CustomerGroup,
  OrderAggregate,
  ProductOption,
  V2Coupon,
  V2Order,
  V2OrderProduct,
  V2ShippingAddress,
  V3Customer,
  V3Product,
  V3Variant,
} from './model.ts';
import { ORDER_STATUSES } from './order-statuses.ts';

export const orderProfiles = ['typical', 'b2b', 'worst-case'] as const;
export type OrderProfile = (typeof orderProfiles)[number];
export const orderProfileSchema = z.enum(orderProfiles);

/**
 * Maximum lengths used for "fields at their maximum length". The product name limit (250) is in
 * products_catalog.v3.yml; the spec gives no limit for V2 address fields or SKUs, so 255 (the
 * platform's usual VARCHAR) is used and documented as an assumption.
 */
export const MAX_LENGTHS = {
  productName: 250,
  sku: 255,
  addressField: 255,
  customerMessage: 2000,
} as const;

export const TAX_RATE = 0.08;

/**
 * Every 8th worst-case order a store generates (the 8th, 16th, 24th, ... counted per store from
 * its seed, restarting when the store is reset) is uncarriable, so a run of N worst-case orders
 * holds exactly floor(N / 8) of them. It has a 255-character SKU on its second line (on the next
 * physical line if the second is digital) and a 50-character PO number. orders-to-erp-sales-order
 * rejects both (`lines[].sku` and `customerPo` maxLength 20, action reject: a cut SKU finds no
 * item, a cut PO no longer matches the buyer's invoice) and orders-to-3pl-fulfillment-order
 * rejects the SKU (`consignments[].lines[].sku` maxLength 50: the 3PL picks by SKU). A correct
 * integration dead-letters exactly these; every other worst-case order maps with truncation
 * warnings only.
 */
export const UNCARRIABLE_WORST_CASE_EVERY = 8;

/** Whether the `ordinal`-th worst-case order of a store (counted from 1) is uncarriable. */
export const isUncarriableWorstCase = (ordinal: number): boolean => ordinal > 0 && ordinal % UNCARRIABLE_WORST_CASE_EVERY === 0;

/**
 * The limits a carriable worst-case order goes up to but not past, because the connected systems
 * reject (not truncate) beyond them.
 */
export const CARRIABLE_LIMITS = {
  /** ERP `customerPo` maxLength 20, action reject (orders-to-erp-sales-order). */
  customerPo: 20,
  /**
   * 3PL `consignments[].shipTo.address1`/`address2` maxLength 60, action reject (a cut street
   * misdelivers); the ERP truncates the same lines to 35 with a warning.
   */
  streetLine: 60,
} as const;

/**
 * The worst-case PO number: long, Unicode (German umlauts, Japanese) and exactly at the ERP's
 * 20-character limit, so a correct integration carries it unchanged and a careless one that
 * counts UTF-8 bytes or mangles Unicode shows.
 */
export const WORST_CASE_PO = 'PO-ÄÖÜ-注文-2026-00042';

/**
 * Worst-case orders generated per store. The store's seeded faker is created once per store (and
 * again on reset), so it identifies the store without a field in OrderContext; the same seed thus
 * gives the same sequence of carriable and uncarriable orders.
 */
const worstCaseCount = new WeakMap<Faker, number>();

export interface OrderContext {
  faker: Faker;
  now: number;
  storeHash: string;
  defaultCurrency: string;
  products: V3Product[];
  variantsByProduct: Map<number, V3Variant[]>;
  customers: V3Customer[];
  groups: CustomerGroup[];
  ids: { order(): number; orderProduct(): number; address(): number; coupon(): number };
}

export interface StockTake {
  productId: number;
  variantId: number;
  quantity: number;
}

export interface GeneratedOrder {
  aggregate: OrderAggregate;
  customer: V3Customer | undefined;
  stock: StockTake[];
}

interface Pick {
  product: V3Product;
  variant: V3Variant;
  quantity: number;
}

// Order product option types (bigcommerce-facts.md section d, order product fields).
export const ORDER_OPTION_TYPES = [
  'Checkbox',
  'Date field',
  'File Upload',
  'Multi-line text field',
  'Multiple choice',
  'Product Pick List',
  'Swatch',
  'Text field',
] as const;

// The amounts every order and line repeats, formatted once.
const ZERO = money(0);
const PAID_STATUS = ORDER_STATUSES.find((s) => s.id === 11)!;

const available = (v: V3Variant, p: V3Product, qty: number) =>
  p.inventory_tracking === 'none' || v.inventory_level >= qty;

function pickLines(ctx: OrderContext, count: number, qty: () => number, filter?: (p: V3Product) => boolean): Pick[] {
  const f = ctx.faker;
  const picks: Pick[] = [];
  const used = new Set<number>();
  // Most passes take any product: they draw from the context's list itself, not a copy of it.
  const candidates = filter ? ctx.products.filter(filter) : ctx.products;
  // Bounded attempts: a depleted catalog yields fewer lines rather than looping forever.
  for (let attempts = 0; picks.length < count && attempts < count * 20 && candidates.length > 0; attempts++) {
    const product = f.helpers.arrayElement(candidates);
    const variants = ctx.variantsByProduct.get(product.id) ?? [];
    if (variants.length === 0) continue;
    const variant = f.helpers.arrayElement(variants);
    if (used.has(variant.id)) continue;
    const quantity = qty();
    if (!available(variant, product, quantity)) continue;
    used.add(variant.id);
    picks.push({ product, variant, quantity });
  }
  return picks;
}

/**
 * Copy an address field by field. Spreading address objects of different origins gave every
 * order its own hidden classes in V8 (about 1.5 KB an order); explicit literals share one.
 */
export function copyAddress(a: Address): Address {
  return {
    first_name: a.first_name,
    last_name: a.last_name,
    company: a.company,
    street_1: a.street_1,
    street_2: a.street_2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    country_iso2: a.country_iso2,
    phone: a.phone,
    email: a.email,
  };
}

function emptyAddress(): Address {
  return { first_name: '', last_name: '', company: '', street_1: '', street_2: '', city: '', state: '', zip: '', country: '', country_iso2: '', phone: '', email: '' };
}

function addressFor(f: Faker, customer: V3Customer | undefined, email: string): Address {
  const a = customer?.addresses[0];
  if (a) {
    return {
      first_name: a.first_name,
      last_name: a.last_name,
      company: a.company,
      street_1: a.address1,
      street_2: a.address2,
      city: a.city,
      state: a.state_or_province,
      zip: a.postal_code,
      country: a.country,
      country_iso2: a.country_code,
      phone: a.phone,
      email,
    };
  }
  return {
    ...emptyAddress(),
    first_name: f.person.firstName(),
    last_name: f.person.lastName(),
    street_1: f.location.streetAddress(),
    city: f.location.city(),
    state: f.location.state(),
    zip: f.location.zipCode('#####'),
    country: 'United States',
    country_iso2: 'US',
    phone: f.phone.number({ style: 'national' }),
    email,
  };
}

/** A string of exactly `length` characters (code points, so an emoji counts once). */
const fill = (seed: string, length: number) => {
  const chars = Array.from(seed);
  return Array.from({ length }, (_, i) => chars[i % chars.length]).join('');
};

function worstCaseAddresses(f: Faker, email: string): Address[] {
  return [
    {
      first_name: 'محمد',
      last_name: 'العربي',
      company: 'شركة الاختبار 🚚',
      street_1: 'شارع الملك فهد 12',
      street_2: 'الطابق ٣',
      city: 'الرياض',
      state: 'Riyadh',
      zip: '12211',
      country: 'Saudi Arabia',
      country_iso2: 'SA',
      phone: '+966 11 000 0000',
      email,
    },
    {
      first_name: 'Zoë 😀',
      last_name: 'Ørsted-Łukasiewicz',
      // The company may be as long as the platform allows: the ERP (30) and 3PL (50) truncate it.
      company: fill('Ünïcødé GmbH & Co. KG ', MAX_LENGTHS.addressField),
      // Street lines stop at the 3PL's 60, past which it rejects; the ERP truncates them to 35.
      street_1: fill('Bahnhofstraße 1 ', CARRIABLE_LIMITS.streetLine),
      street_2: fill('Hinterhaus, 3. OG ', CARRIABLE_LIMITS.streetLine),
      city: 'Zürich',
      state: 'Zürich',
      zip: '8001',
      country: 'Switzerland',
      country_iso2: 'CH',
      phone: '+41 44 000 00 00',
      email,
    },
    {
      first_name: '太郎',
      last_name: '山田',
      company: '株式会社テスト',
      street_1: '千代田区丸の内1-1-1',
      street_2: '',
      city: '東京',
      state: 'Tokyo',
      zip: '100-0005',
      country: 'Japan',
      country_iso2: 'JP',
      phone: f.phone.number({ style: 'international' }),
      email,
    },
  ];
}

function optionsFor(f: Faker, lineId: number, variant: V3Variant, extraTypes: readonly ProductOption['type'][]): ProductOption[] {
  const options: ProductOption[] = variant.option_values.map((ov, i) => ({
    id: lineId * 10 + i,
    option_id: ov.option_id,
    order_product_id: lineId,
    product_option_id: ov.option_id,
    display_name: ov.option_display_name,
    display_name_customer: ov.option_display_name,
    display_name_merchant: ov.option_display_name,
    display_value: ov.label,
    display_value_customer: ov.label,
    display_value_merchant: ov.label,
    value: String(ov.id),
    type: ov.option_display_name === 'Colour' ? 'Swatch' : 'Multiple choice',
    name: ov.option_display_name,
    display_style: ov.option_display_name === 'Colour' ? 'Swatch' : 'Rectangle',
  }));
  extraTypes.forEach((type, i) => {
    const value = ((): string => {
      switch (type) {
        case 'Checkbox':
          return 'Yes';
        case 'Date field':
          return '2026-12-24';
        case 'File Upload':
          return 'artwork-final-v3.pdf';
        case 'Multi-line text field':
          return 'Line one of the engraving\nLine two — «quoted» ✨\nسطر ثالث';
        case 'Product Pick List':
          return 'Gift box (+$0.00)';
        case 'Text field':
          return f.lorem.words(3);
        default:
          return type;
      }
    })();
    options.push({
      id: lineId * 10 + options.length + i,
      option_id: 900 + i,
      order_product_id: lineId,
      product_option_id: 900 + i,
      display_name: `${type} option`,
      display_name_customer: `${type} option`,
      display_name_merchant: `${type} option`,
      display_value: value,
      display_value_customer: value,
      display_value_merchant: value,
      value,
      type,
      name: `${type} option`,
      display_style: '',
    });
  });
  return options;
}

export function generateOrder(profile: OrderProfile, ctx: OrderContext): GeneratedOrder {
  const f = ctx.faker;
  const orderId = ctx.ids.order();
  const created = rfc2822(ctx.now);
  const worst = profile === 'worst-case';
  const b2b = profile === 'b2b';
  let uncarriable = false;
  if (worst) {
    const ordinal = (worstCaseCount.get(f) ?? 0) + 1;
    worstCaseCount.set(f, ordinal);
    uncarriable = isUncarriableWorstCase(ordinal);
  }

  // Only a B2B order looks for the B2B customers (a pass over every customer, once per order before).
  const b2bCustomers = b2b ? ctx.customers.filter((c) => c.customer_group_id > 0) : [];
  const customer: V3Customer | undefined = b2b
    ? f.helpers.arrayElement(b2bCustomers.length > 0 ? b2bCustomers : ctx.customers)
    : worst || f.number.float() < 0.7
      ? ctx.customers.length > 0
        ? f.helpers.arrayElement(ctx.customers)
        : undefined
      : undefined;
  const group = ctx.groups.find((g) => g.id === customer?.customer_group_id);
  const discount = b2b ? (group?.discountPercent ?? 15) / 100 : 0;
  const email = customer?.email ?? f.internet.email().toLowerCase();

  const picks = worst
    ? [
        ...pickLines(ctx, 100, () => f.number.int({ min: 1, max: 3 })),
        // Digital and zero-price lines are part of the worst case; pick them deliberately.
        ...pickLines(ctx, 3, () => 1, (p) => p.type === 'digital'),
        ...pickLines(ctx, 2, () => 1, (p) => p.price === 0),
      ]
    : b2b
      ? pickLines(ctx, f.number.int({ min: 50, max: 70 }), () => f.number.int({ min: 5, max: 60 }))
      : pickLines(ctx, f.number.int({ min: 1, max: 4 }), () => f.number.int({ min: 1, max: 3 }));
  // Deduplicate variants picked twice across the worst-case passes.
  const seen = new Set<number>();
  const lines = picks.filter((p) => (seen.has(p.variant.id) ? false : (seen.add(p.variant.id), true)));
  if (worst && !lines.some((p) => p.product.price === 0) && lines.length > 0) {
    // Guarantee a zero-price line even when the catalog has no free product: a free gift.
    lines.push({ ...lines[0]!, quantity: 1, variant: { ...lines[0]!.variant }, product: { ...lines[0]!.product, price: 0, name: 'Free gift' } });
  }

  const billingBase = worst ? worstCaseAddresses(f, email)[1]! : addressFor(f, customer, email);
  const formFields = b2b
    ? [{ name: 'PO Number', value: `PO-${f.string.numeric(8)}` }, { name: 'Cost Centre', value: f.string.alphanumeric({ length: 6, casing: 'upper' }) }]
    : worst
      ? [
          // The uncarriable minority's PO is 50 characters, past the ERP's customerPo maxLength 20 (reject).
          { name: 'PO Number', value: uncarriable ? fill('PO-ÄÖÜ-', 50) : WORST_CASE_PO },
          { name: 'Delivery notes 📦', value: 'Leave at the back door / اترك عند الباب' },
        ]
      : [];
  const b = billingBase;
  const billing: BillingAddress = {
    first_name: b.first_name,
    last_name: b.last_name,
    company: b.company,
    street_1: b.street_1,
    street_2: b.street_2,
    city: b.city,
    state: b.state,
    zip: b.zip,
    country: b.country,
    country_iso2: b.country_iso2,
    phone: b.phone,
    email: b.email,
    form_fields: formFields,
  };
  const shipTo: Address[] = worst ? worstCaseAddresses(f, email) : [addressFor(f, customer, email)];
  const taxExempt = worst;
  const currency = worst ? { code: 'EUR', id: 2, rate: '0.9200000000' } : { code: ctx.defaultCurrency, id: 1, rate: '1.0000000000' };

  const addressIds = shipTo.map(() => ctx.ids.address());
  // The uncarriable minority's over-long SKU goes on a shipped line (the second line, or the next
  // physical one when that is digital), so both the ERP and the 3PL meet it.
  const longSkuIndex = uncarriable ? lines.findIndex((l, i) => i >= 1 && l.product.type !== 'digital') : -1;
  const products: V2OrderProduct[] = lines.map((line, index) => {
    const id = ctx.ids.orderProduct();
    const listPrice = line.variant.price ?? line.product.price;
    const unit = cents(listPrice * (1 - discount));
    const taxUnit = taxExempt ? 0 : cents(unit * TAX_RATE);
    const total = cents(unit * line.quantity);
    const taxTotal = cents(taxUnit * line.quantity);
    const digital = line.product.type === 'digital';
    const extraTypes = worst ? [ORDER_OPTION_TYPES[index % ORDER_OPTION_TYPES.length]!] : [];
    const costPrice = money(line.product.cost_price);
    const lineTotal = money(total + taxTotal);
    const name = worst && index === 0 ? fill(`${line.product.name} — Ünïcødé 🎁 `, MAX_LENGTHS.productName) : line.product.name;
    return {
      id,
      order_id: orderId,
      product_id: line.product.id,
      variant_id: line.variant.id,
      order_pickup_method_id: 0,
      order_address_id: digital ? 0 : addressIds[index % addressIds.length]!,
      name,
      name_customer: name,
      name_merchant: name,
      // Catalog SKUs fit the ERP's 20 characters; the uncarriable minority has one 255-character
      // SKU (ERP lines[].sku maxLength 20 and 3PL consignments[].lines[].sku maxLength 50, reject).
      sku: index === longSkuIndex ? fill(`${line.variant.sku}-`, MAX_LENGTHS.sku) : line.variant.sku,
      upc: line.product.upc,
      type: digital ? 'digital' : 'physical',
      base_price: money(listPrice),
      price_ex_tax: money(unit),
      price_inc_tax: money(unit + taxUnit),
      price_tax: money(taxUnit),
      base_total: money(cents(listPrice * line.quantity)),
      total_ex_tax: money(total),
      total_inc_tax: lineTotal,
      total_tax: money(taxTotal),
      weight: String(line.product.weight),
      width: String(line.product.width),
      height: String(line.product.height),
      depth: String(line.product.depth),
      quantity: line.quantity,
      base_cost_price: costPrice,
      cost_price_inc_tax: costPrice,
      cost_price_ex_tax: costPrice,
      cost_price_tax: ZERO,
      is_refunded: false,
      quantity_refunded: 0,
      refund_amount: ZERO,
      return_id: 0,
      wrapping_id: 0,
      wrapping_name: null,
      base_wrapping_cost: ZERO,
      wrapping_cost_ex_tax: ZERO,
      wrapping_cost_inc_tax: ZERO,
      wrapping_cost_tax: ZERO,
      wrapping_message: '',
      quantity_shipped: 0,
      event_name: null,
      event_date: null,
      fixed_shipping_cost: ZERO,
      ebay_item_id: '',
      ebay_transaction_id: '',
      option_set_id: null,
      parent_order_product_id: null,
      is_bundled_product: false,
      bin_picking_number: '',
      external_id: null,
      brand: '',
      gift_certificate_id: null,
      discounted_total_inc_tax: lineTotal,
      applied_discounts: [],
      product_options: optionsFor(f, id, line.variant, extraTypes),
      configurable_fields: [],
    };
  });

  const subtotalEx = cents(products.reduce((s, p) => s + Number(p.total_ex_tax), 0));
  const subtotalTax = cents(products.reduce((s, p) => s + Number(p.total_tax), 0));
  const physical = products.filter((p) => p.type === 'physical');
  const shippingPerAddress = physical.length === 0 ? 0 : b2b ? 45 : worst ? 12.5 : 7.99;
  const shippingTotal = cents(shippingPerAddress * shipTo.length);
  const shippingTax = taxExempt ? 0 : cents(shippingTotal * TAX_RATE);

  const coupons: V2Coupon[] = [];
  let couponDiscount = 0;
  if (worst || (!b2b && f.number.float() < 0.2)) {
    couponDiscount = cents(Math.min(subtotalEx, worst ? 25 : 10));
    coupons.push({
      id: ctx.ids.coupon(),
      coupon_id: f.number.int({ min: 1, max: 50 }),
      order_id: orderId,
      code: worst ? 'ÉTÉ-2026-🎉' : `SAVE${f.string.numeric(2)}`,
      amount: money(couponDiscount),
      type: 1,
      discount: couponDiscount,
    });
  }
  const totalEx = cents(subtotalEx + shippingTotal - couponDiscount);
  const totalTax = cents(subtotalTax + shippingTax);
  const totalInc = cents(totalEx + totalTax);
  const giftCertificate = worst ? cents(Math.min(50, totalInc / 4)) : 0;
  const storeCredit = worst ? cents(Math.min(20, totalInc / 4)) : 0;

  const shippingAddresses: V2ShippingAddress[] = shipTo.map((address, i) => {
    let itemsTotal = 0;
    for (const p of products) if (p.order_address_id === addressIds[i]) itemsTotal += p.quantity;
    return {
      id: addressIds[i]!,
      ...copyAddress(address),
      order_id: orderId,
      items_total: itemsTotal,
      items_shipped: 0,
      shipping_method: b2b ? 'Freight' : 'Flat Rate',
      base_cost: money(shippingPerAddress),
      cost_ex_tax: money(shippingPerAddress),
      cost_inc_tax: money(shippingPerAddress + (taxExempt ? 0 : cents(shippingPerAddress * TAX_RATE))),
      cost_tax: money(taxExempt ? 0 : cents(shippingPerAddress * TAX_RATE)),
      cost_tax_class_id: 2,
      base_handling_cost: ZERO,
      handling_cost_ex_tax: ZERO,
      handling_cost_inc_tax: ZERO,
      handling_cost_tax: ZERO,
      handling_cost_tax_class_id: 2,
      shipping_zone_id: 1,
      shipping_zone_name: address.country_iso2 === 'US' ? 'United States' : 'International',
      form_fields: [],
    };
  });

  const status = PAID_STATUS;
  const order: V2Order = {
    id: orderId,
    customer_id: customer?.id ?? 0,
    date_created: created,
    date_modified: created,
    date_shipped: '',
    status_id: status.id,
    status: status.name,
    custom_status: status.name,
    cart_id: f.string.uuid(),
    channel_id: 1,
    subtotal_ex_tax: money(subtotalEx),
    subtotal_inc_tax: money(subtotalEx + subtotalTax),
    subtotal_tax: money(subtotalTax),
    base_shipping_cost: money(shippingTotal),
    shipping_cost_ex_tax: money(shippingTotal),
    shipping_cost_inc_tax: money(shippingTotal + shippingTax),
    shipping_cost_tax: money(shippingTax),
    shipping_cost_tax_class_id: 2,
    base_handling_cost: ZERO,
    handling_cost_ex_tax: ZERO,
    handling_cost_inc_tax: ZERO,
    handling_cost_tax: ZERO,
    handling_cost_tax_class_id: 2,
    base_wrapping_cost: ZERO,
    wrapping_cost_ex_tax: ZERO,
    wrapping_cost_inc_tax: ZERO,
    wrapping_cost_tax: ZERO,
    wrapping_cost_tax_class_id: 3,
    total_ex_tax: money(totalEx),
    total_inc_tax: money(totalInc),
    total_tax: money(totalTax),
    items_total: products.reduce((s, p) => s + p.quantity, 0),
    items_shipped: 0,
    payment_method: b2b ? 'Pay by Purchase Order' : worst ? 'Credit Card, Gift Certificate, Store Credit' : 'Credit Card',
    payment_provider_id: b2b ? '' : `pi_${f.string.alphanumeric(16)}`,
    payment_status: b2b ? 'pending' : 'captured',
    refunded_amount: ZERO,
    order_is_digital: physical.length === 0,
    store_credit_amount: money(storeCredit),
    gift_certificate_amount: money(giftCertificate),
    ip_address: f.internet.ipv4(),
    ip_address_v6: '',
    geoip_country: billing.country,
    geoip_country_iso2: billing.country_iso2,
    currency_id: currency.id,
    currency_code: currency.code,
    currency_exchange_rate: currency.rate,
    default_currency_id: currency.id,
    default_currency_code: currency.code,
    store_default_currency_code: ctx.defaultCurrency,
    store_default_to_transactional_exchange_rate: currency.rate,
    staff_notes: '',
    customer_message: worst
      ? fill('Bitte vorsichtig liefern — please deliver carefully. 🙏 يرجى التوصيل بعناية.\n', MAX_LENGTHS.customerMessage)
      : f.number.float() < 0.1
        ? f.lorem.sentence()
        : '',
    discount_amount: ZERO,
    coupon_discount: money(couponDiscount),
    shipping_address_count: shipTo.length,
    is_deleted: false,
    is_tax_inclusive_pricing: false,
    is_email_opt_in: f.datatype.boolean(),
    ebay_order_id: '0',
    order_source: 'www',
    external_source: null,
    external_id: null,
    external_merchant_id: null,
    external_order_id: '',
    tax_provider_id: taxExempt ? '' : 'BasicTaxProvider',
    customer_locale: worst ? 'ar' : 'en',
    billing_address: billing,
    fees: [],
  };

  return {
    aggregate: {
      order,
      products,
      shippingAddresses,
      coupons,
      shipments: [],
      transactions: [],
      refunds: [],
      // The storefront checkout persists the quote it shipped each address with.
      quotedAt: ctx.now,
      createdAt: ctx.now,
      modifiedAt: ctx.now,
      revision: 0,
    },
    customer,
    stock: lines.filter((l) => l.product.inventory_tracking !== 'none').map((l) => ({ productId: l.product.id, variantId: l.variant.id, quantity: l.quantity })),
  };
}
