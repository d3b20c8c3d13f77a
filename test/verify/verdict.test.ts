/**
 * The verdict rules in one table (src/verify/verdict.ts, criteria.ts invariants, fidelity.ts,
 * integration-health.ts): which failures stand on an unfaithful run, which make it inconclusive,
 * what the invariants add and how a waiver removes one, what counts as a dead integration.
 */
import { describe, expect, it } from 'vitest';
import { CriteriaError, invariantCriteria, resolveCriteria, type Criterion, type CriterionResult } from '../../src/verify/criteria.ts';
import { judgeFidelity, type FidelityInput } from '../../src/verify/fidelity.ts';
import { judgeIntegrationHealth, UNRESPONSIVE_MIN_FAILURES } from '../../src/verify/integration-health.ts';
import { indexLedger, type WebhookAttemptRecord } from '../../src/verify/ledger-index.ts';
import { decideVerdict, failureIsRobust, VERDICT_EXIT } from '../../src/verify/verdict.ts';
import { DRAIN_SETTLED_COVERS, timingBasis } from '../../src/verify/verify-run.ts';

const result = (measure: string, passed: boolean, id = measure): CriterionResult => ({ id, name: id, flow: 'orders', measure, op: '==', limit: 0, why: 'w', source: 'scenario', value: passed ? 0 : 1, status: passed ? 'passed' : 'failed', passed, evidence: [], evidenceTotal: 0 });
const unexercised = (measure: string, id: string, source: CriterionResult['source'] = 'default'): CriterionResult => ({ ...result(measure, false, id), source, value: 0, status: 'not-exercised', note: 'nothing to check' });
const busy = [{ kind: 'harness-lag' as const, text: 'late', fix: 'slower' }];
const complete = { drainComplete: true, deliveryFailuresProvoked: true };

describe('the verdict', () => {
  it.each([
    ['every criterion passed, faithful', [result('orders.lost', true)], [], 'pass'],
    ['a criterion failed, faithful', [result('orders.syncLatencyP95Seconds', false)], [], 'fail'],
    ['only a latency failed, not faithful', [result('orders.syncLatencyP95Seconds', false)], busy, 'inconclusive'],
    ['every criterion passed, not faithful', [result('orders.lost', true)], busy, 'inconclusive'],
    ['a corrupted record, not faithful', [result('orders.corrupted', false), result('orders.syncLatencyP95Seconds', false)], busy, 'fail'],
    ['a duplicate, not faithful', [result('orders.duplicated', false)], busy, 'fail'],
    ['a crash, not faithful', [result('findings.integrationCrashed', false)], busy, 'fail'],
    ['a record lost after a complete drain, not faithful', [result('orders.lost', false)], busy, 'fail'],
    ['an ignored 429, not faithful', [result('api.rateLimitIgnored', false)], busy, 'inconclusive'],
  ] as const)('%s: %s', (_name, criteria, problems, verdict) => {
    expect(decideVerdict({ interrupted: false, criteria, problems, robustness: complete }).verdict).toBe(verdict);
  });

  it('passes a faithful run whose exercised criteria all passed, and names the ones it did not exercise', () => {
    const criteria = [result('orders.lost', true, 'no-lost-orders'), result('orders.corrupted', true, 'no-corrupted-orders'), unexercised('api.rateLimitIgnored', 'honours-429'), unexercised('orders.syncLatencyPeakP95Seconds', 'order-latency')];
    const d = decideVerdict({ interrupted: false, criteria, problems: [], robustness: complete });
    expect(d.verdict).toBe('pass');
    expect(d.reason).toBe('All 2 acceptance criteria it exercised passed on a faithful run; 2 were not exercised (honours-429, order-latency).');
    expect(d.notExercised).toEqual(['honours-429', 'order-latency']);
    expect(decideVerdict({ interrupted: false, criteria: [result('orders.lost', true)], problems: [], robustness: complete }).reason).toBe('All 1 acceptance criteria passed on a faithful run.');
  });

  it("passes when a scenario's own 429 criterion saw no 429: pacing by the headers avoids them, which is the behaviour wanted", () => {
    const criteria = [result('orders.lost', true, 'no-lost-orders'), unexercised('api.rateLimitIgnored', 'honours-429', 'scenario'), unexercised('findings.rateLimitBreach', 'no-rate-limit-breach', 'pattern')];
    const d = decideVerdict({ interrupted: false, criteria, problems: [], robustness: complete });
    expect(d).toMatchObject({ verdict: 'pass', notExercised: ['honours-429', 'no-rate-limit-breach'] });
    expect(d.reason).toContain('2 were not exercised (honours-429, no-rate-limit-breach)');
  });

  it('never lets a not-exercised criterion hide a failure, and never counts it as passed', () => {
    const d = decideVerdict({ interrupted: false, criteria: [result('orders.lost', false, 'no-lost-orders'), unexercised('api.rateLimitIgnored', 'honours-429')], problems: [], robustness: complete });
    expect(d).toMatchObject({ verdict: 'fail', reason: '1 of 2 acceptance criteria failed; 1 was not exercised (honours-429).' });
    const busyRun = decideVerdict({ interrupted: false, criteria: [result('orders.lost', true), unexercised('api.rateLimitIgnored', 'honours-429')], problems: busy, robustness: complete });
    expect(busyRun.verdict).toBe('inconclusive');
    expect(busyRun.reason).toContain('(every criterion it exercised passed) neither clears nor blames the integration; 1 was not exercised (honours-429).');
  });

  it('is inconclusive when the run exercised none of its criteria: nothing was cleared', () => {
    const d = decideVerdict({ interrupted: false, criteria: [unexercised('api.rateLimitIgnored', 'honours-429')], problems: [], robustness: complete });
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toContain('None of the 1 acceptance criteria was exercised (honours-429)');
  });

  it('is interrupted, whatever was measured, when the run was stopped', () => {
    expect(decideVerdict({ interrupted: true, criteria: [result('orders.corrupted', false)], problems: [], robustness: complete }).verdict).toBe('interrupted');
  });

  it('does not count a lost record against the integration when the drain ran out of time on an unfaithful run', () => {
    expect(failureIsRobust('orders.lost', { drainComplete: false, deliveryFailuresProvoked: true })).toBe(false);
    expect(decideVerdict({ interrupted: false, criteria: [result('orders.lost', false)], problems: busy, robustness: { drainComplete: false, deliveryFailuresProvoked: true } }).verdict).toBe('inconclusive');
  });

  it('counts a record missing after a settled drain against the integration only for the flows that drain waited for', () => {
    const settled = { drainComplete: true, deliveryFailuresProvoked: true, drainCovers: DRAIN_SETTLED_COVERS };
    expect(failureIsRobust('orders.lost', settled)).toBe(true);
    expect(failureIsRobust('inventory.lost', settled)).toBe(true);
    // Credit memos are polled: the orders settling says nothing about them.
    expect(failureIsRobust('creditMemos.lost', settled)).toBe(false);
    expect(failureIsRobust('fulfillment.correct', settled)).toBe(false);
    // A drain that went quiet waited for everything.
    expect(failureIsRobust('creditMemos.lost', complete)).toBe(true);
    expect(decideVerdict({ interrupted: false, criteria: [result('creditMemos.lost', false)], problems: busy, robustness: settled }).verdict).toBe('inconclusive');
    // On a faithful run it fails whatever the drain covered.
    expect(decideVerdict({ interrupted: false, criteria: [result('creditMemos.lost', false)], problems: [], robustness: settled }).verdict).toBe('fail');
  });

  it('counts a deactivated hook as robust only when the scenario provoked every failed delivery', () => {
    expect(failureIsRobust('webhooks.deactivatedAtEnd', { drainComplete: true, deliveryFailuresProvoked: true })).toBe(true);
    expect(failureIsRobust('webhooks.deactivatedAtEnd', { drainComplete: true, deliveryFailuresProvoked: false })).toBe(false);
  });

  it('maps every verdict to its documented exit code', () => {
    expect(VERDICT_EXIT).toEqual({ pass: 0, fail: 1, inconclusive: 3, interrupted: 130 });
  });
});

describe('the invariants every run judges', () => {
  const scenarioOnly: Criterion[] = [{ id: 'no-lost-orders', name: 'n', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'w', source: 'scenario' }];
  const streams = [
    { id: 'orders' as const, covered: true, available: true, expected: 10 },
    { id: 'fulfillment' as const, covered: false, available: true, expected: 10 },
  ];

  it('adds corrupted, duplicated and at-least-one-correct on every flow the integration runs, and the crash check, next to what the scenario judges', () => {
    const added = invariantCriteria(streams, scenarioOnly, []);
    expect(added.map((c) => c.id)).toEqual(['no-integration-crashed', 'no-corrupted-orders', 'no-duplicated-orders', 'some-correct-orders']);
    expect(added.every((c) => c.source === 'invariant')).toBe(true);
  });

  it('leaves a flow the integration never ran alone, and demands no correct record where none had to arrive', () => {
    const added = invariantCriteria([{ id: 'orders', covered: true, available: true, expected: 0 }], [], []);
    expect(added.map((c) => c.id)).toEqual(['no-integration-crashed', 'no-lost-orders', 'no-corrupted-orders', 'no-duplicated-orders']);
  });

  it('drops one only for a waiver, by its id or by the measure of a waived criterion', () => {
    const waived = [{ criterion: { ...scenarioOnly[0]!, id: 'no-corrupted-orders', measure: 'orders.corrupted' }, reason: 'agreed' }];
    expect(invariantCriteria(streams, scenarioOnly, waived).map((c) => c.id)).not.toContain('no-corrupted-orders');
  });

  it('refuses a criterion that would loosen an invariant, and accepts a waiver of an invariant before the run shows it is needed', () => {
    expect(() => resolveCriteria({ config: { criteria: [{ id: 'some-loss-ok', name: 'n', flow: 'orders', measure: 'orders.lost', op: '<=', limit: 5, why: 'w' }] } })).toThrow(CriteriaError);
    expect(() => resolveCriteria({ config: { criteria: [{ id: 'some-loss-ok', name: 'n', flow: 'orders', measure: 'orders.lost', op: '<=', limit: 5, why: 'w' }] } })).toThrow(/waive "no-lost-orders"/);
    const { waived } = resolveCriteria({ config: { waive: [{ id: 'no-corrupted-fulfillment', reason: 'the 3PL rewrites addresses itself' }] } });
    expect(waived.map((w) => [w.criterion.id, w.reason])).toEqual([['no-corrupted-fulfillment', 'the 3PL rewrites addresses itself']]);
  });
});

describe('fidelity', () => {
  const base: FidelityInput = { timeScale: 300, windowMs: 30_000, receiverAnswerP95RealMs: 2, rateLimitGraceMs: 300, rateLimitToleranceMs: 300, rateLimited: 0, harnessLagP99RealMs: 1, load: { exitCode: 0, droppedIterations: 0, expectedOrders: 200, ordersPlaced: 200 }, malformedLines: 0 };

  it('finds nothing wrong with a run the harness kept up with', () => {
    expect(judgeFidelity(base)).toEqual([]);
  });

  it.each([
    ['dropped arrivals past the scenario allowance', { load: { ...base.load!, droppedIterations: 3 } }, 'dropped-arrivals'],
    ['a crossed load threshold', { load: { ...base.load!, exitCode: 99 } }, 'load-threshold'],
    ['a load more than 2% short', { load: { ...base.load!, ordersPlaced: 195 } }, 'load-short'],
    ['a receiver whose answer time is a tenth of a window once compressed', { receiverAnswerP95RealMs: 11 }, 'receiver-latency'],
    ['a harness that fell behind its clock', { harnessLagP99RealMs: 10.1 }, 'harness-lag'],
    ['429s judged at a scale where timer jitter is a large part of a window', { rateLimited: 3, rateLimitToleranceMs: 3_000 }, 'rate-limit-precision'],
    ['ground truth it could not read', { malformedLines: 1 }, 'unreadable-input'],
    ['a drain a real-time cap cut short with records outstanding', { drainCutShort: { waitedSimMs: 600_000, configuredSimMs: 1_800_000, outstanding: 14 } }, 'drain-cut-short'],
    ['webhook deliveries the harness failed to make', { harnessDeliveryFailures: 2 }, 'harness-delivery-failed'],
  ] as const)('names %s, with a fix', (_name, change, kind) => {
    const problems = judgeFidelity({ ...base, ...change } as FidelityInput);
    expect(problems.map((p) => p.kind)).toEqual([kind]);
    expect(problems[0]!.fix).toMatch(/\S/);
  });

  it('holds answer times against the tightest timing the criteria judge, and not at all when none is judged', () => {
    const c = (measure: string, limit: number): Criterion => ({ id: `c-${measure}`, name: 'n', flow: 'orders', measure, op: '<=', limit, why: 'w', source: 'scenario' });
    expect(timingBasis([c('orders.lost', 0), c('alerts.raised', 1)], 30_000)).toBeNull();
    expect(timingBasis([c('api.rateLimitIgnored', 0), c('orders.syncLatencyP95Seconds', 600)], 30_000)).toMatchObject({ budgetBasisMs: 30_000 });
    expect(timingBasis([c('orders.syncLatencyP95Seconds', 20)], 30_000)).toMatchObject({ budgetBasisMs: 20_000 });
    // A run judged only on what arrived: a slow receiver at a high scale cannot change its verdict.
    expect(judgeFidelity({ ...base, timing: null, receiverAnswerP95RealMs: 500, harnessLagP99RealMs: 100 })).toEqual([]);
    // The same answer times against a 10-minute latency limit at 300x: 150 s and 30 s are within a tenth of it.
    expect(judgeFidelity({ ...base, timing: { budgetBasisMs: 600_000, basis: 'x' }, receiverAnswerP95RealMs: 150, harnessLagP99RealMs: 100 })).toEqual([]);
    expect(judgeFidelity({ ...base, timing: { budgetBasisMs: 600_000, basis: 'x' }, receiverAnswerP95RealMs: 250 }).map((p) => p.kind)).toEqual(['receiver-latency']);
  });

  it("says a receiver that takes seconds to answer is doing its work first, and a fast one is not told so", () => {
    const slow = judgeFidelity({ ...base, timeScale: 10, receiverAnswerP95RealMs: 2_751.4 });
    expect(slow.map((p) => p.kind)).toEqual(['receiver-latency']);
    expect(slow[0]!.fix).toBe("Use --time-scale 1 or lower (or --time-scale auto). An answer of 2.8 s is the receiver's own work, not the harness's: the contract asks for the answer before the work (docs/integration-contract.md, section 5), and a receiver that does so can be compressed.");
    const busy = judgeFidelity({ ...base, receiverAnswerP95RealMs: 40 });
    expect(busy[0]!.fix).toBe('Use --time-scale 75 or lower (or --time-scale auto).');
  });

  it('tolerates the dropped arrivals the scenario itself allows (1%, at least one)', () => {
    expect(judgeFidelity({ ...base, load: { ...base.load!, droppedIterations: 2 } })).toEqual([]);
  });
});

describe("the integration's health", () => {
  const attempt = (at: number, outcome: WebhookAttemptRecord['outcome'], fault?: string): WebhookAttemptRecord => ({ at, hookId: 1, hash: `h${at}`, scope: 'store/order/created', outcome, ...(fault ? { fault } : {}) });
  const hookIds = new Set([1]);

  it('is dead from the moment it exited on its own', () => {
    expect(judgeIntegrationHealth({ exit: { at: 5_000, text: 'exited with code 1' }, attempts: [], hookIds, endAt: 10_000 }).died).toEqual({ kind: 'exited', at: 5_000, text: 'exited with code 1' });
  });

  it('is unresponsive when every delivery from some moment to the end failed to connect or timed out, without an injected fault', () => {
    const tail = Array.from({ length: UNRESPONSIVE_MIN_FAILURES }, (_, i) => attempt(2_000 + i, i % 2 ? 'timeout' : 'network-error'));
    const health = judgeIntegrationHealth({ attempts: [attempt(1_000, 'delivered'), ...tail], hookIds, endAt: 10_000 });
    expect(health.died).toMatchObject({ kind: 'unresponsive', at: 2_000 });
  });

  it('is alive when the failures were a provoked outage, or too few, or followed by a success', () => {
    const provoked = Array.from({ length: 8 }, (_, i) => attempt(2_000 + i, 'network-error', 'unreachable'));
    expect(judgeIntegrationHealth({ attempts: provoked, hookIds, endAt: 10_000 }).died).toBeUndefined();
    const few = Array.from({ length: UNRESPONSIVE_MIN_FAILURES - 1 }, (_, i) => attempt(2_000 + i, 'timeout'));
    expect(judgeIntegrationHealth({ attempts: few, hookIds, endAt: 10_000 }).died).toBeUndefined();
    const recovered = [...Array.from({ length: 8 }, (_, i) => attempt(2_000 + i, 'timeout')), attempt(3_000, 'delivered')];
    expect(judgeIntegrationHealth({ attempts: recovered, hookIds, endAt: 10_000 }).died).toBeUndefined();
  });
});

describe('delivery attempts the harness failed to make', () => {
  it('are told apart in the ledger index by their error, and a refused receiver is not one of them', () => {
    const line = (error: string) => ({ kind: 'webhook:attempt', at: '2026-12-07T00:00:00.000Z', hookId: 1, scope: 'store/order/created', hash: 'a'.repeat(40), attempt: 0, outcome: 'network-error', error, durationMs: 1 });
    const index = indexLedger([line('worker-exited'), line('deliver-closed'), line('ECONNREFUSED')]);
    expect(index.attempts.map((a) => a.byHarness ?? false)).toEqual([true, true, false]);
  });
});

