/**
 * What a finished UAT run measured about the integration's cost to the store's quota, from ground
 * truth only (the simulator's ledger, the ERP's journal, the quota windows and what the verifier
 * concluded): requests per order by flow, the busiest 30-second window, webhook volume, how deep
 * the order backlog got and how long it took to drain, and what the integration did when the
 * quota ran out. The capacity model (capacity-model.ts) projects these; nothing here is assumed.
 *
 * The ledger can be hundreds of megabytes, so it is streamed line by line into a small
 * accumulator (createRunMeasurer) that keeps a timestamp per request and per order, nothing more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { planNameSchema } from '../../simulator/domain/plans.ts';
import { readAlertLines, readJsonLines } from '../uat/run-directory.ts';
import { normalizeReports } from '../verify/dead-letters.ts';
import { quotaSnapshotSchema } from '../verify/inputs.ts';
import { analyzeQuota } from '../verify/quota-use.ts';
import { apiFlowLabel, apiFlowOf, driverOf, type ApiFlowId } from './api-flows.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const WINDOW_MS = 30_000;

export const saturationBehaviours = ['queues', 'drops', 'unproven'] as const;
export type SaturationBehaviour = (typeof saturationBehaviours)[number];

const count = z.number().int().min(0);
const num = z.number();

export const runMeasurementsSchema = z.object({
  run: z.object({
    id: z.string(),
    dir: z.string(),
    scenario: z.string(),
    integration: z.string(),
    plan: planNameSchema,
    /** The quota the run's store had (a rehearsal may scale it down with --quota). */
    quotaPerWindow: z.number().nullable(),
    timeScale: num,
    volumeScale: num.nullable(),
  }),
  /** Simulated span measured: from the load's start (setup before it is counted apart) to the end. */
  span: z.object({ from: z.string(), to: z.string(), ms: num.min(0), days: num.min(0) }),
  orders: z.object({
    placed: count,
    synced: count,
    deadLettered: count,
    lost: count,
    /** Where synced and lost come from: the verifier's measures, or the ERP journal when there are none. */
    source: z.enum(['verdict', 'journal']),
  }),
  requests: z.object({
    /** Requests the integration sent during the span, 429s included: the demand it put on the quota. */
    sent: count,
    /** Of those, refused with a quota 429 (they consumed nothing). */
    refused: count,
    /** Requests before the load started: registration and first syncs, one-off. */
    setup: count,
  }),
  flows: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      requests: count,
      refused: count,
      /** Of the requests, how many the schedule drove (polls that found nothing, hook checks, feeds). */
      scheduled: count,
      perOrder: num,
    }),
  ),
  /** Requests that grow with orders, per order placed, over the whole run. */
  callsPerOrder: num,
  /**
   * The same in the busiest hour of orders: requests the integration sent in that hour per order
   * placed in it. A batching integration spends less per order under load, and work that follows
   * an order by hours (shipments, invoices) falls outside it, so this is what a peak costs.
   */
  peakCallsPerOrder: num,
  /** Requests that run on a timer, per simulated day and per 30-second window. */
  scheduledPerDay: num,
  scheduledPerWindow: num,
  peak: z.object({
    /** Most requests the integration sent in any 30 simulated seconds (429s included). */
    requestsPerWindow: count,
    requestsAt: z.string().nullable(),
    /** Most the store's quota counted for it in one window (quota.json), and for everyone. */
    consumedPerWindow: count.nullable(),
    consumedTotalPerWindow: count.nullable(),
    /** Most orders placed in any 30 simulated seconds, and in any hour. */
    ordersPerWindow: count,
    ordersPerHour: count,
  }),
  webhooks: z.object({ deliveries: count, failed: count, perOrder: num }),
  backlog: z.object({
    peak: count,
    peakAt: z.string().nullable(),
    /** Simulated ms from the deepest backlog to the first moment nothing was waiting; null if it never emptied. */
    drainMs: num.nullable(),
    leftAtEnd: count,
  }),
  saturation: z.object({
    behaviour: z.enum(saturationBehaviours),
    rateLimited: count,
    ignored: count.nullable(),
    /** Busiest window of the run against the run's own quota (all clients). */
    peakShare: num.nullable(),
    evidence: z.string(),
  }),
  warnings: z.array(z.string()),
});
export type RunMeasurements = z.infer<typeof runMeasurementsSchema>;

interface FlowCount {
  requests: number;
  refused: number;
  scheduled: number;
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
  endAt: number;
}

/** Accumulates the ledger's lines; pure apart from the lines it is given. */
export function createRunMeasurer(ctx: RunContext) {
  const flows = new Map<ApiFlowId, FlowCount>();
  const requestTimes: number[] = [];
  const orderDrivenTimes: number[] = [];
  const orderTimes = new Map<string, number>();
  const hooks = new Set<number>();
  let setup = 0;
  let refused = 0;
  let deliveries = 0;
  let failed = 0;
  return {
    add(value: unknown): void {
      if (typeof value !== 'object' || value === null) return;
      const line = value as Record<string, unknown>;
      const at = typeof line.at === 'string' ? Date.parse(line.at) : NaN;
      if (Number.isNaN(at) || at > ctx.endAt) return;
      switch (line.kind) {
        case 'api:request': {
          if (line.client !== ctx.clientId || typeof line.method !== 'string' || typeof line.path !== 'string' || typeof line.status !== 'number') return;
          if (at < ctx.loadStartedAt) {
            setup++;
            return;
          }
          const flow = apiFlowOf(line.method, line.path);
          let c = flows.get(flow);
          if (!c) flows.set(flow, (c = { requests: 0, refused: 0, scheduled: 0 }));
          c.requests++;
          // A quota 429 costs the store nothing; a platform-load 429 has no quota headers and is
          // not the integration's doing, but both are requests it had to send again.
          if (line.status === 429) {
            c.refused++;
            refused++;
          }
          if (driverOf(flow, line.method, line.status) === 'schedule') c.scheduled++;
          else orderDrivenTimes.push(at);
          requestTimes.push(at);
          return;
        }
        case 'resource:created': {
          if (line.resource === 'order' && at >= ctx.loadStartedAt) orderTimes.set(String(line.id), at);
          if (line.resource === 'hook') {
            const body = line.body as { client_id?: unknown } | undefined;
            if (body?.client_id === ctx.clientId && typeof line.id === 'number') hooks.add(line.id);
          }
          return;
        }
        case 'webhook:attempt': {
          if (typeof line.hookId !== 'number' || !hooks.has(line.hookId) || at < ctx.loadStartedAt) return;
          deliveries++;
          if (line.outcome !== 'delivered') failed++;
          return;
        }
        default:
          return;
      }
    },
    result() {
      return { flows, requestTimes: requestTimes.sort((a, b) => a - b), orderDrivenTimes: orderDrivenTimes.sort((a, b) => a - b), orderTimes, setup, refused, deliveries, failed };
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

  // Orders leave the backlog when the ERP first accepts them, or when they are dead-lettered.
  const synced = new Map<string, number>();
  await readJsonLines(join(dir, 'journal-erp.jsonl'), (v) => {
    const w = v as { at?: string; resource?: string; key?: string; status?: number };
    if (w?.resource !== 'sales-order' || typeof w.key !== 'string' || typeof w.status !== 'number' || w.status < 200 || w.status >= 300 || typeof w.at !== 'string') return;
    const at = Date.parse(w.at);
    if (r.orderTimes.has(w.key) && !synced.has(w.key) && at <= endAt) synced.set(w.key, at);
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
  const m = (name: string): number | null => (measures && typeof measures[name] === 'number' ? measures[name] : null);

  const placed = r.orderTimes.size;
  const fromVerdict = m('orders.synced') !== null && m('orders.lost') !== null;
  const ordersSynced = fromVerdict ? m('orders.synced')! : synced.size;
  const ordersDead = fromVerdict ? (m('orders.deadLettered') ?? deadLettered.size) : deadLettered.size;
  const lost = fromVerdict ? m('orders.lost')! : Math.max(0, placed - synced.size - deadLettered.size);

  const spanMs = Math.max(0, endAt - loadStartedAt);
  const days = spanMs / DAY_MS;
  const windows = Math.max(1, spanMs / WINDOW_MS);
  const flowRows = [...r.flows.entries()]
    .map(([id, c]) => ({ id, label: apiFlowLabel(id), requests: c.requests, refused: c.refused, scheduled: c.scheduled, perOrder: placed > 0 ? (c.requests - c.scheduled) / placed : 0 }))
    .sort((a, b) => b.requests - a.requests);
  const sent = r.requestTimes.length;
  const scheduled = flowRows.reduce((s, f) => s + f.scheduled, 0);

  const quotaFile = join(dir, 'quota.json');
  const quota = existsSync(quotaFile) ? analyzeQuota(quotaSnapshotSchema.parse(JSON.parse(readFileSync(quotaFile, 'utf8'))), run.simulator.clientId) : undefined;
  const consumed = quota && quota.windows.length > 0 ? Math.max(...quota.windows.map((w) => w.integration)) : null;
  const consumedTotal = quota && quota.windows.length > 0 ? Math.max(...quota.windows.map((w) => w.integration + w.others)) : null;

  const orderTimes = [...r.orderTimes.values()].sort((a, b) => a - b);
  const peakRequests = slidingMax(r.requestTimes, WINDOW_MS);
  const busiestHour = slidingMax(orderTimes, HOUR_MS);
  const hourRequests = busiestHour.at === null ? 0 : r.orderDrivenTimes.filter((t) => t >= busiestHour.at! && t < busiestHour.at! + HOUR_MS).length;
  const backlog = backlogDrain([
    ...orderTimes.map((at) => ({ at, d: 1 as const })),
    ...[...synced.values(), ...deadLettered.values()].map((at) => ({ at, d: -1 as const })),
  ]);

  const rateLimited = m('api.rateLimited') ?? r.refused;
  const ignored = m('api.rateLimitIgnored');
  const runQuota = run.simulator.quotaPerWindow;
  const peakShare = runQuota && consumedTotal !== null ? consumedTotal / runQuota : null;
  const saturation = judgeSaturation({ lost, placed, rateLimited, ignored, peakShare });

  const warnings: string[] = [];
  if (malformed > 0) warnings.push(`${malformed} ledger line(s) could not be read and were skipped.`);
  if (placed === 0) warnings.push('No order was placed during the load, so there is no per-order cost to project; run a scenario that places orders.');
  if (spanMs < 6 * 3_600_000) warnings.push(`The run covered ${formatSpan(spanMs)} of simulated time, so its scheduled requests per day (hook checks, back-office feeds, empty polls; first syncs included) are extrapolated from a short sample. A run of a day (baseline-day, flash-sale-10x) measures them better.`);
  if (!quota) warnings.push('quota.json is missing: the quota the store counted per window is not known, only the requests the ledger shows.');

  return runMeasurementsSchema.parse({
    run: {
      id: run.id,
      dir,
      scenario: run.scenario.name,
      integration: run.integration.label,
      plan: run.options.plan,
      quotaPerWindow: runQuota,
      timeScale: run.clock.scale,
      volumeScale: run.options.volumeScale ?? null,
    },
    span: { from: new Date(loadStartedAt).toISOString(), to: new Date(endAt).toISOString(), ms: spanMs, days },
    orders: { placed, synced: ordersSynced, deadLettered: ordersDead, lost, source: fromVerdict ? 'verdict' : 'journal' },
    requests: { sent, refused: r.refused, setup: r.setup },
    flows: flowRows,
    callsPerOrder: placed > 0 ? (sent - scheduled) / placed : 0,
    peakCallsPerOrder: busiestHour.count > 0 ? hourRequests / busiestHour.count : 0,
    scheduledPerDay: days > 0 ? scheduled / days : 0,
    scheduledPerWindow: scheduled / windows,
    peak: {
      requestsPerWindow: peakRequests.count,
      requestsAt: peakRequests.at === null ? null : new Date(peakRequests.at).toISOString(),
      consumedPerWindow: consumed,
      consumedTotalPerWindow: consumedTotal,
      ordersPerWindow: slidingMax(orderTimes, WINDOW_MS).count,
      ordersPerHour: busiestHour.count,
    },
    webhooks: { deliveries: r.deliveries, failed: r.failed, perOrder: placed > 0 ? r.deliveries / placed : 0 },
    backlog: { peak: backlog.peak, peakAt: backlog.peakAt === null ? null : new Date(backlog.peakAt).toISOString(), drainMs: backlog.drainMs, leftAtEnd: backlog.leftAtEnd },
    saturation: { ...saturation, rateLimited, ignored, peakShare },
    warnings,
  });
}

/**
 * What the integration does when the quota runs out, as the run showed it. Only a run that pushed
 * it to the quota can show that it queues; an integration that lost orders has shown that it
 * drops them. Anything else is unproven, and the capacity model treats it like one that drops
 * (it cannot credit a drain it never saw).
 */
export function judgeSaturation(o: { lost: number; placed: number; rateLimited: number; ignored: number | null; peakShare: number | null }): { behaviour: SaturationBehaviour; evidence: string } {
  const share = o.peakShare === null ? 'unknown' : `${Math.round(o.peakShare * 100)}%`;
  if (o.lost > 0) {
    return {
      behaviour: 'drops',
      evidence: o.rateLimited > 0
        ? `It lost ${o.lost} of ${o.placed} orders once the quota ran out (${o.rateLimited} requests refused with 429${o.ignored ? `, ${o.ignored} of them ignored` : ''}): past the quota it drops orders instead of queuing them.`
        : `It lost ${o.lost} of ${o.placed} orders without hitting the quota: it drops orders, so no spike above its capacity is survivable.`,
    };
  }
  if ((o.ignored ?? 0) > 0) return { behaviour: 'drops', evidence: `It ignored ${o.ignored} of ${o.rateLimited} 429s: it hammers on when the quota runs out, which starves every other app on the store.` };
  if (o.rateLimited > 0 || (o.peakShare ?? 0) >= 0.7) {
    return { behaviour: 'queues', evidence: `It ran into the quota (${o.rateLimited} 429s, busiest window ${share} of the run's quota) and lost no order: it waited, queued the backlog and drained it.` };
  }
  return { behaviour: 'unproven', evidence: `The run never pushed it to the quota (busiest window ${share} of the run's quota), so what it does when the quota runs out is not shown; it is counted as if it dropped orders. Run doorbuster or flash-sale-10x (with --quota scaled to --volume-scale) to find out.` };
}

export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} seconds`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} hours` : `${(hours / 24).toFixed(1)} days`;
}
