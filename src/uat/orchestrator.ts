/**
 * The UAT run (the main job): start the simulator and the connected-system mocks on one virtual
 * clock, start the integration under test, run the scenario with the load runner, wait until the
 * system is quiet or the drain deadline passes, stop everything, verify against ground truth and
 * write the run directory with the reports.
 *
 * The simulator and the mocks run in this process and share the clock object, so a control-plane
 * clock jump (a 52-hour outage) moves both, and latencies between an order in the ledger and its
 * write in a journal are measured on one time line. The integration and the load runner are child
 * processes reached only through their contracts (DESIGN.md section 8). Every stage is a default
 * that a test can replace (`deps`).
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HarnessError } from '../errors.ts';
import { VERDICT_EXIT, type Verdict } from '../verify/verdict.ts';
import { cartRenderer, verifyRunDirectory, writeNoVerdictJunit, type UatResult } from '../verify/verify-run-directory.ts';
import { faultPlanSchema, type Cart, type Store, startSimulator, type RunningSimulator, renderCart } from '../../simulator/index.ts';
import { createLedger, tapLedger, type Ledger, type LedgerEntry } from '../../lib/ledger.ts';
import { planQuota } from '../../lib/plans.ts';
import { acceptanceSchema, type ScenarioAcceptance } from '../load/acceptance.ts';
import { loadScriptExports, resolveScenario } from '../load/scenario-catalog.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import { loadSpecs, MappingSpecError } from '../mappings/load-spec.ts';
import { createCatalogBacklog } from './catalog-backlog.ts';
import { createLinkedClock, startMocksOnThread, type MocksOnThread } from '../mocks/http/mocks-thread.ts';
import { buildUatReport, type RunInfo } from '../reports/uat/build.ts';
import type { UatReport } from '../reports/uat/model.ts';
import { renderUatReport } from '../reports/uat/render.ts';
import { openRunMeasure, type RunMeasure } from '../tco/measure-run.ts';
import { createTcoReport, writeTcoReport } from '../tco/run-tco.ts';
import { CriteriaError, resolveCriteria, type ResolvedCriteria } from '../verify/criteria.ts';
import { normalizeReports } from '../verify/dead-letters.ts';
import { verifyRun, type Verification } from '../verify/verify-run.ts';
import { createAlertSink, type AlertSink } from './alert-sink.ts';
import { exportDeadLetters, referenceDeadLetterCommand } from './dead-letter-export.ts';
import { DEFAULTS, parseDuration, type UatOptions } from './config.ts';
import { resolveTimeScale } from './calibrate-time-scale.ts';
import { prepareTls, SERVED_NAMES } from '../intercept/certificates.ts';
import { describeRoutes, routeOf, startIntercept, type RouteCounts, type RunningIntercept } from '../intercept/start-intercept.ts';
import { freePort, integrationLabel, IntegrationStartError, parseIntegration, startIntegration, type IntegrationSpec, type RunningIntegration } from './integration-process.ts';
import { loadFacts, runLoad, type LoadRunResult } from './load-process.ts';
import { createProgressPrinter, type Phase, type ProgressSink, type ProgressState } from './progress.ts';
import { createRunDirectory, readRunFiles, runId, writeJson, type CatalogSnapshot } from './run-directory.ts';


/**
 * Handshake errors that mean the peer went away mid-handshake rather than refused the certificate
 * (which arrives as a TLS alert, e.g. ERR_SSL_TLSV1_ALERT_UNKNOWN_CA). During the run they still
 * count as interception failures (a client with a pinned CA may simply hang up); once the harness
 * is stopping the integration, they are the stop's doing.
 */
const CUT_HANDSHAKE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
export type UatVerdict = Verdict;

export type { UatResult };
export { cartRenderer, verifyRunDirectory };

/** A problem with the input: exit code 2, nothing started. */
export class UatInputError extends HarnessError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** The harness cannot run this scenario (a missing capability, a crash of its own): exit code 3, inconclusive. */
export class UatHarnessError extends HarnessError {
  constructor(message: string) {
    super('harness', message);
  }
}

export const EXIT_INTERRUPTED = VERDICT_EXIT.interrupted;

/**
 * The stages of a UAT run, composed in runUat (the one composition root): prepare, start the
 * world, start the integration, run the load, drain, verify and report. Each default is the real
 * thing; a test replaces exactly one (a load runner that falls short, a drain that stops early)
 * and keeps the rest real.
 */
export interface UatStages {
  prepare: typeof prepareUat;
  calibrate: typeof resolveTimeScale;
  startSimulator: typeof startSimulator;
  startMocks: typeof startMocksOnThread;
  startAlertSink: typeof createAlertSink;
  startIntegration: typeof startIntegration;
  runLoad: typeof runLoad;
  drain: typeof waitForQuiet;
  verifyAndReport: typeof verifyRunDirectory;
}

export const defaultUatStages = (): UatStages => ({
  prepare: prepareUat,
  calibrate: resolveTimeScale,
  startSimulator,
  startMocks: startMocksOnThread,
  startAlertSink: createAlertSink,
  startIntegration,
  runLoad,
  drain: waitForQuiet,
  verifyAndReport: verifyRunDirectory,
});

export interface UatDeps {
  progress?: ProgressSink | false;
  log?: (line: string) => void;
  /** Aborts the run (Ctrl-C); the run directory is still written. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Replace stages (tests); the others are the defaults. */
  stages?: Partial<UatStages>;
}

interface Prepared {
  scenario: { name: string; path: string };
  acceptance?: ScenarioAcceptance;
  criteria: ResolvedCriteria;
  integration: IntegrationSpec;
  specs: CompiledSpec[];
}

/** Everything that can be checked before anything starts; a problem here is invalid input. */
export async function prepareUat(options: UatOptions): Promise<Prepared> {
  const scenario = resolveScenario(options.scenario);
  if (!scenario) throw new UatInputError(`Failed to find the scenario "${options.scenario}": use a name from scenarios/ (e.g. flash-sale-10x) or a path to a k6 script.`);
  let integration: IntegrationSpec;
  try {
    integration = parseIntegration(options.integration);
  } catch (error) {
    throw new UatInputError((error as Error).message);
  }
  const scenarioEnv = { TIME_SCALE: String(options.timeScale), ...(options.volumeScale !== undefined ? { VOLUME_SCALE: String(options.volumeScale) } : {}), ...options.scenarioEnv };
  let acceptance: ScenarioAcceptance | undefined;
  let exports: Record<string, unknown>;
  try {
    exports = await loadScriptExports(scenario.path, scenarioEnv);
  } catch (error) {
    throw new UatInputError(`Failed to load the scenario ${scenario.name}: ${(error as Error).message}`);
  }
  if (exports.acceptance !== undefined) {
    const parsed = acceptanceSchema.safeParse(exports.acceptance);
    if (!parsed.success) throw new UatInputError(`Failed to read the acceptance criteria of ${scenario.path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`);
    acceptance = parsed.data;
  }
  let criteria: ResolvedCriteria;
  try {
    criteria = resolveCriteria({ ...(acceptance ? { acceptance } : {}), ...(options.config?.acceptance ? { config: options.config.acceptance } : {}) });
  } catch (error) {
    if (error instanceof CriteriaError) throw new UatInputError(error.message);
    throw error;
  }
  const loaded = loadSpecs();
  if (loaded.issues.length > 0) throw new UatHarnessError(new MappingSpecError(loaded.issues).message);
  for (const need of acceptance?.requires ?? []) {
    // The scenario cannot provoke what it is about without this; a run would prove nothing.
    if (need === 'sim:webhooks.unreachable' && !faultPlanSchema.safeParse({ webhooks: { unreachable: 0 } }).success) {
      throw new UatHarnessError(`Failed to run ${scenario.name}: it needs the simulator fault webhooks.unreachable (a receiver outage), which this simulator does not implement, so the outage cannot be provoked and no verdict would mean anything. This is a gap in the harness, not in the integration.`);
    }
  }
  return { scenario, ...(acceptance ? { acceptance } : {}), criteria, integration, specs: loaded.specs.map((s) => s.compiled) };
}

function catalogOf(store: Store): CatalogSnapshot {
  return { storeHash: store.info.hash, products: [...store.products.values()].map((p) => ({ id: p.id, name: p.name, type: p.type, url: p.custom_url.url })) };
}

const clampReal = (ms: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, ms));

export async function runUat(options: UatOptions, deps: UatDeps = {}): Promise<UatResult> {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = deps.now ?? (() => new Date());
  const stage: UatStages = { ...defaultUatStages(), ...deps.stages };
  const prepared = await stage.prepare(options);
  if (options.out && existsSync(options.out) && readdirSync(options.out).length > 0) {
    // A run directory holds one run: an old ledger, queue export or engine state would mix in.
    throw new UatInputError(`Failed to use --out ${options.out}: the directory is not empty. Give a new directory, or delete this one first.`);
  }
  // --time-scale auto: calibrated now, before the clock (whose scale is fixed at creation) exists.
  options = await stage.calibrate(options, { scenarioPath: prepared.scenario.path, criteria: prepared.criteria.criteria, log, ...(deps.signal ? { signal: deps.signal } : {}) });
  const label = integrationLabel(prepared.integration, options.name);
  const id = runId(prepared.scenario.name, label, now());
  const runDir = createRunDirectory(options.out, id);
  const realStart = now();
  const scale = options.timeScale;
  // Linked: the mocks run on a thread of their own, on the same clock rebuilt there, its jumps shared.
  const clock = createLinkedClock({ scale });
  const simStart = clock.now();

  const state: ProgressState = { phase: 'starting', simNow: simStart, ordersPlaced: 0, ordersSynced: 0, deadLetters: 0, rateLimited: 0, webhookFailures: 0, hooksDeactivated: 0 };
  if (prepared.acceptance) state.scenarioMs = parseDuration(prepared.acceptance.simulatedDuration);
  // Orders placed in this run, and the ones accounted for: in the ERP (under the spec's key, the
  // order id) or reported as dead letters. Progress only; the verdict recounts from the files.
  const placedIds: string[] = [];
  const deadLetterKeys = new Set<string>();
  let erpLookup: ((key: string) => boolean) | undefined;
  const syncedCount = () => (erpLookup ? placedIds.filter((id) => erpLookup!(id)).length : 0);
  const deadLetteredCount = () => placedIds.filter((id) => deadLetterKeys.has(id)).length;
  const outstandingOrders = () => (erpLookup ? placedIds.filter((id) => !erpLookup!(id) && !deadLetterKeys.has(id)).length : placedIds.length);
  // ERP stock and price changes the store does not hold yet, for the catalog flows the integration runs.
  const catalog = createCatalogBacklog(prepared.specs);
  let catalogWrites = 0;
  const outstanding = () => outstandingOrders() + catalog.pending();
  const progress = createProgressPrinter(deps.progress ?? false, () => ({ ...state, simNow: clock.now(), ordersSynced: syncedCount(), deadLetters: deadLetteredCount() }));
  // Phase changes are log lines; with a progress printer they go through it so a redrawn line is cleared first.
  const note = (text: string) => (deps.progress ? progress.note(text) : log(`[uat] ${text}`));
  const phase = (p: Phase, text?: string) => {
    state.phase = p;
    if (text) note(text);
  };

  let sim: RunningSimulator | undefined;
  let mocks: MocksOnThread | undefined;
  let sink: AlertSink | undefined;
  // A command integration is routed to the simulator as the platform unless --no-intercept
  // (issue 12; docs/decisions/0012-intercepting-unchanged-integrations.md).
  const intercepting = prepared.integration.kind === 'command' && options.intercept !== false;
  let intercept: RunningIntercept | undefined;
  let caFile: string | undefined;
  const routes: RouteCounts = { proxy: 0, preload: 0, direct: 0 };
  // TLS handshakes the simulator's HTTPS front refused or that failed (the integration did not
  // trust the run's CA, or asked for a name it does not serve): a fidelity problem (fidelity.ts).
  const tlsFailures = { handshakes: 0, names: [] as string[], cutByStop: 0 };
  // Set when the harness begins to stop the integration: a handshake the stop cuts off (the peer
  // resets mid-handshake) says nothing about whether the client trusts the run's CA.
  let stopping = false;
  let integration: RunningIntegration | undefined;
  let load: LoadRunResult | undefined;
  let loadStartedAt: number | undefined;
  let loadEndedAt: number | undefined;
  let endAt: number | undefined;
  let drain: DrainResult = { reason: 'not reached', text: 'The run stopped before the drain.' };
  let integrationExit: string | undefined;
  /** Simulated ms the integration exited on its own (a finding: integration-crashed). */
  let integrationDiedAt: number | undefined;
  let integrationDiedText: string | undefined;
  // The harness's own lag while the world runs: a busy machine shows here first, and time
  // compression multiplies it (src/verify/fidelity.ts, harness-lag).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let harnessLag: { p99Ms: number; maxMs: number; meanMs: number } | undefined;
  const stopLagMonitor = () => {
    if (harnessLag || loadStartedAt === undefined) return;
    loopDelay.disable();
    // The histogram includes the sampling resolution itself; what matters is the lateness beyond it.
    const lateMs = (ns: number) => Math.max(0, ns / 1e6 - 10);
    harnessLag = loopDelay.count > 0 ? { p99Ms: lateMs(loopDelay.percentile(99)), maxMs: lateMs(loopDelay.max), meanMs: lateMs(loopDelay.mean) } : { p99Ms: 0, maxMs: 0, meanMs: 0 };
  };
  const notes: string[] = [];
  let status: RunInfo['status'] = 'complete';
  let store: Store | undefined;
  let harnessError: Error | undefined;
  const signal = deps.signal;
  const interrupted = () => signal?.aborted === true;

  const runRecord = (): Record<string, unknown> => ({
    id,
    status,
    scenario: { name: prepared.scenario.name, path: relative(process.cwd(), prepared.scenario.path) || prepared.scenario.path, acceptance: prepared.acceptance ?? null },
    intercept: intercepting ? { caFile: caFile ?? null, proxy: intercept?.proxy.url ?? null, simulatorHttps: sim?.httpsUrl ?? null, requests: routes, tlsFailures, ...(intercept ? { proxyStats: intercept.proxy.stats() } : {}) } : null,
    integration: { label, command: integration?.command ?? null, readyBy: integration?.readyBy ?? null, ready: integration?.ready ?? null, exit: integrationExit ?? null, died: integrationDiedAt !== undefined ? { at: iso(integrationDiedAt), text: integrationDiedText ?? 'exited' } : null },
    harness: harnessLag ? { eventLoopLagP99Ms: harnessLag.p99Ms, eventLoopLagMaxMs: harnessLag.maxMs, eventLoopLagMeanMs: harnessLag.meanMs, measured: 'load and drain' } : null,
    options: { ...options, config: options.config ?? null, timeScale: scale, timeScaleCalibration: undefined },
    timeScale: { mode: options.timeScaleMode ?? 'fixed', chosen: scale, ...(options.timeScaleCalibration ? { calibration: options.timeScaleCalibration } : {}) },
    criteria: prepared.criteria,
    simulator: sim ? { url: sim.url, storeHash: store?.info.hash, clientId: store?.accounts[0]?.clientId, plan: options.plan, quotaPerWindow: quotaPerWindow(), seed: options.seed, catalog: options.catalog ?? 'typical' } : null,
    clock: { scale, simStart: iso(simStart), loadStartedAt: loadStartedAt !== undefined ? iso(loadStartedAt) : null, loadEndedAt: loadEndedAt !== undefined ? iso(loadEndedAt) : null, endAt: endAt !== undefined ? iso(endAt) : null },
    drain,
    load: load ? { exitCode: load.exitCode, runner: load.runner ?? null, realSeconds: (load.endedRealMs - load.startedRealMs) / 1000 } : null,
    realStartedAt: realStart.toISOString(),
    notes,
  });
  const quotaPerWindow = () => planQuota(options.plan, options.quota !== undefined ? { perWindow: options.quota } : undefined).perWindow ?? null;

  try {
    writeJson(runDir, 'run.json', runRecord());
    log(`UAT ${prepared.scenario.name} against ${label}: run directory ${relative(process.cwd(), runDir) || runDir}`);
    // ---- the world: simulator and mocks on one clock, and the alert sink ----
    const ledger = tapLedger(createLedger({ path: join(runDir, 'ledger.jsonl') }), (e) => {
      // Which way it came, decided now, while the proxy's socket that carried it is still open.
      if (e.kind === 'api:request') routes[routeOf(e, intercept?.proxy)]++;
      if (e.kind === 'resource:created' && e.resource === 'order') {
        state.ordersPlaced++;
        placedIds.push(String(e.id));
      }
      else if (e.kind === 'resource:updated' && (e.resource === 'variant' || e.resource === 'product') && e.cause !== 'order') {
        catalogWrites++;
        catalog.stored(String(e.resource), e.body as Record<string, unknown>);
      }
      else if (e.kind === 'quota:limited') state.rateLimited++;
      else if (e.kind === 'webhook:attempt' && e.outcome !== 'delivered' && e.outcome !== 'denylisted') state.webhookFailures++;
      else if (e.kind === 'hook:deactivated') state.hooksDeactivated++;
    });
    const tls = intercepting ? await prepareTls({ dir: join(runDir, 'tls') }) : undefined;
    caFile = tls?.ca.certFile;
    sim = await stage.startSimulator({ ...(tls ? { tls: { cert: tls.server.certPem, key: tls.server.keyPem, serverNames: SERVED_NAMES, onRefused: (r: { serverName: string | undefined; reason: string; code?: string }) => {
      if (stopping && r.code !== undefined && CUT_HANDSHAKE_CODES.has(r.code)) {
        tlsFailures.cutByStop++;
        return;
      }
      tlsFailures.handshakes++;
      if (r.serverName && !tlsFailures.names.includes(r.serverName) && tlsFailures.names.length < 20) tlsFailures.names.push(r.serverName);
      note(r.reason);
    } } } : {}), port: 0, host: '127.0.0.1', plan: options.plan, ...(options.quota !== undefined ? { quota: options.quota } : {}), seed: options.seed, clock, ledger, products: options.products, customers: options.customers, pastOrders: options.pastOrders, ...(options.catalog ? { catalog: options.catalog } : {}) });
    store = [...sim.sim.stores.values()][0]!;
    mocks = await stage.startMocks({
      port: 0,
      host: '127.0.0.1',
      seed: options.seed,
      clock,
      products: options.products,
      customers: options.customers,
      ...(options.catalog ? { catalog: options.catalog } : {}),
      runDir,
      onPublished: (p) => catalog.published(p),
    });
    sink = await stage.startAlertSink({ clock, file: join(runDir, 'alerts.jsonl') });
    if (tls && sim.httpsUrl) {
      intercept = await startIntercept({ simulatorUrl: sim.url, simulatorHttpsUrl: sim.httpsUrl, caFile: tls.ca.certFile, harnessUrls: [mocks.url, sink.url], log: note, ...(process.env.NODE_OPTIONS ? { nodeOptions: process.env.NODE_OPTIONS } : {}) });
    }
    erpLookup = (key) => mocks!.salesOrderSynced(key);
    sink.onAlert((line) => {
      // Only dead letters of the order-to-ERP flow account for an order not in the ERP.
      for (const d of normalizeReports([line]).deadLetters) if (!d.spec || d.spec === 'orders-to-erp-sales-order') deadLetterKeys.add(d.key);
      state.deadLetters = deadLetterKeys.size;
    });
    writeJson(runDir, 'catalog.json', catalogOf(store));
    const account = store.accounts[0]!;

    // ---- the integration ----
    phase('integration', `Starting the integration: ${label}`);
    const webhookPort = await freePort();
    const env: Record<string, string> = {
      BIGCOMMERCE_API_URL: `${sim.url}/stores/${store.info.hash}`,
      BIGCOMMERCE_STORE_HASH: store.info.hash,
      BIGCOMMERCE_ACCESS_TOKEN: account.accessToken,
      BIGCOMMERCE_CLIENT_ID: account.clientId,
      BIGCOMMERCE_WEBHOOK_SECRET: randomBytes(18).toString('hex'),
      WEBHOOK_PORT: String(webhookPort),
      ERP_URL: `${mocks.url}/erp`,
      THREEPL_URL: `${mocks.url}/3pl`,
      CRM_URL: `${mocks.url}/crm`,
      MARKETING_URL: `${mocks.url}/marketing`,
      ALERT_URL: sink.url,
      TIME_SCALE: String(scale),
      // The reference engine keeps its state in SQLite; a fresh file per run, inside the run.
      ...(prepared.integration.kind === 'reference' ? { ENGINE_DB: join(runDir, 'engine.sqlite') } : {}),
      // Proxy, CA and preload variables; the config file's integrationEnv can still override them.
      ...(intercept?.env ?? {}),
      ...(options.config?.integrationEnv ?? {}),
    };
    try {
      integration = await stage.startIntegration({ spec: prepared.integration, env, webhookPort, logFile: join(runDir, 'integration.log'), readyTimeoutMs: options.readyTimeoutMs });
    } catch (error) {
      if (error instanceof IntegrationStartError) {
        // A command the user gave that does not start is their input; ours failing is a harness error.
        if (prepared.integration.kind === 'command') throw new UatInputError(error.message);
        throw new UatHarnessError(error.message);
      }
      throw error;
    }
    void integration.exited.then((e) => {
      if (endAt === undefined) {
        integrationDiedAt = clock.now();
        integrationDiedText = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
        integrationExit = `exited on its own with ${e.signal ?? `code ${e.code}`} at ${iso(clock.now())} (simulated), before the run ended`;
        notes.push(`The integration ${integrationExit}.`);
        note(`The integration ${integrationExit}.`);
      }
    });
    writeJson(runDir, 'run.json', runRecord());

    // ---- the load ----
    if (!interrupted()) {
      phase('load', `Running ${prepared.scenario.name} at ${scale}x (one real second = ${scale} simulated seconds)${options.volumeScale !== undefined ? `, volume ${options.volumeScale}x` : ''}`);
      loadStartedAt = clock.now();
      state.loadStartedAt = loadStartedAt;
      loopDelay.enable();
      load = await stage.runLoad({
        scenarioPath: prepared.scenario.path,
        runner: options.runner,
        timeScale: scale,
        ...(options.volumeScale !== undefined ? { volumeScale: options.volumeScale } : {}),
        simUrl: sim.url,
        storeHash: store.info.hash,
        controlToken: sim.sim.controlToken,
        mocksUrl: mocks.url,
        mocksControlToken: mocks.controlToken,
        summaryExport: join(runDir, 'load-summary.json'),
        logFile: join(runDir, 'load.log'),
        env: options.scenarioEnv,
        signal: signal ?? new AbortController().signal,
      });
      loadEndedAt = clock.now();
      if (![0, 99].includes(load.exitCode) && !interrupted()) {
        throw new UatHarnessError(`Failed to run the scenario: the load runner exited with ${load.exitCode} (${load.exitCode === 107 ? 'script error' : load.exitCode === 104 ? 'invalid options' : 'see load.log'}). The log is ${join(runDir, 'load.log')}.`);
      }
    }

    // ---- the drain ----
    if (!interrupted()) {
      phase('drain', 'Load done; waiting for the integration to catch up');
      drain = await stage.drain({
        quietSimMs: options.drainQuietMs ?? DEFAULTS.drainQuietMs,
        deadlineSimMs: options.drainDeadlineMs ?? DEFAULTS.drainDeadlineMs,
        scale,
        clock,
        outstanding,
        progressCount: () => state.deadLetters + catalogWrites + mocks!.journalCount(),
        pendingDeliveries: () => sim!.sim.dispatcher.pending(),
        alive: () => integration!.alive(),
        ...(signal ? { signal } : {}),
      });
    }
    // The mocks run on a thread of their own; if it stopped, the integration's writes had nowhere to
    // go: the harness's fault, never held against the integration.
    const mocksDied = mocks?.failure();
    if (mocksDied) throw new UatHarnessError(`Failed to run the scenario faithfully: ${mocksDied}. This is a fault of the harness, not of the integration; the run has no verdict.`);
    stopLagMonitor();
    if (interrupted()) {
      status = 'interrupted';
      drain = { reason: 'interrupted', text: 'Interrupted (Ctrl-C) before the system settled.' };
    }
  } catch (error) {
    harnessError = error as Error;
  } finally {
    stopLagMonitor();
    endAt ??= clock.now();
    phase('stopping');
    stopping = true;
    // The state at the end is the state before the integration is told to stop: what it does
    // on shutdown (deleting its hooks, say) is not held against or for it.
    if (sim && store) {
      const q = planQuota(options.plan, options.quota !== undefined ? { perWindow: options.quota } : undefined);
      writeJson(runDir, 'quota.json', { plan: options.plan, perWindow: q.perWindow ?? null, windowMs: q.windowMs, windows: store.quota.history().map((w) => ({ ...w, start: iso(w.start) })) });
    }
    if (integration) {
      const exit = await integration.stop();
      integrationExit ??= `stopped by the harness (${exit.signal ?? `code ${exit.code}`})`;
      const command = options.deadLettersCommand ?? options.config?.deadLetters?.command ?? (prepared.integration.kind === 'reference' ? referenceDeadLetterCommand(runDir) : undefined);
      if (command) {
        const exported = await exportDeadLetters(command, { ENGINE_DB: join(runDir, 'engine.sqlite') }, runDir);
        notes.push(exported.error ? `Could not read the integration's dead-letter queue: ${exported.error}.` : `Read ${exported.count} entr${exported.count === 1 ? 'y' : 'ies'} from the integration's dead-letter queue after it stopped (${command}).`);
      }
    }
    if (intercept) notes.push(describeRoutes(routes, intercept.proxy.stats()));
    await intercept?.close();
    await sim?.close();
    await mocks?.close();
    await sink?.close();
    writeJson(runDir, 'run.json', runRecord());
  }

  if (harnessError) {
    progress.stop();
    const input = harnessError instanceof HarnessError && harnessError.kind === 'invalid-input';
    const message = harnessError.message;
    log(`${input ? 'error' : 'bc-harness uat failed'}: ${input ? message : (harnessError.stack ?? message)}`);
    log(`The run directory keeps what was recorded: ${runDir}`);
    // CI reads the JUnit file: a run that produced no verdict must not look like an empty pass.
    const junit = writeNoVerdictJunit(runDir, { scenario: prepared.scenario.name, integration: label, message, kind: input ? 'invalid-input' : 'harness', realStartedAt: realStart.toISOString(), realSeconds: (now().getTime() - realStart.getTime()) / 1000, ...(options.junit ? { copyTo: options.junit } : {}) });
    const line = { verdict: 'inconclusive' as const, error: message, reportDir: runDir, criteria: [], findings: [], scenario: prepared.scenario.name, integration: label, reports: { junit } };
    writeJson(runDir, 'verdict.json', line);
    return { exitCode: input ? 2 : VERDICT_EXIT.inconclusive, verdict: 'inconclusive', runDir, error: message, line };
  }

  // ---- verify and report ----
  phase('verifying', 'Verifying against ground truth');
  writeJson(runDir, 'run.json', { ...runRecord(), realSeconds: (now().getTime() - realStart.getTime()) / 1000 });
  const result = await stage.verifyAndReport(runDir, { specs: prepared.specs, ...(options.junit ? { junit: options.junit } : {}), now, log: (line) => note(line) });
  progress.stop();
  return result;
}

/** Real-time caps of the drain's waits (the simulated durations are converted at the run's scale). */
export const QUIET_MAX_REAL_MS = 60_000;
export const DEADLINE_MAX_REAL_MS = 180_000;

export interface DrainResult {
  reason: string;
  text: string;
  /** Records still outstanding when the drain stopped (orders not in the ERP, catalog changes not in the store). */
  outstanding?: number;
  /** A real-time cap shortened the simulated wait that ended the drain. */
  cutShort?: { waitedSimMs: number; configuredSimMs: number };
  /** The real time the ending wait lasted: without progress (quiet) or since the load (deadline). */
  drainRealMs?: number;
}

interface DrainOptions {
  quietSimMs: number;
  deadlineSimMs: number;
  scale: number;
  clock: { now(): number };
  outstanding: () => number;
  progressCount: () => number;
  pendingDeliveries: () => number;
  alive: () => boolean;
  signal?: AbortSignal;
}

/**
 * Wait until the system is quiet: every order placed has reached the ERP or been dead-lettered
 * and no webhook delivery is pending (settled); or nothing reached any target for `quietSimMs`
 * (quiet); or the deadline passed. Simulated durations are converted to real time and clamped,
 * so a high time scale still gives a slow machine a moment and a low one does not wait forever.
 */
export async function waitForQuiet(o: DrainOptions): Promise<DrainResult> {
  const startReal = Date.now();
  const startSim = o.clock.now();
  const quietReal = clampReal(o.quietSimMs / o.scale, 1_500, QUIET_MAX_REAL_MS);
  const deadlineReal = clampReal(o.deadlineSimMs / o.scale, 5_000, DEADLINE_MAX_REAL_MS);
  // The caps bound the wall time; when one shortens the simulated wait it stands for, a drain that
  // ends on it with records outstanding did not give the integration its full time (a fidelity
  // problem: src/verify/fidelity.ts drain-cut-short).
  const quietCut = o.quietSimMs / o.scale > QUIET_MAX_REAL_MS;
  const deadlineCut = o.deadlineSimMs / o.scale > DEADLINE_MAX_REAL_MS;
  const settleReal = clampReal(30_000 / o.scale, 400, 3_000);
  let lastCount = o.progressCount();
  let lastChangeReal = Date.now();
  let settledSince: number | undefined;
  const simSince = () => `${((o.clock.now() - startSim) / 60_000).toFixed(1)} simulated minutes`;
  for (;;) {
    if (o.signal?.aborted) return { reason: 'interrupted', text: 'Interrupted.' };
    const count = o.progressCount();
    if (count !== lastCount) {
      lastCount = count;
      lastChangeReal = Date.now();
    }
    const settled = o.outstanding() <= 0 && o.pendingDeliveries() === 0;
    settledSince = settled ? (settledSince ?? Date.now()) : undefined;
    if (settledSince !== undefined && Date.now() - settledSince >= settleReal && Date.now() - lastChangeReal >= settleReal) {
      return { reason: 'settled', text: `Settled ${simSince()} after the load: every order placed had reached the ERP or been dead-lettered, every ERP stock and price change of a flow the integration runs had been written to the store, and no webhook delivery was pending.` };
    }
    if (!o.alive()) return { reason: 'integration-exited', text: `The integration exited; stopped waiting ${simSince()} after the load.` };
    if (Date.now() - lastChangeReal >= quietReal) return { reason: 'quiet', drainRealMs: quietReal, outstanding: Math.max(0, o.outstanding()), ...(quietCut ? { cutShort: { waitedSimMs: quietReal * o.scale, configuredSimMs: o.quietSimMs } } : {}), text: `Quiet: nothing reached a connected system for ${(quietReal / 1000).toFixed(1)} real seconds (${((quietReal * o.scale) / 60_000).toFixed(0)} simulated minutes); stopped waiting ${simSince()} after the load with ${Math.max(0, o.outstanding())} record(s) outstanding (orders not in the ERP, stock and price changes not in the store).` };
    if (Date.now() - startReal >= deadlineReal) return { reason: 'deadline', drainRealMs: deadlineReal, outstanding: Math.max(0, o.outstanding()), ...(deadlineCut ? { cutShort: { waitedSimMs: deadlineReal * o.scale, configuredSimMs: o.deadlineSimMs } } : {}), text: `Drain deadline: stopped waiting ${simSince()} after the load with ${Math.max(0, o.outstanding())} record(s) outstanding (orders not in the ERP, stock and price changes not in the store).` };
    await new Promise((r) => setTimeout(r, 100));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

