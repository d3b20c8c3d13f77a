/**
 * `bc-harness uat` routes a command integration to the simulator as the platform by default, and
 * the run record says which way each request came; `--no-intercept` leaves it with
 * BIGCOMMERCE_API_URL only. The load and the drain are replaced by short stand-ins (UatStages):
 * what is under test is the routing, not the verdict.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionsFrom } from '../../src/cli/commands/uat.ts';
import type { LoadRunResult } from '../../src/uat/load-process.ts';
import { runUat, type UatStages } from '../../src/uat/orchestrator.ts';
import { cleanupTempDirs, shortUatFlags, tempDir } from '../uat/support/run-uat.ts';

afterAll(cleanupTempDirs);

const VENDOR_APP = 'node test/intercept/fixtures/hardcoded-vendor-app.cjs';

function options(out: string, intercept?: false, integration = VENDOR_APP) {
  const flags = shortUatFlags(integration, out, { products: 40, customers: 20, pastOrders: 5, ...(intercept === false ? { intercept } : {}) });
  return optionsFrom(flags);
}

/** Instead of the scenario: give the integration a couple of real seconds to make its calls. */
const briefLoad: UatStages['runLoad'] = async () => {
  const started = Date.now();
  await new Promise((r) => setTimeout(r, 2_500));
  return { exitCode: 0, runner: 'embedded', summary: undefined, startedRealMs: started, endedRealMs: Date.now() } satisfies LoadRunResult;
};
const noDrain: UatStages['drain'] = async () => ({ reason: 'quiet', text: 'Not waited for (test).', outstanding: 0 });

const firstLine = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'integration.log'), 'utf8').split('\n').find((l) => l.startsWith('{'))!);

describe('uat with a command integration that hard-codes https://api.bigcommerce.com', () => {
  it('routes it to the simulator by default, refuses its call off the machine, and records the routes', async () => {
    const log: string[] = [];
    const result = await runUat(options(join(tempDir(), 'run')), { log: (l) => log.push(l), stages: { runLoad: briefLoad, drain: noDrain } });
    const run = JSON.parse(readFileSync(join(result.runDir!, 'run.json'), 'utf8'));
    expect(firstLine(result.runDir!)).toEqual({ https: 200, proxy: 200, phoneHome: expect.stringMatching(/^error/) });
    expect(run.intercept.requests.preload).toBeGreaterThanOrEqual(2);
    expect(run.intercept.requests.proxy).toBe(1);
    expect(run.intercept.requests.direct).toBe(0);
    expect(run.intercept.tlsFailures).toEqual({ handshakes: 0, names: [], cutByStop: 0 });
    expect(run.intercept.proxyStats.refused).toEqual({ 'telemetry.example.com:443': 1 });
    expect(log.join('\n')).toMatch(/refused CONNECT telemetry\.example\.com:443/);
    expect(run.notes.join('\n')).toMatch(/Management API requests by route: 1 through the harness's proxy .*, \d+ over HTTPS without it \(the Node preload\), 0 over HTTP/);
    expect(statSync(join(result.runDir!, 'tls', 'ca-key.pem')).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('with --no-intercept gives it only BIGCOMMERCE_API_URL, so the hard-coded host does not resolve', async () => {
    const result = await runUat(options(join(tempDir(), 'run'), false), { log: () => {}, stages: { runLoad: briefLoad, drain: noDrain } });
    const run = JSON.parse(readFileSync(join(result.runDir!, 'run.json'), 'utf8'));
    const line = firstLine(result.runDir!);
    expect(line.https).toMatch(/^error/);
    expect(run.intercept).toBeNull();
  }, 120_000);

  it('calls a run inconclusive, not failed, when the integration does not accept the harness as the platform (a pinned CA)', async () => {
    const result = await runUat(options(join(tempDir(), 'run'), undefined, 'node test/intercept/fixtures/pinned-vendor-app.cjs'), { log: () => {}, stages: { runLoad: briefLoad, drain: noDrain } });
    const run = JSON.parse(readFileSync(join(result.runDir!, 'run.json'), 'utf8'));
    expect(firstLine(result.runDir!).https).toMatch(/^error/);
    expect(run.intercept.tlsFailures.handshakes).toBeGreaterThanOrEqual(1);
    expect(run.intercept.tlsFailures.names).toContain('api.bigcommerce.com');
    expect(result.verdict).toBe('inconclusive');
    const uat = JSON.parse(readFileSync(join(result.runDir!, 'report.json'), 'utf8'));
    expect(JSON.stringify(uat)).toMatch(/interception-failed/);
  }, 120_000);
});
