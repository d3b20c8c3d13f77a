/**
 * A script's `options` export, validated (zod) and consolidated the way k6 does it: the execution
 * shortcuts (`vus`, `iterations`, `duration`, `stages`) become one `default` scenario, each
 * scenario gets k6's defaults, and k6's validation rules apply (k6 `lib/executor/*`: strict fields,
 * scenario names, a 1 s minimum duration for constant-vus and constant-arrival-rate, stages).
 *
 * Executors are a closed union: adding one means a new `ScenarioConfig` member, and every switch
 * over `executor` stops compiling until it handles it.
 */
import { z } from 'zod';
import { DurationError, parseDuration } from './durations.ts';
import { K6ConfigError, UnsupportedFeatureError } from './errors.ts';
import { isTrendStat } from './metrics.ts';

export const EXECUTOR_TYPES = ['constant-arrival-rate', 'ramping-arrival-rate', 'constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations'] as const;
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

export interface Stage {
  durationMs: number;
  target: number;
}

interface BaseScenario {
  name: string;
  startTimeMs: number;
  gracefulStopMs: number;
  /** The exported function to run; `default` unless `exec` was given. */
  exec: string;
  /** Whether `exec` was written (k6 prints it in the scenario description only then). */
  execExplicit: boolean;
  env: Record<string, string>;
  tags: Record<string, string>;
}

export interface ConstantArrivalRateConfig extends BaseScenario {
  executor: 'constant-arrival-rate';
  rate: number;
  timeUnitMs: number;
  durationMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
}
export interface RampingArrivalRateConfig extends BaseScenario {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnitMs: number;
  stages: Stage[];
  preAllocatedVUs: number;
  maxVUs: number;
}
export interface ConstantVusConfig extends BaseScenario {
  executor: 'constant-vus';
  vus: number;
  durationMs: number;
}
export interface RampingVusConfig extends BaseScenario {
  executor: 'ramping-vus';
  startVUs: number;
  stages: Stage[];
  gracefulRampDownMs: number;
}
export interface PerVuIterationsConfig extends BaseScenario {
  executor: 'per-vu-iterations';
  vus: number;
  iterations: number;
  maxDurationMs: number;
}
export interface SharedIterationsConfig extends BaseScenario {
  executor: 'shared-iterations';
  vus: number;
  iterations: number;
  maxDurationMs: number;
}

export type ScenarioConfig = ConstantArrivalRateConfig | RampingArrivalRateConfig | ConstantVusConfig | RampingVusConfig | PerVuIterationsConfig | SharedIterationsConfig;

export interface ConsolidatedOptions {
  scenarios: ScenarioConfig[];
  thresholds: Record<string, unknown>;
  summaryTrendStats: string[];
  summaryTimeUnit: string;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  tags: Record<string, string>;
  userAgent: string;
  maxRedirects: number;
  insecureSkipTLSVerify: boolean;
  discardResponseBodies: boolean;
  throw: boolean;
  minIterationDurationMs: number;
  noConnectionReuse: boolean;
  /** The options as the script exported them, for `exec.test.options`. */
  raw: Record<string, unknown>;
}

// k6 minDuration: constant-vus and constant-arrival-rate refuse shorter durations.
const MIN_DURATION_MS = 1_000;
const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

const durationField = (field: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      return parseDuration(value, field);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as DurationError).message });
      return z.NEVER;
    }
  });
const int = (min: number) => z.number().int().min(min);
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const base = {
  startTime: durationField('startTime').optional(),
  gracefulStop: durationField('gracefulStop').optional(),
  exec: z.string().min(1, 'exec value cannot be empty').optional(),
  env: stringMap.optional(),
  tags: stringMap.optional(),
};
const stage = z.object({ duration: durationField('stages[].duration'), target: int(0) }).strict();

const schemas = {
  'constant-arrival-rate': z.object({ executor: z.literal('constant-arrival-rate'), ...base, rate: z.number().int().positive('the rate should be more than 0'), timeUnit: durationField('timeUnit').optional(), duration: durationField('duration'), preAllocatedVUs: int(0), maxVUs: int(0).optional() }).strict(),
  'ramping-arrival-rate': z.object({ executor: z.literal('ramping-arrival-rate'), ...base, startRate: int(0).optional(), timeUnit: durationField('timeUnit').optional(), stages: z.array(stage).min(1, 'at least one stage has to be specified'), preAllocatedVUs: int(0), maxVUs: int(0).optional() }).strict(),
  'constant-vus': z.object({ executor: z.literal('constant-vus'), ...base, vus: int(1).optional(), duration: durationField('duration') }).strict(),
  'ramping-vus': z.object({ executor: z.literal('ramping-vus'), ...base, startVUs: int(0).optional(), stages: z.array(stage).min(1, 'at least one stage has to be specified'), gracefulRampDown: durationField('gracefulRampDown').optional() }).strict(),
  'per-vu-iterations': z.object({ executor: z.literal('per-vu-iterations'), ...base, vus: int(1).optional(), iterations: int(1).optional(), maxDuration: durationField('maxDuration').optional() }).strict(),
  'shared-iterations': z.object({ executor: z.literal('shared-iterations'), ...base, vus: int(1).optional(), iterations: int(1).optional(), maxDuration: durationField('maxDuration').optional() }).strict(),
} as const;

function describeIssues(prefix: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `${prefix}: unknown field(s) ${(i as { keys: string[] }).keys.join(', ')}`;
      return `${prefix}${path ? `.${path}` : ''}: ${i.message}`;
    })
    .join('; ');
}

function parseScenario(name: string, raw: unknown): ScenarioConfig {
  if (!SCENARIO_NAME.test(name)) throw new K6ConfigError(`scenario "${name}": the scenario name should contain only numbers, latin letters, underscores, and dashes`);
  if (!raw || typeof raw !== 'object') throw new K6ConfigError(`scenario "${name}" must be an object with an executor`);
  const executor = (raw as { executor?: unknown }).executor;
  if (executor === 'externally-controlled') throw new UnsupportedFeatureError(`the externally-controlled executor (scenario "${name}")`, 'it is driven through k6\'s REST API');
  if (typeof executor !== 'string' || !(EXECUTOR_TYPES as readonly string[]).includes(executor)) {
    throw new K6ConfigError(`unknown executor type '${String(executor)}'`);
  }
  const type = executor as ExecutorType;
  if ('options' in (raw as object)) throw new UnsupportedFeatureError(`scenario options (scenario "${name}": options.browser and the like)`);
  const parsed = schemas[type].safeParse(raw);
  if (!parsed.success) throw new K6ConfigError(describeIssues(`scenario "${name}"`, parsed.error));
  const v = parsed.data as Record<string, any>;
  const common: BaseScenario = {
    name,
    startTimeMs: v.startTime ?? 0,
    gracefulStopMs: v.gracefulStop ?? 30_000,
    exec: v.exec ?? 'default',
    execExplicit: v.exec !== undefined,
    env: v.env ?? {},
    tags: v.tags ?? {},
  };
  switch (type) {
    case 'constant-arrival-rate': {
      const timeUnitMs = v.timeUnit ?? 1_000;
      if (timeUnitMs <= 0) throw new K6ConfigError(`scenario "${name}": the timeUnit must be more than 0`);
      if (v.duration < MIN_DURATION_MS) throw new K6ConfigError(`scenario "${name}": the duration should be at least 1s, but is ${v.duration}ms`);
      const maxVUs = v.maxVUs ?? v.preAllocatedVUs;
      if (maxVUs < v.preAllocatedVUs) throw new K6ConfigError(`scenario "${name}": maxVUs can't be less than preAllocatedVUs`);
      return { ...common, executor: type, rate: v.rate, timeUnitMs, durationMs: v.duration, preAllocatedVUs: v.preAllocatedVUs, maxVUs };
    }
    case 'ramping-arrival-rate': {
      const timeUnitMs = v.timeUnit ?? 1_000;
      if (timeUnitMs <= 0) throw new K6ConfigError(`scenario "${name}": the timeUnit must be more than 0`);
      const maxVUs = v.maxVUs ?? v.preAllocatedVUs;
      if (maxVUs < v.preAllocatedVUs) throw new K6ConfigError(`scenario "${name}": maxVUs can't be less than preAllocatedVUs`);
      return { ...common, executor: type, startRate: v.startRate ?? 0, timeUnitMs, stages: toStages(v.stages), preAllocatedVUs: v.preAllocatedVUs, maxVUs };
    }
    case 'constant-vus':
      if (v.duration < MIN_DURATION_MS) throw new K6ConfigError(`scenario "${name}": the duration should be at least 1s, but is ${v.duration}ms`);
      return { ...common, executor: type, vus: v.vus ?? 1, durationMs: v.duration };
    case 'ramping-vus': {
      const stages = toStages(v.stages);
      const startVUs = v.startVUs ?? 1;
      if (Math.max(startVUs, ...stages.map((s) => s.target)) <= 0) throw new K6ConfigError(`scenario "${name}": either startVUs or one of the stages' target values must be greater than 0`);
      return { ...common, executor: type, startVUs, stages, gracefulRampDownMs: v.gracefulRampDown ?? 30_000 };
    }
    case 'per-vu-iterations':
      return { ...common, executor: type, vus: v.vus ?? 1, iterations: v.iterations ?? 1, maxDurationMs: v.maxDuration ?? 600_000 };
    case 'shared-iterations': {
      const vus = v.vus ?? 1;
      const iterations = v.iterations ?? 1;
      if (iterations < vus) throw new K6ConfigError(`scenario "${name}": the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`);
      return { ...common, executor: type, vus, iterations, maxDurationMs: v.maxDuration ?? 600_000 };
    }
    default:
      throw new K6ConfigError(`unknown executor type '${type satisfies never}'`);
  }
}

function toStages(stages: { duration: number; target: number }[]): Stage[] {
  return stages.map((s) => ({ durationMs: s.duration, target: s.target }));
}

/** k6 `DeriveScenariosFromShortcuts`: `vus`/`iterations`/`duration`/`stages` -> one `default` scenario. */
function shortcutScenario(raw: Record<string, unknown>): Record<string, unknown> {
  const has = (k: string) => raw[k] !== undefined && raw[k] !== null;
  if (has('iterations')) {
    if (has('stages')) throw new K6ConfigError('using multiple execution config shortcuts (`iterations` and `stages`) simultaneously is not allowed');
    return { executor: 'shared-iterations', vus: raw.vus ?? 1, iterations: raw.iterations, ...(has('duration') ? { maxDuration: raw.duration } : {}) };
  }
  if (has('duration')) {
    if (has('stages')) throw new K6ConfigError('using multiple execution config shortcuts (`duration` and `stages`) simultaneously is not allowed');
    return { executor: 'constant-vus', vus: raw.vus ?? 1, duration: raw.duration };
  }
  if (has('stages')) return { executor: 'ramping-vus', startVUs: raw.vus ?? 1, stages: raw.stages };
  return { executor: 'shared-iterations', vus: raw.vus ?? 1, iterations: 1 };
}

/** Options that change what k6 does in ways the embedded runner does not reproduce. */
const UNSUPPORTED_OPTIONS: Record<string, string> = {
  rps: 'the global request-rate limit',
  batch: 'http.batch limits',
  batchPerHost: 'http.batch limits',
  hosts: 'host overrides',
  dns: 'DNS resolution settings',
  blacklistIPs: 'blocked IP ranges',
  blockHostnames: 'blocked hostnames',
  systemTags: 'a custom system tag set',
  tlsAuth: 'TLS client certificates',
  tlsCipherSuites: 'TLS cipher suites',
  tlsVersion: 'TLS version limits',
  localIPs: 'source IP selection',
  executionSegment: 'execution segments (distributed runs)',
  executionSegmentSequence: 'execution segments (distributed runs)',
  paused: 'starting paused (REST API)',
  browser: 'the browser module',
};

/** Options that only matter to outputs, the cloud or the UI; accepted and ignored, as a local k6 run does. */
const IGNORED_OPTIONS = new Set(['cloud', 'ext', 'noUsageReport', 'linger', 'noColor', 'quiet', 'console', 'httpDebug', 'noCookiesReset', 'noVUConnectionReuse', 'summaryMode', 'compatibilityMode', 'logOutput', 'logFormat']);

const KNOWN_OPTIONS = new Set([
  'scenarios', 'vus', 'iterations', 'duration', 'stages', 'thresholds', 'summaryTrendStats', 'summaryTimeUnit', 'setupTimeout', 'teardownTimeout', 'tags', 'userAgent',
  'maxRedirects', 'insecureSkipTLSVerify', 'discardResponseBodies', 'throw', 'minIterationDuration', 'noConnectionReuse',
]);

export interface ConsolidateOverrides {
  summaryTrendStats?: string[];
}

export function consolidateOptions(exported: unknown, overrides: ConsolidateOverrides = {}, warn: (message: string) => void = () => {}): ConsolidatedOptions {
  if (exported !== undefined && (exported === null || typeof exported !== 'object' || Array.isArray(exported))) {
    throw new K6ConfigError('the exported options must be an object');
  }
  const raw = (exported ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (UNSUPPORTED_OPTIONS[key]) throw new UnsupportedFeatureError(`options.${key} (${UNSUPPORTED_OPTIONS[key]})`);
    if (!KNOWN_OPTIONS.has(key) && !IGNORED_OPTIONS.has(key)) warn(`option "${key}" is not one the embedded runner knows; it is ignored`);
  }
  const scenariosRaw = raw.scenarios as Record<string, unknown> | undefined;
  let scenarios: ScenarioConfig[];
  if (scenariosRaw !== undefined && scenariosRaw !== null) {
    if (typeof scenariosRaw !== 'object' || Array.isArray(scenariosRaw)) throw new K6ConfigError('options.scenarios must be an object keyed by scenario name');
    if (['iterations', 'duration', 'stages'].some((k) => raw[k] !== undefined)) {
      throw new K6ConfigError('using an execution configuration shortcut (iterations, duration or stages) and "scenarios" simultaneously is not allowed');
    }
    scenarios = Object.entries(scenariosRaw).map(([name, s]) => parseScenario(name, s));
    if (scenarios.length === 0) throw new K6ConfigError('options.scenarios has no scenarios');
  } else {
    scenarios = [parseScenario('default', shortcutScenario(raw))];
  }

  const trendStats = overrides.summaryTrendStats ?? (raw.summaryTrendStats as string[] | undefined) ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  if (!Array.isArray(trendStats) || trendStats.some((s) => typeof s !== 'string' || !isTrendStat(s))) {
    throw new K6ConfigError(`summaryTrendStats must list avg, min, med, max, count or p(N); got ${JSON.stringify(trendStats)}`);
  }
  const duration = (key: string, fallback: number) => {
    if (raw[key] === undefined) return fallback;
    try {
      return parseDuration(raw[key], `options.${key}`);
    } catch (error) {
      throw new K6ConfigError((error as Error).message);
    }
  };
  const thresholds = (raw.thresholds ?? {}) as Record<string, unknown>;
  if (typeof thresholds !== 'object' || Array.isArray(thresholds)) throw new K6ConfigError('options.thresholds must be an object keyed by metric');
  let tags: Record<string, string> = {};
  if (raw.tags !== undefined) {
    const parsed = stringMap.safeParse(raw.tags);
    if (!parsed.success) throw new K6ConfigError('options.tags must map tag names to strings');
    tags = parsed.data;
  }
  return {
    scenarios,
    thresholds,
    summaryTrendStats: trendStats,
    summaryTimeUnit: typeof raw.summaryTimeUnit === 'string' ? raw.summaryTimeUnit : '',
    setupTimeoutMs: duration('setupTimeout', 60_000),
    teardownTimeoutMs: duration('teardownTimeout', 60_000),
    tags,
    userAgent: typeof raw.userAgent === 'string' ? raw.userAgent : 'k6/1.3.0 (https://k6.io/; bc-harness embedded runner)',
    maxRedirects: typeof raw.maxRedirects === 'number' ? raw.maxRedirects : 10,
    insecureSkipTLSVerify: raw.insecureSkipTLSVerify === true,
    discardResponseBodies: raw.discardResponseBodies === true,
    throw: raw.throw === true,
    minIterationDurationMs: duration('minIterationDuration', 0),
    noConnectionReuse: raw.noConnectionReuse === true,
    raw,
  };
}
