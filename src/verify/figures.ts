/**
 * The figures more than one report shows, each defined once: requests per order, orders placed and
 * synced, 429s, the peak window share and webhook deliveries. The verifier's measures, the UAT
 * report, its partner scorecard and the cost-of-ownership report all read them through here, so a
 * reader comparing two reports of one run sees the same number under the same name.
 *
 * Why one module: each report used to divide its own numerator by its own denominator (all
 * requests per synced order in one, order-driven requests per order placed in the other, and a
 * third "at the peak" figure), and one run showed 5.6, 4.13 and 0.46 "requests per order".
 *
 * Pure: counts in, numbers and words out.
 */

/** The definitions, verbatim; reports cite them and docs/decisions/0009 repeats them. */
export const FIGURE_DEFINITIONS = {
  requestsPerOrder:
    "Requests per order = the Management API requests the integration sent under its own client id over the whole run (every api:request line of the simulator's ledger with that client id, from the simulator's start to its close: setup, scheduled and order-driven requests alike, 429s included, because the store had to answer each one) ÷ the orders synced to the ERP (orders.synced). None when no order was synced.",
  ordersPlaced:
    'Orders placed = the orders the ledger shows created during the run that the orders → ERP mapping spec does not skip (an incomplete checkout, status 0, is skipped): orders.expected + orders.expectedDeadLetters.',
  ordersSynced: 'Orders synced = the orders placed whose sales order the ERP accepted (a 2xx in its journal) at least once: orders.synced.',
  quota429s:
    "429s = the integration's requests refused because the store's window quota ran out (a 429 with rate-limit headers): api.rateLimited. 429s the platform answers under load, without rate-limit headers, are counted apart (api.platformRateLimited).",
  peakWindowShare:
    "Peak window share = the most requests the store's quota counted for the integration's client id in one 30-second window (quota.json), ÷ the run's quota per window: api.peakWindowShare. None on an unlimited plan. With the other apps' requests added it is the all-apps share (api.peakWindowShareTotal), always labelled so.",
  webhookDeliveries:
    "Webhook deliveries = delivery attempts to the hooks the integration's client id registered, over the whole run: delivered (answered 2xx, webhooks.delivered) plus failed (non-2xx, timeout or network error, webhooks.failedDeliveries). Attempts held back while the destination was denylisted are not deliveries. Per order: ÷ orders synced.",
} as const;

/** The measures the figures are read from (the verifier's, or verdict.json's). */
export type MeasureValues = Readonly<Record<string, number | null | undefined>>;

const num = (m: MeasureValues, name: string): number | null => {
  const v = m[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * Any count per order synced: the one denominator every per-order figure uses, so per-flow rows
 * and the parts of requests per order add up to the total. Null when no order was synced: there is
 * nothing to divide by, and 0 would read as "free".
 */
export function perSyncedOrder(count: number, ordersSynced: number | null): number | null {
  if (ordersSynced === null || ordersSynced <= 0) return null;
  return count / ordersSynced;
}

/** FIGURE_DEFINITIONS.requestsPerOrder. */
export function requestsPerOrder(o: { requests: number; ordersSynced: number | null }): number | null {
  return perSyncedOrder(o.requests, o.ordersSynced);
}

/**
 * The parts of requests per order, by what drives them. They add up to requestsPerOrder because
 * they share its numerator's requests and its denominator: one-off (before the load started or
 * after the run ended: registration, first syncs, shutdown), scheduled (during the run, on a
 * timer: hook checks, back-office feeds, polls that found nothing) and order-driven (the rest).
 */
export function requestsPerOrderParts(o: { oneOff: number; scheduled: number; orderDriven: number; ordersSynced: number | null }): { total: number | null; oneOff: number | null; scheduled: number | null; orderDriven: number | null } {
  return {
    total: requestsPerOrder({ requests: o.oneOff + o.scheduled + o.orderDriven, ordersSynced: o.ordersSynced }),
    oneOff: perSyncedOrder(o.oneOff, o.ordersSynced),
    scheduled: perSyncedOrder(o.scheduled, o.ordersSynced),
    orderDriven: perSyncedOrder(o.orderDriven, o.ordersSynced),
  };
}

/** The shared figures, read from the verifier's measures. */
export interface SharedFigures {
  requests: number | null;
  requestsPerOrder: number | null;
  ordersPlaced: number | null;
  ordersSynced: number | null;
  quota429s: number | null;
  platform429s: number | null;
  ignored429s: number | null;
  peakWindowShare: number | null;
  peakWindowShareAllApps: number | null;
  webhookDeliveries: number | null;
  webhooksFailed: number | null;
}

export function figuresFromMeasures(m: MeasureValues): SharedFigures {
  const expected = num(m, 'orders.expected');
  const deadLetterExpected = num(m, 'orders.expectedDeadLetters');
  const delivered = num(m, 'webhooks.delivered');
  const failed = num(m, 'webhooks.failedDeliveries');
  const requests = num(m, 'api.requests');
  const ordersSynced = num(m, 'orders.synced');
  return {
    requests,
    // The verifier's own measure when it is there (an acceptance criterion judged that number).
    requestsPerOrder: num(m, 'api.callsPerSyncedOrder') ?? (requests === null ? null : requestsPerOrder({ requests, ordersSynced })),
    ordersPlaced: expected === null ? null : expected + (deadLetterExpected ?? 0),
    ordersSynced,
    quota429s: num(m, 'api.rateLimited'),
    platform429s: num(m, 'api.platformRateLimited'),
    ignored429s: num(m, 'api.rateLimitIgnored'),
    peakWindowShare: num(m, 'api.peakWindowShare'),
    peakWindowShareAllApps: num(m, 'api.peakWindowShareTotal'),
    webhookDeliveries: delivered === null || failed === null ? null : delivered + failed,
    webhooksFailed: failed,
  };
}

/** Requests per order as every report prints it: two decimals, so 3.18 is 3.18 everywhere. */
/** A count as every report writes it: 221,190. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPerOrder(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(2);
}

/** A share of a window as every report prints it: "80%", "80.5%" (the UAT report's rounding). */
export function formatShare(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${Math.round(v * 1000) / 10}%`;
}

/**
 * The peak window as every report prints it: the integration's own share, and the store's whole
 * window beside it when other apps filled it further ("80% (100% with other apps)").
 */
export function formatPeakWindow(own: number | null | undefined, allApps: number | null | undefined): string {
  const extra = allApps !== null && allApps !== undefined && own !== null && own !== undefined && allApps > own ? ` (${formatShare(allApps)} with other apps)` : '';
  return `${formatShare(own)}${extra}`;
}

/**
 * A window used to this share of the quota or more counts as at the limit: the next request or
 * two would have been refused. Below it, with no 429, the integration stayed under the quota.
 */
export const AT_LIMIT_SHARE = 0.95;

/**
 * How close the run took the integration to the quota, from the numbers alone:
 * - `ran-into`: at least one quota 429 (whatever the peak share);
 * - `at-limit`: no 429, and the busiest window at AT_LIMIT_SHARE (95%) of the run's quota or more;
 * - `under`: no 429, and the busiest window below that;
 * - `unknown`: no 429, and no share to judge (an unlimited plan, or the windows were not recorded).
 */
export type QuotaContact = 'ran-into' | 'at-limit' | 'under' | 'unknown';

export function quotaContact(o: { quota429s: number; peakWindowShare: number | null }): QuotaContact {
  if (o.quota429s > 0) return 'ran-into';
  if (o.peakWindowShare === null) return 'unknown';
  return o.peakWindowShare >= AT_LIMIT_SHARE ? 'at-limit' : 'under';
}

/**
 * The clause every report uses for that judgement, with the numbers it rests on, e.g. "it stayed
 * under the quota: no 429, and its busiest window used 80% of the run's quota".
 */
export function quotaContactText(o: { quota429s: number; peakWindowShare: number | null }): string {
  const share = formatShare(o.peakWindowShare);
  switch (quotaContact(o)) {
    case 'ran-into':
      return `it ran into the quota: ${formatCount(o.quota429s)} request${o.quota429s === 1 ? ' was' : 's were'} refused with 429${o.peakWindowShare === null ? '' : ` (busiest window ${share} of the run's quota)`}`;
    case 'at-limit':
      return `it reached the limit without a 429: its busiest window used ${share} of the run's quota (${formatShare(AT_LIMIT_SHARE)} or more counts as at the limit)`;
    case 'under':
      return `it stayed under the quota: no 429, and its busiest window used ${share} of the run's quota`;
    case 'unknown':
      return "it got no 429, and the run's quota per window is not known (an unlimited plan, or no quota.json), so how close it came is not shown";
  }
}
