/**
 * The UAT report from a hand-made run: the model validates, and each format says the same thing
 * (verdict, failed criteria with their evidence, findings), with text escaped for its format.
 */
import { describe, expect, it } from 'vitest';
import { buildUatReport, type RunInfo } from '../../src/reports/uat/build.ts';
import { renderUatReport } from '../../src/reports/uat/render.ts';
import { bucketSize, createBarChart, niceTicks } from '../../src/reports/uat/svg-charts.ts';
import { defaultCriteria } from '../../src/verify/criteria.ts';
import { decideVerdict } from '../../src/verify/verdict.ts';
import type { Verification } from '../../src/verify/verify-run.ts';
import { createTestRun, START } from '../verify/support/run-builder.ts';

function reportOf(mutate?: (run: ReturnType<typeof createTestRun>, ids: number[]) => void, tweak?: (v: Verification) => void) {
  const run = createTestRun();
  run.quota = { plan: 'standard', perWindow: 150, windowMs: 30_000, windows: [{ start: new Date(START).toISOString(), used: 12, usedByOthers: 0, refused: 0, byClient: { client_test_integration: 12 } }] };
  const ids = run.place('typical', 3);
  run.advance(20_000);
  for (const id of ids) run.syncToErp(id);
  mutate?.(run, ids);
  run.advance(60_000);
  const verification = run.verify({ criteria: defaultCriteria(['orders']) });
  tweak?.(verification);
  const info: RunInfo = {
    id: 'test-run',
    dir: '/tmp/test-run',
    scenario: { name: 'doorbuster', description: 'A <burst> & "more"' },
    integration: { label: 'command', command: 'my-integration --flag "x"' },
    plan: 'standard',
    quotaPerWindow: 150,
    timeScale: 60,
    seed: 1,
    simStart: START,
    loadStartedAt: START,
    loadEndedAt: run.now() - 30_000,
    endAt: run.now(),
    realStartedAt: '2026-11-27T12:00:00.000Z',
    realSeconds: 12.5,
    drain: { reason: 'settled', text: 'Settled.' },
    load: { runner: 'embedded', exitCode: 0, ordersPlaced: 3, droppedIterations: 0, stepsSkipped: 0, failedChecks: [] },
    status: 'complete',
    notes: [],
  };
  return buildUatReport({ verification, run: info, waived: [], generatedAt: new Date('2026-11-27T13:00:00Z') });
}

describe('the UAT report', () => {
  it('renders a passing run in every format', () => {
    const report = reportOf();
    expect(report.verdict).toBe('pass');
    const html = renderUatReport(report, 'html');
    expect(html).toContain('<span class="verdict pass">PASS</span>');
    expect(html).toContain('A &lt;burst&gt; &amp; &quot;more&quot;');
    expect(html.match(/<svg /g)).toHaveLength(5);
    const md = renderUatReport(report, 'md');
    expect(md).toMatch(/^# UAT report: doorbuster against command: \*\*PASS\*\*/);
    expect(JSON.parse(renderUatReport(report, 'json'))).toMatchObject({ verdict: 'pass', criteria: expect.any(Array) });
    const junit = renderUatReport(report, 'junit');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(junit.match(/<testcase /g)).toHaveLength(report.criteria.length);
    expect(junit).not.toContain('<failure');
  });

  it('shows a criterion the run did not exercise as NOT EXERCISED in every format, never as passed', () => {
    const report = reportOf();
    const row = report.criteria.find((c) => c.id === 'honours-429')!;
    expect(row).toMatchObject({ status: 'not-exercised', statusText: 'NOT EXERCISED', passed: false });
    expect(row.note).toContain('no 429 was answered');
    expect(report.verdictReason).toContain('were not exercised (honours-429, hooks-recovered)');
    expect(report.headline).toBe(report.verdictReason);
    const html = renderUatReport(report, 'html');
    expect(html).toMatch(/<tr class="not-exercised">\s*<td><span class="badge not-exercised">NOT EXERCISED<\/span><\/td>\s*<td><b>Every 429 is followed by waiting the reset time<\/b>/);
    // Neutral grey, not the green of a pass.
    expect(html).toMatch(/\.badge\.not-exercised \{ background: var\(--skip-bg\); color: var\(--skip\); \}/);
    const md = renderUatReport(report, 'md');
    expect(md).toContain('| ⚪ not exercised | Every 429 is followed by waiting the reset time |');
    expect(md).not.toContain('| ✅ | Every 429 is followed');
    const junit = renderUatReport(report, 'junit');
    expect(junit).toMatch(/<testcase classname="uat\.doorbuster\.platform" name="honours-429: [^"]+" time="0">\s*<skipped message="not exercised: no 429 was answered[^"]*"\/>/);
    expect(junit).toMatch(/<testsuite name="uat\.doorbuster\.platform" tests="4" failures="0" errors="0" skipped="2"/);
    expect(junit).toContain(`skipped="${report.junit.skipped}"`);
    expect(report.junit.skipped).toBe(2);
    expect(JSON.parse(renderUatReport(report, 'json')).criteria.find((c: { id: string }) => c.id === 'honours-429')).toMatchObject({ status: 'not-exercised', passed: false });
  });

  it('names the corrupted record and field in every format when one ERP record is wrong', () => {
    const report = reportOf((run, ids) => {
      const line = run.journal.find((l) => l.key === String(ids[1]))!;
      (line.body as { billTo: { name: string } }).billTo.name = 'Robert"); DROP TABLE <orders>';
    });
    expect(report.verdict).toBe('fail');
    const row = report.criteria.find((c) => c.id === 'no-corrupted-orders')!;
    expect(row).toMatchObject({ status: 'fail', valueText: '1' });
    expect(row.evidence[0]).toContain('billTo.name expected');
    const html = renderUatReport(report, 'html');
    expect(html).toContain('DROP TABLE &lt;orders&gt;');
    expect(html).not.toContain('DROP TABLE <orders>');
    const junit = renderUatReport(report, 'junit');
    expect(junit).toMatch(/<testcase classname="uat\.doorbuster\.orders" name="no-corrupted-orders: [^"]+" time="0">\s*<failure type="orders\.corrupted" message="orders\.corrupted = 1, required == 0">/);
    expect(junit).toContain('DROP TABLE &lt;orders&gt;');
    const md = renderUatReport(report, 'md');
    expect(md).toContain('| ❌ | Every order arrives field for field');
    expect(md).toContain(`order ${report.streams[0]!.corrupted[0]!.ref.split(' ')[1]}`);
  });
});

describe('the headline of a FAIL on a run that was not faithful', () => {
  it('leads with the failures no time scale could cause and says the others do not decide the verdict', () => {
    const report = reportOf(
      (run, ids) => {
        const line = run.journal.find((l) => l.key === String(ids[1]))!;
        (line.body as { billTo: { name: string } }).billTo.name = 'Someone Else';
        // ids[2] never reaches the ERP.
        run.journal.splice(run.journal.findIndex((l) => l.key === String(ids[2])), 1);
      },
      (v) => {
        // The drain was cut short and the harness fell behind: a loss could be the compression's.
        v.fidelity.problems.push({ kind: 'harness-lag', text: 'The harness fell behind.', fix: 'Lower --time-scale.' });
        v.decision = decideVerdict({ interrupted: false, criteria: v.criteria, problems: v.fidelity.problems, robustness: { drainComplete: false, deliveryFailuresProvoked: true } });
        v.verdict = v.decision.verdict;
      },
    );
    expect(report.verdict).toBe('fail');
    expect(report.criteria.find((c) => c.id === 'no-lost-orders')!.status).toBe('fail');
    expect(report.headline).toMatch(/^1 of \d+ acceptance criteria failed in a way no time scale could cause: Every order arrives field for field: Orders → ERP sales orders \(orders\.corrupted = 1, required == 0\)\. The run was not faithful \(harness-lag\), so the 1 other failure\(s\) \(no-lost-orders\) may be the compression's doing and do not decide the verdict/);
    const md = renderUatReport(report, 'md');
    expect(md).toContain('in a way no time scale could cause');
  });

  it('writes the cards\' counts as the TCO report does (221,190)', () => {
    const report = reportOf(undefined, (v) => {
      v.rateLimits.limited = 221_190;
      v.rateLimits.ignored = 218_662;
    });
    expect(report.cards.find((c) => c.label === '429s (ignored)')!.value).toBe('221,190 (218,662)');
  });

  it('labels the p95 card with how many orders it was taken over when some never arrived', () => {
    const report = reportOf((run, ids) => {
      run.journal.splice(run.journal.findIndex((l) => l.key === String(ids[2])), 1);
    });
    expect(report.cards.map((c) => c.label)).toContain('p95 to ERP, of the 2 that arrived');
    expect(reportOf().cards.map((c) => c.label)).toContain('p95 to ERP');
  });

  it('keeps the plain list when every failure decides the verdict', () => {
    const report = reportOf((run, ids) => {
      const line = run.journal.find((l) => l.key === String(ids[1]))!;
      (line.body as { billTo: { name: string } }).billTo.name = 'Someone Else';
    });
    expect(report.headline).toMatch(/^1 of \d+ acceptance criteria failed: Every order arrives field for field/);
  });
});

describe('the SVG chart helpers', () => {
  it.each([
    [7, [0, 2, 4, 6, 8]],
    [150, [0, 50, 100, 150]],
    [0.9, [0, 0.25, 0.5, 0.75, 1]],
  ])('puts nice ticks up to %s', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('slices a day into at most 96 buckets of a round size', () => {
    expect(bucketSize(86_400_000)).toBe(900_000);
    expect(bucketSize(30 * 60_000)).toBe(30_000);
  });

  it('escapes every text it embeds', () => {
    const svg = createBarChart({ title: 'a <b> & c', origin: 0, from: 0, to: 60_000, yLabel: 'y', bucketMs: 10_000, buckets: [{ start: 0, values: { s: 3 } }], series: [{ name: '<s>', color: '#000' }] });
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(svg).not.toContain('<s>');
  });
});
