/**
 * The UAT run is a composition of stages (src/uat/orchestrator.ts UatStages); a test replaces
 * exactly one and keeps the rest real (a real simulator, mocks, integration process, verifier).
 * Here the harness's own failures to run the scenario as planned: whatever the integration did,
 * they make the verdict inconclusive, never pass.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionsFrom } from '../../src/cli/commands/uat.ts';
import type { LoadRunResult } from '../../src/uat/load-process.ts';
import { runUat, type UatStages } from '../../src/uat/orchestrator.ts';
import { cleanupTempDirs, shortUatFlags, tempDir } from './support/run-uat.ts';

afterAll(cleanupTempDirs);

const WELL_BEHAVED = 'node --import tsx test/uat/fixtures/well-behaved-integration.ts';

function options(out: string) {
  const flags = shortUatFlags(WELL_BEHAVED, out, { drainQuiet: '5m', readyTimeout: 60 });
  return optionsFrom(flags);
}

/** A load stage that places a handful of the planned orders and reports success, as real k6 can. */
const shortLoad: UatStages['runLoad'] = async (o) => {
  const started = Date.now();
  const res = await fetch(`${o.simUrl}/__sim/stores/${o.storeHash}/orders`, { method: 'POST', headers: { authorization: `Bearer ${o.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'typical', count: 5 }) });
  expect(res.status).toBe(201);
  await new Promise((r) => setTimeout(r, 2_000));
  return { exitCode: 0, runner: 'embedded', summary: undefined, startedRealMs: started, endedRealMs: Date.now() } satisfies LoadRunResult;
};

describe('stages replaced one at a time', () => {
  it('a load that placed 5 of the 50 planned orders, though its runner said all was well, is inconclusive (load-short)', async () => {
    const result = await runUat(options(join(tempDir(), 'run')), { log: () => {}, stages: { runLoad: shortLoad } });
    expect(result.verdict).toBe('inconclusive');
    expect(result.exitCode).toBe(3);
    expect(result.verification!.fidelity.problems.map((p) => p.kind)).toContain('load-short');
    // The integration synced what it was given: nothing it did is held against it.
    expect(result.verification!.measures['orders.lost']).toBe(0);
  }, 120_000);

  it('a drain a real-time cap cut short with orders outstanding does not count them as lost by the integration', async () => {
    const result = await runUat(options(join(tempDir(), 'run')), {
      log: () => {},
      stages: { drain: async (o) => ({ reason: 'quiet', text: 'Stopped at once (test).', outstanding: Math.max(1, o.outstanding()), cutShort: { waitedSimMs: 60_000, configuredSimMs: 1_800_000 } }) },
    });
    expect(result.verification!.fidelity.problems.map((p) => p.kind)).toContain('drain-cut-short');
    expect(result.verdict).toBe('inconclusive');
    expect(result.exitCode).toBe(3);
  }, 120_000);
});
