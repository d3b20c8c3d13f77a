/**
 * `bc-harness uat` as a command: a vendor's integration given as a command passes, the --json
 * line and the exit codes follow DESIGN.md section 8, the reports are written (JUnit where CI
 * wants it), the verdict is recomputed from the run directory's files, bad input is exit 2 before
 * anything starts, and Ctrl-C stops everything and still writes the run directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, expectVerdictOrInconclusive, runUat, startUat, tempDir } from './support/run-uat.ts';

afterAll(cleanupTempDirs);

const WELL_BEHAVED = 'node --import tsx test/uat/fixtures/well-behaved-integration.ts';

describe('a run that passes', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  const junit = join(dir, 'ci', 'uat.xml');
  const config = join(dir, 'uat.yml');
  // Judge the defaults too, so field-by-field corruption is a criterion of this run. 30x keeps the
  // run faithful on two cores (doorbuster judges 429s, so answer times count against a 30 s window).
  writeFileSync(config, 'acceptance:\n  defaults: true\ndrain:\n  quiet: 5m\n');
  const run = runUat(['--scenario', 'doorbuster', '--integration', WELL_BEHAVED, '--time-scale', '30', '--volume-scale', '0.05', '--config', config, '--junit', junit], { out });

  it('exits 0 with the documented JSON line (or 3, inconclusive, naming why, on a machine too busy to run it faithfully)', async () => {
    const { exitCode, line } = await run;
    expect(line.error).toBeUndefined();
    const faithful = expectVerdictOrInconclusive(line, 'pass');
    expect(exitCode).toBe(faithful ? 0 : 3);
    expect(line).toMatchObject({ reportDir: out, findings: [] });
    for (const c of line.criteria) expect(c).toEqual(expect.objectContaining({ name: expect.any(String), flow: expect.any(String), status: expect.stringMatching(/^(passed|failed|not-exercised)$/), passed: expect.any(Boolean), limit: expect.any(Number) }));
    for (const c of line.criteria) expect(c.passed, c.id).toBe(c.status === 'passed');
    // What no time scale can cause never fails, busy machine or not.
    for (const id of ['no-lost-orders', 'no-corrupted-orders', 'no-integration-crashed']) expect(line.criteria.find((c) => c.id === id)!.passed, id).toBe(true);
    // A criterion this short run gave no chance to fail (no 429 at a twentieth of the volume) is not exercised, never failed.
    if (faithful) for (const c of line.criteria) expect(c.status, c.id).not.toBe('failed');
    expect(line.criteria.map((c) => c.id)).toEqual(expect.arrayContaining(['no-lost-orders', 'no-corrupted-orders', 'honours-429', 'burst-drains', 'no-rate-limit-breach', 'no-integration-crashed']));
    expect(line.criteria.find((c) => c.id === 'no-lost-orders')!.value).toBe(0);
  }, 120_000);

  it('writes the run directory, the reports and the JUnit file where CI wants it', async () => {
    await run;
    for (const f of ['run.json', 'ledger.jsonl', 'journal-erp.jsonl', 'alerts.jsonl', 'quota.json', 'load-summary.json', 'verdict.json', 'report.html', 'report.md', 'report.json', 'junit.xml', 'integration.log', 'load.log']) expect(existsSync(join(out, f)), f).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="https?:|url\(https?:/);
    expect(html).toContain('Partner scorecard');
    const xml = readFileSync(junit, 'utf8');
    const { line } = await run;
    // A faithful pass has no failure and no error; an inconclusive run has the harness's error case, never a clean sheet.
    expect(xml).toMatch(line.verdict === 'pass' ? /<testsuites name="bc-harness uat doorbuster \(command\)" tests="\d+" failures="0" errors="0"/ : /errors="1"[\s\S]*<error type="inconclusive"/);
    expect(xml).toContain('<testsuite name="uat.doorbuster.orders"');
    expect(xml).toContain('<testsuite name="uat.doorbuster.platform"');
  }, 120_000);

  it('recomputes the verdict from the files: one corrupted ERP record in the journal fails it and is named', async () => {
    await run;
    const { line: first } = await run;
    const again = await runUat(['--verify', out], { out: join(dir, 'unused') });
    expect(again.line.verdict).toBe(first.verdict);
    expect(again.exitCode).toBe(first.verdict === 'pass' ? 0 : 3);
    const file = join(out, 'journal-erp.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number; key: string; body: { billTo: { city: string } } });
    // An order placed in this run (the sweep may also sync an order from before it), and the
    // last accepted write of its key, which is what the ERP keeps.
    const placed = new Set(readFileSync(join(out, 'ledger.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"kind":"resource:created"') && l.includes('"resource":"order"')).map((l) => String((JSON.parse(l) as { id: number }).id)));
    const victim = lines.filter((l) => l.status >= 200 && l.status < 300 && placed.has(l.key)).at(-1)!;
    victim.body.billTo.city = 'Nowhere';
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const tampered = await runUat(['--verify', out], { out: join(dir, 'unused') });
    // Corruption is a failure no time scale could cause: fail, faithful run or not.
    expect(tampered.line.verdict).toBe('fail');
    expect(tampered.exitCode).toBe(1);
    const corrupted = tampered.line.criteria.find((c) => c.id === 'no-corrupted-orders')!;
    expect(corrupted).toMatchObject({ passed: false, value: 1 });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { criteria: { id: string; evidence: string[] }[] };
    expect(report.criteria.find((c) => c.id === 'no-corrupted-orders')!.evidence[0]).toMatch(new RegExp(`^order ${victim.key}: billTo.city expected ".+", got "Nowhere"`));
  }, 120_000);
});

describe('input the harness refuses before starting anything (exit 2)', () => {
  const dir = tempDir();
  const badConfig = join(dir, 'bad.yml');
  writeFileSync(badConfig, 'acceptance:\n  criteria:\n    - { id: made-up, name: x, flow: orders, measure: orders.happiness, op: "==", limit: 0, why: w }\n');
  it.each([
    [['--scenario', 'no-such-scenario', '--integration', 'reference'], /Failed to find the scenario "no-such-scenario"/],
    [['--scenario', 'doorbuster', '--integration', 'naive-sloppy'], /naive-sloppy is not a naive fixture/],
    [['--scenario', 'doorbuster', '--integration', 'reference', '--config', badConfig], /does not compute the measure "orders.happiness"/],
    [['--scenario', 'doorbuster'], /--integration is required/],
    [['--scenario', 'worst-case-orders', '--integration', 'reference', '--time-scale', '5000'], /Use TIME_SCALE=1800 or lower/],
  ])('%j', async (args, message) => {
    const { exitCode, line, stderr } = await runUat(args);
    expect(exitCode).toBe(2);
    expect(line.verdict).toBe('inconclusive');
    expect(line.error).toBeTruthy();
    expect(stderr).toMatch(message);
  }, 60_000);

  it('refuses a run directory that already holds a run', async () => {
    const out = join(tempDir(), 'used');
    mkdirSync(out);
    writeFileSync(join(out, 'ledger.jsonl'), '');
    const { exitCode, stderr } = await runUat(['--scenario', 'doorbuster', '--integration', 'reference'], { out });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/the directory is not empty/);
  }, 60_000);

  it('calls a command that does not start invalid input, not a failed integration', async () => {
    const { exitCode, line } = await runUat(['--scenario', 'doorbuster', '--integration', 'sh -c "echo broken >&2; exit 4"', '--time-scale', '300']);
    expect(exitCode).toBe(2);
    expect(line.verdict).toBe('inconclusive');
    expect(line.error).toMatch(/exited with code 4 before it was ready/);
  }, 60_000);
});

describe('Ctrl-C', () => {
  it('stops the load, the integration, the mocks and the simulator, and still writes the run directory', async () => {
    const out = join(tempDir(), 'run');
    const run = startUat(['--scenario', 'baseline-day', '--integration', WELL_BEHAVED, '--time-scale', '600', '--out', out]);
    await expect.poll(() => run.stderr(), { timeout: 30_000, interval: 100 }).toMatch(/Running baseline-day/);
    await new Promise((r) => setTimeout(r, 1_500));
    const started = Date.now();
    run.child.kill('SIGINT');
    const { exitCode, stdout } = await run.done;
    expect(exitCode).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ verdict: 'interrupted', error: 'interrupted', reportDir: out });
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; integration: { exit: string } };
    expect(record.status).toBe('interrupted');
    expect(record.integration.exit).toMatch(/stopped by the harness/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<span class="verdict interrupted">INTERRUPTED</span>');
    // CI reads the JUnit file: an interrupted run is an error there, never zero failures and zero errors.
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites [^>]*errors="1"/);
    expect(xml).toMatch(/<error type="interrupted" message="INTERRUPTED/);
  }, 90_000);
});
