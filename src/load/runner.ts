/**
 * The embedded k6 runner: runs a k6 script in Node with k6's lifecycle and returns what k6 would
 * have reported (../shared/k6-reference/README.md):
 *
 *   init context (per VU) -> options -> setup() -> scenarios (executors) -> teardown()
 *   -> thresholds -> handleSummary(data) or the text summary -> --summary-export -> exit code.
 *
 * It is the composition root of src/load: every stage (loader, executors, metrics, thresholds,
 * summary) is a module of its own, wired here.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { createExecContext, emit, executionStorage, type ExecContext, type RunContext, type ScenarioState, sampleTags, settle, type VuState, type BuiltinMetrics } from './context.ts';
import { formatGoDuration } from './durations.ts';
import { InterruptedError, TestAbortError, UnsupportedFeatureError } from './errors.ts';
import { createExecutor, describeScenario, planVUs } from './executors/index.ts';
import { waitUntil } from './executors/timing.ts';
import type { Executor, IterationOutcome, RunningIteration, VuPool } from './executors/types.ts';
import { K6_EXIT } from './exit-codes.ts';
import { createGroupTree } from './group-tree.ts';
import { createK6Logger, type K6Logger } from './logger.ts';
import { createMetricRegistry, type Metric, MetricError, parseMetricKey } from './metrics.ts';
import { type ConsolidatedOptions, consolidateOptions } from './options.ts';
import { createProgressPrinter, type ProgressSink } from './progress.ts';
import { importScriptInstance, installK6Runtime, scriptUrl } from './script-loader.ts';
import { buildSummaryData, renderTextSummary, type SummaryData, type SummaryExport, toSummaryExport } from './summary.ts';
import { aggregate, aggregationAllowed, aggregationName, evaluateThresholdSet, parseThresholdList, ThresholdError, type ThresholdSet } from './thresholds.ts';
import { createVuHttpClient } from './vu-http-client.ts';

export interface OutputSink {
  write(text: string): void;
  isTTY?: boolean;
}

export interface RunOptions {
  /** Path to the k6 script (.js). */
  script: string;
  /** `-e KEY=VALUE` values: the script's `__ENV`. */
  env?: Record<string, string>;
  /** Where handleSummary's relative file paths are written (k6: its working directory). */
  cwd?: string;
  /** k6's stdout (header, summary) and stderr (logs). Default: the process's. */
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Where progress goes (default: stderr); false turns it off. */
  progress?: ProgressSink | false;
  progressIntervalMs?: number;
  /** `--summary-export <file>`. */
  summaryExport?: string;
  /** `--summary-trend-stats`, overriding the script's summaryTrendStats. */
  summaryTrendStats?: string[];
  /** `--no-summary`: no end-of-test text (handleSummary still runs). */
  noSummary?: boolean;
  /** Stop the test early (Ctrl-C): teardown and summary still run, exit 105. */
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  /** handleSummary's data object; absent when the test never ran (init or config error). */
  summary?: SummaryData;
  /** The `--summary-export` shape of the same run. */
  summaryExport?: SummaryExport;
  textSummary?: string;
  complete: number;
  interrupted: number;
  dropped: number;
  testRunDurationMs: number;
  /** Arrival-rate start lag (actual minus scheduled start), in ms. */
  schedulingLag?: { count: number; p50: number; p99: number; max: number };
  scenarios: { name: string; executor: string; complete: number; interrupted: number }[];
  /** Why the run stopped when it did not finish normally. */
  error?: string;
}

type StopReason = { kind: 'threshold' } | { kind: 'abort'; reason: string } | { kind: 'external' } | { kind: 'unsupported'; error: Error };

const LAG_SAMPLES = 200_000;

// A script promise nobody awaited that rejects: k6 logs it as "Uncaught (in promise)" and goes on,
// where Node would end the process. One process-wide listener routes such rejections to the run
// whose script raised them (its frames carry the run's `k6run=` query) while any run is active.
const rejectionSinks = new Map<string, (reason: unknown) => void>();
function onUnhandledRejection(reason: unknown): void {
  const run = /k6run=([\w-]+)/.exec(String((reason as Error)?.stack ?? ''))?.[1];
  const sink = run ? rejectionSinks.get(run) : undefined;
  if (sink) return sink(reason);
  // Not a script's: keep Node's default (crash) unless someone else (a test runner) listens.
  if (process.listenerCount('unhandledRejection') > 1) return;
  setImmediate(() => {
    throw reason;
  });
}
function catchScriptRejections(runId: string, sink: (reason: unknown) => void): () => void {
  if (rejectionSinks.size === 0) process.on('unhandledRejection', onUnhandledRejection);
  rejectionSinks.set(runId, sink);
  return () => {
    rejectionSinks.delete(runId);
    if (rejectionSinks.size === 0) process.off('unhandledRejection', onUnhandledRejection);
  };
}

/** Go's JSON for setup data: sorted keys, dates in RFC 3339 without trailing zero fractions. */
export function toGoJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    if (original instanceof Date) return original.toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    return v;
  });
}

/** A script's stack trace the way k6 prints it: script frames only, tab-indented, no runner query. */
export function formatScriptError(error: unknown, scriptDir: string): string {
  if (!(error instanceof Error)) return String(error);
  const head = `${error.name === 'Error' ? 'Error' : error.name}: ${error.message}`;
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at ') && l.includes('file://') && !l.includes('/src/load/'))
    .map((l) => l.replace(/\?k6run=[^:)\s]*/g, ''))
    .filter((l) => l.includes(scriptDir) || !l.includes('node_modules'));
  return frames.length ? `${head}\n\t${frames.join('\n\t')}\n` : head;
}

function quantile(values: Float64Array, count: number, q: number): number {
  if (count === 0) return 0;
  const sorted = values.slice(0, count).sort();
  return sorted[Math.min(count - 1, Math.floor(q * (count - 1)))]!;
}

export async function runK6Script(options: RunOptions): Promise<RunResult> {
  installK6Runtime();
  const scriptPath = resolvePath(options.script);
  const scriptDir = dirname(scriptPath);
  const cwd = options.cwd ?? process.cwd();
  const stdout: OutputSink = options.stdout ?? process.stdout;
  const stderr: OutputSink = options.stderr ?? process.stderr;
  const env = { ...(options.env ?? {}) };
  const logger: K6Logger = createK6Logger((line) => stderr.write(line));
  const runId = randomUUID().slice(0, 12);
  const registry = createMetricRegistry();
  const tree = createGroupTree();
  const builtin = Object.fromEntries(
    ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'data_received', 'data_sent', 'checks', 'group_duration', 'http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'].map((n) => [n, registry.get(n)!]),
  ) as unknown as BuiltinMetrics;

  const stopController = new AbortController();
  const running = new Set<RunningIteration>();
  // Set from callbacks (abort, thresholds, signals); read through a function so TypeScript's flow
  // analysis does not assume it is still undefined.
  let stopReasonValue: StopReason | undefined;
  const stopped = (): StopReason | undefined => stopReasonValue;
  let failedByScript = false;
  let complete = 0;
  let interrupted = 0;
  let dropped = 0;
  let activeVUs = 0;
  const vus: VuState[] = [];
  const lag = { values: new Float64Array(LAG_SAMPLES), count: 0, max: 0 };

  const hardStop = (reason: StopReason) => {
    if (stopReasonValue) return;
    stopReasonValue = reason;
    stopController.abort();
    for (const it of running) it.interrupt();
  };

  const run: RunContext = {
    id: runId,
    registry,
    builtin,
    tree,
    // Replaced by the consolidated options once the init context has run.
    options: consolidateOptions({}),
    logger,
    scriptDir,
    startedAt: performance.now(),
    stats: () => ({ iterationsCompleted: complete, iterationsInterrupted: interrupted, vusActive: activeVUs, vusInitialized: vus.length }),
    abortTest(reason, location) {
      // k6 counts the aborting iteration in `iterations` (reference run g4) although the progress
      // line calls it interrupted, so its samples are recorded before everything is interrupted.
      const ctx = executionStorage.getStore();
      if (ctx?.phase === 'iteration' && !ctx.interrupted) emitIterationEnd(ctx, true);
      logger.log('error', `test aborted: ${reason}${location ? ` ${location}` : ''}`);
      hardStop({ kind: 'abort', reason });
    },
    failTest(reason) {
      failedByScript = true;
      logger.log('error', `test marked as failed${reason ? `: ${reason}` : ''}`);
    },
    unsupported(error) {
      if (stopped()) return;
      logger.log('error', error.message);
      hardStop({ kind: 'unsupported', error });
    },
  };

  const iterationStarts = new WeakMap<ExecContext, { at: number; sent: number; received: number }>();
  function emitIterationEnd(ctx: ExecContext, force = false): void {
    const start = iterationStarts.get(ctx);
    if (!start) return;
    iterationStarts.delete(ctx);
    const tags = sampleTags(ctx, { group: '' });
    const add = (metric: Metric, value: number) => (force ? registry.add(metric, value, tags) : emit(ctx, metric, value, tags));
    const bytes = ctx.vu.http.bytes();
    add(builtin.data_sent, bytes.sent - start.sent);
    add(builtin.data_received, bytes.received - start.received);
    add(builtin.iteration_duration, performance.now() - start.at);
    add(builtin.iterations, 1);
  }

  const emitBytes = (ctx: ExecContext, before: { sent: number; received: number }) => {
    const after = ctx.vu.http.bytes();
    const tags = sampleTags(ctx);
    if (after.sent > before.sent) registry.add(builtin.data_sent, after.sent - before.sent, tags);
    if (after.received > before.received) registry.add(builtin.data_received, after.received - before.received, tags);
  };

  const newHttpClient = () => createVuHttpClient({ insecureSkipTLSVerify: run.options.insecureSkipTLSVerify, noConnectionReuse: run.options.noConnectionReuse });

  async function initVu(id: number): Promise<VuState> {
    const vu: VuState = { idInTest: id, exports: {}, http: newHttpClient(), data: undefined, iterationsInInstance: 0, customTags: {}, metadata: {}, responseCallback: undefined };
    const ctx = createExecContext(run, 'init', vu, { ...env });
    try {
      vu.exports = await executionStorage.run(ctx, () => importScriptInstance(scriptPath, runId, id));
    } catch (error) {
      await vu.http.close();
      throw error;
    }
    return vu;
  }

  const baseResult = (exitCode: number, error?: string): RunResult => ({ exitCode, complete, interrupted, dropped, testRunDurationMs: 0, scenarios: [], ...(error ? { error } : {}) });
  const closeAll = async (extra: VuState[] = []) => {
    await Promise.allSettled([...vus, ...extra].map((v) => v.http.close()));
  };

  // ---- init context of VU 0: options, custom metrics -------------------------------------------
  const fromCwd = relative(cwd, scriptPath);
  const displayName = fromCwd && !fromCwd.startsWith('..') ? fromCwd : scriptPath;
  let vu0: VuState;
  try {
    vu0 = await initVu(0);
  } catch (error) {
    const unsupported = error instanceof UnsupportedFeatureError || (error as { code?: string }).code === 'ERR_K6_UNSUPPORTED';
    logger.log('error', formatScriptError(error, scriptDir), unsupported ? {} : { hint: 'script exception' });
    return baseResult(K6_EXIT.scriptException, (error as Error).message);
  }
  const configError = (message: string) => {
    logger.log('error', `could not initialize '${displayName}': could not load JS test '${scriptUrl(scriptPath)}': ${message}`);
    return baseResult(K6_EXIT.invalidConfig, message);
  };
  try {
    run.options = consolidateOptions(vu0.exports.options, options.summaryTrendStats ? { summaryTrendStats: options.summaryTrendStats } : {}, (m) => logger.log('warning', m));
  } catch (error) {
    await vu0.http.close();
    if (error instanceof UnsupportedFeatureError) {
      logger.log('error', error.message);
      return baseResult(K6_EXIT.scriptException, error.message);
    }
    return configError((error as Error).message);
  }
  const opts: ConsolidatedOptions = run.options;
  await vu0.http.close();
  vu0.http = newHttpClient();

  for (const s of opts.scenarios) {
    if (typeof vu0.exports[s.exec] !== 'function') {
      await vu0.http.close();
      return configError(s.exec === 'default' ? `scenario "${s.name}": the script does not export a default function` : `executor ${s.name}: function '${s.exec}' not found in exports`);
    }
  }

  // ---- thresholds ------------------------------------------------------------------------------
  const thresholdSets: ThresholdSet[] = [];
  try {
    for (const [key, list] of Object.entries(opts.thresholds)) {
      const parsed = parseMetricKey(key);
      const metric = registry.get(parsed.metric);
      if (!metric) throw new ThresholdError(`invalid threshold defined on ${key}; reason: no metric name "${parsed.metric}" found`);
      const target = parsed.tags ? registry.submetric(key) : metric;
      const thresholds = parseThresholdList(key, list).map((t) => ({ ...t, failed: false }));
      for (const t of thresholds) {
        if (!aggregationAllowed(metric.type, t.aggregation)) {
          throw new ThresholdError(`invalid threshold defined on ${key}; reason: threshold "${t.source}" uses the aggregation ${aggregationName(t.aggregation)}, which a ${metric.type} metric does not support`);
        }
      }
      thresholdSets.push({ key, target, metricType: metric.type, thresholds });
    }
  } catch (error) {
    await vu0.http.close();
    if (error instanceof ThresholdError || error instanceof MetricError) return configError(error.message);
    throw error;
  }

  // ---- header, VUs -----------------------------------------------------------------------------
  const plan = planVUs(opts.scenarios);
  const sortedScenarios = [...opts.scenarios].sort((a, b) => a.name.localeCompare(b.name));
  if (!options.noSummary) {
    const n = opts.scenarios.length;
    stdout.write(
      [
        '',
        '     execution: local (bc-harness embedded k6 runner)',
        `        script: ${displayName}`,
        `        output: ${options.summaryExport ? relative(cwd, resolvePath(cwd, options.summaryExport)) : '-'}`,
        '',
        `     scenarios: (100.00%) ${n} scenario${n === 1 ? '' : 's'}, ${plan.maxPossible} max VUs, ${formatGoDuration(plan.maxDurationMs)} max duration (incl. graceful stop):`,
        ...sortedScenarios.map((s) => `              * ${s.name}: ${describeScenario(s)}`),
        '',
        '',
      ].join('\n'),
    );
  }

  const free: VuState[] = [];
  let pendingInits = 0;
  try {
    for (let i = 1; i <= plan.maxPlanned; i++) {
      const vu = await initVu(i);
      vus.push(vu);
      free.push(vu);
    }
  } catch (error) {
    logger.log('error', formatScriptError(error, scriptDir), { hint: 'script exception' });
    await closeAll([vu0]);
    return baseResult(K6_EXIT.scriptException, (error as Error).message);
  }
  const pool: VuPool = {
    take: () => free.shift(),
    async initNew() {
      const vu = await initVu(vus.length + 1 + pendingInits++);
      pendingInits -= 1;
      vus.push(vu);
      return vu;
    },
    give: (vu) => void free.push(vu),
  };

  // ---- the run ---------------------------------------------------------------------------------
  const stopCatching = catchScriptRejections(runId, (reason) => logger.log('error', `Uncaught (in promise) ${formatScriptError(reason, scriptDir)}`));
  run.startedAt = performance.now();
  const startedAt = run.startedAt;
  const onExternal = () => {
    logger.log('warning', 'the test was stopped from outside (signal); running teardown and the summary');
    hardStop({ kind: 'external' });
  };
  if (options.signal?.aborted) onExternal();
  else options.signal?.addEventListener('abort', onExternal, { once: true });

  const elapsed = () => performance.now() - startedAt;
  const thresholdsFailedNow = (onlyAbort: boolean) => {
    const crossed: string[] = [];
    for (const set of thresholdSets) {
      if (onlyAbort && !set.thresholds.some((t) => t.abortOnFail)) continue;
      evaluateThresholdSet(set, elapsed());
      if (set.thresholds.some((t) => t.failed && (!onlyAbort || (t.abortOnFail && elapsed() >= t.delayAbortEvalMs)))) crossed.push(set.key);
    }
    return crossed.sort();
  };
  // k6 checks thresholds every 2 s while the test runs; an abortOnFail one stops it at the first
  // check at or after its delayAbortEval (reference run f2: 2.0 s, 4.0 s, 6.0 s).
  const thresholdTimer = thresholdSets.some((s) => s.thresholds.some((t) => t.abortOnFail))
    ? setInterval(() => {
        const crossed = thresholdsFailedNow(true);
        if (crossed.length > 0 && !stopped()) {
          logger.log('error', `thresholds on metrics '${crossed.join(', ')}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
          hardStop({ kind: 'threshold' });
        }
      }, 2_000)
    : undefined;
  // vus and vus_max are sampled once a second, as k6 does (so runs under 1 s have neither).
  const vusTimer = setInterval(() => {
    registry.add(builtin.vus, activeVUs, {});
    registry.add(builtin.vus_max, vus.length, {});
  }, 1_000);

  const scenarioStates: ScenarioState[] = [];
  const executors: { state: ScenarioState; executor: Executor }[] = [];
  let setupData: { value: unknown; json: string } | undefined;
  let setupFailed: number | undefined;
  let teardownFailed: number | undefined;

  const progress = options.progress === false ? undefined : createProgressPrinter(options.progress ?? stderr, () => ({
    elapsedMs: elapsed(),
    activeVUs,
    initializedVUs: vus.length,
    complete,
    interrupted,
    scenarios: executors.map((e) => ({ name: e.state.name, progress: e.executor.progress(), startsInMs: Math.max(0, e.state.config.startTimeMs - elapsed()) })),
  }), options.progressIntervalMs !== undefined ? { intervalMs: options.progressIntervalMs } : {});

  const withTimeout = async <T>(promise: Promise<T>, ms: number, what: 'setup' | 'teardown'): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`${what}() execution timed out after ${ms / 1000} seconds`), { timeout: true })), ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  // setup(): in VU 0, its result handed to every VU as a JSON copy.
  const setupFn = vu0.exports.setup;
  if (typeof setupFn === 'function' && !stopped()) {
    const ctx = createExecContext(run, 'setup', vu0, { ...env });
    const before = vu0.http.bytes();
    let syncThrow = false;
    try {
      const value = await executionStorage.run(ctx, async () => {
        let result: unknown;
        try {
          result = (setupFn as () => unknown)();
        } catch (error) {
          syncThrow = true;
          throw error;
        }
        const settled = await withTimeout(Promise.resolve(result), opts.setupTimeoutMs, 'setup');
        await settle(ctx);
        return settled;
      });
      if (value !== undefined) {
        const json = toGoJson(value);
        setupData = { value: JSON.parse(json), json };
      }
    } catch (error) {
      if (error instanceof UnsupportedFeatureError || stopped()?.kind === 'unsupported') setupFailed = K6_EXIT.scriptException;
      else if ((error as { timeout?: boolean }).timeout) {
        logger.log('error', (error as Error).message);
        setupFailed = K6_EXIT.setupTimeout;
      } else if (syncThrow) {
        logger.log('error', formatScriptError(error, scriptDir), { hint: 'script exception' });
        setupFailed = K6_EXIT.scriptException;
      } else {
        logger.log('error', `Uncaught (in promise) ${formatScriptError(error, scriptDir)}`);
        setupFailed = K6_EXIT.asyncSetupRejected;
      }
    }
    emitBytes(ctx, before);
  }

  const dataFor = (vu: VuState): unknown => {
    if (!setupData) return undefined;
    vu.data ??= { value: JSON.parse(setupData.json) };
    return vu.data.value;
  };

  function startIteration(state: ScenarioState, vu: VuState): RunningIteration {
    const ctx = createExecContext(run, 'iteration', vu, state.env, state);
    ctx.iterationInTest = state.iterationsStarted++;
    const inScenario = state.vuIterations.get(vu.idInTest) ?? 0;
    state.vuIterations.set(vu.idInTest, inScenario + 1);
    ctx.iterationInScenario = inScenario;
    vu.iterationsInInstance += 1;
    const bytes = vu.http.bytes();
    iterationStarts.set(ctx, { at: performance.now(), sent: bytes.sent, received: bytes.received });
    let markInterrupted!: (o: IterationOutcome) => void;
    const interruption = new Promise<IterationOutcome>((resolve) => (markInterrupted = resolve));
    const interrupt = () => {
      if (ctx.interrupted) return;
      // Interrupted iterations keep the samples they already emitted but add none (k6 d5).
      const bytesNow = vu.http.bytes();
      const start = iterationStarts.get(ctx);
      if (start) {
        const tags = sampleTags(ctx, { group: '' });
        registry.add(builtin.data_sent, bytesNow.sent - start.sent, tags);
        registry.add(builtin.data_received, bytesNow.received - start.received, tags);
        iterationStarts.delete(ctx);
      }
      ctx.interrupted = true;
      for (const abort of ctx.aborters) abort(new InterruptedError());
      markInterrupted('interrupted');
    };
    let startBody!: () => void;
    const body = new Promise<IterationOutcome>((resolve) => {
      startBody = () => resolve(executionStorage.run(ctx, () => runIterationBody(ctx, state)));
    });
    const iteration: RunningIteration = {
      interrupt,
      done: Promise.race([body, interruption]).then((outcome) => {
        running.delete(iteration);
        if (outcome === 'completed') {
          complete += 1;
          state.complete += 1;
        } else {
          interrupted += 1;
          state.interrupted += 1;
        }
        return outcome;
      }),
    };
    // Registered before the body runs, so a test stop raised by the body's first synchronous
    // statement (an unsupported call, exec.test.abort) interrupts this iteration too.
    running.add(iteration);
    if (stopped()) interrupt();
    else startBody();
    return iteration;
  }

  async function runIterationBody(ctx: ExecContext, state: ScenarioState): Promise<IterationOutcome> {
    const fn = ctx.vu.exports[state.config.exec] as (data: unknown) => unknown;
    let error: unknown;
    let asyncFailure = false;
    try {
      let result: unknown;
      try {
        result = fn(dataFor(ctx.vu));
      } catch (e) {
        error = e;
      }
      if (!error && result && typeof (result as Promise<unknown>).then === 'function') {
        asyncFailure = true;
        await result;
        asyncFailure = false;
      }
      if (!error) await settle(ctx);
    } catch (e) {
      error = e;
    }
    if (ctx.interrupted || error instanceof UnsupportedFeatureError) return 'interrupted';
    if (error && !(error instanceof TestAbortError) && !(error instanceof UnsupportedFeatureError) && !(error instanceof InterruptedError)) {
      logger.log('error', `${asyncFailure ? 'Uncaught (in promise) ' : ''}${formatScriptError(error, scriptDir)}`, { executor: state.executor, scenario: state.name });
    }
    const min = opts.minIterationDurationMs;
    const start = iterationStarts.get(ctx);
    if (min > 0 && start && performance.now() - start.at < min) await waitUntil(start.at + min, stopController.signal);
    if (ctx.interrupted) return 'interrupted';
    emitIterationEnd(ctx);
    return 'completed';
  }

  if (setupFailed === undefined && !stopped()) {
    await Promise.all(
      opts.scenarios.map(async (config) => {
        const scenarioTags = { ...opts.tags, ...config.tags, scenario: config.name };
        let executor!: Executor;
        const state: ScenarioState = {
          name: config.name,
          executor: config.executor,
          config,
          env: Object.freeze({ ...env, ...config.env }),
          tags: scenarioTags,
          startedAtEpochMs: undefined,
          iterationsStarted: 0,
          vuIterations: new Map(),
          complete: 0,
          interrupted: 0,
          progress: () => executor.progress().fraction,
        };
        executor = createExecutor(config, {
          scenario: state,
          pool,
          startIteration: (vu) => startIteration(state, vu),
          emitDropped: () => {
            dropped += 1;
            registry.add(builtin.dropped_iterations, 1, scenarioTags);
          },
          logger,
          stopSignal: stopController.signal,
          activeVUs: (delta) => (activeVUs += delta),
          recordLag: (ms) => {
            if (lag.count < LAG_SAMPLES) lag.values[lag.count++] = ms;
            if (ms > lag.max) lag.max = ms;
          },
        });
        scenarioStates.push(state);
        executors.push({ state, executor });
        if (await waitUntil(startedAt + config.startTimeMs, stopController.signal)) return;
        await executor.run();
      }),
    );
  }

  // teardown(data): also after an abort, never after a failed setup (k6 reference, exit codes).
  const teardownFn = vu0.exports.teardown;
  if (typeof teardownFn === 'function' && setupFailed === undefined && stopped()?.kind !== 'unsupported') {
    const ctx = createExecContext(run, 'teardown', vu0, { ...env });
    const before = vu0.http.bytes();
    try {
      await executionStorage.run(ctx, async () => {
        const result = (teardownFn as (d: unknown) => unknown)(setupData ? JSON.parse(setupData.json) : undefined);
        await withTimeout(Promise.resolve(result), opts.teardownTimeoutMs, 'teardown');
        await settle(ctx);
      });
    } catch (error) {
      const timedOut = (error as { timeout?: boolean }).timeout === true;
      teardownFailed = timedOut ? K6_EXIT.teardownTimeout : K6_EXIT.scriptException;
      logger.log('error', timedOut ? (error as Error).message : formatScriptError(error, scriptDir), timedOut ? {} : { hint: 'script exception' });
    }
    emitBytes(ctx, before);
  }

  clearInterval(vusTimer);
  if (thresholdTimer) clearInterval(thresholdTimer);
  stopCatching();
  options.signal?.removeEventListener('abort', onExternal);
  progress?.stop();
  const testRunDurationMs = elapsed();

  // ---- thresholds, summary ---------------------------------------------------------------------
  for (const set of thresholdSets) evaluateThresholdSet(set, testRunDurationMs);
  const crossed = thresholdSets.filter((s) => s.thresholds.some((t) => t.failed)).map((s) => s.key).sort();
  if (crossed.length > 0 && stopped()?.kind !== 'threshold') logger.log('error', `thresholds on metrics '${crossed.join(', ')}' have been crossed`);

  const summary = buildSummaryData({
    registry,
    tree,
    thresholds: thresholdSets,
    trendStats: opts.summaryTrendStats,
    summaryTimeUnit: opts.summaryTimeUnit,
    testRunDurationMs,
    ...(setupData ? { setupData: { value: setupData.value } } : {}),
    stdoutIsTTY: stdout.isTTY === true,
    stderrIsTTY: stderr.isTTY === true,
  });
  const summaryExport = toSummaryExport(summary);
  const byKey = new Map(thresholdSets.map((s) => [s.key, s]));
  const textSummary = renderTextSummary(summary, {
    checkOrder: tree.checksInOrder().map((c) => c.path),
    thresholdValue: (key, expr) => {
      const set = byKey.get(key);
      const t = set?.thresholds.find((x) => x.source === expr);
      return set && t ? aggregate(set.target.sink, t.aggregation, testRunDurationMs) : undefined;
    },
  });

  let printedCustom = false;
  const handleSummary = vu0.exports.handleSummary;
  if (typeof handleSummary === 'function') {
    const ctx = createExecContext(run, 'handleSummary', vu0, { ...env });
    try {
      const outputs = await executionStorage.run(ctx, async () => (handleSummary as (d: SummaryData) => unknown)(JSON.parse(JSON.stringify(summary))));
      if (outputs !== undefined && outputs !== null) {
        if (typeof outputs !== 'object') throw new Error('handleSummary() must return an object mapping outputs (stdout, stderr or a file path) to content');
        printedCustom = true;
        for (const [target, content] of Object.entries(outputs as Record<string, unknown>)) {
          const text = typeof content === 'string' ? content : content instanceof ArrayBuffer ? Buffer.from(content) : JSON.stringify(content);
          if (target === 'stdout') stdout.write(String(text));
          else if (target === 'stderr') stderr.write(String(text));
          else {
            const file = resolvePath(cwd, target);
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, text);
          }
        }
      }
    } catch (error) {
      logger.log('error', `failed to handle the end-of-test summary: ${formatScriptError(error, scriptDir)}`);
    }
  }
  if (!printedCustom && !options.noSummary) stdout.write(textSummary);
  if (options.summaryExport) {
    const file = resolvePath(cwd, options.summaryExport);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summaryExport, null, 4)}\n`);
  }
  await closeAll([vu0]);

  // ---- exit code (k6 precedence: a script problem or abort over crossed thresholds) -----------
  let exitCode: number = K6_EXIT.ok;
  let error: string | undefined;
  const stopReason = stopped();
  if (stopReason?.kind === 'unsupported') {
    exitCode = K6_EXIT.scriptException;
    error = stopReason.error.message;
  } else if (setupFailed !== undefined) exitCode = setupFailed;
  else if (stopReason?.kind === 'abort') {
    exitCode = K6_EXIT.scriptAborted;
    error = `test aborted: ${stopReason.reason}`;
  } else if (stopReason?.kind === 'external') exitCode = K6_EXIT.externalAbort;
  else if (crossed.length > 0 || stopReason?.kind === 'threshold') exitCode = K6_EXIT.thresholdsFailed;
  else if (teardownFailed !== undefined) exitCode = teardownFailed;
  else if (failedByScript) exitCode = K6_EXIT.markedAsFailed;

  return {
    exitCode,
    summary,
    summaryExport,
    textSummary,
    complete,
    interrupted,
    dropped,
    testRunDurationMs,
    ...(lag.count > 0
      ? { schedulingLag: { count: lag.count, p50: quantile(lag.values, lag.count, 0.5), p99: quantile(lag.values, lag.count, 0.99), max: lag.max } }
      : {}),
    scenarios: scenarioStates.map((s) => ({ name: s.name, executor: s.executor, complete: s.complete, interrupted: s.interrupted })),
    ...(error ? { error } : {}),
  };
}

