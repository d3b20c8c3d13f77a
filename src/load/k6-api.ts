/**
 * The k6 modules the embedded runner provides besides `k6/http`: `k6` (check, group, sleep, fail),
 * `k6/metrics` (Counter, Gauge, Rate, Trend), `k6/execution` and `k6/timers`. Every function reads
 * the calling VU from the execution context, so one set of module objects serves every run.
 */
import { currentContext, emit, type ExecContext, record, sampleTags, trackPending } from './context.ts';
import { GoError, TestAbortError, UnsupportedFeatureError } from './errors.ts';
import { createHttpModule } from './k6-http.ts';
import type { Metric, MetricType, Tags } from './metrics.ts';

function requireContext(what: string): ExecContext {
  const ctx = currentContext();
  if (!ctx) throw new GoError(`${what} can only be called by a running k6 script`);
  return ctx;
}

function requireVuCode(what: string): ExecContext {
  const ctx = requireContext(what);
  if (ctx.phase === 'init') throw new GoError(`${what} can't be used in the init context`);
  return ctx;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';
}

function toTags(input: unknown): Tags | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object') throw new GoError('tags must be an object of tag names to values');
  const out: Tags = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = String(v);
  return out;
}

// ---- k6 -------------------------------------------------------------------------------------

/**
 * `check(value, {name: predicate}, tags)`: one `checks` sample per predicate, tagged with the
 * check name and group, and the pass/fail counts in the summary's group tree.
 */
export function check(value: unknown, sets: Record<string, unknown>, tags?: unknown): boolean {
  const ctx = requireVuCode('check()');
  const extra = toTags(tags);
  let all = true;
  for (const [name, predicate] of Object.entries(sets ?? {})) {
    if (isAsyncFunction(predicate)) {
      throw new GoError('the built-in check() does not support async functions as arguments. Use the JavaScript utils library as a replacement. Refer to https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/check/ for more info');
    }
    const ok = Boolean(typeof predicate === 'function' ? (predicate as (v: unknown) => unknown)(value) : predicate);
    const tags = sampleTags(ctx, { ...extra, check: name });
    const group = ctx.group;
    record(ctx, () => {
      ctx.run.registry.add(ctx.run.builtin.checks, ok ? 1 : 0, tags);
      const node = ctx.run.tree.check(group, name);
      if (ok) node.passes += 1;
      else node.fails += 1;
    });
    all &&= ok;
  }
  return all;
}

/** `group(name, fn)`: runs fn synchronously with the group tag set; k6 refuses async callbacks. */
export function group<T>(name: string, fn: () => T): T {
  const ctx = requireVuCode('group()');
  if (isAsyncFunction(fn)) throw new GoError('group() does not support async functions as arguments, please see https://grafana.com/docs/k6/latest/javascript-api/k6/group/ for more info');
  if (typeof fn !== 'function') throw new GoError('group() needs a function as its second argument');
  if (typeof name !== 'string' || name === '') throw new GoError('group name must be a non-empty string');
  if (name.includes('::')) throw new GoError("group and check names may not contain '::'");
  const previous = ctx.group;
  const path = `${previous}::${name}`;
  ctx.run.tree.group(path);
  ctx.group = path;
  const started = performance.now();
  try {
    return fn();
  } finally {
    ctx.group = previous;
    emit(ctx, ctx.run.builtin.group_duration, performance.now() - started, sampleTags(ctx, { group: path }));
  }
}

/**
 * `sleep(seconds)`. On k6 it blocks the VU; here VUs share one event loop, so it returns a promise
 * and records the VU's wake-up time instead:
 * - `await sleep(s)` (also valid on k6, where sleep returns undefined) pauses exactly;
 * - a bare `sleep(s)` is paid before the VU's next request and before its iteration ends, so
 *   pacing and request times match k6; only synchronous code right after it runs early.
 */
export function sleep(seconds: number): Promise<void> {
  const ctx = requireContext('sleep()');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw new GoError(`sleep() takes a number of seconds >= 0; got ${String(seconds)}`);
  const now = performance.now();
  ctx.sleepUntil = Math.max(ctx.sleepUntil, now) + seconds * 1000;
  const wait = ctx.sleepUntil - now;
  return new Promise((resolve) => setTimeout(resolve, wait));
}

export function fail(message?: unknown): never {
  throw new Error(String(message ?? ''));
}

function randomSeed(): never {
  const error = new UnsupportedFeatureError('randomSeed()', 'Math.random is shared by every VU in the embedded runner');
  currentContext()?.run.unsupported(error);
  throw error;
}

// ---- k6/metrics -----------------------------------------------------------------------------

function defineCustomMetric(type: MetricType, name: unknown, isTime: unknown): Metric {
  const ctx = currentContext();
  if (!ctx || ctx.phase !== 'init') throw new GoError('metrics must be declared in the init context');
  if (typeof name !== 'string' || name === '') throw new GoError('the metric name is required');
  try {
    return ctx.run.registry.define(name, type, isTime === true && type !== 'rate' ? 'time' : 'default', true);
  } catch (error) {
    throw new GoError((error as Error).message);
  }
}

function metricClass(type: MetricType) {
  return class {
    readonly name: string;
    readonly type: MetricType = type;
    readonly #metric: Metric;
    constructor(name: string, isTime?: boolean) {
      this.#metric = defineCustomMetric(type, name, isTime);
      this.name = name;
    }
    add(value: unknown, tags?: unknown): boolean {
      const ctx = requireContext(`${this.name}.add()`);
      if (ctx.phase === 'init') throw new GoError('adding samples to metrics in the init context is not supported');
      const number = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      if (!Number.isFinite(number)) {
        ctx.run.logger.once(`nan:${this.name}`, 'warning', `'${String(value)}' is an invalid value for metric '${this.name}', a number or a boolean value is expected`);
        return false;
      }
      emit(ctx, this.#metric, type === 'rate' ? (number !== 0 ? 1 : 0) : number, sampleTags(ctx, toTags(tags)));
      return true;
    }
  };
}

export const Counter = metricClass('counter');
export const Gauge = metricClass('gauge');
export const Rate = metricClass('rate');
export const Trend = metricClass('trend');

// ---- k6/execution ---------------------------------------------------------------------------

function callerLocation(): string {
  // The first stack frame outside this file is the script line that called abort().
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  const frame = lines.find((l) => !l.includes('/src/load/')) ?? '';
  return frame.trim().replace(/\?k6run=[^:)\s]*/g, '');
}

const SCENARIO_ERROR = 'getting scenario information outside of the VU context is not supported';

function vuTagsProxy(ctx: ExecContext): Record<string, string> {
  return new Proxy({} as Record<string, string>, {
    get: (_t, key) => (typeof key === 'string' ? (ctx.vu.customTags[key] ?? (key === 'scenario' ? ctx.scenario?.name : undefined)) : undefined),
    set: (_t, key, value) => {
      if (typeof key !== 'string') return false;
      if (value !== null && typeof value === 'object') throw new GoError(`invalid value for the tag "${key}": only string, number and boolean values are accepted`);
      ctx.vu.customTags[key] = String(value);
      return true;
    },
    deleteProperty: (_t, key) => {
      if (typeof key === 'string') delete ctx.vu.customTags[key];
      return true;
    },
    has: (_t, key) => typeof key === 'string' && (key in ctx.vu.customTags || (key === 'scenario' && ctx.scenario !== undefined)),
    ownKeys: () => [...new Set([...(ctx.scenario ? ['scenario'] : []), ...Object.keys(ctx.vu.customTags)])],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && (key in ctx.vu.customTags || (key === 'scenario' && ctx.scenario))
        ? { enumerable: true, configurable: true, writable: true, value: ctx.vu.customTags[key] ?? ctx.scenario?.name }
        : undefined,
  });
}

export const execution = {
  get instance() {
    const ctx = requireContext('exec.instance');
    const stats = ctx.run.stats();
    return { ...stats, currentTestRunDuration: performance.now() - ctx.run.startedAt };
  },
  get scenario() {
    const ctx = requireContext('exec.scenario');
    const s = ctx.scenario;
    if (!s || ctx.phase !== 'iteration') throw new GoError(SCENARIO_ERROR);
    return {
      name: s.name,
      executor: s.executor,
      startTime: s.startedAtEpochMs ?? 0,
      progress: s.progress(),
      iterationInInstance: ctx.iterationInTest,
      iterationInTest: ctx.iterationInTest,
    };
  },
  get vu() {
    const ctx = requireContext('exec.vu');
    const tags = vuTagsProxy(ctx);
    return {
      idInInstance: ctx.vu.idInTest,
      idInTest: ctx.vu.idInTest,
      iterationInInstance: ctx.phase === 'iteration' ? ctx.vu.iterationsInInstance - 1 : 0,
      iterationInScenario: ctx.iterationInScenario,
      tags,
      metrics: { tags, metadata: ctx.vu.metadata },
    };
  },
  test: {
    abort(reason?: unknown): never {
      const ctx = requireContext('exec.test.abort()');
      const text = reason === undefined ? '' : String(reason);
      ctx.run.abortTest(text, callerLocation());
      throw new TestAbortError(text);
    },
    fail(reason?: unknown): void {
      const ctx = requireContext('exec.test.fail()');
      ctx.run.failTest(reason === undefined ? '' : String(reason));
    },
    get options() {
      const ctx = requireContext('exec.test.options');
      return JSON.parse(JSON.stringify(ctx.run.options.raw));
    },
  },
};

// ---- k6/timers ------------------------------------------------------------------------------

/** k6 waits for a VU's timers before its iteration ends; these are tracked the same way. */
function createTimers() {
  const live = new Map<NodeJS.Timeout, () => void>();
  const schedule = (repeat: boolean) => (callback: (...args: unknown[]) => void, delay = 0, ...args: unknown[]) => {
    const ctx = requireVuCode(repeat ? 'setInterval()' : 'setTimeout()');
    let release!: () => void;
    trackPending(ctx, new Promise<void>((resolve) => (release = resolve)));
    const fire = () => {
      if (ctx.interrupted) {
        clearTimer(handle);
        return;
      }
      if (!repeat) {
        live.delete(handle);
        release();
      }
      callback(...args);
    };
    const handle = repeat ? setInterval(fire, delay) : setTimeout(fire, delay);
    live.set(handle, release);
    ctx.aborters.add(() => clearTimer(handle));
    return handle;
  };
  const clearTimer = (handle: NodeJS.Timeout | undefined) => {
    if (!handle) return;
    clearTimeout(handle);
    live.get(handle)?.();
    live.delete(handle);
  };
  return { setTimeout: schedule(false), setInterval: schedule(true), clearTimeout: clearTimer, clearInterval: clearTimer };
}

// ---- module table ---------------------------------------------------------------------------

function withDefault(api: Record<string, unknown>): Record<string, unknown> {
  return { ...api, default: api };
}

/** The k6 modules a script may import, with their namespaces. Anything else under `k6/` is refused. */
export function createK6Modules(): Record<string, Record<string, unknown>> {
  const executionNamed = {
    instance: new Proxy({}, { get: (_t, k) => (execution.instance as Record<string | symbol, unknown>)[k] }),
    scenario: new Proxy({}, { get: (_t, k) => (execution.scenario as Record<string | symbol, unknown>)[k] }),
    vu: new Proxy({}, { get: (_t, k) => (execution.vu as Record<string | symbol, unknown>)[k] }),
    test: execution.test,
  };
  return {
    k6: withDefault({ check, group, sleep, fail, randomSeed }),
    'k6/http': createHttpModule(),
    'k6/metrics': withDefault({ Counter, Gauge, Rate, Trend }),
    'k6/execution': { ...executionNamed, default: execution },
    'k6/timers': withDefault(createTimers()),
  };
}

