/**
 * The k6 API as scripts see it in the embedded runner: k6/http details, per-VU isolation, the
 * module shims and what happens with k6 features the runner does not implement.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunResult, runK6Script } from '../../src/load/runner.ts';
import { createSink, startTargetServer, type TargetServer } from './support/target-server.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let target: TargetServer;
let scratch: string;

beforeAll(async () => {
  target = await startTargetServer();
  scratch = mkdtempSync(join(tmpdir(), 'k6-api-'));
});
afterAll(async () => {
  await target.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(script: string, env: Record<string, string> = {}): Promise<{ result: RunResult; stdout: string; stderr: string }> {
  const stdout = createSink();
  const stderr = createSink();
  const path = script.includes('\n') ? writeScript(script) : join(FIXTURES, `${script}.js`);
  const result = await runK6Script({ script: path, env: { BASE_URL: target.url, ...env }, stdout, stderr, progress: false });
  return { result, stdout: stdout.text(), stderr: stderr.text() };
}

let n = 0;
function writeScript(source: string): string {
  const file = join(scratch, `script-${++n}.js`);
  writeFileSync(file, source);
  return file;
}

const failedChecks = (r: RunResult) => r.summary!.root_group.checks.concat(r.summary!.root_group.groups.flatMap((g) => g.checks)).filter((c) => c.fails > 0).map((c) => c.name);

test('http.asyncRequest: name tags, gjson selectors, canonical headers, timings, network errors, expected statuses, redirects, forms, binary, groups', async () => {
  const { result } = await run('http-api');
  expect(failedChecks(result)).toEqual([]);
  expect(result.summary!.metrics.checks!.values.passes).toBe(10);
  expect(result.exitCode).toBe(0);
  // 1 named + 1 refused + 1 404 + 2 hops of the redirect + form + binary + grouped + templated.
  expect(result.summary!.metrics.http_reqs!.values.count).toBe(9);
  // Only the refused connection failed: the 404 was declared expected.
  expect(result.summary!.metrics.http_req_failed!.values).toMatchObject({ passes: 1, fails: 8 });
});

test('every VU has its own module instance and setup-data copy; __ENV is frozen; open() works in the init context only', async () => {
  const { result } = await run('vu-isolation');
  expect(failedChecks(result)).toEqual([]);
  expect(result.summary!.metrics.checks!.values.passes).toBe(6 * 12);
});

test('every VU reads the files as they were for its run: a script and its import edited between two runs are read again', async () => {
  // The loader keeps a run's sources after its first VU; a second run in the same process must
  // not get the first run's files.
  const dir = mkdtempSync(join(scratch, 'edited-'));
  const main = join(dir, 'main.js');
  writeFileSync(
    main,
    "import { value } from './lib.js';\nexport const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 1 } } };\nexport default function () { console.log(`vu=${__VU} main=MAIN lib=${value}`); }\n".replace('MAIN', 'one'),
  );
  writeFileSync(join(dir, 'lib.js'), 'export const value = 1;\n');
  const logLines = (stderr: string) => [...stderr.matchAll(/msg="(vu=\d main=\w+ lib=\d)"/g)].map((m) => m[1]).sort();
  const runOnce = async () => {
    const stderr = createSink();
    const result = await runK6Script({ script: main, stdout: createSink(), stderr, progress: false });
    expect(result.exitCode).toBe(0);
    return logLines(stderr.text());
  };
  expect(await runOnce()).toEqual(['vu=1 main=one lib=1', 'vu=2 main=one lib=1', 'vu=3 main=one lib=1']);
  writeFileSync(main, readFileSync(main, 'utf8').replace('main=one', 'main=two'));
  writeFileSync(join(dir, 'lib.js'), 'export const value = 2;\n');
  expect(await runOnce()).toEqual(['vu=1 main=two lib=2', 'vu=2 main=two lib=2', 'vu=3 main=two lib=2']);
});

test('an unsupported k6 module stops the test at init with exit 107 and names the module', async () => {
  const { result, stderr } = await run('unsupported-module');
  expect(result.exitCode).toBe(107);
  expect(stderr).toContain('Failed to load module \\"k6/ws\\": the embedded k6 runner implements k6, k6/http, k6/metrics, k6/execution, k6/timers only.');
  expect(stderr).toContain('--runner k6');
});

test('a Node import is refused: the script would not run on real k6', async () => {
  const { result, stderr } = await run('node-import');
  expect(result.exitCode).toBe(107);
  expect(stderr).toContain('Node packages and built-ins (node:fs) would not load on real k6 either');
});

test('a remote module import is refused with the way out', async () => {
  const { result, stderr } = await run(`import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';\nexport default function () { uuidv4(); }\n`);
  expect(result.exitCode).toBe(107);
  expect(stderr).toContain('does not fetch remote modules');
});

test('k6\'s synchronous http.get stops the test with exit 107 and points to asyncRequest and real k6', async () => {
  const { result, stderr } = await run('sync-http');
  expect(result.exitCode).toBe(107);
  expect(result.complete).toBe(0);
  expect(stderr).toContain("http.get() (k6's synchronous HTTP API) is not supported by the embedded k6 runner");
  expect(stderr).toContain("write `await http.asyncRequest('GET', url, body, params)` instead");
});

test.each([
  [`export const options = { rps: 10 };\nexport default function () {}\n`, 107, 'options.rps (the global request-rate limit) is not supported'],
  [`export const options = { scenarios: { x: { executor: 'externally-controlled', vus: 1, maxVUs: 2, duration: '10s' } } };\nexport default function () {}\n`, 107, 'the externally-controlled executor'],
  [`export const options = { thresholds: { no_such_metric: ['count>0'] } };\nexport default function () {}\n`, 104, 'invalid threshold defined on no_such_metric; reason: no metric name \\"no_such_metric\\" found'],
  [`export const options = { thresholds: { http_reqs: ['p(95)<1'] } };\nexport default function () {}\n`, 104, 'which a counter metric does not support'],
  [`export const options = { scenarios: { x: { executor: 'constant-vus', vus: 1, duration: '500ms' } } };\nexport default function () {}\n`, 104, 'the duration should be at least 1s'],
  [`export const options = { scenarios: { x: { executor: 'shared-iterations', vus: 1, iterations: 1, maxVus: 3 } } };\nexport default function () {}\n`, 104, 'unknown field(s) maxVus'],
  [`export const options = { scenarios: { x: { executor: 'shared-iterations', exec: 'nope' } } };\nexport default function () {}\n`, 104, "function 'nope' not found in exports"],
  [`import { randomSeed } from 'k6';\nexport default function () { randomSeed(1); }\n`, 107, 'randomSeed() is not supported'],
])('an unsupported or invalid setup fails clearly (%#)', async (source, code, message) => {
  const { result, stderr } = await run(source);
  expect(result.exitCode).toBe(code);
  expect(stderr).toContain(message);
});

test('abortOnFail stops a 20 s arrival-rate test at the first 2 s check, teardown runs, exit 99', async () => {
  const { result, stderr } = await run('abort-on-fail');
  expect(result.exitCode).toBe(99);
  expect(result.testRunDurationMs).toBeLessThan(3_000);
  expect(stderr).toContain('msg="teardown after abort" source=console');
});

test('handleSummary replaces the text summary and writes files; its data has k6\'s shape and the export is still written', async () => {
  const out = join(scratch, 'summary-cwd');
  const script = writeScript(`import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 1, iterations: 2, thresholds: { http_req_duration: ['p(95)<10000'], checks: ['rate==1'] } };
export function setup() { return { when: new Date(0), b: 1, a: [1] }; }
export default async function () {
  const r = await http.asyncRequest('GET', __ENV.BASE_URL + '/ok');
  check(r, { ok: (x) => x.status === 200 });
}
export function handleSummary(data) {
  return { stdout: 'custom summary\\n', 'nested/summary.json': JSON.stringify(data) };
}
`);
  const stdout = createSink();
  const result = await runK6Script({ script, env: { BASE_URL: target.url }, stdout, stderr: createSink(), progress: false, cwd: out, summaryExport: 'export.json' });
  expect(result.exitCode).toBe(0);
  expect(stdout.text()).toContain('custom summary\n');
  expect(stdout.text()).not.toContain('TOTAL RESULTS');
  const { readFileSync } = await import('node:fs');
  const data = JSON.parse(readFileSync(join(out, 'nested', 'summary.json'), 'utf8'));
  expect(data.setup_data).toEqual({ a: [1], b: 1, when: '1970-01-01T00:00:00Z' });
  expect(data.metrics.checks).toMatchObject({ type: 'rate', contains: 'default', values: { rate: 1, passes: 2, fails: 0 }, thresholds: { 'rate==1': { ok: true } } });
  expect(data.root_group.checks).toHaveLength(1);
  expect(Object.keys(data.options).sort()).toEqual(['noColor', 'summaryTimeUnit', 'summaryTrendStats']);
  const exported = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'));
  expect(exported.metrics.checks).toMatchObject({ passes: 2, fails: 0, value: 1, thresholds: { 'rate==1': false } });
  expect(exported.root_group.checks.ok).toMatchObject({ passes: 2, fails: 0, path: '::ok' });
});
