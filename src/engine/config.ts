/**
 * The reference engine's configuration: flags over environment variables (DESIGN.md section 8
 * names the environment every integration under test gets), validated with zod in one place, so
 * a bad value is one clear line naming the variable and the flag, never a stack trace later.
 *
 * Durations are simulated seconds: the engine runs on the shared virtual clock (TIME_SCALE), so
 * "poll every 300 s" means five simulated minutes whatever the compression.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultMappingsDir } from '../mappings/load-spec.ts';
import { flowIds, type FlowId } from '../mappings/flows.ts';

/** One configuration field: its flag, its environment variable and what it is for. */
interface FieldSource {
  flag: string;
  env: string;
  help: string;
}

export const CONFIG_FIELDS = {
  apiUrl: { flag: '--api-url', env: 'BIGCOMMERCE_API_URL', help: "the store's API base, up to and including /stores/{hash}" },
  storeHash: { flag: '--store-hash', env: 'BIGCOMMERCE_STORE_HASH', help: 'the store hash (checked against the API URL)' },
  accessToken: { flag: '--access-token', env: 'BIGCOMMERCE_ACCESS_TOKEN', help: 'X-Auth-Token of the API account' },
  webhookSecret: { flag: '--webhook-secret', env: 'BIGCOMMERCE_WEBHOOK_SECRET', help: 'shared secret the hooks send in x-webhook-secret' },
  port: { flag: '--port', env: 'WEBHOOK_PORT', help: 'port of the webhook receiver and metrics (0 = any free port)' },
  host: { flag: '--host', env: 'WEBHOOK_HOST', help: 'address the receiver listens on' },
  publicUrl: { flag: '--public-url', env: 'WEBHOOK_PUBLIC_URL', help: 'base URL BigCommerce calls, when not http://host:port' },
  erpUrl: { flag: '--erp-url', env: 'ERP_URL', help: 'the ERP API base' },
  threeplUrl: { flag: '--threepl-url', env: 'THREEPL_URL', help: 'the 3PL API base' },
  crmUrl: { flag: '--crm-url', env: 'CRM_URL', help: 'the CRM API base' },
  marketingUrl: { flag: '--marketing-url', env: 'MARKETING_URL', help: 'the marketing platform API base' },
  alertUrl: { flag: '--alert-url', env: 'ALERT_URL', help: 'where alerts are POSTed (optional; they are always logged)' },
  timeScale: { flag: '--time-scale', env: 'TIME_SCALE', help: "simulated seconds per real second (use the simulator's)" },
  db: { flag: '--db', env: 'ENGINE_DB', help: 'the SQLite state file' },
  headroom: { flag: '--headroom', env: 'ENGINE_HEADROOM', help: 'share of each quota window left for other apps (0 to 0.9)' },
  flows: { flag: '--flows', env: 'ENGINE_FLOWS', help: 'comma-separated flow ids to run (default all eight)' },
  batchWindowSeconds: { flag: '--batch-window', env: 'ENGINE_BATCH_WINDOW_SECONDS', help: 'simulated seconds a pending id may wait to share a fetch' },
  pollSeconds: { flag: '--poll-seconds', env: 'ENGINE_POLL_SECONDS', help: "poll every connected system's feed this often (default: each spec's frequency)" },
  sweepSeconds: { flag: '--sweep-seconds', env: 'ENGINE_SWEEP_SECONDS', help: 'reconciliation sweep interval, simulated seconds' },
  monitorSeconds: { flag: '--monitor-seconds', env: 'ENGINE_MONITOR_SECONDS', help: 'webhook health check interval, simulated seconds' },
  maxAttempts: { flag: '--max-attempts', env: 'ENGINE_MAX_ATTEMPTS', help: 'transient failures before a write goes to the dead-letter queue' },
  apiConcurrency: { flag: '--api-concurrency', env: 'ENGINE_API_CONCURRENCY', help: 'Management API requests in flight (1 to 3)' },
  alertFailureRate: { flag: '--alert-failure-rate', env: 'ENGINE_ALERT_FAILURE_RATE', help: 'failure share over the alert window that raises an alert' },
  alertWindowSeconds: { flag: '--alert-window', env: 'ENGINE_ALERT_WINDOW_SECONDS', help: 'alert window and cooldown, simulated seconds' },
  mappings: { flag: '--mappings', env: 'ENGINE_MAPPINGS', help: 'directory of the mapping specs' },
} as const satisfies Record<string, FieldSource>;

export type ConfigKey = keyof typeof CONFIG_FIELDS;
export type RawConfig = Partial<Record<ConfigKey, string | number | undefined>>;

const text = z.string().trim();
const url = text.refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), { message: 'must be an http(s) URL' }).transform((v) => v.replace(/\/+$/, ''));
const number = (min: number, max: number, whole = false) =>
  z.union([z.number(), text]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : v === '' ? Number.NaN : Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
      ctx.addIssue({ code: 'custom', message: `must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const flowList = text.transform((v, ctx) => {
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(flowIds as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    ctx.addIssue({ code: 'custom', message: `must list flow ids from ${flowIds.join(', ')}; ${unknown.length ? `unknown: ${unknown.join(', ')}` : 'got none'}` });
    return z.NEVER;
  }
  return [...new Set(names)] as FlowId[];
});

const schema = z.object({
  apiUrl: url.refine((v) => /\/stores\/[^/]+$/.test(new URL(v).pathname), { message: 'must end with /stores/{store_hash}, e.g. http://127.0.0.1:4000/stores/abc123' }),
  storeHash: text.regex(/^[a-z0-9]+$/, 'must be the lowercase alphanumeric store hash').optional(),
  accessToken: text.min(1, 'must not be empty'),
  webhookSecret: text.min(8, 'must be at least 8 characters: the hooks send it with every callback'),
  port: number(0, 65_535, true).default(0),
  host: text.min(1).default('127.0.0.1'),
  publicUrl: url.optional(),
  erpUrl: url,
  threeplUrl: url,
  crmUrl: url,
  marketingUrl: url,
  alertUrl: url.optional(),
  timeScale: number(0.001, 1_000_000).default(1),
  db: text.min(1).default('bc-harness-engine.sqlite'),
  headroom: number(0, 0.9).default(0.2),
  flows: flowList.default([...flowIds]),
  batchWindowSeconds: number(0, 3600).default(5),
  pollSeconds: number(1, 86_400).optional(),
  sweepSeconds: number(10, 7 * 86_400).default(900),
  monitorSeconds: number(10, 86_400).default(300),
  maxAttempts: number(1, 1000, true).default(30),
  apiConcurrency: number(1, 3, true).default(1),
  alertFailureRate: number(0.01, 1).default(0.25),
  alertWindowSeconds: number(10, 86_400).default(300),
  mappings: text.min(1).default(defaultMappingsDir),
});

export type EngineConfig = Omit<z.infer<typeof schema>, 'storeHash'> & { storeHash: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Failed to configure the engine:\n${problems.map((p) => `  ${p}`).join('\n')}\nSet the environment variables or pass the flags (bc-harness engine --help).`);
    this.name = 'ConfigError';
  }
}

/** Environment variables first, flags over them; empty strings count as unset. */
export function rawConfigFrom(flags: RawConfig, env: NodeJS.ProcessEnv = process.env): RawConfig {
  const raw: RawConfig = {};
  for (const [key, field] of Object.entries(CONFIG_FIELDS) as [ConfigKey, FieldSource][]) {
    const fromFlag = flags[key];
    const fromEnv = env[field.env];
    const value = fromFlag !== undefined && fromFlag !== '' ? fromFlag : fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}

export function parseEngineConfig(raw: RawConfig, cwd: string = process.cwd()): EngineConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as ConfigKey | undefined;
      const field = key ? CONFIG_FIELDS[key] : undefined;
      if (!field) return issue.message;
      const missing = issue.code === 'invalid_type' && raw[key!] === undefined;
      return `${field.env} (${field.flag}) ${missing ? `is required: ${field.help}` : issue.message.replace(/^Invalid input: /, '')}.`;
    });
    throw new ConfigError(problems);
  }
  const c = parsed.data;
  const fromUrl = new URL(c.apiUrl).pathname.split('/').at(-1)!;
  if (c.storeHash !== undefined && c.storeHash !== fromUrl) {
    throw new ConfigError([`BIGCOMMERCE_STORE_HASH (--store-hash) is "${c.storeHash}" but BIGCOMMERCE_API_URL names store "${fromUrl}"; they must agree.`]);
  }
  return { ...c, storeHash: fromUrl, db: resolve(cwd, c.db), mappings: resolve(cwd, c.mappings) };
}
