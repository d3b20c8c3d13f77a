/**
 * The record streams the verifier checks: one per mapping spec whose source is BigCommerce, so
 * the ground truth (the ledger) holds every source record. Each names the spec that derives the
 * expected target record, where the actual records land (a mock's journal) and how the target
 * keeps what it receives, which decides what "the record in the target" means.
 *
 * Measures are named `<stream>.<measure>` (`orders.lost`, `fulfillment.syncLatencyP95Seconds`);
 * `orders` is the order to ERP sales order, the flow every scenario drives.
 */
export const streamIds = ['orders', 'fulfillment', 'marketing', 'carts', 'customers', 'returns'] as const;
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
  flow: 'orders' | 'marketing' | 'customers' | 'returns';
  /** Ledger source: a resource's versions, or the abandoned carts. */
  source: { kind: 'resource'; resource: string } | { kind: 'abandoned-cart' };
  /** What a record is called in evidence ("order 104"). */
  noun: string;
  target: { system: string; resource: string; semantics: TargetSemantics };
}

export const STREAMS: readonly StreamDefinition[] = [
  { id: 'orders', spec: 'orders-to-erp-sales-order', label: 'Orders → ERP sales orders', flow: 'orders', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: 'erp', resource: 'sales-order', semantics: 'replace' } },
  { id: 'fulfillment', spec: 'orders-to-3pl-fulfillment-order', label: 'Orders → 3PL fulfilment orders', flow: 'orders', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: '3pl', resource: 'fulfillment-order', semantics: 'replace' } },
  { id: 'marketing', spec: 'orders-to-marketing-events', label: 'Orders → marketing events', flow: 'marketing', source: { kind: 'resource', resource: 'order' }, noun: 'order', target: { system: 'marketing', resource: 'event', semantics: 'first-wins' } },
  { id: 'carts', spec: 'abandoned-carts-to-marketing-events', label: 'Abandoned carts → marketing events', flow: 'marketing', source: { kind: 'abandoned-cart' }, noun: 'cart', target: { system: 'marketing', resource: 'event', semantics: 'first-wins' } },
  { id: 'customers', spec: 'customers-to-crm-contact', label: 'Customers → CRM contacts', flow: 'customers', source: { kind: 'resource', resource: 'customer' }, noun: 'customer', target: { system: 'crm', resource: 'contact', semantics: 'merge' } },
  { id: 'returns', spec: 'refunds-to-erp-credit-memo', label: 'Refunds → ERP credit memos', flow: 'returns', source: { kind: 'resource', resource: 'refund' }, noun: 'refund', target: { system: 'erp', resource: 'credit-memo', semantics: 'replace' } },
];

export function streamById(id: StreamId): StreamDefinition {
  return STREAMS.find((s) => s.id === id)!;
}

/** Measures computed for every stream. */
export const STREAM_MEASURES = [
  'expected',
  'expectedDeadLetters',
  'skipped',
  'synced',
  'correct',
  'lost',
  'deadLettered',
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
