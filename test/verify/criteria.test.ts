import { describe, expect, it } from 'vitest';
import type { ScenarioAcceptance } from '../../src/load/acceptance.ts';
import { CriteriaError, compare, defaultCriteria, evaluateCriteria, resolveCriteria } from '../../src/verify/criteria.ts';
import { normalizeReports } from '../../src/verify/dead-letters.ts';
import { measureCatalog } from '../../src/verify/measures.ts';

const acceptance: ScenarioAcceptance = {
  scenario: 'flash-sale-10x',
  description: 'd',
  simulatedDuration: '24h',
  expectedOrders: 5000,
  requires: ['simulator'],
  patterns: ['rate-limit-breach'],
  criteria: [{ id: 'peak-backlog-drains', name: 'p95 within 30 minutes', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 1800, unit: 's', why: 'w' }],
};

describe('acceptance criteria', () => {
  it('uses the defaults of the UAT issue when the scenario exports none', () => {
    const { criteria } = resolveCriteria({});
    expect(criteria.map((c) => [c.id, c.measure, c.op, c.limit])).toEqual([
      ['no-lost-orders', 'orders.lost', '==', 0],
      ['no-corrupted-orders', 'orders.corrupted', '==', 0],
      ['no-duplicated-orders', 'orders.duplicated', '==', 0],
      ['order-latency', 'orders.syncLatencyPeakP95Seconds', '<=', 300],
      ['honours-429', 'api.rateLimitIgnored', '==', 0],
      ['hooks-recovered', 'webhooks.deactivatedAtEnd', '==', 0],
      ['quota-headroom', 'api.peakWindowShare', '<=', 0.8],
    ]);
  });

  it("replaces the defaults with the scenario's own and adds a no-finding criterion per pattern it provokes", () => {
    const { criteria } = resolveCriteria({ acceptance });
    expect(criteria.map((c) => `${c.source}:${c.id}`)).toEqual(['scenario:peak-backlog-drains', 'pattern:no-rate-limit-breach']);
    expect(criteria[1]!.measure).toBe('findings.rateLimitBreach');
  });

  it('lets a config file widen the scope, add the defaults back, override by id and waive with a reason', () => {
    const { criteria, waived } = resolveCriteria({
      acceptance,
      config: {
        scope: ['orders', 'fulfillment'],
        defaults: true,
        criteria: [{ id: 'peak-backlog-drains', name: 'p95 within an hour', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 3600, why: 'agreed with the buyer' }],
        waive: [{ id: 'quota-headroom', reason: 'the store has the Pro plan in production' }],
      },
    });
    const ids = criteria.map((c) => c.id);
    expect(ids).toContain('no-lost-fulfillment');
    expect(ids).not.toContain('quota-headroom');
    expect(criteria.find((c) => c.id === 'peak-backlog-drains')).toMatchObject({ limit: 3600, source: 'config' });
    expect(waived).toEqual([{ criterion: expect.objectContaining({ id: 'quota-headroom' }), reason: 'the store has the Pro plan in production' }]);
  });

  it.each([
    [{ criteria: [{ id: 'x', name: 'x', flow: 'catalog' as const, measure: 'catalog.pricesLost', op: '==' as const, limit: 0, why: 'w' }] }, /does not compute the measure "catalog.pricesLost"/],
    [{ waive: [{ id: 'nope', reason: 'r' }] }, /Failed to waive criterion "nope"/],
  ])('refuses a config it cannot honour before the run starts (%#)', (config, message) => {
    expect(() => resolveCriteria({ config })).toThrow(CriteriaError);
    expect(() => resolveCriteria({ config })).toThrow(message);
  });

  it('knows every measure a default criterion names', () => {
    const known = new Set(measureCatalog());
    for (const c of defaultCriteria(['orders', 'fulfillment', 'marketing', 'carts', 'customers', 'returns'])) expect(known.has(c.measure), c.measure).toBe(true);
  });

  it.each([
    [0, '==', 0, true],
    [1, '==', 0, false],
    [300, '<=', 300, true],
    [300.5, '<=', 300, false],
    [1, '>=', 1, true],
    [0, '>=', 1, false],
    [0.79, '<', 0.8, true],
    [2, '>', 1, true],
  ] as const)('compares %s %s %s as %s', (value, op, limit, expected) => {
    expect(compare(value, op, limit)).toBe(expected);
  });

  it('fails a criterion without data unless nothing had to be measured, and says why', () => {
    const [lost, latency] = evaluateCriteria(
      [
        { id: 'a', name: 'a', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'w', source: 'default' },
        { id: 'b', name: 'b', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 300, why: 'w', source: 'default' },
      ],
      { measures: { 'orders.lost': 2, 'orders.syncLatencyP95Seconds': null }, evidence: () => ['order 7', 'order 9'], missingReason: () => ({ reason: 'no order reached the target', status: 'failed' }) },
    );
    expect(lost).toMatchObject({ status: 'failed', passed: false, value: 2, evidence: ['order 7', 'order 9'] });
    expect(latency).toMatchObject({ status: 'failed', passed: false, value: null, note: 'no order reached the target' });
  });

  describe('a criterion the run gave no chance to fail', () => {
    const honours429 = defaultCriteria(['orders']).find((c) => c.id === 'honours-429')!;
    const none = 'no 429 was answered to the integration in this run';
    const evaluate = (ignored: number, limited: number) =>
      evaluateCriteria([honours429], {
        measures: { 'api.rateLimitIgnored': ignored },
        evidence: () => (ignored > 0 ? ['429 at t'] : []),
        missingReason: () => undefined,
        opportunities: (m) => (m === 'api.rateLimitIgnored' ? { count: limited, none } : undefined),
      })[0]!;

    it('is not exercised, and not passed, when nothing could break it (0 ignored out of 0 429s)', () => {
      expect(evaluate(0, 0)).toMatchObject({ status: 'not-exercised', passed: false, value: 0, note: none, evidence: [] });
    });

    it('passes when it had the chance and held, and fails on evidence whatever the count', () => {
      expect(evaluate(0, 1)).toMatchObject({ status: 'passed', passed: true });
      expect(evaluate(1, 1)).toMatchObject({ status: 'failed', passed: false, evidence: ['429 at t'] });
    });

    it('is not exercised when a measure has no value because nothing had to be measured', () => {
      const latency = defaultCriteria(['orders']).find((c) => c.id === 'order-latency')!;
      const [r] = evaluateCriteria([latency], { measures: { [latency.measure]: null }, evidence: () => [], missingReason: () => ({ reason: 'no order had to reach the ERP', status: 'not-exercised' }) });
      expect(r).toMatchObject({ status: 'not-exercised', passed: false, note: 'no order had to reach the ERP' });
    });
  });
});

describe('reports sent to ALERT_URL', () => {
  it.each([
    ['a plain alert', { message: 'ERP down' }, { alerts: 1, deadLetters: 0 }],
    ['a Slack-style alert', { text: 'ERP down' }, { alerts: 1, deadLetters: 0 }],
    ['an Alertmanager batch', { alerts: [{ labels: { severity: 'page' }, annotations: { summary: 'a' } }, { annotations: { summary: 'b' } }] }, { alerts: 2, deadLetters: 0 }],
    ['a dead letter', { kind: 'dead-letter', spec: 'orders-to-erp-sales-order', key: '104', reason: 'ERP 422' }, { alerts: 0, deadLetters: 1 }],
    ['a dead letter as the engine names its event', { type: 'job:dead-lettered', id: 104, errors: [{ field: 'lines[0].sku', message: 'too long' }] }, { alerts: 0, deadLetters: 1 }],
    ['a batch of dead letters', { deadLetters: [{ key: '1', reason: 'r' }, { key: '2', reason: 'r' }] }, { alerts: 0, deadLetters: 2 }],
    ["the reference engine's dead-letter alert, which names its newest entry", { kind: 'dead-letters', message: 'the dead-letter queue grew to 3: orders-to-erp-sales-order 104 (mapping): lines[1].sku', details: { spec: 'orders-to-erp-sales-order', key: '104', kind: 'mapping' } }, { alerts: 1, deadLetters: 1 }],
    ['an array of alerts', [{ message: 'a' }, { message: 'b' }], { alerts: 2, deadLetters: 0 }],
  ])('reads %s', (_name, body, expected) => {
    const r = normalizeReports([{ at: '2026-11-27T12:00:00Z', path: '/alerts', body }]);
    expect({ alerts: r.alerts.length, deadLetters: r.deadLetters.length }).toEqual(expected);
    if (expected.deadLetters > 0) expect(r.deadLetters[0]!.key).not.toBe('');
  });
});
