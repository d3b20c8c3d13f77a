/**
 * Which data flow an integration's Management API request served, from its method and path alone
 * (the ledger's `api:request` lines; DESIGN.md section 3, the eight flows), and what drives its
 * volume: orders (it grows with the store's orders) or the schedule (hook checks, back-office
 * feeds, polls that found nothing; they cost the same per day whatever the order volume).
 *
 * Pure: the capacity model needs the split to project demand, and a test can pin every rule.
 */
import { flowById, type FlowId } from '../mappings/flows.ts';
import { stripStore } from '../verify/findings.ts';

export type ApiFlowId = FlowId | 'webhook-management' | 'other';
export type Driver = 'orders' | 'schedule';

export interface ApiFlow {
  id: ApiFlowId;
  label: string;
  /** What makes this flow's calls grow. */
  driver: Driver;
}

const SCHEDULED: ReadonlySet<ApiFlowId> = new Set(['inventory', 'catalog-pricing', 'webhook-management']);

export function apiFlowLabel(id: ApiFlowId): string {
  if (id === 'webhook-management') return 'Webhook management (hook checks, re-registration)';
  if (id === 'other') return 'Other';
  return flowById(id).title;
}

/**
 * The flow of one request. Rules in the order they are tried; a path names its resource after
 * `/v2` or `/v3`, and a sub-resource (shipments, refunds) wins over its parent (orders).
 */
export function apiFlowOf(method: string, path: string): ApiFlowId {
  const bare = stripStore(path).split('?')[0]!.toLowerCase();
  const m = method.toUpperCase();
  if (/^\/v[23]\/hooks(\/|$)/.test(bare)) return 'webhook-management';
  if (/^\/v2\/orders\/[^/]+\/shipments(\/|$)/.test(bare)) return 'shipment-tracking';
  if (/^\/v3\/orders\/[^/]+\/(payment_actions|transactions)(\/|$)/.test(bare) || /^\/v2\/orders\/[^/]+\/refunds?(\/|$)/.test(bare)) return 'returns-refunds';
  // Writing an order's status back is the ERP's invoice and payment status flow; reading is the orders flow.
  if (/^\/v2\/orders\/\d+$/.test(bare) && m === 'PUT') return 'invoice-payment-status';
  if (/^\/v[23]\/orders(\/|$)/.test(bare) || /^\/v2\/order_statuses(\/|$)/.test(bare)) return 'orders';
  if (/^\/v3\/inventory(\/|$)/.test(bare)) return 'inventory';
  if (/^\/v3\/catalog(\/|$)/.test(bare) || /^\/v3\/pricelists(\/|$)/.test(bare) || /^\/v2\/products(\/|$)/.test(bare)) return 'catalog-pricing';
  if (/^\/v[23]\/customers(\/|$)/.test(bare)) return 'customers';
  if (/^\/v3\/carts(\/|$)/.test(bare)) return 'marketing-events';
  return 'other';
}

/**
 * What drives a request's volume. A read answered 204 found nothing (an empty page of a V2
 * collection, bigcommerce-facts.md section d): a poll or sweep that runs on a timer whatever the
 * orders, so it is scheduled. Stock and price pushes follow the back office's schedule, hook
 * checks the monitor's; everything else is work some order (or its customer, cart, parcel or
 * refund) caused.
 */
export function driverOf(flow: ApiFlowId, method: string, status: number): Driver {
  if (status === 204 && method.toUpperCase() === 'GET') return 'schedule';
  return SCHEDULED.has(flow) ? 'schedule' : 'orders';
}

export function apiFlow(id: ApiFlowId): ApiFlow {
  return { id, label: apiFlowLabel(id), driver: SCHEDULED.has(id) ? 'schedule' : 'orders' };
}
