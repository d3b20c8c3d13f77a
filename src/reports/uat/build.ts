/**
 * Builds the UAT report model from a verification and what the run recorded. Every number comes
 * from the verifier (ground truth); this module only chooses what to show and words it.
 */
import { PATTERN_TITLES, PATTERN_WHY, type Pattern } from '../../verify/findings.ts';
import { figuresFromMeasures, formatCount, formatPeakWindow, formatPerOrder, perSyncedOrder } from '../../verify/figures.ts';
import { describeMeasure } from '../../verify/measures.ts';
import { previewValue } from '../../verify/diff-records.ts';
import { stripStore } from '../../verify/findings.ts';
import { CRITERION_STATUS_TEXT, type Criterion, type CriterionResult, type CriterionStatus } from '../../verify/criteria.ts';
import type { StreamResult } from '../../verify/verify-stream.ts';
import type { Verification } from '../../verify/verify-run.ts';
import { percentile } from '../../verify/percentile.ts';
import { VERDICT_TEXT } from '../../verify/verdict.ts';
import { uatReportSchema, type CriterionRow, type UatReport } from './model.ts';
import { buildScorecard, fmtS } from './scorecard.ts';
import { bucketSize, createBarChart, createLineChart, formatOffset, type Marker } from './svg-charts.ts';

/** What the run recorded about itself (run.json), as far as the report needs it. */
export interface RunInfo {
  id: string;
  dir: string;
  scenario: { name: string; description?: string; simulatedDurationMs?: number };
  integration: { label: string; command: string; exit?: string };
  plan: string;
  quotaPerWindow: number | null;
  timeScale: number;
  /** `--time-scale auto`: what the calibration measured at the scale it chose (run.json `timeScale.calibration`). */
  timeScaleCalibration?: { basis: string; budgetSimMs?: number; measurement?: { scale: number; lagP99Ms: number; answerP95Ms: number | null } };
  volumeScale?: number;
  seed: number;
  /** Simulated epoch ms. */
  simStart: number;
  loadStartedAt?: number;
  loadEndedAt?: number;
  endAt: number;
  realStartedAt: string;
  realSeconds: number;
  drain: { reason: string; text: string };
  load: { runner?: string; exitCode?: number; ordersPlaced: number | null; droppedIterations: number; stepsSkipped: number; failedChecks: { name: string; fails: number }[] };
  status: 'complete' | 'interrupted';
  notes: string[];
}

export interface BuildReportInput {
  verification: Verification;
  run: RunInfo;
  waived: { criterion: Criterion; reason: string }[];
  generatedAt: Date;
  /** The cost-of-ownership report rendered beside this one (file names relative to it), if any. */
  tco?: { html: string; md: string; summary: string };
}

const MAX_EVIDENCE = 12;

/** "calibration: harness lag p99 1.2 ms at 720x, budget 1.5 s simulated". */
function calibrationText(c: NonNullable<RunInfo['timeScaleCalibration']>): string {
  const m = c.measurement;
  if (!m) return 'calibration: nothing could be measured, so the default scale';
  const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  const numbers = `harness lag p99 ${ms(m.lagP99Ms)} ms${m.answerP95Ms !== null ? `, webhook answer p95 ${ms(m.answerP95Ms)} ms` : ''} at ${m.scale}x`;
  const budget = c.budgetSimMs !== undefined ? `, budget ${(c.budgetSimMs / 1000).toFixed(1)} s simulated` : '';
  return c.basis === 'measured' ? `calibration: ${numbers}${budget}` : `calibration: no probe stayed under budget; ${numbers}${budget}, scaled down`;
}

export function simTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

function valueText(c: CriterionResult): string {
  if (c.value === null) return 'no data';
  if (c.measure.includes('Share')) return `${Math.round(c.value * 1000) / 10}%`;
  if (c.unit === 's' || c.measure.includes('Seconds')) return fmtS(c.value);
  return Number.isInteger(c.value) ? String(c.value) : c.value.toFixed(2);
}

function conditionText(c: CriterionResult): string {
  const limit = c.measure.includes('Share') ? `${Math.round(c.limit * 1000) / 10}%` : c.unit === 's' || c.measure.includes('Seconds') ? fmtS(c.limit) : String(c.limit);
  return `${c.op} ${limit}`;
}

/** The row's status key (the HTML class, the JUnit case kind); `statusText` is the label every format shows. */
const CRITERION_STATUS = { passed: 'pass', failed: 'fail', 'not-exercised': 'not-exercised' } as const satisfies Record<CriterionStatus, CriterionRow['status']>;

function criterionRow(c: CriterionResult): CriterionRow {
  const value = valueText(c);
  return {
    id: c.id,
    name: c.name,
    flow: c.flow,
    measure: c.measure,
    measureText: describeMeasure(c.measure),
    condition: conditionText(c),
    valueText: value,
    passed: c.passed,
    status: CRITERION_STATUS[c.status],
    statusText: CRITERION_STATUS_TEXT[c.status],
    source: c.source,
    why: c.why,
    note: c.note ?? '',
    evidence: c.evidence.slice(0, MAX_EVIDENCE),
    evidenceMore: Math.max(0, c.evidenceTotal - Math.min(MAX_EVIDENCE, c.evidence.length)),
    failureMessage: c.status === 'failed' ? `${c.measure} = ${value}, required ${conditionText(c)}${c.note ? ` (${c.note})` : ''}` : c.status === 'not-exercised' ? `not exercised: ${c.note ?? 'the run gave nothing to check'}` : '',
  };
}

function streamSection(s: StreamResult, scope: Set<string>, formatTime: (ms: number) => string): UatReport['streams'][number] {
  const m = s.measures;
  const status = !s.available ? 'unavailable' : scope.has(s.stream.id) ? 'judged' : s.covered ? 'observed' : 'not-covered';
  const statusText = {
    judged: 'In scope: judged by the acceptance criteria',
    observed: 'Observed: the integration writes this flow; it is reported, and judged only where a criterion names it',
    'not-covered': 'Not covered: the integration never wrote to this target in this run',
    unavailable: 'Not checked',
  }[status];
  const tone = (bad: boolean) => (bad ? 'bad' : 'ok') as 'bad' | 'ok';
  const noun = s.stream.noun;
  const corrupted = s.records.filter((r) => r.outcome === 'corrupted');
  const lost = s.records.filter((r) => r.outcome === 'lost');
  return {
    id: s.stream.id,
    label: s.stream.label,
    flow: s.stream.flow,
    status,
    statusText,
    note: s.note ?? '',
    counts: [
      { label: 'expected', value: String(m.expected), tone: 'neutral' },
      { label: 'correct', value: String(m.correct), tone: 'ok' },
      { label: 'corrupted', value: String(m.corrupted), tone: tone((m.corrupted ?? 0) > 0) },
      { label: 'lost', value: String(m.lost), tone: tone((m.lost ?? 0) > 0) },
      { label: 'dead-lettered', value: String(m.deadLettered), tone: 'neutral' },
      { label: 'must be dead-lettered', value: String(m.expectedDeadLetters), tone: 'neutral' },
      { label: 'duplicates', value: String(m.duplicated), tone: tone((m.duplicated ?? 0) > 0) },
      { label: 'skipped by the spec', value: String(m.skipped), tone: 'neutral' },
    ],
    latency: m.syncLatencyP50Seconds === null ? 'No record reached the target.' : `p50 ${fmtS(m.syncLatencyP50Seconds)}, p95 ${fmtS(m.syncLatencyP95Seconds)}, p99 ${fmtS(m.syncLatencyP99Seconds)}, slowest ${fmtS(m.syncLatencyMaxSeconds)}; p95 in the busiest hour ${fmtS(m.syncLatencyPeakP95Seconds)} (simulated)`,
    corrupted: corrupted.slice(0, MAX_EVIDENCE).map((r) => ({
      ref: `${noun} ${r.sourceId} → ${r.targetKey}`,
      diffs: (r.diffs ?? []).slice(0, 8).map((d) => ({ field: d.field, expected: previewValue(d.expected, 70), actual: previewValue(d.actual, 70) })),
      more: Math.max(0, (r.diffs ?? []).length - 8),
    })),
    corruptedMore: Math.max(0, corrupted.length - MAX_EVIDENCE),
    lost: lost.slice(0, MAX_EVIDENCE).map((r) => ({
      ref: `${noun} ${r.sourceId}`,
      detail: `${s.stream.source.kind === 'published' ? 'published' : 'placed'} ${formatTime(r.createdAt)}; ${r.disposition === 'dead-letter' ? `the spec rejects it (${(r.specErrors ?? []).slice(0, 2).map((e) => `${e.field}: ${e.message}`).join('; ')}), but it was not dead-lettered` : r.attempts > 0 ? `${r.attempts} attempt(s), the target answered ${r.rejected[0]?.status ?? '?'} ${r.rejected[0]?.errors ?? ''}` : 'never written and not dead-lettered'}`,
    })),
    lostMore: Math.max(0, lost.length - MAX_EVIDENCE),
    unexpectedKeys: s.unexpectedKeys.length > 0 ? `${s.unexpectedKeys.length} record(s) in the target have no source record in this run's ledger (e.g. created before the run): ${s.unexpectedKeys.slice(0, 8).join(', ')}${s.unexpectedKeys.length > 8 ? ', …' : ''}` : '',
  };
}

function charts(v: Verification, run: RunInfo): UatReport['charts'] {
  const from = run.simStart;
  const to = Math.max(run.endAt, from + 60_000);
  const span = to - from;
  const bucketMs = bucketSize(span);
  const bucketOf = (t: number) => from + Math.floor((t - from) / bucketMs) * bucketMs;
  const base = { origin: from, from, to };
  const orders = v.streams.find((s) => s.stream.id === 'orders');
  const records = orders?.records ?? [];
  const markers: Marker[] = [];
  if (run.loadEndedAt !== undefined) markers.push({ at: run.loadEndedAt, label: 'load ended', color: '#5b6478' });

  const count = (times: number[]) => {
    const map = new Map<number, number>();
    for (const t of times) map.set(bucketOf(t), (map.get(bucketOf(t)) ?? 0) + 1);
    return map;
  };
  const placed = count(records.map((r) => r.createdAt));
  const synced = count(records.filter((r) => r.syncedAt !== undefined).map((r) => r.syncedAt!));
  const dead = count(records.filter((r) => r.deadLetter).map((r) => r.deadLetter!.at));
  const cumulative = (perBucket: Map<number, number>) => {
    const points: { at: number; value: number }[] = [];
    let total = 0;
    for (let t = from; t <= to; t += bucketMs) {
      total += perBucket.get(t) ?? 0;
      points.push({ at: Math.min(t + bucketMs, to), value: total });
    }
    return total === 0 ? [] : points;
  };
  const bucketText = `${Math.round(bucketMs / 1000) >= 60 ? `${Math.round(bucketMs / 60_000)}-minute` : `${Math.round(bucketMs / 1000)}-second`} slices of simulated time`;

  const latencyByBucket = new Map<number, number[]>();
  for (const r of records) if (r.latencyMs !== undefined) {
    const b = bucketOf(r.createdAt);
    let l = latencyByBucket.get(b);
    if (!l) latencyByBucket.set(b, (l = []));
    l.push(r.latencyMs / 1000);
  }
  const latencyLimit = v.criteria.find((c) => c.measure.startsWith('orders.syncLatency'));
  const latencyPoints = [...latencyByBucket.entries()].sort((a, b) => a[0] - b[0]).map(([at, values]) => ({ at: at + bucketMs / 2, value: percentile(values, 95) }));

  // Backlog: orders placed so far that have neither reached the ERP nor been dead-lettered; the
  // highest it got within each slice, so a burst that drains inside one slice still shows.
  const events = [...records.map((r) => ({ at: r.createdAt, d: 1 })), ...records.flatMap((r) => (r.syncedAt ?? r.deadLetter?.at) !== undefined ? [{ at: (r.syncedAt ?? r.deadLetter!.at), d: -1 }] : [])].sort((a, b) => a.at - b.at || a.d - b.d);
  const backlogPoints: { at: number; value: number }[] = [];
  let level = 0;
  let i = 0;
  for (let t = from; t < to; t += bucketMs) {
    let peak = level;
    while (i < events.length && events[i]!.at < t + bucketMs) {
      level += events[i++]!.d;
      peak = Math.max(peak, level);
    }
    backlogPoints.push({ at: Math.min(t + bucketMs / 2, to), value: Math.max(0, peak) });
  }
  const windowMs = v.quota?.windowMs ?? 30_000;
  const quotaBuckets = new Map<number, { integration: number; others: number }>();
  for (const w of v.quota?.windows ?? []) {
    const b = bucketOf(w.start);
    const cur = quotaBuckets.get(b);
    if (!cur || w.integration + w.others > cur.integration + cur.others) quotaBuckets.set(b, { integration: w.integration, others: w.others });
  }
  const per = v.quota?.perWindow ?? null;

  // One marker per event while they are few; past that the first deactivation and the last
  // re-enabling, so a run with dozens of them still reads.
  const hookMarkers: Marker[] = [...markers];
  const offs = v.webhooks.hooks.flatMap((h) => h.deactivations.map((d) => ({ at: d.at, id: h.id }))).sort((a, b) => a.at - b.at);
  const ons = v.webhooks.hooks.flatMap((h) => h.reactivations.map((at) => ({ at, id: h.id }))).sort((a, b) => a.at - b.at);
  if (offs.length + ons.length <= 6) {
    for (const d of offs) hookMarkers.push({ at: d.at, label: `hook ${d.id} deactivated`, color: '#a3261b' });
    for (const r of ons) hookMarkers.push({ at: r.at, label: `hook ${r.id} re-enabled`, color: '#1f7a4d' });
  } else {
    if (offs[0]) hookMarkers.push({ at: offs[0].at, label: `first of ${offs.length} deactivations`, color: '#a3261b' });
    if (ons.length > 0) hookMarkers.push({ at: ons.at(-1)!.at, label: `last of ${ons.length} re-enablings`, color: '#1f7a4d' });
  }
  const delivered = count(v.webhooks.timeline.filter((a) => a.ok).map((a) => a.at));
  const failed = count(v.webhooks.timeline.filter((a) => !a.ok && !a.denylisted).map((a) => a.at));
  const held = count(v.webhooks.timeline.filter((a) => a.denylisted).map((a) => a.at));
  const hookStarts = [...new Set([...delivered.keys(), ...failed.keys(), ...held.keys()])].sort((a, b) => a - b);

  return [
    {
      id: 'orders',
      title: 'Orders placed and orders reaching the ERP',
      caption: `Cumulative orders the scenario placed, orders the ERP accepted and orders the integration dead-lettered, per ${bucketText}; the gap between the first line and the other two is the backlog.`,
      svg: createLineChart({ ...base, title: 'Orders over time (cumulative)', yLabel: 'orders', lines: [{ name: 'placed', color: '#2456d6', points: cumulative(placed) }, { name: 'reached the ERP', color: '#1f7a4d', points: cumulative(synced) }, { name: 'dead-lettered', color: '#c98a00', points: cumulative(dead) }], markers, empty: 'No orders in this run' }),
    },
    {
      id: 'latency',
      title: 'Order to ERP latency',
      caption: `p95 simulated seconds from an order being placed to the ERP accepting it, for the orders placed in each slice${latencyLimit ? `; the line is the criterion's limit (${fmtS(latencyLimit.limit)})` : ''}.`,
      svg: createLineChart({ ...base, title: 'Sync latency (p95 per slice)', yLabel: 'simulated seconds', lines: [{ name: 'p95 latency', color: '#2456d6', points: latencyPoints }], rules: latencyLimit ? [{ value: latencyLimit.limit, label: `limit ${fmtS(latencyLimit.limit)}`, color: '#a3261b', dashed: true }] : [], markers, empty: 'No order reached the ERP' }),
    },
    {
      id: 'quota',
      title: 'Quota use per window against the plan',
      caption: per ? `The busiest 30-second window in each slice: the integration's requests and other apps', against the ${run.plan} plan's ${per} per window (red) and 80% of it (amber).` : 'The store\'s plan has no window quota (unlimited); requests per busiest window are shown without a limit.',
      svg: createBarChart({ ...base, title: `Requests in the busiest ${windowMs / 1000}-second window of each slice`, yLabel: 'requests per window', bucketMs, buckets: [...quotaBuckets.entries()].sort((a, b) => a[0] - b[0]).map(([start, w]) => ({ start, values: { integration: w.integration, 'other apps': w.others } })), series: [{ name: 'integration', color: '#2456d6' }, { name: 'other apps', color: '#b9c2d3' }], rules: per ? [{ value: per, label: `plan limit ${per}`, color: '#a3261b' }, { value: per * 0.8, label: '80%', color: '#c98a00', dashed: true }] : [], markers, empty: 'No API requests recorded' }),
    },
    {
      id: 'webhooks',
      title: 'Webhook deliveries, failures and deactivations',
      caption: `Delivery attempts to the integration's hooks per ${bucketText}; dashed red lines mark a hook being deactivated by the platform, green lines its re-enabling.`,
      svg: createBarChart({ ...base, title: 'Webhook delivery attempts', yLabel: 'attempts per slice', bucketMs, buckets: hookStarts.map((start) => ({ start, values: { delivered: delivered.get(start) ?? 0, failed: failed.get(start) ?? 0, 'held (denylisted)': held.get(start) ?? 0 } })), series: [{ name: 'delivered', color: '#1f7a4d' }, { name: 'failed', color: '#a3261b' }, { name: 'held (denylisted)', color: '#c98a00' }], markers: hookMarkers.slice(0, 12), empty: 'No webhook deliveries (the integration registered no hooks)' }),
    },
    {
      id: 'backlog',
      title: 'Backlog drain',
      caption: `The most orders waiting at once in each ${bucketText} (placed, neither in the ERP nor dead-lettered yet); a healthy integration drains to zero after the load ends.`,
      svg: createLineChart({ ...base, title: 'Order backlog', yLabel: 'orders waiting', lines: [{ name: 'backlog', color: '#7a3fb0', points: backlogPoints }], markers, empty: 'No orders' }),
    },
  ];
}

/** "+55h13m (retries-exhausted)", or "14 times, +55h13m to +56h58m (retries-exhausted)". */
function times(list: number[], fmt: (ms: number) => string, why: string): string {
  if (list.length === 0) return '-';
  const suffix = why ? ` (${why})` : '';
  if (list.length <= 3) return `${list.map(fmt).join(', ')}${suffix}`;
  return `${list.length} times, ${fmt(list[0]!)} to ${fmt(list.at(-1)!)}${suffix}`;
}

export function buildUatReport(input: BuildReportInput): UatReport {
  const { verification: v, run } = input;
  const formatTime = (ms: number) => `${formatOffset(ms - run.simStart, run.endAt - run.simStart)} (${simTime(ms)})`;
  const shortTime = (ms: number) => formatOffset(ms - run.simStart, run.endAt - run.simStart);
  const verdict = v.verdict;
  const failed = v.criteria.filter((c) => c.status === 'failed');
  const skipped = v.criteria.filter((c) => c.status === 'not-exercised');
  const rows = v.criteria.map(criterionRow);
  const scope = new Set<string>(v.streams.filter((s) => rows.some((r) => r.measure.startsWith(`${s.stream.id}.`))).map((s) => s.stream.id));
  const flows = [...new Set(rows.map((r) => r.flow))];
  const orders = v.streams.find((s) => s.stream.id === 'orders')?.measures;
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
  const placed = v.streams.find((s) => s.stream.id === 'orders')?.records.length ?? 0;
  const died = v.health.died;
  const crashText = died ? `The integration ${died.text} at ${shortTime(died.at)} (simulated). ` : '';
  const listed = (cs: typeof failed) => `${cs.slice(0, 3).map((c) => `${c.name} (${c.measure} = ${valueText(c)}, required ${conditionText(c)})`).join('; ')}${cs.length > 3 ? '; …' : ''}`;
  const kinds = v.fidelity.problems.map((p) => p.kind).join(', ');
  // On a run that was not faithful only the failures no time scale could cause decide a FAIL
  // (verdict.ts); the headline leads with those and says the others do not count.
  const robustIds = new Set(v.decision.robustFailures);
  const robust = failed.filter((c) => robustIds.has(c.id));
  const compressible = failed.filter((c) => !robustIds.has(c.id));
  const failedText =
    v.fidelity.problems.length > 0 && robust.length > 0 && compressible.length > 0
      ? `${robust.length} of ${rows.length} acceptance criteria failed in a way no time scale could cause: ${listed(robust)}. The run was not faithful (${kinds}), so the ${compressible.length} other failure(s) (${compressible.map((c) => c.id).join(', ')}) may be the compression's doing and do not decide the verdict: see "Fidelity" below.`
      : `${failed.length} of ${rows.length} acceptance criteria failed: ${listed(failed)}.`;
  const skippedText = skipped.length > 0 ? ` Not exercised by this run: ${skipped.map((c) => c.id).join(', ')}.` : '';
  const notFaithful = v.fidelity.problems.length > 0 && !(robust.length > 0 && compressible.length > 0) ? ` The run was not faithful (${kinds}): see "Fidelity" below.` : '';
  const headline =
    verdict === 'interrupted'
      ? 'The run was interrupted before it finished; the numbers below cover what happened until then and are not a verdict.'
      : verdict === 'inconclusive'
        ? v.fidelity.problems.length === 0
          ? v.decision.reason
          : `${crashText}Inconclusive: the harness could not run the scenario faithfully (${v.fidelity.problems.map((p) => p.kind).join(', ')}), so this run neither clears nor blames the integration${failed.length > 0 ? `; ${failed.length} criterion(s) failed, each of a kind compression can cause` : ''}.${skippedText} ${v.fidelity.problems[0]!.fix}`
        : failed.length === 0
          ? v.decision.reason
          : `${crashText}${failedText}${skippedText}${notFaithful}`;
  const cards: UatReport['cards'] = [
    { label: 'orders placed', value: formatCount(placed), tone: 'neutral' },
    { label: 'in the ERP, correct', value: formatCount(orders?.correct ?? 0), tone: 'ok' },
    { label: 'lost', value: formatCount(orders?.lost ?? 0), tone: (orders?.lost ?? 0) > 0 ? 'bad' : 'ok' },
    { label: 'held: the spec rejects them', value: formatCount(orders?.deadLettered ?? 0), tone: 'neutral' },
    { label: 'corrupted', value: formatCount(orders?.corrupted ?? 0), tone: (orders?.corrupted ?? 0) > 0 ? 'bad' : 'ok' },
    // Taken over the orders that arrived: with some that never did, the card says so (as the criterion's note does).
    { label: (orders?.unsynced ?? 0) > 0 ? `p95 to ERP, of the ${formatCount(orders?.synced ?? 0)} that arrived` : 'p95 to ERP', value: fmtS(orders?.syncLatencyP95Seconds), tone: 'neutral' },
    { label: '429s (ignored)', value: `${formatCount(v.rateLimits.limited)} (${formatCount(v.rateLimits.ignored)})`, tone: v.rateLimits.ignored > 0 ? 'bad' : 'neutral' },
    {
      label: 'peak window use',
      // The integration's own share, and the store's whole window when other apps filled it further.
      value: formatPeakWindow(v.measures['api.peakWindowShare'], v.measures['api.peakWindowShareTotal']),
      tone: (v.measures['api.peakWindowShare'] ?? 0) > 0.8 ? 'warn' : 'neutral',
    },
    { label: 'hooks off at end', value: formatCount(v.webhooks.deactivatedAtEnd), tone: v.webhooks.deactivatedAtEnd > 0 ? 'bad' : 'ok' },
    { label: 'dead letters reported', value: formatCount(v.reports.deadLetters.length), tone: 'neutral' },
    { label: 'alerts', value: formatCount(v.reports.alerts.length), tone: 'neutral' },
  ];
  const loadWarnings: string[] = [];
  if (run.load.exitCode !== undefined && run.load.exitCode !== 0) loadWarnings.push(`The load runner exited with ${run.load.exitCode} (${run.load.exitCode === 99 ? 'a threshold of the scenario was crossed' : 'see load.log'}).`);
  if (run.load.droppedIterations > 0) loadWarnings.push(`The load generator fell behind and dropped ${run.load.droppedIterations} arrival(s): less load was applied than the scenario plans.`);
  if (run.load.stepsSkipped > 0) loadWarnings.push(`${run.load.stepsSkipped} scenario step(s) could not be applied (see load.log): part of what the scenario provokes did not happen.`);
  for (const c of run.load.failedChecks) loadWarnings.push(`Scenario check "${c.name}" failed ${c.fails} time(s).`);

  // CI reads failures and errors: an interrupted or unfaithful run must not read as a clean pass.
  const runError: UatReport['junit']['runError'] =
    verdict === 'interrupted'
      ? { type: 'interrupted', message: 'INTERRUPTED: the run was stopped before it finished; no verdict.', detail: run.drain.text }
      : verdict === 'inconclusive'
        ? { type: 'inconclusive', message: `INCONCLUSIVE: ${v.decision.reason}`, detail: v.fidelity.problems.map((p) => `${p.text} ${p.fix}`).join('\n') }
        : null;
  const report: UatReport = {
    title: `UAT report: ${run.scenario.name} against ${run.integration.label}`,
    generatedAt: input.generatedAt.toISOString(),
    verdict,
    verdictText: VERDICT_TEXT[verdict],
    verdictReason: v.decision.reason,
    headline,
    run: {
      id: run.id,
      dir: run.dir,
      scenario: run.scenario.name,
      scenarioDescription: run.scenario.description ?? '',
      integration: run.integration.label,
      integrationCommand: run.integration.command,
      integrationExit: run.integration.exit ?? '',
      plan: run.plan,
      quotaText: run.quotaPerWindow === null ? 'unlimited' : `${run.quotaPerWindow} requests per 30-second window`,
      timeScale: run.timeScale,
      timeScaleText: `${run.timeScale}x${run.timeScaleCalibration ? `, chosen by --time-scale auto (${calibrationText(run.timeScaleCalibration)})` : ''}: one real second is ${fmtS(run.timeScale)} of simulated time`,
      volumeText: run.volumeScale !== undefined && run.volumeScale !== 1 ? `${run.volumeScale}x the scenario's arrival rates (VOLUME_SCALE)` : "the scenario's full volume",
      seed: run.seed,
      simStart: simTime(run.simStart),
      simEnd: simTime(run.endAt),
      simulatedSpan: fmtS((run.endAt - run.simStart) / 1000),
      realDuration: fmtS(run.realSeconds),
      drainText: run.drain.text,
    },
    cards,
    load: {
      runner: run.load.runner ?? 'unknown',
      exitText: run.load.exitCode === undefined ? 'not run' : run.load.exitCode === 0 ? 'completed (exit 0)' : `exit ${run.load.exitCode}`,
      ordersPlaced: String(placed),
      achieved: `${placed} order(s) placed over ${fmtS(((run.loadEndedAt ?? run.endAt) - (run.loadStartedAt ?? run.simStart)) / 1000)} of simulated load${run.load.ordersPlaced !== null && run.load.ordersPlaced !== placed ? ` (the load runner counted ${run.load.ordersPlaced})` : ''}`,
      warnings: loadWarnings,
    },
    criteria: rows,
    criteriaByFlow: flows.map((flow) => {
      const list = rows.filter((r) => r.flow === flow);
      return { flow, tests: list.length, failures: list.filter((r) => r.status === 'fail').length, skipped: list.filter((r) => r.status === 'not-exercised').length, criteria: list };
    }),
    waived: input.waived.map((w) => ({ id: w.criterion.id, name: w.criterion.name, reason: w.reason })),
    findings: v.findings.map((f) => ({
      pattern: f.pattern,
      title: PATTERN_TITLES[f.pattern as Pattern],
      why: PATTERN_WHY[f.pattern as Pattern],
      flow: f.flow,
      stream: f.stream ?? '',
      count: f.count,
      summary: f.summary,
      evidence: f.evidence.slice(0, MAX_EVIDENCE).map((e) => ({ ref: e.ref, detail: e.detail, at: e.at !== undefined ? shortTime(e.at) : '' })),
      evidenceMore: Math.max(0, f.evidence.length - MAX_EVIDENCE),
    })),
    streams: v.streams.map((s) => streamSection(s, scope, formatTime)),
    rateLimits: {
      limited: v.rateLimits.limited,
      ignored: v.rateLimits.ignored,
      platformLimited: v.rateLimits.platformLimited,
      allowanceText: `Requests arriving within ${(v.rateLimits.graceMs / 1000).toFixed(2)} simulated s of a 429 count as already in flight; a retry up to ${(v.rateLimits.toleranceMs / 1000).toFixed(2)} s before the reset counts as waiting (timer precision at ${run.timeScale}x).`,
      events: v.rateLimits.events.slice(0, 40).map((e) => ({
        at: shortTime(e.at),
        path: `${e.method} ${stripStore(e.path)}`,
        reset: fmtS(e.resetMs / 1000),
        next: e.nextRequestAfterMs === undefined ? 'none' : fmtS(e.nextRequestAfterMs / 1000),
        respected: e.respected,
        violations: e.respected ? '' : `${e.violations.length} request(s) before the reset, first ${fmtS((e.violations[0]!.at - e.at) / 1000)} after`,
      })),
      eventsMore: Math.max(0, v.rateLimits.events.length - 40),
    },
    quota: {
      available: v.quota !== undefined,
      plan: run.plan,
      perWindowText: run.quotaPerWindow === null ? 'unlimited' : String(run.quotaPerWindow),
      peakText: pct(v.measures['api.peakWindowShare']),
      peakTotalText: pct(v.measures['api.peakWindowShareTotal']),
      windowsOver80: v.quota?.windowsOver80 ?? 0,
      windowsExhausted: v.quota?.windowsExhausted ?? 0,
      windows: v.quota?.windows.length ?? 0,
    },
    api: {
      requests: v.requests.total,
      // Requests per order as src/verify/figures.ts defines it, printed as the TCO report prints it.
      callsPerOrder: figuresFromMeasures(v.measures).requestsPerOrder === null ? 'n/a (no order synced)' : formatPerOrder(figuresFromMeasures(v.measures).requestsPerOrder),
      byEndpoint: v.requests.byEndpoint.slice(0, 15).map((e) => ({ endpoint: e.endpoint, count: e.count, perOrder: formatPerOrder(perSyncedOrder(e.count, orders?.synced ?? null)) })),
      byStatus: Object.entries(v.requests.byStatus).sort((a, b) => Number(a[0]) - Number(b[0])).map(([status, n]) => ({ status, count: n })),
    },
    webhooks: {
      delivered: v.webhooks.delivered,
      failed: v.webhooks.failed,
      denylisted: v.webhooks.denylisted,
      deactivations: v.webhooks.deactivations,
      deactivatedAtEnd: v.webhooks.deactivatedAtEnd,
      droppedWhileInactive: v.webhooks.droppedWhileInactive.length,
      eventsNeverFetched: v.webhooks.eventsNeverFetched.length,
      answerText: v.webhooks.answerP95RealMs === null ? 'no delivery was answered' : `${v.webhooks.answerP95RealMs.toFixed(1)} real ms (p95), ${fmtS((v.webhooks.answerP95RealMs * run.timeScale) / 1000)} simulated`,
      hooks: v.webhooks.hooks.map((h) => ({
        id: h.id,
        scope: h.scope,
        state: h.activeAtEnd ? 'active' : h.deletedAtEnd ? 'deleted' : 'DEACTIVATED',
        deactivations: times(h.deactivations.map((d) => d.at), shortTime, [...new Set(h.deactivations.map((d) => d.reason))].join(', ')),
        reactivations: times(h.reactivations, shortTime, ''),
      })),
    },
    deadLetters: {
      count: v.reports.deadLetters.length,
      unexplained: v.reports.unexplained.length,
      byReason: deadLettersByReason(v),
      items: v.reports.deadLetters.slice(0, 50).map((d) => ({ at: shortTime(d.at), key: d.key || '(none)', spec: d.spec ?? d.stream ?? d.flow ?? '', reason: d.reason || '(no reason given)' })),
      more: Math.max(0, v.reports.deadLetters.length - 50),
    },
    alerts: {
      count: v.reports.alerts.length,
      items: v.reports.alerts.slice(0, 50).map((a) => ({ at: shortTime(a.at), severity: a.severity ?? '', message: a.message })),
      more: Math.max(0, v.reports.alerts.length - 50),
    },
    charts: charts(v, run),
    scorecard: buildScorecard(v, { scenario: run.scenario.name, formatTime }),
    fidelity: {
      faithful: v.fidelity.faithful,
      problems: v.fidelity.problems.map((p) => ({ kind: p.kind, text: p.text, fix: p.fix })),
      text: fidelityText(v, run.timeScale),
      warnings: v.fidelity.warnings,
    },
    notes: [...run.notes, `Ledger: ${v.ledger.lines} line(s); journals: ${v.journals.lines} write(s).`, `Everything here is computed from the simulator's ledger and the connected systems' journals; nothing is taken from the integration's own counters.`],
    tco: input.tco ?? { html: '', md: '', summary: '' },
    junit: {
      suiteName: `bc-harness uat ${run.scenario.name} (${run.integration.label})`,
      tests: rows.length + input.waived.length + (runError ? 1 : 0),
      failures: failed.length,
      errors: runError ? 1 : 0,
      skipped: input.waived.length + skipped.length,
      timeSeconds: run.realSeconds.toFixed(3),
      timestamp: run.realStartedAt.replace(/\.\d+Z$/, ''),
      runError,
    },
  };
  return uatReportSchema.parse(report);
}

/**
 * Dead letters grouped by the reason the integration gave, with how many of them the mapping
 * spec's reject rule justifies (held) and how many it does not (the record counts as lost).
 */
function deadLettersByReason(v: Verification): UatReport['deadLetters']['byReason'] {
  const norm = (r: string) => (r || '(no reason given)').replace(/\d{3,}/g, 'N').slice(0, 160);
  const groups = new Map<string, { reason: string; count: number; held: number; notJustified: number }>();
  const group = (reason: string) => {
    const key = norm(reason);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { reason: key, count: 0, held: 0, notJustified: 0 }));
    return g;
  };
  for (const d of v.reports.deadLetters) group(d.reason).count++;
  for (const s of v.streams) {
    for (const r of s.records) {
      if (!r.deadLetter) continue;
      if (r.outcome === 'held') group(r.deadLetter.reason).held++;
      else if (r.outcome === 'lost') group(r.deadLetter.reason).notJustified++;
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, 30);
}

/** The measured fidelity of the run, the same numbers the verdict was judged on. */
function fidelityText(v: Verification, scale: number): string {
  const f = v.fidelity;
  const sim = (realMs: number) => fmtS((realMs * scale) / 1000);
  const parts = [
    `Simulated time ran ${scale}x faster than real time: one real millisecond of work costs ${scale < 1000 ? `${scale} simulated ms` : fmtS(scale / 1000)}.`,
    f.timing
      ? `The tightest timing the criteria judge is ${f.timing.basis}; each answer time below may take at most a tenth of it (${fmtS(f.timing.budgetBasisMs / 10_000)} simulated).`
      : 'No criterion of this run judges timing (latency, quota use or 429s), so answer times cannot change its verdict; they are shown for information.',
    f.receiverAnswerP95RealMs === null ? 'The receiver answered no delivery.' : `The integration's receiver answered in ${f.receiverAnswerP95RealMs.toFixed(1)} real ms (p95), ${sim(f.receiverAnswerP95RealMs)} simulated.`,
    f.harnessLagP99RealMs === null ? "The harness's own lag was not measured for this run." : `The harness's event loop was ${f.harnessLagP99RealMs.toFixed(1)} real ms late (p99) during load and drain, ${sim(f.harnessLagP99RealMs)} simulated.`,
    f.load ? `The load runner ${f.load.exitCode === undefined ? 'did not run' : `exited ${f.load.exitCode}`}, dropped ${f.load.droppedIterations} arrival(s) and placed ${f.load.ordersPlaced} order(s)${f.load.expectedOrders !== undefined ? ` of the ${Math.round(f.load.expectedOrders)} planned` : ''}.` : '',
    f.faithful ? 'Verdict on fidelity: faithful.' : `Verdict on fidelity: not faithful (${f.problems.map((p) => p.kind).join(', ')}).`,
  ];
  return parts.filter(Boolean).join(' ');
}
