import { describe, expect, it } from 'vitest';
import { attributeProfile, bucketOfUrl, classifyProcess, parseProcStat, perOrder, summariseLatencies, type CpuProfile } from '../../bench/uat-profile-lib.ts';

// A real /proc/<pid>/stat line of a node process (proc(5)), with utime 1234, stime 56, cutime 700, cstime 30.
const STAT = '4242 (node) S 4100 4242 4100 34816 4242 4194560 12345 0 0 0 1234 56 700 30 20 0 11 0 987654 1234567890 45678 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads ppid and CPU in seconds at 100 ticks a second', () => {
    expect(parseProcStat(STAT)).toEqual({ pid: 4242, comm: 'node', state: 'S', ppid: 4100, cpuSeconds: 12.9, childrenCpuSeconds: 7.3 });
  });

  it('counts fields from the last parenthesis, so a command name with spaces and ")" does not shift them', () => {
    const odd = STAT.replace('(node)', '(my (weird) cmd)');
    expect(parseProcStat(odd)).toMatchObject({ comm: 'my (weird) cmd', ppid: 4100, cpuSeconds: 12.9 });
  });

  it('gives undefined for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('4242 (node) S 4100')).toBeUndefined();
  });
});

describe('classifyProcess', () => {
  it('names the engine and the load runner from their bc-harness command, and anything else other', () => {
    expect(classifyProcess(['/usr/bin/node', '/w/bin/bc-harness.js', 'engine', '--json'])).toBe('engine');
    expect(classifyProcess(['/usr/bin/node', '/w/bin/bc-harness.js', 'load', '/w/scenarios/doorbuster.js', '--runner', 'embedded'])).toBe('load-runner');
    expect(classifyProcess(['/usr/local/bin/k6', 'run', 'x.js'])).toBe('load-runner');
    expect(classifyProcess(['/usr/bin/node', '/w/bin/bc-harness.js', 'dlq', 'list'])).toBe('other');
    // A scenario path that holds the word "engine" is not the engine.
    expect(classifyProcess(['/usr/bin/node', '/w/bin/bc-harness.js', 'load', '/w/engine-scenario.js'])).toBe('load-runner');
    expect(classifyProcess([])).toBe('other');
  });
});

describe('perOrder', () => {
  it('divides by the orders placed and refuses to divide by none', () => {
    expect(perOrder(12.5, 500)).toBe(0.025);
    expect(perOrder(12.5, 0)).toBeNull();
    expect(perOrder(null, 500)).toBeNull();
    expect(perOrder(Number.NaN, 500)).toBeNull();
  });
});

describe('summariseLatencies', () => {
  it('takes nearest-rank percentiles, values that really occurred', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1, unsorted
    expect(summariseLatencies(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summariseLatencies([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });
});

describe('attributeProfile', () => {
  const root = '/w';
  // (root) -> http parser (node:) -> express (node_modules) -> simulator route -> express json (node_modules)
  //        -> mocks handler ; (idle) ; (garbage collector) ; a frame named toString with no url.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 6, 7, 8] },
      { id: 2, callFrame: { functionName: 'parserOnHeadersComplete', url: 'node:_http_common' }, children: [3, 9] },
      { id: 3, callFrame: { functionName: 'handle', url: 'file:///w/node_modules/express/lib/router/index.js' }, children: [4] },
      { id: 4, callFrame: { functionName: 'getOrder', url: 'file:///w/simulator/http/routes/v2-orders.ts' }, children: [5] },
      { id: 5, callFrame: { functionName: 'json', url: 'file:///w/node_modules/express/lib/response.js' } },
      { id: 6, callFrame: { functionName: '(idle)', url: '' } },
      { id: 7, callFrame: { functionName: '(garbage collector)', url: '' } },
      { id: 8, callFrame: { functionName: 'toString', url: '' } },
      { id: 9, callFrame: { functionName: 'post', url: 'file:///w/src/mocks/http/app.ts' } },
    ],
    samples: [5, 4, 3, 6, 7, 8, 9],
    timeDeltas: [1000, 2000, 4000, 8000, 16000, 32000, 64000],
  };

  it('charges library frames to the nearest project frame below them, and keeps idle and GC apart', () => {
    expect(attributeProfile(profile, (url) => bucketOfUrl(url, root))).toEqual({
      simulator: 3, // express's res.json under the simulator's route, and the route itself
      'libraries and runtime, no project frame': 4 + 32, // the router before any project frame; toString is not special
      idle: 8,
      'garbage collector': 16,
      mocks: 64,
    });
  });

  it('buckets files by where they live in the project', () => {
    expect(bucketOfUrl('file:///w/simulator/domain/store.ts', root)).toBe('simulator');
    expect(bucketOfUrl('file:///w/lib/ledger.ts', root)).toBe('shared basics (lib)');
    expect(bucketOfUrl('file:///w/src/uat/orchestrator.ts', root)).toBe('orchestrator (src/uat)');
    expect(bucketOfUrl('file:///w/src/verify/verify-run.ts', root)).toBe('verify and reports');
    expect(bucketOfUrl('file:///w/node_modules/undici/index.js', root)).toBeUndefined();
    expect(bucketOfUrl('node:internal/timers', root)).toBeUndefined();
  });
});
