/**
 * `bc-harness load <scenario>`: run a load scenario (a k6 script in scenarios/, or any k6 script)
 * against the simulator, with real k6 when it is installed and the embedded runner otherwise.
 * Either way the summary is written in k6's `--summary-export` shape, and the exit code is k6's
 * (0 ok, 99 thresholds crossed, 104 invalid options, 107 script error, 108 aborted), so reports
 * and CI read one format whichever runner ran.
 */
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { request } from 'undici';
import { planNames, type PlanName } from '../../../lib/plans.ts';
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts';
import { startMocks, type RunningMocks } from '../../mocks/http/server.ts';
import { resolveRunner, RUNNER_CHOICES, runK6Binary, RunnerSelectionError, type RunnerChoice } from '../../load/k6-binary.ts';
import { runK6Script } from '../../load/runner.ts';
import { listScenarios, resolveScenario } from '../../load/scenario-catalog.ts';
import type { SummaryExport } from '../../load/summary.ts';
import { UsageError } from '../exit-codes.ts';
import { intOption, numberOption } from '../options.ts';

export interface LoadFlags {
  runner: RunnerChoice;
  timeScale?: number;
  volumeScale?: number;
  simUrl?: string;
  storeHash?: string;
  controlToken?: string;
  mocksUrl?: string;
  mocksControlToken?: string;
  sim: boolean;
  mocks: boolean;
  plan: PlanName;
  seed: number;
  env: string[];
  summaryExport?: string;
  summaryTrendStats: string;
  json?: boolean;
  progress: boolean;
}

/** The trend statistics both runners report, so p99 is always in the export. */
export const LOAD_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99)';
/** Time scale of the simulator `load` starts itself when none is given: a simulated minute per second. */
export const DEFAULT_TIME_SCALE = 60;

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-e/--env takes KEY=VALUE; got "${pair}".`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

async function simulatorScale(simUrl: string, controlToken: string): Promise<number> {
  try {
    const res = await request(`${simUrl.replace(/\/$/, '')}/__sim/clock`, { headers: { authorization: `Bearer ${controlToken}` } });
    const body = (await res.body.json()) as { scale?: number };
    if (res.statusCode !== 200 || typeof body.scale !== 'number') throw new Error(`HTTP ${res.statusCode}`);
    return body.scale;
  } catch (error) {
    throw new UsageError(`Failed to read the simulator clock at ${simUrl}/__sim/clock: ${(error as Error).message}. Check --sim-url and --control-token, or pass --time-scale.`);
  }
}

export function registerLoad(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('load')
    .description('Run a load scenario (a k6 script) against the simulator, with k6 if installed, else the embedded runner')
    .argument('<scenario>', `a scenario in scenarios/ (${listScenarios().join(', ') || 'none found'}) or a path to a k6 script`)
    .addOption(new Option('--runner <runner>', 'auto: k6 when on PATH or K6_BIN is set, else embedded').choices([...RUNNER_CHOICES]).default('auto'))
    .option('--time-scale <n>', `simulated seconds per real second, passed as TIME_SCALE (default: the simulator's; ${DEFAULT_TIME_SCALE} when load starts it)`, numberOption('--time-scale', 0.001, 10_000_000))
    .option('--volume-scale <n>', 'multiply every arrival rate (VOLUME_SCALE), e.g. 0.1 for a tenth of the orders', numberOption('--volume-scale', 0.0001, 1000))
    .option('--sim-url <url>', 'a running simulator (default: SIM_URL, else start one in this process)')
    .option('--store-hash <hash>', 'store to load (default: STORE_HASH, else the simulator\'s first store)')
    .option('--control-token <token>', 'the simulator\'s control token (default: CONTROL_TOKEN)')
    .option('--mocks-url <url>', 'running connected-system mocks (default: MOCKS_URL, else started with the simulator)')
    .option('--mocks-control-token <token>', 'the mocks\' control token (default: MOCKS_CONTROL_TOKEN)')
    .option('--no-sim', 'do not start a simulator (for scripts that do not need one)')
    .option('--no-mocks', 'do not start the connected-system mocks with the simulator (ERP steps are then skipped)')
    .option('--plan <plan>', `plan of the simulator load starts: ${planNames.join(', ')}`, 'standard')
    .option('--seed <n>', 'seed of the simulator load starts', intOption('--seed', 0, 2 ** 31 - 1), 1)
    .option('-e, --env <KEY=VALUE>', 'extra __ENV value for the script (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--summary-export <file>', 'where to write the summary (k6 --summary-export shape)', undefined)
    .option('--summary-trend-stats <list>', 'trend statistics in the summary', LOAD_TREND_STATS)
    .option('--json', 'print one JSON line on stdout at the end (runner, exitCode, summaryExport, summary); k6 output goes to stderr')
    .option('--no-progress', 'no progress output while it runs')
    .addHelpText(
      'after',
      `
Exit codes are k6's: 0 ok, 99 thresholds crossed, 104 invalid options, 105 stopped (Ctrl-C),
107 script error or a k6 feature the embedded runner lacks, 108 exec.test.abort(), 255 async setup()
rejected; 2 for invalid flags, 3 when the harness itself failed.

Examples:
  $ bc-harness load doorbuster                                 # own simulator at ${DEFAULT_TIME_SCALE}x, k6 if installed
  $ bc-harness load flash-sale-10x --time-scale 1440 --volume-scale 0.1
  $ bc-harness load baseline-day --runner embedded --json > result.json
  $ bc-harness load competing-apps --sim-url http://127.0.0.1:4010 --control-token ... --store-hash ...
  $ K6_BIN=/opt/k6/k6 bc-harness load webhook-outage --time-scale 10800`,
    )
    .action((scenario: string, flags: LoadFlags) => run(() => runLoad(scenario, flags)));
}

export async function runLoad(scenarioArg: string, flags: LoadFlags): Promise<number> {
  const scenario = resolveScenario(scenarioArg);
  if (!scenario) throw new UsageError(`Failed to find the scenario "${scenarioArg}": use one of ${listScenarios().join(', ')} or a path to a .js k6 script.`);
  if (!planNames.includes(flags.plan)) throw new UsageError(`--plan must be one of ${planNames.join(', ')}; got "${flags.plan}".`);
  let runner;
  try {
    runner = resolveRunner(flags.runner);
  } catch (error) {
    if (error instanceof RunnerSelectionError) throw new UsageError(error.message);
    throw error;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const explicit = parseEnvPairs(flags.env);
  const fromEnv = (key: string, flag: string | undefined) => flag ?? explicit[key] ?? process.env[key];

  let simulator: RunningSimulator | undefined;
  let mocks: RunningMocks | undefined;
  const simEnv: Record<string, string> = {};
  let simUrl = fromEnv('SIM_URL', flags.simUrl);
  let timeScale = flags.timeScale ?? (explicit.TIME_SCALE ?? process.env.TIME_SCALE ? Number(explicit.TIME_SCALE ?? process.env.TIME_SCALE) : undefined);
  if (simUrl) {
    const token = fromEnv('CONTROL_TOKEN', flags.controlToken);
    const hash = fromEnv('STORE_HASH', flags.storeHash);
    if (!token || !hash) throw new UsageError('With a running simulator, pass --control-token and --store-hash (or CONTROL_TOKEN and STORE_HASH): `bc-harness sim --json` prints both.');
    Object.assign(simEnv, { SIM_URL: simUrl, CONTROL_TOKEN: token, STORE_HASH: hash });
    if (timeScale === undefined) {
      const scale = await simulatorScale(simUrl, token);
      timeScale = scale > 0 ? scale : 1;
    }
  } else if (flags.sim) {
    timeScale ??= DEFAULT_TIME_SCALE;
    simulator = await startSimulator({ port: 0, host: '127.0.0.1', timeScale, plan: flags.plan, seed: flags.seed });
    const store = [...simulator.sim.stores.values()][0]!;
    simUrl = simulator.url;
    Object.assign(simEnv, { SIM_URL: simulator.url, CONTROL_TOKEN: simulator.sim.controlToken, STORE_HASH: store.info.hash });
    log(`Started a simulator at ${simulator.url} (${flags.plan} plan, time scale ${timeScale}, store ${store.info.hash}).`);
    // The mocks model the back office of the same store (same seed) on the same time scale.
    if (flags.mocks && !fromEnv('MOCKS_URL', flags.mocksUrl)) {
      mocks = await startMocks({ port: 0, host: '127.0.0.1', seed: flags.seed, timeScale });
      Object.assign(simEnv, { MOCKS_URL: mocks.url, MOCKS_CONTROL_TOKEN: mocks.controlToken });
      log(`Started the connected-system mocks at ${mocks.url}.`);
    }
  }
  if (timeScale !== undefined) simEnv.TIME_SCALE = String(timeScale);
  if (flags.volumeScale !== undefined) simEnv.VOLUME_SCALE = String(flags.volumeScale);
  const mocksUrl = fromEnv('MOCKS_URL', flags.mocksUrl);
  if (mocksUrl) simEnv.MOCKS_URL = mocksUrl;
  const mocksToken = fromEnv('MOCKS_CONTROL_TOKEN', flags.mocksControlToken);
  if (mocksToken && mocksUrl) simEnv.MOCKS_CONTROL_TOKEN = mocksToken;

  const exportPath = resolve(flags.summaryExport ?? `reports/out/load/${scenario.name}.summary.json`);
  mkdirSync(dirname(exportPath), { recursive: true });
  const trendStats = flags.summaryTrendStats.split(',').map((s) => s.trim()).filter(Boolean);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const shown = relative(process.cwd(), scenario.path);
  log(`Running ${shown && !shown.startsWith('..') ? shown : scenario.path} with ${runner.kind === 'k6' ? `k6 (${runner.bin})` : 'the embedded k6 runner'}: ${runner.why}.`);

  let exitCode: number;
  let summary: SummaryExport | undefined;
  try {
    if (runner.kind === 'k6') {
      // k6 reads the process environment itself (--include-system-env-vars); -e adds ours.
      const result = await runK6Binary({ bin: runner.bin, script: scenario.path, env: { ...explicit, ...simEnv }, summaryExport: exportPath, summaryTrendStats: trendStats, cwd: process.cwd(), stdout: flags.json ? 'stderr' : 'inherit', signal: stop.signal });
      exitCode = result.exitCode;
      summary = result.summaryExport;
    } else {
      // k6 passes the system environment to __ENV by default; so does the embedded runner.
      const env = { ...(process.env as Record<string, string>), ...explicit, ...simEnv };
      const result = await runK6Script({
        script: scenario.path,
        env,
        cwd: process.cwd(),
        stdout: flags.json ? process.stderr : process.stdout,
        stderr: process.stderr,
        progress: flags.progress ? process.stderr : false,
        summaryExport: exportPath,
        summaryTrendStats: trendStats,
        signal: stop.signal,
      });
      exitCode = result.exitCode;
      summary = result.summaryExport;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await mocks?.close();
    await simulator?.close();
  }

  if (summary) log(`Summary (k6 --summary-export shape): ${relative(process.cwd(), exportPath)}`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ runner: runner.kind, scenario: scenario.name, script: scenario.path, exitCode, summaryExport: summary ? exportPath : null, summary: summary ?? null })}\n`);
  }
  return exitCode;
}
