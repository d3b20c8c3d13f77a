/**
 * The scenario through the load runner's process contract: `bc-harness load <scenario>` against
 * the run's simulator and mocks, with `--json` (one result line on stdout) and the summary in
 * k6's `--summary-export` shape. Spawned rather than imported, so the UAT run depends only on the
 * command line other tools use too, whichever runner (k6 or embedded) does the work.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createPrivateWriteStream } from '../../lib/private-files.ts';
import { BIN, PROJECT_ROOT } from './integration-process.ts';

export interface LoadRunOptions {
  scenarioPath: string;
  runner: 'auto' | 'embedded' | 'k6';
  timeScale: number;
  volumeScale?: number;
  simUrl: string;
  storeHash: string;
  controlToken: string;
  mocksUrl: string;
  mocksControlToken: string;
  summaryExport: string;
  logFile: string;
  env: Record<string, string>;
  signal: AbortSignal;
}

/** k6's summary export, as far as the report reads it. */
export interface LoadSummary {
  root_group?: { checks?: Record<string, { name: string; passes: number; fails: number }>; groups?: Record<string, unknown> };
  metrics?: Record<string, Record<string, unknown>>;
}

export interface LoadRunResult {
  exitCode: number;
  runner: string | undefined;
  summary: LoadSummary | undefined;
  startedRealMs: number;
  endedRealMs: number;
}

export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const args = [
    BIN,
    'load',
    options.scenarioPath,
    '--runner',
    options.runner,
    '--time-scale',
    String(options.timeScale),
    '--sim-url',
    options.simUrl,
    '--store-hash',
    options.storeHash,
    '--control-token',
    options.controlToken,
    '--mocks-url',
    options.mocksUrl,
    '--mocks-control-token',
    options.mocksControlToken,
    '--summary-export',
    options.summaryExport,
    '--json',
    '--no-progress',
    ...(options.volumeScale !== undefined ? ['--volume-scale', String(options.volumeScale)] : []),
    ...Object.entries(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
  ];
  const log = createPrivateWriteStream(options.logFile, 'a');
  const startedRealMs = Date.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stderr.pipe(log, { end: false });
  let result: { runner?: string } | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    log.write(`${line}\n`);
    try {
      const parsed = JSON.parse(line) as { runner?: string; exitCode?: number };
      if (typeof parsed.exitCode === 'number') result = parsed;
    } catch {
      // k6's own stdout lines go to the log.
    }
  });
  const onAbort = () => child.kill('SIGINT');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const exitCode = await new Promise<number>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 105 : 1)));
    child.once('error', () => resolveExit(3));
  });
  options.signal.removeEventListener('abort', onAbort);
  await new Promise<void>((r) => log.end(() => r()));
  let summary: LoadSummary | undefined;
  if (existsSync(options.summaryExport)) {
    try {
      summary = JSON.parse(readFileSync(options.summaryExport, 'utf8')) as LoadSummary;
    } catch {
      summary = undefined;
    }
  }
  return { exitCode, runner: result?.runner, summary, startedRealMs, endedRealMs: Date.now() };
}

/** What the load summary says about how the load was applied. */
export function loadFacts(summary: LoadSummary | undefined): { ordersPlaced: number | null; droppedIterations: number; stepsSkipped: number; failedChecks: { name: string; fails: number }[]; iterations: number | null } {
  const metric = (name: string, field: string): number | null => {
    const m = summary?.metrics?.[name];
    const v = m?.[field];
    return typeof v === 'number' ? v : null;
  };
  const checks = Object.values(summary?.root_group?.checks ?? {});
  return {
    ordersPlaced: metric('orders_placed', 'count'),
    droppedIterations: metric('dropped_iterations', 'count') ?? 0,
    stepsSkipped: metric('scenario_steps_skipped', 'count') ?? 0,
    failedChecks: checks.filter((c) => c.fails > 0).map((c) => ({ name: c.name, fails: c.fails })),
    iterations: metric('iterations', 'count'),
  };
}
