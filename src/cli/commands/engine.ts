/**
 * `bc-harness engine`: run the reference integration until SIGINT/SIGTERM. Connection details come
 * from flags or the environment of DESIGN.md section 8; with `--json` the only stdout line is the
 * ready line `{"webhookUrl", "metricsUrl", ...}` and logs go to stderr as JSON lines.
 */
import type { Command } from 'commander';
import { MappingSpecError } from '../../mappings/load-spec.ts';
import { CONFIG_FIELDS, ConfigError, parseEngineConfig, rawConfigFrom, type ConfigKey, type RawConfig } from '../../engine/config.ts';
import { createEngine } from '../../engine/engine.ts';
import { RegistrationRefused } from '../../engine/monitor.ts';
import { ApiUnavailable } from '../../engine/bc-client.ts';
import { UnexpectedAnswer } from '../../engine/bc-sources.ts';
import { UsageError } from '../exit-codes.ts';

/** commander's camelCase name for each config field's flag. */
const optionName = (flag: string) => flag.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function registerEngine(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('engine')
    .description('Run the reference integration: webhooks in, batched fetches paced by the quota, mapped writes to the ERP, 3PL, CRM and marketing platform, a dead-letter queue, a health monitor, metrics');
  for (const [key, field] of Object.entries(CONFIG_FIELDS) as [ConfigKey, (typeof CONFIG_FIELDS)[ConfigKey]][]) {
    cmd.option(`${field.flag} <value>`, `${field.help} [env ${field.env}]`);
    void key;
  }
  cmd
    .option('--json', 'print one JSON ready line on stdout and nothing else')
    .addHelpText(
      'after',
      `
Every flag can be given as its environment variable instead (shown in brackets); flags win.
Durations are simulated seconds on the shared clock (TIME_SCALE).

Examples:
  $ BIGCOMMERCE_API_URL=http://127.0.0.1:4000/stores/s0abc12 BIGCOMMERCE_ACCESS_TOKEN=... \\
    BIGCOMMERCE_WEBHOOK_SECRET=change-me-please ERP_URL=http://127.0.0.1:4100/erp \\
    THREEPL_URL=http://127.0.0.1:4100/3pl CRM_URL=http://127.0.0.1:4100/crm \\
    MARKETING_URL=http://127.0.0.1:4100/marketing TIME_SCALE=60 bc-harness engine --json
  $ bc-harness engine --flows orders,marketing-events --db state/engine.sqlite --headroom 0.3
  $ bc-harness dlq list --db state/engine.sqlite`,
    )
    .action((flags: Record<string, string | boolean | undefined>) =>
      run(async () => {
        const raw: RawConfig = {};
        for (const [key, field] of Object.entries(CONFIG_FIELDS) as [ConfigKey, { flag: string }][]) {
          const v = flags[optionName(field.flag)];
          if (typeof v === 'string') raw[key] = v;
        }
        let config;
        try {
          config = parseEngineConfig(rawConfigFrom(raw));
        } catch (error) {
          if (error instanceof ConfigError) throw new UsageError(error.message);
          throw error;
        }
        let engine;
        let ready;
        try {
          engine = await createEngine(config);
          ready = await engine.start();
        } catch (error) {
          if (error instanceof MappingSpecError || error instanceof RegistrationRefused) throw new UsageError(error.message);
          // The store did not answer usefully while the engine registered its hooks: say so
          // plainly rather than with a stack trace.
          if (error instanceof ApiUnavailable || error instanceof UnexpectedAnswer) throw new UsageError(`Failed to start the engine: ${error.message} Check that BIGCOMMERCE_API_URL (--api-url) points at a running store.`);
          throw error;
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
        else {
          console.log(`Reference engine for store ${ready.store} (flows: ${ready.flows.join(', ')})`);
          console.log(`  webhooks: ${ready.webhookUrl}   (${ready.hooks.length} hooks registered)`);
          console.log(`  metrics:  ${ready.metricsUrl}`);
          console.log(`  state:    ${ready.db}`);
          console.log('Press Ctrl-C to stop.');
        }
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await engine.close();
        return 0;
      }),
    );
}
