/**
 * `bc-harness mocks`: run the connected-system mocks (ERP, 3PL, CRM, marketing) until SIGINT or
 * SIGTERM. With `--json`, print exactly one ready line on stdout (DESIGN.md section 8).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startMocks, type RunningMocks } from '../../mocks/http/server.ts';
import { CATALOG_PROFILES, type CatalogProfile } from '../../../simulator/index.ts';
import { UsageError } from '../exit-codes.ts';
import { intOption, numberOption } from '../options.ts';

interface MocksFlags {
  port: number;
  host: string;
  seed: number;
  timeScale: number;
  products?: number;
  customers?: number;
  catalog?: string;
  runDir?: string;
  json?: boolean;
  fixedTokens?: boolean;
}

export function mocksReadyLine(running: RunningMocks) {
  return {
    url: running.url,
    controlToken: running.controlToken,
    systems: { erp: `${running.url}/erp`, threepl: `${running.url}/3pl`, crm: `${running.url}/crm`, marketing: `${running.url}/marketing` },
  };
}

export function registerMocks(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('mocks')
    .description('Run the connected-system mocks: a legacy ERP, a 3PL, a CRM and a marketing platform, each journaling every write')
    .option('--port <n>', 'port to listen on (0 = any free port)', intOption('--port', 0, 65_535), 0)
    .option('--host <host>', 'address to listen on (loopback only)', '127.0.0.1')
    .option('--seed <n>', "the simulator's seed, so the ERP item master and CRM contacts match the store", intOption('--seed', 0, 2 ** 31 - 1), 1)
    .option('--time-scale <n>', 'simulated seconds per real second (use the simulator\'s)', numberOption('--time-scale', 0.001, 1_000_000), 1)
    .option('--products <n>', "products in the store (use the simulator's)", intOption('--products', 1, 100_000))
    .option('--customers <n>', "customers in the store (use the simulator's)", intOption('--customers', 1, 1_000_000))
    .option('--catalog <profile>', `the simulator's catalog profile (${CATALOG_PROFILES.join(' or ')}), so the ERP knows every item it sells`)
    .option('--run-dir <dir>', 'write each journal to <dir>/journal-<system>.jsonl')
    .option('--fixed-tokens', 'derive the control token from --seed, the same every run (for tests; anyone who knows the seed knows it). Default: random')
    .option('--json', 'print one JSON ready line on stdout and nothing else')
    .addHelpText(
      'after',
      `
Examples:
  $ bc-harness mocks                                   # ERP, 3PL, CRM, marketing on a free port
  $ bc-harness mocks --json --port 0 --time-scale 60   # for scripts: one ready line
  $ ERP_URL=http://127.0.0.1:PORT/erp ...              # what an integration under test is given`,
    )
    .action((flags: MocksFlags) =>
      run(async () => {
        if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) throw new UsageError(`--host ${flags.host} is not loopback; the mocks' control endpoints must not be exposed.`);
        if (flags.catalog !== undefined && !(CATALOG_PROFILES as readonly string[]).includes(flags.catalog)) throw new UsageError(`--catalog must be one of ${CATALOG_PROFILES.join(', ')}; got "${flags.catalog}".`);
        const running = await startMocks({
          port: flags.port,
          host: flags.host,
          seed: flags.seed,
          timeScale: flags.timeScale,
          ...(flags.products !== undefined ? { products: flags.products } : {}),
          ...(flags.customers !== undefined ? { customers: flags.customers } : {}),
          ...(flags.catalog !== undefined ? { catalog: flags.catalog as CatalogProfile } : {}),
          ...(flags.runDir ? { runDir: resolve(flags.runDir) } : {}),
          deterministicTokens: flags.fixedTokens ?? false,
        });
        const line = mocksReadyLine(running);
        if (flags.json) process.stdout.write(`${JSON.stringify(line)}\n`);
        else {
          console.log(`Connected-system mocks listening on ${line.url} (time scale ${running.clock.scale}, seed ${flags.seed})`);
          for (const [name, url] of Object.entries(line.systems)) console.log(`  ${name.padEnd(10)} ${url}`);
          console.log(`  control:   Authorization: Bearer ${line.controlToken}   (PUT /{system}/faults, GET /{system}/journal)`);
          console.log('Press Ctrl-C to stop.');
        }
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await running.close();
        return 0;
      }),
    );
}
