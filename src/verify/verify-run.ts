/**
 * The verifier: ground truth (the ledger) through the mapping specs, against what the connected
 * systems received (their journals), plus how the integration used the API, kept its webhooks
 * alive and reported its failures. A pure function of its inputs: the UAT run streams the run
 * directory's files into the indexes and calls it; tests hand it ledgers and journals they wrote.
 */
import type { CompiledSpec } from '../mappings/compile.ts';
import { evaluateCriteria, invariantCriteria, type Criterion, type CriterionResult } from './criteria.ts';
import { normalizeReports, type NormalizedReports } from './dead-letters.ts';
import { previewValue } from './diff-records.ts';
import { createFetchCoverage } from './fetch-coverage.ts';
import { judgeFidelity, type FidelityInput, type FidelityProblem } from './fidelity.ts';
import { judgeIntegrationHealth, type IntegrationExit, type IntegrationHealth } from './integration-health.ts';
import { decideVerdict, type Verdict, type VerdictDecision } from './verdict.ts';
import { classifyFindings, PATTERNS, stripStore, type Finding } from './findings.ts';
import type { AlertLine, QuotaSnapshot } from './inputs.ts';
import { hookStateAt, type JournalIndex, type LedgerIndex, type PublishedIndex, type SourceVersion } from './ledger-index.ts';
import { computeMeasures, patternMeasure } from './measures.ts';
import { analyzeQuota, type QuotaUse } from './quota-use.ts';
import { analyzeRateLimits, rateLimitAllowances, type RateLimitAnalysis } from './rate-limits.ts';
import { STREAMS, type StreamId } from './streams.ts';
import { verifyStoreStream } from './verify-store-stream.ts';
import { emptyMeasures, verifyStream, type StreamResult } from './verify-stream.ts';
import { analyzeWebhooks, type WebhookHealth } from './webhook-health.ts';

export interface VerifyRunInput {
  specs: readonly CompiledSpec[];
  ledger: LedgerIndex;
  journals: JournalIndex;
  /** What the connected systems published (the flows into the store); without it those flows are not checked. */
  published?: PublishedIndex;
  alerts: readonly AlertLine[];
  quota?: QuotaSnapshot;
  /** The API client id the integration used (its account's). */
  integrationClientId: string;
  timeScale: number;
  /** Simulated ms the run ended (before the integration was stopped). */
  endAt: number;
  criteria: readonly Criterion[];
  scope: readonly StreamId[];
  /** Render an abandoned cart's ledger body as GET /v3/carts/{id} shows it; without it carts are not checked. */
  renderCart?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Flows the --config declares in scope (acceptance.scope): judged by the invariants even if never written to. */
  declaredScope?: readonly StreamId[];
  /** Criteria a --config waived, with the reason: they also remove the invariants on their measures. */
  waived?: readonly { criterion: Criterion; reason: string }[];
  /** What the orchestrator knows about how the run went; without it the run counts as complete and faithful as far as the files show. */
  run?: RunFacts;
}

export interface RunFacts {
  interrupted?: boolean;
  /** The integration exited on its own before the harness stopped it. */
  integrationExit?: IntegrationExit;
  /** The harness's event-loop delay during the load (p99, real ms). */
  harnessLagP99RealMs?: number;
  load?: FidelityInput['load'];
  /** Why the drain ended: settled, quiet, deadline, integration-exited, interrupted. */
  drainReason?: string;
  /** A real-time cap shortened the drain's simulated wait while records were outstanding. */
  drainCutShort?: FidelityInput['drainCutShort'];
  /** The real time the drain's ending wait lasted (quiet: without progress; deadline: since the load). */
  drainRealMs?: number;
  /** Failed TLS handshakes while the integration was routed to the simulator (fidelity.ts). */
  interceptFailures?: FidelityInput['interceptFailures'];
}

export interface Fidelity {
  /** True when the harness ran the scenario as planned (no problem below). */
  faithful: boolean;
  /** What kept the run from being faithful, each with the fix (src/verify/fidelity.ts). */
  problems: FidelityProblem[];
  timeScale: number;
  /** Simulated ms one real millisecond of the integration's own work costs. */
  simMsPerRealMs: number;
  receiverAnswerP95RealMs: number | null;
  rateLimitGraceMs: number;
  rateLimitToleranceMs: number;
  /** The harness's own event-loop lag during load and drain (p99, real ms), when measured. */
  harnessLagP99RealMs: number | null;
  /** The simulated timing the criteria judge, a tenth of which compression may take; null when none is judged. */
  timing: { budgetBasisMs: number; basis: string } | null;
  load: FidelityInput['load'] | null;
  warnings: string[];
}

export interface Verification {
  verdict: Verdict;
  decision: VerdictDecision;
  health: IntegrationHealth;
  streams: StreamResult[];
  rateLimits: RateLimitAnalysis;
  webhooks: WebhookHealth;
  quota?: QuotaUse;
  reports: NormalizedReports;
  fetches: Record<string, number>;
  findings: Finding[];
  measures: Record<string, number | null>;
  criteria: CriterionResult[];
  fidelity: Fidelity;
  requests: { total: number; byStatus: Record<string, number>; byEndpoint: { endpoint: string; count: number }[] };
  ledger: { lines: number; malformed: number; firstAt?: number; lastAt?: number };
  journals: { lines: number; malformed: number };
  published?: { lines: number; malformed: number };
}

/**
 * How long before the end a change into the store may still be on its way: the stream's latency
 * limit when a criterion sets one, else this (two polls of a fifteen-minute feed and the write).
 */
export const DEFAULT_IN_FLIGHT_MS = 30 * 60_000;
/** The streams a drain that ended 'settled' waited for: orders in the ERP, stock and prices in the store. */
export const DRAIN_SETTLED_COVERS: ReadonlySet<string> = new Set(['orders', 'inventory', 'prices']);

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** `GET /v2/orders/{id}/products` → the endpoint family, for the calls-per-order table. */
export function endpointOf(method: string, path: string): string {
  const bare = stripStore(path).split('?')[0]!;
  return `${method} ${bare.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}(?=\/|$)/gi, '/{id}')}`;
}

export function verifyRun(input: VerifyRunInput): Verification {
  const specsByName = new Map(input.specs.map((s) => [s.spec.name, s]));
  const reports = normalizeReports(input.alerts);
  const calls = input.ledger.calls.get(input.integrationClientId) ?? [];
  const fetches = createFetchCoverage(calls);
  const latencyLimit = input.criteria.find((c) => c.measure.startsWith('orders.syncLatency'))?.limit ?? 300;

  // Expected keys per target, so two streams writing to one target do not flag each other's keys.
  const streams: StreamResult[] = [];
  const keysByTarget = new Map<string, Set<string>>();
  const sourcesOf = (def: (typeof STREAMS)[number]): { id: string; versions: SourceVersion[] }[] => {
    // A cart abandoned after the run's end (the clock runs on while the harness stops the
    // integration) was never the integration's to carry, like any other source version after it.
    if (def.source.kind === 'abandoned-cart') return [...input.ledger.abandonedCarts.entries()].map(([id, v]) => ({ id, versions: v.at <= input.endAt ? [v] : [] }));
    return [...(input.ledger.sources.get(def.source.resource)?.values() ?? [])].map((r) => ({ id: r.id, versions: r.versions.filter((v) => v.at <= input.endAt) }));
  };
  const first = STREAMS.map((def) => {
    const spec = specsByName.get(def.spec);
    if (def.source.kind === 'published') {
      const feed = def.source;
      if (!input.published) {
        return { def, result: { stream: def, available: false, covered: false, note: `The run has no record of what the ${feed.system.toUpperCase()} published (published-${feed.system}.jsonl), so this flow cannot be checked.`, records: [], skipped: 0, unexpectedKeys: [], renames: [], measures: emptyMeasures() } satisfies StreamResult };
      }
      const limit = input.criteria.find((c) => c.measure.startsWith(`${def.id}.syncLatency`))?.limit;
      const onTheWayMs = limit !== undefined ? limit * 1000 : DEFAULT_IN_FLIGHT_MS;
      const changes = new Map<string, SourceVersion[]>();
      for (const [key, versions] of input.published.changes.get(`${feed.system}:${feed.resource}`) ?? []) {
        const before = versions.filter((v) => v.at <= input.endAt);
        if (before.length > 0) changes.set(key, before);
      }
      // Stock and prices: the integration's API writes. Orders, customers, shipments, refunds:
      // every version the ledger kept (a created shipment or refund is the write itself).
      const resource = def.target.resource;
      const statesAreWrites = resource === 'variant' || resource === 'product';
      const states = statesAreWrites
        ? (input.ledger.storeWrites.get(resource) ?? [])
        : [...(input.ledger.sources.get(resource)?.values() ?? [])].flatMap((r) => r.versions.map((v) => ({ at: v.at, id: r.id, body: v.body }))).sort((a, b) => a.at - b.at);
      const result = verifyStoreStream({
        stream: def,
        spec,
        changes,
        storeWrites: states.filter((w) => w.at <= input.endAt),
        statesAreWrites,
        calls,
        deadLetters: reports.deadLetters,
        lateAfterMs: onTheWayMs,
        inFlightAfter: input.endAt - onTheWayMs,
        inScope: input.scope.includes(def.id),
      });
      return { def, result };
    }
    if (def.source.kind === 'abandoned-cart' && !input.renderCart) {
      return { def, result: { stream: def, available: false, covered: false, note: 'Abandoned carts need the store catalog to render as GET /v3/carts shows them; not available for this run.', records: [], skipped: 0, unexpectedKeys: [], renames: [], measures: emptyMeasures() } satisfies StreamResult };
    }
    const result = verifyStream({
      stream: def,
      spec,
      sources: sourcesOf(def),
      journals: input.journals,
      deadLetters: reports.deadLetters,
      renames: input.ledger.renames,
      lateAfterMs: latencyLimit * 1000,
      inScope: input.scope.includes(def.id),
      ...(def.source.kind === 'abandoned-cart' && input.renderCart ? { prepare: input.renderCart } : {}),
    });
    const target = `${def.target.system}:${def.target.resource}`;
    let keys = keysByTarget.get(target);
    if (!keys) keysByTarget.set(target, (keys = new Set()));
    for (const r of result.records) keys.add(r.targetKey);
    return { def, result };
  });
  for (const { def, result } of first) {
    const shared = keysByTarget.get(`${def.target.system}:${def.target.resource}`) ?? new Set<string>();
    result.unexpectedKeys = result.unexpectedKeys.filter((k) => !shared.has(k));
    result.measures.unexpectedWrites = result.unexpectedKeys.length;
    streams.push(result);
  }

  const windowMs = input.quota?.windowMs ?? 30_000;
  const rateLimits = analyzeRateLimits(calls, input.ledger.rateLimited.get(input.integrationClientId) ?? [], { timeScale: input.timeScale, windowMs });
  const webhooks = analyzeWebhooks(input.ledger, input.integrationClientId, input.endAt, fetches);
  const quota = analyzeQuota(input.quota, input.integrationClientId);
  const integrationHooks = [...input.ledger.hooks.values()].filter((h) => h.clientId === input.integrationClientId);
  const covers = (pattern: string, scope: string) => pattern === scope || (pattern.endsWith('/*') && scope.startsWith(pattern.slice(0, -1)));
  const hooksOffAt = (at: number, scope: string) => {
    const relevant = integrationHooks.filter((h) => covers(h.scope, scope));
    const states = relevant.map((h) => hookStateAt(h, at)).filter((s) => s.exists && !s.deleted);
    return states.length > 0 && states.every((s) => !s.active) && relevant.some((h) => h.deactivations.some((d) => d.at <= at));
  };
  const hookIds = new Set(webhooks.hooks.map((h) => h.id));
  const health = judgeIntegrationHealth({ ...(input.run?.integrationExit ? { exit: input.run.integrationExit } : {}), attempts: input.ledger.attempts, hookIds, endAt: input.endAt });
  const findings = classifyFindings({ streams, ledger: input.ledger, calls, rateLimits, webhooks, fetches, reports, hooksOffAt, formatTime: iso, health });
  const serverErrors = calls.filter((c) => c.status >= 500).length;
  const measures = computeMeasures({ streams, rateLimits, webhooks, quota, reports, findings, requests: calls.length, serverErrors, renames: input.ledger.renames.length });

  // The flows the integration runs: it wrote to them, the config declared them, or a criterion
  // measures them. Not the implicit default scope: an inventory-only integration is not accused
  // of losing orders it never claimed to sync.
  const runs = (id: StreamId) => input.declaredScope?.includes(id) === true || input.criteria.some((c) => c.measure.startsWith(`${id}.`));
  const invariants = invariantCriteria(
    streams.map((x) => ({ id: x.stream.id, covered: x.active === true || runs(x.stream.id), available: x.available, expected: x.measures.expected ?? 0 })),
    input.criteria,
    input.waived ?? [],
  );
  const criteria = evaluateCriteria([...input.criteria, ...invariants], {
    measures,
    // A latency is taken over the records that arrived: with some that never did, a passing p95
    // would read as "95% arrived in time" (the lost criteria judge the missing ones).
    caveat: (measure) => {
      const [streamId, m] = measure.split('.') as [string, string];
      const stream = streams.find((s) => s.stream.id === streamId);
      if (!stream?.available || !m.startsWith('syncLatency')) return undefined;
      const arrived = stream.measures.synced ?? 0;
      const missing = stream.measures.unsynced ?? 0;
      if (missing === 0) return undefined;
      return `taken over the ${arrived} ${stream.stream.noun}(s) that reached the ${stream.stream.target.system.toUpperCase()}; ${missing} of the ${arrived + missing} that had to never did (${streamId}.lost and the dead letters account for them)`;
    },
    evidence: (measure) => evidenceFor(measure, { streams, rateLimits, webhooks, reports, findings, quota, health }),
    missingReason: (measure) => {
      const [streamId, m] = measure.split('.') as [string, string];
      const stream = streams.find((s) => s.stream.id === streamId);
      if (stream && !stream.available) return { reason: stream.note ?? 'the stream could not be checked', status: 'failed' };
      if (stream && m.startsWith('syncLatency')) {
        if (stream.measures.expected === 0) return { reason: `no ${stream.stream.noun} had to reach the ${stream.stream.target.system.toUpperCase()} in this run, so how fast the integration carries them was not tested`, status: 'not-exercised' };
        return { reason: `no ${stream.stream.noun} reached the target, so the latency cannot be measured`, status: 'failed' };
      }
      if (measure.startsWith('api.peakWindow')) return quota ? { reason: 'the plan has no window quota (unlimited), so the integration\'s use of the quota was not tested', status: 'not-exercised' } : { reason: 'the quota windows were not recorded for this run', status: 'failed' };
      if (measure === 'api.callsPerSyncedOrder') return { reason: 'no order reached the ERP, so there is nothing to divide by', status: 'failed' };
      return undefined;
    },
    opportunities: (measure) => opportunitiesFor(measure, { streams, rateLimits, webhooks, reports, renames: input.ledger.renames.length }),
  });

  const byStatus: Record<string, number> = {};
  const byEndpoint = new Map<string, number>();
  for (const c of calls) {
    byStatus[String(c.status)] = (byStatus[String(c.status)] ?? 0) + 1;
    const e = endpointOf(c.method, c.path);
    byEndpoint.set(e, (byEndpoint.get(e) ?? 0) + 1);
  }

  const allowances = rateLimitAllowances({ timeScale: input.timeScale, windowMs });
  const simMsPerRealMs = input.timeScale > 0 ? input.timeScale : 1;
  const timing = timingBasis([...input.criteria, ...invariants], windowMs);
  const problems = judgeFidelity({
    timing,
    judges429s: [...input.criteria, ...invariants].some((c) => c.measure === 'api.rateLimitIgnored' || c.measure === 'findings.rateLimitBreach'),
    timeScale: input.timeScale,
    windowMs,
    receiverAnswerP95RealMs: webhooks.answerP95RealMs,
    rateLimitGraceMs: allowances.graceMs,
    rateLimitToleranceMs: allowances.toleranceMs,
    rateLimited: rateLimits.limited,
    ...(input.run?.harnessLagP99RealMs !== undefined ? { harnessLagP99RealMs: input.run.harnessLagP99RealMs } : {}),
    ...(input.run?.load ? { load: input.run.load } : {}),
    malformedLines: input.ledger.malformed + input.journals.malformed + (input.published?.malformed ?? 0),
    ...(input.run?.drainCutShort ? { drainCutShort: input.run.drainCutShort } : {}),
    ...(input.run?.interceptFailures ? { interceptFailures: input.run.interceptFailures } : {}),
    harnessDeliveryFailures: webhooks.harnessFailures,
  });
  // The drain's ending wait (quiet: "nothing reached a target for a while"; deadline: "long enough
  // after the load") is measured in real time. It shows the integration had its full time only
  // when it is long against the stalls the run saw: ten times the receiver's p95 answer and the
  // harness's p99 lag. On a starved machine a short wait (a high time scale clamps it to a second
  // or two) is just a stall, and records still missing may be the compression's doing.
  const stallRealMs = Math.max(webhooks.answerP95RealMs ?? 0, input.run?.harnessLagP99RealMs ?? 0);
  const drainRealMs = input.run?.drainRealMs;
  const waitTrusted = drainRealMs === undefined || stallRealMs * 10 <= drainRealMs;
  const reason = input.run?.drainReason;
  const drainSettled = reason === undefined || reason === 'settled' || reason === 'integration-exited';
  const drainComplete = input.run?.drainCutShort === undefined && (drainSettled || (reason === 'quiet' && waitTrusted));
  const lossFailed = criteria.some((c) => c.status === 'failed' && /\.(lost|correct)$/.test(c.measure));
  if (lossFailed && (reason === 'quiet' || reason === 'deadline') && !waitTrusted && !problems.some((p) => p.kind === 'receiver-latency' || p.kind === 'harness-lag')) {
    problems.push({
      kind: 'lost-under-compression',
      text: `Records were missing when the drain stopped (${reason}) after ${((drainRealMs ?? 0) / 1000).toFixed(1)} real seconds, while the run saw stalls of ${stallRealMs.toFixed(0)} real ms (the receiver's p95 answer or the harness's p99 lag): too short a wait to tell a loss from a starved machine at ${input.timeScale}x.`,
      fix: 'Use a lower --time-scale (a longer real quiet period), or run on a quieter machine.',
    });
  }
  const warnings = problems.map((p) => `${p.text} ${p.fix}`);
  const mineFailed = input.ledger.attempts.filter((a) => hookIds.has(a.hookId) && a.at <= input.endAt && a.outcome !== 'delivered' && a.outcome !== 'denylisted');
  const decision = decideVerdict({
    interrupted: input.run?.interrupted === true,
    criteria,
    problems,
    robustness: {
      drainComplete,
      deliveryFailuresProvoked: mineFailed.every((a) => a.fault !== undefined),
      // What "settled" waited for (src/uat/orchestrator.ts waitForQuiet, catalog-backlog.ts).
      ...(reason === 'settled' ? { drainCovers: DRAIN_SETTLED_COVERS } : {}),
    },
  });
  const verdict = decision.verdict;
  return {
    verdict,
    decision,
    health,
    streams,
    rateLimits,
    webhooks,
    ...(quota ? { quota } : {}),
    reports,
    fetches: fetches.counts,
    findings,
    measures,
    criteria,
    fidelity: { faithful: problems.length === 0, problems, timeScale: input.timeScale, simMsPerRealMs, receiverAnswerP95RealMs: webhooks.answerP95RealMs, rateLimitGraceMs: allowances.graceMs, rateLimitToleranceMs: allowances.toleranceMs, harnessLagP99RealMs: input.run?.harnessLagP99RealMs ?? null, timing, load: input.run?.load ?? null, warnings },
    requests: { total: calls.length, byStatus, byEndpoint: [...byEndpoint.entries()].map(([endpoint, count]) => ({ endpoint, count })).sort((a, b) => b.count - a.count) },
    ledger: { lines: input.ledger.lines, malformed: input.ledger.malformed, ...(input.ledger.firstAt !== undefined ? { firstAt: input.ledger.firstAt } : {}), ...(input.ledger.lastAt !== undefined ? { lastAt: input.ledger.lastAt } : {}) },
    journals: { lines: input.journals.lines, malformed: input.journals.malformed },
    ...(input.published ? { published: { lines: input.published.lines, malformed: input.published.malformed } } : {}),
  };
}

/**
 * The tightest simulated timing the criteria judge (src/verify/fidelity.ts `timing`): the quota
 * window when a criterion judges quota use or 429s (compression that slows an integration down in
 * simulated time can hide its pressure on the quota, a false pass), each latency limit; null when
 * no criterion judges timing.
 */
export function timingBasis(criteria: readonly Criterion[], windowMs: number): { budgetBasisMs: number; basis: string } | null {
  const candidates: { budgetBasisMs: number; basis: string }[] = [];
  if (criteria.some((c) => c.measure.startsWith('api.') || c.measure === 'findings.rateLimitBreach')) candidates.push({ budgetBasisMs: windowMs, basis: `the ${windowMs / 1000}-second quota window` });
  for (const c of criteria) {
    if (/\.syncLatency/.test(c.measure) && c.limit > 0) candidates.push({ budgetBasisMs: c.limit * 1000, basis: `the ${c.limit >= 120 ? `${c.limit / 60}-minute` : `${c.limit}-second`} limit of ${c.id}` });
  }
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.budgetBasisMs < a.budgetBasisMs ? b : a));
}

export interface OpportunitySources {
  streams: readonly StreamResult[];
  rateLimits: RateLimitAnalysis;
  webhooks: WebhookHealth;
  reports: NormalizedReports;
  /** Platform field renames during the run. */
  renames: number;
}

/**
 * How many chances the run gave the integration to get a measure wrong, for the measures that
 * count failures among events the run may not produce: "0 ignored out of 0 429s" checks nothing,
 * so the criterion is shown as not exercised, never as passed. Undefined for a measure every run
 * exercises (records lost, corrupted or duplicated, which the `some-correct-*` invariants guard
 * when records had to arrive; a crash; alerts demanded with `>= 1`, which fail at 0).
 */
export function opportunitiesFor(measure: string, src: OpportunitySources): { count: number; none: string } | undefined {
  const w = src.webhooks;
  const noHooks = 'the integration registered no webhook in this run';
  const hooksNeverOff = w.hooks.length === 0 ? noHooks : 'no hook of the integration was deactivated in this run';
  const covered = src.streams.filter((s) => s.available && s.covered);
  switch (measure) {
    case 'api.rateLimitIgnored':
      return { count: src.rateLimits.limited, none: "no 429 was answered to the integration in this run (it never ran out of quota), so the integration's handling of 429s was not tested" };
    case 'findings.rateLimitBreach':
      return { count: src.rateLimits.limited + src.rateLimits.platformLimited, none: 'no 429 was answered to the integration in this run, so whether it breaches the rate limit under load was not tested' };
    case 'webhooks.failedDeliveries':
      return { count: w.delivered + w.failed, none: `${w.hooks.length === 0 ? noHooks : 'no webhook was delivered to the integration in this run'}, so how its receiver answers deliveries was not tested` };
    case 'webhooks.eventsNeverFetched':
      return { count: w.delivered, none: `${w.hooks.length === 0 ? noHooks : 'no webhook was delivered to the integration in this run'}, so whether it reads the record a webhook names was not tested` };
    case 'webhooks.deactivations':
      return { count: w.failed, none: `${w.hooks.length === 0 ? noHooks : 'no delivery to the integration\'s hooks failed in this run'}, so nothing could deactivate a hook and this was not tested` };
    case 'webhooks.deactivatedAtEnd':
    case 'webhooks.scopesUncoveredAtEnd':
    case 'webhooks.droppedWhileInactive':
    case 'findings.webhookDeactivation':
      return { count: w.deactivations, none: `${hooksNeverOff}, so its recovery of deactivated hooks was not tested` };
    case 'deadLetter.unexplained':
      return { count: src.reports.deadLetters.length, none: 'the integration reported no dead letter in this run, so whether its dead letters carry a reason was not tested' };
    case 'mapping.silentlyEmptied':
    case 'findings.mappingDrift':
      return { count: src.renames, none: 'no platform field was renamed in this run, so how the integration survives a rename was not tested' };
    case 'findings.silentFailure':
      return {
        count: covered.reduce((n, s) => n + s.records.filter((r) => r.rejected.length > 0 || r.disposition === 'dead-letter' || r.deadLetter !== undefined).length, 0),
        none: 'no record failed in this run (no target refused one, the spec rejected none), so whether the integration reports failures was not tested',
      };
    case 'findings.payloadAsData':
      return { count: covered.filter((s) => s.stream.source.kind !== 'published').reduce((n, s) => n + s.records.filter((r) => r.firstAttemptAt !== undefined).length, 0), none: 'the integration wrote no record to a target in this run, so whether it reads records from the API before writing them was not tested' };
    default:
      return undefined;
  }
}

interface EvidenceSources {
  health?: IntegrationHealth;
  streams: readonly StreamResult[];
  rateLimits: RateLimitAnalysis;
  webhooks: WebhookHealth;
  reports: NormalizedReports;
  findings: readonly Finding[];
  quota: QuotaUse | undefined;
}

/** The record IDs (or events) behind a measure, for the criterion's evidence column. */
export function evidenceFor(measure: string, src: EvidenceSources): string[] {
  const p = PATTERNS.find((x) => patternMeasure(x) === measure);
  if (p) return src.findings.filter((f) => f.pattern === p).flatMap((f) => f.evidence.map((e) => `${e.ref}: ${e.detail}`));
  const [streamId, m] = measure.split('.') as [string, string];
  const stream = src.streams.find((s) => s.stream.id === streamId);
  if (stream) {
    const noun = stream.stream.noun;
    const recs = stream.records;
    switch (m) {
      case 'lost':
        return recs
          .filter((r) => r.outcome === 'lost')
          .map((r) => {
            const why = r.deadLetter
              ? `never reached the target; dead-lettered ("${r.deadLetter.reason.slice(0, 120)}") although the spec's reject rules accept it`
              : `${r.disposition === 'write' ? 'never reached the target' : 'rejected by the spec'} and not dead-lettered`;
            const died = src.health?.died && r.createdAt >= src.health.died.at ? ` (appeared after the integration ${src.health.died.kind === 'exited' ? 'exited' : 'stopped answering'})` : '';
            return `${noun} ${r.sourceId}: ${why}${died}${r.rejected.length > 0 ? ` (target answered ${r.rejected[0]!.status}: ${r.rejected[0]!.errors})` : ''}`;
          });
      case 'corrupted':
      case 'corruptedBeforeDrift':
        return recs
          .filter((r) => r.outcome === 'corrupted' && (m === 'corrupted' || r.preDrift))
          .map((r) => `${noun} ${r.sourceId}: ${(r.diffs ?? []).slice(0, 3).map((d) => `${d.field} expected ${previewValue(d.expected, 40)}, got ${previewValue(d.actual, 40)}`).join('; ')}${(r.diffs ?? []).length > 3 ? ` (+${r.diffs!.length - 3} more fields)` : ''}`);
      case 'duplicated':
        return recs.filter((r) => r.duplicates > 0).map((r) => `${noun} ${r.sourceId}: ${r.duplicates + 1} records created for key ${r.targetKey}`);
      case 'deadLettered':
        return recs.filter((r) => r.deadLetter).map((r) => `${noun} ${r.sourceId}: ${r.deadLetter!.reason || '(no reason)'}`);
      case 'unsynced':
        return recs.filter((r) => r.disposition === 'write' && r.syncedAt === undefined).map((r) => `${noun} ${r.sourceId}`);
      case 'rejectedByTarget':
        return recs.filter((r) => r.rejected.length > 0).map((r) => `${noun} ${r.sourceId}: ${r.rejected[0]!.status} ${r.rejected[0]!.errors}`);
      case 'unexpectedWrites':
        return stream.unexpectedKeys.map((k) => `key ${k}`);
      default:
        if (m.startsWith('syncLatency') || m === 'late') {
          return recs
            .filter((r) => r.latencyMs !== undefined)
            .sort((a, b) => b.latencyMs! - a.latencyMs!)
            .slice(0, 25)
            .map((r) => `${noun} ${r.sourceId}: ${(r.latencyMs! / 1000).toFixed(1)} s`);
        }
        return [];
    }
  }
  switch (measure) {
    case 'api.rateLimitIgnored':
      return src.rateLimits.events.filter((e) => !e.respected).map((e) => `429 at ${iso(e.at)} on ${stripStore(e.path)}: next request after ${((e.violations[0]!.at - e.at) / 1000).toFixed(2)} s, reset was ${(e.resetMs / 1000).toFixed(1)} s`);
    case 'webhooks.deactivatedAtEnd':
      return src.webhooks.hooks.filter((h) => !h.activeAtEnd && !h.deletedAtEnd).map((h) => `hook ${h.id} (${h.scope})${h.deactivations.length > 0 ? ` deactivated at ${iso(h.deactivations.at(-1)!.at)}` : ''}`);
    case 'webhooks.failedDeliveries':
      return [`${src.webhooks.failed} failed deliveries`];
    case 'alerts.raised':
    case 'alerts.count':
      return [...src.reports.alerts.map((a) => `alert at ${iso(a.at)}: ${a.message}`), ...(measure === 'alerts.raised' ? src.reports.deadLetters.filter((d) => d.reason).map((d) => `dead letter ${d.key}: ${d.reason}`) : [])];
    case 'deadLetter.unexplained':
      return src.reports.unexplained.map((d) => `dead letter ${d.key || '(no key)'} at ${iso(d.at)}`);
    case 'mapping.silentlyEmptied':
      return src.streams.filter((s) => s.covered).flatMap((s) => s.records.filter((r) => r.driftBroken).map((r) => `${s.stream.noun} ${r.sourceId} (${s.stream.id}): ${r.outcome}`));
    case 'api.peakWindowShare':
      return src.quota?.peakWindowStart != null ? [`peak window starting ${iso(src.quota.peakWindowStart)}`] : [];
    default:
      return [];
  }
}
