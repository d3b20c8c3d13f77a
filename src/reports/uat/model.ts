/**
 * The UAT report's model. Renderers (HTML, Markdown, JUnit through the templates in
 * reports/templates/, JSON as is) only format what is here; the model is validated with zod
 * before rendering, so a template never sees half-built data. Texts are final and human-readable
 * so the templates stay free of logic (the mapping document's convention).
 */
import { z } from 'zod';
import { VERDICTS } from '../../verify/verdict.ts';

const text = z.string();
const count = z.number().int().min(0);

export const evidenceItemSchema = z.object({ ref: text, detail: text, at: text });

export const criterionRowSchema = z.object({
  id: text,
  name: text,
  flow: text,
  measure: text,
  measureText: text,
  condition: text,
  valueText: text,
  /** False for a criterion the run did not exercise, which is not passed either. */
  passed: z.boolean(),
  status: z.enum(['pass', 'fail', 'not-exercised']),
  /** The label every format shows: pass, FAIL, NOT EXERCISED. */
  statusText: text,
  source: z.enum(['default', 'scenario', 'pattern', 'config', 'invariant']),
  why: text,
  note: text,
  evidence: z.array(text),
  evidenceMore: count,
  /** JUnit: the failure message. */
  failureMessage: text,
});
export type CriterionRow = z.infer<typeof criterionRowSchema>;

export const findingSchema = z.object({
  pattern: text,
  title: text,
  why: text,
  flow: text,
  stream: text,
  count,
  summary: text,
  evidence: z.array(evidenceItemSchema),
  evidenceMore: count,
});

export const streamSectionSchema = z.object({
  id: text,
  label: text,
  flow: text,
  status: z.enum(['judged', 'observed', 'not-covered', 'unavailable']),
  statusText: text,
  note: text,
  counts: z.array(z.object({ label: text, value: text, tone: z.enum(['ok', 'bad', 'warn', 'neutral']) })),
  latency: text,
  corrupted: z.array(z.object({ ref: text, diffs: z.array(z.object({ field: text, expected: text, actual: text })), more: count })),
  corruptedMore: count,
  lost: z.array(z.object({ ref: text, detail: text })),
  lostMore: count,
  unexpectedKeys: text,
});

export const chartSchema = z.object({ id: text, title: text, caption: text, svg: text });

export const scorecardAnswerSchema = z.object({
  question: text,
  answer: text,
  rating: z.enum(['good', 'concern', 'not-shown']),
  ratingText: text,
  evidence: z.array(text),
});

export const uatReportSchema = z.object({
  title: text,
  generatedAt: text,
  verdict: z.enum(VERDICTS),
  verdictText: text,
  /** Why this verdict, in one sentence (src/verify/verdict.ts). */
  verdictReason: text,
  headline: text,
  run: z.object({
    id: text,
    dir: text,
    scenario: text,
    scenarioDescription: text,
    integration: text,
    integrationCommand: text,
    integrationExit: text,
    plan: text,
    quotaText: text,
    timeScale: z.number(),
    timeScaleText: text,
    volumeText: text,
    seed: z.number().int(),
    simStart: text,
    simEnd: text,
    simulatedSpan: text,
    realDuration: text,
    drainText: text,
  }),
  cards: z.array(z.object({ label: text, value: text, tone: z.enum(['ok', 'bad', 'warn', 'neutral']) })),
  load: z.object({ runner: text, exitText: text, ordersPlaced: text, achieved: text, warnings: z.array(text) }),
  criteria: z.array(criterionRowSchema),
  criteriaByFlow: z.array(z.object({ flow: text, tests: count, failures: count, skipped: count, criteria: z.array(criterionRowSchema) })),
  waived: z.array(z.object({ id: text, name: text, reason: text })),
  findings: z.array(findingSchema),
  streams: z.array(streamSectionSchema),
  rateLimits: z.object({
    limited: count,
    ignored: count,
    platformLimited: count,
    allowanceText: text,
    events: z.array(z.object({ at: text, path: text, reset: text, next: text, respected: z.boolean(), violations: text })),
    eventsMore: count,
  }),
  quota: z.object({ available: z.boolean(), plan: text, perWindowText: text, peakText: text, peakTotalText: text, windowsOver80: count, windowsExhausted: count, windows: count }),
  api: z.object({ requests: count, callsPerOrder: text, byEndpoint: z.array(z.object({ endpoint: text, count, perOrder: text })), byStatus: z.array(z.object({ status: text, count })) }),
  webhooks: z.object({
    delivered: count,
    failed: count,
    denylisted: count,
    deactivations: count,
    deactivatedAtEnd: count,
    droppedWhileInactive: count,
    eventsNeverFetched: count,
    answerText: text,
    hooks: z.array(z.object({ id: count, scope: text, state: text, deactivations: text, reactivations: text })),
  }),
  deadLetters: z.object({
    count,
    unexplained: count,
    /** Dead letters grouped by reason: held is justified by the spec's reject rule, notJustified counted as lost. */
    byReason: z.array(z.object({ reason: text, count, held: count, notJustified: count })),
    items: z.array(z.object({ at: text, key: text, spec: text, reason: text })), more: count }),
  alerts: z.object({ count, items: z.array(z.object({ at: text, severity: text, message: text })), more: count }),
  charts: z.array(chartSchema),
  scorecard: z.object({ answered: z.array(scorecardAnswerSchema), vendorOnly: z.array(z.object({ question: text, why: text })) }),
  fidelity: z.object({ faithful: z.boolean(), text, problems: z.array(z.object({ kind: text, text, fix: text })), warnings: z.array(text) }),
  notes: z.array(text),
  /** The capacity and cost-of-ownership report of the same run (relative links; '' when not rendered). */
  tco: z.object({ html: text, md: text, summary: text }),
  junit: z.object({
    suiteName: text,
    tests: count,
    failures: count,
    errors: count,
    skipped: count,
    timeSeconds: text,
    timestamp: text,
    /** An error test case when the run produced no verdict or was not faithful, so CI never reads it as a clean pass. */
    runError: z.object({ type: text, message: text, detail: text }).nullable(),
  }),
});
export type UatReport = z.infer<typeof uatReportSchema>;
