/**
 * The execution context every k6 API call reads: which run, which VU, which scenario and iteration,
 * the current group. k6 gives each VU its own JavaScript runtime; here all VUs share one event loop,
 * so the context travels with the asynchronous call chain (AsyncLocalStorage) instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { GroupTree } from './group-tree.ts';
import type { K6Logger } from './logger.ts';
import type { Metric, MetricRegistry, Tags } from './metrics.ts';
import type { ConsolidatedOptions, ExecutorType, ScenarioConfig } from './options.ts';
import type { VuHttpClient } from './vu-http-client.ts';

export type Phase = 'init' | 'setup' | 'teardown' | 'iteration' | 'handleSummary';

/** A response callback decides which statuses count as expected (k6 `http.expectedStatuses`). */
export interface ResponseCallback {
  (response: { status: number }): boolean;
}

export interface VuState {
  /** 1..N in the order VUs were initialized; 0 for setup, teardown and handleSummary. */
  idInTest: number;
  /** The VU's own instance of the script module (k6 runs the init context once per VU). */
  exports: Record<string, unknown>;
  http: VuHttpClient;
  /** This VU's JSON copy of setup()'s result, made on first use. */
  data: { value: unknown } | undefined;
  iterationsInInstance: number;
  /** Tags set through `exec.vu.tags` / `exec.vu.metrics.tags`. */
  customTags: Tags;
  metadata: Record<string, string>;
  /** `http.setResponseCallback`; undefined means the default (200-399 are expected). */
  responseCallback: ResponseCallback | null | undefined;
}

export interface ScenarioState {
  name: string;
  executor: ExecutorType;
  config: ScenarioConfig;
  env: Record<string, string>;
  /** options.tags, the scenario's tags and `scenario: name`, as k6 tags every sample in it. */
  tags: Tags;
  startedAtEpochMs: number | undefined;
  /** Iterations started so far: the next `exec.scenario.iterationInTest`. */
  iterationsStarted: number;
  /** Per VU id: the next `exec.vu.iterationInScenario`. */
  vuIterations: Map<number, number>;
  complete: number;
  interrupted: number;
  /** 0..1, what `exec.scenario.progress` reports. */
  progress(): number;
}

export interface BuiltinMetrics {
  vus: Metric;
  vus_max: Metric;
  iterations: Metric;
  iteration_duration: Metric;
  dropped_iterations: Metric;
  data_received: Metric;
  data_sent: Metric;
  checks: Metric;
  group_duration: Metric;
  http_reqs: Metric;
  http_req_failed: Metric;
  http_req_duration: Metric;
  http_req_blocked: Metric;
  http_req_connecting: Metric;
  http_req_tls_handshaking: Metric;
  http_req_sending: Metric;
  http_req_waiting: Metric;
  http_req_receiving: Metric;
}

export interface InstanceStats {
  iterationsCompleted: number;
  iterationsInterrupted: number;
  vusActive: number;
  vusInitialized: number;
}

/** What the k6 API needs from the run it belongs to. */
export interface RunContext {
  id: string;
  registry: MetricRegistry;
  builtin: BuiltinMetrics;
  tree: GroupTree;
  options: ConsolidatedOptions;
  logger: K6Logger;
  /** The script's directory, for `open()`. */
  scriptDir: string;
  /** performance.now() when the run started. */
  startedAt: number;
  stats(): InstanceStats;
  /** `exec.test.abort()`: stop everything, exit 108. */
  abortTest(reason: string, location: string): void;
  /** `exec.test.fail()`: finish normally, exit 110. */
  failTest(reason: string): void;
  /** A script used something the embedded runner does not implement: stop with that error. */
  unsupported(error: Error): void;
}

export interface ExecContext {
  run: RunContext;
  phase: Phase;
  vu: VuState;
  scenario: ScenarioState | undefined;
  iterationInScenario: number;
  iterationInTest: number;
  /** Current group path ('' = root, '::a::b' nested). */
  group: string;
  env: Record<string, string>;
  /** Set when the iteration was interrupted: later k6 calls from it are ignored or rejected. */
  interrupted: boolean;
  /** performance.now() until which this VU is "asleep" (see `sleep` in k6-api.ts). */
  sleepUntil: number;
  /** Asynchronous k6 operations still running (requests, timers), which an iteration waits for. */
  pending: number;
  onIdle: (() => void) | undefined;
  /** Abort the requests this iteration has in flight. */
  aborters: Set<(error: Error) => void>;
  /** Samples recorded while the VU is "asleep", applied when the sleep ends (see `record`). */
  deferred: (() => void)[];
}

export const executionStorage = new AsyncLocalStorage<ExecContext>();

export function currentContext(): ExecContext | undefined {
  return executionStorage.getStore();
}

export function createExecContext(run: RunContext, phase: Phase, vu: VuState, env: Record<string, string>, scenario?: ScenarioState): ExecContext {
  return {
    run,
    phase,
    vu,
    scenario,
    iterationInScenario: 0,
    iterationInTest: 0,
    group: phase === 'setup' ? '::setup' : phase === 'teardown' ? '::teardown' : '',
    // k6 freezes __ENV: a script cannot change what other iterations see.
    env: Object.isFrozen(env) ? env : Object.freeze({ ...env }),
    interrupted: false,
    sleepUntil: 0,
    pending: 0,
    onIdle: undefined,
    aborters: new Set(),
    deferred: [],
  };
}

/**
 * Tags for a sample: global and scenario tags, the VU's custom tags, the group, then the call's
 * own tags, in k6's order of precedence (later wins).
 */
export function sampleTags(ctx: ExecContext, extra?: Tags): Tags {
  const tags: Tags = ctx.scenario ? { ...ctx.scenario.tags } : { ...ctx.run.options.tags };
  for (const k in ctx.vu.customTags) tags[k] = ctx.vu.customTags[k]!;
  tags.group = ctx.group;
  if (extra) for (const k in extra) tags[k] = extra[k]!;
  return tags;
}

/**
 * Apply a measurement unless the iteration was interrupted (k6 emits nothing after that).
 *
 * A bare `sleep()` cannot block here (see k6-api.ts), so code after it runs before the sleep is
 * over. What that code records is held until the sleep ends and dropped if the iteration is
 * interrupted first, so the counts match k6, where that code would only have run after the sleep
 * (reference run d5: a counter after `sleep(1.45)` in an iteration cut at 2 s is not counted).
 */
export function record(ctx: ExecContext, apply: () => void): void {
  if (ctx.interrupted) return;
  if (ctx.sleepUntil > performance.now()) ctx.deferred.push(apply);
  else apply();
}

/** Apply what was held back during a sleep that has now ended. */
export function flushDeferred(ctx: ExecContext): void {
  if (ctx.deferred.length === 0) return;
  const held = ctx.deferred;
  ctx.deferred = [];
  if (!ctx.interrupted) for (const apply of held) apply();
}

export function emit(ctx: ExecContext, metric: Metric, value: number, tags: Tags): void {
  record(ctx, () => ctx.run.registry.add(metric, value, tags));
}

/** Track an asynchronous k6 operation so the iteration does not end before it settles. */
export function trackPending<T>(ctx: ExecContext, promise: Promise<T>): Promise<T> {
  ctx.pending += 1;
  const done = () => {
    ctx.pending -= 1;
    if (ctx.pending === 0) ctx.onIdle?.();
  };
  promise.then(done, done);
  return promise;
}

/** Resolve once the context has no pending operations and its sleep debt is paid. */
export async function settle(ctx: ExecContext): Promise<void> {
  for (;;) {
    if (ctx.pending > 0) {
      await new Promise<void>((resolve) => (ctx.onIdle = resolve));
      ctx.onIdle = undefined;
      continue;
    }
    const wait = ctx.sleepUntil - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    flushDeferred(ctx);
    return;
  }
}
