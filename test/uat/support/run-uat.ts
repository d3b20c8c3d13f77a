/**
 * Runs `bc-harness uat` as users and CI do (a child process, `--json`), in a temporary run
 * directory, and returns the exit code, the final JSON line and the run directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UatFlags } from '../../../src/cli/commands/uat.ts';
import { DEFAULTS } from '../../../src/uat/config.ts';

export const BIN = join(process.cwd(), 'bin/bc-harness.js');
const dirs: string[] = [];

export function tempDir(prefix = 'bc-harness-uat-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface UatLine {
  verdict: 'pass' | 'fail' | 'inconclusive' | 'interrupted';
  reportDir: string | null;
  error?: string;
  reason?: string;
  /** False when the harness could not run the scenario faithfully (then the verdict is inconclusive, or a robust fail). */
  faithful?: boolean;
  fidelity?: { kind: string; text: string; fix: string }[];
  integrationCrashed?: { kind: string; at: string; text: string };
  /** `passed` is `status === 'passed'`: a criterion the run did not exercise (no 429, no order to carry) is neither passed nor failed. */
  criteria: { id: string; name: string; flow: string; status: 'passed' | 'failed' | 'not-exercised'; passed: boolean; value: number | null; limit: number; measure: string; note?: string }[];
  notExercised?: string[];
  findings: { pattern: string; flow: string; count: number; stream?: string }[];
  reports?: { html: string; md: string; json: string; junit: string };
}

export interface UatRun {
  exitCode: number;
  line: UatLine;
  stderr: string;
  out: string;
}

export function startUat(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'uat', '--json', '--no-progress', '--runner', 'embedded', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ exitCode: code ?? -1, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

export async function runUat(args: string[], options: { out?: string } = {}): Promise<UatRun> {
  const out = options.out ?? join(tempDir(), 'run');
  const { done } = startUat([...args, '--out', out]);
  const { exitCode, stdout, stderr } = await done;
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let line: UatLine;
  try {
    line = JSON.parse(last) as UatLine;
  } catch {
    throw new Error(`bc-harness uat printed no JSON line (exit ${exitCode}).\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
  return { exitCode, line, stderr, out };
}

/**
 * The verdict a test expects of a run, allowing what the harness must say when the machine is too
 * busy to run the scenario faithfully (tests run beside other CPU-bound work): "inconclusive",
 * and only with the fidelity problem named, never the opposite verdict. Returns whether the run was
 * faithful, so a test can make its timing assertions only then.
 */
export function expectVerdictOrInconclusive(line: UatLine, expected: 'pass' | 'fail'): boolean {
  if (line.verdict === 'inconclusive') {
    if (line.faithful !== false || (line.fidelity ?? []).length === 0) throw new Error(`verdict inconclusive without a fidelity problem: ${JSON.stringify(line)}`);
    return false;
  }
  if (line.verdict !== expected) {
    throw new Error(`expected verdict ${expected} (or inconclusive on a busy machine), got ${line.verdict}: ${line.reason ?? ''} ${JSON.stringify(line.criteria.filter((c) => c.status === 'failed'))} ${JSON.stringify(line.fidelity ?? [])}`);
  }
  return line.faithful !== false;
}

/**
 * The flags of a short in-process `runUat` in a test: doorbuster on Standard at 30x and a twentieth
 * of its volume, seed 1, the default store, the embedded runner, no progress line; `overrides` for the rest.
 */
export function shortUatFlags(integration: string, out: string, overrides: Partial<UatFlags> = {}): UatFlags {
  return { scenario: 'doorbuster', integration, plan: 'standard', timeScale: 30, volumeScale: 0.05, seed: 1, out, runner: 'embedded', env: [], readyTimeout: 30, products: DEFAULTS.products, customers: DEFAULTS.customers, pastOrders: DEFAULTS.pastOrders, progress: false, ...overrides };
}
