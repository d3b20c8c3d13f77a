/**
 * End to end: the naive fixed poller and the reference engine run the same doorbuster rehearsal
 * (a tenth of the orders at 300x, the quota shrunk with the volume so the burst still needs
 * several times the plan), each UAT run writes its cost-of-ownership report, and the measured
 * capacity conclusions differ: the poller spends more requests per order, drops orders at the
 * quota, survives a smaller flash sale and outgrows Standard sooner. Then `bc-harness tco` on one
 * run directory, and the HTML in a real browser (skipped, saying why, without /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcoReport } from '../../src/reports/tco/model.ts';
import { CHROMIUM, documentWidth, hasChromium, withReportPage } from '../support/browser.ts';
import { BIN, cleanupTempDirs, expectVerdictOrInconclusive, runUat, tempDir, type UatRun } from '../uat/support/run-uat.ts';

afterAll(cleanupTempDirs);

const args = ['--scenario', 'doorbuster', '--drain-quiet', '5m', '--time-scale', '300', '--volume-scale', '0.1', '--quota', '5'];
let poller: UatRun;
let reference: UatRun;
const tco = (run: UatRun) => JSON.parse(fs.readFileSync(path.join(run.out, 'tco.json'), 'utf8')) as TcoReport;

beforeAll(async () => {
  // One after the other: two cores, and each run's timing is part of what it measures.
  poller = await runUat([...args, '--integration', 'naive-fixed-poller']);
  reference = await runUat([...args, '--integration', 'reference']);
}, 120_000);

describe('the cost-of-ownership report of a UAT run', () => {
  it('is written beside the UAT report, which links to it, without changing the verdict', () => {
    // The poller drops orders on 429s: a failure, or inconclusive (naming why) when the machine was
    // too busy to tell; never a pass.
    expect(poller.exitCode, poller.line.error).toBe(expectVerdictOrInconclusive(poller.line, 'fail') || poller.line.verdict === 'fail' ? 1 : 3);
    // The reference engine passes, or is inconclusive (exit 3) when the machine is too busy to judge it.
    expect(reference.exitCode, reference.line.error).toBe(expectVerdictOrInconclusive(reference.line, 'pass') ? 0 : 3);
    for (const run of [poller, reference]) {
      for (const f of ['tco.html', 'tco.md', 'tco.json']) expect(fs.existsSync(path.join(run.out, f)), f).toBe(true);
      expect((run.line.reports as Record<string, string>).tco).toBe(path.join(run.out, 'tco.html'));
      expect(fs.readFileSync(path.join(run.out, 'report.html'), 'utf8')).toContain('href="tco.html"');
      expect(fs.readFileSync(path.join(run.out, 'report.md'), 'utf8')).toContain('[tco.md](tco.md)');
      expect(fs.readFileSync(path.join(run.out, 'tco.html'), 'utf8')).toContain('href="report.html"');
    }
  });

  it('measures different capacity for the naive poller and the reference engine', () => {
    const p = tco(poller);
    const r = tco(reference);
    // What happens at the quota, from the run: the poller lost orders after 429s, the engine queued.
    expect(p.data.behaviour).toBe('drops');
    expect(r.data.behaviour).toBe('queues');
    // The poller reads every order three times over; the engine batches.
    expect(p.data.orderDrivenPerOrder!).toBeGreaterThanOrEqual(3);
    expect(r.data.orderDrivenPerOrder!).toBeLessThan(p.data.orderDrivenPerOrder! / 2);
    const std = (t: TcoReport) => t.data.plans.find((g) => g.label === 'Standard/Plus')!;
    expect(std(r).maxFlashSaleMultiplierToday!).toBeGreaterThan(2 * std(p).maxFlashSaleMultiplierToday!);
    expect(std(r).flashSaleOutgrownInYears!).toBeGreaterThan(std(p).flashSaleOutgrownInYears!);
    expect(p.measured.behaviour.text).toMatch(/lost \d+ of \d+ orders/);
    expect(p.capacity.conclusions.join(' ')).not.toBe(r.capacity.conclusions.join(' '));
  });

  it('shows the UAT report\'s requests per order, which its flows add up to', () => {
    for (const run of [poller, reference]) {
      const t = tco(run);
      const uat = JSON.parse(fs.readFileSync(path.join(run.out, 'report.json'), 'utf8')) as { api: { requests: number; callsPerOrder: string } };
      expect(t.measured.flowsTotal.perOrder).toBe(uat.api.callsPerOrder);
      expect(t.data.flows.reduce((s, f) => s + f.requests, 0)).toBe(uat.api.requests);
      expect(t.data.flows.reduce((s, f) => s + (f.perOrder ?? 0), 0)).toBeCloseTo(t.data.requestsPerOrder!, 9);
      // --volume-scale 0.1 and --quota 5: said, and undone for the projection.
      expect(t.run.scalingText).toContain("Measured at 0.1x the scenario's volume (--volume-scale 0.1) against a quota of 5 requests a window (--quota 5)");
    }
  });

  it('is rendered again by `bc-harness tco --run DIR` with other assumptions', () => {
    const out = tempDir('bc-harness-tco-out-');
    const result = spawnSync(process.execPath, [BIN, 'tco', '--run', reference.out, '--growth', '1', '--years', '5', '--out', out, '--json'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const line = JSON.parse(result.stdout.trim()) as { reports: { html: string }; behaviour: string };
    expect(line.behaviour).toBe('queues');
    const report = JSON.parse(fs.readFileSync(path.join(out, 'tco.json'), 'utf8')) as TcoReport;
    expect(report.years).toBe(5);
    expect(report.capacity.rows).toHaveLength(6);
    expect(report.costs.methods.every((m) => m.perYear.length === 5)).toBe(true);
  }, 30_000);
});

describe.runIf(hasChromium)('the report in a real browser', () => {
  it('renders both charts and every section without loading anything', async () => {
    await withReportPage(path.join(poller.out, 'tco.html'), async (page, external) => {
      expect(await page.locator('figure svg').count()).toBe(2);
      for (const id of ['recommendation', 'measured', 'capacity', 'costs', 'left-out', 'assumptions']) expect(await page.locator(`#${id}`).count(), id).toBe(1);
      expect(await page.locator('.method.recommended').count()).toBe(1);
      expect(await documentWidth(page)).toBeLessThanOrEqual(1280);
      const shot = await page.screenshot({ path: path.join(poller.out, 'tco.png'), fullPage: true });
      expect(shot.length).toBeGreaterThan(50_000);
      expect(external).toEqual([]);
    });
  }, 30_000);
});
describe.runIf(!hasChromium)(`the report in a real browser (skipped: ${CHROMIUM} not found)`, () => {
  it.skip(`renders both charts and every section without loading anything: skipped because ${CHROMIUM} is not installed`, () => {});
});
