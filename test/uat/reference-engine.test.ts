/**
 * The reference engine passes the scenarios the UAT issue names: flash-sale-10x and
 * webhook-outage, spawned exactly as `--integration reference` does for users
 * (`bc-harness engine --json`). Short variants: a twentieth of the flash sale's orders at 1440x
 * (24 simulated hours in a minute), a quarter of the outage's at 10800x (54 hours in 18 seconds),
 * the whole catalog storm at 600x. An integration that does not carry the ERP's changes into the
 * store fails the storm, so passing it means something.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, expectVerdictOrInconclusive, runUat, type UatLine } from './support/run-uat.ts';

afterAll(cleanupTempDirs);

/**
 * What a failed criterion's evidence says and what the engine logged about those records: the run
 * directory is gone when CI prints the failure, so the message has to carry what to look into.
 */
function whyFailed(line: UatLine, id: string): string {
  try {
    const report = JSON.parse(readFileSync(line.reports!.json, 'utf8')) as { criteria: { id: string; evidence: string[] }[] };
    const evidence = report.criteria.find((c) => c.id === id)?.evidence ?? [];
    const tokens = [...new Set(evidence.join(' ').match(/\b[\w-]*\d[\w-]*\b/g) ?? [])].slice(0, 10);
    const log = readFileSync(join(dirname(line.reports!.json), 'integration.log'), 'utf8').split('\n');
    const mentions = log.filter((l) => tokens.some((t) => l.includes(t))).slice(-20);
    return `evidence: ${JSON.stringify(evidence.slice(0, 5))}; integration.log lines naming them: ${JSON.stringify(mentions)}`;
  } catch (error) {
    return `(no detail: ${(error as Error).message})`;
  }
}

const engineLanded = existsSync(join(process.cwd(), 'src/engine/engine.ts')) && existsSync(join(process.cwd(), 'src/cli/commands/engine.ts'));

describe.skipIf(!engineLanded)('the reference engine (bc-harness engine --json)', () => {
  it.each([
    { scenario: 'flash-sale-10x', args: ['--time-scale', '1440', '--volume-scale', '0.05'] },
    { scenario: 'webhook-outage', args: ['--time-scale', '10800', '--volume-scale', '0.25'] },
    // 10,000 ERP stock and price changes in 30 simulated minutes, at 600x (constant arrival rate caps it at 1800x).
    { scenario: 'catalog-storm', args: ['--time-scale', '600'] },
  ])('passes $scenario with no finding (inconclusive only when the machine was too busy to run it faithfully)', async ({ scenario, args }) => {
    const { exitCode, line } = await runUat(['--scenario', scenario, '--integration', 'reference', ...args]);
    const faithful = expectVerdictOrInconclusive(line, 'pass');
    expect(exitCode).toBe(faithful ? 0 : 3);
    const failed = line.criteria.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.measure} = ${c.value}`);
    if (faithful) {
      expect(failed, line.error ?? '').toEqual([]);
      expect(line.findings).toEqual([]);
    }
    // Whatever the machine: nothing lost, corrupted or duplicated, and the engine stayed up.
    for (const c of line.criteria.filter((x) => /\.(lost|corrupted|duplicated)$|integrationCrashed/.test(x.measure))) expect(c.passed, `${c.id} = ${c.value}${c.passed ? '' : `: ${whyFailed(line, c.id)}`}`).toBe(true);
  }, 240_000);

  it('a poller that only syncs orders fails catalog-storm on the stock and price changes it never carried', async () => {
    const { exitCode, line } = await runUat(['--scenario', 'catalog-storm', '--integration', 'naive-fixed-poller', '--time-scale', '600']);
    const failed = new Set(line.criteria.filter((c) => c.status === 'failed').map((c) => c.id));
    expect(failed).toContain('no-lost-stock-changes');
    expect(failed).toContain('no-lost-price-changes');
    expect(line.criteria.find((c) => c.id === 'no-lost-stock-changes')!.value).toBeGreaterThan(1000);
    expect(exitCode).toBe(1);
  }, 240_000);
});
