/**
 * Source records for every mapping spec, generated from the simulator's seeded orders: the
 * examples in the mapping document and the bulk check that every spec copes with every order
 * profile both come from here.
 *
 * BigCommerce records (orders, customers, refunds) are the simulator's own, taken from an
 * in-process store exactly as the verifier will see them. Records of the connected systems (ERP
 * inventory, price list, invoices and credit memos, 3PL shipments, CRM contacts) and the V3 cart
 * come from the same order, shaped as those systems would hold them, so the examples are about
 * the same customer and the same lines across every flow. A worst-case order gets worst-case
 * companions: oversold stock, unknown carriers and warehouses, over-long tracking numbers, split
 * credit memos, notes at the limits.
 */
import { createVirtualClock } from '../../lib/clock.ts';
import { createLedger } from '../../lib/ledger.ts';
import { type OrderAggregate, type V2OrderProduct, type V3Customer, type OrderProfile, createQuota, createStore, type Store } from '../../simulator/index.ts';
import { planQuota } from '../../lib/plans.ts';

export const SAMPLE_EPOCH = Date.UTC(2026, 10, 27, 12);

/** Contract of each source record kind, as the specs name it in source.contract. */
export type SourceKind =
  | 'bigcommerce/order'
  | 'bigcommerce/customer'
  | 'bigcommerce/cart'
  | 'bigcommerce/refund'
  | 'connected/erp-inventory-record'
  | 'connected/erp-price-list-item'
  | 'connected/erp-invoice'
  | 'connected/erp-credit-memo'
  | 'connected/threepl-shipment'
  | 'connected/crm-contact';

export type SampleSources = Record<SourceKind, unknown[]>;

export interface SampleWorld {
  store: Store;
  /** Place a shopper order of a profile and derive every flow's source records from it. */
  sample(profile: OrderProfile): { order: OrderAggregate; sources: SampleSources };
  close(): void;
}

export interface SampleWorldOptions {
  seed?: number;
  products?: number;
  customers?: number;
}

export function createSampleWorld(options: SampleWorldOptions = {}): SampleWorld {
  const seed = options.seed ?? 1;
  const clock = createVirtualClock({ scale: 0, start: SAMPLE_EPOCH });
  const ledger = createLedger();
  const store = createStore({
    hash: 'sample',
    storeId: '1000001',
    plan: 'standard',
    seed,
    clock,
    ledger,
    quota: createQuota({ clock, quota: planQuota('standard') }),
    onWebhook: () => {},
    products: options.products ?? 250,
    customers: options.customers ?? 80,
    pastOrders: 0,
  });
  let counter = 0;
  return {
    store,
    sample(profile) {
      // Each order a minute later than the previous one, so dates differ like a real run.
      clock.advance(60_000);
      const order = store.placeShopperOrder(profile);
      counter++;
      return { order, sources: deriveSources(store, order, profile === 'worst-case', counter) };
    },
    close: () => ledger.close(),
  };
}


const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const cents = (n: number) => Math.round(n * 100) / 100;
/** A string of exactly `length` code points. */
const fill = (seed: string, length: number) => {
  const chars = Array.from(seed);
  return Array.from({ length }, (_, i) => chars[i % chars.length]).join('');
};

function orderSource(agg: OrderAggregate): Record<string, unknown> {
  // What an integration assembles from GET /v2/orders/{id} plus the /products and
  // /shipping_addresses sub-resources; coupons stay the link the order carries.
  const link = (what: string) => ({ url: `https://api.bigcommerce.com/stores/sample/v2/orders/${agg.order.id}/${what}`, resource: `/orders/${agg.order.id}/${what}` });
  return {
    ...structuredClone(agg.order),
    products: structuredClone(agg.products),
    shipping_addresses: structuredClone(agg.shippingAddresses).map((a) => ({ ...a, shipping_quotes: link(`shipping_addresses/${a.id}/shipping_quotes`) })),
    coupons: link('coupons'),
  };
}

const physicalLines = (agg: OrderAggregate) => agg.products.filter((p) => p.type === 'physical' && p.order_address_id > 0);

function deriveSources(store: Store, agg: OrderAggregate, worst: boolean, n: number): SampleSources {
  const o = agg.order;
  const placed = agg.createdAt;
  const customer = o.customer_id > 0 ? store.customers.get(o.customer_id) : undefined;
  return {
    'bigcommerce/order': [orderSource(agg)],
    'bigcommerce/customer': customer ? [customerSource(customer, agg, worst)] : [],
    'bigcommerce/cart': cartSources(agg, worst),
    'bigcommerce/refund': refundSources(store, agg, worst),
    'connected/erp-inventory-record': inventorySources(store, agg, worst, placed),
    'connected/erp-price-list-item': priceListSources(store, agg, worst, placed),
    'connected/erp-invoice': [invoiceSource(agg, worst, placed, n)],
    'connected/erp-credit-memo': creditMemoSources(agg, worst, placed),
    'connected/threepl-shipment': shipmentSources(agg, worst, placed),
    'connected/crm-contact': customer ? crmSources(customer, agg, worst, placed) : [],
  };
}

function customerSource(c: V3Customer, agg: OrderAggregate, worst: boolean): Record<string, unknown> {
  const base = structuredClone(c) as unknown as Record<string, unknown>;
  if (!worst) return base;
  // The worst-case shopper's identity is the order's: Unicode, emoji and fields at their limits.
  const b = agg.order.billing_address;
  return {
    ...base,
    first_name: b.first_name,
    last_name: b.last_name,
    company: Array.from(b.company).slice(0, 255).join(''),
    phone: '+41 44 000 00 00 ext. 12345 (reception, ask for logistics)',
    notes: fill('Kunde seit 2019 — bevorzugt Lieferung vormittags. ', 600),
    customer_group_id: 3,
    accepts_product_review_abandoned_cart_emails: false,
  };
}

function cartSources(agg: OrderAggregate, worst: boolean): Record<string, unknown>[] {
  const o = agg.order;
  const item = (p: V2OrderProduct, i: number) => {
    const list = Number(p.base_price);
    const sale = Number(p.price_ex_tax);
    return {
      id: `${o.cart_id.slice(0, 24)}${String(i).padStart(12, '0')}`,
      parent_id: null,
      variant_id: p.variant_id,
      product_id: p.product_id,
      sku: p.sku,
      name: p.name,
      url: `https://store.example/products/${p.product_id}/`,
      quantity: p.quantity,
      is_taxable: true,
      image_url: '',
      discount_amount: cents((list - sale) * p.quantity),
      coupon_amount: 0,
      original_price: list,
      list_price: list,
      sale_price: sale,
      extended_list_price: cents(list * p.quantity),
      extended_sale_price: cents(sale * p.quantity),
      is_require_shipping: p.type === 'physical',
      options: p.product_options.map((x) => ({ name: x.display_name, nameId: x.option_id, value: x.display_value, valueId: Number.isInteger(Number(x.value)) ? Number(x.value) : null })),
    };
  };
  const physical = agg.products.filter((p) => p.type === 'physical').map(item);
  const digital = agg.products.filter((p) => p.type !== 'physical').map(item);
  const cart = {
    id: o.cart_id,
    parent_id: null,
    customer_id: o.customer_id,
    email: o.billing_address.email,
    currency: { code: o.currency_code },
    tax_included: false,
    base_amount: Number(o.subtotal_ex_tax),
    discount_amount: Number(o.discount_amount),
    cart_amount: Number(o.subtotal_ex_tax),
    coupons: [],
    discounts: [],
    line_items: { physical_items: physical, digital_items: digital, gift_certificates: [], custom_items: [] },
    created_time: iso(agg.createdAt - 2 * 3_600_000),
    updated_time: iso(agg.createdAt - 3_600_000),
    channel_id: 1,
    locale: o.customer_locale,
  };
  // A guest who never typed an email: the platform still calls the cart abandoned.
  const anonymous = { ...cart, id: `${o.cart_id.slice(0, -4)}anon`, customer_id: 0, email: '', line_items: { ...cart.line_items, physical_items: physical.slice(0, 1), digital_items: [] } };
  return worst ? [cart, anonymous] : [cart];
}

function refundSources(store: Store, agg: OrderAggregate, worst: boolean): Record<string, unknown>[] {
  // Refund the cheapest lines while the refund stays within half the order total: a coupon can
  // make the order cheaper than one of its lines, and the platform refuses more than was paid.
  const budget = Number(agg.order.total_inc_tax) / 2;
  const lines: V2OrderProduct[] = [];
  let sum = 0;
  for (const p of [...agg.products].filter((x) => Number(x.price_inc_tax) > 0).sort((a, b) => Number(a.price_inc_tax) - Number(b.price_inc_tax))) {
    if (lines.length >= (worst ? 4 : 1) || sum + Number(p.price_inc_tax) > budget) break;
    lines.push(p);
    sum += Number(p.price_inc_tax);
  }
  if (lines.length === 0) return [];
  const address = sum + 5 <= budget ? agg.shippingAddresses[0] : undefined;
  const items = [
    ...lines.map((p) => ({ item_type: 'PRODUCT' as const, item_id: p.id, quantity: 1, reason: worst ? 'Falsche Größe — wrong size 📏' : 'Wrong size' })),
    ...(worst && address ? [{ item_type: 'SHIPPING' as const, item_id: address.id, amount: 5, reason: 'Late delivery' }] : []),
  ];
  // The worst case splits the refund between store credit and the card, as a merchant may.
  const total = cents(items.reduce((sum, i) => sum + ('amount' in i ? i.amount : Number(agg.products.find((p) => p.id === i.item_id)!.price_inc_tax)), 0));
  const refund = store.createRefund(agg.order.id, {
    items,
    reason: worst ? fill('Kunde reklamiert: Ware beschädigt angekommen, bitte Gutschrift — العميل يشتكي. ', 300) : 'Customer returned the item',
    ...(worst
      ? { payments: [{ provider_id: 'storecredit', amount: cents(total / 2), offline: false }, { provider_id: 'braintree', amount: cents(total - cents(total / 2)), offline: false }] }
      : {}),
  });
  return [structuredClone(refund) as unknown as Record<string, unknown>];
}

function inventorySources(store: Store, agg: OrderAggregate, worst: boolean, at: number): Record<string, unknown>[] {
  // The ERP only knows item numbers it can store (20 characters): the store's over-long SKU has no stock record.
  const lines = physicalLines(agg).filter((p) => p.sku.length <= 20);
  const picked = worst ? lines.slice(0, 6) : lines.slice(0, 2);
  return picked.map((p, i) => {
    const level = store.variants.get(p.variant_id)?.inventory_level ?? 0;
    const allocated = Math.min(level, p.quantity * 2);
    const record = {
      itemNo: p.sku,
      warehouse: i % 2 === 0 ? 'MAIN' : 'EAST',
      binLocation: `A${String(10 + i).padStart(2, '0')}-${(i % 4) + 1}`,
      onHand: level,
      allocated,
      available: level - allocated,
      uom: 'EA',
      unitsPerUom: 1,
      updatedAt: iso(at + 5 * 60_000),
    };
    if (!worst) return record;
    switch (i) {
      case 1: // Oversold: more allocated than on hand.
        return { ...record, onHand: 2, allocated: 7, available: -5 };
      case 2: // Counted in cases of 12.
        return { ...record, onHand: 40, allocated: 3, available: 37, uom: 'CS', unitsPerUom: 12 };
      case 3: // A warehouse the store has no inventory location for.
        return { ...record, warehouse: 'RETURNS' };
      default:
        return record;
    }
  });
}

function priceListSources(store: Store, agg: OrderAggregate, worst: boolean, at: number): Record<string, unknown>[] {
  const productIds = [...new Set(agg.products.map((p) => p.product_id))].filter((id) => store.products.get(id)?.sku.length! <= 20);
  const picked = productIds.slice(0, worst ? 5 : 2).map((id) => store.products.get(id)!);
  return picked.map((p, i) => {
    const record = {
      itemNo: p.sku,
      webId: p.id,
      description: Array.from(p.name).slice(0, 30).join(''),
      brand: p.brand_id > 0 ? `Brand ${p.brand_id}` : '',
      listPrice: p.price,
      salePrice: null as number | null,
      costPrice: p.cost_price,
      currency: 'USD',
      weightKg: p.type === 'physical' ? Math.round(p.weight * 0.45359237 * 1000) / 1000 : null,
      upc: p.upc.slice(0, 14),
      status: 'ACTIVE',
      effectiveFrom: day(at),
      updatedAt: iso(at + 10 * 60_000),
    };
    if (!worst) return record;
    switch (i) {
      case 0: // On sale, with the ERP's four-decimal price.
        return { ...record, listPrice: 129.9951, salePrice: 99.4949, brand: 'Ünïcødé Outdoor GmbH'.slice(0, 20) };
      case 1: // Discontinued.
        return { ...record, status: 'DISCONTINUED' };
      case 2: // Never published to the web store.
        return { ...record, webId: null };
      case 3: // A euro price list: not this store's currency.
        return { ...record, currency: 'EUR', listPrice: cents(p.price * 0.92) };
      default:
        return record;
    }
  });
}

function invoiceSource(agg: OrderAggregate, worst: boolean, at: number, n: number): Record<string, unknown> {
  const o = agg.order;
  const total = Number(o.total_inc_tax);
  const onAccount = o.payment_status === 'pending';
  const invoice = {
    invoiceNo: `INV${String(200000 + n)}`,
    orderRef: String(o.id),
    customerNo: o.customer_id > 0 ? `C${o.customer_id}` : 'WEBGUEST',
    invoiceDate: day(at + 86_400_000),
    dueDate: day(at + 31 * 86_400_000),
    status: onAccount ? 'OPEN' : 'PAID',
    currency: o.currency_code,
    amount: total,
    amountPaid: onAccount ? 0 : total,
    paymentMethod: onAccount ? 'ONACCOUNT' : 'CARD',
    paidAt: onAccount ? null : iso(at + 86_400_000),
    updatedAt: iso(at + 86_400_000 + 60_000),
  };
  // Worst case: partly paid by two transfers, in the order's foreign currency.
  return worst ? { ...invoice, status: 'PARTIAL', amountPaid: cents(total * 0.4), paymentMethod: 'TRANSFER', paidAt: iso(at + 3 * 86_400_000) } : invoice;
}

function creditMemoSources(agg: OrderAggregate, worst: boolean, at: number): Record<string, unknown>[] {
  const o = agg.order;
  const lines = agg.products.filter((p) => Number(p.price_ex_tax) > 0).slice(0, worst ? 8 : 1);
  if (lines.length === 0) return [];
  const address = agg.shippingAddresses[0];
  const memoLines = [
    ...lines.map((p, i) => ({ lineNo: i + 1, type: 'ITEM', orderLineRef: p.id, quantity: 1, amount: Number(p.price_ex_tax) })),
    ...(worst && address ? [{ lineNo: lines.length + 1, type: 'SHIPPING', orderLineRef: address.id, amount: 12.5 }] : []),
    ...(worst ? [{ lineNo: lines.length + 2, type: 'ORDER', orderLineRef: o.id, amount: 10 }] : []),
  ];
  const total = cents(memoLines.reduce((s, l) => s + l.amount, 0));
  const memo = {
    externalId: `CM${String(o.id).padStart(6, '0')}`,
    origin: 'ERP',
    orderRef: String(o.id),
    memoDate: day(at + 5 * 86_400_000),
    reasonCode: worst ? 'DAMAGED' : 'RETURN',
    reasonText: worst ? 'Transportschaden, Karton eingedrückt — Foto im Ticket 4711 📷' : 'Returned unopened',
    refundMethod: worst ? 'STORE_CREDIT' : 'ORIGINAL',
    currency: o.currency_code,
    total,
    taxTotal: 0,
    lines: memoLines,
    createdAt: iso(at + 5 * 86_400_000),
  };
  // The ERP also lists the memos the integration wrote from BigCommerce refunds; they must not come back.
  const echo = { ...memo, externalId: `BC-R${o.id}`, origin: 'BIGCOMMERCE', lines: memoLines.slice(0, 1), total: memoLines[0]!.amount };
  return worst ? [memo, echo] : [memo];
}

function shipmentSources(agg: OrderAggregate, worst: boolean, at: number): Record<string, unknown>[] {
  const o = agg.order;
  return agg.shippingAddresses.flatMap((address, i) => {
    const lines = physicalLines(agg).filter((p) => p.order_address_id === address.id);
    if (lines.length === 0) return [];
    const record = {
      shipmentId: `SH-${o.id}-${i + 1}`,
      fulfillmentOrderRef: `BC-${o.id}`,
      orderRef: String(o.id),
      consignmentRef: address.id,
      carrier: 'UPS',
      service: 'UPS Ground',
      trackingNumber: `1Z999AA1${String(o.id).padStart(10, '0')}`,
      trackingUrl: `https://www.ups.com/track?tracknum=1Z999AA1${String(o.id).padStart(10, '0')}`,
      shippedAt: iso(at + 2 * 86_400_000 + i * 3_600_000),
      packages: 1,
      weightGrams: Math.round(lines.reduce((s, p) => s + Number(p.weight) * 453.59237 * p.quantity, 0)),
      lines: lines.map((p) => ({ lineRef: p.id, sku: p.sku.slice(0, 50), quantity: p.quantity })),
      updatedAt: iso(at + 2 * 86_400_000 + i * 3_600_000 + 60_000),
    };
    if (!worst) return [record];
    switch (i) {
      case 0: // A freight consolidator: long PRO number, long deep link, a carrier the store does not know.
        return [{ ...record, carrier: 'ACME-FREIGHT', service: 'LTL consolidated', trackingNumber: fill('PRO-7734-ÜBER-', 60), trackingUrl: `https://tracking.acme-freight.example/shipments?ids=${fill('PRO7734', 700)}`, packages: 3 }];
      case 1: // Part of the consignment: one unit of each line now, the rest later.
        return [{ ...record, carrier: 'DHL', service: 'DHL Express', lines: record.lines.map((l) => ({ ...l, quantity: 1 })) }];
      default:
        return [{ ...record, carrier: 'FEDEX', service: 'FedEx International Priority' }];
    }
  });
}

function crmSources(c: V3Customer, agg: OrderAggregate, worst: boolean, at: number): Record<string, unknown>[] {
  const tiers: Record<number, string> = { 0: 'Retail', 2: 'Wholesale', 3: 'Distributor' };
  const address = c.addresses[0];
  const contact = {
    email: c.email.toLowerCase(),
    firstName: c.first_name,
    lastName: c.last_name,
    company: c.company,
    phone: c.phone,
    accountTier: tiers[c.customer_group_id] ?? 'Retail',
    lifecycleStage: c.customer_group_id > 0 ? 'key-account' : 'customer',
    bigcommerceCustomerId: c.id,
    abandonedCartEmailsOptIn: c.accepts_product_review_abandoned_cart_emails,
    accountNotes: c.customer_group_id > 0 ? 'Net 30 terms agreed by the account manager.' : '',
    city: address?.city ?? '',
    country: address?.country_code ?? 'US',
    source: 'bigcommerce',
    createdAt: c.date_created.replace('+00:00', 'Z'),
    updatedAt: iso(at + 7 * 86_400_000),
  };
  if (!worst) return [contact];
  const b = agg.order.billing_address;
  return [
    {
      ...contact,
      firstName: b.first_name,
      lastName: b.last_name,
      company: Array.from(b.company).slice(0, 100).join(''),
      phone: '+41 44 000 00 00 ext. 12345',
      accountTier: 'Distributor',
      lifecycleStage: 'key-account',
      accountNotes: fill('Rahmenvertrag 2026 — Staffelpreise ab 50 Stück; Ansprechpartnerin Frau Öztürk. ', 2000),
      city: 'Zürich',
      country: 'CH',
    },
    // A lead from a trade show: no storefront account yet.
    { ...contact, email: 'lead.messe@example.ch', bigcommerceCustomerId: null, source: 'trade-show', lifecycleStage: 'lead', accountNotes: '' },
  ];
}
