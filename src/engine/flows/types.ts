/**
 * A flow is a set of routes (mapping spec, where its source records come from, which target
 * writer delivers them and how) plus the feeds it polls and the webhook scopes it needs. The
 * eight flow modules in this folder only declare; the planner, the feed poller and the writers do
 * the work, the same way for every flow.
 */
import type { FlowId } from '../../mappings/flows.ts';
import type { Target, WritePolicy } from '../outbox.ts';

/** Where a route's source records come from. */
export type SourceKind =
  | 'bc-order'
  | 'bc-refund'
  | 'bc-customer'
  | 'bc-cart'
  | 'erp-inventory'
  | 'erp-price-list'
  | 'erp-invoices'
  | 'erp-credit-memos'
  | '3pl-shipments'
  | 'crm-contacts';

export interface Route {
  /** The mapping spec, as in mappings/<spec>.yml. */
  spec: string;
  flow: FlowId;
  source: SourceKind;
  target: Target;
  policy: WritePolicy;
  /**
   * The outbox key from the mapped record, when the spec's key alone does not identify the
   * target record (stock is per SKU and location).
   */
  keyOf?: (record: Record<string, unknown>, specKey: unknown) => string;
}

export type FeedSystem = 'erp' | '3pl' | 'crm';

/** A connected system's change feed: `GET <path>?since=<watermark>` answering {data, meta:{nextSince}}. */
export interface Feed {
  name: string;
  source: SourceKind;
  system: FeedSystem;
  path: string;
  /** The spec's frequency, in simulated milliseconds. */
  everyMs: number;
}

export interface FlowDefinition {
  id: FlowId;
  routes: Route[];
  feeds: Feed[];
  /** Webhook scopes the flow needs (the payload is only a trigger: the planner fetches). */
  scopes: string[];
}

export const MINUTE = 60_000;
