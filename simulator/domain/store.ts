/**
 * One simulated BigCommerce store: its state and every mutation the Management API and shopper
 * traffic can make. A mutation changes state, writes the full resource to the ledger, and raises
 * the platform's webhook scopes (bigcommerce-facts.md section c, "Scopes").
 *
 * No HTTP here: request validation and envelopes live in `simulator/http`; this module takes
 * validated input and throws DomainError for the platform's business rules.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { Clock } from '../../lib/clock.ts';
import { DomainError, conflict, notFound, unprocessable } from './errors.ts';
import { cents, iso, money, rfc2822 } from './format.ts';
import type { Ledger, LedgerEntry } from '../../lib/ledger.ts';
import type {
  Address,
  ApiAccount,
  Cart,
  CustomerGroup,
  Hook,
  OrderAggregate,
  ProductOptionDef,
  Refund,
  StoreInfo,
  Transaction,
  V2Shipment,
  V2ShippingAddress,
  V3Customer,
  V3Product,
  V3Variant,
} from './model.ts';
import { feeTotals, replaceFees, type FeeInput } from './order-fees.ts';
import { generateOrder, type OrderProfile } from './order-profiles.ts';
import { shippingQuoteFor } from './shipping-quotes.ts';
import { statusById } from './order-statuses.ts';
import type { PlanName } from '../../lib/plans.ts';
import type { Quota } from './quota.ts';
import { createSeededFaker, generateCatalog } from './seed.ts';
import type { CatalogProfile, WorstCaseExtras } from './worst-case-catalog.ts';
import { createSlots } from './slots.ts';
import { buildWebhookPayload, type WebhookData } from './webhooks/payload.ts';
import { redactHook } from './redact.ts';

/** Every scope a full-access account gets; read-only twins allow only GET and HEAD. */
export const FULL_SCOPES = [
  'store_v2_orders',
  'store_v2_transactions',
  'store_v2_products',
  'store_v2_customers',
  'store_v2_information',
  'store_inventory',
  'store_v2_content',
  'store_v2_marketing',
  'store_cart',
  // Checkouts (checkouts.v3.yml), served by the declared carts and checkouts families.
  'store_checkout',
  // Channels and sites (channels.v3.yml, sites.v3.yml), served by the declared families.
  'store_channel_settings',
  'store_sites',
  // Inventory locations (locations.v3.yml), served by the declared families.
  'store_locations',
] as const;

/** At most 3 concurrent `PUT /v3/customers` per store (customers.v3.yml); a fourth answers 429. */
export const CUSTOMER_CONCURRENT_UPDATES = 3;

export interface StoreOptions {
  hash: string;
  storeId: string;
  plan: PlanName;
  seed: number;
  clock: Clock;
  ledger: Ledger;
  quota: Quota;
  /** Called for each webhook event with the hooks it must go to. */
  onWebhook: (store: Store, hooks: Hook[], payload: ReturnType<typeof buildWebhookPayload>) => void;
  products?: number;
  customers?: number;
  pastOrders?: number;
  /** The catalog profile (seed.ts): `typical` by default, or `worst-case`. */
  catalog?: CatalogProfile;
  /** Extra accounts beyond the default full-access one. */
  accounts?: ApiAccount[];
  /** The default account's access token; random when not given (see `deterministicTokens`). */
  accessToken?: string;
}

export interface OrderFilter {
  minId?: number;
  maxId?: number;
  minTotal?: number;
  maxTotal?: number;
  customerId?: number;
  email?: string;
  statusId?: number;
  cartId?: string;
  paymentMethod?: string;
  channelId?: number;
  externalOrderId?: string;
  minDateCreated?: number;
  maxDateCreated?: number;
  minDateModified?: number;
  maxDateModified?: number;
  /** true: only archived orders; false or absent: only live ones (`is_deleted` filter, not in the spec). */
  deleted?: boolean;
  sort?: { field: 'id' | 'customer_id' | 'date_created' | 'date_modified' | 'status_id' | 'channel_id' | 'external_id'; dir: 'asc' | 'desc' };
}

export interface ShipmentInput {
  order_address_id: number;
  items: { order_product_id: number; quantity: number }[];
  tracking_number?: string;
  tracking_carrier?: string;
  tracking_link?: string;
  shipping_method?: string;
  shipping_provider?: string;
  comments?: string;
  merchant_shipping_cost?: string;
}

export interface InventoryItemInput {
  location_id: number;
  variant_id?: number;
  product_id?: number;
  sku?: string;
  quantity: number;
}

export type Store = ReturnType<typeof createStore>;

/** A shipment's copy of an address: the address fields only, without the order address's counts and costs. */
const bareAddress = ({ first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email }: Address): Address => ({ first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email });

const idCounter = (start = 1) => {
  let next = start;
  return { next: () => next++, peek: () => next, set: (n: number) => (next = n) };
};

export function createStore(options: StoreOptions) {
  const { clock, ledger } = options;
  const info: StoreInfo = { hash: options.hash, storeId: options.storeId, name: `Simulated store ${options.hash}`, plan: options.plan, defaultCurrency: 'USD' };
  const defaultAccount: ApiAccount = {
    name: 'integration',
    clientId: `client_${options.hash}_${options.seed}`,
    accessToken: options.accessToken ?? randomToken(),
    scopes: [...FULL_SCOPES],
  };
  const accounts: ApiAccount[] = [defaultAccount, ...(options.accounts ?? [])];

  let faker: Faker;
  let products = new Map<number, V3Product>();
  let variants = new Map<number, V3Variant>();
  let variantsByProduct = new Map<number, V3Variant[]>();
  let productOptions: ProductOptionDef[] = [];
  let customerGroups: CustomerGroup[] = [];
  let customers = new Map<number, V3Customer>();
  let worstCase: WorstCaseExtras | undefined;
  // Brands a product may name (0 = no brand). No brand collection is served yet, so the seed's ids.
  let brandIds = new Set<number>();
  let brandLookup: ((id: number) => boolean) | undefined;
  // Inventory locations an adjustment may name (the locations family); a store without it takes any, as before.
  let locationLookup: ((id: number) => boolean) | undefined;
  let orders = new Map<number, OrderAggregate>();
  const hooks = new Map<number, Hook>();
  const carts = new Map<string, Cart>();
  // Items that have had an absolute adjustment (or seeded stock): relative needs one first.
  let absoluteBaseline = new Set<string>();
  const ids = {
    order: idCounter(100),
    orderProduct: idCounter(1),
    address: idCounter(1),
    coupon: idCounter(1),
    shipment: idCounter(1),
    hook: idCounter(1),
    product: idCounter(1),
    variant: idCounter(1),
    customer: idCounter(1),
    transaction: idCounter(1),
    refund: idCounter(1),
    fee: idCounter(1),
  };
  const notifications: { at: string; hookId: number; message: string; emails: string[] }[] = [];
  // Notification emails per API account: /hooks/admin lists and sets those of the calling account (webhooks.v3.yml).
  const adminEmails = new Map<string, string[]>();

  const nowIso = () => new Date(clock.now()).toISOString();
  // `kind` first, then `at`: readers can filter lines by prefix without parsing them.
  const record = (entry: Omit<LedgerEntry, 'at' | 'store'>) => ledger.append({ kind: entry.kind, at: nowIso(), store: info.hash, ...entry } as LedgerEntry);

  const changed = (kind: 'resource:created' | 'resource:updated' | 'resource:deleted', resource: string, id: number | string, body: unknown) =>
    // Hook headers carry receivers' secrets; the ledger keeps their fingerprints (redact.ts).
    record({ kind, resource, id, body: resource === 'hook' ? redactHook(body as Hook) : body });

  const hookMatches = (pattern: string, scope: string) =>
    pattern === scope || (pattern.endsWith('/*') && scope.startsWith(pattern.slice(0, -1)));

  const emit = (scope: string, data: WebhookData) => {
    const payload = buildWebhookPayload({ scope, storeId: info.storeId, storeHash: info.hash, data, createdAtMs: clock.now() });
    const targets = [...hooks.values()].filter((h) => h.is_active && hookMatches(h.scope, scope) && (scope !== 'store/hook/deliveryException'));
    record({ kind: 'webhook:event', scope, hash: payload.hash, data, hooks: targets.map((h) => h.id) });
    if (targets.length > 0) options.onWebhook(store, targets, payload);
  };

  const seedState = () => {
    faker = createSeededFaker(options.seed + 1);
    const catalog = generateCatalog({ seed: options.seed, now: clock.now(), products: options.products, customers: options.customers, ...(options.catalog ? { catalog: options.catalog } : {}) });
    worstCase = catalog.worstCase;
    products = new Map(catalog.products.map((p) => [p.id, p]));
    variants = new Map(catalog.variants.map((v) => [v.id, v]));
    variantsByProduct = new Map();
    for (const v of catalog.variants) {
      const list = variantsByProduct.get(v.product_id) ?? [];
      list.push(v);
      variantsByProduct.set(v.product_id, list);
    }
    productOptions = catalog.options;
    customerGroups = catalog.customerGroups;
    brandIds = new Set(catalog.brandIds);
    customers = new Map(catalog.customers.map((c) => [c.id, c]));
    orders = new Map();
    absoluteBaseline = new Set(catalog.variants.map((v) => `variant:${v.id}`).concat(catalog.products.map((p) => `product:${p.id}`)));
    ids.product.set(catalog.products.length + 1);
    ids.variant.set(catalog.variants.length + 1);
    ids.customer.set(catalog.customers.length + 1);
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) if (!['product', 'variant', 'customer'].includes(key)) ids[key].set(key === 'order' ? 100 : 1);
    // Past orders: dated over the last 30 days, in the statuses a running store has.
    const pastCount = options.pastOrders ?? 50;
    const now = clock.now();
    const pastStatuses = [10, 10, 2, 2, 11, 9, 5, 4, 7];
    for (let i = 0; i < pastCount; i++) {
      const at = now - (pastCount - i) * Math.floor((30 * 86_400_000) / Math.max(pastCount, 1));
      const generated = generateOrder('typical', orderContext(at));
      const statusId = faker.helpers.arrayElement(pastStatuses);
      const status = statusById(statusId)!;
      const o = generated.aggregate.order;
      o.status_id = status.id;
      o.status = status.name;
      o.custom_status = status.name;
      if (statusId === 2 || statusId === 10) {
        o.date_shipped = rfc2822(at + 86_400_000);
        o.items_shipped = o.items_total;
        for (const p of generated.aggregate.products) p.quantity_shipped = p.quantity;
        // A shipped order has the shipments that shipped it: one per address, its physical lines.
        for (const address of generated.aggregate.shippingAddresses) {
          const shipment = seededShipment(generated.aggregate, address, at + 86_400_000, ids.shipment.next());
          if (shipment) generated.aggregate.shipments.push(shipment);
        }
      }
      generated.aggregate.transactions.push(purchaseTransaction(generated.aggregate, at));
      orders.set(o.id, generated.aggregate);
    }
  };

  /** The shipment a seeded shipped order was shipped with (no webhook, no ledger line: it predates the run). */
  const seededShipment = (agg: OrderAggregate, address: V2ShippingAddress, at: number, id: number): V2Shipment | undefined => {
    const lines = agg.products.filter((p) => p.order_address_id === address.id && p.type !== 'digital' && p.quantity_shipped > 0);
    if (lines.length === 0) return undefined;
    address.items_shipped = lines.reduce((sum, p) => sum + p.quantity_shipped, 0);
    const tracking = `SIM${agg.order.id}${String(address.id).padStart(6, '0')}`;
    return {
      id,
      order_id: agg.order.id,
      customer_id: agg.order.customer_id,
      order_address_id: address.id,
      date_created: rfc2822(at),
      tracking_number: tracking,
      merchant_shipping_cost: address.cost_ex_tax,
      shipping_method: address.shipping_method,
      shipping_provider: '',
      tracking_carrier: 'ups',
      tracking_link: '',
      generated_tracking_link: `https://track.example/ups/${tracking}`,
      shipping_provider_display_name: 'Custom',
      comments: '',
      billing_address: bareAddress(agg.order.billing_address),
      shipping_address: bareAddress(address),
      items: lines.map((p) => ({ order_product_id: p.id, product_id: p.product_id, quantity: p.quantity_shipped })),
    };
  };

  const orderContext = (at: number) => ({
    faker,
    now: at,
    storeHash: info.hash,
    defaultCurrency: info.defaultCurrency,
    products: [...products.values()].filter((p) => p.is_visible && p.availability === 'available'),
    variantsByProduct,
    customers: [...customers.values()],
    groups: customerGroups,
    ids: { order: ids.order.next, orderProduct: ids.orderProduct.next, address: ids.address.next, coupon: ids.coupon.next },
  });

  const purchaseTransaction = (agg: OrderAggregate, at: number): Transaction => ({
    id: ids.transaction.next(),
    order_id: String(agg.order.id),
    event: agg.order.payment_status === 'pending' ? 'pending' : 'purchase',
    method: agg.order.payment_status === 'pending' ? 'offline' : 'credit_card',
    amount: Number(agg.order.total_inc_tax),
    currency: agg.order.currency_code,
    gateway: agg.order.payment_status === 'pending' ? 'custom' : 'testgateway',
    gateway_transaction_id: agg.order.payment_provider_id ?? '',
    status: 'ok',
    test: true,
    fraud_review: false,
    date_created: iso(at),
    payment_method_id: agg.order.payment_status === 'pending' ? 'custom' : 'testgateway.card',
  });

  const touchOrder = (agg: OrderAggregate) => {
    agg.modifiedAt = clock.now();
    agg.order.date_modified = rfc2822(agg.modifiedAt);
  };

  const orderSnapshot = (agg: OrderAggregate) => ({
    ...agg.order,
    products: agg.products,
    shipping_addresses: agg.shippingAddresses,
    coupons: agg.coupons,
  });

  const setStatus = (agg: OrderAggregate, statusId: number) => {
    const previous = agg.order.status_id;
    if (previous === statusId) return;
    const status = statusById(statusId);
    if (!status) throw unprocessable(`The status_id ${statusId} is not a valid order status.`, { status_id: 'must be one of the ids from /v2/order_statuses' });
    agg.order.status_id = status.id;
    agg.order.status = status.name;
    agg.order.custom_status = status.name;
    emit('store/order/statusUpdated', { type: 'order', id: agg.order.id, status: { previous_status_id: previous, new_status_id: statusId } });
  };

  /**
   * Replace an order's fees (order-fees.ts rules) and move its totals by the difference: the order
   * total includes its fees, so a refund can reach them.
   */
  const setFees = (agg: OrderAggregate, input: readonly FeeInput[]) => {
    const next = replaceFees(agg.order.fees, input, ids.fee.next);
    const before = feeTotals(agg.order.fees);
    const after = feeTotals(next);
    const o = agg.order;
    o.total_ex_tax = money(cents(Number(o.total_ex_tax) + after.ex - before.ex));
    o.total_inc_tax = money(cents(Number(o.total_inc_tax) + after.inc - before.inc));
    o.total_tax = money(cents(Number(o.total_tax) + after.tax - before.tax));
    o.fees = next;
  };

  const getOrder = (id: number, includeDeleted = true): OrderAggregate => {
    const agg = orders.get(id);
    if (!agg || (!includeDeleted && agg.order.is_deleted)) throw notFound('order');
    return agg;
  };

  const unknownBrand = (id: number, field: string) =>
    conflict(`Failed to save the product: brand ${id} does not exist. Use the id of an existing brand, or 0 for no brand.`, { [field]: `brand ${id} not found` });

  const stockKey = (kind: 'variant' | 'product', id: number) => `${kind}:${id}`;

  const applyStock = (variant: V3Variant, newLevel: number, method: 'absolute' | 'relative', byOrder: boolean) => {
    const product = products.get(variant.product_id)!;
    const delta = newLevel - variant.inventory_level;
    variant.inventory_level = newLevel;
    const siblings = variantsByProduct.get(product.id) ?? [variant];
    product.inventory_level = siblings.reduce((s, v) => s + v.inventory_level, 0);
    // `cause` tells a shopper's order taking stock from a write through the API, so the verifier
    // can check that an ERP stock count reached the store without mistaking a sale for it.
    record({ kind: 'resource:updated', resource: 'variant', id: variant.id, body: variant, cause: byOrder ? 'order' : 'api' });
    const value = method === 'relative' ? delta : newLevel;
    const productScope = byOrder ? 'store/product/inventory/order/updated' : 'store/product/inventory/updated';
    const skuScope = byOrder ? 'store/sku/inventory/order/updated' : 'store/sku/inventory/updated';
    emit(productScope, { type: 'product', id: product.id, inventory: { product_id: product.id, method, value } });
    if (product.inventory_tracking === 'variant') {
      emit(skuScope, { type: 'sku', id: variant.id, inventory: { product_id: product.id, method, value, variant_id: variant.id } });
    }
  };

  const resolveItem = (item: InventoryItemInput): V3Variant => {
    if (item.variant_id !== undefined) {
      const v = variants.get(item.variant_id);
      if (!v) throw unprocessable(`Items with identity: [variant_id ${item.variant_id}] were not found.`, { variant_id: `unknown variant ${item.variant_id}` });
      return v;
    }
    if (item.product_id !== undefined) {
      const p = products.get(item.product_id);
      if (!p) throw unprocessable(`Items with identity: [product_id ${item.product_id}] were not found.`, { product_id: `unknown product ${item.product_id}` });
      const list = variantsByProduct.get(p.id) ?? [];
      if (p.inventory_tracking === 'variant' && list.length > 1) {
        throw unprocessable(`Items with identity: [product_id ${p.id}] track inventory by variant; adjust a variant_id or sku.`, { product_id: 'tracks inventory by variant' });
      }
      return list[0]!;
    }
    const v = [...variants.values()].find((x) => x.sku === item.sku);
    if (!v) throw unprocessable(`Items with identity: [sku ${item.sku}] were not found.`, { sku: `unknown sku ${item.sku}` });
    return v;
  };

  const store = {
    info,
    accounts,
    quota: options.quota,
    get products() {
      return products;
    },
    get variants() {
      return variants;
    },
    get customers() {
      return customers;
    },
    get customerGroups() {
      return customerGroups;
    },
    get productOptions() {
      return productOptions;
    },
    /** The catalog profile the store was seeded with. */
    catalogProfile: (options.catalog ?? 'typical') as CatalogProfile,
    /** The worst-case profile's extras (the deep category chain, the 600-variant product) for the families' seeds; undefined for `typical`. */
    get worstCase(): WorstCaseExtras | undefined {
      return worstCase;
    },
    /** Whether a product may name this brand: 0 (no brand) or a brand the store has. */
    hasBrand(id: number): boolean {
      return id === 0 || (brandLookup ? brandLookup(id) : brandIds.has(id));
    },
    /**
     * Where brands live once the brands family serves them (simulator.ts wires it), so a brand
     * created or deleted through /v3/catalog/brands is what a product may name; until then, the
     * seeded ids.
     */
    setBrandLookup(lookup: (id: number) => boolean): void {
      brandLookup = lookup;
    },
    /** Where inventory locations live (the locations family; simulator.ts wires it), so an adjustment naming an unknown one is refused. */
    setLocationLookup(lookup: (id: number) => boolean): void {
      locationLookup = lookup;
    },
    /** Slots of the 3-concurrent-updates rule on `PUT /v3/customers`; not reset with the store, since requests may still hold them. */
    customerUpdates: createSlots(CUSTOMER_CONCURRENT_UPDATES),
    get orders() {
      return orders;
    },
    hooks,
    carts,
    notifications,
    record,
    /** Raise a webhook scope to every active hook that matches it (the declared families in simulator/families raise theirs here). */
    emit,

    findAccount(token: string): ApiAccount | undefined {
      return accounts.find((a) => a.accessToken === token);
    },

    /** Add an app's API account, replacing the client's previous one (its old token stops working). */
    putAccount(account: ApiAccount): void {
      const at = accounts.findIndex((a) => a.clientId === account.clientId);
      if (at >= 0) accounts.splice(at, 1, account);
      else accounts.push(account);
    },

    /** Remove a client's API account: its token answers 401 from now on. */
    removeAccount(clientId: string): ApiAccount | undefined {
      const at = accounts.findIndex((a) => a.clientId === clientId);
      return at >= 0 ? accounts.splice(at, 1)[0] : undefined;
    },

    // ----- orders -----
    listOrders(filter: OrderFilter): OrderAggregate[] {
      const result: OrderAggregate[] = [];
      for (const agg of orders.values()) {
        const o = agg.order;
        if (o.is_deleted !== (filter.deleted ?? false)) continue;
        if (filter.minId !== undefined && o.id < filter.minId) continue;
        if (filter.maxId !== undefined && o.id > filter.maxId) continue;
        if (filter.customerId !== undefined && o.customer_id !== filter.customerId) continue;
        if (filter.statusId !== undefined && o.status_id !== filter.statusId) continue;
        if (filter.email !== undefined && o.billing_address.email.toLowerCase() !== filter.email.toLowerCase()) continue;
        if (filter.cartId !== undefined && o.cart_id !== filter.cartId) continue;
        if (filter.paymentMethod !== undefined && o.payment_method !== filter.paymentMethod) continue;
        if (filter.channelId !== undefined && o.channel_id !== filter.channelId) continue;
        if (filter.externalOrderId !== undefined && o.external_order_id !== filter.externalOrderId) continue;
        const total = Number(o.total_inc_tax);
        if (filter.minTotal !== undefined && total < filter.minTotal) continue;
        if (filter.maxTotal !== undefined && total > filter.maxTotal) continue;
        if (filter.minDateCreated !== undefined && agg.createdAt < filter.minDateCreated) continue;
        if (filter.maxDateCreated !== undefined && agg.createdAt > filter.maxDateCreated) continue;
        if (filter.minDateModified !== undefined && agg.modifiedAt < filter.minDateModified) continue;
        if (filter.maxDateModified !== undefined && agg.modifiedAt > filter.maxDateModified) continue;
        result.push(agg);
      }
      const sort = filter.sort ?? { field: 'id', dir: 'asc' };
      const key = (a: OrderAggregate): number | string => {
        switch (sort.field) {
          case 'id':
            return a.order.id;
          case 'customer_id':
            return a.order.customer_id;
          case 'date_created':
            return a.createdAt;
          case 'date_modified':
            return a.modifiedAt;
          case 'status_id':
            return a.order.status_id;
          case 'channel_id':
            return a.order.channel_id;
          case 'external_id':
            return a.order.external_id ?? '';
          default:
            return sort.field satisfies never;
        }
      };
      const dir = sort.dir === 'desc' ? -1 : 1;
      result.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return (ka < kb ? -1 : ka > kb ? 1 : a.order.id - b.order.id) * dir;
      });
      return result;
    },

    getOrder,

    placeShopperOrder(profile: OrderProfile): OrderAggregate {
      const at = clock.now();
      const generated = generateOrder(profile, orderContext(at));
      const agg = generated.aggregate;
      if (agg.products.length === 0) {
        throw conflict('Failed to place the order: no product in the catalog has stock left. Reset the store or add inventory.');
      }
      // The shopper's cart becomes the order (store/cart/created then converted).
      const cart: Cart = {
        id: agg.order.cart_id,
        customer_id: agg.order.customer_id,
        channel_id: 1,
        email: agg.order.billing_address.email,
        currency: agg.order.currency_code,
        base_amount: Number(agg.order.subtotal_ex_tax),
        cart_amount: Number(agg.order.total_inc_tax),
        line_items: agg.products.map((p) => ({ id: randomUUID(), product_id: p.product_id, variant_id: p.variant_id, sku: p.sku, quantity: p.quantity, list_price: Number(p.base_price) })),
        created_time: iso(at),
        updated_time: iso(at),
        lastActivityAt: at,
        state: 'converted',
        order_id: agg.order.id,
      };
      // A converted cart lives on only in the ledger: keeping every one in memory would cost more
      // than the orders themselves in a long flash sale.
      changed('resource:created', 'cart', cart.id, cart);
      emit('store/cart/created', { type: 'cart', id: cart.id });
      // Checkout creates the order as Incomplete (0) and moves it to its paid status, which is
      // why the platform's example statusUpdated payload goes from 0 to 11.
      const targetStatus = agg.order.status_id;
      const incomplete = statusById(0)!;
      agg.order.status_id = 0;
      agg.order.status = incomplete.name;
      agg.order.custom_status = incomplete.name;
      agg.transactions.push(purchaseTransaction(agg, at));
      orders.set(agg.order.id, agg);
      emit('store/order/created', { type: 'order', id: agg.order.id });
      emit('store/cart/converted', { type: 'cart', id: cart.id, orderId: agg.order.id });
      setStatus(agg, targetStatus);
      changed('resource:created', 'order', agg.order.id, orderSnapshot(agg));
      for (const take of generated.stock) {
        const v = variants.get(take.variantId);
        if (v) applyStock(v, v.inventory_level - take.quantity, 'relative', true);
      }
      return agg;
    },

    createOrder(input: {
      customer_id?: number;
      status_id?: number;
      billing_address: Address & { form_fields?: { name: string; value: string }[] };
      shipping_addresses?: Address[];
      /** `list_price`: a cart line's price (a checkout's order keeps the cart's prices, which may be overridden); otherwise the catalog's. */
      products: ({ product_id: number; quantity: number; variant_id?: number; list_price?: number } | { name: string; quantity: number; price_inc_tax: number; price_ex_tax: number; sku?: string })[];
      customer_message?: string;
      staff_notes?: string;
      external_source?: string;
      external_id?: string;
      external_order_id?: string;
      payment_method?: string;
      channel_id?: number;
      /** A checkout's order (`POST /v3/checkouts/{id}/orders`): the cart it came from, its shipping and the storefront source. */
      checkout?: { cart_id: string; shipping_method: string; shipping_cost: number; currency: string; exchange_rate: number };
      fees?: FeeInput[];
    }): OrderAggregate {
      if (input.customer_id && input.customer_id > 0 && !customers.has(input.customer_id)) {
        throw unprocessable(`The customer_id ${input.customer_id} does not exist.`, { customer_id: 'unknown customer' });
      }
      const at = clock.now();
      // Generate a shell order, then replace its lines and addresses with the request's.
      const shell = generateOrder('typical', { ...orderContext(at), products: [] }).aggregate;
      const o = shell.order;
      const addressId = ids.address.next();
      const shipTo = input.shipping_addresses?.[0] ?? input.billing_address;
      const lines = input.products.map((line, i) => {
        if ('product_id' in line) {
          const product = products.get(line.product_id);
          if (!product) throw unprocessable(`The product_id ${line.product_id} does not exist.`, { [`products[${i}].product_id`]: 'unknown product' });
          const variant = line.variant_id !== undefined ? variants.get(line.variant_id) : variantsByProduct.get(product.id)?.[0];
          if (!variant || variant.product_id !== product.id) throw unprocessable(`The variant_id ${line.variant_id} does not belong to product ${product.id}.`, { [`products[${i}].variant_id`]: 'unknown variant' });
          const price = line.list_price ?? variant.price ?? product.price;
          return { product_id: product.id, variant_id: variant.id, name: product.name, sku: variant.sku, quantity: line.quantity, ex: price, inc: price, type: product.type };
        }
        return { product_id: 0, variant_id: 0, name: line.name, sku: line.sku ?? '', quantity: line.quantity, ex: line.price_ex_tax, inc: line.price_inc_tax, type: 'physical' as const };
      });
      const template = generateOrder('typical', orderContext(at)).aggregate.products[0];
      if (!template) throw conflict('Failed to create the order: the catalog has no purchasable product to model lines on.');
      ids.order.set(o.id + 1);
      shell.products = lines.map((l) => {
        const id = ids.orderProduct.next();
        const ex = cents(l.ex * l.quantity);
        const inc = cents(l.inc * l.quantity);
        return {
          ...template,
          id,
          order_id: o.id,
          product_id: l.product_id,
          variant_id: l.variant_id,
          order_address_id: addressId,
          name: l.name,
          name_customer: l.name,
          name_merchant: l.name,
          sku: l.sku,
          type: l.type,
          base_price: money(l.ex),
          price_ex_tax: money(l.ex),
          price_inc_tax: money(l.inc),
          price_tax: money(l.inc - l.ex),
          base_total: money(ex),
          total_ex_tax: money(ex),
          total_inc_tax: money(inc),
          total_tax: money(inc - ex),
          quantity: l.quantity,
          discounted_total_inc_tax: money(inc),
          product_options: [],
          applied_discounts: [],
        };
      });
      const subEx = cents(shell.products.reduce((s, p) => s + Number(p.total_ex_tax), 0));
      const subInc = cents(shell.products.reduce((s, p) => s + Number(p.total_inc_tax), 0));
      // A checkout's order carries the selected shipping option's cost (tax on shipping is not modelled).
      const shipping = cents(input.checkout?.shipping_cost ?? 0);
      shell.shippingAddresses = [
        {
          ...(shell.shippingAddresses[0] ?? ({} as never)),
          ...shipTo,
          id: addressId,
          order_id: o.id,
          items_total: lines.reduce((s, l) => s + l.quantity, 0),
          items_shipped: 0,
          base_cost: money(shipping),
          cost_ex_tax: money(shipping),
          cost_inc_tax: money(shipping),
          cost_tax: money(0),
          ...(input.checkout ? { shipping_method: input.checkout.shipping_method } : {}),
          form_fields: [],
        },
      ];
      shell.coupons = [];
      // An order made through the API has no checkout quote: its quote endpoints answer 204
      // (orders.v2.oas2.yml); a checkout's order keeps the quote of the shipping option chosen.
      shell.shippingQuotes = input.checkout ? shell.shippingAddresses.map((a) => shippingQuoteFor(a, at)) : [];
      Object.assign(o, {
        customer_id: input.customer_id ?? 0,
        billing_address: { ...input.billing_address, form_fields: input.billing_address.form_fields ?? [] },
        subtotal_ex_tax: money(subEx),
        subtotal_inc_tax: money(subInc),
        subtotal_tax: money(subInc - subEx),
        base_shipping_cost: money(shipping),
        shipping_cost_ex_tax: money(shipping),
        shipping_cost_inc_tax: money(shipping),
        shipping_cost_tax: money(0),
        total_ex_tax: money(subEx + shipping),
        total_inc_tax: money(subInc + shipping),
        total_tax: money(subInc - subEx),
        coupon_discount: money(0),
        store_credit_amount: money(0),
        gift_certificate_amount: money(0),
        items_total: lines.reduce((s, l) => s + l.quantity, 0),
        customer_message: input.customer_message ?? '',
        staff_notes: input.staff_notes ?? '',
        external_source: input.external_source ?? null,
        external_id: input.external_id ?? null,
        external_order_id: input.external_order_id ?? '',
        payment_method: input.payment_method ?? 'Manual',
        payment_provider_id: '',
        payment_status: '',
        order_source: input.checkout ? 'checkout_api' : 'external',
        ...(input.checkout ? { cart_id: input.checkout.cart_id } : {}),
        channel_id: input.channel_id ?? 1,
        shipping_address_count: 1,
        order_is_digital: lines.every((l) => l.type === 'digital'),
        currency_id: 1,
        currency_code: input.checkout?.currency ?? info.defaultCurrency,
        default_currency_code: info.defaultCurrency,
        currency_exchange_rate: (input.checkout?.exchange_rate ?? 1).toFixed(10),
        store_default_to_transactional_exchange_rate: '1.0000000000',
        customer_locale: 'en',
        tax_provider_id: '',
      });
      // API-created orders default to Pending (1) (facts section d, status ids).
      const statusId = input.status_id ?? 1;
      const status = statusById(statusId);
      if (!status) throw unprocessable(`The status_id ${statusId} is not a valid order status.`, { status_id: 'must be one of the ids from /v2/order_statuses' });
      o.status_id = status.id;
      o.status = status.name;
      o.custom_status = status.name;
      o.fees = [];
      if (input.fees) setFees(shell, input.fees);
      orders.set(o.id, shell);
      changed('resource:created', 'order', o.id, orderSnapshot(shell));
      emit('store/order/created', { type: 'order', id: o.id });
      return shell;
    },

    /**
     * A checkout became an order (`POST /v3/checkouts/{id}/orders`): the cart is converted and, as
     * webhooks.v3.yml says, "automatically deleted and no longer accessible". Like a shopper's
     * converted cart, it lives on only in the ledger, so a long run keeps no converted cart in memory.
     */
    convertCart(cartId: string, orderId: number): void {
      const cart = carts.get(cartId);
      if (!cart) throw notFound('cart');
      cart.state = 'converted';
      cart.order_id = orderId;
      carts.delete(cartId);
      changed('resource:deleted', 'cart', cartId, cart);
      emit('store/cart/converted', { type: 'cart', id: cartId, orderId });
    },

    updateOrder(id: number, patch: { status_id?: number; customer_message?: string; staff_notes?: string; external_id?: string | null; external_source?: string | null; external_order_id?: string; payment_status?: string; billing_address?: Partial<Address>; is_deleted?: boolean; fees?: FeeInput[] }): OrderAggregate {
      const { is_deleted: deleted, ...fields } = patch;
      const agg = getOrder(id);
      const o = agg.order;
      // An archived order stays readable; changing it takes `is_deleted` in the same request
      // (false restores it, true leaves it archived), so a stray update cannot revive it unseen.
      if (o.is_deleted && deleted === undefined) {
        throw new DomainError('not-found', `Failed to update order ${id}: it is archived. Restore it with PUT /v2/orders/${id} {"is_deleted": false} first.`, { is_deleted: 'order is archived' });
      }
      // `is_deleted: true` has the same result as DELETE (orders.v2.oas2.yml, order is_deleted).
      if (deleted === true && Object.keys(fields).length === 0) {
        if (!o.is_deleted) store.archiveOrder(id);
        return agg;
      }
      // Fees first: a bad fee refuses the whole update before anything changed.
      if (patch.fees !== undefined) setFees(agg, patch.fees);
      // Restoring is not documented; the simulator raises store/order/updated for it.
      if (deleted === false) o.is_deleted = false;
      if (patch.customer_message !== undefined) o.customer_message = patch.customer_message;
      if (patch.staff_notes !== undefined) o.staff_notes = patch.staff_notes;
      if (patch.external_id !== undefined) o.external_id = patch.external_id;
      if (patch.external_source !== undefined) o.external_source = patch.external_source;
      if (patch.external_order_id !== undefined) o.external_order_id = patch.external_order_id;
      if (patch.payment_status !== undefined) o.payment_status = patch.payment_status;
      if (patch.billing_address) o.billing_address = { ...o.billing_address, ...patch.billing_address };
      touchOrder(agg);
      if (patch.status_id !== undefined) setStatus(agg, patch.status_id);
      changed('resource:updated', 'order', id, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id });
      if (deleted === true && !o.is_deleted) store.archiveOrder(id);
      return agg;
    },

    archiveOrder(id: number): void {
      const agg = getOrder(id, false);
      agg.order.is_deleted = true;
      touchOrder(agg);
      changed('resource:deleted', 'order', id, orderSnapshot(agg));
      emit('store/order/archived', { type: 'order', id });
    },

    /** `DELETE /v2/orders`: archives every live order (orders.v2.oas2.yml "Archives all orders"), each raising store/order/archived. */
    archiveAllOrders(): number[] {
      const live = [...orders.values()].filter((a) => !a.order.is_deleted).map((a) => a.order.id);
      for (const id of live) store.archiveOrder(id);
      return live;
    },

    /**
     * `PUT /v2/orders/{id}/shipping_addresses/{id}`: the address fields only; "updating a shipping
     * address will NOT trigger the recalculation of shipping cost and tax" (orders.v2.oas2.yml).
     */
    updateShippingAddress(orderId: number, addressId: number, patch: Partial<Address> & { shipping_method?: string; form_fields?: { name: string; value: string }[] }): V2ShippingAddress {
      const agg = getOrder(orderId);
      const address = agg.shippingAddresses.find((a) => a.id === addressId);
      if (!address) throw notFound('shipping address');
      Object.assign(address, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      touchOrder(agg);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return address;
    },

    countOrders(): { statuses: { id: number; name: string; system_label: string; custom_label: string; system_description: string; count: number; sort_order: number }[]; count: number } {
      const counts = new Map<number, number>();
      let count = 0;
      for (const agg of orders.values()) {
        if (agg.order.is_deleted) continue;
        counts.set(agg.order.status_id, (counts.get(agg.order.status_id) ?? 0) + 1);
        count++;
      }
      const statuses = [...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([sid, n]) => {
          const s = statusById(sid)!;
          return { id: s.id, name: s.name, system_label: s.system_label, custom_label: s.custom_label, system_description: s.system_description, count: n, sort_order: s.order };
        });
      return { statuses, count };
    },

    // ----- shipments -----
    createShipment(orderId: number, input: ShipmentInput): V2Shipment {
      const agg = getOrder(orderId, false);
      const address = agg.shippingAddresses.find((a) => a.id === input.order_address_id);
      if (!address) throw unprocessable(`The order_address_id ${input.order_address_id} is not an address of order ${orderId}.`, { order_address_id: 'unknown address for this order' });
      const lines = input.items.map((item, i) => {
        const line = agg.products.find((p) => p.id === item.order_product_id);
        if (!line) throw unprocessable(`The order_product_id ${item.order_product_id} is not a line of order ${orderId}.`, { [`items[${i}].order_product_id`]: 'unknown order product' });
        if (line.quantity_shipped + item.quantity > line.quantity) {
          throw unprocessable(`Cannot ship ${item.quantity} of order product ${line.id}: only ${line.quantity - line.quantity_shipped} left to ship.`, { [`items[${i}].quantity`]: 'exceeds the quantity left to ship' });
        }
        return { line, quantity: item.quantity };
      });
      const now = clock.now();
      for (const { line, quantity } of lines) line.quantity_shipped += quantity;
      const shipped = lines.reduce((s, l) => s + l.quantity, 0);
      address.items_shipped += shipped;
      agg.order.items_shipped += shipped;
      const shipment: V2Shipment = {
        id: ids.shipment.next(),
        order_id: orderId,
        customer_id: agg.order.customer_id,
        order_address_id: address.id,
        date_created: rfc2822(now),
        tracking_number: input.tracking_number ?? '',
        merchant_shipping_cost: input.merchant_shipping_cost ?? money(0),
        shipping_method: input.shipping_method ?? address.shipping_method,
        shipping_provider: input.shipping_provider ?? '',
        tracking_carrier: input.tracking_carrier ?? '',
        tracking_link: input.tracking_link ?? '',
        generated_tracking_link: input.tracking_number && input.tracking_carrier ? `https://track.example/${input.tracking_carrier}/${encodeURIComponent(input.tracking_number)}` : '',
        shipping_provider_display_name: input.shipping_provider ? input.shipping_provider.toUpperCase() : 'Custom',
        comments: input.comments ?? '',
        billing_address: bareAddress(agg.order.billing_address),
        shipping_address: bareAddress(address),
        items: lines.map(({ line, quantity }) => ({ order_product_id: line.id, product_id: line.product_id, quantity })),
      };
      agg.shipments.push(shipment);
      const physical = agg.products.filter((p) => p.type !== 'digital');
      const allShipped = physical.every((p) => p.quantity_shipped >= p.quantity);
      if (allShipped) agg.order.date_shipped = rfc2822(now);
      touchOrder(agg);
      changed('resource:created', 'shipment', shipment.id, shipment);
      emit('store/shipment/created', { type: 'shipment', id: shipment.id, orderId });
      setStatus(agg, allShipped ? 2 : 3);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return shipment;
    },

    getShipment(orderId: number, shipmentId: number): V2Shipment {
      const shipment = getOrder(orderId).shipments.find((s) => s.id === shipmentId);
      if (!shipment) throw notFound('shipment');
      return shipment;
    },

    updateShipment(orderId: number, shipmentId: number, patch: Partial<Pick<V2Shipment, 'tracking_number' | 'tracking_carrier' | 'tracking_link' | 'shipping_method' | 'shipping_provider' | 'comments' | 'merchant_shipping_cost'>>): V2Shipment {
      const shipment = store.getShipment(orderId, shipmentId);
      Object.assign(shipment, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      touchOrder(getOrder(orderId));
      changed('resource:updated', 'shipment', shipmentId, shipment);
      emit('store/shipment/updated', { type: 'shipment', id: shipmentId, orderId });
      return shipment;
    },

    deleteShipment(orderId: number, shipmentId: number): void {
      const agg = getOrder(orderId);
      const index = agg.shipments.findIndex((s) => s.id === shipmentId);
      if (index < 0) throw notFound('shipment');
      const [shipment] = agg.shipments.splice(index, 1);
      // Deleting a shipment gives the quantities back but does not take the order out of
      // Shipped (facts section f).
      for (const item of shipment!.items) {
        const line = agg.products.find((p) => p.id === item.order_product_id);
        if (line) line.quantity_shipped = Math.max(0, line.quantity_shipped - item.quantity);
        agg.order.items_shipped = Math.max(0, agg.order.items_shipped - item.quantity);
      }
      touchOrder(agg);
      changed('resource:deleted', 'shipment', shipmentId, shipment);
      emit('store/shipment/deleted', { type: 'shipment', id: shipmentId, orderId });
    },

    /** `DELETE /v2/orders/{id}/shipments`: every shipment of the order, each as a single delete would. */
    deleteShipments(orderId: number): number[] {
      const shipmentIds = getOrder(orderId).shipments.map((s) => s.id);
      for (const id of shipmentIds) store.deleteShipment(orderId, id);
      return shipmentIds;
    },

    // ----- refunds and transactions (V3) -----
    /** One refund by id, whatever its order (`GET /v3/orders/payment_actions/refunds/{refund_id}`). */
    getRefund(refundId: number): Refund {
      for (const agg of orders.values()) {
        const refund = agg.refunds.find((r) => r.id === refundId);
        if (refund) return refund;
      }
      throw notFound('refund');
    },

    createRefund(orderId: number, input: { items: { item_type: 'PRODUCT' | 'SHIPPING' | 'HANDLING' | 'ORDER' | 'GIFT_WRAPPING'; item_id: number; quantity?: number; amount?: number; reason?: string }[]; payments?: { provider_id: string; amount: number; offline?: boolean }[]; reason?: string }): Refund {
      const agg = getOrder(orderId, false);
      let total = 0;
      const items = input.items.map((item, i) => {
        if (item.item_type === 'PRODUCT') {
          const line = agg.products.find((p) => p.id === item.item_id);
          if (!line) throw unprocessable(`Order product ${item.item_id} is not on order ${orderId}.`, { [`items[${i}].item_id`]: 'unknown order product' });
          const quantity = item.quantity ?? 1;
          if (line.quantity_refunded + quantity > line.quantity) throw unprocessable(`Cannot refund ${quantity} of order product ${line.id}: only ${line.quantity - line.quantity_refunded} refundable.`, { [`items[${i}].quantity`]: 'exceeds the refundable quantity' });
          line.quantity_refunded += quantity;
          line.is_refunded = line.quantity_refunded >= line.quantity;
          total += Number(line.price_inc_tax) * quantity;
          return { item_type: item.item_type, item_id: item.item_id, quantity, requested_amount: null, reason: item.reason ?? '' };
        }
        const amount = item.amount ?? 0;
        total += amount;
        return { item_type: item.item_type, item_id: item.item_id, requested_amount: amount, reason: item.reason ?? '' };
      });
      total = cents(total);
      const already = Number(agg.order.refunded_amount);
      if (already + total > Number(agg.order.total_inc_tax) + 0.005) {
        throw unprocessable(`Refund of ${total} exceeds the refundable amount ${cents(Number(agg.order.total_inc_tax) - already)}.`, { items: 'refund total exceeds the order total' });
      }
      const refund: Refund = {
        id: ids.refund.next(),
        order_id: orderId,
        user_id: 0,
        created: iso(clock.now()),
        reason: input.reason ?? '',
        total_amount: total,
        total_tax: 0,
        uses_merchant_override_values: false,
        items,
        payments: (input.payments ?? [{ provider_id: 'testgateway', amount: total, offline: false }]).map((p, i) => ({ id: i + 1, provider_id: p.provider_id, amount: p.amount, offline: p.offline ?? false, is_declined: false, declined_message: '' })),
      };
      agg.refunds.push(refund);
      agg.transactions.push({ ...purchaseTransaction(agg, clock.now()), event: 'refund', amount: total, ...(agg.transactions[0] ? { reference_transaction_id: agg.transactions[0].id } : {}) });
      const refundedAmount = cents(already + total);
      agg.order.refunded_amount = money(refundedAmount);
      const full = refundedAmount >= Number(agg.order.total_inc_tax) - 0.005;
      agg.order.payment_status = full ? 'refunded' : 'partially refunded';
      touchOrder(agg);
      changed('resource:created', 'refund', refund.id, refund);
      emit('store/order/refund/created', { type: 'order', id: orderId, refund: { refund_id: refund.id } });
      setStatus(agg, full ? 4 : 14);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return refund;
    },

    // ----- catalog -----
    variantsOf(productId: number): V3Variant[] {
      return variantsByProduct.get(productId) ?? [];
    },

    updateProducts(batch: ({ id: number } & Partial<Pick<V3Product, 'name' | 'type' | 'sku' | 'price' | 'cost_price' | 'retail_price' | 'sale_price' | 'map_price' | 'inventory_level' | 'inventory_warning_level' | 'is_visible' | 'description' | 'weight' | 'availability' | 'upc' | 'mpn' | 'gtin' | 'categories' | 'brand_id'>>)[]): V3Product[] {
      // Validate the whole batch first: the platform applies a batch all or nothing.
      batch.forEach((item, i) => {
        const p = products.get(item.id);
        if (!p) throw unprocessable(`Product ${item.id} does not exist.`, { [`[${i}].id`]: `product ${item.id} not found` });
        if (item.sku !== undefined && item.sku !== p.sku && [...products.values()].some((o) => o.sku === item.sku)) {
          throw conflict(`The SKU "${item.sku}" is already in use.`, { [`[${i}].sku`]: 'duplicate sku' });
        }
        if (item.name !== undefined && item.name !== p.name && [...products.values()].some((o) => o.name === item.name)) {
          throw conflict(`The product name "${item.name}" is already in use.`, { [`[${i}].name`]: 'duplicate name' });
        }
        // A missing brand is a 409 like a duplicate name (products_catalog.v3.yml, 409 of every product write).
        if (item.brand_id !== undefined && !store.hasBrand(item.brand_id)) throw unknownBrand(item.brand_id, `[${i}].brand_id`);
        if (item.inventory_level !== undefined && p.inventory_tracking === 'variant') {
          throw unprocessable(`Product ${p.id} tracks inventory by variant; update the variants' inventory instead.`, { [`[${i}].inventory_level`]: 'product tracks inventory by variant' });
        }
      });
      return batch.map((item) => {
        const p = products.get(item.id)!;
        const { id: _id, inventory_level, ...rest } = item;
        void _id;
        const priceChanged = Object.keys(rest).length > 0;
        Object.assign(p, rest);
        if (rest.price !== undefined) p.calculated_price = rest.sale_price || rest.price;
        p.date_modified = iso(clock.now());
        if (priceChanged) {
          changed('resource:updated', 'product', p.id, p);
          emit('store/product/updated', { type: 'product', id: p.id });
        }
        if (inventory_level !== undefined) {
          // Catalog writes clamp and count as absolute (facts section e, inventory).
          absoluteBaseline.add(stockKey('product', p.id));
          applyStock(variantsByProduct.get(p.id)![0]!, Math.min(inventory_level, 2_147_483_647), 'absolute', false);
        }
        return p;
      });
    },

    updateVariants(batch: ({ id: number } & Partial<Pick<V3Variant, 'sku' | 'price' | 'sale_price' | 'cost_price' | 'retail_price' | 'map_price' | 'inventory_level' | 'inventory_warning_level' | 'purchasing_disabled' | 'upc' | 'mpn' | 'gtin' | 'weight'>>)[]): V3Variant[] {
      batch.forEach((item, i) => {
        if (!variants.has(item.id)) throw unprocessable(`Variant ${item.id} does not exist.`, { [`[${i}].id`]: `variant ${item.id} not found` });
      });
      return batch.map((item) => {
        const v = variants.get(item.id)!;
        const { id: _id, inventory_level, ...rest } = item;
        void _id;
        Object.assign(v, rest);
        if (rest.price !== undefined) v.calculated_price = rest.price ?? v.calculated_price;
        const product = products.get(v.product_id)!;
        product.date_modified = iso(clock.now());
        if (Object.keys(rest).length > 0) {
          changed('resource:updated', 'variant', v.id, v);
          emit('store/sku/updated', { type: 'sku', id: v.id, sku: { product_id: v.product_id, variant_id: v.id } });
        }
        if (inventory_level !== undefined) {
          absoluteBaseline.add(stockKey('variant', v.id));
          applyStock(v, Math.min(inventory_level, 2_147_483_647), 'absolute', false);
        }
        return v;
      });
    },

    adjustInventory(method: 'absolute' | 'relative', items: InventoryItemInput[]): { transaction_id: string } {
      const unknownLocations = [...new Set(items.map((i) => i.location_id))].filter((id) => locationLookup !== undefined && !locationLookup(id));
      if (unknownLocations.length > 0) {
        throw unprocessable(`Locations with id: [${unknownLocations.join(', ')}] were not found. Create them with POST /v3/inventory/locations first.`, { location_id: `unknown location ${unknownLocations.join(', ')}` });
      }
      const resolved = items.map((item) => ({ item, variant: resolveItem(item) }));
      if (method === 'relative') {
        const missing = resolved.filter(({ variant }) => !absoluteBaseline.has(stockKey('variant', variant.id)) && !absoluteBaseline.has(stockKey('product', variant.product_id)));
        if (missing.length > 0) {
          const identity = missing.map(({ item, variant }) => (item.product_id !== undefined ? `product_id ${item.product_id}` : item.sku !== undefined ? `sku ${item.sku}` : `variant_id ${variant.id}`));
          throw unprocessable(`Items with identity: [${identity.join(', ')}] requires absolute adjustment before relative`, { items: 'requires absolute adjustment before relative' });
        }
        const short = resolved.filter(({ item, variant }) => variant.inventory_level + item.quantity < 0);
        if (short.length > 0) {
          throw unprocessable(`Insufficient stock for variant_id ${short.map((s) => s.variant.id).join(', ')}.`, { items: 'insufficient stock for a relative decrease' });
        }
      }
      for (const { item, variant } of resolved) {
        if (method === 'absolute') {
          absoluteBaseline.add(stockKey('variant', variant.id));
          applyStock(variant, item.quantity, 'absolute', false);
        } else {
          applyStock(variant, variant.inventory_level + item.quantity, 'relative', false);
        }
      }
      return { transaction_id: randomUUID() };
    },

    createProduct(input: { name: string; type: 'physical' | 'digital'; weight: number; price: number; sku?: string; inventory_level?: number; inventory_tracking?: 'none' | 'product' | 'variant'; brand_id?: number }): V3Product {
      if ([...products.values()].some((p) => p.name === input.name)) throw conflict(`The product name "${input.name}" is a duplicate.`, { name: 'duplicate name' });
      if (input.sku && [...variants.values()].some((v) => v.sku === input.sku)) throw conflict(`The SKU "${input.sku}" is a duplicate.`, { sku: 'duplicate sku' });
      if (input.brand_id !== undefined && !store.hasBrand(input.brand_id)) throw unknownBrand(input.brand_id, 'brand_id');
      const template = products.values().next().value as V3Product;
      const id = ids.product.next();
      const now = iso(clock.now());
      const product: V3Product = {
        ...template,
        id,
        name: input.name,
        type: input.type,
        weight: input.weight,
        price: input.price,
        calculated_price: input.price,
        cost_price: 0,
        sku: input.sku ?? '',
        // Not the template's brand: a new product belongs to the brand it names, or to none.
        brand_id: input.brand_id ?? 0,
        inventory_level: 0,
        inventory_tracking: input.inventory_tracking ?? 'none',
        date_created: now,
        date_modified: now,
        custom_url: { url: `/${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`, is_customized: false },
      };
      const variant: V3Variant = { ...(variants.values().next().value as V3Variant), id: ids.variant.next(), product_id: id, sku: input.sku ?? '', sku_id: null, inventory_level: 0, option_values: [], price: null, calculated_price: input.price };
      product.base_variant_id = variant.id;
      products.set(id, product);
      variants.set(variant.id, variant);
      variantsByProduct.set(id, [variant]);
      changed('resource:created', 'product', id, product);
      emit('store/product/created', { type: 'product', id });
      if (input.inventory_level !== undefined) {
        absoluteBaseline.add(stockKey('product', id));
        applyStock(variant, input.inventory_level, 'absolute', false);
      }
      return product;
    },

    // ----- customers -----
    createCustomers(batch: { email: string; first_name: string; last_name: string; company?: string; phone?: string; notes?: string; customer_group_id?: number; tax_exempt_category?: string }[]): V3Customer[] {
      const existing = new Set([...customers.values()].map((c) => c.email.toLowerCase()));
      batch.forEach((c, i) => {
        if (existing.has(c.email.toLowerCase())) throw unprocessable('Create customers failed.', { [`.customer_create[${i}].email`]: `The email ${c.email} is already in use.` });
        if (c.customer_group_id && !customerGroups.some((g) => g.id === c.customer_group_id)) throw unprocessable('Create customers failed.', { [`.customer_create[${i}].customer_group_id`]: 'unknown customer group' });
        existing.add(c.email.toLowerCase());
      });
      return batch.map((c) => {
        const now = iso(clock.now());
        const customer: V3Customer = {
          id: ids.customer.next(),
          email: c.email,
          first_name: c.first_name,
          last_name: c.last_name,
          company: c.company ?? '',
          phone: c.phone ?? '',
          notes: c.notes ?? '',
          tax_exempt_category: c.tax_exempt_category ?? '',
          customer_group_id: c.customer_group_id ?? 0,
          date_created: now,
          date_modified: now,
          accepts_product_review_abandoned_cart_emails: false,
          registration_ip_address: '',
          origin_channel_id: 1,
          channel_ids: [1],
          address_count: 0,
          attribute_count: 0,
          addresses: [],
          store_credit_amounts: [{ amount: 0 }],
          authentication: { force_password_reset: false },
        };
        customers.set(customer.id, customer);
        changed('resource:created', 'customer', customer.id, customer);
        emit('store/customer/created', { type: 'customer', id: customer.id });
        return customer;
      });
    },

    updateCustomers(batch: ({ id: number } & Partial<Pick<V3Customer, 'email' | 'first_name' | 'last_name' | 'company' | 'phone' | 'notes' | 'customer_group_id' | 'tax_exempt_category'>>)[]): V3Customer[] {
      batch.forEach((c, i) => {
        const current = customers.get(c.id);
        if (!current) throw unprocessable('Update customers failed.', { [`.customer_update[${i}].id`]: `customer ${c.id} not found` });
        if (c.email && c.email.toLowerCase() !== current.email.toLowerCase() && [...customers.values()].some((o) => o.email.toLowerCase() === c.email!.toLowerCase())) {
          throw unprocessable('Update customers failed.', { [`.customer_update[${i}].email`]: `The email ${c.email} is already in use.` });
        }
      });
      return batch.map((c) => {
        const customer = customers.get(c.id)!;
        const { id: _id, ...rest } = c;
        void _id;
        Object.assign(customer, rest);
        customer.date_modified = iso(clock.now());
        changed('resource:updated', 'customer', customer.id, customer);
        emit('store/customer/updated', { type: 'customer', id: customer.id });
        return customer;
      });
    },

    /** A shopper registers an account on the storefront. */
    registerShopperCustomers(count: number): V3Customer[] {
      const made: V3Customer[] = [];
      for (let i = 0; i < count; i++) {
        const first = faker.person.firstName();
        const last = faker.person.lastName();
        made.push(...store.createCustomers([{ email: `${faker.internet.username({ firstName: first, lastName: last }).toLowerCase()}.${ids.customer.peek()}@example.net`, first_name: first, last_name: last }]));
      }
      return made;
    },

    /**
     * Abandon a cart after `abandonAfterMs` without activity (the platform: >= 1 h idle), once.
     * Reads the cart from the map each time, since an API change replaces the record and moves
     * `lastActivityAt` on (the carts family calls this for the carts it makes).
     */
    watchCart(id: string, abandonAfterMs = 3_600_000): void {
      const check = () => {
        const cart = carts.get(id);
        if (!cart || cart.state !== 'active') return;
        const idle = clock.now() - cart.lastActivityAt;
        if (idle < abandonAfterMs) {
          clock.setTimer(abandonAfterMs - idle, check);
          return;
        }
        cart.state = 'abandoned';
        cart.abandonedToken = randomBytes(16).toString('hex');
        record({ kind: 'cart:abandoned', id: cart.id, body: cart });
        emit('store/cart/abandoned', { type: 'cart', id: cart.id, token: cart.abandonedToken });
      };
      clock.setTimer(abandonAfterMs, check);
    },

    /** A shopper fills a cart and leaves; the platform raises abandoned after >= 1 h idle. */
    createShopperCarts(count: number, abandonAfterMs = 3_600_000): Cart[] {
      const made: Cart[] = [];
      const ctx = orderContext(clock.now());
      for (let i = 0; i < count; i++) {
        const product = faker.helpers.arrayElement(ctx.products);
        const variant = variantsByProduct.get(product.id)![0]!;
        const customer = faker.number.float() < 0.6 && customers.size > 0 ? faker.helpers.arrayElement([...customers.values()]) : undefined;
        const at = clock.now();
        const cart: Cart = {
          id: randomUUID(),
          customer_id: customer?.id ?? 0,
          channel_id: 1,
          email: customer?.email ?? '',
          currency: info.defaultCurrency,
          base_amount: product.price,
          cart_amount: product.price,
          line_items: [{ id: randomUUID(), product_id: product.id, variant_id: variant.id, sku: variant.sku, quantity: 1, list_price: product.price }],
          created_time: iso(at),
          updated_time: iso(at),
          lastActivityAt: at,
          state: 'active',
        };
        carts.set(cart.id, cart);
        changed('resource:created', 'cart', cart.id, cart);
        emit('store/cart/created', { type: 'cart', id: cart.id });
        store.watchCart(cart.id, abandonAfterMs);
        made.push(cart);
      }
      return made;
    },

    // ----- hooks -----
    listHooks(clientId: string): Hook[] {
      // Hooks are visible only to the client that created them (facts section c).
      return [...hooks.values()].filter((h) => h.client_id === clientId);
    },

    getHook(clientId: string, id: number): Hook {
      const hook = hooks.get(id);
      if (!hook || hook.client_id !== clientId) throw new DomainError('not-found', `Webhook with id [${id}] not found`);
      return hook;
    },

    createHook(clientId: string, input: { scope: string; destination: string; is_active?: boolean; headers?: Record<string, string> | null }): Hook {
      const mine = [...hooks.values()].filter((h) => h.client_id === clientId && h.scope === input.scope);
      // At most 10 hooks per store+client+scope and 1 per store+client+scope+destination (2025-04).
      if (mine.some((h) => h.destination === input.destination)) {
        throw unprocessable('JSON data is missing or invalid', { destination: `a hook for scope ${input.scope} and this destination already exists` });
      }
      if (mine.length >= 10) throw unprocessable('JSON data is missing or invalid', { scope: `at most 10 hooks per scope; ${input.scope} has 10` });
      if (input.scope === 'store/hook/deliveryException' && [...hooks.values()].some((h) => h.client_id === clientId && h.scope === input.scope)) {
        throw unprocessable('JSON data is missing or invalid', { scope: 'only one store/hook/deliveryException hook per client' });
      }
      const now = Math.floor(clock.now() / 1000);
      const hook: Hook = {
        id: ids.hook.next(),
        client_id: clientId,
        store_hash: info.hash,
        scope: input.scope,
        destination: input.destination,
        is_active: input.is_active ?? true,
        headers: input.headers ?? null,
        created_at: now,
        updated_at: now,
      };
      hooks.set(hook.id, hook);
      changed('resource:created', 'hook', hook.id, hook);
      return hook;
    },

    updateHook(clientId: string, id: number, patch: { scope?: string; destination?: string; is_active?: boolean; headers?: Record<string, string> | null }): Hook {
      const hook = store.getHook(clientId, id);
      Object.assign(hook, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      hook.updated_at = Math.floor(clock.now() / 1000);
      changed('resource:updated', 'hook', hook.id, hook);
      return hook;
    },

    deleteHook(clientId: string, id: number): Hook {
      const hook = store.getHook(clientId, id);
      hooks.delete(id);
      changed('resource:deleted', 'hook', id, hook);
      return hook;
    },

    deactivateHook(id: number, reason: 'retries-exhausted' | 'inactivity'): Hook | undefined {
      const hook = hooks.get(id);
      if (!hook || !hook.is_active) return hook;
      hook.is_active = false;
      hook.updated_at = Math.floor(clock.now() / 1000);
      record({ kind: 'hook:deactivated', id, reason, body: hook });
      changed('resource:updated', 'hook', id, hook);
      // The platform emails the app's address (or the /hooks/admin emails of the hook's account).
      const notification = { at: nowIso(), hookId: id, message: reason === 'retries-exhausted' ? 'Webhook deactivated: retries exhausted' : 'Webhook deactivated: 90 days without events', emails: adminEmails.get(hook.client_id) ?? [] };
      notifications.push(notification);
      record({ kind: 'hook:notification', ...notification });
      return hook;
    },

    /** App uninstall or API-account deletion deletes the client's hooks (facts section c). */
    deleteClientHooks(clientId: string): Hook[] {
      const removed = [...hooks.values()].filter((h) => h.client_id === clientId);
      for (const hook of removed) {
        hooks.delete(hook.id);
        changed('resource:deleted', 'hook', hook.id, hook);
      }
      return removed;
    },

    /** Raise an event for one client's hooks only (store/app/uninstalled goes to the uninstalled app); returns them. */
    emitToClient(clientId: string, scope: string, data: WebhookData): Hook[] {
      const payload = buildWebhookPayload({ scope, storeId: info.storeId, storeHash: info.hash, data, createdAtMs: clock.now() });
      const targets = [...hooks.values()].filter((h) => h.is_active && h.client_id === clientId && hookMatches(h.scope, scope));
      record({ kind: 'webhook:event', scope, hash: payload.hash, data, hooks: targets.map((h) => h.id) });
      if (targets.length > 0) options.onWebhook(store, targets, payload);
      return targets;
    },

    raiseDeliveryException(clientId: string, data: { id: number; error_code: number; message: string }): void {
      const payload = buildWebhookPayload({ scope: 'store/hook/deliveryException', storeId: info.storeId, storeHash: info.hash, data: { type: 'webhook', ...data }, createdAtMs: clock.now() });
      const targets = [...hooks.values()].filter((h) => h.is_active && h.client_id === clientId && h.scope === 'store/hook/deliveryException');
      record({ kind: 'webhook:event', scope: payload.scope, hash: payload.hash, data: payload.data, hooks: targets.map((h) => h.id) });
      if (targets.length > 0) options.onWebhook(store, targets, payload);
    },

    /** The notification emails of one API account (`GET /v3/hooks/admin`). */
    adminEmails(clientId: string): string[] {
      return adminEmails.get(clientId) ?? [];
    },
    /** Set one API account's notification emails (`PUT /v3/hooks/admin`); other accounts keep theirs. */
    setAdminEmails(clientId: string, emails: string[]) {
      adminEmails.set(clientId, emails);
    },

    reset() {
      hooks.clear();
      carts.clear();
      notifications.length = 0;
      adminEmails.clear();
      ids.hook.set(1);
      options.quota.reset();
      seedState();
      record({ kind: 'store:reset' });
    },
  };

  seedState();
  return store;
}

/**
 * A secret nobody can guess: 128 random bits as 32 lowercase hex characters (the platform's
 * tokens are lowercase alphanumerics too). The default for every token and secret.
 */
export function randomToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Deterministic per seed, so a test or script can know the token in advance. Only with
 * `deterministicTokens: true` (`--fixed-tokens`): anyone who knows the seed knows the token.
 */
export function tokenFor(hash: string, seed: number, name: string): string {
  let h = 2166136261 ^ seed;
  const text = `${hash}:${name}:${seed}`;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 2246822507) >>> 0;
    out += h.toString(36).padStart(7, '0');
  }
  return out.slice(0, 27);
}
