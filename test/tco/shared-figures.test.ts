/**
 * One run, one number: the UAT report, its scorecard and the cost-of-ownership report of the same
 * run directory print the same requests per order (and 429s, peak window share, orders synced,
 * webhook deliveries), the TCO's per-flow rows add up to it; a rehearsal at --volume-scale with a
 * scaled --quota projects what the full-volume run projects; and every sentence about the quota
 * says what its numbers say.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { behaviourWords, saleEvidenceText } from '../../src/reports/tco/build.ts';
import { renderTcoReport } from '../../src/reports/tco/render.ts';
import { buildUatReport, type RunInfo } from '../../src/reports/uat/build.ts';
import { maxFlashSaleMultiplier, orderCapacityPerWindow, peakOrdersPerWindow } from '../../src/tco/capacity-model.ts';
import { judgeSaturation, measureRunDirectory, scalingOf, type RunMeasurements } from '../../src/tco/measure-run.ts';
import { behaviourAdvice, createTcoReport } from '../../src/tco/run-tco.ts';
import { figuresFromMeasures, formatPerOrder, formatShare } from '../../src/verify/figures.ts';
import { indexJournals, indexLedger } from '../../src/verify/ledger-index.ts';
import { verifyRun, type Verification } from '../../src/verify/verify-run.ts';
import { CLIENT, createTestRun, specs, START, type TestRun } from '../verify/support/run-builder.ts';
import { cleanupRunDirs, runTempDir, syntheticRun, writeRunDirectory } from './support/run-dir.ts';

afterAll(cleanupRunDirs);

const NOW = () => new Date('2026-11-28T00:00:00Z');

/** A hand-made run through the real verifier: setup, a load with orders, polls, stock, a 429, webhooks, shutdown. */
function verifiedRun(): { run: TestRun; dir: string; loadStartedAt: number; endAt: number; verification: Verification } {
  const run = createTestRun();
  run.ledgerEntry({ kind: 'resource:created', resource: 'hook', id: 7, body: { id: 7, client_id: CLIENT, scope: 'store/order/*', destination: 'https://integration.test/webhooks', is_active: true } });
  run.request('POST', '/stores/stest/v3/hooks', 201);
  run.request('GET', '/stores/stest/v2/orders?limit=250', 200);
  run.advance(60_000);
  const loadStartedAt = run.now();
  const ids = run.place('typical', 6);
  for (const id of ids) run.ledgerEntry({ kind: 'webhook:attempt', hookId: 7, scope: 'store/order/created', hash: `h${id}`, attempt: 1, outcome: 'delivered', durationMs: 2 });
  run.ledgerEntry({ kind: 'webhook:attempt', hookId: 7, scope: 'store/order/created', hash: 'hx', attempt: 1, outcome: 'failed', durationMs: 2 });
  run.advance(20_000);
  run.limited('/stores/stest/v2/orders/1', 10_000);
  run.advance(15_000);
  for (const id of ids) {
    run.syncToErp(id);
    run.request('GET', `/stores/stest/v2/orders/${id}/products`, 200);
  }
  run.request('GET', '/stores/stest/v2/orders?min_id=999', 204);
  run.request('PUT', '/stores/stest/v3/inventory/adjustments/absolute', 200);
  run.request('GET', '/stores/stest/v3/hooks', 200);
  run.advance(60_000);
  const endAt = run.now();
  run.quota = { plan: 'standard', perWindow: 150, windowMs: 30_000, windows: [{ start: new Date(loadStartedAt).toISOString(), used: 20, usedByOthers: 4, refused: 1, byClient: { [CLIENT]: 20 } }] };
  // After the run's end: the integration deletes its hook while it stops. The ledger keeps it, and
  // the verifier reads the whole ledger, as `bc-harness uat` does.
  run.advance(1_000);
  run.request('DELETE', '/stores/stest/v3/hooks/7', 204);
  const verification = verifyRun({
    specs: specs(),
    ledger: indexLedger(run.ledger),
    journals: indexJournals(run.journal),
    alerts: run.alerts,
    quota: run.quota,
    integrationClientId: CLIENT,
    timeScale: 60,
    endAt,
    criteria: [],
    scope: ['orders'],
  });
  const dir = writeRunDirectory(runTempDir(), {
    clientId: CLIENT,
    scenario: 'doorbuster',
    quotaPerWindow: 150,
    simStart: START,
    loadStartedAt,
    endAt,
    ledger: run.ledger,
    journalErp: run.journal,
    quotaSnapshot: run.quota,
    measures: verification.measures,
  });
  return { run, dir, loadStartedAt, endAt, verification };
}

function uatReportOf(v: Verification, loadStartedAt: number, endAt: number) {
  const info: RunInfo = {
    id: 'test-run',
    dir: '/tmp/test-run',
    scenario: { name: 'doorbuster' },
    integration: { label: 'test-integration', command: 'x' },
    plan: 'standard',
    quotaPerWindow: 150,
    timeScale: 60,
    seed: 1,
    simStart: START,
    loadStartedAt,
    loadEndedAt: endAt,
    endAt,
    realStartedAt: '2026-11-27T12:00:00.000Z',
    realSeconds: 1,
    drain: { reason: 'settled', text: 'Settled.' },
    load: { runner: 'embedded', exitCode: 0, ordersPlaced: 6, droppedIterations: 0, stepsSkipped: 0, failedChecks: [] },
    status: 'complete',
    notes: [],
  };
  return buildUatReport({ verification: v, run: info, waived: [], generatedAt: NOW() });
}

describe('one run, one number in every report', () => {
  it('prints the same requests per order in the UAT report, its scorecard and the TCO report, and the flows add up to it', async () => {
    const { dir, verification: v, loadStartedAt, endAt } = verifiedRun();
    // Every request of the client over the whole run, 429 and shutdown included, per order synced.
    const requests = v.measures['api.requests']!;
    expect(v.measures['orders.synced']).toBe(6);
    expect(v.measures['api.callsPerSyncedOrder']).toBeCloseTo(requests / 6, 12);

    const uat = uatReportOf(v, loadStartedAt, endAt);
    const tco = await createTcoReport({ runDir: dir, measures: v.measures, now: NOW });
    const shown = formatPerOrder(requests / 6);
    expect(uat.api.callsPerOrder).toBe(shown);
    expect(uat.scorecard.answered[0]!.evidence.join(' ')).toContain(`${shown} per order that reached the ERP`);
    expect(tco.data.requestsPerOrder).toBeCloseTo(requests / 6, 12);
    expect(tco.cards.find((c) => c.label === 'requests per order')!.value).toBe(shown);
    expect(tco.measured.facts.find((f) => f.label === 'Requests per order')!.value).toBe(shown);
    expect(tco.measured.flowsTotal.perOrder).toBe(shown);
    expect(tco.headline).toContain(`spent ${shown} API requests per order`);

    // The per-flow rows add up to the UAT's total, in requests and per order.
    expect(tco.data.flows.reduce((s, f) => s + f.requests, 0)).toBe(requests);
    expect(tco.data.flows.reduce((s, f) => s + f.perOrder!, 0)).toBeCloseTo(v.measures['api.callsPerSyncedOrder']!, 12);
    expect(Number(tco.measured.flowsTotal.requests)).toBe(uat.api.requests);
    expect(uat.api.requests).toBe(requests);

    // The other shared figures: 429s, peak window share, orders synced and placed, webhook deliveries.
    const f = figuresFromMeasures(v.measures);
    expect(tco.data.quota429s).toBe(v.rateLimits.limited);
    expect(tco.data.quota429s).toBe(1);
    expect(uat.cards.find((c) => c.label === '429s (ignored)')!.value).toBe(`${tco.data.quota429s} (0)`);
    expect(tco.measured.facts.find((x) => x.label === 'Peak window share')!.value).toBe(uat.cards.find((c) => c.label === 'peak window use')!.value);
    expect(tco.data.peakWindowShare).toBe(f.peakWindowShare);
    expect(tco.data.ordersSynced).toBe(f.ordersSynced);
    expect(String(tco.data.ordersPlaced)).toBe(uat.cards.find((c) => c.label === 'orders placed')!.value);
    expect(tco.data.webhookDeliveries).toBe(uat.webhooks.delivered + uat.webhooks.failed);
  });

  it('gives the same figure from verdict.json alone and, without a verdict, from the ledger and the ERP journal', async () => {
    const { dir, verification: v } = verifiedRun();
    const fromVerdict = await measureRunDirectory(dir);
    expect(fromVerdict.orders.source).toBe('verdict');
    expect(fromVerdict.requestsPerOrder).toBeCloseTo(v.measures['api.callsPerSyncedOrder']!, 12);
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/verdict.json`);
    const fromJournal = await measureRunDirectory(dir);
    expect(fromJournal.orders.source).toBe('journal');
    expect(fromJournal.requestsPerOrder).toBeCloseTo(v.measures['api.callsPerSyncedOrder']!, 12);
    expect(fromJournal.saturation.quota429s).toBe(v.measures['api.rateLimited']);
    expect(fromJournal.webhooks.deliveries).toBe(v.measures['webhooks.delivered']! + v.measures['webhooks.failedDeliveries']!);
    // The parts add up to the whole, and the one-off part holds the setup and the shutdown.
    const p = fromJournal.perOrder;
    expect(p.oneOff! + p.scheduled! + p.orderDriven!).toBeCloseTo(fromJournal.requestsPerOrder!, 12);
    expect(fromJournal.requests.oneOff).toBe(3);
  });
});

describe('a rehearsal at --volume-scale', () => {
  const perOrder = { requestsPerOrder: 4, peakShare: 0.8, webhooksPerOrder: 3 };

  it('projects the same capacity as a full-volume run with the same per-order behaviour, and says how it undid the scaling', async () => {
    const full = await createTcoReport({ runDir: syntheticRun(runTempDir(), { orders: 400, quotaPerWindow: 150, ...perOrder }), now: NOW });
    const tenth = await createTcoReport({ runDir: syntheticRun(runTempDir(), { orders: 400, volumeScale: 0.1, quotaPerWindow: 15, ...perOrder }), now: NOW });
    expect(tenth.data.volumeScale).toBe(0.1);
    expect(tenth.data.ordersPlaced).toBe(40);
    expect(full.data.ordersPlaced).toBe(400);
    expect(tenth.data.orderDrivenPerOrder).toBe(full.data.orderDrivenPerOrder);
    expect(tenth.data.behaviour).toBe(full.data.behaviour);
    expect(tenth.capacity.plans).toEqual(full.capacity.plans);
    expect(tenth.capacity.rows).toEqual(full.capacity.rows);
    expect(tenth.capacity.schedule).toEqual(full.capacity.schedule);
    expect(tenth.data.plans).toEqual(full.data.plans);
    // Requests per order as a whole spreads the timer's requests over a tenth of the orders; undone, it is the full run's.
    expect(tenth.data.requestsPerOrder!).toBeGreaterThan(full.data.requestsPerOrder!);
    const m = await measureRunDirectory(syntheticRun(runTempDir(), { orders: 400, volumeScale: 0.1, quotaPerWindow: 15, ...perOrder }));
    expect(m.scaling.fullVolume.requestsPerOrder!).toBeCloseTo(full.data.requestsPerOrder!, 12);
    expect(m.scaling.fullVolumeQuota).toBe(150);
    expect(tenth.run.scalingText).toContain("Measured at 0.1x the scenario's volume (--volume-scale 0.1) against a quota of 15 requests a window (--quota 15)");
    expect(tenth.run.scalingText).toContain("projected to full volume and Standard's 150");
    expect(tenth.run.scalingText).toContain('The projection undoes the scaling');
    const md = renderTcoReport(tenth, 'md');
    expect(md).toContain(tenth.run.scalingText);
    expect(md).toMatch(/\| \*\*All flows\*\* \| \*\*\d+\*\* \|/);
    expect(renderTcoReport(tenth, 'html')).toContain('<tfoot><tr><th>All flows</th>');
    expect(full.run.scalingText).toBe("Measured at the scenario's full volume against Standard's published quota of 150 requests a window; projected to full volume and Standard's 150 (and every other plan's published quota).");
  });

  it('warns when --volume-scale was used without scaling --quota: the run pressed the quota a tenth as hard', () => {
    const s = scalingOf({ plan: 'standard', volumeScale: 0.1, runQuota: 150, ordersPlaced: 50, ordersPerWindow: 5, ordersPerHour: 50, perOrder: { oneOff: 0.1, scheduled: 1, orderDriven: 4 } });
    expect(s.pressure).toBe(10);
    expect(s.text).toContain('10 times Standard');
    expect(s.text).toContain('--quota 15');
    expect(s.fullVolume.ordersPlaced).toBe(500);
    expect(s.fullVolume.requestsPerOrder).toBeCloseTo(4 + 0.1 * 1.1, 12);
  });

  it('charges a flash sale the whole run\'s order-driven requests per order, not what fitted in the busiest hour', async () => {
    // The integration queues: each order's 4 requests come 3 hours after it, so the busiest hour of
    // orders holds none of them. Measured inside that hour this read 0 requests per order (and a
    // sale thousands of times the normal peak); over the run it is 4.
    const m = await measureRunDirectory(syntheticRun(runTempDir(), { orders: 600, volumeScale: 0.1, quotaPerWindow: 15, requestsPerOrder: 4, lagMinutes: 180, peakShare: 0.8 }));
    expect(m.perOrder.orderDriven).toBe(4);
    const tco = await createTcoReport({ runDir: m.run.dir, now: NOW });
    // 500 orders a day, 10% in the busiest hour: b = 50/120; Standard keeps 20% for other apps.
    const b = peakOrdersPerWindow(500, 0.1);
    const c = orderCapacityPerWindow(150, { callsPerOrder: 4, otherAppsShare: 0.2, scheduledPerWindow: m.scheduledPerDay / 2880 });
    const expected = maxFlashSaleMultiplier({ capacity: c, base: b, behaviour: 'queues', durationWindows: 120, drainWindows: 60 });
    const standard = tco.data.plans.find((p) => p.label === 'Standard/Plus')!;
    expect(standard.maxFlashSaleMultiplierToday).toBeCloseTo(expected, 9);
    // (29.8 + 60 × (29.8 − 0.42) / 120) / 0.42 ≈ 107: a big sale, not a 934x one.
    expect(standard.maxFlashSaleMultiplierToday!).toBeGreaterThan(90);
    expect(standard.maxFlashSaleMultiplierToday!).toBeLessThan(120);
    // And the report says how far that is beyond what the run itself placed.
    expect(tco.capacity.conclusions.join(' ')).toMatch(/the run's own busiest window placed [\d,.]+ orders at full volume, so beyond that the figure is extrapolated/);
  });

  it('says whether a claimed sale is inside the run\'s own busiest window (at full volume) or extrapolated', () => {
    expect(saleEvidenceText({ label: 'Standard/Plus', maxMultiplier: 100, basePerWindow: 0.5, runOrdersPerWindowFullVolume: 20 })).toContain('extrapolated');
    expect(saleEvidenceText({ label: 'Standard/Plus', maxMultiplier: 30, basePerWindow: 0.5, runOrdersPerWindowFullVolume: 20 })).toContain('within the 20 orders');
    expect(saleEvidenceText({ label: 'Enterprise', maxMultiplier: Infinity, basePerWindow: 0.5, runOrdersPerWindowFullVolume: 20 })).toBe('');
  });
});

describe('sentences about the quota follow the numbers', () => {
  const judge = (o: { lost?: number; quota429s: number; ignored?: number | null; peakShare: number | null }) =>
    judgeSaturation({ lost: o.lost ?? 0, placed: 100, quota429s: o.quota429s, ignored: o.ignored ?? 0, peakShare: o.peakShare, backlog: { peak: 10, drainMs: 120_000, leftAtEnd: 0 } });

  it('0 429s and a busiest window of 80%: it stayed under the quota (and paced itself), never "ran into" it', () => {
    const j = judge({ quota429s: 0, peakShare: 0.8 });
    expect(j.contact).toBe('under');
    expect(j.behaviour).toBe('queues');
    expect(j.evidence).toMatch(/^It stayed under the quota: no 429, and its busiest window used 80% of the run's quota/);
    expect(j.evidence).not.toMatch(/ran into|waited out/);
  });

  it('429s: it ran into the quota, whatever the share', () => {
    for (const peakShare of [0.3, 0.8, 1, null]) {
      const j = judge({ quota429s: 3, peakShare });
      expect(j.contact).toBe('ran-into');
      expect(j.evidence).toMatch(/^It ran into the quota: 3 requests were refused with 429/);
    }
  });

  it('at 95% or more of a window without a 429 it was at the limit; just below, under it', () => {
    expect(judge({ quota429s: 0, peakShare: 0.95 }).evidence).toMatch(/^It reached the limit without a 429: its busiest window used 95% of the run's quota \(95% or more counts as at the limit\)/);
    expect(judge({ quota429s: 0, peakShare: 1 }).contact).toBe('at-limit');
    expect(judge({ quota429s: 0, peakShare: 0.949 }).evidence).toMatch(/^It stayed under the quota: no 429, and its busiest window used 94\.9%/);
  });

  it('below 70% with no 429 the run never pushed it: unproven, and the advice never names the scenario just run', () => {
    const j = judge({ quota429s: 0, peakShare: 0.69 });
    expect(j.behaviour).toBe('unproven');
    expect(j.evidence).toContain('The run never pushed it to the quota: it stayed under the quota: no 429, and its busiest window used 69%');
    const scaling = scalingOf({ plan: 'standard', volumeScale: null, runQuota: 150, ordersPlaced: 10, ordersPerWindow: 1, ordersPerHour: 10, perOrder: { oneOff: 0, scheduled: 0, orderDriven: 1 } });
    const advice = (scenario: string) => behaviourAdvice({ saturation: { ...j, quota429s: 0, ignored: 0, peakShare: 0.69, peakShareAllApps: 0.69 }, run: { scenario } as RunMeasurements['run'], scaling });
    expect(advice('flash-sale-10x')).toContain('run doorbuster to rehearse a flash sale');
    expect(advice('flash-sale-10x')).not.toContain('flash-sale-10x');
    expect(advice('doorbuster')).not.toContain('doorbuster');
    expect(advice('baseline-day')).toContain('run doorbuster or flash-sale-10x');
  });

  it('lost orders below the quota are not blamed on the quota', () => {
    const j = judge({ lost: 5, quota429s: 0, peakShare: 0.3 });
    expect(j.behaviour).toBe('drops');
    expect(j.evidence).toMatch(/^It lost 5 of 100 orders while it stayed under the quota: no 429/);
    expect(judge({ lost: 5, quota429s: 40, peakShare: 1 }).evidence).toMatch(/^It lost 5 of 100 orders, and it ran into the quota: 40 requests were refused/);
  });

  it('no sentence of the TCO report claims more contact with the quota than its numbers show', () => {
    const scaling = scalingOf({ plan: 'standard', volumeScale: null, runQuota: 150, ordersPlaced: 100, ordersPerWindow: 5, ordersPerHour: 100, perOrder: { oneOff: 0, scheduled: 0, orderDriven: 2 } });
    for (const quota429s of [0, 1, 12]) {
      for (const peakShare of [null, 0, 0.5, 0.69, 0.7, 0.8, 0.949, 0.95, 1]) {
        for (const [lost, ignored] of [[0, 0], [4, 0], [0, Math.min(1, quota429s)], [4, Math.min(1, quota429s)]] as const) {
          const j = judge({ lost, quota429s, ignored, peakShare });
          const saturation = { ...j, quota429s, ignored, peakShare, peakShareAllApps: peakShare };
          const words = behaviourWords(saturation, lost);
          const texts = [j.evidence, words.label, words.verb, behaviourAdvice({ saturation, run: { scenario: 'baseline-day' } as RunMeasurements['run'], scaling })].join(' | ');
          const at = `${quota429s} 429s (${ignored} ignored), share ${peakShare}, lost ${lost}: ${texts}`;
          expect(/ran into the quota|waited out|when the quota ran out/.test(texts), at).toBe(quota429s > 0);
          expect(/reached the limit/.test(texts), at).toBe(quota429s === 0 && peakShare !== null && peakShare >= 0.95);
          if (quota429s === 0 && peakShare !== null && peakShare < 0.95) expect(texts, at).toContain('stayed under the quota');
          if (peakShare !== null) expect(texts.includes(formatShare(peakShare)) || quota429s > 0, at).toBe(true);
        }
      }
    }
  });
});

describe('the TCO report model', () => {
  it('keeps the fields the `bc-harness tco --json` line prints, now naming what they hold', async () => {
    const { dir, verification: v } = verifiedRun();
    const tco = await createTcoReport({ runDir: dir, measures: v.measures, now: NOW });
    expect(tco.data.callsPerOrder).toBe(tco.data.requestsPerOrder);
    expect(tco.data.peakCallsPerOrder).toBe(tco.data.orderDrivenPerOrder);
    expect(tco.measured.facts.map((f) => f.label)).not.toContain('Requests per order at the peak');
  });
});
