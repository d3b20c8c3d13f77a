/**
 * The partner scorecard: the questions a buyer should ask an integration vendor (DESIGN.md
 * section 1, use 3), answered with what this run measured, and the questions only the vendor can
 * answer. An answer is rated `not-shown` when the run did not provoke the situation (no 429, no
 * deactivation, no failed record), so a quiet run is never read as a proven capability.
 */
import { figuresFromMeasures, formatPerOrder, formatShare, quotaContact, quotaContactText } from '../../verify/figures.ts';
import type { Verification } from '../../verify/verify-run.ts';

export interface ScorecardAnswer {
  question: string;
  answer: string;
  rating: 'good' | 'concern' | 'not-shown';
  ratingText: string;
  evidence: string[];
}

const RATING_TEXT = { good: 'Shown in this run', concern: 'Concern', 'not-shown': 'Not provoked by this run' } as const;
const pct = formatShare;

/**
 * Above this share of a window the integration leaves too little for the store's other apps: the
 * default acceptance criterion's limit (quota-headroom, peak window use at most 80%).
 */
export const HEADROOM_SHARE = 0.8;

/** A scenario's name as the run records it: `flash-sale-10x`, also from `scenarios/flash-sale-10x.js`. */
function scenarioKey(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).replace(/\.js$/i, '').trim().toLowerCase();
}

/**
 * Which scenario to run to provoke what this run did not, never the one just run: advising
 * flash-sale-10x inside a flash-sale-10x run sends the reader round in a circle. When every
 * candidate was the run itself, the advice is to look at why it did not provoke it.
 */
export function adviseScenarios(candidates: readonly string[], current: string, purpose: string): string {
  const others = candidates.filter((c) => scenarioKey(c) !== scenarioKey(current));
  if (others.length > 0) {
    const list = others.length === 1 ? others[0]! : `${others.slice(0, -1).join(', ')} or ${others.at(-1)!}`;
    return `run ${list} to ${purpose}`;
  }
  return `this run already was ${current}, the scenario for that, and it did not happen: check its --volume-scale (and --quota scaled with it), --time-scale and drain time`;
}

export function buildScorecard(v: Verification, context: { scenario: string; formatTime: (ms: number) => string }): { answered: ScorecardAnswer[]; vendorOnly: { question: string; why: string }[] } {
  const t = context.formatTime;
  const m = v.measures;
  const answer = (question: string, rating: ScorecardAnswer['rating'], text: string, evidence: string[]): ScorecardAnswer => ({ question, answer: text, rating, ratingText: RATING_TEXT[rating], evidence: evidence.slice(0, 8) });
  const orders = v.streams.find((s) => s.stream.id === 'orders');
  const lostAll = v.streams.filter((s) => s.covered).reduce((sum, s) => sum + (s.measures.lost ?? 0), 0);
  const failedRecords = v.streams.filter((s) => s.covered).flatMap((s) => s.records.filter((r) => r.rejected.length > 0 || r.disposition === 'dead-letter'));

  const rate = (() => {
    const q = 'How does the integration handle API rate limits?';
    // The shared figures (src/verify/figures.ts), so this answer and both reports print one number.
    const f = figuresFromMeasures(m);
    const limited = f.quota429s ?? v.rateLimits.limited;
    const ignored = f.ignored429s ?? v.rateLimits.ignored;
    const share = f.peakWindowShare;
    const contact = { quota429s: limited, peakWindowShare: share };
    const evidence = [
      `${limited} 429(s) received in ${v.rateLimits.events.length} run-out(s) of the quota; ${ignored} of the 429s not followed by waiting the reset time`,
      `peak use of one 30-second window: ${pct(share)} of the run's quota (${v.quota?.perWindow ?? 'unlimited'} requests a window)`,
      `${f.requests ?? v.requests.total} API requests; ${f.requestsPerOrder === null ? 'no order synced' : `${formatPerOrder(f.requestsPerOrder)} per order that reached the ERP`}`,
      ...v.rateLimits.events.filter((e) => !e.respected).slice(0, 3).map((e) => `ignored: 429 at ${t(e.at)}, next request ${((e.violations[0]!.at - e.at) / 1000).toFixed(2)} s later (reset ${(e.resetMs / 1000).toFixed(1)} s)`),
    ];
    if (ignored > 0) return answer(q, 'concern', `It kept sending after ${ignored} 429(s) before the window reset, which is how records get dropped and other apps starved.`, evidence);
    if ((share ?? 0) > HEADROOM_SHARE) {
      const waited = limited > 0 ? `It waited after each of its ${limited} 429(s)` : 'It got no 429';
      return answer(q, 'concern', `${waited}, but used up to ${pct(share)} of a window (more than ${pct(HEADROOM_SHARE)}), leaving little for other apps on the store.`, evidence);
    }
    if (quotaContact(contact) !== 'ran-into') {
      const said = quotaContactText(contact);
      return answer(q, 'not-shown', `${said[0]!.toUpperCase()}${said.slice(1)}; its 429 handling was not tested in this run; ${adviseScenarios(['flash-sale-10x', 'doorbuster', 'competing-apps'], context.scenario, 'provoke it')}.`, evidence);
    }
    return answer(q, 'good', `Every one of its ${limited} 429(s) was followed by waiting the reset time, and peak use stayed at ${pct(share)} of a window.`, evidence);
  })();

  const hooks = (() => {
    const q = 'How are webhook deactivation and delivery failures monitored?';
    const w = v.webhooks;
    const evidence = [
      `${w.delivered} deliveries answered, ${w.failed} failed${w.denylisted > 0 ? `, ${w.denylisted} held back while the destination was denylisted` : ''}`,
      `${w.deactivations} deactivation(s); ${w.hooks.reduce((s, h) => s + h.reactivations.length, 0)} re-enable(s); ${w.deactivatedAtEnd} hook(s) still off at the end`,
      `${w.droppedWhileInactive.length} event(s) dropped while a hook was off`,
      ...w.hooks.filter((h) => h.deactivations.length > 0).slice(0, 3).map((h) => `hook ${h.id} (${h.scope}): deactivated ${t(h.deactivations[0]!.at)}${h.reactivations.length > 0 ? `, re-enabled ${t(h.reactivations[0]!)}` : ', never re-enabled'}`),
    ];
    if (w.deactivatedAtEnd > 0) return answer(q, 'concern', `${w.deactivatedAtEnd} hook(s) were deactivated by the platform and still off at the end: nothing noticed.`, evidence);
    if (w.deactivations > 0) {
      // "Re-enabled" only when the ledger shows re-enablings; a hook deleted and registered anew is not one.
      const reenabled = w.hooks.reduce((s, h) => s + h.reactivations.length, 0);
      const back = reenabled > 0 ? `re-enabled ${reenabled} time(s)` : 'none was left off at the end';
      return answer(q, lostAll > 0 ? 'concern' : 'good', `Its hooks were deactivated ${w.deactivations} time(s) and ${back}${lostAll > 0 ? `, but ${lostAll} record(s) were never backfilled` : ', and no record was lost'}.`, evidence);
    }
    if (w.failed > 0) return answer(q, 'not-shown', `${w.failed} deliveries failed but no hook was deactivated, so the health monitor was not tested; ${adviseScenarios(['webhook-outage'], context.scenario, 'provoke a deactivation')}.`, evidence);
    return answer(q, 'not-shown', `No delivery failed and no hook was deactivated in this run; ${adviseScenarios(['webhook-outage'], context.scenario, 'see how it recovers')}.`, evidence);
  })();

  const failures = (() => {
    const q = 'Where do failed records go?';
    const evidence = [
      `${v.reports.deadLetters.length} dead letter(s) reported (to ALERT_URL or in its exported queue; ${v.reports.unexplained.length} without a reason), ${v.reports.alerts.length} alert(s)`,
      `${failedRecords.length} record(s) failed visibly (refused by a target or rejected by the mapping spec); ${lostAll} record(s) lost without a trace`,
      ...v.reports.deadLetters.slice(0, 3).map((d) => `dead letter ${d.key}: ${d.reason.slice(0, 140) || '(no reason)'}`),
    ];
    if (lostAll > 0) return answer(q, 'concern', `${lostAll} record(s) never reached their target and were not reported as dead letters.`, evidence);
    if (v.reports.unexplained.length > 0) return answer(q, 'concern', `${v.reports.unexplained.length} dead letter(s) carry no reason, so nobody can fix them.`, evidence);
    if (failedRecords.length === 0 && v.reports.deadLetters.length === 0) return answer(q, 'not-shown', `No record failed in this run; ${adviseScenarios(['worst-case-orders', 'erp-degraded'], context.scenario, 'see failures handled')}.`, evidence);
    return answer(q, 'good', `Every failed record was reported as a dead letter with its reason${v.reports.alerts.length > 0 ? ', and alerts were raised' : ''}.`, evidence);
  })();

  const peak = (() => {
    const q = 'Does peak volume hold?';
    const o = orders?.measures;
    const evidence = o
      ? [
          `${o.expected} order(s) had to reach the ERP: ${o.correct} arrived field for field, ${o.corrupted} corrupted, ${o.lost} lost, ${o.deadLettered} dead-lettered, ${o.duplicated} duplicate(s)`,
          `sync latency p50 ${fmtS(o.syncLatencyP50Seconds)}, p95 ${fmtS(o.syncLatencyP95Seconds)}, p95 in the busiest hour ${fmtS(o.syncLatencyPeakP95Seconds)}, slowest ${fmtS(o.syncLatencyMaxSeconds)} (simulated)`,
        ]
      : ['the orders stream was not checked'];
    if (!o || o.expected === 0) return answer(q, 'not-shown', 'No order had to reach the ERP in this run.', evidence);
    const latencyOk = v.criteria.filter((c) => c.measure.startsWith('orders.syncLatency')).every((c) => c.status !== 'failed');
    if ((o.lost ?? 0) > 0 || (o.corrupted ?? 0) > 0 || (o.duplicated ?? 0) > 0 || !latencyOk) return answer(q, 'concern', `Under ${context.scenario} orders were ${[(o.lost ?? 0) > 0 ? 'lost' : '', (o.corrupted ?? 0) > 0 ? 'corrupted' : '', (o.duplicated ?? 0) > 0 ? 'duplicated' : '', !latencyOk ? 'late' : ''].filter(Boolean).join(', ')}.`, evidence);
    return answer(q, 'good', `Under ${context.scenario} every order reached the ERP intact within the latency limit.`, evidence);
  })();

  const drift = (() => {
    const q = 'What happens when BigCommerce renames a field?';
    const renames = m['mapping.renames'] ?? 0;
    const broken = m['mapping.silentlyEmptied'] ?? 0;
    const evidence = [`${renames} platform rename(s) during the run; ${broken} record(s) broken silently by them`];
    if (renames === 0) return answer(q, 'not-shown', `No field was renamed in this run; ${adviseScenarios(['api-drift'], context.scenario, 'see it')}.`, evidence);
    if (broken > 0) return answer(q, 'concern', `${broken} record(s) went wrong without a dead letter after the rename.`, evidence);
    return answer(q, 'good', 'After the rename no record went wrong silently: affected records were held and reported.', evidence);
  })();

  return {
    answered: [rate, hooks, failures, peak, drift],
    vendorOnly: [
      { question: 'What is the mapping scope: which fields, custom fields and flows beyond these specs, and who maintains the mapping when either side changes?', why: 'The run checks the shipped mapping specs; what the contract covers is an agreement, not a behaviour.' },
      { question: 'What is the support window and the response time when an integration fails at night or on a sale day?', why: 'Support hours and escalation are commitments; a test run cannot observe them.' },
      { question: 'How does the licence price grow with order volume, stores and connected systems over three years?', why: 'The run measures calls per order and quota use (see the cost-of-ownership report); the price list is the vendor\'s.' },
      { question: 'Who owns the integration code and the mapping configuration, and can they be taken in-house or escrowed?', why: 'Ownership and exit terms are contractual.' },
    ],
  };
}

export function fmtS(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  if (v >= 3600) return `${(v / 3600).toFixed(1)} h`;
  if (v >= 120) return `${(v / 60).toFixed(1)} min`;
  return `${v.toFixed(1)} s`;
}
