/**
 * Acceptance criteria: the defaults of the UAT issue, the scenario's own (its `acceptance`
 * export, which replaces the defaults: each scenario states what its stress must not break), one
 * "no finding" criterion per failure pattern the scenario provokes, and a config file that adds,
 * overrides (by id) or waives (by id, with a reason). See docs/decisions/0008-uat-verifier.md.
 */
import { z } from 'zod';
import { didYouMean } from '../suggest.ts';
import { criterionSchema, type AcceptanceCriterion, type ScenarioAcceptance } from '../load/acceptance.ts';
import { PATTERN_TITLES, PATTERN_WHY, type Pattern } from './findings.ts';
import { measureCatalog, patternMeasure } from './measures.ts';
import { streamById, streamIds, type StreamId } from './streams.ts';

export type CriterionSource = 'default' | 'scenario' | 'pattern' | 'config' | 'invariant';

export interface Criterion extends AcceptanceCriterion {
  source: CriterionSource;
}

/**
 * `not-exercised`: the run gave the integration no chance to get the criterion wrong (no 429 was
 * answered, no order had to arrive, no hook was deactivated), so nothing was checked. It neither
 * fails nor counts as passed (docs/decisions/0010-verdicts-and-fidelity.md).
 */
export const CRITERION_STATUSES = ['passed', 'failed', 'not-exercised'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];
/** The label every place shows a result with: the console, the reports (HTML, Markdown, JUnit). */
export const CRITERION_STATUS_TEXT: Record<CriterionStatus, string> = { passed: 'pass', failed: 'FAIL', 'not-exercised': 'NOT EXERCISED' };

export interface CriterionResult extends Criterion {
  value: number | null;
  status: CriterionStatus;
  /** `status === 'passed'`: a criterion the run did not exercise is not passed. */
  passed: boolean;
  /** Why a value is missing, why the criterion was not exercised, or what the evidence means. */
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
  'integration-crashed': 'platform',
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

/**
 * What every run judges, whatever the scenario says (DESIGN.md section 4): on every flow the
 * integration runs (it wrote to the flow's target or dead-lettered one of its records, or the
 * config declares the flow in scope), nothing lost, corrupted or duplicated, and at least one
 * record correct where records had to arrive; and the integration stayed up. A scenario adds to
 * these and may tighten them; only a waiver in --config, with its reason, removes one.
 */
export const INVARIANT_MEASURES = ['lost', 'corrupted', 'duplicated'] as const;

export const CRASH_CRITERION: Criterion = {
  id: 'no-integration-crashed',
  name: 'The integration stays up for the whole run',
  flow: 'platform',
  measure: 'findings.integrationCrashed',
  op: '==',
  limit: 0,
  why: 'An integration that exits or stops answering under load stops syncing everything at once.',
  source: 'invariant',
};

/** The invariant criteria of one stream, ids as the defaults name them (`no-lost-orders`). */
export function streamInvariants(id: StreamId, o: { mustHaveCorrect: boolean }): Criterion[] {
  const s = streamById(id);
  const out: Criterion[] = [
    { id: `no-lost-${id}`, name: `No ${s.noun} is lost: ${s.label}`, flow: s.flow, measure: `${id}.lost`, op: '==', limit: 0, why: `Every ${s.noun} reaches the target, or is dead-lettered because the mapping spec's reject rule refuses it. Judged on every flow the integration runs.`, source: 'invariant' },
    { id: `no-corrupted-${id}`, name: `Every ${s.noun} arrives field for field: ${s.label}`, flow: s.flow, measure: `${id}.corrupted`, op: '==', limit: 0, why: `The mapping spec defines every field. Judged on every flow the integration runs.`, source: 'invariant' },
    { id: `no-duplicated-${id}`, name: `No ${s.noun} is written twice: ${s.label}`, flow: s.flow, measure: `${id}.duplicated`, op: '==', limit: 0, why: 'Retries and replayed webhooks must be absorbed by idempotent writes. Judged on every flow the integration runs.', source: 'invariant' },
  ];
  if (o.mustHaveCorrect) {
    out.push({ id: `some-correct-${id}`, name: `At least one ${s.noun} arrives correct: ${s.label}`, flow: s.flow, measure: `${id}.correct`, op: '>=', limit: 1, why: 'A flow that had records to carry and delivered none of them correctly cannot pass, whatever else was measured.', source: 'invariant' });
  }
  return out;
}

/** The ids an invariant can have, so a config may waive one before the run shows it is needed. */
export function isInvariantId(id: string): boolean {
  if (id === CRASH_CRITERION.id) return true;
  const m = /^(no-lost|no-corrupted|no-duplicated|some-correct)-(.+)$/.exec(id);
  return m !== null && (streamIds as readonly string[]).includes(m[2]!);
}

function invariantById(id: string): Criterion | undefined {
  if (id === CRASH_CRITERION.id) return CRASH_CRITERION;
  const m = /^(no-lost|no-corrupted|no-duplicated|some-correct)-(.+)$/.exec(id);
  if (!m || !(streamIds as readonly string[]).includes(m[2]!)) return undefined;
  return streamInvariants(m[2] as StreamId, { mustHaveCorrect: true }).find((c) => c.id === id);
}

/** Whether `c` demands at least what `==  0` (or `>= 1` for `correct`) demands. */
function atLeastAsStrict(c: Pick<Criterion, 'op' | 'limit'>, inv: Pick<Criterion, 'op' | 'limit'>): boolean {
  if (inv.op === '>=') return (c.op === '>=' && c.limit >= inv.limit) || (c.op === '>' && c.limit >= inv.limit - 1) || (c.op === '==' && c.limit >= inv.limit);
  return (c.op === '==' && c.limit === 0) || (c.op === '<=' && c.limit <= 0) || (c.op === '<' && c.limit <= 1);
}

/**
 * The invariants this run must add to its criteria, once the verifier knows which flows the
 * integration ran. A criterion already judging the same measure at least as strictly stands for
 * it; a waived id (or a waived criterion on the same measure) removes it.
 */
export function invariantCriteria(
  streams: readonly { id: StreamId; covered: boolean; available: boolean; expected: number }[],
  existing: readonly Criterion[],
  waived: readonly { criterion: Criterion }[],
): Criterion[] {
  const waivedIds = new Set(waived.map((w) => w.criterion.id));
  const waivedMeasures = new Set(waived.map((w) => w.criterion.measure));
  const candidates = [CRASH_CRITERION, ...streams.filter((s) => s.available && s.covered).flatMap((s) => streamInvariants(s.id, { mustHaveCorrect: s.expected > 0 }))];
  return candidates.filter((inv) => !waivedIds.has(inv.id) && !waivedMeasures.has(inv.measure) && !existing.some((c) => c.id === inv.id || (c.measure === inv.measure && atLeastAsStrict(c, inv))));
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
    const c = byId.get(w.id) ?? invariantById(w.id);
    if (!c) throw new CriteriaError(`Failed to waive criterion "${w.id}": no such criterion in this run.${didYouMean(w.id, [...byId.keys()])} Criteria of this run: ${[...byId.keys()].join(', ')}. Fix the id in the config file.`);
    byId.delete(w.id);
    waived.push({ criterion: c, reason: w.reason });
  }
  for (const c of byId.values()) {
    // An invariant is loosened only by a waiver with a reason the report shows, never quietly by
    // a criterion on the same measure with a wider limit.
    const [streamId, m] = c.measure.split('.') as [string, string];
    const inv = (INVARIANT_MEASURES as readonly string[]).includes(m) && (streamIds as readonly string[]).includes(streamId) ? streamInvariants(streamId as StreamId, { mustHaveCorrect: false }).find((x) => x.measure === c.measure) : undefined;
    if (inv && !atLeastAsStrict(c, inv) && !waived.some((w) => w.criterion.measure === c.measure)) {
      throw new CriteriaError(`Failed to accept criterion "${c.id}" (${c.source}): ${c.measure} ${c.op} ${c.limit} is looser than ${inv.measure} == 0, which every run judges on the flows the integration runs. To accept that, waive "${inv.id}" in --config with the reason (acceptance.waive), so the report says so.`);
    }
  }
  const known = new Set(measureCatalog());
  for (const c of byId.values()) {
    if (!known.has(c.measure)) {
      throw new CriteriaError(`Failed to accept criterion "${c.id}" (${c.source}): the verifier does not compute the measure "${c.measure}".${didYouMean(c.measure, [...known])} Fix the measure; README.md lists every measure ("Measures are ..." under "The UAT run").`);
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
  /**
   * Why a measure has no value, or undefined when it should have one: `not-exercised` when the
   * run gave nothing to measure (no order had to arrive), `failed` when it should have.
   */
  missingReason: (measure: string) => { reason: string; status: 'failed' | 'not-exercised' } | undefined;
  /**
   * How many chances the run gave the integration to get the measure wrong (the 429s it was
   * answered for `api.rateLimitIgnored`), and what to tell the buyer when there were none;
   * undefined for a measure every run exercises. A passing value with no chance is `not-exercised`;
   * a failing value is evidence, so it fails whatever the count.
   */
  opportunities?: (measure: string) => { count: number; none: string } | undefined;
  /**
   * What a reader must know to read a measure's value right, shown with the result whatever its
   * status: a latency taken over the records that arrived, when some never did.
   */
  caveat?: (measure: string) => string | undefined;
}

export function evaluateCriteria(criteria: readonly Criterion[], ctx: EvaluateContext): CriterionResult[] {
  return criteria.map((c) => {
    const value = ctx.measures[c.measure] ?? null;
    const all = ctx.evidence(c.measure);
    const evidence = all.slice(0, 25);
    if (value === null) {
      const missing = ctx.missingReason(c.measure) ?? { reason: 'the run produced no data for this measure', status: 'failed' as const };
      return { ...c, value, status: missing.status, passed: false, note: missing.reason, evidence, evidenceTotal: all.length };
    }
    const passed = compare(value, c.op, c.limit);
    const chances = passed ? ctx.opportunities?.(c.measure) : undefined;
    if (chances && chances.count === 0) return { ...c, value, status: 'not-exercised' as const, passed: false, note: chances.none, evidence: [], evidenceTotal: 0 };
    const quiet = passed && c.op !== '>=' && c.op !== '>';
    const caveat = ctx.caveat?.(c.measure);
    return { ...c, value, status: passed ? ('passed' as const) : ('failed' as const), passed, ...(caveat ? { note: caveat } : {}), evidence: quiet ? [] : evidence, evidenceTotal: quiet ? 0 : all.length };
  });
}

/** The criteria a run did not exercise (`not-exercised`), as the verdict and the reports name them. */
export function notExercised(criteria: readonly CriterionResult[]): CriterionResult[] {
  return criteria.filter((c) => c.status === 'not-exercised');
}
