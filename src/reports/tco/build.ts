/**
 * Builds the cost-of-ownership report model from the run's measurements, the capacity projection,
 * the priced methods and the recommendation. Every number comes from those (measured or from the
 * assumptions file, which the report cites); this module only chooses what to show and words it.
 */
import type { Assumptions } from '../../tco/assumptions.ts';
import { formatWhen, formatMoney, formatRange, midOf, type MethodCost, type Recommendation } from '../../tco/cost-model.ts';
import type { CapacityProjection } from '../../tco/capacity-model.ts';
import { formatSpan, type RunMeasurements } from '../../tco/measure-run.ts';
import { AT_LIMIT_SHARE, FIGURE_DEFINITIONS, formatPeakWindow, formatPerOrder, formatShare } from '../../verify/figures.ts';
import { createLineChart, createStackedColumnChart, type Marker, type RuleLine } from '../uat/svg-charts.ts';
import { tcoReportSchema, type TcoReport } from './model.ts';

export interface BuildTcoInput {
  measurements: RunMeasurements;
  capacity: CapacityProjection;
  costs: MethodCost[];
  recommendation: Recommendation;
  assumptions: Assumptions;
  assumptionsFile: string;
  /** Relative link from the report to the run's UAT report, '' when there is none. */
  uatReport: string;
  generatedAt: Date;
}

/** Requests, orders: "5,000", "1.5", "0.36". */
export function fmtNumber(n: number): string {
  if (!Number.isFinite(n)) return 'no limit';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1).replace(/\.0$/, '');
  return n.toFixed(2).replace(/\.?0+$/, '') || '0';
}

export const fmtPct = (share: number) => `${Math.round(share * 100)}%`;

export function fmtMultiplier(m: number): string {
  if (!Number.isFinite(m)) return 'no limit';
  if (m <= 0) return 'none';
  return `${m >= 100 ? Math.round(m).toLocaleString('en-US') : m.toFixed(1).replace(/\.0$/, '')}x`;
}

/**
 * The behaviour at the quota in a label and a clause, from the numbers the judgement rests on
 * (measure-run.ts judgeSaturation): "waits out 429s" only after 429s, "paces itself below the
 * quota" when it queued without one, "dropped orders at the quota" only when it ran into it.
 */
/** ", while other apps filled the store's busiest window to 100%", when the others did (AT_LIMIT_SHARE or more). */
function othersFilled(s: RunMeasurements['saturation']): string {
  const all = s.peakShareAllApps;
  return all !== null && all !== undefined && s.peakShare !== null && all > s.peakShare && all >= AT_LIMIT_SHARE ? `, while other apps filled the store's busiest window to ${formatShare(all)}` : '';
}

export function behaviourWords(s: RunMeasurements['saturation'], lost: number): { label: string; tone: 'ok' | 'bad' | 'warn'; verb: string } {
  switch (s.behaviour) {
    case 'queues':
      return s.contact === 'ran-into'
        ? { label: 'Waits out 429s, loses nothing', tone: 'ok', verb: `when the quota ran out (${s.quota429s} 429s) it waited and lost no order` }
        : { label: 'Paces below the quota, loses nothing', tone: 'ok', verb: `it paced itself below the quota (no 429, busiest window ${formatShare(s.peakShare)} of the run's quota${othersFilled(s)}) and lost no order` };
    case 'drops':
      if (lost === 0) return { label: 'Ignores 429s', tone: 'bad', verb: `when the quota ran out it ignored ${fmtNumber(s.ignored ?? 0)} of its ${fmtNumber(s.quota429s)} 429s` };
      return s.contact === 'ran-into'
        ? { label: 'Drops orders', tone: 'bad', verb: `when the quota ran out (${s.quota429s} 429s) it dropped orders (${lost} lost)` }
        : { label: 'Drops orders', tone: 'bad', verb: `it lost ${lost} orders even below the quota` };
    case 'unproven':
      return { label: 'Not shown (treated as dropping)', tone: 'warn', verb: `the run never pushed it to the quota (${s.contact === 'unknown' ? 'no 429, quota share unknown' : `no 429, busiest window ${formatShare(s.peakShare)} of the run's quota`}), so it is counted as dropping orders there` };
  }
}

/**
 * Whether the largest sale claimed for a plan today is a load the run itself placed, or an
 * extrapolation from the per-order cost: the sale's orders a window (multiplier × the assumed
 * normal peak) against the run's busiest window undone to full volume.
 */
export function saleEvidenceText(o: { label: string; maxMultiplier: number; basePerWindow: number; runOrdersPerWindowFullVolume: number }): string {
  if (!Number.isFinite(o.maxMultiplier) || o.maxMultiplier <= 0) return '';
  const saleOrders = o.maxMultiplier * o.basePerWindow;
  const run = fmtNumber(o.runOrdersPerWindowFullVolume);
  return saleOrders > o.runOrdersPerWindowFullVolume
    ? `${o.label} today survives a sale of up to ${fmtMultiplier(o.maxMultiplier)} the normal peak (${fmtNumber(saleOrders)} orders a window); the run's own busiest window placed ${run} orders at full volume, so beyond that the figure is extrapolated from the per-order cost, not observed.`
    : `${o.label} today survives a sale of up to ${fmtMultiplier(o.maxMultiplier)} the normal peak (${fmtNumber(saleOrders)} orders a window), within the ${run} orders the run's own busiest window placed at full volume.`;
}

/** Cost items by what they are, so the stacked chart compares like with like across methods. */
const CATEGORIES: { name: string; color: string; ids: string[] }[] = [
  { name: 'Build and setup', color: '#2456d6', ids: ['build', 'setup'] },
  { name: 'Licence or subscription', color: '#7a3fb0', ids: ['licence', 'license', 'subscription'] },
  { name: 'Hosting', color: '#0f8b8d', ids: ['hosting'] },
  { name: 'Data mapping', color: '#c98a00', ids: ['mapping'] },
  { name: 'UAT and stress testing', color: '#e0684b', ids: ['uat'] },
  { name: 'Webhook monitoring', color: '#a3261b', ids: ['monitoring', 'monitoringSetup'] },
  { name: 'Maintenance', color: '#5b6478', ids: ['maintenance'] },
  { name: 'Plan upgrades', color: '#1f7a4d', ids: ['planUpgrades'] },
  { name: 'Other', color: '#b9c2d3', ids: [] },
];
const categoryOf = (id: string) => CATEGORIES.find((c) => c.ids.includes(id))?.name ?? 'Other';

const BASIS: Record<string, string> = { once: 'one-off', hours: 'hours × rate, one-off', monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly', derived: 'from the capacity model' };

function yearLabel(t: number): string {
  return t === 0 ? 'Today' : `Year ${t}`;
}

function charts(input: BuildTcoInput): TcoReport['charts'] {
  const { capacity, costs, assumptions } = input;
  const months = capacity.input.years * 12;
  const maxDemand = Math.max(...capacity.curve.map((p) => Math.max(p.peakDemandPerWindow, p.flashSaleDemandPerWindow)));
  const current = capacity.planSchedule[0]!.plan;
  const rules: RuleLine[] = [];
  capacity.groups.forEach((g, i) => {
    if (!Number.isFinite(g.capacity)) return;
    // Plans far above the demand would flatten it to the floor: show them only when near.
    if (i > 0 && g.capacity > Math.max(3 * maxDemand, capacity.groups[0]!.capacity)) return;
    const isCurrent = g.plans.includes(current);
    rules.push({ value: g.capacity, label: `${g.label} ${fmtNumber(g.capacity)}`, color: isCurrent ? '#a3261b' : '#5b6478' });
    if (isCurrent) rules.push({ value: g.capacity * (1 - capacity.input.otherAppsShare), label: `usable ${fmtPct(1 - capacity.input.otherAppsShare)}`, color: '#c98a00', dashed: true });
  });
  const markers: Marker[] = capacity.planSchedule.slice(1).filter((s) => s.from * 12 <= months).map((s) => ({ at: s.from * 12, label: `move to ${s.plan}`, color: '#1f7a4d' }));
  const demand = createLineChart({
    title: 'Requests per 30-s window',
    origin: 0,
    from: 0,
    to: months,
    yLabel: 'requests per 30-second window',
    xLabel: 'months from today (store growth as assumed)',
    xTicks: Array.from({ length: capacity.input.years + 1 }, (_, y) => ({ at: y * 12, label: y === 0 ? 'today' : `year ${y}` })),
    formatX: (m) => `month ${Math.round(m)}`,
    lines: [
      { name: 'normal day, busiest hour', color: '#2456d6', points: capacity.curve.map((p) => ({ at: p.t * 12, value: p.peakDemandPerWindow })) },
      { name: `${capacity.input.flashSale.multiplier}x flash sale`, color: '#7a3fb0', points: capacity.curve.map((p) => ({ at: p.t * 12, value: p.flashSaleDemandPerWindow })) },
    ],
    rules,
    markers,
  });
  const used = CATEGORIES.filter((c) => costs.some((m) => m.items.some((i) => categoryOf(i.id) === c.name)));
  const cur = assumptions.currency;
  const stacked = createStackedColumnChart({
    title: `${capacity.input.years}-year cost by item and method, low and high estimate`,
    yLabel: `${cur} over ${capacity.input.years} years`,
    formatY: (v) => formatMoney(v, cur),
    series: used.map((c) => ({ name: c.name, color: c.color })),
    groups: costs.map((m) => {
      const values = (bound: 'low' | 'high') => {
        const out: Record<string, number> = {};
        for (const it of m.items) out[categoryOf(it.id)] = (out[categoryOf(it.id)] ?? 0) + it.total[bound];
        return out;
      };
      return { label: m.label, columns: [{ label: 'low', values: values('low') }, { label: 'high', values: values('high') }] };
    }),
  });
  return [
    {
      id: 'demand',
      title: 'Demand against each plan over time',
      caption: `The integration's requests per window in the busiest hour of a normal day and during a ${capacity.input.flashSale.multiplier}x flash sale, from its measured ${formatPerOrder(capacity.input.orderDrivenPerOrder)} order-driven requests per order and ${fmtNumber(capacity.scheduledPerWindow)} scheduled requests per window, as the store grows ${fmtPct(capacity.input.growth)} a year; the red line is the ${current} plan's quota, the amber one what it leaves after the share kept for other apps.`,
      svg: demand,
    },
    {
      id: 'cost',
      title: 'Cost of ownership by item',
      caption: `Each method's ${capacity.input.years}-year cost, stacked by item, at the low and the high end of every assumption. Data mapping, UAT, webhook monitoring, maintenance and plan upgrades are the items quotes usually leave out.`,
      svg: stacked,
    },
  ];
}

export function buildTcoReport(input: BuildTcoInput): TcoReport {
  const { measurements: m, capacity, costs, recommendation, assumptions: a } = input;
  const cur = a.currency;
  const years = capacity.input.years;
  const behaviour = behaviourWords(m.saturation, m.orders.lost);
  const sc = m.scaling;
  const atFull = (n: number) => (sc.volumeScale === 1 ? '' : ` (${fmtNumber(n / sc.volumeScale)} at full volume)`);
  const currentGroup = capacity.groups.find((g) => g.plans.includes(capacity.planSchedule[0]!.plan))!;
  const title = `Cost of ownership: ${m.run.integration} on ${m.run.scenario}`;
  const lastRow = capacity.rows.at(-1)!;
  const currentInLast = lastRow.plans.find((p) => p.label === currentGroup.label)!;

  const conclusions: string[] = [sc.text];
  const today = capacity.rows[0]!;
  const evidence = saleEvidenceText({ label: currentGroup.label, maxMultiplier: today.plans.find((p) => p.label === currentGroup.label)!.maxMultiplier, basePerWindow: today.peakOrdersPerWindow, runOrdersPerWindowFullVolume: sc.fullVolume.ordersPerWindow });
  if (evidence) conclusions.push(evidence);
  for (const g of capacity.groups) {
    if (!Number.isFinite(g.capacity)) {
      conclusions.push(`${g.label} has no published quota (bigcommerce-facts.md section b: "by plan and resource"); it holds whatever the contract says.`);
      continue;
    }
    conclusions.push(`${g.label} (${fmtNumber(g.capacity)} requests a window): the busiest hour of a normal day outgrows it ${formatWhen(g.normalDayOutgrownIn, years)}; a ${capacity.input.flashSale.multiplier}x flash sale ${g.flashSaleOutgrownIn <= 0 ? 'is already beyond it today' : `stops being survivable ${formatWhen(g.flashSaleOutgrownIn, years)}`}.`);
  }
  conclusions.push(`At the end of year ${years} the busiest window of a normal day leaves ${currentInLast.headroomShare === null ? 'no limit' : `${Math.floor(Math.max(0, currentInLast.headroomShare) * 100)}%`} of the ${currentGroup.label} quota to the store's other apps${currentInLast.headroomShare !== null && currentInLast.headroomShare < capacity.input.otherAppsShare ? `, less than the ${fmtPct(capacity.input.otherAppsShare)} assumed for them` : ''}.`);
  conclusions.push(m.saturation.evidence);

  const planColumns = capacity.groups.map((g) => g.label);
  const excludedByLabel = new Map<string, { methods: string[]; low: number; high: number }>();
  for (const method of costs) {
    for (const it of method.items.filter((i) => !i.quoted)) {
      const key = categoryOf(it.id) === 'Other' ? it.label : categoryOf(it.id);
      const e = excludedByLabel.get(key) ?? { methods: [], low: 0, high: 0 };
      e.methods.push(`${method.label} ${formatRange(it.total, cur)}`);
      e.low += it.total.low;
      e.high += it.total.high;
      excludedByLabel.set(key, e);
    }
  }

  const report: TcoReport = {
    title,
    generatedAt: input.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    currency: cur,
    years,
    headline: `${m.requestsPerOrder === null ? `${m.run.integration}'s requests per order could not be measured in ${m.run.scenario} (no order reached the ERP)` : `${m.run.integration} spent ${formatPerOrder(m.requestsPerOrder)} API requests per order in ${m.run.scenario} (all its requests ÷ orders synced to the ERP, as the UAT report counts them; ${formatPerOrder(m.perOrder.orderDriven)} of them grow with orders)`}; ${behaviour.verb}. Recommended: ${recommendation.headline}`,
    run: {
      id: m.run.id,
      dir: m.run.dir,
      scenario: m.run.scenario,
      integration: m.run.integration,
      planText: `${m.run.plan}${m.run.quotaPerWindow === null ? ' (unlimited)' : `, ${m.run.quotaPerWindow} requests a window in the run`}`,
      timeScaleText: `${m.run.timeScale}x`,
      volumeText: sc.volumeScale === 1 ? 'full volume' : `volume ${sc.volumeScale}x`,
      spanText: `${formatSpan(m.span.ms)} simulated from the load's start`,
      scalingText: sc.text,
      uatReport: input.uatReport,
    },
    cards: [
      { label: 'requests per order', value: formatPerOrder(m.requestsPerOrder), tone: 'neutral' },
      { label: 'at the quota', value: behaviour.label, tone: behaviour.tone },
      { label: `${capacity.input.flashSale.multiplier}x sale on ${currentGroup.label} today`, value: capacity.rows[0]!.plans.find((p) => p.label === currentGroup.label)!.survivesFlashSale ? 'survives' : 'breaks', tone: capacity.rows[0]!.plans.find((p) => p.label === currentGroup.label)!.survivesFlashSale ? 'ok' : 'bad' },
      { label: `${currentGroup.label} outgrown`, value: formatWhen(Math.min(currentGroup.normalDayOutgrownIn, currentGroup.flashSaleOutgrownIn), years).replace(/ \(year \d+\)/, ''), tone: Math.min(currentGroup.normalDayOutgrownIn, currentGroup.flashSaleOutgrownIn) <= years ? 'warn' : 'ok' },
      { label: 'recommended', value: recommendation.label, tone: 'neutral' },
      { label: `${years}-year cost`, value: formatRange(costs.find((c) => c.id === recommendation.method)!.total, cur), tone: 'neutral' },
    ],
    measured: {
      facts: [
        { label: 'Orders placed', value: fmtNumber(m.orders.placed), note: `${m.orders.synced} synced to the ERP, ${m.orders.deadLettered} dead-lettered, ${m.orders.lost} lost (${m.orders.source === 'verdict' ? "the verifier's count, as in the UAT report" : 'from the ledger and the ERP journal'})${sc.volumeScale === 1 ? '' : `; ${fmtNumber(m.orders.placed / sc.volumeScale)} at full volume`}` },
        { label: 'Requests per order', value: formatPerOrder(m.requestsPerOrder), note: `all ${m.requests.total} requests of its client id over the run (setup, scheduled and order-driven, 429s included) ÷ ${m.orders.synced} orders synced to the ERP: the UAT report's calls per synced order; the flows below add up to it` },
        { label: 'of which grow with orders', value: `${formatPerOrder(m.perOrder.orderDriven)} per order`, note: `${m.requests.orderDriven} order-driven requests during the run (reads, writes, follow-ups such as shipments and refunds) ÷ the same orders: what the projection multiplies by the store's orders, for a day, a busy window and a flash sale alike` },
        { label: 'of which run on a timer', value: `${formatPerOrder(m.perOrder.scheduled)} per order`, note: `${m.requests.scheduled} scheduled requests (hook checks, back-office feeds, polls that found nothing): ${fmtNumber(m.scheduledPerDay)} a day, ${fmtNumber(m.scheduledPerWindow)} a window; projected per day, since they do not grow with orders` },
        { label: 'of which one-off', value: `${formatPerOrder(m.perOrder.oneOff)} per order`, note: `${m.requests.oneOff} requests before the load started (registration, first syncs) or after the run ended (shutdown); left out of the projection` },
        { label: 'Peak window share', value: formatPeakWindow(m.saturation.peakShare, m.saturation.peakShareAllApps), note: m.saturation.peakShare === null ? "the run's quota per window is not known (unlimited, or no quota.json)" : `the most the quota counted for it in one 30-second window (${m.peak.consumedPerWindow}) ÷ the run's ${m.run.quotaPerWindow}, as in the UAT report; all apps together: ${formatShare(m.saturation.peakShareAllApps)}` },
        { label: 'Busiest 30 seconds sent', value: `${m.peak.requestsPerWindow} requests`, note: `the most it sent in any 30 simulated seconds of the run, 429s included (the quota counts only what it accepted); most orders placed in 30 seconds: ${m.peak.ordersPerWindow}${atFull(m.peak.ordersPerWindow)}, in one hour: ${m.peak.ordersPerHour}${atFull(m.peak.ordersPerHour)}` },
        { label: '429s', value: fmtNumber(m.saturation.quota429s), note: `refused because the quota ran out${m.saturation.ignored === null ? '; how many were ignored is not known without the verdict' : `, ${fmtNumber(m.saturation.ignored)} ignored (the next request came before the reset)`}${m.requests.platform429s > 0 ? `; besides, ${m.requests.platform429s} 429s of the platform under load (no quota headers)` : ''}` },
        { label: 'Webhook deliveries', value: `${formatPerOrder(m.webhooks.perOrder)} per order`, note: `${m.webhooks.deliveries} to its hooks (${m.webhooks.failed} failed${m.webhooks.held > 0 ? `; ${m.webhooks.held} more held back while denylisted` : ''}) ÷ orders synced; they cost no quota but size the receiver and its monitoring` },
        { label: 'Backlog', value: m.backlog.peak === 0 ? 'none' : `${m.backlog.peak} orders at most`, note: m.backlog.peak === 0 ? '' : m.backlog.drainMs !== null ? `drained ${formatSpan(m.backlog.drainMs)} after its peak${m.backlog.leftAtEnd > 0 ? `, ${m.backlog.leftAtEnd} left at the end` : ''}` : `never drained: ${m.backlog.leftAtEnd} order(s) still waiting at the end` },
      ],
      flows: m.flows.map((f) => ({ label: f.label, requests: String(f.requests), quota429s: String(f.quota429s), oneOff: String(f.oneOff), scheduled: String(f.scheduled), orderDriven: String(f.orderDriven), perOrder: formatPerOrder(f.perOrder) })),
      flowsTotal: { label: 'All flows', requests: String(m.requests.total), quota429s: String(m.requests.quota429s), oneOff: String(m.requests.oneOff), scheduled: String(m.requests.scheduled), orderDriven: String(m.requests.orderDriven), perOrder: formatPerOrder(m.requestsPerOrder) },
      behaviour: { kind: m.saturation.behaviour, label: behaviour.label, tone: behaviour.tone, text: m.saturation.evidence },
      warnings: m.warnings,
    },
    capacity: {
      assumptions: [
        { label: "Today's plan", value: a.store.plan.value, source: a.store.plan.source },
        { label: 'Orders a day today', value: fmtNumber(a.store.ordersPerDay.value), source: a.store.ordersPerDay.source },
        { label: 'Growth a year', value: fmtPct(capacity.input.growth), source: capacity.input.growth === a.store.growthPerYear.value ? a.store.growthPerYear.source : 'The --growth flag.' },
        { label: "Busiest hour's share of a day", value: fmtPct(a.store.peakHourShare.value), source: a.store.peakHourShare.source },
        { label: 'Kept for other apps', value: fmtPct(a.store.otherAppsShare.value), source: a.store.otherAppsShare.source },
        { label: 'Flash sale', value: `${a.store.flashSale.multiplier.value}x for ${a.store.flashSale.durationMinutes.value} min, drained within ${a.store.flashSale.drainWithinMinutes.value} min`, source: `${a.store.flashSale.multiplier.source} ${a.store.flashSale.durationMinutes.source} ${a.store.flashSale.drainWithinMinutes.source}` },
      ],
      plans: capacity.groups.map((g) => ({
        label: g.label,
        quotaText: g.perWindow === null ? 'not published (unlimited in the simulator)' : `${g.perWindow} a window`,
        ordersText: Number.isFinite(g.ordersPerWindow) ? `${fmtNumber(g.ordersPerWindow)} orders a window` : 'no limit',
        spikeText: Number.isFinite(g.spike.spikeOrdersPerWindow) ? `breaks at ${fmtNumber(g.spike.spikeOrdersPerWindow)} orders a window (a normal peak of ${fmtNumber(g.spike.baseOrdersPerWindow)})` : 'does not break',
        normalDayText: formatWhen(g.normalDayOutgrownIn, years),
        flashSaleText: formatWhen(g.flashSaleOutgrownIn, years),
        tone: Math.min(g.normalDayOutgrownIn, g.flashSaleOutgrownIn) <= 0 ? 'bad' : Math.min(g.normalDayOutgrownIn, g.flashSaleOutgrownIn) <= years ? 'warn' : 'ok',
      })),
      yearLabels: capacity.rows.map((r) => yearLabel(r.t)),
      planLabels: planColumns,
      rows: capacity.rows.map((r) => ({
        label: yearLabel(r.t),
        ordersPerDay: fmtNumber(r.ordersPerDay),
        callsPerDay: fmtNumber(r.callsPerDay),
        webhooksPerDay: fmtNumber(r.webhooksPerDay),
        peakOrders: fmtNumber(r.peakOrdersPerWindow),
        peakDemand: fmtNumber(r.peakDemandPerWindow),
        flashDemand: fmtNumber(r.flashSaleDemandPerWindow),
        plans: r.plans.map((p) => ({ label: p.label, headroom: p.headroomShare === null ? 'no limit' : fmtPct(p.headroomShare), multiplier: fmtMultiplier(p.maxMultiplier), tone: p.survivesFlashSale ? 'ok' : 'bad' })),
      })),
      schedule: capacity.planSchedule.map((s) => ({ plan: s.plan, from: s.from === 0 ? 'today' : formatWhen(s.from, years), reason: s.reason })),
      conclusions,
    },
    costs: {
      yearLabels: Array.from({ length: years }, (_, i) => `Year ${i + 1}`),
      methods: costs.map((c) => ({
        id: c.id,
        label: c.label,
        summary: c.summary,
        totalText: formatRange(c.total, cur),
        midText: formatMoney(c.mid, cur),
        excludedText: `${formatRange(c.excluded, cur)} (${fmtPct(midOf(c.excluded) / Math.max(1, c.mid))})`,
        perYear: c.perYear.map((y) => formatRange(y, cur)),
        recommended: c.id === recommendation.method,
        items: c.items.map((it) => ({ label: it.label, basisText: BASIS[it.basis] ?? it.basis, quoted: it.quoted, quotedText: it.quoted ? 'in quotes' : 'usually left out', totalText: formatRange(it.total, cur), perYear: it.perYear.map((y) => formatRange(y, cur)), source: it.source })),
      })),
      excluded: [...excludedByLabel.entries()].map(([label, e]) => ({ label, methods: e.methods.join('; '), totalText: formatRange({ low: e.low, high: e.high }, cur) })),
    },
    recommendation: { method: recommendation.method, label: recommendation.label, headline: recommendation.headline, reasons: recommendation.reasons },
    assumptionsFile: input.assumptionsFile,
    charts: charts(input),
    notes: [
      'Measured, from the run directory alone: requests per order by flow, scheduled requests, the busiest window, webhook deliveries, the backlog and what happened at the quota. Assumed, from the assumptions file: the store (orders, growth, busiest hour, flash sale) and every price.',
      FIGURE_DEFINITIONS.requestsPerOrder,
      'The projection multiplies the store\'s orders by the order-driven requests per order and adds the scheduled requests a day; one-off requests are left out. Plan quotas are the published ones (lib/plans.ts), whatever quota the run used.',
      'Plan upgrades count only those the API quota forces; BigCommerce also moves stores up by online sales, which this report does not model.',
      'The model and its limits: docs/decisions/0009-capacity-and-cost-model.md.',
    ],
    data: {
      requestsPerOrder: m.requestsPerOrder,
      callsPerOrder: m.requestsPerOrder,
      orderDrivenPerOrder: m.perOrder.orderDriven,
      peakCallsPerOrder: capacity.input.orderDrivenPerOrder,
      flows: m.flows.map((f) => ({ id: f.id, requests: f.requests, perOrder: f.perOrder })),
      ordersPlaced: m.orders.placed,
      ordersSynced: m.orders.synced,
      quota429s: m.saturation.quota429s,
      peakWindowShare: m.saturation.peakShare,
      webhookDeliveries: m.webhooks.deliveries,
      volumeScale: sc.volumeScale,
      fullVolumeQuota: sc.fullVolumeQuota,
      scheduledPerDay: m.scheduledPerDay,
      behaviour: m.saturation.behaviour,
      plans: capacity.groups.map((g, i) => ({
        label: g.label,
        perWindow: g.perWindow,
        ordersPerWindow: Number.isFinite(g.ordersPerWindow) ? g.ordersPerWindow : null,
        normalDayOutgrownInYears: Number.isFinite(g.normalDayOutgrownIn) ? g.normalDayOutgrownIn : null,
        flashSaleOutgrownInYears: Number.isFinite(g.flashSaleOutgrownIn) ? g.flashSaleOutgrownIn : null,
        maxFlashSaleMultiplierToday: Number.isFinite(capacity.rows[0]!.plans[i]!.maxMultiplier) ? capacity.rows[0]!.plans[i]!.maxMultiplier : null,
      })),
      methods: costs.map((c) => ({ id: c.id, low: c.total.low, high: c.total.high, excludedLow: c.excluded.low, excludedHigh: c.excluded.high })),
      recommended: recommendation.method,
    },
  };
  return tcoReportSchema.parse(report);
}
