/**
 * Verdicts a buyer can sign on, end to end with real processes (the trust issue's "what was seen"):
 * an integration that corrupts every order fails every scenario it runs, even those whose own
 * criteria leave corruption out; an integration that crashes mid-run fails with
 * `integration-crashed` in the JSON line, the headline, the CLI summary and JUnit, and the orders
 * placed after the crash are its consequence, not another pattern's.
 *
 * The invariant merge these tests guard: `invariantCriteria` in src/verify/criteria.ts, added in
 * `verifyRun`. Dropping it (or its `covered` filter) makes the doorbuster, competing-apps and
 * erp-degraded cases below pass the corrupting integration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, expectVerdictOrInconclusive, runUat } from './support/run-uat.ts';

afterAll(cleanupTempDirs);

const CORRUPTING = 'node --import tsx test/uat/fixtures/corrupting-integration.ts';
const CRASHING = 'node --import tsx test/uat/fixtures/crashing-integration.ts';
const WELL_BEHAVED = 'node --import tsx test/uat/fixtures/well-behaved-integration.ts';

/** CPU-bound processes on every core, each ending by itself after `seconds` (and killed afterwards). */
function cpuHogs(count: number, seconds: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
}

describe('a busy machine (two CPU-bound processes beside the run)', () => {
  it('gives a good integration pass or inconclusive, never fail, and a corrupting one fail', async () => {
    const hogs = cpuHogs(2, 90);
    try {
      const good = await runUat(['--scenario', 'doorbuster', '--integration', WELL_BEHAVED, '--time-scale', '60', '--volume-scale', '0.05', '--drain-quiet', '5m']);
      expectVerdictOrInconclusive(good.line, 'pass');
      expect(good.exitCode).toBe(good.line.verdict === 'pass' ? 0 : 3);
      const bad = await runUat(['--scenario', 'doorbuster', '--integration', CORRUPTING, '--time-scale', '60', '--volume-scale', '0.05', '--drain-quiet', '5m']);
      expect(bad.line.verdict).toBe('fail');
      expect(bad.line.criteria.find((c) => c.measure === 'orders.corrupted')!.passed).toBe(false);
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
  }, 180_000);
});

describe('an integration that corrupts every order', () => {
  // The three scenarios whose own criteria do not mention orders.corrupted.
  it.each([
    { scenario: 'doorbuster', args: ['--time-scale', '300', '--volume-scale', '0.05'] },
    { scenario: 'competing-apps', args: ['--time-scale', '600', '--volume-scale', '0.1'] },
    { scenario: 'erp-degraded', args: ['--time-scale', '600', '--volume-scale', '0.1'] },
  ])('fails $scenario on no-corrupted-orders, whatever the machine is doing', async ({ scenario, args }) => {
    const { exitCode, line } = await runUat(['--scenario', scenario, '--integration', CORRUPTING, '--drain-quiet', '5m', ...args]);
    // Corruption is a failure no time scale could cause: never inconclusive, never pass.
    expect(line.verdict, JSON.stringify(line.fidelity)).toBe('fail');
    expect(exitCode).toBe(1);
    const corrupted = line.criteria.find((c) => c.measure === 'orders.corrupted')!;
    expect(corrupted.passed).toBe(false);
    expect(corrupted.value).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(line.reports!.json, 'utf8')) as { cards: { label: string; value: string }[]; headline: string };
    expect(report.headline).toMatch(/failed/);
    expect(report.cards.find((c) => c.label === 'in the ERP, correct')!.value).toBe('0');
  }, 180_000);
});

describe('an integration that crashes 2.5 s into the run', () => {
  const run = runUat(['--scenario', 'doorbuster', '--integration', CRASHING, '--time-scale', '120', '--volume-scale', '0.1', '--drain-quiet', '5m']);

  it('fails with integration-crashed, with the simulated time, in the JSON line', async () => {
    const { exitCode, line } = await run;
    expect(line.verdict).toBe('fail');
    expect(exitCode).toBe(1);
    expect(line.integrationCrashed).toMatchObject({ kind: 'exited', text: 'exited with code 1' });
    expect(Date.parse(line.integrationCrashed!.at)).not.toBeNaN();
    expect(line.findings.map((f) => f.pattern)).toContain('integration-crashed');
    expect(line.criteria.find((c) => c.id === 'no-integration-crashed')).toMatchObject({ passed: false, value: 1 });
  }, 120_000);

  it('blames the orders placed after the crash on the crash, not on another pattern', async () => {
    const { line } = await run;
    const patterns = new Set(line.findings.map((f) => f.pattern));
    expect(patterns.has('silent-failure')).toBe(false);
    expect(patterns.has('rate-limit-breach')).toBe(false);
    const orders = line.findings.find((f) => f.pattern === 'integration-crashed' && f.flow === 'orders');
    expect(orders?.count ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('says so in the headline, the Markdown report and the JUnit file', async () => {
    const { line } = await run;
    const report = JSON.parse(readFileSync(line.reports!.json, 'utf8')) as { headline: string; verdictText: string };
    expect(report.verdictText).toBe('FAIL');
    expect(report.headline).toMatch(/^The integration exited with code 1 at \+\S+ \(simulated\)/);
    expect(readFileSync(line.reports!.md, 'utf8')).toMatch(/The integration exited with code 1/);
    const junit = readFileSync(line.reports!.junit, 'utf8');
    expect(junit).toMatch(/<testcase classname="uat\.doorbuster\.platform" name="no-integration-crashed: [^"]*"[^>]*>\s*<failure/);
  }, 120_000);
});
