/**
 * The cost model: every item of the assumptions file priced per year over the horizon, low and
 * high, per integration method, plus the plan upgrades the capacity model says the measured
 * integration forces; and a recommendation whose every reason is computed from these numbers.
 * Pure functions (docs/decisions/0009-capacity-and-cost-model.md).
 */
import type { PlanName } from '../../lib/plans.ts';
import { methodIds, type Assumptions, type CostBasis, type CostItem, type MethodId } from './assumptions.ts';
import { formatPerOrder } from '../verify/figures.ts';
import { yearVolumeFactor, type CapacityProjection } from './capacity-model.ts';

export interface Money {
  low: number;
  high: number;
}

export interface CostLine {
  id: string;
  label: string;
  basis: CostBasis | 'derived';
  quoted: boolean;
  source: string;
  perYear: Money[];
  total: Money;
}

export interface MethodCost {
  id: MethodId;
  label: string;
  summary: string;
  items: CostLine[];
  perYear: Money[];
  total: Money;
  mid: number;
  /** What quotes usually leave out (items not marked `quoted`). */
  excluded: Money;
  /** Cumulative midpoint cost at the end of each month (index 0 = go-live, the one-off costs). */
  cumulativeMid: number[];
}

const add = (a: Money, b: Money): Money => ({ low: a.low + b.low, high: a.high + b.high });
const zero = (): Money => ({ low: 0, high: 0 });
export const midOf = (m: Money) => (m.low + m.high) / 2;

const PER_YEAR: Record<Exclude<CostBasis, 'once' | 'hours'>, number> = { monthly: 12, quarterly: 4, yearly: 1 };

/**
 * One item's cost in year `year` (1-based). One-off items (once, hours) fall in year 1; recurring
 * ones are paid every year, the `scaling.volume` share of them growing with the year's average
 * orders. Connected systems multiply `perSystem` items, and each system past `includedSystems`
 * adds `perExtraSystem`.
 */
export function itemCost(item: CostItem, o: { year: number; hourlyRate: Money; systems: number; growth: number }): Money {
  const systems = (item.perSystem ? o.systems : 1) * (1 + (item.scaling?.perExtraSystem ?? 0) * Math.max(0, o.systems - (item.scaling?.includedSystems ?? 1)));
  switch (item.basis) {
    case 'once':
      return o.year === 1 ? { low: item.low * systems, high: item.high * systems } : zero();
    case 'hours':
      return o.year === 1 ? { low: item.low * o.hourlyRate.low * systems, high: item.high * o.hourlyRate.high * systems } : zero();
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const volume = 1 + (item.scaling?.volume ?? 0) * (yearVolumeFactor(o.growth, o.year) - 1);
      const k = PER_YEAR[item.basis] * systems * volume;
      return { low: item.low * k, high: item.high * k };
    }
    default:
      return item.basis satisfies never;
  }
}

/** Months (fractional) the schedule spends on each plan within year `year`. */
function monthsOnPlans(schedule: CapacityProjection['planSchedule'], year: number, years: number): { plan: PlanName; months: number }[] {
  return schedule.map((s, i) => {
    const from = Math.max(s.from, year - 1);
    const to = Math.min(schedule[i + 1]?.from ?? years, year);
    return { plan: s.plan, months: Math.max(0, to - from) * 12 };
  });
}

/** The extra plan fees from the upgrades the measured integration forces, per year. */
export function planUpgradeCost(schedule: CapacityProjection['planSchedule'], prices: Assumptions['planPricesPerMonth'], years: number): Money[] {
  const current = schedule[0]!.plan;
  return Array.from({ length: years }, (_, i) =>
    monthsOnPlans(schedule, i + 1, years).reduce((sum, { plan, months }) => add(sum, { low: Math.max(0, prices[plan].low - prices[current].low) * months, high: Math.max(0, prices[plan].high - prices[current].high) * months }), zero()),
  );
}

export interface CostInput {
  assumptions: Assumptions;
  years: number;
  growth: number;
  planSchedule: CapacityProjection['planSchedule'];
  /** Overrides the assumptions' connected systems (for the "native is enough up to N systems" search). */
  systems?: number;
}

export function computeCosts(input: CostInput): MethodCost[] {
  const a = input.assumptions;
  const systems = input.systems ?? a.store.connectedSystems.value;
  const upgrades = planUpgradeCost(input.planSchedule, a.planPricesPerMonth, input.years);
  const upgradeLine: CostLine = {
    id: 'planUpgrades',
    label: 'Plan upgrades forced by API demand',
    basis: 'derived',
    quoted: false,
    source: `Measured: this run's order-driven requests per order and scheduled requests a day on the store's growth (capacity section), priced with planPricesPerMonth.`,
    perYear: upgrades,
    total: upgrades.reduce(add, zero()),
  };
  return methodIds.map((id) => {
    const m = a.methods[id];
    const items: CostLine[] = Object.entries(m.items).map(([key, item]) => {
      const perYear = Array.from({ length: input.years }, (_, i) => itemCost(item, { year: i + 1, hourlyRate: a.hourlyRate, systems, growth: input.growth }));
      return { id: key, label: item.label, basis: item.basis, quoted: item.quoted, source: item.source, perYear, total: perYear.reduce(add, zero()) };
    });
    if (upgradeLine.total.high > 0) items.push(upgradeLine);
    const perYear = Array.from({ length: input.years }, (_, i) => items.reduce((s, it) => add(s, it.perYear[i]!), zero()));
    const total = perYear.reduce(add, zero());
    // One-off costs are paid at go-live; each year's recurring costs spread over its months.
    const upfront = items.filter((it) => it.basis === 'once' || it.basis === 'hours').reduce((s, it) => s + midOf(it.total), 0);
    const cumulativeMid = [upfront];
    for (let y = 0; y < input.years; y++) {
      const recurring = items.filter((it) => it.basis !== 'once' && it.basis !== 'hours').reduce((s, it) => s + midOf(it.perYear[y]!), 0);
      for (let mo = 0; mo < 12; mo++) cumulativeMid.push(cumulativeMid.at(-1)! + recurring / 12);
    }
    return { id, label: m.label, summary: m.summary, items, perYear, total, mid: midOf(total), excluded: items.filter((it) => !it.quoted).reduce((s, it) => add(s, it.total), zero()), cumulativeMid };
  });
}

/** The first month a method that costs more up front is cheaper in total than another; null within the horizon. */
export function breakEvenMonth(dearUpFront: MethodCost, cheapUpFront: MethodCost): number | null {
  for (let m = 0; m < dearUpFront.cumulativeMid.length; m++) if (dearUpFront.cumulativeMid[m]! <= cheapUpFront.cumulativeMid[m]!) return m;
  return null;
}

export function formatMoney(n: number, currency = 'USD'): string {
  const symbol = currency === 'USD' ? '$' : currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : `${currency} `;
  const abs = Math.abs(n);
  const text = abs >= 10_000 ? `${Math.round(abs / 1000).toLocaleString('en-US')}k` : Math.round(abs).toLocaleString('en-US');
  return `${n < 0 ? '-' : ''}${symbol}${text}`;
}

export const formatRange = (m: Money, currency?: string) => `${formatMoney(m.low, currency)}–${formatMoney(m.high, currency)}`;

/** "month 17 (year 2)" for a time in years from now. */
export function formatWhen(years: number, horizon: number): string {
  if (years <= 0) return 'already today';
  if (!Number.isFinite(years)) return 'never';
  const month = Math.ceil(years * 12);
  return `month ${month} (year ${Math.ceil(month / 12)})${years > horizon ? ', after the horizon' : ''}`;
}

export interface Recommendation {
  method: MethodId;
  label: string;
  headline: string;
  reasons: string[];
  /** The number of connected systems up to which the native connector stays the cheapest (0 = never, null = always within 20). */
  nativeCheapestUpToSystems: number | null;
}

/**
 * The method to recommend and why: the lowest midpoint total over the horizon, and the facts
 * that decide it (are the ranges apart, how much the quotes leave out, when a custom build pays
 * back against the platform licence, up to how many systems native connectors stay cheapest, and
 * what the measured integration does to the plan).
 */
export function recommend(input: CostInput & { costs: MethodCost[]; capacity: CapacityProjection; behaviourText: string }): Recommendation {
  const cur = input.assumptions.currency;
  const money = (m: Money) => formatRange(m, cur);
  const sorted = [...input.costs].sort((a, b) => a.mid - b.mid);
  const best = sorted[0]!;
  const second = sorted[1];
  const byId = (id: MethodId) => input.costs.find((c) => c.id === id)!;
  const reasons: string[] = [];
  const years = input.years;

  if (second) {
    reasons.push(
      best.total.high < second.total.low
        ? `${best.label} is the cheapest in every case: ${money(best.total)} over ${years} years, its high bound below ${second.label}'s low bound (${money(second.total)}).`
        : `${best.label} is the cheapest at the midpoint (${formatMoney(best.mid, cur)} of ${money(best.total)} over ${years} years), but its range overlaps ${second.label}'s (${money(second.total)}): the quotes decide.`,
    );
  }
  const worst = [...input.costs].sort((a, b) => b.excluded.high / Math.max(1, b.total.high) - a.excluded.high / Math.max(1, a.total.high))[0]!;
  reasons.push(`Quotes leave out ${Math.round((midOf(worst.excluded) / Math.max(1, worst.mid)) * 100)}% of ${worst.label}'s ${years}-year cost (${money(worst.excluded)}: data mapping, UAT, webhook monitoring, maintenance${input.costs.some((c) => c.items.some((i) => i.id === 'planUpgrades')) ? ', plan upgrades' : ''}); ${best.label}'s own unquoted share is ${money(best.excluded)}.`);

  const custom = byId('custom');
  const ipaas = byId('ipaas');
  const native = byId('native');
  const payback = breakEvenMonth(custom, ipaas);
  reasons.push(
    payback === null
      ? `A custom build does not pay back against iPaaS within ${years} years (${formatMoney(custom.cumulativeMid.at(-1)!, cur)} against ${formatMoney(ipaas.cumulativeMid.at(-1)!, cur)} at the midpoints).`
      : payback === 0
        ? `A custom build costs no more than iPaaS even up front at the midpoints.`
        : `A custom build pays back against the iPaaS licence in month ${payback}: it costs ${formatMoney(custom.cumulativeMid[0]! - ipaas.cumulativeMid[0]!, cur)} more up front and less every year after, because the licence grows with orders and systems.`,
  );

  // Native connectors are priced per connected system; find where that stops being cheapest.
  let upTo: number | null = null;
  for (let n = 1; n <= 20; n++) {
    const costs = computeCosts({ ...input, systems: n });
    const nat = costs.find((c) => c.id === 'native')!;
    const cheapest = costs.every((c) => c.id === 'native' || nat.mid <= c.mid);
    if (!cheapest) {
      upTo = n - 1;
      break;
    }
  }
  const systems = input.systems ?? input.assumptions.store.connectedSystems.value;
  reasons.push(
    upTo === null
      ? `Native connectors stay the cheapest up to 20 connected systems on these assumptions (${money(native.total)} for ${systems}).`
      : upTo === 0
        ? `Native connectors are not the cheapest even for one connected system on these assumptions (${money(native.total)} for ${systems}).`
        : `Native connectors are enough while the store connects at most ${upTo} system${upTo === 1 ? '' : 's'} (per-connector fees); at ${systems} they cost ${money(native.total)}.`,
  );

  const schedule = input.capacity.planSchedule;
  const upgrade = schedule[1];
  const current = schedule[0]!.plan;
  const title = (p: string) => p[0]!.toUpperCase() + p.slice(1);
  const upgradeLine = input.costs[0]!.items.find((i) => i.id === 'planUpgrades');
  reasons.push(
    upgrade
      ? `With the measured ${formatPerOrder(input.capacity.input.orderDrivenPerOrder)} order-driven requests per order the store must move from ${title(current)} to ${title(upgrade.plan)} in ${formatWhen(upgrade.from, years)}, because ${upgrade.reason}: ${upgradeLine ? money(upgradeLine.total) : 'no extra fee'} over ${years} years, whatever the method.`
      : `With the measured ${formatPerOrder(input.capacity.input.orderDrivenPerOrder)} order-driven requests per order the store stays on ${title(current)} for all ${years} years, normal days and a ${input.capacity.input.flashSale.multiplier}x sale included.`,
  );
  reasons.push(input.behaviourText);

  return {
    method: best.id,
    label: best.label,
    headline: `${best.label}: ${money(best.total)} over ${years} years (midpoint ${formatMoney(best.mid, cur)}).`,
    reasons,
    nativeCheapestUpToSystems: upTo,
  };
}
