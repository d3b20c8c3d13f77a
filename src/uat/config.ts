/**
 * The UAT run's configuration: the command line's options, and an optional config file
 * (`--config uat.yml`, JSON or YAML) for what a buyer agrees with a vendor: which flows are in
 * scope, criteria added, overridden or waived, and how long to wait for the system to settle.
 * Validated with zod at the boundary; a bad file is one message naming the field (exit code 2).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readableIssues } from '../suggest.ts';
import { acceptanceConfigSchema } from '../verify/criteria.ts';
import type { TimeScaleCalibration } from './calibrate-time-scale.ts';

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of "30m", "1h30m", "45s". */
export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new Error(`"${text}" is not a duration; write it like "30m", "6h" or "1h30m"`);
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

export const durationSchema = z.string().regex(DURATION, 'write a duration like "30m", "6h" or "1h30m"');

export const uatConfigFileSchema = z
  .object({
    acceptance: acceptanceConfigSchema.optional(),
    drain: z
      .object({
        /** Stop waiting when nothing reached a target for this long (simulated). */
        quiet: durationSchema.optional(),
        /** Stop waiting this long (simulated) after the load ended, whatever the state. */
        deadline: durationSchema.optional(),
      })
      .strict()
      .optional(),
    /** Extra environment for the integration under test (e.g. its own settings). */
    integrationEnv: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment variable names are upper-case letters, digits and _'), z.string()).optional(),
    /**
     * A command that prints the integration's dead-letter queue as JSON (an array or JSON Lines of
     * objects with `key`, `reason` and optionally `spec`), run after the integration stopped, for
     * integrations that keep their queue instead of reporting each entry to ALERT_URL.
     */
    deadLetters: z.object({ command: z.string().min(1) }).strict().optional(),
  })
  .strict();
export type UatConfigFile = z.infer<typeof uatConfigFileSchema>;

export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

export function loadConfigFile(file: string): UatConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`Failed to read the config file ${file}: ${(error as Error).message}. Pass an existing JSON or YAML file to --config.`);
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigFileError(`Failed to parse the config file ${file}: ${(error as Error).message.split('\n')[0]}.`);
  }
  // An empty file is an empty config; a file holding one word or a list is a different mistake from a wrong field.
  data ??= {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(`Failed to accept the config file ${file}: it holds ${Array.isArray(data) ? 'a list' : `the value ${JSON.stringify(data)}`}, not a mapping. Write it as a mapping of ${Object.keys(uatConfigFileSchema.shape).join(', ')} (README, "bc-harness uat").`);
  }
  const parsed = uatConfigFileSchema.safeParse(data);
  if (!parsed.success) {
    // One sentence per problem, naming the place and what to write; a misspelt key gets the key it was probably meant to be.
    const issues = readableIssues(parsed.error, data, uatConfigFileSchema).join('; ');
    throw new ConfigFileError(`Failed to accept the config file ${file}: ${issues}. See README, "bc-harness uat", for the format.`);
  }
  return parsed.data;
}

export const runnerChoices = ['auto', 'embedded', 'k6'] as const;

/** Everything one UAT run needs, resolved from flags and the config file. */
export interface UatOptions {
  scenario: string;
  integration: string;
  /**
   * The integration's name in the reports and the run id (`--name`), instead of "reference",
   * "naive-<name>" or "command"; checked with checkIntegrationName.
   */
  name?: string;
  plan: 'standard' | 'plus' | 'pro' | 'enterprise';
  /** Requests per 30-second window, overriding the plan's. */
  quota?: number;
  /** Simulated seconds per real second; with `timeScaleMode: 'auto'` a placeholder until runUat calibrates. */
  timeScale: number;
  /** `--time-scale auto` (calibrated before the run, src/uat/calibrate-time-scale.ts) or a number given. */
  timeScaleMode?: 'auto' | 'fixed';
  /** The calibration that chose `timeScale` (auto only; run.json's `timeScale.calibration`). */
  timeScaleCalibration?: TimeScaleCalibration;
  /** Multiplies every arrival rate of the scenario (VOLUME_SCALE). */
  volumeScale?: number;
  seed: number;
  /** The run directory (created); default reports/out/uat/<run id>. */
  out?: string;
  junit?: string;
  runner: (typeof runnerChoices)[number];
  config?: UatConfigFile;
  configPath?: string;
  /** Extra __ENV for the scenario script (KEY=VALUE). */
  scenarioEnv: Record<string, string>;
  drainQuietMs?: number;
  drainDeadlineMs?: number;
  /** Real ms to wait for the integration to become ready. */
  readyTimeoutMs: number;
  /** Command printing the integration's dead-letter queue as JSON (see the config file). */
  deadLettersCommand?: string;
  products: number;
  customers: number;
  pastOrders: number;
  /** The seeded catalog (`--catalog`): `typical`, or `worst-case` (deep categories, 600 variants, Unicode at maximum lengths). */
  catalog?: 'typical' | 'worst-case';
  /**
   * Route a command integration to the simulator as the platform (HTTPS_PROXY, the run's CA, the
   * Node preload; src/intercept/), so one that hard-codes https://api.bigcommerce.com runs
   * unchanged. Default true for commands (`--no-intercept` turns it off); the built-ins never need it.
   */
  intercept?: boolean;
}

export const DEFAULTS = {
  plan: 'standard',
  timeScale: 60,
  seed: 1,
  runner: 'auto',
  readyTimeoutMs: 60_000,
  products: 200,
  customers: 100,
  pastOrders: 50,
  /** Two of the reference engine's 15-minute reconciliation sweeps. */
  drainQuietMs: 30 * 60_000,
  drainDeadlineMs: 6 * 3_600_000,
} as const;
