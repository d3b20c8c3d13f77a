/**
 * The record streams the verifier checks. Most carry BigCommerce records out: the ground truth
 * (the ledger) holds every source record, and the actual records land in a mock's journal. The
 * catalog streams carry the ERP's stock and prices in: their ground truth is what the ERP
 * published (`published-erp.jsonl`), and the actual records are the store's own state after the
 * integration's API writes (the ledger). Each names the spec that derives the expected record and
 * how the target keeps what it receives, which decides what "the record in the target" means.
 *
 * Measures are named `<stream>.<measure>` (`orders.lost`, `fulfillment.syncLatencyP95Seconds`);
 * `orders` is the order to ERP sales order, the flow every scenario drives.
 */
export const streamIds = ['orders', 'fulfillment', 'marketing', 'carts', 'customers', 'returns', 'inventory', 'prices', 'shipments', 'invoices', 'contacts', 'creditMemos'] as const;
export type StreamId = (typeof streamIds)[number];

/** How a target keeps writes for one key (src/mocks/domain/systems.ts). */
export type TargetSemantics =
  /** PUT upsert: the last accepted write is the record. */
  | 'replace'
  /** The platform dedupes on the key and keeps the first event. */
  | 'first-wins'
  /** The CRM merges: properties left out keep their values. */
  | 'merge';

export interface StreamDefinition {
  id: StreamId;
  /** The mapping spec that derives the expected record. */
  spec: string;
  label: string;
  /** Flow name as acceptance criteria use it (src/load/acceptance.ts FLOWS). */
  flow: 'orders' | 'marketing' | 'customers' | 'returns' | 'inventory' | 'catalog' | 'shipments' | 'invoices';
  /**
   * Ledger source: a resource's versions, or the abandoned carts; or a connected system's feed,
   * for the flows into the store.
   */
  source: { kind: 'resource'; resource: string } | { kind: 'abandoned-cart' } | { kind: 'published'; system: 'erp' | '3pl' | 'crm'; resource: 'inventory' | 'price-list' | 'shipment' | 'invoice' | 'contact' | 'credit-memo' };
  /** What a record is called in evidence ("order 104"). */
  noun: string;
  target: { system: string; resource: string; semantics: TargetSemantics };
  /**
   * For streams into the store: how an expected field reads back from the store's resource
   * (`quantity` is the variant's `inventory_level`), null for a field the store does not return
   * (write-only, or one the simulator does not model); `writes` matches the API calls that write
   * the flow, for the rate-limit and silent-failure findings.
   */
  store?: StoreTarget;
}

/**
 * How a flow into the store lands there. `state`: the store keeps one resource per key and the
 * flow sets fields of it (stock, prices, an order's status, a customer); the store must come to
 * hold each change. `create`: every source record creates one resource (a shipment, a refund),
 * found again through `link` because BigCommerce keeps no external reference for it.
 */
export interface StoreTarget {
  mode: 'state' | 'create';
  /** The store resource's field that holds the key the spec writes (a variant's sku, an order's id). */
  keyField: string;
  /** How an expected field reads back from the store's resource; null for one it does not return. */
  fields: Record<string, string | null>;
  /** Matches the API calls that write the flow, for the rate-limit and silent-failure findings. */
  writes: RegExp;
  /** The store key of a source record when the spec's key has no target (an invoice's order). */
  targetKeyOf?: (source: Record<string, unknown>) => string | undefined;
  /** `create` mode: whether a created store resource is this source record's. */
  link?: (source: Record<string, unknown>, created: Record<string, unknown>) => boolean;
  /** The part of the expected record the store returns as sent, when a rename is not enough. */
  project?: (expected: Record<string, unknown>) => Record<string, unknown>;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export const STREAMS: readonly StreamDefinition[] = [
  { id: 'orders', spec: 'orders-to-erp-sales-order', label: 'Orders → ERP sales orders', flow: 'orders', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: 'erp', resource: 'sales-order', semantics: 'replace' } },
  { id: 'fulfillment', spec: 'orders-to-3pl-fulfillment-order', label: 'Orders → 3PL fulfilment orders', flow: 'orders', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: '3pl', resource: 'fulfillment-order', semantics: 'replace' } },
  { id: 'marketing', spec: 'orders-to-marketing-events', label: 'Orders → marketing events', flow: 'marketing', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: 'marketing', resource: 'event', semantics: 'first-wins' } },
  { id: 'carts', spec: 'abandoned-carts-to-marketing-events', label: 'Abandoned carts → marketing events', flow: 'marketing', source: { kind: 'abandoned-cart' }, noun: 'cart', target: { system: 'marketing', resource: 'event', semantics: 'first-wins' } },
  { id: 'customers', spec: 'customers-to-crm-contact', label: 'Customers → CRM contacts', flow: 'customers', source: { kind: 'resource', resource: 'customer' }, noun: 'customer', target: { system: 'crm', resource: 'contact', semantics: 'merge' } },
  { id: 'returns', spec: 'refunds-to-erp-credit-memo', label: 'Refunds → ERP credit memos', flow: 'returns', source: { kind: 'resource', resource: 'refund' }, noun: 'refund', target: { system: 'erp', resource: 'credit-memo', semantics: 'replace' } },
  {
    id: 'inventory',
    spec: 'erp-inventory-to-bigcommerce',
    label: 'ERP stock → BigCommerce inventory',
    flow: 'inventory',
    source: { kind: 'published', system: 'erp', resource: 'inventory' },
    noun: 'stock change',
    target: { system: 'bigcommerce', resource: 'variant', semantics: 'replace' },
    // The simulated store has one inventory location, so the location id is not read back.
    store: { mode: 'state', keyField: 'sku', fields: { location_id: null, quantity: 'inventory_level' }, writes: /\/v3\/(inventory\/adjustments|catalog\/(products|variants))/ },
  },
  {
    id: 'prices',
    spec: 'erp-price-list-to-bigcommerce-products',
    label: 'ERP price list → BigCommerce products',
    flow: 'catalog',
    source: { kind: 'published', system: 'erp', resource: 'price-list' },
    noun: 'price change',
    target: { system: 'bigcommerce', resource: 'product', semantics: 'replace' },
    // brand_name is accepted on PUT but not returned by GET since 2024-06 (facts, catalog).
    store: { mode: 'state', keyField: 'id', fields: { brand_name: null }, writes: /\/v3\/catalog\/products/ },
  },
  {
    id: 'shipments',
    spec: '3pl-shipments-to-bigcommerce',
    label: '3PL shipments → BigCommerce shipments',
    flow: 'shipments',
    source: { kind: 'published', system: '3pl', resource: 'shipment' },
    noun: 'shipment',
    target: { system: 'bigcommerce', resource: 'shipment', semantics: 'first-wins' },
    store: {
      mode: 'create',
      keyField: 'order_id',
      fields: {},
      writes: /\/v2\/orders\/\d+\/shipments/,
      targetKeyOf: (s) => text(s.orderRef) || undefined,
      // The spec writes the shipmentId into comments; a shipment without it is still this one
      // when it is on the same order with the same tracking number.
      link: (s, c) => (text(s.shipmentId) !== '' && text(c.comments).includes(text(s.shipmentId))) || (text(c.order_id) === text(s.orderRef) && text(s.trackingNumber) !== '' && text(c.tracking_number) === text(s.trackingNumber)),
    },
  },
  {
    id: 'invoices',
    spec: 'erp-invoices-to-order-status',
    label: 'ERP invoices → BigCommerce order status',
    flow: 'invoices',
    source: { kind: 'published', system: 'erp', resource: 'invoice' },
    noun: 'invoice change',
    target: { system: 'bigcommerce', resource: 'order', semantics: 'replace' },
    store: { mode: 'state', keyField: 'id', fields: {}, writes: /\/v2\/orders\/\d+(\?|$)/, targetKeyOf: (s) => text(s.orderRef) || undefined },
  },
  {
    id: 'contacts',
    spec: 'crm-contact-to-customers',
    label: 'CRM contacts → BigCommerce customers',
    flow: 'customers',
    source: { kind: 'published', system: 'crm', resource: 'contact' },
    noun: 'contact change',
    target: { system: 'bigcommerce', resource: 'customer', semantics: 'replace' },
    store: { mode: 'state', keyField: 'id', fields: {}, writes: /\/v3\/customers/ },
  },
  {
    id: 'creditMemos',
    spec: 'erp-credit-memos-to-refunds',
    label: 'ERP credit memos → BigCommerce refunds',
    flow: 'returns',
    source: { kind: 'published', system: 'erp', resource: 'credit-memo' },
    noun: 'credit memo',
    target: { system: 'bigcommerce', resource: 'refund', semantics: 'first-wins' },
    store: {
      mode: 'create',
      keyField: 'order_id',
      fields: {},
      writes: /\/v3\/orders\/\d+\/payment_actions\/refunds/,
      targetKeyOf: (s) => text(s.orderRef) || undefined,
      link: (s, c) => text(c.order_id) === text(s.orderRef) && JSON.stringify([c.reason, c.items]).includes(text(s.externalId)),
      // The store keeps what was refunded per item; the amounts it computes from the order and
      // the payment provider the integration picks with a refund quote are not the memo's to set.
      project: (e) => ({ items: ((e.items as Record<string, unknown>[] | undefined) ?? []).map((i) => ({ item_type: i.item_type, item_id: i.item_id, ...(i.quantity !== undefined ? { quantity: i.quantity } : {}), reason: i.reason })) }),
    },
  },
];

export function streamById(id: StreamId): StreamDefinition {
  return STREAMS.find((s) => s.id === id)!;
}

/** Measures computed for every stream. */
export const STREAM_MEASURES = [
  'expected',
  'expectedDeadLetters',
  'skipped',
  'inFlight',
  'synced',
  'correct',
  'lost',
  'deadLettered',
  'deadLetteredUnjustified',
  'unsynced',
  'duplicated',
  'corrupted',
  'corruptedBeforeDrift',
  'late',
  'rejectedByTarget',
  'unexpectedWrites',
  'syncLatencyP50Seconds',
  'syncLatencyP95Seconds',
  'syncLatencyP99Seconds',
  'syncLatencyMaxSeconds',
  'syncLatencyPeakP95Seconds',
] as const;
export type StreamMeasure = (typeof STREAM_MEASURES)[number];
