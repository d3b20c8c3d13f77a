/**
 * The connected systems an integration writes to and reads from (DESIGN.md section 8): a legacy
 * ERP, a 3PL, a CRM and a marketing platform. Each keeps its state in memory, validates every
 * write against its JSON Schema contract (contracts/connected), journals every write with its
 * outcome for the verifier, and changes on its own over simulated time the way real back offices
 * do: goods arrive, prices change, orders get invoiced and paid, parcels ship, sales reps edit
 * contacts. No HTTP here; the express edge is in ../http.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import type { Ledger } from '../../../lib/ledger.ts';
import { createRandom, deriveSeed, type Random } from '../../../lib/random.ts';
import type { SeededCatalog } from '../../../simulator/index.ts';
import type { TargetValidator } from '../../mappings/target-validator.ts';

export const systemNames = ['erp', '3pl', 'crm', 'marketing'] as const;
export type SystemName = (typeof systemNames)[number];

export interface FieldError {
  field: string;
  message: string;
}

/** A write the system refused, with the platform-neutral `{errors:[{field,message}]}` body. */
export class RejectedWrite extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    readonly errors: FieldError[],
  ) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'RejectedWrite';
  }
}

export interface JournalEntry {
  kind: 'write';
  at: string;
  system: SystemName;
  method: string;
  resource: string;
  key: string;
  status: number;
  body: unknown;
  errors?: FieldError[];
  /** For upserts: whether the key already existed (an update) or not (a create). */
  existed?: boolean;
}

/** A feed record a system changed (`record:published`), as `published.jsonl` holds it. */
export interface PublishedEntry {
  kind: 'record:published';
  at: string;
  system: SystemName;
  /** The feed: inventory, price-list, invoice, credit-memo, shipment, contact. */
  resource: string;
  key: string;
  body: unknown;
}

export interface SystemsOptions {
  clock: Clock;
  seed: number;
  catalog: SeededCatalog;
  validator: TargetValidator;
  journals: Record<SystemName, Ledger>;
  /**
   * Every change a system publishes on its feeds (stock, prices, invoices, credit memos,
   * shipments, contacts), with the record after the change: the ground truth of the flows that
   * carry them into BigCommerce. Kept apart from the journals, which hold what the systems
   * received, so a back office moving on its own never reads as an integration making progress.
   */
  published?: { append(entry: PublishedEntry): void };
  /** Simulated delays of the back office. */
  timing?: Partial<BackOfficeTiming>;
}

export interface BackOfficeTiming {
  /** A goods receipt lands this often (some items get stock). */
  goodsReceiptEveryMs: number;
  /** A price review changes some prices this often. */
  priceReviewEveryMs: number;
  /** An order is invoiced this long after it reached the ERP. */
  invoiceAfterMs: number;
  /** An invoice on account (PO) is paid this long after it was raised. */
  paymentTermsMs: number;
  /** A fulfilment order ships this long after it reached the 3PL. */
  shipAfterMs: number;
  /** A sales rep edits some CRM contacts this often. */
  crmEditsEveryMs: number;
  /** The ERP raises a credit memo of its own (a return booked in the warehouse) this often. */
  erpCreditMemoEveryMs: number;
}

export const DEFAULT_TIMING: BackOfficeTiming = {
  goodsReceiptEveryMs: 3_600_000,
  priceReviewEveryMs: 6 * 3_600_000,
  invoiceAfterMs: 3_600_000,
  paymentTermsMs: 7 * 86_400_000,
  shipAfterMs: 2 * 3_600_000,
  crmEditsEveryMs: 4 * 3_600_000,
  erpCreditMemoEveryMs: 12 * 3_600_000,
};

interface Stamped<T> {
  record: T;
  updatedAt: number;
  seq: number;
}

type Json = Record<string, any>;

/** Records changed at or after `since`, oldest first (ties by write order), as feeds return them. */
function changedSince<T>(items: Iterable<Stamped<T>>, since: number | undefined, limit: number): T[] {
  const list = [...items].filter((s) => since === undefined || s.updatedAt >= since);
  list.sort((a, b) => a.updatedAt - b.updatedAt || a.seq - b.seq);
  return list.slice(0, limit).map((s) => s.record);
}

/**
 * Every 10th freight shipment the 3PL mock ships (the 10th, 20th, ... counted per mock from its
 * start) carries a 55-character consolidated freight reference, longer than BigCommerce's
 * `tracking_number` (maxLength 50, the shipment create schema); 3pl-shipments-to-bigcommerce
 * rejects it (a cut tracking number tracks someone else's parcel), so a correct integration
 * dead-letters exactly these. Every other freight reference is FREIGHT_REFERENCE_LENGTH long.
 */
export const OVERLONG_FREIGHT_REFERENCE_EVERY = 10;

/**
 * Lengths of freight references: LTL PRO numbers run from about 9 characters and consolidation
 * references to about 35, all within BigCommerce's 50. The over-long minority is 55.
 */
export const FREIGHT_REFERENCE_LENGTH = { min: 9, max: 35, overLong: 55 } as const;

/** Whether the `ordinal`-th freight shipment of a 3PL mock (counted from 1) has an over-long reference. */
export const isOverlongFreightReference = (ordinal: number): boolean => ordinal > 0 && ordinal % OVERLONG_FREIGHT_REFERENCE_EVERY === 0;

/**
 * A DHL Freight style reference for a shipment, derived from its id so it is the same for the
 * same seed: "JJD" and digits, 9-35 characters, or (overLong) "JJD" and 52 hex characters.
 */
export function freightReference(shipmentId: string, overLong: boolean): string {
  const digest = createHash('sha256').update(shipmentId).digest('hex');
  const { min, max, overLong: long } = FREIGHT_REFERENCE_LENGTH;
  if (overLong) return `JJD${digest.slice(0, long - 3).toUpperCase()}`;
  const length = min + (parseInt(digest.slice(0, 4), 16) % (max - min + 1));
  // A 256-bit digest is 77-78 decimal digits, more than the 32 the longest reference needs.
  return `JJD${BigInt(`0x${digest}`).toString().slice(0, length - 3)}`;
}

export function fieldErrorsFrom(lines: string[]): FieldError[] {
  return lines.map((line) => {
    const space = line.indexOf(' ');
    const pointer = line.slice(0, space);
    const field = pointer === '(root)' ? 'body' : pointer.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    return { field, message: line.slice(space + 1) };
  });
}

export function createSystems(options: SystemsOptions) {
  const { clock, validator, journals } = options;
  const timing: BackOfficeTiming = { ...DEFAULT_TIMING, ...options.timing };
  const random: Random = createRandom(deriveSeed(options.seed, 'back-office'));
  let seq = 0;
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  const date = (ms = clock.now()) => iso(ms).slice(0, 10);

  const journal = (entry: Omit<JournalEntry, 'kind' | 'at'>) => {
    journals[entry.system].append({ kind: 'write', at: iso(), ...entry });
  };

  // The ledger serializes on append, so the record's state at this moment is what is kept.
  const publish = (system: SystemName, resource: string, key: string, body: unknown) => {
    options.published?.append({ kind: 'record:published', at: iso(), system, resource, key, body });
  };

  const validate = (system: SystemName, resource: string, contract: string, key: string, method: string, body: unknown): void => {
    const errors = validator.validate(contract, body);
    if (errors.length > 0) {
      const fieldErrors = fieldErrorsFrom(errors);
      journal({ system, method, resource, key, status: 422, body, errors: fieldErrors });
      throw new RejectedWrite(422, fieldErrors);
    }
  };

  // ----- ERP -----
  // The item master: every product and variant SKU of the store (the same seed builds the same
  // catalog as the simulator), with stock per item in the main warehouse.
  const items = new Map<string, { productId: number; variantId: number; description: string; listPrice: number; costPrice: number; upc: string; isProduct: boolean }>();
  const stock = new Map<string, Stamped<Json>>();
  const prices = new Map<string, Stamped<Json>>();
  for (const p of options.catalog.products) {
    items.set(p.sku, { productId: p.id, variantId: p.base_variant_id, description: p.name.slice(0, 30), listPrice: p.price, costPrice: p.cost_price, upc: p.upc, isProduct: true });
    prices.set(p.sku, {
      record: { itemNo: p.sku, webId: p.id, description: p.name.slice(0, 30), listPrice: p.price, salePrice: null, costPrice: p.cost_price, currency: 'USD', weightKg: p.weight ? Math.round(p.weight * 0.4536 * 1000) / 1000 : null, upc: p.upc.slice(0, 14), status: 'ACTIVE', updatedAt: iso() },
      updatedAt: clock.now(),
      seq: seq++,
    });
  }
  for (const v of options.catalog.variants) {
    const product = options.catalog.products.find((p) => p.id === v.product_id)!;
    if (v.sku !== product.sku) items.set(v.sku, { productId: v.product_id, variantId: v.id, description: product.name.slice(0, 30), listPrice: v.price ?? product.price, costPrice: v.cost_price ?? product.cost_price, upc: v.upc, isProduct: false });
    if (product.inventory_tracking !== 'none') {
      stock.set(v.sku, { record: { itemNo: v.sku, warehouse: 'MAIN', binLocation: `A${String(v.id % 100).padStart(2, '0')}`, onHand: v.inventory_level, allocated: 0, available: v.inventory_level, uom: 'EA', unitsPerUom: 1, updatedAt: iso() }, updatedAt: clock.now(), seq: seq++ });
    }
  }
  const stockedSkus = [...stock.keys()];
  const priceSkus = [...prices.keys()];
  const salesOrders = new Map<string, Stamped<Json> & { created: number; versions: number }>();
  /** Every record POST /sales-orders created: the careless-integration path that duplicates. */
  const postedSalesOrders: Json[] = [];
  const invoices = new Map<string, Stamped<Json>>();
  const creditMemos = new Map<string, Stamped<Json>>();
  let invoiceNo = 1;
  let memoNo = 1;

  const touchStock = (sku: string, change: (r: Json) => void) => {
    const s = stock.get(sku);
    if (!s) return;
    change(s.record);
    s.record.available = s.record.onHand - s.record.allocated;
    s.record.updatedAt = iso();
    s.updatedAt = clock.now();
    s.seq = seq++;
    publish('erp', 'inventory', sku, s.record);
  };

  const checkSkus = (order: Json): FieldError[] => {
    const errors: FieldError[] = [];
    (order.lines as Json[]).forEach((line, i) => {
      // Gift card lines are not stock items; everything else must be in the item master.
      if (line.lineType !== 'GIFTCARD' && !items.has(line.sku)) {
        errors.push({ field: `lines[${i}].sku`, message: `unknown item ${JSON.stringify(line.sku)}: the ERP item master has no such SKU` });
      }
    });
    return errors;
  };

  // Net allocation per item, applied once: an updated order releases its old lines and allocates
  // its new ones, and the stock feed shows the result, not a release-then-allocate flicker.
  const allocate = (order: Json, sign: 1 | -1, previous?: Json) => {
    const net = new Map<string, number>();
    for (const line of order.lines as Json[]) net.set(line.sku, (net.get(line.sku) ?? 0) + sign * line.quantity);
    for (const line of (previous?.lines as Json[] | undefined) ?? []) net.set(line.sku, (net.get(line.sku) ?? 0) - sign * line.quantity);
    for (const [sku, quantity] of net) {
      if (quantity !== 0 && items.has(sku)) touchStock(sku, (r) => (r.allocated += quantity));
    }
  };

  const scheduleInvoice = (externalId: string) => {
    clock.setTimer(timing.invoiceAfterMs, () => {
      const so = salesOrders.get(externalId);
      if (!so || [...invoices.values()].some((i) => i.record.orderRef === externalId)) return;
      const order = so.record;
      const onAccount = order.paymentMethod === 'PO';
      const no = `INV${String(invoiceNo++).padStart(7, '0')}`;
      const total = order.totals?.total ?? 0;
      const now = clock.now();
      const invoice: Json = {
        invoiceNo: no,
        orderRef: externalId,
        customerNo: order.customerNo,
        invoiceDate: date(now),
        dueDate: date(now + (onAccount ? timing.paymentTermsMs : 0)),
        status: onAccount ? 'OPEN' : 'PAID',
        currency: order.currency,
        amount: total,
        amountPaid: onAccount ? 0 : total,
        paymentMethod: order.paymentMethod ?? 'OTHER',
        paidAt: onAccount ? null : iso(now),
        updatedAt: iso(now),
      };
      invoices.set(no, { record: invoice, updatedAt: now, seq: seq++ });
      publish('erp', 'invoice', no, invoice);
      if (onAccount) {
        clock.setTimer(timing.paymentTermsMs, () => {
          const stamped = invoices.get(no);
          if (!stamped || stamped.record.status !== 'OPEN') return;
          Object.assign(stamped.record, { status: 'PAID', amountPaid: stamped.record.amount, paidAt: iso(), updatedAt: iso() });
          stamped.updatedAt = clock.now();
          stamped.seq = seq++;
          publish('erp', 'invoice', no, stamped.record);
        });
      }
    });
  };

  const erp = {
    upsertSalesOrder(externalId: string, body: Json): { status: 200 | 201; record: Json } {
      validate('erp', 'sales-order', 'connected/erp-sales-order', externalId, 'PUT', body);
      if (body.externalId !== externalId) {
        const errors = [{ field: 'externalId', message: `must equal the key in the URL (${externalId})` }];
        journal({ system: 'erp', method: 'PUT', resource: 'sales-order', key: externalId, status: 422, body, errors });
        throw new RejectedWrite(422, errors);
      }
      const skuErrors = checkSkus(body);
      if (skuErrors.length > 0) {
        journal({ system: 'erp', method: 'PUT', resource: 'sales-order', key: externalId, status: 422, body, errors: skuErrors });
        throw new RejectedWrite(422, skuErrors);
      }
      const existing = salesOrders.get(externalId);
      allocate(body, 1, existing?.record);
      const now = clock.now();
      salesOrders.set(externalId, { record: body, updatedAt: now, seq: seq++, created: existing?.created ?? now, versions: (existing?.versions ?? 0) + 1 });
      journal({ system: 'erp', method: 'PUT', resource: 'sales-order', key: externalId, status: existing ? 200 : 201, body, existed: Boolean(existing) });
      if (!existing) scheduleInvoice(externalId);
      return { status: existing ? 200 : 201, record: body };
    },
    /** POST creates a new record every time: how careless integrations duplicate orders. */
    createSalesOrder(body: Json): Json {
      const key = String(body?.externalId ?? '');
      validate('erp', 'sales-order', 'connected/erp-sales-order', key, 'POST', body);
      const skuErrors = checkSkus(body);
      if (skuErrors.length > 0) {
        journal({ system: 'erp', method: 'POST', resource: 'sales-order', key, status: 422, body, errors: skuErrors });
        throw new RejectedWrite(422, skuErrors);
      }
      const documentNo = `SO${String(postedSalesOrders.length + 1).padStart(7, '0')}`;
      postedSalesOrders.push({ documentNo, ...body });
      allocate(body, 1);
      journal({ system: 'erp', method: 'POST', resource: 'sales-order', key, status: 201, body, existed: salesOrders.has(key) || postedSalesOrders.filter((o) => o.externalId === key).length > 1 });
      if (!salesOrders.has(key)) {
        salesOrders.set(key, { record: body, updatedAt: clock.now(), seq: seq++, created: clock.now(), versions: 1 });
        scheduleInvoice(key);
      }
      return { documentNo, ...body };
    },
    getSalesOrder(externalId: string): Json | undefined {
      return salesOrders.get(externalId)?.record;
    },
    upsertCreditMemo(externalId: string, body: Json): { status: 200 | 201; record: Json } {
      validate('erp', 'credit-memo', 'connected/erp-credit-memo', externalId, 'PUT', body);
      if (!salesOrders.has(body.orderRef)) {
        const errors = [{ field: 'orderRef', message: `no sales order ${JSON.stringify(body.orderRef)} to credit` }];
        journal({ system: 'erp', method: 'PUT', resource: 'credit-memo', key: externalId, status: 422, body, errors });
        throw new RejectedWrite(422, errors);
      }
      const existed = creditMemos.has(externalId);
      const record = { ...body, createdAt: creditMemos.get(externalId)?.record.createdAt ?? iso() };
      creditMemos.set(externalId, { record, updatedAt: clock.now(), seq: seq++ });
      publish('erp', 'credit-memo', externalId, record);
      journal({ system: 'erp', method: 'PUT', resource: 'credit-memo', key: externalId, status: existed ? 200 : 201, body, existed });
      return { status: existed ? 200 : 201, record };
    },
    inventory: (since?: number, limit = 1000) => changedSince(stock.values(), since, limit),
    priceList: (since?: number, limit = 1000) => changedSince(prices.values(), since, limit),
    invoices: (since?: number, limit = 1000) => changedSince(invoices.values(), since, limit),
    creditMemos: (since?: number, limit = 1000) => changedSince(creditMemos.values(), since, limit),
    salesOrderCount: () => salesOrders.size,
    postedCount: () => postedSalesOrders.length,
    /** What an item's available stock is now (the stock truth). */
    available: (sku: string) => stock.get(sku)?.record.available as number | undefined,
    /**
     * The ERP publishes a batch of changes now (catalog-storm): `count` price changes on the
     * price list, or stock counts on the inventory feed, for items picked by the seeded generator.
     * Returns the item numbers changed.
     */
    publishChanges(kind: 'price' | 'stock', count: number): string[] {
      const pool = kind === 'price' ? priceSkus : stockedSkus;
      const changed: string[] = [];
      for (let i = 0; i < count && pool.length > 0; i++) {
        const sku = pool[Math.floor(random() * pool.length)]!;
        if (kind === 'price') {
          const stamped = prices.get(sku)!;
          const r = stamped.record;
          r.listPrice = Math.max(0.5, Math.round((r.listPrice || 10) * (0.9 + random() * 0.25) * 100) / 100);
          r.effectiveFrom = date();
          r.updatedAt = iso();
          stamped.updatedAt = clock.now();
          stamped.seq = seq++;
          publish('erp', 'price-list', sku, r);
        } else {
          touchStock(sku, (r) => (r.onHand = Math.max(r.allocated, r.onHand + Math.floor(random() * 41) - 20)));
        }
        changed.push(sku);
      }
      return changed;
    },
    hasItem: (sku: string) => items.has(sku),
    /**
     * The ERP team creates an item in the item master (a product launched in the store before the
     * ERP knew it). Orders for it are rejected until then; this is how a dead-lettered order's
     * constraint gets relaxed.
     */
    addItem(itemNo: string, item: { description?: string; listPrice?: number }): void {
      items.set(itemNo, { productId: 0, variantId: 0, description: (item.description ?? itemNo).slice(0, 30), listPrice: item.listPrice ?? 0, costPrice: 0, upc: '', isProduct: true });
    },
  };

  // ----- 3PL -----
  const fulfillmentOrders = new Map<string, Stamped<Json>>();
  const shipments = new Map<string, Stamped<Json>>();
  const shipListeners = new Set<(shipment: Json) => void>();
  /** Freight shipments shipped so far: every OVERLONG_FREIGHT_REFERENCE_EVERY-th gets an over-long reference. */
  let freightShipments = 0;
  const carriers = [
    { carrier: 'UPS', service: 'Ground', url: 'https://www.ups.com/track?tracknum=' },
    { carrier: 'FEDEX', service: 'Home Delivery', url: 'https://www.fedex.com/fedextrack/?trknbr=' },
    { carrier: 'DHLFREIGHT', service: 'Consolidated Freight', url: 'https://www.dhl.com/track?consolidated-freight-service-reference=' },
  ];
  const threepl = {
    upsertFulfillmentOrder(externalId: string, body: Json): { status: 200 | 201; record: Json } {
      validate('3pl', 'fulfillment-order', 'connected/threepl-fulfillment-order', externalId, 'PUT', body);
      const existed = fulfillmentOrders.has(externalId);
      fulfillmentOrders.set(externalId, { record: body, updatedAt: clock.now(), seq: seq++ });
      journal({ system: '3pl', method: 'PUT', resource: 'fulfillment-order', key: externalId, status: existed ? 200 : 201, body, existed });
      if (!existed) {
        clock.setTimer(timing.shipAfterMs, () => {
          const fo = fulfillmentOrders.get(externalId)?.record;
          if (!fo) return;
          for (const consignment of fo.consignments as Json[]) {
            const shipmentId = `${externalId}-${consignment.consignmentRef}`;
            if (shipments.has(shipmentId)) continue;
            const c = carriers[Math.floor(random() * carriers.length)]!;
            // Freight references are 9-35 characters; a stated minority is over BigCommerce's 50.
            const tracking = c.carrier === 'DHLFREIGHT' ? freightReference(shipmentId, isOverlongFreightReference(++freightShipments)) : `1Z${createHash('sha1').update(shipmentId).digest('hex').slice(0, 16).toUpperCase()}`;
            const shipment: Json = {
              shipmentId,
              fulfillmentOrderRef: externalId,
              orderRef: fo.orderRef,
              consignmentRef: consignment.consignmentRef,
              carrier: c.carrier,
              service: c.service,
              trackingNumber: tracking,
              trackingUrl: `${c.url}${tracking}`,
              shippedAt: iso(),
              packages: 1 + Math.floor(random() * 3),
              weightGrams: (consignment.lines as Json[]).reduce((s: number, l: Json) => s + (l.unitWeightGrams ?? 0) * l.quantity, 0),
              lines: (consignment.lines as Json[]).map((l: Json) => ({ lineRef: l.lineRef, sku: l.sku, quantity: l.quantity })),
              updatedAt: iso(),
            };
            shipments.set(shipmentId, { record: shipment, updatedAt: clock.now(), seq: seq++ });
            publish('3pl', 'shipment', shipmentId, shipment);
            for (const listener of shipListeners) listener(shipment);
          }
        });
      }
      return { status: existed ? 200 : 201, record: body };
    },
    shipments: (since?: number, limit = 1000) => changedSince(shipments.values(), since, limit),
    onShipment(listener: (shipment: Json) => void) {
      shipListeners.add(listener);
      return () => shipListeners.delete(listener);
    },
    fulfillmentOrderCount: () => fulfillmentOrders.size,
  };

  // ----- CRM -----
  const contacts = new Map<string, Stamped<Json>>();
  const tierOf = (groupId: number) => (groupId === 2 ? 'Wholesale' : groupId === 3 ? 'Distributor' : 'Retail');
  for (const c of options.catalog.customers) {
    const email = c.email.toLowerCase();
    contacts.set(email, {
      record: { email, firstName: c.first_name, lastName: c.last_name, company: c.company, phone: c.phone, accountTier: tierOf(c.customer_group_id), lifecycleStage: 'customer', bigcommerceCustomerId: c.id, abandonedCartEmailsOptIn: c.accepts_product_review_abandoned_cart_emails, source: 'bigcommerce', createdAt: c.date_created.replace('+00:00', 'Z'), updatedAt: c.date_modified.replace('+00:00', 'Z') },
      updatedAt: Date.parse(c.date_modified),
      seq: seq++,
    });
  }
  const crm = {
    upsertContact(email: string, body: Json): { status: 200 | 201; record: Json } {
      const key = email.toLowerCase();
      validate('crm', 'contact', 'connected/crm-contact', key, 'PUT', body);
      if (String(body.email).toLowerCase() !== key) {
        const errors = [{ field: 'email', message: `must equal the email in the URL (${email})` }];
        journal({ system: 'crm', method: 'PUT', resource: 'contact', key, status: 422, body, errors });
        throw new RejectedWrite(422, errors);
      }
      const existing = contacts.get(key);
      const { createdAt: _c, updatedAt: _u, ...incoming } = body;
      void _c;
      void _u;
      // The CRM merges: properties left out keep their values.
      const record = { ...(existing?.record ?? { createdAt: iso() }), ...incoming, email: key, updatedAt: iso() };
      contacts.set(key, { record, updatedAt: clock.now(), seq: seq++ });
      publish('crm', 'contact', key, record);
      journal({ system: 'crm', method: 'PUT', resource: 'contact', key, status: existing ? 200 : 201, body, existed: Boolean(existing) });
      return { status: existing ? 200 : 201, record };
    },
    contacts: (since?: number, limit = 1000) => changedSince(contacts.values(), since, limit),
    getContact: (email: string) => contacts.get(email.toLowerCase())?.record,
  };

  // ----- Marketing -----
  const events = new Map<string, { record: Json; count: number }>();
  const marketing = {
    ingest(body: Json): { status: 202; duplicate: boolean } {
      const key = String(body?.eventId ?? '');
      validate('marketing', 'event', 'connected/marketing-event', key, 'POST', body);
      const seen = events.get(key);
      // The platform dedupes on eventId: a replay is accepted and ignored.
      if (seen) seen.count++;
      else events.set(key, { record: body, count: 1 });
      journal({ system: 'marketing', method: 'POST', resource: 'event', key, status: 202, body, existed: Boolean(seen) });
      return { status: 202, duplicate: Boolean(seen) };
    },
    eventCount: () => events.size,
  };

  // ----- the back office moving on its own -----
  const every = (ms: number, fn: () => void) => {
    const tick = () => {
      fn();
      clock.setTimer(ms, tick);
    };
    clock.setTimer(ms, tick);
  };
  every(timing.goodsReceiptEveryMs, () => {
    // A delivery of 1-5% of the stocked items.
    const n = Math.max(1, Math.floor(stockedSkus.length * (0.01 + random() * 0.04)));
    for (let i = 0; i < n; i++) {
      const sku = stockedSkus[Math.floor(random() * stockedSkus.length)]!;
      touchStock(sku, (r) => (r.onHand += 10 + Math.floor(random() * 200)));
    }
  });
  every(timing.priceReviewEveryMs, () => {
    const n = Math.max(1, Math.floor(priceSkus.length * 0.05));
    for (let i = 0; i < n; i++) {
      const stamped = prices.get(priceSkus[Math.floor(random() * priceSkus.length)]!)!;
      const r = stamped.record;
      if (r.listPrice === 0) continue;
      r.listPrice = Math.round(r.listPrice * (0.9 + random() * 0.25) * 100) / 100;
      r.salePrice = random() < 0.3 ? Math.round(r.listPrice * 0.85 * 100) / 100 : null;
      r.effectiveFrom = date();
      r.updatedAt = iso();
      stamped.updatedAt = clock.now();
      stamped.seq = seq++;
      publish('erp', 'price-list', String(r.itemNo), r);
    }
  });
  every(timing.crmEditsEveryMs, () => {
    const all = [...contacts.values()];
    const n = Math.max(1, Math.floor(all.length * 0.02));
    for (let i = 0; i < n; i++) {
      const stamped = all[Math.floor(random() * all.length)]!;
      // The CRM owns tier and phone: a sales rep re-tiers an account or fixes a number.
      stamped.record.accountTier = ['Retail', 'Wholesale', 'Distributor'][Math.floor(random() * 3)];
      stamped.record.phone = `+1 555 ${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
      stamped.record.updatedAt = iso();
      stamped.updatedAt = clock.now();
      stamped.seq = seq++;
      publish('crm', 'contact', String(stamped.record.email), stamped.record);
    }
  });
  every(timing.erpCreditMemoEveryMs, () => {
    const paid = [...invoices.values()].filter((i) => i.record.status === 'PAID');
    if (paid.length === 0) return;
    const invoice = paid[Math.floor(random() * paid.length)]!.record;
    const order = salesOrders.get(invoice.orderRef)?.record;
    // The warehouse can only take back what was sold and not yet credited: every credit memo the
    // ERP holds for the order (its own and those the store's refunds created) counts against the
    // line, so a return the store could never refund ("only 0 refundable") is never booked.
    const credited = (lineRef: unknown): number =>
      [...creditMemos.values()]
        .filter((m) => m.record.orderRef === invoice.orderRef)
        .flatMap((m) => (Array.isArray(m.record.lines) ? (m.record.lines as Json[]) : []))
        .filter((l) => l.orderLineRef === lineRef)
        .reduce((sum, l) => sum + (typeof l.quantity === 'number' ? l.quantity : 0), 0);
    const line = (order?.lines as Json[] | undefined)?.find((l) => l.lineType !== 'GIFTCARD' && typeof l.sourceLineId === 'number' && l.quantity - credited(l.sourceLineId) >= 1);
    if (!order || !line) return;
    const externalId = `CM${String(memoNo++).padStart(6, '0')}`;
    const amount = Math.round(line.unitPrice * 100) / 100;
    const memo: Json = { externalId, origin: 'ERP', orderRef: invoice.orderRef, memoDate: date(), reasonCode: 'RETURN', reasonText: 'Returned to warehouse', refundMethod: 'ORIGINAL', currency: invoice.currency, total: amount, taxTotal: 0, lines: [{ lineNo: 1, type: 'ITEM', orderLineRef: line.sourceLineId, quantity: 1, amount }], createdAt: iso() };
    creditMemos.set(externalId, { record: memo, updatedAt: clock.now(), seq: seq++ });
    publish('erp', 'credit-memo', externalId, memo);
  });

  return { erp, threepl, crm, marketing, timing };
}

export type Systems = ReturnType<typeof createSystems>;
