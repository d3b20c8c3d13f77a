/**
 * The measures acceptance criteria can name (`orders.lost`, `api.rateLimitIgnored`, ...), all
 * computed from ground truth. The catalog is static so a scenario or config naming a measure the
 * verifier does not compute is refused before the run starts, not after an hour of load.
 */
import type { NormalizedReports } from './dead-letters.ts';
import { requestsPerOrder } from './figures.ts';
import { PATTERNS, type Finding, type Pattern } from './findings.ts';
import type { QuotaUse } from './quota-use.ts';
import type { RateLimitAnalysis } from './rate-limits.ts';
import { STREAM_MEASURES, streamIds } from './streams.ts';
import type { StreamResult } from './verify-stream.ts';
import type { WebhookHealth } from './webhook-health.ts';

export const patternMeasure = (p: Pattern): string => `findings.${p.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`;

export const PLATFORM_MEASURES: Record<string, string> = {
  'api.requests': 'Management API requests the integration made',
  'api.rateLimited': '429s the integration received because the quota ran out',
  'api.rateLimitIgnored': '429s not followed by waiting the reset time',
  'api.platformRateLimited': '429s without rate-limit headers (platform load)',
  'api.serverErrors': '5xx answers the integration received',
  'api.peakWindowShare': 'largest share of one 30-second window the integration used (0..1)',
  'api.peakWindowShareTotal': 'largest share of one window used by the integration and other apps together',
  'api.windowsExhausted': 'windows in which a request was refused',
  'api.callsPerSyncedOrder': "requests per order: all the integration's Management API requests over the run (setup, scheduled and order-driven, 429s included) per order synced to the ERP (src/verify/figures.ts)",
  'webhooks.delivered': 'deliveries the integration answered with a 2xx',
  'webhooks.failedDeliveries': 'deliveries that failed (non-2xx, timeout, network error)',
  'webhooks.deactivations': 'times one of its hooks was deactivated',
  'webhooks.deactivatedAtEnd': 'its hooks still deactivated at the end',
  'webhooks.scopesUncoveredAtEnd': 'scopes it had a hook for with no active hook at the end',
  'webhooks.droppedWhileInactive': 'events the platform dropped because the hook was off',
  'webhooks.eventsNeverFetched': 'order events delivered whose order was never read afterwards',
  'alerts.raised': 'alerts plus dead letters with a reason sent to ALERT_URL',
  'alerts.count': 'alerts (not dead letters) sent to ALERT_URL',
  'deadLetter.count': 'dead-letter reports sent to ALERT_URL',
  'deadLetter.unexplained': 'dead-letter reports without a reason',
  'mapping.renames': 'platform field renames during the run',
  'mapping.silentlyEmptied': 'records broken silently by a renamed field (lost without a dead letter, or corrupted on the renamed field)',
};

export const STREAM_MEASURE_TEXT: Record<(typeof STREAM_MEASURES)[number], string> = {
  expected: 'records that must reach the target',
  expectedDeadLetters: 'records the spec rejects, which must be dead-lettered',
  skipped: 'records the spec does not carry',
  inFlight: 'changes published at the very end of the run that had not arrived yet (not counted as lost)',
  synced: 'records the target accepted',
  correct: 'records equal to ground truth',
  lost: 'records neither in the target nor justly dead-lettered',
  deadLettered: "records the spec's reject rule refuses that were reported as dead letters",
  deadLetteredUnjustified: "records dead-lettered although the spec's reject rules accept them (counted as lost)",
  unsynced: 'records that must reach the target and did not',
  duplicated: 'duplicate records created in the target',
  corrupted: 'records that differ from ground truth',
  corruptedBeforeDrift: 'corrupted records created before a platform rename',
  late: 'records slower than the latency limit',
  rejectedByTarget: 'records the target refused at least once',
  unexpectedWrites: 'target records no source record of the run explains',
  syncLatencyP50Seconds: 'median simulated seconds from the record to the target',
  syncLatencyP95Seconds: 'p95 simulated seconds to the target',
  syncLatencyP99Seconds: 'p99 simulated seconds to the target',
  syncLatencyMaxSeconds: 'slowest record, simulated seconds',
  syncLatencyPeakP95Seconds: 'p95 simulated seconds of the records of the busiest hour',
};

export function measureCatalog(): string[] {
  return [
    ...streamIds.flatMap((s) => STREAM_MEASURES.map((m) => `${s}.${m}`)),
    ...Object.keys(PLATFORM_MEASURES),
    ...PATTERNS.map(patternMeasure),
  ];
}

export function describeMeasure(measure: string): string {
  if (PLATFORM_MEASURES[measure]) return PLATFORM_MEASURES[measure];
  const [stream, m] = measure.split('.') as [string, string];
  if ((STREAM_MEASURE_TEXT as Record<string, string>)[m]) return `${stream}: ${(STREAM_MEASURE_TEXT as Record<string, string>)[m]}`;
  const p = PATTERNS.find((x) => patternMeasure(x) === measure);
  return p ? `evidence items of the ${p} pattern` : measure;
}

export interface MeasureInput {
  streams: readonly StreamResult[];
  rateLimits: RateLimitAnalysis;
  webhooks: WebhookHealth;
  quota: QuotaUse | undefined;
  reports: NormalizedReports;
  findings: readonly Finding[];
  requests: number;
  serverErrors: number;
  renames: number;
}

export function computeMeasures(input: MeasureInput): Record<string, number | null> {
  const m: Record<string, number | null> = {};
  for (const s of input.streams) for (const [k, v] of Object.entries(s.measures)) m[`${s.stream.id}.${k}`] = s.available ? v : null;
  const syncedOrders = input.streams.find((s) => s.stream.id === 'orders')?.measures.synced ?? 0;
  Object.assign(m, {
    'api.requests': input.requests,
    'api.rateLimited': input.rateLimits.limited,
    'api.rateLimitIgnored': input.rateLimits.ignored,
    'api.platformRateLimited': input.rateLimits.platformLimited,
    'api.serverErrors': input.serverErrors,
    'api.peakWindowShare': input.quota ? input.quota.peakShare : null,
    'api.peakWindowShareTotal': input.quota ? input.quota.peakTotalShare : null,
    'api.windowsExhausted': input.quota ? input.quota.windowsExhausted : null,
    'api.callsPerSyncedOrder': requestsPerOrder({ requests: input.requests, ordersSynced: syncedOrders }),
    'webhooks.delivered': input.webhooks.delivered,
    'webhooks.failedDeliveries': input.webhooks.failed,
    'webhooks.deactivations': input.webhooks.deactivations,
    'webhooks.deactivatedAtEnd': input.webhooks.deactivatedAtEnd,
    'webhooks.scopesUncoveredAtEnd': input.webhooks.scopesUncoveredAtEnd.length,
    'webhooks.droppedWhileInactive': input.webhooks.droppedWhileInactive.length,
    'webhooks.eventsNeverFetched': input.webhooks.eventsNeverFetched.length,
    'alerts.raised': input.reports.alerts.length + input.reports.deadLetters.length - input.reports.unexplained.length,
    'alerts.count': input.reports.alerts.length,
    'deadLetter.count': input.reports.deadLetters.length,
    'deadLetter.unexplained': input.reports.unexplained.length,
    'mapping.renames': input.renames,
    'mapping.silentlyEmptied': input.streams.filter((x) => x.covered).reduce((s, x) => s + x.records.filter((r) => r.driftBroken).length, 0),
  });
  for (const p of PATTERNS) m[patternMeasure(p)] = input.findings.filter((f) => f.pattern === p).reduce((s, f) => s + f.count, 0);
  // A crash is counted once (it exited or stopped answering); the records it took down are its
  // evidence, and the lost criteria count them.
  m[patternMeasure('integration-crashed')] = input.findings.filter((f) => f.pattern === 'integration-crashed' && f.flow === 'platform').reduce((s, f) => s + f.count, 0);
  return m;
}
