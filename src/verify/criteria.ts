/**
 * Acceptance criteria: the defaults of the UAT issue, the scenario's own (its `acceptance`
 * export, which replaces the defaults: each scenario states what its stress must not break), one
 * "no finding" criterion per failure pattern the scenario provokes, and a config file that adds,
 * overrides (by id) or waives (by id, with a reason). See docs/decisions/0008-uat-verifier.md.
 */
import { z } from 'zod';
import { criterionSchema, type AcceptanceCriterion, type ScenarioAcceptance } from '../load/acceptance.ts';
import { PATTERN_TITLES, PATTERN_WHY, type Pattern } from './findings.ts';
import { measureCatalog, patternMeasure } from './measures.ts';
import { streamById, streamIds, type StreamId } from './streams.ts';

export type CriterionSource = 'default' | 'scenario' | 'pattern' | 'config';

export interface Criterion extends AcceptanceCriterion {
  source: CriterionSource;
}

export interface CriterionResult extends Criterion {
  value: number | null;
  passed: boolean;
  /** Why a value is missing, or what the evidence means. */
  note?: string;
  evidence: string[];
  evidenceTotal: number;
}

export const waiverSchema = z.object({ id: z.string().min(1), reason: z.string().min(1) }).strict();

/** The acceptance part of a UAT config file (`--config`). */
export const acceptanceConfigSchema = z
  .object({
    /** Streams the default per-record criteria judge (`orders`, `fulfillment`, ...). */
    scope: z.array(z.enum(streamIds)).min(1).optional(),
    /** Also judge the default criteria when the scenario has its own. */
    defaults: z.boolean().optional(),
    criteria: z.array(criterionSchema).optional(),
    waive: z.array(waiverSchema).optional(),
  })
  .strict();
export type AcceptanceConfig = z.infer<typeof acceptanceConfigSchema>;

export const DEFAULT_SCOPE: StreamId[] = ['orders'];
/** p95 order-to-ERP latency at peak, simulated seconds (the UAT issue's default). */
export const DEFAULT_LATENCY_LIMIT_S = 300;

export function defaultCriteria(scope: readonly StreamId[] = DEFAULT_SCOPE): Criterion[] {
  const out: Criterion[] = [];
  for (const id of scope) {
    const s = streamById(id);
    const what = `${s.noun}s (${s.label})`;
    out.push(
      { id: `no-lost-${id}`, name: `No ${s.noun} is lost: ${s.label}`, flow: s.flow, measure: `${id}.lost`, op: '==', limit: 0, why: `Every ${s.noun} reaches the target or the dead-letter queue.`, source: 'default' },
      { id: `no-corrupted-${id}`, name: `Every ${s.noun} arrives field for field: ${s.label}`, flow: s.flow, measure: `${id}.corrupted`, op: '==', limit: 0, why: `The mapping spec defines every field of the ${what}.`, source: 'default' },
      { id: `no-duplicated-${id}`, name: `No ${s.noun} is written twice: ${s.label}`, flow: s.flow, measure: `${id}.duplicated`, op: '==', limit: 0, why: 'Retries and replayed webhooks must be absorbed by idempotent writes.', source: 'default' },
    );
  }
  if (scope.includes('orders')) {
    out.push({ id: 'order-latency', name: 'Orders reach the ERP within 5 simulated minutes at peak (p95)', flow: 'orders', measure: 'orders.syncLatencyPeakP95Seconds', op: '<=', limit: DEFAULT_LATENCY_LIMIT_S, unit: 's', why: 'Warehouses pick from the ERP; the busiest hour is when a backlog hurts.', source: 'default' });
  }
  out.push(
    { id: 'honours-429', name: 'Every 429 is followed by waiting the reset time', flow: 'platform', measure: 'api.rateLimitIgnored', op: '==', limit: 0, why: 'The quota is shared by every app of the store.', source: 'default' },
    { id: 'hooks-recovered', name: 'No hook is left deactivated at the end', flow: 'platform', measure: 'webhooks.deactivatedAtEnd', op: '==', limit: 0, why: 'A deactivated hook loses every later event.', source: 'default' },
    { id: 'quota-headroom', name: 'Peak window use is at most 80% of the quota', flow: 'platform', measure: 'api.peakWindowShare', op: '<=', limit: 0.8, why: 'Headroom for other apps and for the next peak.', source: 'default' },
  );
  return out;
}

const PATTERN_FLOW: Record<Pattern, AcceptanceCriterion['flow']> = {
  'webhook-deactivation': 'platform',
  'payload-as-data': 'orders',
  'rate-limit-breach': 'platform',
  'mapping-drift': 'orders',
  'silent-failure': 'orders',
};

export function patternCriteria(patterns: readonly Pattern[]): Criterion[] {
  return patterns.map((p) => ({
    id: `no-${p}`,
    name: `No ${PATTERN_TITLES[p].toLowerCase()} (${p})`,
    flow: PATTERN_FLOW[p],
    measure: patternMeasure(p),
    op: '==' as const,
    limit: 0,
    why: `The scenario provokes ${p}. ${PATTERN_WHY[p]}`,
    source: 'pattern' as const,
  }));
}

export interface ResolvedCriteria {
  criteria: Criterion[];
  waived: { criterion: Criterion; reason: string }[];
  scope: StreamId[];
}

export class CriteriaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CriteriaError';
  }
}

export function resolveCriteria(input: { acceptance?: ScenarioAcceptance; config?: AcceptanceConfig }): ResolvedCriteria {
  const scope = input.config?.scope ?? DEFAULT_SCOPE;
  const byId = new Map<string, Criterion>();
  const put = (c: Criterion) => byId.set(c.id, c);
  if (input.acceptance) {
    for (const c of input.acceptance.criteria) put({ ...c, source: 'scenario' });
    for (const c of patternCriteria(input.acceptance.patterns as Pattern[])) if (!byId.has(c.id)) put(c);
    if (input.config?.defaults) for (const c of defaultCriteria(scope)) if (!byId.has(c.id)) put(c);
  } else {
    for (const c of defaultCriteria(scope)) put(c);
  }
  for (const c of input.config?.criteria ?? []) put({ ...c, source: 'config' });
  const waived: ResolvedCriteria['waived'] = [];
  for (const w of input.config?.waive ?? []) {
    const c = byId.get(w.id);
    if (!c) throw new CriteriaError(`Failed to waive criterion "${w.id}": no such criterion in this run (known: ${[...byId.keys()].join(', ')}). Fix the id in the config file.`);
    byId.delete(w.id);
    waived.push({ criterion: c, reason: w.reason });
  }
  const known = new Set(measureCatalog());
  for (const c of byId.values()) {
    if (!known.has(c.measure)) {
      throw new CriteriaError(`Failed to accept criterion "${c.id}" (${c.source}): the verifier does not compute the measure "${c.measure}". Measures it computes: ${[...known].join(', ')}.`);
    }
  }
  // A stream a criterion measures is judged, even where the integration never wrote to it.
  const judged = new Set<StreamId>(scope);
  for (const c of byId.values()) {
    const stream = c.measure.split('.')[0] as StreamId;
    if ((streamIds as readonly string[]).includes(stream)) judged.add(stream);
  }
  return { criteria: [...byId.values()], waived, scope: [...judged] };
}

export function compare(value: number, op: AcceptanceCriterion['op'], limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '==':
      return Math.abs(value - limit) < 1e-9;
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
    default:
      return op satisfies never;
  }
}

export interface EvaluateContext {
  measures: Record<string, number | null>;
  evidence: (measure: string) => string[];
  /** Why a measure has no value, or undefined when it should have one. */
  missingReason: (measure: string) => { reason: string; passes: boolean } | undefined;
}

export function evaluateCriteria(criteria: readonly Criterion[], ctx: EvaluateContext): CriterionResult[] {
  return criteria.map((c) => {
    const value = ctx.measures[c.measure] ?? null;
    const all = ctx.evidence(c.measure);
    const evidence = all.slice(0, 25);
    if (value === null) {
      const missing = ctx.missingReason(c.measure) ?? { reason: 'the run produced no data for this measure', passes: false };
      return { ...c, value, passed: missing.passes, note: missing.reason, evidence, evidenceTotal: all.length };
    }
    const passed = compare(value, c.op, c.limit);
    return { ...c, value, passed, evidence: passed && c.op !== '>=' && c.op !== '>' ? [] : evidence, evidenceTotal: passed && c.op !== '>=' && c.op !== '>' ? 0 : all.length };
  });
}
