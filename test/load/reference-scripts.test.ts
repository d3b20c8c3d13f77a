/**
 * The scripts in ../shared/k6-reference, run unchanged by the embedded runner against their own
 * server.mjs (spawned here on a free port), compared with what k6 v1.3.0 did (observed.json, the
 * exports, stdout and stderr). All runs start together in beforeAll, so the whole file takes as
 * long as the longest script (b, 15 s), and each test awaits its own run.
 *
 * Scripts that call k6's synchronous HTTP API (f1, f3, g2b, g3, i) cannot run here by design:
 * for them the test asserts the documented error and exit code 107 instead of k6's outcome; their
 * metrics and summary shapes are covered by reference-metrics.test.ts from k6's own samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunResult, runK6Script } from '../../src/load/runner.ts';
import { hasReference, type Observed, readReference, readReferenceJson, type ReferenceServer, referencePath, startReferenceServer } from './support/reference.ts';
import { createSink } from './support/target-server.ts';

interface Run {
  result: RunResult;
  stdout: string;
  stderr: string;
}

const RUNS: Record<string, { script: string; env?: Record<string, string> }> = {
  'a-constant-arrival-rate': { script: 'a-constant-arrival-rate' },
  'b-ramping-arrival-rate': { script: 'b-ramping-arrival-rate' },
  'c-dropped-iterations': { script: 'c-dropped-iterations' },
  'd1-constant-vus': { script: 'd1-constant-vus' },
  'd2-ramping-vus': { script: 'd2-ramping-vus' },
  'd3-per-vu-iterations': { script: 'd3-per-vu-iterations' },
  'd4-shared-iterations': { script: 'd4-shared-iterations' },
  'd5-graceful-stop': { script: 'd5-graceful-stop' },
  'e-two-scenarios': { script: 'e-two-scenarios' },
  'f2-abort-on-fail': { script: 'f2-abort-on-fail' },
  'f2-abort-on-fail.no-delay': { script: 'f2-abort-on-fail', env: { ABORT_DELAY: 'none' } },
  'f2-abort-on-fail.delay-5s': { script: 'f2-abort-on-fail', env: { ABORT_DELAY: '5s' } },
  'g1-thresholds-fail': { script: 'g1-thresholds-fail' },
  'g2-setup-throws': { script: 'g2-setup-throws' },
  'g4-test-abort': { script: 'g4-test-abort' },
  'g5-init-throws': { script: 'g5-init-throws' },
  'g6-iteration-throws': { script: 'g6-iteration-throws' },
  'g7-invalid-config': { script: 'g7-invalid-config' },
  'h-lifecycle-env-exec': { script: 'h-lifecycle-env-exec', env: { GREETING: 'hello' } },
  'f1-checks-thresholds': { script: 'f1-checks-thresholds' },
  'f3-group-async': { script: 'f3-group-async' },
  'g2b-setup-throws-sync': { script: 'g2b-setup-throws-sync' },
  'g3-sync-http': { script: 'g3-sync-http' },
  'i-handle-summary': { script: 'i-handle-summary' },
};

const observed = hasReference ? readReferenceJson<Record<string, Observed>>('observed.json') : {};
const within = (actual: number, expected: number, fraction: number) => Math.abs(actual - expected) <= Math.max(1, expected * fraction);

/** The scenario header k6 printed: the "scenarios:" line and one "* name: ..." line each. */
function header(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('     scenarios:') || /^ {14}\* /.test(l));
}

/** "metric: expression" for every threshold, split by verdict, as observed.json lists them. */
function thresholdVerdicts(r: RunResult): { ok: string[]; failed: string[] } {
  const ok: string[] = [];
  const failed: string[] = [];
  for (const [name, m] of Object.entries(r.summary?.metrics ?? {})) {
    for (const [expr, t] of Object.entries(m.thresholds ?? {})) (t.ok ? ok : failed).push(`${name}: ${expr}`);
  }
  return { ok: ok.sort(), failed: failed.sort() };
}

/** console.log lines of a run (k6 logs them to stderr as `msg="..."` with source=console). */
function consoleLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.includes('source=console'))
    .map((l) => JSON.parse(/msg=("(?:[^"\\]|\\.)*")/.exec(l)![1]!) as string);
}

describe.skipIf(!hasReference)('k6 reference scripts (../shared/k6-reference) on the embedded runner', () => {
  let server: ReferenceServer;
  let cwd: string;
  const runs = new Map<string, Promise<Run>>();
  const run = (name: string) => runs.get(name)!;

  const LONG = new Set(['a-constant-arrival-rate', 'b-ramping-arrival-rate', 'c-dropped-iterations', 'd1-constant-vus', 'd2-ramping-vus', 'd5-graceful-stop', 'e-two-scenarios', 'f2-abort-on-fail', 'f2-abort-on-fail.no-delay', 'f2-abort-on-fail.delay-5s']);

  beforeAll(async () => {
    server = await startReferenceServer();
    // handleSummary (script i) writes relative files: keep them out of the project.
    cwd = mkdtempSync(join(tmpdir(), 'k6-reference-'));
    // The sub-second scripts run first, so their start-up (loading, VU init) does not delay the
    // timed ones; the timed ones then run together (the longest, b, takes 15 s).
    const start = (name: string, spec: (typeof RUNS)[string]) => {
      const stdout = createSink();
      const stderr = createSink();
      runs.set(
        name,
        runK6Script({ script: referencePath(`${spec.script}.js`), env: { BASE_URL: server.url, ...spec.env }, cwd, stdout, stderr, progress: false, summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'] }).then((result) => ({
          result,
          stdout: stdout.text(),
          stderr: stderr.text(),
        })),
      );
    };
    for (const [name, spec] of Object.entries(RUNS)) if (!LONG.has(name)) start(name, spec);
    await Promise.allSettled([...runs.values()]);
    for (const [name, spec] of Object.entries(RUNS)) if (LONG.has(name)) start(name, spec);
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled([...runs.values()]);
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  test.each(['a-constant-arrival-rate', 'b-ramping-arrival-rate', 'c-dropped-iterations', 'd1-constant-vus', 'd2-ramping-vus', 'd3-per-vu-iterations', 'd4-shared-iterations', 'd5-graceful-stop', 'e-two-scenarios', 'f2-abort-on-fail', 'g1-thresholds-fail', 'g2-setup-throws', 'g4-test-abort', 'g6-iteration-throws', 'h-lifecycle-env-exec'])(
    '%s prints the same scenario header as k6',
    async (name) => {
      const { stdout } = await run(name);
      expect(header(stdout)).toEqual(header(readReference(`${name}.stdout.txt`)));
    },
    40_000,
  );

  test.each([
    // [run, tolerance on iterations]: arrival-rate starts are scheduled (tight); VU-loop counts
    // depend on how long each request takes on this machine (looser).
    ['d3-per-vu-iterations', 0],
    ['d4-shared-iterations', 0],
    ['e-two-scenarios', 0.1],
    ['g1-thresholds-fail', 0],
    ['g6-iteration-throws', 0],
    ['h-lifecycle-env-exec', 0],
  ] as const)('%s: exit code, iterations, checks and threshold verdicts as k6', async (name, tolerance) => {
    const { result } = await run(name);
    const ref = observed[name]!;
    expect(result.exitCode).toBe(ref.exit_code);
    expect(within(result.complete, ref.iterations!, tolerance), `iterations ${result.complete} vs k6 ${ref.iterations}`).toBe(true);
    expect(result.interrupted).toBe(ref.final_progress?.interrupted ?? 0);
    const checks = result.summary!.metrics.checks?.values;
    if (ref.checks) {
      expect(checks!.fails).toBe(ref.checks.fails);
      expect(within(checks!.passes!, ref.checks.passes, tolerance)).toBe(true);
    } else expect(checks).toBeUndefined();
    const verdicts = thresholdVerdicts(result);
    expect(verdicts.ok).toEqual([...ref.thresholds_ok].sort());
    expect(verdicts.failed).toEqual([...ref.thresholds_failed].sort());
  }, 40_000);

  test.each(['a-constant-arrival-rate', 'b-ramping-arrival-rate', 'c-dropped-iterations', 'd3-per-vu-iterations', 'd5-graceful-stop', 'e-two-scenarios', 'f2-abort-on-fail', 'g2-setup-throws', 'h-lifecycle-env-exec'])(
    '%s: the export has the metrics and group tree k6 exported',
    async (name) => {
      const { result } = await run(name);
      const theirs = readReferenceJson(`${name}.export.json`);
      // vus/vus_max are sampled each second, so whether they exist depends on the run's length.
      // A run that k6 finished without drops may drop a few here when the test machine is
      // saturated (the whole suite shares two cores); that is tolerated up to 5%, nothing more.
      const ignore = new Set(['vus', 'vus_max']);
      if (!theirs.metrics.dropped_iterations && result.dropped <= Math.ceil(0.05 * result.complete)) ignore.add('dropped_iterations');
      const keys = (m: object) => Object.keys(m).filter((k) => !ignore.has(k)).sort();
      expect(keys(result.summaryExport!.metrics)).toEqual(keys(theirs.metrics));
      const strip = (g: any): any => ({ name: g.name, path: g.path, id: g.id, groups: Object.fromEntries(Object.entries(g.groups).map(([k, v]) => [k, strip(v)])), checks: Object.keys(g.checks).sort() });
      expect(strip(result.summaryExport!.root_group)).toEqual(strip(theirs.root_group));
      expect(result.summaryExport!.setup_data).toEqual(name === 'h-lifecycle-env-exec' ? { ...theirs.setup_data, ids: result.summaryExport!.setup_data && (result.summaryExport!.setup_data as { ids: unknown }).ids } : theirs.setup_data);
    },
    40_000,
  );

  test.each([
    ['a-constant-arrival-rate', 501],
    ['b-ramping-arrival-rate', 1000],
  ] as const)('%s: schedules the iterations k6 started (%i), with at most 5%% dropped on a busy machine, and passes its checks', async (name, scheduled) => {
    const { result } = await run(name);
    const ref = observed[name]!;
    expect(result.exitCode).toBe(ref.exit_code);
    // k6 started 500 or 501 of a's 50/s for 10 s (the tick at exactly 10 s races); b started 1000.
    expect(Math.abs(result.complete + result.dropped - scheduled)).toBeLessThanOrEqual(1);
    expect(result.dropped).toBeLessThanOrEqual(scheduled * 0.05);
    expect(result.summary!.metrics.checks!.values).toMatchObject({ passes: result.complete, fails: 0 });
    expect(result.interrupted).toBe(0);
  }, 40_000);

  test.each([
    // VU-seconds the stages provide: d1 5 VUs x 5 s; d2 ramps 0->4 over 2 s, holds 2 s, 4->0 over 2 s.
    ['d1-constant-vus', 25_000, 5],
    ['d2-ramping-vus', 16_000, 4],
  ] as const)('%s: iterations = VU-seconds / iteration time, as in k6 (%i VU-ms)', async (name, vuMs, finishing) => {
    const { result } = await run(name);
    const ref = readReferenceJson(`${name}.export.json`).metrics;
    // k6 itself: 245 = 25,000 / 103.98 ms + the 5 that finished in gracefulStop; 156 for d2.
    expect(Math.abs(ref.iterations.count - (vuMs / ref.iteration_duration.avg + finishing))).toBeLessThan(ref.iterations.count * 0.03);
    const avg = result.summary!.metrics.iteration_duration!.values.avg!;
    const expected = vuMs / avg + finishing;
    expect(Math.abs(result.complete - expected), `${result.complete} iterations of ${avg.toFixed(1)} ms, expected ${expected.toFixed(0)}`).toBeLessThanOrEqual(expected * 0.05);
    expect(result.exitCode).toBe(0);
    expect(result.summary!.metrics.checks!.values.fails).toBe(0);
  }, 40_000);

  test('c: starved ramping-arrival-rate drops what 3 VUs cannot start; started + dropped = the 800 scheduled (k6: 476 + 324)', async () => {
    const { result, stderr } = await run('c-dropped-iterations');
    expect(result.exitCode).toBe(0);
    expect(result.complete + result.dropped).toBeGreaterThanOrEqual(799);
    expect(result.complete + result.dropped).toBeLessThanOrEqual(800);
    // Started iterations depend on /slow's 50 ms and this machine's load: within 10% of k6's.
    expect(within(result.complete, 476, 0.1), `started ${result.complete}`).toBe(true);
    expect(stderr).toContain('level=warning msg="Insufficient VUs, reached 3 active VUs and cannot initialize more" executor=ramping-arrival-rate scenario=starved');
    expect(result.summary!.metrics.vus_max!.values.max).toBe(3);
  }, 40_000);

  test('d5: gracefulStop 0s interrupts 2 iterations (counted as interrupted, no iteration samples); gracefulStop 5s waits', async () => {
    const { result } = await run('d5-graceful-stop');
    const m = result.summaryExport!.metrics;
    const ref = readReferenceJson('d5-graceful-stop.export.json').metrics;
    for (const key of ['iterations{scenario:cut}', 'iterations{scenario:wait}', 'iter_started{scenario:cut}', 'iter_started{scenario:wait}', 'iter_finished{scenario:cut}', 'iter_finished{scenario:wait}']) {
      expect(m[key]!.count, key).toBe(ref[key].count);
    }
    expect(m.http_reqs!.count).toBe(ref.http_reqs.count);
    expect(result.interrupted).toBe(2);
    expect(result.testRunDurationMs).toBeGreaterThan(2_900);
    expect(result.testRunDurationMs).toBeLessThan(3_500);
  }, 40_000);

  test.each([
    ['f2-abort-on-fail', 4_000],
    ['f2-abort-on-fail.no-delay', 2_000],
    ['f2-abort-on-fail.delay-5s', 6_000],
  ] as const)('%s: abortOnFail stops at the first 2 s threshold check after delayAbortEval (k6: %i ms), runs teardown, exits 99', async (name, stopMs) => {
    const { result, stderr } = await run(name);
    const ref = observed[name]!;
    expect(result.exitCode).toBe(99);
    expect(result.testRunDurationMs).toBeGreaterThan(stopMs - 100);
    expect(result.testRunDurationMs).toBeLessThan(stopMs + 500);
    // 3 VUs looping until the stop: about 3 x stop time / iteration time (k6: 117 = 3 x 4.0 s /
    // 101.8 ms - 1 per VU cut). The iteration time itself depends on this machine's load.
    const expected = (3 * result.testRunDurationMs) / result.summary!.metrics.iteration_duration!.values.avg! - 3;
    expect(Math.abs(result.complete - expected), `${result.complete} iterations, expected about ${expected.toFixed(0)} (k6: ${ref.iterations})`).toBeLessThanOrEqual(expected * 0.05 + 3);
    expect(result.interrupted).toBe(3);
    // In-flight iterations are interrupted, but the requests they finished were recorded (k6: 120
    // requests for 117 iterations; one still waiting for its response when cut adds none).
    const requests = result.summary!.metrics.http_reqs!.values.count!;
    expect(requests).toBeGreaterThanOrEqual(result.complete);
    expect(requests).toBeLessThanOrEqual(result.complete + 3);
    expect(thresholdVerdicts(result)).toEqual({ ok: ref.thresholds_ok, failed: ref.thresholds_failed });
    expect(consoleLines(stderr)).toEqual(['teardown ran after threshold abort']);
    expect(stderr).toContain("thresholds on metrics 'http_req_failed' were crossed; at least one has abortOnFail enabled, stopping test prematurely");
  }, 40_000);

  test('g1: a failed threshold gives exit 99 and k6\'s error line', async () => {
    const { result, stderr } = await run('g1-thresholds-fail');
    expect(result.exitCode).toBe(99);
    expect(stderr).toContain(readReference('g1-thresholds-fail.stderr.txt').split('level=error ')[1]!.trim());
  }, 40_000);

  test('g2: an async setup() that rejects exits 255 like k6 1.3.0, summary with setup\'s request, no teardown', async () => {
    const { result, stderr, stdout } = await run('g2-setup-throws');
    expect(result.exitCode).toBe(observed['g2-setup-throws']!.exit_code);
    expect(result.summary!.metrics.http_reqs!.values.count).toBe(1);
    expect(result.summary!.metrics.iterations).toBeUndefined();
    expect(stderr).toContain('msg="Uncaught (in promise) Error: setup failed: /fail answered 503');
    expect(consoleLines(stderr)).toEqual([]);
    expect(stdout).toContain('█ TOTAL RESULTS');
  }, 40_000);

  test('g4: exec.test.abort() exits 108, counts the aborting iteration, runs teardown', async () => {
    const { result, stderr } = await run('g4-test-abort');
    expect(result.exitCode).toBe(108);
    expect(result.summary!.metrics.iterations!.values.count).toBe(3);
    expect({ complete: result.complete, interrupted: result.interrupted }).toEqual({ complete: 2, interrupted: 1 });
    expect(stderr).toMatch(/level=error msg="test aborted: aborting on purpose at iteration 2 at default \(file:\/\/\/.*g4-test-abort\.js:\d+:\d+\)"/);
    expect(consoleLines(stderr)).toEqual(['teardown ran after exec.test.abort()']);
  }, 40_000);

  test('g5: an exception in the init context exits 107 with no summary', async () => {
    const { result, stderr, stdout } = await run('g5-init-throws');
    expect(result.exitCode).toBe(107);
    expect(result.summary).toBeUndefined();
    expect(stdout).toBe('');
    expect(stderr).toMatch(/msg="Error: init context failure\\n\\tat file:\/\/\/.*g5-init-throws\.js:4:7\\n" hint="script exception"/);
  }, 40_000);

  test('g6: an exception in an iteration is logged with executor and scenario, the iteration still counts, exit 0', async () => {
    const { result, stderr } = await run('g6-iteration-throws');
    expect(result.exitCode).toBe(0);
    expect(result.summary!.metrics.iterations!.values.count).toBe(4);
    const errors = stderr.split('\n').filter((l) => l.includes('level=error'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/msg="Uncaught \(in promise\) Error: iteration 1 blew up\\n\\tat default \(file:\/\/\/.*g6-iteration-throws\.js:13:11\)\\n" executor=shared-iterations scenario=default$/);
  }, 40_000);

  test('g7: an unknown executor exits 104 before anything runs, with k6\'s message', async () => {
    const { result, stderr, stdout } = await run('g7-invalid-config');
    expect(result.exitCode).toBe(104);
    expect(result.summary).toBeUndefined();
    expect(stdout).toBe('');
    expect(stderr).toContain("could not load JS test 'file://");
    expect(stderr).toContain("unknown executor type 'no-such-executor'");
  }, 40_000);

  test('h: setup data, __ENV, scenario env and k6/execution fields as k6 logged them', async () => {
    const { result, stderr } = await run('h-lifecycle-env-exec');
    expect(result.exitCode).toBe(0);
    const ours = consoleLines(stderr).map((l) => JSON.parse(l));
    const theirs = consoleLines(readReference('h-lifecycle-env-exec.stderr.txt')).map((l) => JSON.parse(l));
    // Server-assigned ids and which VU served which scenario differ from run to run (k6 too).
    const comparable = (e: any) => {
      const { ids: _ids, ...setupRest } = e;
      if (e.phase === 'setup') return setupRest;
      if (e.phase === 'teardown') return { ...e, data: { ...e.data, ids: 'id' } };
      return { ...e, vuIdInTest: 'vu', vuIdInInstance: 'vu', dataKeys: [...e.dataKeys].sort(), data: { ...e.data, ids: 'id' } };
    };
    const sortKey = (e: any) => `${e.phase}:${e.scenario ?? ''}:${String(e.scenarioIterationInTest ?? '').padStart(3, '0')}`;
    const norm = (list: any[]) => list.map(comparable).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    // mutationsBefore depends on the VU's own history, checked per VU below instead.
    const withoutMutations = (list: any[]) => list.map((e) => (e.data?.mutationsBefore !== undefined ? { ...e, data: { ...e.data, mutationsBefore: 'n' }, vuIterationInScenario: 'n', vuIterationInInstance: 'n' } : e));
    expect(withoutMutations(norm(ours))).toEqual(withoutMutations(norm(theirs)));
    // Each VU mutates its own copy: its k-th iteration saw k earlier mutations; teardown saw none.
    for (const e of ours.filter((x) => x.phase === 'iteration')) expect(e.data.mutationsBefore).toBe(e.vuIterationInInstance);
    expect(ours.find((x) => x.phase === 'teardown').data.mutations).toBe(0);
  }, 40_000);

  test.each(['f1-checks-thresholds', 'f3-group-async', 'g2b-setup-throws-sync', 'g3-sync-http', 'i-handle-summary'])(
    '%s uses k6\'s synchronous HTTP API: the embedded runner stops with exit 107 and says to use asyncRequest or real k6 (deliberate difference)',
    async (name) => {
      const { result, stderr } = await run(name);
      expect(result.exitCode).toBe(107);
      expect(stderr).toContain("is not supported by the embedded k6 runner (every VU shares one event loop here, so a blocking call would stop all of them; write `await http.asyncRequest(");
      expect(stderr).toContain('--runner k6');
      expect(result.error).toMatch(/^Failed to run the script: http\.(get|post)\(\) \(k6's synchronous HTTP API\)/);
    },
    40_000,
  );
});

if (!hasReference) {
  test.skip('k6 reference scripts: skipped because ../shared/k6-reference is absent (it holds real k6 runs to compare with)', () => {});
}
