/**
 * Real k6, when this machine has it: `K6_BIN`, or `k6` on PATH. `bc-harness load --runner auto`
 * prefers it, since it is the reference implementation and scales further than one Node process.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SummaryExport } from './summary.ts';

export type RunnerChoice = 'auto' | 'embedded' | 'k6';
export const RUNNER_CHOICES: readonly RunnerChoice[] = ['auto', 'embedded', 'k6'];

export type ResolvedRunner = { kind: 'embedded'; why: string } | { kind: 'k6'; bin: string; why: string };

export class RunnerSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerSelectionError';
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The k6 binary to use: K6_BIN if set (it must exist), else the first `k6` on PATH. */
export function findK6Binary(env: NodeJS.ProcessEnv = process.env): { bin: string; source: 'K6_BIN' | 'PATH' } | undefined {
  if (env.K6_BIN) {
    if (!isExecutable(env.K6_BIN)) throw new RunnerSelectionError(`Failed to use K6_BIN: "${env.K6_BIN}" is not an executable file. Point it at the k6 binary or unset it to use the embedded runner.`);
    return { bin: env.K6_BIN, source: 'K6_BIN' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6');
    if (existsSync(candidate) && isExecutable(candidate)) return { bin: candidate, source: 'PATH' };
  }
  return undefined;
}

export function resolveRunner(choice: RunnerChoice, env: NodeJS.ProcessEnv = process.env): ResolvedRunner {
  switch (choice) {
    case 'embedded':
      return { kind: 'embedded', why: '--runner embedded' };
    case 'k6': {
      const found = findK6Binary(env);
      if (!found) {
        throw new RunnerSelectionError('Failed to find k6: --runner k6 needs a k6 binary on PATH or in K6_BIN (https://grafana.com/docs/k6/latest/set-up/install-k6/). Use --runner embedded (or auto) to run without it.');
      }
      return { kind: 'k6', bin: found.bin, why: `--runner k6 (${found.source})` };
    }
    case 'auto': {
      const found = findK6Binary(env);
      return found ? { kind: 'k6', bin: found.bin, why: `k6 found (${found.source})` } : { kind: 'embedded', why: 'no k6 on PATH and K6_BIN unset' };
    }
    default:
      throw new RunnerSelectionError(`unknown runner ${choice satisfies never}`);
  }
}

export interface K6BinaryRun {
  bin: string;
  script: string;
  env: Record<string, string>;
  summaryExport: string;
  summaryTrendStats: string[];
  cwd: string;
  /** Where k6's own stdout goes (its logo, progress and text summary). */
  stdout: 'inherit' | 'stderr';
  signal?: AbortSignal;
}

/** `k6 run --summary-export <file> ... <script>`; returns k6's exit code and the export it wrote. */
export async function runK6Binary(run: K6BinaryRun): Promise<{ exitCode: number; summaryExport?: SummaryExport }> {
  const args = ['run', '--no-usage-report', '--summary-export', run.summaryExport, '--summary-trend-stats', run.summaryTrendStats.join(',')];
  for (const [k, v] of Object.entries(run.env)) args.push('-e', `${k}=${v}`);
  args.push(run.script);
  const child = spawn(run.bin, args, { cwd: run.cwd, stdio: ['ignore', run.stdout === 'inherit' ? 'inherit' : 'pipe', 'inherit'] });
  if (run.stdout === 'stderr') child.stdout?.pipe(process.stderr);
  // k6 stops gracefully on SIGINT (teardown and summary still run).
  const onAbort = () => child.kill('SIGINT');
  run.signal?.addEventListener('abort', onAbort, { once: true });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', (error) => reject(new RunnerSelectionError(`Failed to start k6 (${run.bin}): ${error.message}.`)));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 105 : 1)));
  });
  run.signal?.removeEventListener('abort', onAbort);
  let summaryExport: SummaryExport | undefined;
  if (existsSync(run.summaryExport)) summaryExport = JSON.parse(readFileSync(run.summaryExport, 'utf8')) as SummaryExport;
  return { exitCode, ...(summaryExport ? { summaryExport } : {}) };
}
