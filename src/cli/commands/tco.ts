/**
 * `bc-harness tco`: the capacity and cost-of-ownership report of a finished UAT run. Measures the
 * run directory (requests per order by flow, the busiest window, webhook volume, backlog drain,
 * what happened at the quota), projects it over the years against every plan's quota and prices
 * the integration methods from an editable assumptions file. Writes tco.html, tco.md and tco.json.
 * Exit codes (src/cli/exit-codes.ts): 0 written, 2 invalid input (a bad flag, run directory or
 * assumptions file), 3 the harness failed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { AssumptionsError, defaultAssumptionsFile } from '../../tco/assumptions.ts';
import { RunMeasureError } from '../../tco/measure-run.ts';
import { runTco } from '../../tco/run-tco.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { intOption, numberOption } from '../options.ts';

interface TcoFlags {
  run: string;
  growth?: number;
  years: number;
  assumptions?: string;
  out?: string;
  json?: boolean;
}

export async function runTcoCommand(flags: TcoFlags, log: (line: string) => void): Promise<number> {
  try {
    const { report, files } = await runTco({
      runDir: path.resolve(flags.run),
      ...(flags.assumptions ? { assumptionsFile: flags.assumptions } : {}),
      ...(flags.growth !== undefined ? { growth: flags.growth } : {}),
      years: flags.years,
      ...(flags.out ? { out: flags.out } : {}),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ reportDir: path.dirname(files.html), reports: files, recommended: report.data.recommended, requestsPerOrder: report.data.requestsPerOrder, orderDrivenPerOrder: report.data.orderDrivenPerOrder, behaviour: report.data.behaviour, plans: report.data.plans, methods: report.data.methods })}\n`);
      return EXIT.ok;
    }
    log(report.headline);
    for (const c of report.capacity.conclusions) log(`  ${c}`);
    log('');
    for (const m of report.costs.methods) log(`  ${m.recommended ? '*' : ' '} ${m.label.padEnd(18)} ${m.totalText.padEnd(14)} left out of quotes: ${m.excludedText}`);
    log('');
    for (const [kind, file] of Object.entries(files)) log(`  ${kind.padEnd(5)} ${path.relative(process.cwd(), file) || file}`);
    return EXIT.ok;
  } catch (error) {
    // Both name the file and the field; they are the user's input, so exit 2 like `uat`.
    if (error instanceof AssumptionsError || error instanceof RunMeasureError) throw new UsageError(error.message);
    throw error;
  }
}

export function registerTco(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('tco')
    .description('Capacity and cost-of-ownership report of a UAT run: requests per order, when the store outgrows its plan, and the 3-year cost of each integration method')
    .requiredOption('--run <dir>', 'a run directory `bc-harness uat` wrote (reports/out/uat/<run id>)')
    .option('--growth <rate>', "order growth a year, e.g. 0.3 for 30% (default: the assumptions file's)", numberOption('--growth', -0.9, 10))
    .option('--years <n>', 'years to project and price', intOption('--years', 1, 10), 3)
    .option('--assumptions <file>', `YAML of store, prices and their sources (default ${path.relative(process.cwd(), defaultAssumptionsFile) || defaultAssumptionsFile})`)
    .option('--out <dir>', 'where tco.html, tco.md and tco.json go (default: the run directory)')
    .option('--json', 'print one JSON line with the files and the main numbers')
    .addHelpText(
      'after',
      `
Exit codes: 0 written, 2 invalid input (a flag, the run directory, the assumptions file: the error
names the field and the reason), 3 the harness itself failed.

Examples:
  $ bc-harness tco --run reports/out/uat/20261127-063156-flash-sale-10x-reference
  $ bc-harness tco --run reports/out/uat/<run> --growth 0.5 --years 5 --out deliverables/
  $ cp reports/tco-assumptions.yml my-store.yml   # edit prices, orders a day, plan
  $ bc-harness tco --run reports/out/uat/<run> --assumptions my-store.yml --json`,
    )
    .action((flags: TcoFlags) => run(() => runTcoCommand(flags, (l) => console.log(l))));
}
