/**
 * The capacity model: what a measured integration (requests per order, scheduled requests, what it
 * does when the quota runs out) costs the store's API quota as the store grows, against each
 * plan's quota from lib/plans.ts. Pure functions, each a formula of
 * docs/decisions/0009-capacity-and-cost-model.md; units are requests and orders per 30-second
 * window unless a name says per day or per hour.
 */
import { planNames, planQuota, type PlanName, type PlanQuota } from '../../lib/plans.ts';
import type { SaturationBehaviour } from './measure-run.ts';

export const WINDOWS_PER_HOUR = 120;
export const WINDOWS_PER_DAY = 2_880;

/** Requests a day: orders times requests per order, plus what runs on a timer. 500 × 10 = 5,000. */
export function callsPerDay(ordersPerDay: number, callsPerOrder: number, scheduledPerDay = 0): number {
  return ordersPerDay * callsPerOrder + scheduledPerDay;
}

/** Orders in a 30-second window of the busiest hour of a normal day. */
export function peakOrdersPerWindow(ordersPerDay: number, peakHourShare: number): number {
  return (ordersPerDay * peakHourShare) / WINDOWS_PER_HOUR;
}

/** Requests the integration wants in one window at that order rate. */
export function windowDemand(ordersPerWindow: number, callsPerOrder: number, scheduledPerWindow = 0): number {
  return ordersPerWindow * callsPerOrder + scheduledPerWindow;
}

/**
 * Requests a plan allows per window. The hourly cap binds only if it is below 120 windows' worth
 * (bigcommerce-facts.md section b: 150 × 120 = 18,000 < 20,000, so the window binds on every
 * published plan; the check stays for a custom --quota).
 */
export function windowCapacity(quota: Pick<PlanQuota, 'perWindow' | 'perHour'>): number {
  if (quota.perWindow === undefined) return Infinity;
  return quota.perHour === undefined ? quota.perWindow : Math.min(quota.perWindow, quota.perHour / WINDOWS_PER_HOUR);
}

/**
 * Orders per window the integration can serve on a plan: the quota less the share kept for the
 * store's other apps and less its own scheduled requests, divided by its requests per order.
 */
export function orderCapacityPerWindow(capacity: number, o: { callsPerOrder: number; otherAppsShare: number; scheduledPerWindow?: number }): number {
  if (!Number.isFinite(capacity)) return Infinity;
  const usable = capacity * (1 - o.otherAppsShare) - (o.scheduledPerWindow ?? 0);
  if (usable <= 0) return 0;
  return o.callsPerOrder > 0 ? usable / o.callsPerOrder : Infinity;
}

/**
 * Where a spike of `multiplier` times the normal peak breaks the quota: the spike's orders per
 * window that use it all up, and the normal peak that, multiplied, gets there. Standard (150) at
 * 10 requests per order breaks at 15 orders a window; under a 10x spike that is a normal peak of
 * 1.5 orders a window.
 */
export function spikeBreakpoint(o: { capacity: number; callsPerOrder: number; multiplier: number; otherAppsShare?: number; scheduledPerWindow?: number }): { spikeOrdersPerWindow: number; baseOrdersPerWindow: number } {
  const spike = orderCapacityPerWindow(o.capacity, { callsPerOrder: o.callsPerOrder, otherAppsShare: o.otherAppsShare ?? 0, scheduledPerWindow: o.scheduledPerWindow ?? 0 });
  return { spikeOrdersPerWindow: spike, baseOrdersPerWindow: o.multiplier > 0 ? spike / o.multiplier : Infinity };
}

/**
 * The largest multiple of the normal peak `base` a flash sale of `durationWindows` can reach with
 * the integration serving `capacity` orders a window and the backlog gone `drainWindows` after
 * the sale ends.
 *
 * An integration that queues builds a backlog of (M·b − c)·D during the sale and drains it at
 * (c − b) after, so (M·b − c)·D ≤ T·(c − b), i.e. M ≤ (c + T·(c − b)/D) / b. One that drops orders
 * (or has not shown that it queues) survives only while the sale stays within capacity: M ≤ c / b.
 * 0 when even the normal peak is beyond capacity.
 */
export function maxFlashSaleMultiplier(o: { capacity: number; base: number; behaviour: SaturationBehaviour; durationWindows: number; drainWindows: number }): number {
  if (o.base <= 0 || !Number.isFinite(o.capacity)) return Infinity;
  if (o.capacity <= o.base) return 0;
  if (o.behaviour !== 'queues' || o.durationWindows <= 0) return o.capacity / o.base;
  return (o.capacity + (o.drainWindows * (o.capacity - o.base)) / o.durationWindows) / o.base;
}

/** The largest normal peak (orders per window) at which a sale of `multiplier` is still survivable. */
export function maxBaseForFlashSale(o: { capacity: number; multiplier: number; behaviour: SaturationBehaviour; durationWindows: number; drainWindows: number }): number {
  if (!Number.isFinite(o.capacity)) return Infinity;
  if (o.behaviour !== 'queues' || o.durationWindows <= 0) return o.capacity / Math.max(1, o.multiplier);
  // Solve (M·b − c)·D = T·(c − b) for b; a multiplier of 1 or less never builds a backlog.
  const k = o.drainWindows / o.durationWindows;
  return o.multiplier <= 1 ? o.capacity : (o.capacity * (1 + k)) / (o.multiplier + k);
}

/**
 * Years from now until something growing at `growth` a year from `now` reaches `limit`:
 * log(limit/now) / log(1 + growth). 0 when it is already there, Infinity when it never gets there.
 */
export function yearsUntil(now: number, limit: number, growth: number): number {
  if (!Number.isFinite(limit)) return Infinity;
  if (now >= limit) return 0;
  if (now <= 0 || growth <= 0) return Infinity;
  return Math.log(limit / now) / Math.log(1 + growth);
}

/** The store's orders a day `years` from now. */
export function ordersAt(ordersPerDay: number, growth: number, years: number): number {
  return ordersPerDay * (1 + growth) ** years;
}

/** Average over year `y` (1-based) of the orders a day, as a multiple of today's: ∫ (1+g)^t dt over [y−1, y]. */
export function yearVolumeFactor(growth: number, year: number): number {
  if (growth === 0) return 1;
  const r = 1 + growth;
  return (r ** year - r ** (year - 1)) / Math.log(r);
}

export interface CapacityInput {
  /**
   * Order-driven requests per order synced (figures.ts: the order-driven part of requests per
   * order): what requests a day, a busy window and a flash sale grow with. One figure for all
   * three: a per-order cost measured inside the busiest hour read the quota's ceiling instead
   * (a queuing integration defers work past it), and projected a 934x sale from 0.46 requests.
   */
  orderDrivenPerOrder: number;
  scheduledPerDay: number;
  webhooksPerOrder: number;
  behaviour: SaturationBehaviour;
  ordersPerDay: number;
  growth: number;
  years: number;
  peakHourShare: number;
  otherAppsShare: number;
  currentPlan: PlanName;
  flashSale: { multiplier: number; durationMinutes: number; drainWithinMinutes: number };
}

export interface PlanGroup {
  /** The plans sharing one quota ("standard/plus"), cheapest first. */
  plans: PlanName[];
  label: string;
  perWindow: number | null;
  capacity: number;
  /** Orders a window the integration can serve on it. */
  ordersPerWindow: number;
  /** Where the configured flash sale breaks the quota. */
  spike: { spikeOrdersPerWindow: number; baseOrdersPerWindow: number };
  /** Years from now until the busiest hour of a normal day needs more than the plan leaves it. */
  normalDayOutgrownIn: number;
  /** Years from now until the configured flash sale is no longer survivable on it. */
  flashSaleOutgrownIn: number;
}

export interface YearRow {
  /** Years from now (0 = today). */
  t: number;
  ordersPerDay: number;
  callsPerDay: number;
  webhooksPerDay: number;
  peakOrdersPerWindow: number;
  peakDemandPerWindow: number;
  flashSaleDemandPerWindow: number;
  plans: { label: string; headroomShare: number | null; maxMultiplier: number; survivesFlashSale: boolean }[];
}

export interface CapacityProjection {
  input: CapacityInput;
  scheduledPerWindow: number;
  groups: PlanGroup[];
  rows: YearRow[];
  /** The plan the store needs over the horizon, from today's: each entry from `from` years on. */
  planSchedule: { plan: PlanName; from: number; reason: string }[];
  /** Monthly points for the chart. */
  curve: { t: number; peakDemandPerWindow: number; flashSaleDemandPerWindow: number }[];
}

const TITLE: Record<PlanName, string> = { standard: 'Standard', plus: 'Plus', pro: 'Pro', enterprise: 'Enterprise' };

/** Plans with the same quota share one row: Standard and Plus are one capacity. */
export function planGroups(): { plans: PlanName[]; label: string; quota: PlanQuota }[] {
  const groups: { plans: PlanName[]; label: string; quota: PlanQuota }[] = [];
  for (const plan of planNames) {
    const quota = planQuota(plan);
    const same = groups.find((g) => g.quota.perWindow === quota.perWindow && g.quota.perHour === quota.perHour);
    if (same) {
      same.plans.push(plan);
      same.label = same.plans.map((p) => TITLE[p]).join('/');
    } else groups.push({ plans: [plan], label: TITLE[plan], quota });
  }
  return groups;
}

export function projectCapacity(input: CapacityInput): CapacityProjection {
  const scheduledPerWindow = input.scheduledPerDay / WINDOWS_PER_DAY;
  const durationWindows = (input.flashSale.durationMinutes * 60) / 30;
  const drainWindows = (input.flashSale.drainWithinMinutes * 60) / 30;
  const base0 = peakOrdersPerWindow(input.ordersPerDay, input.peakHourShare);
  const sale = { multiplier: input.flashSale.multiplier, behaviour: input.behaviour, durationWindows, drainWindows };

  const groups: PlanGroup[] = planGroups().map((g) => {
    const capacity = windowCapacity(g.quota);
    const ordersPerWindow = orderCapacityPerWindow(capacity, { callsPerOrder: input.orderDrivenPerOrder, otherAppsShare: input.otherAppsShare, scheduledPerWindow });
    return {
      plans: g.plans,
      label: g.label,
      perWindow: g.quota.perWindow ?? null,
      capacity,
      ordersPerWindow,
      spike: spikeBreakpoint({ capacity, callsPerOrder: input.orderDrivenPerOrder, multiplier: input.flashSale.multiplier, otherAppsShare: input.otherAppsShare, scheduledPerWindow }),
      // The normal peak fits while it needs no more than the plan leaves the integration.
      normalDayOutgrownIn: ordersPerWindow === 0 ? 0 : yearsUntil(base0, ordersPerWindow, input.growth),
      flashSaleOutgrownIn: ordersPerWindow === 0 ? 0 : yearsUntil(base0, maxBaseForFlashSale({ capacity: ordersPerWindow, ...sale }), input.growth),
    };
  });

  const rowAt = (t: number): YearRow => {
    const orders = ordersAt(input.ordersPerDay, input.growth, t);
    const base = peakOrdersPerWindow(orders, input.peakHourShare);
    const peak = windowDemand(base, input.orderDrivenPerOrder, scheduledPerWindow);
    const flash = windowDemand(base * input.flashSale.multiplier, input.orderDrivenPerOrder, scheduledPerWindow);
    return {
      t,
      ordersPerDay: orders,
      callsPerDay: callsPerDay(orders, input.orderDrivenPerOrder, input.scheduledPerDay),
      webhooksPerDay: orders * input.webhooksPerOrder,
      peakOrdersPerWindow: base,
      peakDemandPerWindow: peak,
      flashSaleDemandPerWindow: flash,
      plans: groups.map((g) => {
        const max = maxFlashSaleMultiplier({ capacity: g.ordersPerWindow, base, ...sale });
        return { label: g.label, headroomShare: Number.isFinite(g.capacity) ? 1 - peak / g.capacity : null, maxMultiplier: max, survivesFlashSale: max >= input.flashSale.multiplier };
      }),
    };
  };

  const rows = Array.from({ length: input.years + 1 }, (_, t) => rowAt(t));
  const curve = Array.from({ length: input.years * 12 + 1 }, (_, m) => {
    const r = rowAt(m / 12);
    return { t: m / 12, peakDemandPerWindow: r.peakDemandPerWindow, flashSaleDemandPerWindow: r.flashSaleDemandPerWindow };
  });

  // From today's plan, move up (never down) whenever the plan in use is outgrown, to the cheapest
  // higher plan that still holds: Plus has Standard's quota, so an outgrown Standard goes to Pro.
  const order = [...planNames];
  const holdsUntil = (plan: PlanName) => {
    const g = groups.find((x) => x.plans.includes(plan))!;
    return Math.min(g.normalDayOutgrownIn, g.flashSaleOutgrownIn);
  };
  const why = (plan: PlanName) => {
    const g = groups.find((x) => x.plans.includes(plan))!;
    return g.normalDayOutgrownIn <= g.flashSaleOutgrownIn ? `${TITLE[plan]} no longer holds the busiest hour of a normal day` : `${TITLE[plan]} no longer survives a ${input.flashSale.multiplier}x flash sale`;
  };
  const planSchedule: CapacityProjection['planSchedule'] = [];
  let current = input.currentPlan;
  let from = 0;
  planSchedule.push({ plan: current, from: 0, reason: 'the plan the store is on' });
  for (;;) {
    const until = holdsUntil(current);
    if (until >= input.years) break;
    const next = order.slice(order.indexOf(current) + 1).find((p) => holdsUntil(p) > Math.max(until, from));
    if (!next) break;
    from = until;
    planSchedule.push({ plan: next, from: until, reason: why(current) });
    current = next;
  }
  return { input, scheduledPerWindow, groups, rows, planSchedule, curve };
}
