/**
 * `bc-harness load`: choosing the runner (k6 from K6_BIN or PATH, else embedded), passing the
 * simulator's details and k6's exit code through, and the one JSON line of `--json`. Real k6 is
 * stood in for by a small executable that records its arguments and writes a summary export.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type LoadFlags, runLoad } from '../../src/cli/commands/load.ts';
import { UsageError } from '../../src/cli/exit-codes.ts';
import { findK6Binary, resolveRunner, RunnerSelectionError } from '../../src/load/k6-binary.ts';
import { hasReference, referencePath } from './support/reference.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

/** A stand-in for k6: records argv, writes the export named by --summary-export, exits with $FAKE_K6_EXIT. */
function fakeK6(where: string): string {
  mkdirSync(where, { recursive: true });
  const bin = join(where, 'k6');
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.writeFileSync(process.env.FAKE_K6_ARGS, JSON.stringify(args));
const out = args[args.indexOf('--summary-export') + 1];
fs.writeFileSync(out, JSON.stringify({ root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} }, metrics: { iterations: { count: 3, rate: 1 } } }));
process.stdout.write('fake k6 output\\n');
process.exit(Number(process.env.FAKE_K6_EXIT || 0));
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

const flags = (over: Partial<LoadFlags> = {}): LoadFlags => ({ runner: 'auto', sim: true, mocks: true, plan: 'standard', seed: 1, env: [], summaryTrendStats: 'avg,min,med,max,p(90),p(95),p(99)', progress: false, ...over });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bc-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choosing the runner', () => {
  test('auto uses the embedded runner when k6 is neither on PATH nor in K6_BIN', () => {
    expect(resolveRunner('auto', { PATH: join(dir, 'empty') })).toEqual({ kind: 'embedded', why: 'no k6 on PATH and K6_BIN unset' });
  });

  test('auto uses k6 from PATH, and K6_BIN wins over PATH', () => {
    const onPath = fakeK6(join(dir, 'path-bin'));
    const explicit = fakeK6(join(dir, 'explicit-bin'));
    expect(resolveRunner('auto', { PATH: ['/nonexistent', join(dir, 'path-bin')].join(delimiter) })).toMatchObject({ kind: 'k6', bin: onPath });
    expect(resolveRunner('auto', { PATH: join(dir, 'path-bin'), K6_BIN: explicit })).toMatchObject({ kind: 'k6', bin: explicit, why: 'k6 found (K6_BIN)' });
  });

  test('--runner embedded ignores an installed k6', () => {
    expect(resolveRunner('embedded', { PATH: join(dir, 'path-bin') }).kind).toBe('embedded');
  });

  test('--runner k6 without a k6 binary, or a K6_BIN that is not executable, is a clear error', () => {
    expect(() => resolveRunner('k6', { PATH: join(dir, 'empty') })).toThrow(/needs a k6 binary on PATH or in K6_BIN/);
    expect(() => findK6Binary({ K6_BIN: join(dir, 'missing-k6') })).toThrow(RunnerSelectionError);
  });
});

describe('runLoad', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  test('an unknown scenario is invalid input that lists the scenarios', async () => {
    await expect(runLoad('no-such-scenario', flags())).rejects.toThrow(UsageError);
    await expect(runLoad('no-such-scenario', flags())).rejects.toThrow(/baseline-day, catalog-storm/);
  });

  test('with k6 available, load starts a simulator, passes its details to k6 with -e and returns k6\'s exit code', async () => {
    process.env.K6_BIN = fakeK6(join(dir, 'k6-run'));
    process.env.FAKE_K6_ARGS = join(dir, 'args.json');
    process.env.FAKE_K6_EXIT = '99';
    const exportPath = join(dir, 'out', 'doorbuster.json');
    const code = await runLoad('doorbuster', flags({ timeScale: 120, volumeScale: 0.5, summaryExport: exportPath, env: ['EXTRA=1'] }));
    expect(code).toBe(99);
    const args = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[];
    expect(args.slice(0, 6)).toEqual(['run', '--no-usage-report', '--summary-export', exportPath, '--summary-trend-stats', 'avg,min,med,max,p(90),p(95),p(99)']);
    const env = Object.fromEntries(args.flatMap((a, i) => (args[i - 1] === '-e' ? [a.split('=', 2)] : [])));
    expect(env).toMatchObject({ EXTRA: '1', TIME_SCALE: '120', VOLUME_SCALE: '0.5', SIM_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), CONTROL_TOKEN: expect.any(String), STORE_HASH: expect.any(String) });
    // The mocks are started with the simulator, so the ERP steps run too.
    expect(env).toMatchObject({ MOCKS_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), MOCKS_CONTROL_TOKEN: expect.any(String) });
    expect(args.at(-1)).toBe(join(ROOT, 'scenarios', 'doorbuster.js'));
  }, 30_000);
});

/** Run the real CLI entry (bin/bc-harness.js) and collect its output. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'bc-harness.js'), ...args], { cwd: dir, env: { ...process.env, K6_BIN: '', PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the bc-harness load command', () => {
  // 60x: five real seconds for 50 arrivals, which a machine shared with other CPU-bound work still keeps up with.
  test('a scenario runs on the embedded runner against its own simulator; --json prints one line with the k6-shaped summary', async () => {
    const r = await cli(['load', 'doorbuster', '--runner', 'embedded', '--time-scale', '60', '--volume-scale', '0.05', '--json', '--summary-export', 'door.json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ runner: 'embedded', scenario: 'doorbuster', exitCode: 0, summaryExport: join(dir, 'door.json') });
    expect(line.summary.metrics.orders_placed.count).toBeGreaterThanOrEqual(49);
    expect(JSON.parse(readFileSync(join(dir, 'door.json'), 'utf8'))).toEqual(line.summary);
    expect(r.stderr).toContain('Started a simulator at http://127.0.0.1:');
  }, 60_000);

  test.skipIf(!hasReference)('k6\'s threshold exit code 99 passes through (reference g1 on the embedded runner)', async () => {
    const server = await import('./support/reference.ts').then((m) => m.startReferenceServer());
    try {
      const r = await cli(['load', referencePath('g1-thresholds-fail.js'), '--runner', 'embedded', '--no-sim', '--no-progress', '-e', `BASE_URL=${server.url}`]);
      expect(r.code).toBe(99);
      expect(r.stdout).toContain('█ THRESHOLDS');
      expect(r.stderr).toContain("thresholds on metrics 'http_req_duration' have been crossed");
    } finally {
      await server.close();
    }
  }, 60_000);

  test('invalid input exits 2: an unknown scenario, --runner k6 without k6', async () => {
    const unknown = await cli(['load', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Failed to find the scenario "nope"');
    const noK6 = await cli(['load', 'doorbuster', '--runner', 'k6'], { PATH: join(dir, 'empty') + delimiter + '/usr/bin' });
    expect(noK6.code).toBe(2);
    expect(noK6.stderr).toContain('--runner k6 needs a k6 binary');
  }, 60_000);
});
