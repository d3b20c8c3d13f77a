/**
 * `bc-harness uat`: the main job. Starts the simulator, the mocks and the integration under test,
 * runs a scenario, waits for the system to settle, verifies every record against ground truth and
 * writes the reports. Exit codes (DESIGN.md section 8): 0 pass, 1 acceptance failed, 2 invalid
 * input or configuration, 3 the harness itself failed; 130 interrupted. With `--json` the last
 * stdout line is `{"verdict", "reportDir", "criteria", "findings", ...}`.
 */
import { relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { planNames } from '../../../lib/plans.ts';
import { CATALOG_PROFILES, type CatalogProfile } from '../../../simulator/index.ts';
import { ConfigFileError, DEFAULTS, loadConfigFile, parseDuration, runnerChoices, type UatOptions } from '../../uat/config.ts';
import { resolveScenario, unknownScenarioMessage } from '../../load/scenario-catalog.ts';
import { checkIntegrationName, IntegrationStartError, NAIVE_INTEGRATIONS } from '../../uat/integration-process.ts';
import { runUat, UatInputError, verifyRunDirectory, type UatResult } from '../../uat/orchestrator.ts';
import { isHarnessError } from '../../errors.ts';
import { CRITERION_STATUS_TEXT } from '../../verify/criteria.ts';
import { VERDICT_TEXT } from '../../verify/verdict.ts';
import { EXIT, exitCodeFor } from '../exit-codes.ts';
import { intOption, numberOption, numberOrAutoOption } from '../options.ts';

export interface UatFlags {
  scenario?: string;
  integration?: string;
  name?: string;
  verify?: string;
  plan: UatOptions['plan'];
  quota?: number;
  timeScale: number | 'auto';
  volumeScale?: number;
  seed: number;
  out?: string;
  junit?: string;
  json?: boolean;
  config?: string;
  runner: UatOptions['runner'];
  env: string[];
  drainQuiet?: string;
  drainDeadline?: string;
  readyTimeout: number;
  deadLetters?: string;
  products: number;
  customers: number;
  pastOrders: number;
  catalog?: string;
  progress: boolean;
  /** `--no-intercept` sets false. */
  intercept?: boolean;
}

function catalogFlag(value: string): CatalogProfile {
  if (!(CATALOG_PROFILES as readonly string[]).includes(value)) throw new UatInputError(`--catalog must be one of ${CATALOG_PROFILES.join(', ')}; got "${value}".`);
  return value as CatalogProfile;
}

export function optionsFrom(flags: UatFlags): UatOptions {
  if (!flags.scenario || !flags.integration) throw new UatInputError(`${!flags.scenario ? '--scenario' : '--integration'} is required (or --verify <run directory> to verify a finished run).`);
  // Checked here, before the config file and the scenario's exports are read, so a typo gets the
  // nearest scenario names (the orchestrator only knows that nothing matched).
  if (!resolveScenario(flags.scenario)) throw new UatInputError(unknownScenarioMessage(flags.scenario));
  let name: string | undefined;
  try {
    name = flags.name === undefined ? undefined : checkIntegrationName(flags.name);
  } catch (error) {
    if (error instanceof IntegrationStartError) throw new UatInputError(error.message);
    throw error;
  }
  const scenarioEnv: Record<string, string> = {};
  for (const pair of flags.env) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UatInputError(`-e/--env takes KEY=VALUE; got "${pair}".`);
    scenarioEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (!planNames.includes(flags.plan)) throw new UatInputError(`--plan must be one of ${planNames.join(', ')}; got "${flags.plan}".`);
  let config;
  try {
    config = flags.config ? loadConfigFile(flags.config) : undefined;
  } catch (error) {
    if (error instanceof ConfigFileError) throw new UatInputError(error.message);
    throw error;
  }
  const duration = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    try {
      return parseDuration(value);
    } catch (error) {
      throw new UatInputError(`${flag}: ${(error as Error).message}.`);
    }
  };
  const quiet = duration('--drain-quiet', flags.drainQuiet ?? config?.drain?.quiet);
  const deadline = duration('--drain-deadline', flags.drainDeadline ?? config?.drain?.deadline);
  return {
    scenario: flags.scenario,
    integration: flags.integration,
    ...(name !== undefined ? { name } : {}),
    plan: flags.plan,
    ...(flags.quota !== undefined ? { quota: flags.quota } : {}),
    // auto: runUat calibrates before its clock starts; until then 1, at which every scenario loads.
    ...(flags.timeScale === 'auto' ? { timeScale: 1, timeScaleMode: 'auto' as const } : { timeScale: flags.timeScale, timeScaleMode: 'fixed' as const }),
    ...(flags.volumeScale !== undefined ? { volumeScale: flags.volumeScale } : {}),
    seed: flags.seed,
    ...(flags.out ? { out: flags.out } : {}),
    ...(flags.junit ? { junit: flags.junit } : {}),
    runner: flags.runner,
    ...(config ? { config } : {}),
    ...(flags.config ? { configPath: flags.config } : {}),
    scenarioEnv,
    ...(quiet !== undefined ? { drainQuietMs: quiet } : {}),
    ...(deadline !== undefined ? { drainDeadlineMs: deadline } : {}),
    readyTimeoutMs: flags.readyTimeout * 1000,
    ...(flags.deadLetters ? { deadLettersCommand: flags.deadLetters } : {}),
    products: flags.products,
    customers: flags.customers,
    pastOrders: flags.pastOrders,
    ...(flags.catalog !== undefined ? { catalog: catalogFlag(flags.catalog) } : {}),
    ...(flags.intercept === false ? { intercept: false } : {}),
  };
}

function printHuman(result: UatResult, log: (line: string) => void): void {
  const v = result.verification;
  log('');
  log(`Verdict: ${VERDICT_TEXT[result.verdict]}`);
  if (result.report) log(`  ${result.report.headline}`);
  else if (result.error) log(`  ${result.error}`);
  const died = v?.health.died;
  if (died) log(`  integration-crashed: the integration ${died.text} at ${new Date(died.at).toISOString()} (simulated)`);
  for (const p of v?.fidelity.problems ?? []) log(`  not faithful (${p.kind}): ${p.text} ${p.fix}`);
  for (const c of v?.criteria ?? []) log(`  ${CRITERION_STATUS_TEXT[c.status]}  ${c.name}: ${c.measure} = ${c.value === null ? 'no data' : Number.isInteger(c.value) ? c.value : c.value.toFixed(2)} (required ${c.op} ${c.limit})${c.note ? (c.status === 'not-exercised' ? `: ${c.note}` : c.status === 'passed' ? `, ${c.note}` : '') : ''}`);
  for (const f of v?.findings ?? []) log(`  finding ${f.pattern} (${f.flow}${f.stream ? `/${f.stream}` : ''}): ${f.summary}`);
  if (result.reports) {
    log('');
    log('Reports:');
    for (const [kind, file] of Object.entries(result.reports)) log(`  ${kind.padEnd(5)} ${relative(process.cwd(), file) || file}`);
  }
}

export function registerUat(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('uat')
    .description('The UAT run: start the simulator, the mocks and an integration, run a scenario, verify every record against ground truth, write the reports')
    .option('--scenario <name>', 'a scenario in scenarios/ (e.g. flash-sale-10x) or a path to a k6 script (required)')
    .option('--integration <what>', `reference, ${Object.keys(NAIVE_INTEGRATIONS).map((n) => `naive-${n}`).join(', ')}, or a command in quotes (it gets the DESIGN.md section 8 environment; a single word close to a built-in name is refused as a typo: write a command of that name as ./name or with arguments)`)
    .option('--name <label>', `the integration's name in the reports and the run directory (default: reference, naive-<name>, or "command"; at most 60 characters)`)
    .option('--plan <plan>', `store plan: ${planNames.join(', ')}`, DEFAULTS.plan)
    .option('--quota <n>', "requests per 30-second window instead of the plan's (scale it with --volume-scale to keep the pressure)", intOption('--quota', 1, 10_000_000))
    .option('--time-scale <n>', 'simulated seconds per real second, or auto: the highest this machine runs the scenario at faithfully, from a short calibration (recorded in the report)', numberOrAutoOption('--time-scale', 0.001, 1_000_000), DEFAULTS.timeScale)
    .option('--volume-scale <n>', "multiply the scenario's arrival rates (VOLUME_SCALE), e.g. 0.1 for a rehearsal", numberOption('--volume-scale', 0.0001, 1000))
    .option('--seed <n>', 'seed of the store and the back office', intOption('--seed', 0, 2 ** 31 - 1), DEFAULTS.seed)
    .option('--out <dir>', 'the run directory (default reports/out/uat/<run id>)')
    .option('--junit <file>', 'also write the JUnit XML here (for CI)')
    .option('--config <file>', 'a JSON or YAML file: acceptance scope, criteria, waivers, drain times, integration environment')
    .addOption(new Option('--runner <runner>', 'load runner: k6 when installed, else the embedded one').choices([...runnerChoices]).default(DEFAULTS.runner))
    .option('-e, --env <KEY=VALUE>', 'extra __ENV for the scenario script (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--drain-quiet <duration>', 'stop waiting after this long (simulated) without progress', undefined)
    .option('--drain-deadline <duration>', 'stop waiting this long (simulated) after the load ended', undefined)
    .option('--dead-letters <command>', "a command printing the integration's dead-letter queue as JSON, run after it stops (default for reference: its bc-harness dlq list --json)")
    .option('--ready-timeout <seconds>', 'real seconds to wait for the integration to be ready', intOption('--ready-timeout', 1, 3600), DEFAULTS.readyTimeoutMs / 1000)
    .option('--products <n>', 'products in the store', intOption('--products', 1, 100_000), DEFAULTS.products)
    .option('--customers <n>', 'customers in the store', intOption('--customers', 1, 1_000_000), DEFAULTS.customers)
    .option('--past-orders <n>', 'orders the store already has', intOption('--past-orders', 0, 1_000_000), DEFAULTS.pastOrders)
    .option('--catalog <profile>', `seeded catalog of the store and the back office: ${CATALOG_PROFILES.join(' or ')} (worst-case adds deep categories, a 600-variant product, Unicode names at maximum lengths; default typical)`)
    .option('--verify <dir>', 'verify a finished run directory again and re-render its reports (nothing is started)')
    .option('--json', 'print one JSON line on stdout at the end (progress goes to stderr)')
    .option('--no-progress', 'no progress output')
    .option('--no-intercept', 'do not route a command integration to the simulator as https://api.bigcommerce.com (HTTPS_PROXY, CA, Node preload); it gets only BIGCOMMERCE_API_URL')
    .addHelpText(
      'after',
      `
Verdicts and exit codes: pass 0, fail 1, inconclusive 3 (the harness failed or could not run the
scenario faithfully: never read as the integration's result), interrupted 130; 2 invalid input or
configuration (nothing was judged).

Examples:
  $ bc-harness uat --scenario flash-sale-10x --integration reference --time-scale 480 --volume-scale 0.1 --quota 15
  $ bc-harness uat --scenario webhook-outage --integration naive-no-health-monitor --time-scale 10800
  $ bc-harness uat --scenario doorbuster --integration "python3 my_integration.py" --junit reports/out/uat.xml
  $ bc-harness uat --scenario baseline-day --integration reference --time-scale auto   # calibrate, then run
  $ bc-harness uat --scenario api-drift --integration reference --config uat.yml --json
  $ bc-harness uat --verify reports/out/uat/20261127-101500-doorbuster-reference   # re-verify, re-render`,
    )
    .action((flags: UatFlags) =>
      run(async () => {
        const out = (line: string) => process.stdout.write(`${line}\n`);
        const err = (line: string) => process.stderr.write(`${line}\n`);
        const finish = (result: UatResult | { exitCode: number; line: Record<string, unknown> }) => {
          if (flags.json) out(JSON.stringify(result.line));
          return result.exitCode;
        };
        const stop = new AbortController();
        const onSignal = () => {
          if (!stop.signal.aborted) err('Interrupted: stopping the load, the integration, the mocks and the simulator (the run directory is still written)...');
          stop.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          const result = flags.verify
            ? await verifyRunDirectory(resolve(flags.verify), { ...(flags.junit ? { junit: flags.junit } : {}), log: err })
            : await runUat(optionsFrom(flags), { progress: flags.progress ? process.stderr : false, log: err, signal: stop.signal });
          if (!flags.json) printHuman(result, out);
          return finish(result);
        } catch (error) {
          // Nothing was judged: the one verdict word for that is "inconclusive" (never pass or fail).
          if (isHarnessError(error)) {
            const input = error.kind === 'invalid-input';
            err(`${input ? 'error' : 'bc-harness uat failed'}: ${error.message}`);
            return finish({ exitCode: exitCodeFor(error), line: { verdict: 'inconclusive', error: error.message, reportDir: null, criteria: [], findings: [] } });
          }
          err(`bc-harness uat failed: ${(error as Error).stack ?? error}`);
          return finish({ exitCode: EXIT.harnessError, line: { verdict: 'inconclusive', error: (error as Error).message, reportDir: null, criteria: [], findings: [] } });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );
}
