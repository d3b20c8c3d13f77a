/**
 * What a finished UAT run measured about the integration's cost to the store's quota, from ground
 * truth only (the simulator's ledger, the ERP's journal, the quota windows and what the verifier
 * concluded): requests per order by flow, the busiest 30-second window, webhook volume, how deep
 * the order backlog got and how long it took to drain, and what the integration did when the
 * quota ran out. The capacity model (capacity-model.ts) projects these; nothing here is assumed.
 *
 * The figures the UAT report also shows (requests per order, orders placed and synced, 429s, the
 * peak window share, webhook deliveries) follow src/verify/figures.ts, and are taken from the
 * verifier's measures when the run has them, so both reports print the same number.
 *
 * The ledger can be hundreds of megabytes, so it is streamed line by line into a small
 * accumulator (createRunMeasurer) that keeps a timestamp per request and per order, nothing more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { planNameSchema, planQuota, type PlanName } from '../../lib/plans.ts';
import { readAlertLines, readJsonLines } from '../uat/run-directory.ts';
import { normalizeReports } from '../verify/dead-letters.ts';
import { figuresFromMeasures, formatCount, formatPerOrder, formatShare, perSyncedOrder, quotaContact, quotaContactText, requestsPerOrderParts, type QuotaContact } from '../verify/figures.ts';
import { quotaSnapshotSchema } from '../verify/inputs.ts';
import { analyzeQuota } from '../verify/quota-use.ts';
import { apiFlowLabel, apiFlowOf, driverOf, type ApiFlowId } from './api-flows.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const WINDOW_MS = 30_000;

export const saturationBehaviours = ['queues', 'drops', 'unproven'] as const;
export type SaturationBehaviour = (typeof saturationBehaviours)[number];
export const quotaContacts = ['ran-into', 'at-limit', 'under', 'unknown'] as const;

/**
 * With no 429, a busiest window at this share of the run's quota or more shows an integration
 * holding its own pace at a ceiling (the reference engine keeps 20% for other apps, so it peaks
 * at 80%): if it also lost nothing, it queued behind that ceiling. Below it the run never pushed.
 */
export const PACED_SHARE = 0.7;

const count = z.number().int().min(0);
const num = z.number();
const perOrder = num.nullable();

export const runMeasurementsSchema = z.object({
  run: z.object({
    id: z.string(),
    dir: z.string(),
    scenario: z.string(),
    integration: z.string(),
    plan: planNameSchema,
    /** The quota the run's store had (a rehearsal may scale it down with --quota); null when unlimited. */
    quotaPerWindow: z.number().nullable(),
    timeScale: num,
    /** --volume-scale; null when the run used the scenario's full volume. */
    volumeScale: num.nullable(),
  }),
  /** Simulated span measured: from the load's start to the run's end. */
  span: z.object({ from: z.string(), to: z.string(), ms: num.min(0), days: num.min(0) }),
  orders: z.object({
    /** figures.ts ordersPlaced. */
    placed: count,
    /** figures.ts ordersSynced: the denominator of every per-order figure. */
    synced: count,
    deadLettered: count,
    lost: count,
    /** Where these come from: the verifier's measures, or the ledger and ERP journal when there are none. */
    source: z.enum(['verdict', 'journal']),
  }),
  requests: z.object({
    /** Every request of the integration's client id over the whole run: the numerator of requests per order. */
    total: count,
    /** Before the load started (registration, first syncs) or after the run ended (shutdown). */
    oneOff: count,
    /** During the run, on a timer (hook checks, back-office feeds, polls that found nothing). */
    scheduled: count,
    /** During the run, grown with orders (everything else). */
    orderDriven: count,
    /** figures.ts quota429s, and the platform's own 429s counted apart. */
    quota429s: count,
    platform429s: count,
  }),
  flows: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      requests: count,
      quota429s: count,
      oneOff: count,
      scheduled: count,
      orderDriven: count,
      /** The flow's requests (all of them) per order synced: the rows add up to requestsPerOrder. */
      perOrder,
    }),
  ),
  /** figures.ts requestsPerOrder: the number the UAT report shows as calls per synced order. */
  requestsPerOrder: perOrder,
  /** Its parts by driver; they add up to it. The capacity model takes orderDriven and scheduledPerDay. */
  perOrder: z.object({ oneOff: perOrder, scheduled: perOrder, orderDriven: perOrder }),
  /** Scheduled requests per simulated day and per 30-second window of the run (not per order: they do not grow with orders). */
  scheduledPerDay: num,
  scheduledPerWindow: num,
  peak: z.object({
    /** Most requests the integration sent in any 30 simulated seconds of the load (429s included). */
    requestsPerWindow: count,
    requestsAt: z.string().nullable(),
    /** Most the store's quota counted for it in one window (quota.json), and for all apps. */
    consumedPerWindow: count.nullable(),
    consumedTotalPerWindow: count.nullable(),
    /** Most orders placed in any 30 simulated seconds, and in any hour. */
    ordersPerWindow: count,
    ordersPerHour: count,
  }),
  /** figures.ts webhookDeliveries. */
  webhooks: z.object({ deliveries: count, delivered: count, failed: count, held: count, perOrder }),
  backlog: z.object({
    peak: count,
    peakAt: z.string().nullable(),
    /** Simulated ms from the deepest backlog to the first moment nothing was waiting; null if it never emptied. */
    drainMs: num.nullable(),
    leftAtEnd: count,
  }),
  saturation: z.object({
    behaviour: z.enum(saturationBehaviours),
    contact: z.enum(quotaContacts),
    quota429s: count,
    ignored: count.nullable(),
    /** figures.ts peakWindowShare (the integration's own), and the all-apps share beside it. */
    peakShare: num.nullable(),
    peakShareAllApps: num.nullable(),
    evidence: z.string(),
  }),
  /** How the run was scaled, and the same run undone to full volume (scalingOf). */
  scaling: z.object({
    volumeScale: num,
    runQuota: num.nullable(),
    publishedQuota: num.nullable(),
    /** The run's quota as the pressure it puts on a full-volume store: runQuota ÷ volumeScale. */
    fullVolumeQuota: num.nullable(),
    /** Run quota at full volume ÷ published quota: 1 when the rehearsal pressed the quota like the real store. */
    pressure: num.nullable(),
    fullVolume: z.object({ ordersPlaced: num, ordersPerWindow: num, ordersPerHour: num, requestsPerOrder: perOrder }),
    text: z.string(),
  }),
  warnings: z.array(z.string()),
});
export type RunMeasurements = z.infer<typeof runMeasurementsSchema>;

interface FlowCount {
  requests: number;
  quota429s: number;
  oneOff: number;
  scheduled: number;
  orderDriven: number;
}

/** The most events inside any window of `windowMs` (times sorted ascending), and where it starts. */
export function slidingMax(times: readonly number[], windowMs: number): { count: number; at: number | null } {
  let best = 0;
  let at: number | null = null;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    if (hi - lo + 1 > best) {
      best = hi - lo + 1;
      at = times[lo]!;
    }
  }
  return { count: best, at };
}

/**
 * The deepest backlog and how long it took to empty from there. `events` are +1 (an order placed)
 * and -1 (it reached the ERP or was dead-lettered), in any order.
 */
export function backlogDrain(events: readonly { at: number; d: 1 | -1 }[]): { peak: number; peakAt: number | null; drainMs: number | null; leftAtEnd: number } {
  const sorted = [...events].sort((a, b) => a.at - b.at || a.d - b.d);
  let level = 0;
  let peak = 0;
  let peakAt: number | null = null;
  let emptiedAt: number | null = null;
  for (const e of sorted) {
    level += e.d;
    if (level > peak) {
      peak = level;
      peakAt = e.at;
      emptiedAt = null;
    } else if (level <= 0 && peakAt !== null && emptiedAt === null) {
      emptiedAt = e.at;
    }
  }
  return { peak, peakAt, drainMs: peakAt !== null && emptiedAt !== null ? emptiedAt - peakAt : null, leftAtEnd: Math.max(0, level) };
}

export interface RunContext {
  clientId: string;
  /** Simulated epoch ms: requests before it are setup. */
  loadStartedAt: number;
  /** Simulated epoch ms: requests after it are shutdown; orders and the backlog stop here. */
  endAt: number;
}

/**
 * Accumulates the ledger's lines; pure apart from the lines it is given. It counts every request
 * of the integration's client id whatever its time, as the verifier does (figures.ts): the ones
 * outside the load are one-off, not dropped, so the per-flow rows add up to the UAT's total.
 */
export function createRunMeasurer(ctx: RunContext) {
  const flows = new Map<ApiFlowId, FlowCount>();
  const requestTimes: number[] = [];
  const orderTimes = new Map<string, number>();
  const hooks = new Set<number>();
  let total = 0;
  let quota429s = 0;
  let platform429s = 0;
  let delivered = 0;
  let failed = 0;
  let held = 0;
  return {
    add(value: unknown): void {
      if (typeof value !== 'object' || value === null) return;
      const line = value as Record<string, unknown>;
      const at = typeof line.at === 'string' ? Date.parse(line.at) : NaN;
      if (Number.isNaN(at)) return;
      switch (line.kind) {
        case 'api:request': {
          if (line.client !== ctx.clientId || typeof line.method !== 'string' || typeof line.path !== 'string' || typeof line.status !== 'number') return;
          total++;
          const flow = apiFlowOf(line.method, line.path);
          let c = flows.get(flow);
          if (!c) flows.set(flow, (c = { requests: 0, quota429s: 0, oneOff: 0, scheduled: 0, orderDriven: 0 }));
          c.requests++;
          // A quota 429 costs the store nothing but is demand the plan refused; a platform 429
          // (no quota headers, a fault of the platform's load) is not the quota's doing.
          if (line.status === 429) {
            const platform = Array.isArray(line.faults) && line.faults.includes('platform-429');
            if (platform) platform429s++;
            else {
              quota429s++;
              c.quota429s++;
            }
          }
          if (at < ctx.loadStartedAt || at > ctx.endAt) {
            c.oneOff++;
            return;
          }
          if (driverOf(flow, line.method, line.status) === 'schedule') c.scheduled++;
          else c.orderDriven++;
          requestTimes.push(at);
          return;
        }
        case 'resource:created': {
          if (line.resource === 'order' && at <= ctx.endAt) orderTimes.set(String(line.id), at);
          if (line.resource === 'hook') {
            const body = line.body as { client_id?: unknown } | undefined;
            if (body?.client_id === ctx.clientId && typeof line.id === 'number') hooks.add(line.id);
          }
          return;
        }
        case 'webhook:attempt': {
          if (typeof line.hookId !== 'number' || !hooks.has(line.hookId)) return;
          if (line.outcome === 'delivered') delivered++;
          else if (line.outcome === 'denylisted') held++;
          else failed++;
          return;
        }
        default:
          return;
      }
    },
    result() {
      return { flows, requestTimes: requestTimes.sort((a, b) => a - b), orderTimes, total, quota429s, platform429s, delivered, failed, held };
    },
  };
}

/** run.json, as far as the measurements need it. */
const runFileSchema = z.looseObject({
  id: z.string(),
  scenario: z.looseObject({ name: z.string() }),
  integration: z.looseObject({ label: z.string() }),
  options: z.looseObject({ plan: planNameSchema, volumeScale: z.number().optional() }),
  simulator: z.looseObject({ clientId: z.string(), quotaPerWindow: z.number().nullable() }).nullable(),
  clock: z.looseObject({ scale: z.number(), simStart: z.string(), loadStartedAt: z.string().nullable(), endAt: z.string().nullable() }),
});

export class RunMeasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunMeasureError';
  }
}

export interface MeasureOptions {
  /** The verifier's measures when the caller has them in memory; otherwise verdict.json is read. */
  measures?: Record<string, number | null>;
  /**
   * A measurement already fed the ledger's lines (`openRunMeasure`), so a caller that streams the
   * ledger anyway (the UAT verification) does not stream hundreds of megabytes a second time.
   */
  fed?: RunMeasure;
}

/** A run's measurement, opened from its run.json, taking the ledger's lines as they are read. */
export interface RunMeasure {
  dir: string;
  /** One ledger line, parsed. */
  add(line: unknown): void;
  /** One ledger line that could not be parsed. */
  bad(): void;
}

interface OpenedMeasure extends RunMeasure {
  run: z.infer<typeof runFileSchema> & { simulator: NonNullable<z.infer<typeof runFileSchema>['simulator']>; clock: { endAt: string } };
  measurer: ReturnType<typeof createRunMeasurer>;
  malformed: () => number;
  loadStartedAt: number;
  endAt: number;
}

/** Measure a run directory a UAT run wrote (see src/uat/run-directory.ts). */
export async function measureRunDirectory(dir: string, options: MeasureOptions = {}): Promise<RunMeasurements> {
  let opened = options.fed as OpenedMeasure | undefined;
  if (!opened) {
    opened = openRunMeasure(dir) as OpenedMeasure;
    if (!existsSync(join(dir, 'ledger.jsonl'))) throw new RunMeasureError(`Failed to measure ${dir}: ledger.jsonl is missing. The measurements come from the simulator's ledger; re-run the UAT.`);
    await readJsonLines(join(dir, 'ledger.jsonl'), (v) => opened!.add(v), () => opened!.bad());
  }
  return finishRunMeasure(opened, options.measures);
}

/** Read and check run.json, and start a measurement that takes the ledger's lines. */
export function openRunMeasure(dir: string): RunMeasure {
  const runFile = join(dir, 'run.json');
  if (!existsSync(runFile)) throw new RunMeasureError(`Failed to read the run ${dir}: it has no run.json. Pass a directory \`bc-harness uat\` wrote (reports/out/uat/<run id>).`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(runFile, 'utf8'));
  } catch (error) {
    throw new RunMeasureError(`Failed to read ${runFile}: ${(error as Error).message}. Pass a directory \`bc-harness uat\` wrote.`);
  }
  const parsed = runFileSchema.safeParse(raw);
  if (!parsed.success) throw new RunMeasureError(`Failed to read ${runFile}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. Pass a directory \`bc-harness uat\` wrote.`);
  const run = parsed.data;
  if (!run.simulator || !run.clock.endAt) throw new RunMeasureError(`Failed to measure ${dir}: the run stopped before the simulator ran, so there is nothing to measure.`);
  const simStart = Date.parse(run.clock.simStart);
  const endAt = Date.parse(run.clock.endAt);
  const loadStartedAt = run.clock.loadStartedAt ? Date.parse(run.clock.loadStartedAt) : simStart;
  const measurer = createRunMeasurer({ clientId: run.simulator.clientId, loadStartedAt, endAt });
  let malformed = 0;
  const opened: OpenedMeasure = {
    dir,
    run: run as OpenedMeasure['run'],
    measurer,
    loadStartedAt,
    endAt,
    add: (line) => measurer.add(line),
    bad: () => void malformed++,
    malformed: () => malformed,
  };
  return opened;
}

async function finishRunMeasure(opened: OpenedMeasure, given: Record<string, number | null> | undefined): Promise<RunMeasurements> {
  const { dir, run, loadStartedAt, endAt } = opened;
  const malformed = opened.malformed();
  const r = opened.measurer.result();

  // Orders leave the backlog when the ERP first accepts them (up to the run's end), or when they
  // are dead-lettered. `everSynced` counts acceptance at any time, as the verifier's orders.synced.
  const synced = new Map<string, number>();
  const everSynced = new Set<string>();
  await readJsonLines(join(dir, 'journal-erp.jsonl'), (v) => {
    const w = v as { at?: string; resource?: string; key?: string; status?: number };
    if (w?.resource !== 'sales-order' || typeof w.key !== 'string' || typeof w.status !== 'number' || w.status < 200 || w.status >= 300 || typeof w.at !== 'string') return;
    if (!r.orderTimes.has(w.key)) return;
    everSynced.add(w.key);
    const at = Date.parse(w.at);
    if (!synced.has(w.key) && at <= endAt) synced.set(w.key, at);
  });
  const deadLettered = new Map<string, number>();
  for (const d of normalizeReports(await readAlertLines(dir)).deadLetters) {
    if (d.spec && d.spec !== 'orders-to-erp-sales-order') continue;
    if (r.orderTimes.has(d.key) && !synced.has(d.key) && !deadLettered.has(d.key)) deadLettered.set(d.key, d.at);
  }

  let measures = given;
  if (!measures && existsSync(join(dir, 'verdict.json'))) {
    try {
      measures = (JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as { measures?: Record<string, number | null> }).measures;
    } catch {
      measures = undefined;
    }
  }
  const f = figuresFromMeasures(measures ?? {});
  const m = (name: string): number | null => (measures && typeof measures[name] === 'number' ? measures[name] : null);
  const warnings: string[] = [];

  // The shared figures from the verifier when it ran; the same rules applied to the ledger and
  // journal otherwise (a run directory without verdict.json).
  const fromVerdict = f.ordersSynced !== null && m('orders.lost') !== null;
  const placed = fromVerdict ? (f.ordersPlaced ?? r.orderTimes.size) : r.orderTimes.size;
  const ordersSynced = fromVerdict ? f.ordersSynced! : everSynced.size;
  const ordersDead = fromVerdict ? (m('orders.deadLettered') ?? deadLettered.size) : deadLettered.size;
  const lost = fromVerdict ? m('orders.lost')! : Math.max(0, placed - everSynced.size - deadLettered.size);

  const spanMs = Math.max(0, endAt - loadStartedAt);
  const days = spanMs / DAY_MS;
  const windows = Math.max(1, spanMs / WINDOW_MS);
  const flowRows = [...r.flows.entries()]
    .map(([id, c]) => ({ id, label: apiFlowLabel(id), requests: c.requests, quota429s: c.quota429s, oneOff: c.oneOff, scheduled: c.scheduled, orderDriven: c.orderDriven, perOrder: perSyncedOrder(c.requests, ordersSynced) }))
    .sort((a, b) => b.requests - a.requests);
  const sum = (k: 'oneOff' | 'scheduled' | 'orderDriven') => flowRows.reduce((s, x) => s + x[k], 0);
  const parts = requestsPerOrderParts({ oneOff: sum('oneOff'), scheduled: sum('scheduled'), orderDriven: sum('orderDriven'), ordersSynced });
  if (f.requests !== null && f.requests !== r.total) {
    warnings.push(`The verifier counted ${f.requests} requests of the integration and this report ${r.total} (ledger lines one of them could not read); the per-flow figures here use ${r.total}.`);
  }
  if (f.quota429s !== null && f.quota429s !== r.quota429s) {
    warnings.push(`The verifier counted ${f.quota429s} quota 429s and the per-flow table ${r.quota429s}; the behaviour at the quota is judged on the verifier's.`);
  }

  const quotaFile = join(dir, 'quota.json');
  const quota = existsSync(quotaFile) ? analyzeQuota(quotaSnapshotSchema.parse(JSON.parse(readFileSync(quotaFile, 'utf8'))), run.simulator.clientId) : undefined;
  const consumed = quota && quota.windows.length > 0 ? Math.max(...quota.windows.map((w) => w.integration)) : null;
  const consumedTotal = quota && quota.windows.length > 0 ? Math.max(...quota.windows.map((w) => w.integration + w.others)) : null;

  const orderTimes = [...r.orderTimes.values()].sort((a, b) => a - b);
  const peakRequests = slidingMax(r.requestTimes, WINDOW_MS);
  const busiestHour = slidingMax(orderTimes, HOUR_MS);
  const backlog = backlogDrain([
    ...orderTimes.map((at) => ({ at, d: 1 as const })),
    ...[...synced.values(), ...deadLettered.values()].map((at) => ({ at, d: -1 as const })),
  ]);

  const quota429s = f.quota429s ?? r.quota429s;
  const ignored = f.ignored429s;
  const peakShare = f.peakWindowShare ?? quota?.peakShare ?? null;
  const peakShareAllApps = f.peakWindowShareAllApps ?? quota?.peakTotalShare ?? null;
  const saturation = judgeSaturation({ lost, placed, quota429s, ignored, peakShare, backlog });

  const deliveries = f.webhookDeliveries ?? r.delivered + r.failed;
  const webhooksFailed = f.webhooksFailed ?? r.failed;
  const scaling = scalingOf({
    plan: run.options.plan,
    volumeScale: run.options.volumeScale ?? null,
    runQuota: run.simulator.quotaPerWindow,
    ordersPlaced: placed,
    ordersPerWindow: slidingMax(orderTimes, WINDOW_MS).count,
    ordersPerHour: busiestHour.count,
    perOrder: parts,
  });

  if (malformed > 0) warnings.push(`${malformed} ledger line(s) could not be read and were skipped.`);
  if (placed === 0) warnings.push('No order was placed during the run, so there is no per-order cost to project; run a scenario that places orders.');
  else if (ordersSynced === 0) warnings.push(`No order of the ${placed} placed reached the ERP, so requests per order (per order synced) cannot be measured and the capacity figures below count orders as free; fix the integration and run again.`);
  if (spanMs < 6 * 3_600_000) warnings.push(`The run covered ${formatSpan(spanMs)} of simulated time, so its scheduled requests per day (hook checks, back-office feeds, empty polls) are extrapolated from a short sample. A run of a day (baseline-day, flash-sale-10x) measures them better.`);
  if (!quota) warnings.push('quota.json is missing: the quota the store counted per window is not known, only the requests the ledger shows.');

  return runMeasurementsSchema.parse({
    run: {
      id: run.id,
      dir,
      scenario: run.scenario.name,
      integration: run.integration.label,
      plan: run.options.plan,
      quotaPerWindow: run.simulator.quotaPerWindow,
      timeScale: run.clock.scale,
      volumeScale: run.options.volumeScale ?? null,
    },
    span: { from: new Date(loadStartedAt).toISOString(), to: new Date(endAt).toISOString(), ms: spanMs, days },
    orders: { placed, synced: ordersSynced, deadLettered: ordersDead, lost, source: fromVerdict ? 'verdict' : 'journal' },
    requests: { total: r.total, oneOff: sum('oneOff'), scheduled: sum('scheduled'), orderDriven: sum('orderDriven'), quota429s: r.quota429s, platform429s: r.platform429s },
    flows: flowRows,
    requestsPerOrder: parts.total,
    perOrder: { oneOff: parts.oneOff, scheduled: parts.scheduled, orderDriven: parts.orderDriven },
    scheduledPerDay: days > 0 ? sum('scheduled') / days : 0,
    scheduledPerWindow: sum('scheduled') / windows,
    peak: {
      requestsPerWindow: peakRequests.count,
      requestsAt: peakRequests.at === null ? null : new Date(peakRequests.at).toISOString(),
      consumedPerWindow: consumed,
      consumedTotalPerWindow: consumedTotal,
      ordersPerWindow: slidingMax(orderTimes, WINDOW_MS).count,
      ordersPerHour: busiestHour.count,
    },
    webhooks: { deliveries, delivered: deliveries - webhooksFailed, failed: webhooksFailed, held: r.held, perOrder: perSyncedOrder(deliveries, ordersSynced) },
    backlog: { peak: backlog.peak, peakAt: backlog.peakAt === null ? null : new Date(backlog.peakAt).toISOString(), drainMs: backlog.drainMs, leftAtEnd: backlog.leftAtEnd },
    saturation: { ...saturation, quota429s, ignored, peakShare, peakShareAllApps },
    scaling,
    warnings,
  });
}

/**
 * What the integration does when the quota runs out, as the run showed it; every sentence is built
 * from the numbers it names (the quota clause from figures.ts quotaContactText):
 * - drops: it lost orders, or ignored a 429 (it hammers on and starves the other apps);
 * - queues: it lost nothing and either waited out 429s (`ran-into`) or held its busiest window at
 *   PACED_SHARE (70%) of the run's quota or more without a 429 (its own ceiling);
 * - unproven otherwise: the run never pushed it, and the capacity model counts it as dropping
 *   (it cannot credit a drain it never saw).
 */
export function judgeSaturation(o: {
  lost: number;
  placed: number;
  quota429s: number;
  ignored: number | null;
  peakShare: number | null;
  backlog?: { peak: number; drainMs: number | null; leftAtEnd: number };
}): { behaviour: SaturationBehaviour; contact: QuotaContact; evidence: string } {
  const q = { quota429s: o.quota429s, peakWindowShare: o.peakShare };
  const contact = quotaContact(q);
  const clause = quotaContactText(q);
  if (o.lost > 0) {
    return {
      behaviour: 'drops',
      contact,
      evidence: contact === 'ran-into'
        ? `It lost ${formatCount(o.lost)} of ${formatCount(o.placed)} orders, and ${clause}${o.ignored ? `, ${formatCount(o.ignored)} of them ignored` : ''}: past the quota it drops orders instead of queuing them.`
        : `It lost ${formatCount(o.lost)} of ${formatCount(o.placed)} orders while ${clause}: it drops orders even below the quota, so no spike above its capacity is survivable.`,
    };
  }
  if ((o.ignored ?? 0) > 0) return { behaviour: 'drops', contact, evidence: `It ignored ${formatCount(o.ignored!)} of its ${formatCount(o.quota429s)} 429s (the next request came before the reset): it hammers on when the quota runs out, which starves every other app on the store.` };
  const b = o.backlog;
  const drained = !b || b.peak === 0 ? 'lost no order' : b.drainMs !== null && b.leftAtEnd === 0 ? `lost no order: up to ${b.peak} orders waited, and the backlog drained ${formatSpan(b.drainMs)} after its peak` : `lost no order, though ${b.leftAtEnd} were still waiting at the end`;
  if (contact === 'ran-into') return { behaviour: 'queues', contact, evidence: `${cap(clause)}; it waited out every 429 and ${drained}.` };
  if (o.peakShare !== null && o.peakShare >= PACED_SHARE) {
    return { behaviour: 'queues', contact, evidence: `${cap(clause)}; it held its own pace (at least ${formatShare(PACED_SHARE)} of the quota counts as pacing at a ceiling) and ${drained}. How it answers a 429 itself was not tested.` };
  }
  return {
    behaviour: 'unproven',
    contact,
    evidence: `The run never pushed it to the quota: ${clause}${o.peakShare !== null ? `, below the ${formatShare(PACED_SHARE)} that shows pacing at a ceiling` : ''}. What it does when the quota runs out is not shown, so it is counted as if it dropped orders.`,
  };
}

const cap = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

const PLAN_TITLE: Record<PlanName, string> = { standard: 'Standard', plus: 'Plus', pro: 'Pro', enterprise: 'Enterprise' };

/** "0.1x the scenario's volume (--volume-scale 0.1)", "full volume". */
function volumePhrase(v: number): string {
  return v === 1 ? "the scenario's full volume" : `${v}x the scenario's volume (--volume-scale ${v})`;
}

/**
 * How the run was scaled, and the scaling undone. --volume-scale multiplies the scenario's arrival
 * rates, --quota sets the run's requests per window; the projection must not read a rehearsal as
 * the store. What changes with volume: counts of orders and requests (× volumeScale) and the
 * pressure on the quota (the run's quota ÷ volumeScale is what it is like at full volume). What
 * does not: requests per order of the order-driven flows, scheduled requests a day (they run on a
 * timer), webhooks per order, and window shares against the run's own quota. So the projection
 * takes only the latter; this states that, and shows the counts at full volume.
 *
 * Requests per order as a whole also spreads the scheduled and one-off requests over the orders,
 * so it does change with volume: at full volume (the same simulated span, 1/volumeScale times the
 * orders) it would be orderDriven + volumeScale × (scheduled + oneOff) per order.
 */
export function scalingOf(o: {
  plan: PlanName;
  volumeScale: number | null;
  runQuota: number | null;
  ordersPlaced: number;
  ordersPerWindow: number;
  ordersPerHour: number;
  perOrder: { oneOff: number | null; scheduled: number | null; orderDriven: number | null };
}): RunMeasurements['scaling'] {
  const v = o.volumeScale !== null && o.volumeScale > 0 ? o.volumeScale : 1;
  const published = planQuota(o.plan).perWindow ?? null;
  const fullVolumeQuota = o.runQuota === null ? null : o.runQuota / v;
  const pressure = fullVolumeQuota === null || published === null ? null : fullVolumeQuota / published;
  const p = o.perOrder;
  const fullRequestsPerOrder = p.orderDriven === null ? null : p.orderDriven + v * ((p.scheduled ?? 0) + (p.oneOff ?? 0));
  const title = PLAN_TITLE[o.plan];
  const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1).replace(/\.0$/, ''));

  const measured =
    o.runQuota === null
      ? `Measured at ${volumePhrase(v)} on an unlimited quota`
      : v === 1 && o.runQuota === published
        ? `Measured at ${volumePhrase(v)} against ${title}'s published quota of ${o.runQuota} requests a window`
        : `Measured at ${volumePhrase(v)} against a quota of ${o.runQuota} requests a window${o.runQuota !== published ? ` (--quota ${o.runQuota})` : ` (${title}'s)`}${v !== 1 ? `, which presses like ${fmt(fullVolumeQuota!)} a window would at full volume` : ''}`;
  const projected = `projected to full volume and ${published === null ? `${title}'s unlimited quota` : `${title}'s ${published}`} (and every other plan's published quota)`;
  const undone =
    v === 1 && (o.runQuota === null || o.runQuota === published)
      ? ''
      : ` The projection undoes the scaling: it takes only what does not change with it (order-driven requests per order, scheduled requests a day, webhooks per order, and window shares against the run's own quota).${v !== 1 ? ` Counts of orders in the run are ${v}x a full-volume run's (${fmt(o.ordersPlaced)} placed would be ${fmt(o.ordersPlaced / v)}); requests per order as a whole spreads the scheduled and one-off requests over those orders, so at full volume it would be about ${formatPerOrder(fullRequestsPerOrder)} instead of ${formatPerOrder(p.orderDriven === null ? null : p.orderDriven + (p.scheduled ?? 0) + (p.oneOff ?? 0))}.` : ''}`;
  const pressureText =
    pressure === null || Math.abs(pressure - 1) <= 0.25
      ? ''
      : pressure > 1
        ? ` At full volume the run's quota is ${fmt(pressure)} times ${title}'s, so the run put less pressure on the quota than the store will see: what the integration does at the limit may not show (scale --quota with --volume-scale: --quota ${fmt(Math.max(1, Math.round((published ?? 0) * v)))}).`
        : ` At full volume the run's quota is ${Math.round(pressure * 100)}% of ${title}'s: a harder squeeze than the store will see.`;
  return {
    volumeScale: v,
    runQuota: o.runQuota,
    publishedQuota: published,
    fullVolumeQuota,
    pressure,
    fullVolume: { ordersPlaced: o.ordersPlaced / v, ordersPerWindow: o.ordersPerWindow / v, ordersPerHour: o.ordersPerHour / v, requestsPerOrder: fullRequestsPerOrder },
    text: `${measured}; ${projected}.${undone}${pressureText}`,
  };
}

export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} seconds`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} hours` : `${(hours / 24).toFixed(1)} days`;
}
