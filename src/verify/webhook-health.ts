/**
 * Webhook health at the end of the run, from the ledger: the integration's hooks (by its client
 * id), every delivery attempt to them, deactivations after the retry ladder ran out
 * (bigcommerce-facts.md section c: "after the final retry the webhook is deactivated"), whether
 * the integration re-enabled or re-created them, events dropped while a hook was off, and events
 * that were delivered but whose record the integration never read afterwards.
 */
import type { FetchCoverage } from './fetch-coverage.ts';
import { hookStateAt, type LedgerIndex } from './ledger-index.ts';
import { percentile } from './percentile.ts';

export interface HookReport {
  id: number;
  scope: string;
  destination: string;
  activeAtEnd: boolean;
  deletedAtEnd: boolean;
  deactivations: { at: number; reason: string }[];
  reactivations: number[];
}

export interface WebhookHealth {
  hooks: HookReport[];
  delivered: number;
  failed: number;
  denylisted: number;
  deactivations: number;
  /** The integration's hooks still inactive when the run ended. */
  deactivatedAtEnd: number;
  /** Scopes the integration had a hook for that no active hook covered at the end. */
  scopesUncoveredAtEnd: string[];
  droppedWhileInactive: { at: number; hookId: number; scope: string; hash: string }[];
  /** Order events delivered to the integration whose order it never read afterwards. */
  eventsNeverFetched: { at: number; scope: string; resourceId: string }[];
  /** Attempts the harness itself failed to make (its delivery worker died under them). */
  harnessFailures: number;
  /** Real ms the receiver took to answer (p95), which sets how faithful the time scale is. */
  answerP95RealMs: number | null;
  /** Every delivery attempt to its hooks (for the deliveries chart). */
  timeline: { at: number; ok: boolean; denylisted: boolean }[];
}

const scopeCovers = (pattern: string, scope: string) => pattern === scope || (pattern.endsWith('/*') && scope.startsWith(pattern.slice(0, -1)));

export function analyzeWebhooks(ledger: LedgerIndex, clientId: string, endAt: number, fetches: FetchCoverage): WebhookHealth {
  const mine = [...ledger.hooks.values()].filter((h) => h.clientId === clientId && h.createdAt <= endAt);
  const ids = new Set(mine.map((h) => h.id));
  const hooks: HookReport[] = mine.map((h) => {
    const state = hookStateAt(h, endAt);
    return {
      id: h.id,
      scope: h.scope,
      destination: h.destination,
      activeAtEnd: state.exists && state.active && !state.deleted,
      deletedAtEnd: state.deleted,
      deactivations: h.deactivations.filter((d) => d.at <= endAt),
      reactivations: h.reactivations.filter((t) => t <= endAt),
    };
  });
  const attempts = ledger.attempts.filter((a) => ids.has(a.hookId));
  const deliveredHashes = new Set(attempts.filter((a) => a.outcome === 'delivered').map((a) => a.hash));
  const answerTimes = attempts.filter((a) => a.outcome === 'delivered' && a.durationMs !== undefined).map((a) => a.durationMs!);
  const activeScopes = hooks.filter((h) => h.activeAtEnd).map((h) => h.scope);
  const everScopes = [...new Set(hooks.filter((h) => h.deactivations.length > 0 || h.activeAtEnd || !h.deletedAtEnd).map((h) => h.scope))];
  const eventsNeverFetched = ledger.events
    .filter((e) => e.type === 'order' && e.resourceId !== undefined && e.at <= endAt && e.hookIds.some((id) => ids.has(id)) && deliveredHashes.has(e.hash))
    .filter((e) => !fetches.read('order', e.resourceId!, e.at, Infinity))
    .map((e) => ({ at: e.at, scope: e.scope, resourceId: e.resourceId! }));
  return {
    hooks,
    delivered: attempts.filter((a) => a.outcome === 'delivered').length,
    failed: attempts.filter((a) => !a.byHarness && (a.outcome === 'failed' || a.outcome === 'timeout' || a.outcome === 'network-error')).length,
    harnessFailures: attempts.filter((a) => a.byHarness).length,
    denylisted: attempts.filter((a) => a.outcome === 'denylisted').length,
    deactivations: hooks.reduce((s, h) => s + h.deactivations.length, 0),
    deactivatedAtEnd: hooks.filter((h) => !h.activeAtEnd && !h.deletedAtEnd).length,
    scopesUncoveredAtEnd: everScopes.filter((s) => !activeScopes.some((a) => scopeCovers(a, s))),
    droppedWhileInactive: ledger.dropped.filter((d) => ids.has(d.hookId) && d.reason === 'hook-inactive' && d.at <= endAt).map((d) => ({ at: d.at, hookId: d.hookId, scope: d.scope, hash: d.hash })),
    eventsNeverFetched,
    answerP95RealMs: answerTimes.length > 0 ? percentile(answerTimes, 95) : null,
    timeline: attempts.filter((a) => a.at <= endAt).map((a) => ({ at: a.at, ok: a.outcome === 'delivered', denylisted: a.outcome === 'denylisted' })),
  };
}
