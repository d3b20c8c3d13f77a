/**
 * Findings classified by the failure patterns of DESIGN.md section 4, each with the record IDs
 * (or hooks, or requests) that show it. Every record that went wrong is attributed to at most one
 * pattern, the most specific one that explains it, in this order:
 *
 * 1. `payload-as-data`: the integration wrote the record without ever reading it from the API.
 * 2. `webhook-deactivation`: its events were dropped because the hook was off (and nothing
 *    backfilled it), or hooks were still off at the end.
 * 3. `mapping-drift`: it existed while a platform update had renamed a field the flow reads, and
 *    it was lost or corrupted on a field derived from the renamed one, without a dead letter.
 * 4. `rate-limit-breach`: a 429 was ignored, or the record was lost after a 429 on its reads.
 * 5. `silent-failure`: it failed visibly (the target refused it, or the spec rejects it) and the
 *    integration neither dead-lettered it nor raised an alert.
 *
 * `integration-crashed` comes before all of them: a record that appeared after the integration
 * exited or stopped answering is the crash's consequence, and blaming it on another pattern would
 * send the vendor after the wrong bug.
 */
import type { NormalizedReports } from './dead-letters.ts';
import { previewValue } from './diff-records.ts';
import type { FetchCoverage } from './fetch-coverage.ts';
import type { ApiCall, LedgerIndex } from './ledger-index.ts';
import type { RateLimitAnalysis } from './rate-limits.ts';
import type { StreamRecordResult, StreamResult } from './verify-stream.ts';
import type { IntegrationHealth } from './integration-health.ts';
import type { WebhookHealth } from './webhook-health.ts';

export const PATTERNS = ['integration-crashed', 'webhook-deactivation', 'payload-as-data', 'rate-limit-breach', 'mapping-drift', 'silent-failure'] as const;
export type Pattern = (typeof PATTERNS)[number];

export const PATTERN_TITLES: Record<Pattern, string> = {
  'integration-crashed': 'Integration exited or stopped answering during the run',
  'webhook-deactivation': 'Webhook deactivation left unnoticed',
  'payload-as-data': 'Light webhook payload treated as the data',
  'rate-limit-breach': 'Rate limit breached under load',
  'mapping-drift': 'Field mapping broken by a platform update',
  'silent-failure': 'Errors swallowed (no dead letter, no alert)',
};

/** What each pattern means, for reports (DESIGN.md section 4). */
export const PATTERN_WHY: Record<Pattern, string> = {
  'integration-crashed': 'An integration that dies under load stops syncing everything at once; a production deployment needs it to stay up, or a supervisor that restarts it and a backfill of what it missed.',
  'webhook-deactivation': 'After the last retry the platform deactivates a hook; without a health monitor, re-registration and a backfill, every later event is lost.',
  'payload-as-data': 'Webhooks carry only the record id; the data must be read from the API, or the target gets incomplete or stale records.',
  'rate-limit-breach': 'The quota is shared per store; a client that ignores 429s and the reset time drops records and starves other apps.',
  'mapping-drift': 'A renamed field mapped to empty corrupts the target quietly until someone notices.',
  'silent-failure': 'A failure nobody hears about is found by the customer; failed records belong in a dead-letter queue with the reason, and someone must be alerted.',
};

export interface Evidence {
  ref: string;
  detail: string;
  at?: number;
}

export interface Finding {
  pattern: Pattern;
  /** A criteria flow: orders, marketing, customers, returns or platform. */
  flow: string;
  stream?: string;
  count: number;
  summary: string;
  evidence: Evidence[];
}

export interface FindingsInput {
  streams: readonly StreamResult[];
  ledger: LedgerIndex;
  calls: readonly ApiCall[];
  rateLimits: RateLimitAnalysis;
  webhooks: WebhookHealth;
  fetches: FetchCoverage;
  reports: NormalizedReports;
  /** True when the integration had hooks for this scope at that time and every one was off. */
  hooksOffAt: (at: number, scope: string) => boolean;
  formatTime: (ms: number) => string;
  /** Whether the integration stayed up; records after its death are attributed to the crash. */
  health?: IntegrationHealth;
}

const sourceResourceOf = (s: StreamResult): string => (s.stream.source.kind === 'resource' ? s.stream.source.resource : 'cart');

function idsWith429(calls: readonly ApiCall[]): Map<string, ApiCall> {
  const out = new Map<string, ApiCall>();
  for (const c of calls) {
    if (c.status !== 429) continue;
    const m = /\/v2\/orders\/(\d+)/.exec(c.path);
    if (m && !out.has(m[1]!)) out.set(m[1]!, c);
  }
  return out;
}

export function classifyFindings(input: FindingsInput): Finding[] {
  const { streams, ledger, rateLimits, webhooks, fetches, reports, formatTime } = input;
  const t = formatTime;
  const findings = new Map<string, Finding>();
  const add = (pattern: Pattern, flow: string, evidence: Evidence, stream?: string) => {
    const key = `${pattern} ${flow} ${stream ?? ''}`;
    let f = findings.get(key);
    if (!f) findings.set(key, (f = { pattern, flow, ...(stream ? { stream } : {}), count: 0, summary: '', evidence: [] }));
    f.count++;
    f.evidence.push(evidence);
  };

  // Events dropped while the hook was off, by the record they named.
  const droppedHashes = new Set(webhooks.droppedWhileInactive.map((d) => d.hash));
  const droppedIds = new Set(ledger.events.filter((e) => droppedHashes.has(e.hash) && e.resourceId !== undefined).map((e) => `${e.type}:${e.resourceId}`));
  // Records whose events reached the integration at least once; the others only ever failed.
  const hookIds = new Set(webhooks.hooks.map((h) => h.id));
  const deliveredHashes = new Set(ledger.attempts.filter((a) => a.outcome === 'delivered' && hookIds.has(a.hookId)).map((a) => a.hash));
  const deliveredIds = new Set(ledger.events.filter((e) => deliveredHashes.has(e.hash) && e.resourceId !== undefined).map((e) => `${e.type}:${e.resourceId}`));
  const undeliveredIds = new Set(ledger.events.filter((e) => e.hookIds.some((h) => hookIds.has(h)) && e.resourceId !== undefined && !deliveredIds.has(`${e.type}:${e.resourceId}`)).map((e) => `${e.type}:${e.resourceId}`));
  const throttled = idsWith429(input.calls);
  const failuresSeen = { count: 0 };
  const died = input.health?.died;
  if (died) {
    add('integration-crashed', 'platform', { ref: 'integration', at: died.at, detail: `The integration ${died.text} at ${t(died.at)}; everything after that went unsynced.` });
  }
  // A record that appeared after the death and never arrived: the crash's consequence.
  const afterDeath = (s: StreamResult, r: StreamRecordResult): boolean => {
    if (!died || r.createdAt < died.at || r.outcome !== 'lost') return false;
    add('integration-crashed', s.stream.flow, { ref: `${s.stream.noun} ${r.sourceId}`, at: r.createdAt, detail: `${s.stream.source.kind === 'published' ? 'published' : 'placed'} ${t(r.createdAt)}, after the integration ${died.kind === 'exited' ? 'exited' : 'stopped answering'}; it never reached the ${s.stream.target.system}.` }, s.stream.id);
    return true;
  };

  for (const s of streams) {
    if (!s.available || !s.covered) continue;
    if (s.stream.source.kind === 'published') {
      storeStreamFindings(s, input.calls, t, add, failuresSeen, afterDeath);
      continue;
    }
    const resource = sourceResourceOf(s);
    const noun = s.stream.noun;
    for (const r of s.records) {
      const ref = `${noun} ${r.sourceId}`;
      const target = `${s.stream.target.system} ${s.stream.target.resource} ${r.targetKey}`;
      if (afterDeath(s, r)) continue;
      if (r.firstAttemptAt !== undefined && !fetches.read(resource, r.sourceId, r.createdAt, r.firstAttemptAt)) {
        const fields = r.firstAttemptFields ? ` carrying ${r.firstAttemptFields.length} field(s) (${r.firstAttemptFields.slice(0, 6).join(', ')}${r.firstAttemptFields.length > 6 ? ', …' : ''})` : '';
        add('payload-as-data', s.stream.flow, { ref, at: r.firstAttemptAt, detail: `${target} was first written at ${t(r.firstAttemptAt)}${fields}, but the integration never read ${ref} from the API before that${r.rejected.length > 0 ? `; the target refused it (${r.rejected[0]!.status}: ${r.rejected[0]!.errors.slice(0, 200) || 'no reason'})` : ''}.` }, s.stream.id);
        continue;
      }
      if (r.outcome !== 'lost' && r.outcome !== 'corrupted') continue;
      if (r.outcome === 'lost' && droppedIds.has(`${resource}:${r.sourceId}`)) {
        add('webhook-deactivation', s.stream.flow, { ref, at: r.createdAt, detail: `placed ${t(r.createdAt)}, never reached the ${s.stream.target.system}: its webhook was dropped because the hook was deactivated, and nothing backfilled it.` }, s.stream.id);
        continue;
      }
      if (r.outcome === 'lost' && input.hooksOffAt(r.createdAt, `store/${resource}/created`)) {
        add('webhook-deactivation', s.stream.flow, { ref, at: r.createdAt, detail: `placed ${t(r.createdAt)} while the integration's hooks were deactivated, so no webhook was sent; it never reached the ${s.stream.target.system} and nothing backfilled it.` }, s.stream.id);
        continue;
      }
      if (r.outcome === 'lost' && webhooks.deactivations > 0 && undeliveredIds.has(`${resource}:${r.sourceId}`)) {
        add('webhook-deactivation', s.stream.flow, { ref, at: r.createdAt, detail: `placed ${t(r.createdAt)}, never reached the ${s.stream.target.system}: every delivery of its webhook failed until the hook was deactivated, and nothing backfilled it.` }, s.stream.id);
        continue;
      }
      if (r.driftBroken) {
        const diff = r.diffs?.[0];
        add('mapping-drift', s.stream.flow, {
          ref,
          at: r.createdAt,
          detail:
            r.outcome === 'lost'
              ? `placed ${t(r.createdAt)}, after the platform renamed ${s.renames.map((x) => `${x.resource}.${x.from} → ${x.to}`).join(', ')}; never reached the ${s.stream.target.system} and was not dead-lettered.`
              : `${target}: ${diff ? `${diff.field} is ${previewValue(diff.actual)}, ground truth says ${previewValue(diff.expected)}` : 'differs from ground truth'} after the platform renamed ${s.renames.map((x) => `${x.resource}.${x.from} → ${x.to}`).join(', ')}.`,
        }, s.stream.id);
        continue;
      }
      if (r.outcome === 'lost' && resource === 'order' && throttled.has(r.sourceId)) {
        const call = throttled.get(r.sourceId)!;
        add('rate-limit-breach', s.stream.flow, { ref, at: call.at, detail: `lost after a 429 on ${call.method} ${stripStore(call.path)} at ${t(call.at)}: dropped instead of retried after the reset time.` }, s.stream.id);
        continue;
      }
      if (r.outcome === 'lost' && !r.deadLetter && (r.rejected.length > 0 || r.disposition === 'dead-letter')) {
        failuresSeen.count++;
        const why =
          r.rejected.length > 0
            ? `the target answered ${r.rejected[0]!.status} (${r.rejected[0]!.errors || 'no reason given'})`
            : `the mapping spec rejects it (${(r.specErrors ?? []).slice(0, 2).map((e) => `${e.field}: ${e.message}`).join('; ')})`;
        add('silent-failure', s.stream.flow, { ref, at: r.rejected[0]?.at ?? r.createdAt, detail: `failed: ${why}; the integration neither dead-lettered it nor raised an alert about it.` }, s.stream.id);
      }
    }
  }

  for (const e of rateLimits.events.filter((x) => !x.respected)) {
    const v = e.violations[0]!;
    add('rate-limit-breach', 'platform', {
      ref: `429 at ${t(e.at)}`,
      at: e.at,
      detail: `A 429 on ${stripStore(e.path)} said to wait ${(e.resetMs / 1000).toFixed(1)} s; the integration sent ${e.violations.length} more request(s) before the window reset, the first ${((v.at - e.at) / 1000).toFixed(1)} s later (${v.method} ${stripStore(v.path)} → ${v.status}).`,
    });
  }
  for (const h of webhooks.hooks.filter((x) => !x.activeAtEnd && !x.deletedAtEnd)) {
    const last = h.deactivations.at(-1);
    add('webhook-deactivation', 'platform', {
      ref: `hook ${h.id}`,
      ...(last ? { at: last.at } : {}),
      detail: `Hook ${h.id} (${h.scope}) was ${last ? `deactivated at ${t(last.at)} (${last.reason})` : 'inactive'} and was still off when the run ended: no health monitor re-enabled or replaced it.`,
    });
  }
  if (failuresSeen.count > 0 && reports.alerts.length === 0 && reports.deadLetters.length === 0) {
    add('silent-failure', 'platform', { ref: 'alerts', detail: `${failuresSeen.count} record(s) failed and the integration sent nothing to ALERT_URL: no alert, no dead letter.` });
  }

  const list = [...findings.values()];
  for (const f of list) f.summary = summarize(f);
  return list.sort((a, b) => PATTERNS.indexOf(a.pattern) - PATTERNS.indexOf(b.pattern) || a.flow.localeCompare(b.flow));
}

/**
 * A flow into the store reads a connected system's feed, not the API, so only two patterns can
 * explain a change that never arrived: the integration's writes of the flow were refused with a
 * 429 after the change and it gave up (rate-limit breach), or they were refused otherwise and
 * nothing was reported (silent failure).
 */
function storeStreamFindings(
  s: StreamResult,
  calls: readonly ApiCall[],
  t: (ms: number) => string,
  add: (pattern: Pattern, flow: string, evidence: Evidence, stream?: string) => void,
  failuresSeen: { count: number },
  afterDeath: (s: StreamResult, r: StreamRecordResult) => boolean,
): void {
  const writes = calls.filter((c) => c.method !== 'GET' && s.stream.store!.writes.test(c.path));
  for (const r of s.records) {
    if (r.outcome !== 'lost' || afterDeath(s, r)) continue;
    const ref = `${s.stream.noun} ${r.sourceId}`;
    const throttled = writes.find((c) => c.at >= r.createdAt && c.status === 429);
    if (throttled) {
      add('rate-limit-breach', s.stream.flow, { ref, at: throttled.at, detail: `published ${t(r.createdAt)}, never reached the store: the integration's ${throttled.method} ${stripStore(throttled.path)} got a 429 at ${t(throttled.at)} and the change was not written after the reset.` }, s.stream.id);
      continue;
    }
    const refused = writes.find((c) => c.at >= r.createdAt && c.status >= 400);
    if (!r.deadLetter && (refused || r.disposition === 'dead-letter')) {
      failuresSeen.count++;
      const why = refused ? `the store answered ${refused.status} to ${refused.method} ${stripStore(refused.path)} at ${t(refused.at)}` : `the mapping spec rejects it (${(r.specErrors ?? []).slice(0, 2).map((e) => `${e.field}: ${e.message}`).join('; ')})`;
      add('silent-failure', s.stream.flow, { ref, at: refused?.at ?? r.createdAt, detail: `failed: ${why}; the integration neither dead-lettered it nor raised an alert about it.` }, s.stream.id);
    }
  }
}

export function stripStore(path: string): string {
  return path.replace(/^\/stores\/[^/]+/, '');
}

function summarize(f: Finding): string {
  switch (f.pattern) {
    case 'integration-crashed':
      return f.flow === 'platform' ? (f.evidence[0]?.detail ?? 'The integration died during the run.') : `${f.count} record(s) appeared after the integration died and never arrived.`;
    case 'payload-as-data':
      return `${f.count} record(s) were written without being read from the API first.`;
    case 'webhook-deactivation':
      return f.flow === 'platform' ? `${f.count} hook(s) were left deactivated at the end of the run.` : `${f.count} record(s) were lost while a hook was deactivated.`;
    case 'mapping-drift':
      return `${f.count} record(s) broke silently after a platform field rename.`;
    case 'rate-limit-breach':
      return f.flow === 'platform' ? `${f.count} time(s) the quota ran out, the integration sent more requests before the window reset.` : `${f.count} record(s) were dropped after a 429.`;
    case 'silent-failure':
      return f.flow === 'platform' ? 'Failures happened and nothing was sent to ALERT_URL.' : `${f.count} failed record(s) were neither dead-lettered nor alerted.`;
    default:
      return f.pattern satisfies never;
  }
}

export type { StreamRecordResult };
