/**
 * The shared figure definitions (src/verify/figures.ts): what is divided by what, the parts that
 * add up to requests per order, the quota judgement at its boundaries, and the partner scorecard,
 * which reads them and never advises the scenario that was just run.
 */
import { describe, expect, it } from 'vitest';
import { adviseScenarios, buildScorecard } from '../../src/reports/uat/scorecard.ts';
import { describeMeasure } from '../../src/verify/measures.ts';
import {
  AT_LIMIT_SHARE,
  FIGURE_DEFINITIONS,
  figuresFromMeasures,
  formatPerOrder,
  formatShare,
  perSyncedOrder,
  quotaContact,
  quotaContactText,
  requestsPerOrder,
  requestsPerOrderParts,
} from '../../src/verify/figures.ts';
import { createTestRun, START } from './support/run-builder.ts';

describe('requests per order', () => {
  it('divides every request of the client by the orders synced to the ERP, and is none without a synced order', () => {
    expect(requestsPerOrder({ requests: 318, ordersSynced: 100 })).toBe(3.18);
    expect(requestsPerOrder({ requests: 318, ordersSynced: 0 })).toBeNull();
    expect(requestsPerOrder({ requests: 318, ordersSynced: null })).toBeNull();
    expect(perSyncedOrder(7, 2)).toBe(3.5);
    expect(FIGURE_DEFINITIONS.requestsPerOrder).toMatch(/client id over the whole run .*429s included.* ÷ the orders synced to the ERP/);
  });

  it('splits into one-off, scheduled and order-driven parts that add up to it', () => {
    const p = requestsPerOrderParts({ oneOff: 10, scheduled: 29, orderDriven: 24, ordersSynced: 101 });
    expect(p.total).toBeCloseTo(63 / 101, 15);
    expect(p.oneOff! + p.scheduled! + p.orderDriven!).toBeCloseTo(p.total!, 15);
  });

  it('is what the verifier measures as api.callsPerSyncedOrder, and what every report reads back', () => {
    const run = createTestRun();
    const ids = run.place('typical', 4);
    run.request('GET', '/stores/stest/v3/hooks', 200);
    run.advance(10_000);
    for (const id of ids) run.syncToErp(id);
    const v = run.verify();
    expect(v.measures['api.callsPerSyncedOrder']).toBe(requestsPerOrder({ requests: v.requests.total, ordersSynced: 4 }));
    expect(v.measures['api.callsPerSyncedOrder']).toBe(5 / 4);
    expect(figuresFromMeasures(v.measures).requestsPerOrder).toBe(1.25);
    expect(describeMeasure('api.callsPerSyncedOrder')).toContain('per order synced to the ERP');
  });

  it('prints two decimals everywhere, and shares with the UAT report\'s rounding', () => {
    expect(formatPerOrder(3.175)).toBe('3.17');
    expect(formatPerOrder(5.6)).toBe('5.60');
    expect(formatPerOrder(null)).toBe('n/a');
    expect(formatShare(0.8)).toBe('80%');
    expect(formatShare(0.8049)).toBe('80.5%');
    expect(formatShare(null)).toBe('n/a');
  });

  it('reads the other shared figures from the verifier\'s measures', () => {
    const f = figuresFromMeasures({
      'api.requests': 63,
      'orders.synced': 101,
      'orders.expected': 100,
      'orders.expectedDeadLetters': 3,
      'api.rateLimited': 2,
      'api.platformRateLimited': 1,
      'api.rateLimitIgnored': 0,
      'api.peakWindowShare': 0.8,
      'api.peakWindowShareTotal': 0.9,
      'webhooks.delivered': 300,
      'webhooks.failedDeliveries': 2,
    });
    expect(f).toMatchObject({ requests: 63, ordersPlaced: 103, ordersSynced: 101, quota429s: 2, platform429s: 1, peakWindowShare: 0.8, peakWindowShareAllApps: 0.9, webhookDeliveries: 302 });
    expect(f.requestsPerOrder).toBeCloseTo(63 / 101, 15);
  });
});

describe('how close the run took the integration to the quota', () => {
  it('0 429s and a busiest window of 80%: it stayed under the quota', () => {
    expect(quotaContact({ quota429s: 0, peakWindowShare: 0.8 })).toBe('under');
    expect(quotaContactText({ quota429s: 0, peakWindowShare: 0.8 })).toBe("it stayed under the quota: no 429, and its busiest window used 80% of the run's quota");
  });

  it('any 429: it ran into the quota', () => {
    expect(quotaContact({ quota429s: 1, peakWindowShare: 0.2 })).toBe('ran-into');
    expect(quotaContactText({ quota429s: 1, peakWindowShare: 0.2 })).toBe("it ran into the quota: 1 request was refused with 429 (busiest window 20% of the run's quota)");
    expect(quotaContactText({ quota429s: 5, peakWindowShare: null })).toBe('it ran into the quota: 5 requests were refused with 429');
  });

  it(`at ${AT_LIMIT_SHARE * 100}% of a window or more it was at the limit; just below, under it`, () => {
    expect(quotaContact({ quota429s: 0, peakWindowShare: 0.95 })).toBe('at-limit');
    expect(quotaContact({ quota429s: 0, peakWindowShare: 1 })).toBe('at-limit');
    expect(quotaContact({ quota429s: 0, peakWindowShare: 0.9499 })).toBe('under');
    expect(quotaContactText({ quota429s: 0, peakWindowShare: 0.97 })).toBe("it reached the limit without a 429: its busiest window used 97% of the run's quota (95% or more counts as at the limit)");
  });

  it('no share to judge (unlimited, or no quota.json): says so', () => {
    expect(quotaContact({ quota429s: 0, peakWindowShare: null })).toBe('unknown');
    expect(quotaContactText({ quota429s: 0, peakWindowShare: null })).toContain('not known');
  });
});

describe('the partner scorecard', () => {
  const quietRun = () => {
    const run = createTestRun();
    run.quota = { plan: 'standard', perWindow: 150, windowMs: 30_000, windows: [{ start: new Date(START).toISOString(), used: 12, usedByOthers: 0, refused: 0, byClient: { client_test_integration: 12 } }] };
    const ids = run.place('typical', 3);
    run.advance(20_000);
    for (const id of ids) run.syncToErp(id);
    run.advance(60_000);
    return run.verify();
  };
  const scorecard = (scenario: string) => buildScorecard(quietRun(), { scenario, formatTime: (ms) => String(ms) });
  const answer = (s: ReturnType<typeof scorecard>, q: RegExp) => s.answered.find((a) => q.test(a.question))!;

  it('never advises running the scenario that was just run', () => {
    const fs10 = scorecard('flash-sale-10x');
    const rate = answer(fs10, /rate limits/);
    expect(rate.rating).toBe('not-shown');
    expect(rate.answer).not.toContain('flash-sale-10x');
    expect(rate.answer).toContain('run doorbuster or competing-apps to provoke it');
    expect(answer(scorecard('doorbuster'), /rate limits/).answer).toContain('run flash-sale-10x or competing-apps');
    expect(answer(scorecard('baseline-day'), /rate limits/).answer).toContain('run flash-sale-10x, doorbuster or competing-apps');
    // A path to the script names the same scenario.
    expect(answer(scorecard('scenarios/flash-sale-10x.js'), /rate limits/).answer).not.toContain('run flash-sale-10x');

    const outage = answer(scorecard('webhook-outage'), /webhook/);
    expect(outage.answer).not.toMatch(/run webhook-outage/);
    expect(outage.answer).toContain('this run already was webhook-outage, the scenario for that, and it did not happen');
    expect(answer(scorecard('api-drift'), /renames a field/).answer).not.toMatch(/run api-drift/);
    expect(answer(scorecard('worst-case-orders'), /failed records/).answer).toContain('run erp-degraded to see failures handled');
  });

  it('states the quota in the words and numbers the reports use: 0 429s is never "waited after every 429"', () => {
    const rate = answer(scorecard('baseline-day'), /rate limits/);
    expect(rate.answer).toMatch(/^It stayed under the quota: no 429, and its busiest window used 8% of the run's quota; its 429 handling was not tested in this run/);
    expect(rate.evidence.join(' ')).toContain(`${formatPerOrder(quietRun().measures['api.callsPerSyncedOrder'])} per order that reached the ERP`);
  });

  it('lists the other scenarios, or says the run itself was the one', () => {
    expect(adviseScenarios(['a', 'b', 'c'], 'b', 'see it')).toBe('run a or c to see it');
    expect(adviseScenarios(['a'], 'b', 'see it')).toBe('run a to see it');
    expect(adviseScenarios(['a'], 'a', 'see it')).toMatch(/^this run already was a, the scenario for that, and it did not happen/);
  });
});
