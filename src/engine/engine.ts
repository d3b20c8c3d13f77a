/**
 * The reference engine's composition root (DESIGN.md sections 3 and 7): every stage is created
 * here with a default and can be replaced by passing it in, so a test swaps exactly one (the clock
 * shared with an in-process simulator, a transport, a logger) and the CLI passes none.
 *
 *   webhook -> receiver -> inbox --planner--> work --fetch (limiter, bc-client)--> mapper
 *           -> outbox --pumps (one per target)--> ERP / 3PL / CRM / marketing / BigCommerce
 *   feeds (ERP, 3PL, CRM) --poller--> mapper -> outbox
 *   monitor (hooks), reconciler (sweep), alerts, metrics around them.
 *
 * Everything that must survive a crash is in SQLite before it is acknowledged or sent; on start
 * the engine resumes whatever the file holds (docs/decisions/0007-reference-engine.md).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { createRandom, type Random } from '../../lib/random.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import { loadSpecs, MappingSpecError } from '../mappings/load-spec.ts';
import { createAlerts, type Alerts } from './alerts.ts';
import { createBcClient, type BcClient } from './bc-client.ts';
import type { EngineConfig } from './config.ts';
import { createChangeWatch, createKv, openEngineDb, type EngineDb } from './db.ts';
import { createDeadLetters, type DeadLetters } from './dlq.ts';
import { createEngineBus, type EngineBus } from './events.ts';
import { createFeedPoller, type FeedPoller } from './feeds.ts';
import { selectFlows, type FlowSelection } from './flows/index.ts';
import { createHttpTransport, type HttpTransport } from './http.ts';
import { createInbox, INBOX_RETENTION_MS, type Inbox } from './inbox.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMapper, type Mapper } from './mapper.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createMonitor, EXCEPTION_SCOPE, type HookStatus, type Monitor } from './monitor.ts';
import { createOutbox, targets, type Outbox, type Target } from './outbox.ts';
import { createPlanner, type Planner } from './planner.ts';
import { startReceiverFront, type ReceiverFront, type ReceiverOn } from './receiver-host.ts';
import { createReconciler, type Reconciler } from './reconcile.ts';
import { WRITE_BACKOFF, type BackoffPolicy } from './retry.ts';
import { every } from './timers.ts';
import { createWorkQueue, type WorkQueue } from './work-queue.ts';
import { createCustomerWriter, createInventoryWriter, createOrderStatusWriter, createProductWriter, createRefundWriter, createShipmentWriter } from './writers/bigcommerce.ts';
import { createConnectedClient, createConnectedWriter, waitForSalesOrder, type ConnectedClient } from './writers/connected.ts';
import { createPump, type Pump } from './writers/pump.ts';
import type { TargetWriter } from './writers/types.ts';

/** The stages a caller may replace. */
export interface EngineStages {
  clock: Clock;
  logger: Logger;
  random: Random;
  transport: HttpTransport;
  db: EngineDb;
  specs: Map<string, CompiledSpec>;
}

/** How the engine runs, besides its stages. */
export interface EngineOptions {
  /**
   * Where the webhook receiver and the HTTP front run (receiver-host.ts). Default: 'worker' when
   * the engine owns its clock, 'main' for an injected one (the thread could not follow its
   * `advance`). 'worker' with an injected clock mirrors it from one reading: right for a running
   * clock nobody jumps, wrong after a jump.
   */
  receiverOn: ReceiverOn;
}

export interface EngineReady {
  webhookUrl: string;
  metricsUrl: string;
  healthUrl: string;
  db: string;
  engineId: string;
  store: string;
  flows: string[];
  hooks: HookStatus[];
}

export interface Engine {
  readonly config: EngineConfig;
  readonly clock: Clock;
  readonly db: EngineDb;
  readonly bus: EngineBus;
  readonly metrics: Metrics;
  readonly outbox: Outbox;
  readonly dlq: DeadLetters;
  readonly work: WorkQueue;
  readonly inbox: Inbox;
  readonly limiter: Limiter;
  readonly alerts: Alerts;
  start(): Promise<EngineReady>;
  /** Wake every stage now (after a dead-letter replay made through the same database). */
  nudge(): void;
  close(): Promise<void>;
}

/** Load the mapping specs the routes need, failing with every problem named. */
export function loadRouteSpecs(dir: string, selection: FlowSelection): Map<string, CompiledSpec> {
  const { specs, issues } = loadSpecs(dir);
  if (issues.length > 0) throw new MappingSpecError(issues);
  const byName = new Map(specs.map((s) => [s.compiled.spec.name, s.compiled]));
  const missing = selection.routes.filter((r) => !byName.has(r.spec)).map((r) => r.spec);
  if (missing.length > 0) throw new Error(`Failed to load the mapping specs: ${missing.join(', ')} not found in ${dir}. Point ENGINE_MAPPINGS (--mappings) at the mappings/ directory.`);
  return byName;
}

export async function createEngine(config: EngineConfig, overrides: Partial<EngineStages & EngineOptions> = {}): Promise<Engine> {
  const ownClock = !overrides.clock;
  // The engine's own clock is built from a known real start, so the receiver's thread can build
  // the identical one (lib/clock.ts realStart).
  const realStart = performance.timeOrigin + performance.now();
  const ownClockState = { scale: config.timeScale, start: Math.round(realStart), realStart };
  const clock = overrides.clock ?? createVirtualClock(ownClockState);
  const receiverOn: ReceiverOn = overrides.receiverOn ?? (ownClock ? 'worker' : 'main');
  let closed = false;
  const baseLogger = overrides.logger ?? createLogger({ clock });
  // After close, work that was still waiting (a backoff on a shared clock) may wake up and fail
  // against the closed database; that is expected and not worth a log line.
  const logger: Logger = {
    log: (level, msg, fields) => (closed ? undefined : baseLogger.log(level, msg, fields)),
    info: (msg, fields) => (closed ? undefined : baseLogger.info(msg, fields)),
    warn: (msg, fields) => (closed ? undefined : baseLogger.warn(msg, fields)),
    error: (msg, fields) => (closed ? undefined : baseLogger.error(msg, fields)),
  };
  const random = overrides.random ?? createRandom((Date.now() ^ process.pid) >>> 0);
  const transport = overrides.transport ?? createHttpTransport({ connections: 64 });
  const ownDb = !overrides.db;
  const db = overrides.db ?? openEngineDb(config.db);
  const selection = selectFlows(config.flows);
  const specs = overrides.specs ?? loadRouteSpecs(config.mappings, selection);
  const bus = createEngineBus();
  const metrics = createMetrics(bus);
  const kv = createKv(db);

  const inbox = createInbox(db);
  const work = createWorkQueue(db);
  const outbox = createOutbox(db);
  const dlq = createDeadLetters(db);
  const limiter = createLimiter({ clock, headroom: config.headroom, maxConcurrency: config.apiConcurrency });
  const bc: BcClient = createBcClient({ apiUrl: config.apiUrl, accessToken: config.accessToken, clock, limiter, transport, random, bus });
  const clients = {
    erp: createConnectedClient(config.erpUrl, transport),
    '3pl': createConnectedClient(config.threeplUrl, transport),
    crm: createConnectedClient(config.crmUrl, transport),
    marketing: createConnectedClient(config.marketingUrl, transport),
  } satisfies Record<string, ConnectedClient>;
  const mapper: Mapper = createMapper({ specs, outbox, dlq, bus });
  const writeBackoff: BackoffPolicy = { ...WRITE_BACKOFF, maxAttempts: config.maxAttempts };

  let front: ReceiverFront | undefined;
  let baseUrl = '';
  const webhookUrl = () => `${config.publicUrl ?? baseUrl}/webhooks`;
  const exceptionUrl = () => `${config.publicUrl ?? baseUrl}/webhooks/exceptions`;

  const alerts = createAlerts({
    clock,
    db,
    transport,
    bus,
    logger,
    ...(config.alertUrl ? { alertUrl: config.alertUrl } : {}),
    engineId: () => kv.get('engine:id') ?? '',
    windowMs: config.alertWindowSeconds * 1000,
    failureRate: config.alertFailureRate,
    flowOf: (spec) => selection.route(spec)?.flow,
  });

  // One writer per target the selected flows write to.
  const writerFor = (target: Target): TargetWriter => {
    switch (target) {
      case 'erp.sales-order':
        return createConnectedWriter({ target, client: clients.erp, clock, concurrency: 16 });
      case 'erp.credit-memo':
        return createConnectedWriter({ target, client: clients.erp, clock, concurrency: 4, ready: waitForSalesOrder(outbox, 30_000) });
      case '3pl.fulfillment-order':
        return createConnectedWriter({ target, client: clients['3pl'], clock, concurrency: 16 });
      case 'crm.contact':
        return createConnectedWriter({ target, client: clients.crm, clock, concurrency: 8 });
      case 'marketing.event':
        return createConnectedWriter({ target, client: clients.marketing, clock, concurrency: 16 });
      case 'bc.inventory':
        return createInventoryWriter(bc);
      case 'bc.product':
        return createProductWriter(bc);
      case 'bc.customer':
        return createCustomerWriter(bc);
      case 'bc.order':
        return createOrderStatusWriter(bc);
      case 'bc.shipment':
        return createShipmentWriter(bc);
      case 'bc.refund':
        return createRefundWriter(bc);
      default:
        return target satisfies never;
    }
  };
  const usedTargets = targets.filter((t) => selection.routes.some((r) => r.target === t));
  const pumps = new Map<Target, Pump>(usedTargets.map((t) => [t, createPump({ writer: writerFor(t), outbox, dlq, clock, random, bus, logger, backoff: writeBackoff })]));
  const kickWriters = () => {
    for (const p of pumps.values()) p.kick();
  };

  let monitor: Monitor;
  const planner: Planner = createPlanner({
    clock,
    db,
    inbox,
    work,
    outbox,
    dlq,
    bc,
    crm: clients.crm,
    mapper,
    selection,
    bus,
    logger,
    random,
    batchWindowMs: config.batchWindowSeconds * 1000,
    backoff: writeBackoff,
    onStaged: kickWriters,
    onDeliveryException: () => monitor.kick(),
  });
  const reconciler: Reconciler = createReconciler({ clock, db, bc, planner, selection, bus, logger, onStaged: kickWriters });
  monitor = createMonitor({
    clock,
    db,
    bc,
    bus,
    logger,
    scopes: selection.scopes,
    webhookUrl,
    exceptionUrl,
    secret: config.webhookSecret,
    onRepaired: (repaired) => {
      alerts.raise('hook-deactivated', `webhooks found deactivated or missing and repaired: ${repaired.map((r) => `${r.scope} (${r.action})`).join(', ')}; backfilling by reconciliation sweep`, { hooks: repaired });
      reconciler.sweep();
    },
  });
  const feeds: FeedPoller = createFeedPoller({
    clock,
    db,
    selection,
    clients,
    mapper,
    bus,
    logger,
    ...(config.pollSeconds !== undefined ? { everyMs: config.pollSeconds * 1000 } : {}),
    onStaged: kickWriters,
    onOutcome: (ok, system) => alerts.outcome(ok, system),
  });

  const knownScopes = new Set([...selection.scopes, EXCEPTION_SCOPE]);

  // How long the event loop was blocked: the receiver cannot answer faster than this.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const gauges = () => {
    const q = limiter.snapshot();
    const outboxCounts = outbox.counts();
    return [
      { name: 'bc_engine_inbox_new', help: 'Webhook events stored and not yet planned.', samples: [{ value: inbox.countNew() }] },
      { name: 'bc_engine_work_pending', help: 'Ids waiting to be fetched, by lane.', samples: Object.entries(work.counts()).map(([lane, value]) => ({ labels: { lane }, value })) },
      { name: 'bc_engine_outbox_records', help: 'Outbox records, by target and state.', samples: outboxCounts.map((c) => ({ labels: { target: c.target, state: c.state }, value: c.n })) },
      { name: 'bc_engine_dead_letters_open', help: 'Open entries in the dead-letter queue.', samples: [{ value: dlq.openCount() }] },
      { name: 'bc_engine_quota_left', help: 'Requests left in the store quota window at the last answer.', samples: q.left !== undefined ? [{ value: q.left }] : [] },
      { name: 'bc_engine_quota_limit', help: 'Requests per window (X-Rate-Limit-Requests-Quota).', samples: q.quota !== undefined ? [{ value: q.quota }] : [] },
      { name: 'bc_engine_quota_reserve', help: 'Requests per window left for other apps (headroom).', samples: [{ value: q.reserve }] },
      { name: 'bc_engine_api_waiting', help: 'Management API requests waiting for the limiter.', samples: [{ value: q.waiting }] },
      ...((m) => [
        { name: 'process_resident_memory_bytes', help: 'Resident memory of the engine process.', samples: [{ value: m.rss }] },
        { name: 'nodejs_heap_used_bytes', help: 'V8 heap in use.', samples: [{ value: m.heapUsed }] },
        { name: 'nodejs_heap_total_bytes', help: 'V8 heap reserved.', samples: [{ value: m.heapTotal }] },
        { name: 'nodejs_external_bytes', help: 'Memory outside the V8 heap held by JavaScript objects (buffers).', samples: [{ value: m.external }] },
      ])(process.memoryUsage()),
      { name: 'nodejs_eventloop_delay_seconds', help: 'Event loop delay since start, by quantile.', samples: [0.5, 0.99, 1].map((q) => ({ labels: { quantile: String(q) }, value: (q === 1 ? loopDelay.max : loopDelay.percentile(q * 100)) / 1e9 })) },
    ];
  };

  const periodic: { stop(): void }[] = [];
  let started = false;
  let closing: Promise<void> | undefined;

  const engine: Engine = {
    config,
    clock,
    db,
    bus,
    metrics,
    outbox,
    dlq,
    work,
    inbox,
    limiter,
    alerts,
    async start() {
      if (started) throw new Error('Failed to start the engine: it is already running.');
      started = true;
      front = await startReceiverFront({
        on: receiverOn,
        inboxPath: db.inboxPath,
        port: config.port,
        host: config.host,
        secret: config.webhookSecret,
        storeHash: config.storeHash,
        knownScopes,
        clock,
        clockState: ownClock ? ownClockState : { scale: clock.scale, start: clock.now(), realStart: performance.timeOrigin + performance.now() },
        bus,
        logger,
        onAccepted: () => planner.kick(),
        metrics: () => metrics.render(gauges()),
        health: () => JSON.stringify({ ok: true, inbox: inbox.countNew(), work: work.counts(), deadLetters: dlq.openCount(), quota: limiter.snapshot() }),
      });
      baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${front.port}`;

      // Resume first: whatever the last run left in the inbox, the work queue and the outbox.
      planner.kick();
      kickWriters();
      let hooks: HookStatus[];
      try {
        hooks = await monitor.ensureHooks();
      } catch (error) {
        await engine.close();
        throw error;
      }
      reconciler.sweep();
      feeds.start();
      monitor.start(config.monitorSeconds * 1000);
      periodic.push(every(clock, config.sweepSeconds * 1000, () => reconciler.sweep()));
      // Another process (bc-harness dlq replay) may put work into the file: look every 10 s, but
      // wake the stages only when another connection committed since the last look. SQLite's
      // data_version says so for the price of one pragma; waking every stage for nothing cost
      // about 20 queries a time, 14 times a real second at 144x (issue 15).
      // A full nudge still goes every five simulated minutes regardless, as a backstop for a
      // stage whose run failed and that nothing else has woken since.
      const changedElsewhere = createChangeWatch(db);
      let quietLooks = 0;
      periodic.push(
        every(clock, 10_000, () => {
          if (!changedElsewhere() && ++quietLooks < 30) return;
          quietLooks = 0;
          engine.nudge();
        }),
      );
      // The receiver prunes (it is the inbox file's only writer), up to the planner's cursor.
      periodic.push(
        every(clock, 3_600_000, () => {
          front?.prune(clock.now() - INBOX_RETENTION_MS, inbox.cursor()).catch((error: Error) => logger.warn('could not prune the webhook inbox; will try again in an hour', { error: error.message }));
        }),
      );
      logger.info('engine ready', { webhookUrl: webhookUrl(), flows: config.flows, db: db.path });
      return {
        webhookUrl: webhookUrl(),
        metricsUrl: `${baseUrl}/metrics`,
        healthUrl: `${baseUrl}/healthz`,
        db: db.path,
        engineId: kv.get('engine:id') ?? '',
        store: config.storeHash,
        flows: [...config.flows],
        hooks,
      };
    },
    nudge() {
      planner.kick();
      kickWriters();
    },
    close() {
      closing ??= (async () => {
        closed = true;
        loopDelay.disable();
        for (const p of periodic) p.stop();
        monitor.stop();
        feeds.stop();
        reconciler.stop();
        planner.stop();
        for (const p of pumps.values()) p.stop();
        alerts.stop();
        limiter.close();
        await front?.close();
        // Let work already running finish its transaction; anything waiting simply resumes on
        // the next start.
        await Promise.race([Promise.all([planner.idle(), ...[...pumps.values()].map((p) => p.idle()), feeds.idle(), reconciler.idle(), monitor.idle()]), new Promise((r) => setTimeout(r, 500))]);
        if (!overrides.transport) await transport.close();
        inbox.close();
        if (ownDb) db.close();
        if (ownClock) clock.dispose();
      })();
      return closing;
    },
  };
  return engine;
}
