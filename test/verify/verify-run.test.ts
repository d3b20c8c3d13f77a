/**
 * The verifier against hand-made runs: a real simulated store places the orders (so the ledger
 * holds the platform's shapes), the test plays the integration by writing journal lines, and each
 * test introduces exactly one defect and checks the verdict, the measure and the record named.
 */
import { describe, expect, it } from 'vitest';
import { UNCARRIABLE_WORST_CASE_EVERY } from '../../simulator/domain/order-profiles.ts';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { defaultCriteria, resolveCriteria } from '../../src/verify/criteria.ts';
import { CLIENT, createTestRun, spec, type TestRun } from './support/run-builder.ts';

const MINUTE = 60_000;

function syncedRun(orders = 4): { run: TestRun; ids: number[] } {
  const run = createTestRun();
  run.quota = { plan: 'standard', perWindow: 150, windowMs: 30_000, windows: [{ start: '2026-11-27T12:00:00.000Z', used: 8, usedByOthers: 0, refused: 0, byClient: { [CLIENT]: 8 } }] };
  const ids = run.place('typical', orders);
  run.advance(30_000);
  for (const id of ids) run.syncToErp(id);
  return { run, ids };
}

describe('the verifier on the orders → ERP stream', () => {
  it('passes a run where every order reached the ERP field for field', () => {
    const { run, ids } = syncedRun();
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.measures['orders.expected']).toBe(ids.length);
    expect(v.measures['orders.correct']).toBe(ids.length);
    expect(v.measures['orders.lost']).toBe(0);
    expect(v.measures['orders.corrupted']).toBe(0);
    expect(v.measures['orders.syncLatencyP95Seconds']).toBe(30);
    expect(v.findings).toEqual([]);
    expect(v.verdict).toBe('pass');
  });

  it('sees the verdict change when one journal record is corrupted, and names the record and the field', () => {
    const { run, ids } = syncedRun();
    expect(run.verify({ criteria: defaultCriteria(['orders']) }).verdict).toBe('pass');
    const victim = ids[2]!;
    const line = run.journal.find((l) => l.key === String(victim))!;
    const body = structuredClone(line.body) as { billTo: { city: string }; lines: { quantity: number }[] };
    const city = body.billTo.city;
    body.billTo.city = 'Springfield';
    body.lines[0]!.quantity += 1;
    line.body = body;

    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.verdict).toBe('fail');
    expect(v.measures['orders.corrupted']).toBe(1);
    const record = v.streams.find((s) => s.stream.id === 'orders')!.records.find((r) => r.sourceId === String(victim))!;
    expect(record.outcome).toBe('corrupted');
    expect(record.diffs).toEqual(expect.arrayContaining([{ field: 'billTo.city', expected: city, actual: 'Springfield' }, expect.objectContaining({ field: 'lines[0].quantity' })]));
    const criterion = v.criteria.find((c) => c.id === 'no-corrupted-orders')!;
    expect(criterion.passed).toBe(false);
    expect(criterion.evidence[0]).toContain(`order ${victim}`);
    expect(criterion.evidence[0]).toContain('billTo.city expected');
  });

  it.each([
    ['a missing record is lost', (run: TestRun, id: number): void => void run.journal.splice(run.journal.findIndex((l) => l.key === String(id)), 1), { 'orders.lost': 1, 'orders.unsynced': 1 }, 'lost'],
    [
      "a dead letter for a record the spec accepts does not excuse it: it is lost, and counted as an unjustified dead letter",
      (run: TestRun, id: number): void => {
        run.journal.splice(run.journal.findIndex((l) => l.key === String(id)), 1);
        run.deadLetter(String(id), 'ERP answered 422: lines[0].sku unknown item', { spec: 'orders-to-erp-sales-order' });
      },
      { 'orders.lost': 1, 'orders.deadLettered': 0, 'orders.deadLetteredUnjustified': 1, 'orders.unsynced': 1 },
      'lost',
    ],
    [
      'a POST that created a second sales order is a duplicate',
      (run: TestRun, id: number): void => {
        const line = run.journal.find((l) => l.key === String(id))!;
        run.write({ system: 'erp', resource: 'sales-order', key: String(id), body: line.body, method: 'POST', existed: true });
      },
      { 'orders.duplicated': 1, 'orders.lost': 0 },
      'correct',
    ],
    [
      'a later write that matches an older version of the order is still correct',
      (run: TestRun, id: number): void => {
        run.advance(MINUTE);
        run.store.updateOrder(id, { status_id: 2 });
      },
      { 'orders.corrupted': 0, 'orders.correct': 4 },
      'correct',
    ],
  ] as const)('%s', (_name, mutate, expected, outcome) => {
    const { run, ids } = syncedRun();
    mutate(run, ids[1]!);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    for (const [measure, value] of Object.entries(expected)) expect(v.measures[measure], measure).toBe(value);
    expect(v.streams[0]!.records.find((r) => r.sourceId === String(ids[1]))!.outcome).toBe(outcome);
  });

  it('expects an uncarriable worst-case order in the dead-letter queue, and calls it a silent failure when it is not there', () => {
    const run = createTestRun();
    // Every UNCARRIABLE_WORST_CASE_EVERY-th worst-case order is uncarriable; the ones before it
    // reach the ERP field for field.
    const ids = run.place('worst-case', UNCARRIABLE_WORST_CASE_EVERY);
    const id = ids.at(-1)!;
    for (const carried of ids.slice(0, -1)) run.syncToErp(carried);
    run.fetch(id);
    run.advance(MINUTE);
    const silent = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(silent.measures['orders.correct']).toBe(UNCARRIABLE_WORST_CASE_EVERY - 1);
    const record = silent.streams[0]!.records.find((r) => r.sourceId === String(id))!;
    expect(record.disposition).toBe('dead-letter');
    expect(record.specErrors!.map((e) => e.field)).toEqual(expect.arrayContaining(['lines[1].sku']));
    expect(silent.measures['orders.lost']).toBe(1);
    expect(silent.findings.map((f) => [f.pattern, f.flow])).toEqual([
      ['silent-failure', 'orders'],
      ['silent-failure', 'platform'],
    ]);
    expect(silent.findings[0]!.evidence[0]!.ref).toBe(`order ${id}`);

    run.deadLetter(String(id), 'lines[1].sku: 255 characters; the ERP allows 20');
    const held = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(held.streams[0]!.records.find((r) => r.sourceId === String(id))!.outcome).toBe('held');
    expect(held.measures['orders.lost']).toBe(0);
    expect(held.findings).toEqual([]);
  });

  it('calls a record written without reading it first payload-as-data, with the fields it carried', () => {
    const run = createTestRun();
    const [id] = run.place('typical');
    run.advance(5_000);
    // What a payload-as-data integration sends: the webhook's id and little else.
    run.write({ system: 'erp', resource: 'sales-order', key: String(id), body: { externalId: String(id), status: 'OPEN' }, status: 422, errors: [{ field: 'body', message: "must have required property 'orderDate'" }] });
    run.deadLetter(String(id), 'ERP 422');
    const v = run.verify({ criteria: resolveCriteria({ acceptance: { scenario: 'x', description: 'x', simulatedDuration: '1m', expectedOrders: 1, requires: [], patterns: ['payload-as-data'], criteria: [{ id: 'no-lost-orders', name: 'n', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'w' }] } }).criteria });
    const finding = v.findings.find((f) => f.pattern === 'payload-as-data')!;
    expect(finding.evidence[0]!.ref).toBe(`order ${id}`);
    expect(finding.evidence[0]!.detail).toContain('never read order');
    expect(finding.evidence[0]!.detail).toContain('externalId, status');
    expect(v.criteria.find((c) => c.id === 'no-payload-as-data')!.passed).toBe(false);
    expect(v.verdict).toBe('fail');
  });

  it('says a passing latency was taken over the orders that arrived when some never did', () => {
    const run = createTestRun();
    const ids = run.place('typical', 4);
    run.advance(MINUTE);
    run.syncToErp(ids[0]!);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    const latency = v.criteria.find((c) => c.measure === 'orders.syncLatencyP95Seconds' || c.measure === 'orders.syncLatencyPeakP95Seconds')!;
    expect(latency.status).toBe('passed');
    expect(latency.note).toBe('taken over the 1 order(s) that reached the ERP; 3 of the 4 that had to never did (orders.lost and the dead letters account for them)');
    expect(v.criteria.find((c) => c.id === 'no-lost-orders')!.status).toBe('failed');
    // All arrived: nothing to add.
    const all = createTestRun();
    for (const id of all.place('typical', 2)) all.syncToErp(id);
    expect(all.verify({ criteria: defaultCriteria(['orders']) }).criteria.find((c) => c.measure === latency.measure)!.note).toBeUndefined();
  });

  it('judges latency at the busiest hour and names the slowest orders', () => {
    const run = createTestRun();
    const quiet = run.place('typical', 2);
    for (const id of quiet) run.syncToErp(id);
    run.advance(2 * 60 * MINUTE);
    const peak = run.place('typical', 6);
    run.advance(2 * MINUTE);
    for (const id of peak.slice(0, 5)) run.syncToErp(id);
    run.advance(10 * MINUTE);
    run.syncToErp(peak[5]!);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.measures['orders.syncLatencyPeakP95Seconds']).toBe(720);
    expect(v.measures['orders.syncLatencyP50Seconds']).toBe(120);
    const latency = v.criteria.find((c) => c.id === 'order-latency')!;
    expect(latency.passed).toBe(false);
    expect(latency.evidence[0]).toBe(`order ${peak[5]}: 720.0 s`);
  });
});

describe('the verifier on platform behaviour', () => {
  it.each([
    { name: 'waits the reset time after a 429', gapsMs: [29_000], resetMs: 28_000, ignored: 0 },
    { name: 'sends again inside the window after a 429', gapsMs: [5_000, 1_000], resetMs: 28_000, ignored: 1 },
    { name: 'has one more request in flight right after a 429 (excused)', gapsMs: [100, 29_000], resetMs: 28_000, ignored: 0 },
    { name: 'retries just before the reset, within the timer tolerance', gapsMs: [27_990], resetMs: 28_000, ignored: 0 },
  ])('judges a client that $name', ({ gapsMs, resetMs, ignored }) => {
    const run = createTestRun();
    run.request('GET', '/stores/stest/v2/orders?min_id=1', 200);
    run.limited('/stores/stest/v2/orders/105', resetMs);
    for (const gap of gapsMs) {
      run.advance(gap);
      run.request('GET', '/stores/stest/v2/orders/105', 200);
    }
    const v = run.verify({ criteria: defaultCriteria(['orders']), timeScale: 1 });
    expect(v.measures['api.rateLimited']).toBe(1);
    expect(v.measures['api.rateLimitIgnored']).toBe(ignored);
    expect(v.criteria.find((c) => c.id === 'honours-429')!).toMatchObject({ status: ignored === 0 ? 'passed' : 'failed', passed: ignored === 0 });
    expect(v.findings.some((f) => f.pattern === 'rate-limit-breach')).toBe(ignored > 0);
  });

  it('counts every 429 a client hammers on through, not only the first of a run-out', () => {
    const run = createTestRun();
    run.request('GET', '/stores/stest/v2/orders?min_id=1', 200);
    // One run-out: the first 429 says 28 s; the client retries every second and is refused each time.
    run.limited('/stores/stest/v2/orders/105', 28_000);
    for (const resetMs of [27_000, 26_000, 25_000]) {
      run.advance(1_000);
      run.limited('/stores/stest/v2/orders/105', resetMs);
    }
    // Then it waits out the last reset and is answered.
    run.advance(25_000);
    run.request('GET', '/stores/stest/v2/orders/105', 200);
    const v = run.verify({ criteria: defaultCriteria(['orders']), timeScale: 1 });
    expect(v.measures['api.rateLimited']).toBe(4);
    // The first three were each followed by a request before their reset; the last was waited out.
    expect(v.measures['api.rateLimitIgnored']).toBe(3);
    expect(v.rateLimits.events).toHaveLength(1);
    expect(v.rateLimits.events[0]!.violations).toHaveLength(3);
    expect(v.criteria.find((c) => c.id === 'honours-429')!).toMatchObject({ status: 'failed', value: 3 });
    expect(v.findings.filter((f) => f.pattern === 'rate-limit-breach')).toHaveLength(1);
  });

  it('shows honours-429 as not exercised, never as passed, on a run that answered no 429; the verdict still passes and says so', () => {
    const { run } = syncedRun();
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.measures['api.rateLimited']).toBe(0);
    const c = v.criteria.find((x) => x.id === 'honours-429')!;
    expect(c).toMatchObject({ status: 'not-exercised', passed: false, value: 0 });
    expect(c.note).toBe("no 429 was answered to the integration in this run (it never ran out of quota), so the integration's handling of 429s was not tested");
    // No hook was registered or deactivated either: hooks-recovered checked nothing.
    expect(v.criteria.find((x) => x.id === 'hooks-recovered')).toMatchObject({ status: 'not-exercised', passed: false });
    expect(v.verdict).toBe('pass');
    expect(v.decision.notExercised).toEqual(['honours-429', 'hooks-recovered']);
    expect(v.decision.reason).toMatch(/^All \d+ acceptance criteria it exercised passed on a faithful run; 2 were not exercised \(honours-429, hooks-recovered\)\.$/);
  });

  it('shows latency as not exercised when no order had to arrive, and quota headroom as not exercised on a plan without a window quota', () => {
    const run = createTestRun();
    run.quota = { plan: 'enterprise', perWindow: null, windowMs: 30_000, windows: [] };
    run.request('GET', '/stores/stest/v2/orders?min_id=1', 200);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.criteria.find((c) => c.id === 'order-latency')).toMatchObject({ status: 'not-exercised', passed: false, note: 'no order had to reach the ERP in this run, so how fast the integration carries them was not tested' });
    expect(v.criteria.find((c) => c.id === 'quota-headroom')).toMatchObject({ status: 'not-exercised', passed: false });
    expect(v.criteria.find((c) => c.id === 'no-lost-orders')!.status).toBe('passed');
  });

  it('shows each "0 bad out of 0 chances" criterion as not exercised, with why, and a failing one as failed', () => {
    const { run } = syncedRun();
    const criteria = [
      ...resolveCriteria({ acceptance: { scenario: 's', description: 'd', simulatedDuration: '1h', expectedOrders: 4, requires: [], patterns: ['rate-limit-breach', 'mapping-drift', 'webhook-deactivation', 'silent-failure', 'payload-as-data'], criteria: [] } }).criteria,
      { id: 'webhooks-answered', name: 'n', flow: 'platform' as const, measure: 'webhooks.failedDeliveries', op: '==' as const, limit: 0, why: 'w', source: 'scenario' as const },
      { id: 'dead-letters-explained', name: 'n', flow: 'orders' as const, measure: 'deadLetter.unexplained', op: '==' as const, limit: 0, why: 'w', source: 'scenario' as const },
      { id: 'no-silent-empty-fields', name: 'n', flow: 'orders' as const, measure: 'mapping.silentlyEmptied', op: '==' as const, limit: 0, why: 'w', source: 'scenario' as const },
    ];
    const statuses = (v: ReturnType<TestRun['verify']>) => Object.fromEntries(v.criteria.map((c) => [c.id, c.status]));
    const v = run.verify({ criteria });
    expect(statuses(v)).toMatchObject({
      'no-rate-limit-breach': 'not-exercised',
      'no-mapping-drift': 'not-exercised',
      'no-webhook-deactivation': 'not-exercised',
      'no-silent-failure': 'not-exercised',
      'no-payload-as-data': 'passed',
      'webhooks-answered': 'not-exercised',
      'dead-letters-explained': 'not-exercised',
      'no-silent-empty-fields': 'not-exercised',
      'no-integration-crashed': 'passed',
    });
    expect(v.criteria.find((c) => c.id === 'webhooks-answered')!.note).toBe('the integration registered no webhook in this run, so how its receiver answers deliveries was not tested');
    // One dead letter without a reason: a chance taken and failed.
    run.deadLetter('999', '');
    expect(statuses(run.verify({ criteria }))['dead-letters-explained']).toBe('failed');
  });

  it('attributes an order lost after a 429 on its read to the rate-limit pattern', () => {
    const run = createTestRun();
    const [a, b] = run.place('typical', 2);
    run.syncToErp(a!);
    run.limited(`/stores/stest/v2/orders/${b}/products`, 20_000);
    run.advance(30_000);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    const finding = v.findings.find((f) => f.pattern === 'rate-limit-breach' && f.flow === 'orders')!;
    expect(finding.evidence.map((e) => e.ref)).toEqual([`order ${b}`]);
  });

  it('finds a hook left deactivated, and not once it is re-enabled', () => {
    const run = createTestRun();
    const hook = run.store.createHook(CLIENT, { scope: 'store/order/*', destination: 'http://127.0.0.1:9/hooks' });
    run.advance(MINUTE);
    run.store.deactivateHook(hook.id, 'retries-exhausted');
    const [id] = run.place('typical');
    run.ledgerEntry({ kind: 'webhook:dropped', hookId: hook.id, scope: 'store/order/created', hash: lastEventHash(run, id!), reason: 'hook-inactive' });
    run.advance(MINUTE);
    const off = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(off.measures['webhooks.deactivatedAtEnd']).toBe(1);
    expect(off.findings.map((f) => `${f.pattern}/${f.flow}/${f.evidence.map((e) => e.ref).join(',')}`)).toEqual([`webhook-deactivation/orders/order ${id}`, `webhook-deactivation/platform/hook ${hook.id}`]);

    run.store.updateHook(CLIENT, hook.id, { is_active: true });
    run.syncToErp(id!);
    const on = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(on.measures['webhooks.deactivatedAtEnd']).toBe(0);
    expect(on.webhooks.hooks[0]!.reactivations).toHaveLength(1);
    expect(on.findings).toEqual([]);
  });

  it('blames an order placed while every hook for its scope was off (no webhook was even sent) on the deactivation', () => {
    const run = createTestRun();
    const created = run.store.createHook(CLIENT, { scope: 'store/order/created', destination: 'http://127.0.0.1:9/hooks' });
    const updated = run.store.createHook(CLIENT, { scope: 'store/order/updated', destination: 'http://127.0.0.1:9/hooks' });
    run.advance(MINUTE);
    run.store.deactivateHook(created.id, 'retries-exhausted');
    const [id] = run.place('typical');
    run.advance(MINUTE);
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    // The store/order/updated hook stayed on, but it does not carry new orders.
    expect(v.webhooks.hooks.find((h) => h.id === updated.id)!.activeAtEnd).toBe(true);
    const finding = v.findings.find((f) => f.pattern === 'webhook-deactivation' && f.flow === 'orders')!;
    expect(finding.evidence.map((e) => e.ref)).toEqual([`order ${id}`]);
    expect(finding.evidence[0]!.detail).toContain("while the integration's hooks were deactivated");
  });

  it('separates orders broken by a platform rename from orders placed before it', () => {
    const run = createTestRun();
    const before = run.place('typical', 2);
    for (const id of before) run.syncToErp(id);
    run.advance(MINUTE);
    run.ledgerEntry({ kind: 'faults:changed', plan: { api: { renameFields: [{ resource: 'order', from: 'status_id', to: 'status_code' }] } } });
    run.advance(MINUTE);
    const after = run.place('typical', 2);
    // A drift-blind integration: "no status_id" reads as an incomplete checkout and is skipped.
    for (const id of after) run.fetch(id);
    run.advance(MINUTE);
    const v = run.verify({ criteria: [{ id: 'no-silent-empty-fields', name: 'n', flow: 'orders', measure: 'mapping.silentlyEmptied', op: '==', limit: 0, why: 'w', source: 'scenario' }] });
    expect(v.measures['mapping.renames']).toBe(1);
    expect(v.measures['mapping.silentlyEmptied']).toBe(2);
    expect(v.measures['orders.corruptedBeforeDrift']).toBe(0);
    const drift = v.findings.find((f) => f.pattern === 'mapping-drift')!;
    expect(drift.evidence.map((e) => e.ref)).toEqual(after.map((id) => `order ${id}`));
    expect(drift.evidence[0]!.detail).toContain('order.status_id → status_code');
    expect(v.verdict).toBe('fail');
  });

  it('counts alerts and explained dead letters as raised, and dead letters without a reason as unexplained', () => {
    const run = createTestRun();
    run.alert('ERP unreachable for 5 minutes');
    run.deadLetter('101', 'ERP 422');
    run.deadLetter('102', '');
    const v = run.verify();
    expect(v.measures['alerts.raised']).toBe(2);
    expect(v.measures['deadLetter.count']).toBe(2);
    expect(v.measures['deadLetter.unexplained']).toBe(1);
  });

  it('reads peak window use against the plan from the quota windows', () => {
    const run = createTestRun();
    run.quota = {
      plan: 'standard',
      perWindow: 150,
      windowMs: 30_000,
      windows: [
        { start: '2026-11-27T12:00:00.000Z', used: 60, usedByOthers: 0, refused: 0, byClient: { [CLIENT]: 60 } },
        { start: '2026-11-27T12:00:30.000Z', used: 135, usedByOthers: 15, refused: 3, byClient: { [CLIENT]: 135 } },
      ],
    };
    const v = run.verify({ criteria: defaultCriteria(['orders']) });
    expect(v.measures['api.peakWindowShare']).toBe(0.9);
    expect(v.measures['api.peakWindowShareTotal']).toBe(1);
    expect(v.criteria.find((c) => c.id === 'quota-headroom')!.passed).toBe(false);
  });
});

describe('the expected record is the spec applied to ground truth', () => {
  it('uses the same applyMapping as the integration would, so a correct integration cannot disagree', () => {
    const run = createTestRun();
    const [id] = run.place('b2b');
    const expected = applyMapping(spec('orders-to-erp-sales-order'), run.snapshot(id!));
    run.syncToErp(id!);
    const record = run.verify().streams[0]!.records[0]!;
    expect(record.targetKey).toBe(expected.record!.externalId);
    expect(record.outcome).toBe('correct');
  });
});

function lastEventHash(run: ReturnType<typeof createTestRun>, orderId: number): string {
  const e = run.ledger.filter((l) => l.kind === 'webhook:event' && (l.data as { id?: number })?.id === orderId && l.scope === 'store/order/created').at(-1)!;
  return String(e.hash);
}
