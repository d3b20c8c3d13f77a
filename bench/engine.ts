/**
 * Benchmark 4: the reference engine (`runEngineBench`). The simulator (Standard plan) and the
 * connected-system mocks run in this process; the engine runs as the real command
 * (`bc-harness engine --json`) in a child process, so its resident memory is its own.
 *
 * Figures:
 * - API calls per synced order at steady state (one order per simulated second for ten simulated
 *   minutes at 60x) and in a burst (BENCH_ENGINE_BURST orders at once, default 5,000): every
 *   Management API request the engine made (order reads, sweeps, webhook checks) from the
 *   simulator's ledger, divided by the orders that reached the ERP. Aim: <= 1.0 steady, <= 0.2
 *   in bursts; a one-call-per-webhook design with sub-resource calls spends 3 to 10.
 * - The engine's resident memory through that burst (the doorbuster), sampled every 200 ms from
 *   /proc. Aim: flat, under 300 MB.
 * - The highest order rate the engine sustains without loss on a Standard plan, in real time
 *   (time scale 1, so simulated and real seconds agree): rising steps of orders per second, each
 *   for BENCH_ENGINE_STEP_S seconds; a step is sustained when every one of its orders reaches the
 *   ERP within 10 s of the step's end. Compared with the quota's own ceiling: 5 requests a second
 *   (150 per 30 s) times the 250 orders one request can carry = 1,250 orders/s.
 *
 * Run alone: node --import tsx bench/engine.ts (prints the JSON); the runner wires it in as
 * `engine`. Env: BENCH_ENGINE_BURST, BENCH_ENGINE_STEPS (comma-separated orders/s, default
 * 50,100,200,400,800,1200,1600), BENCH_ENGINE_STEP_S (default 5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createVirtualClock } from '../lib/clock.ts';
import { startMocks, type RunningMocks } from '../src/mocks/http/server.ts';
import { control, log, mib, processCpuSeconds, processRss, report, ROOT, round, startInProcess, type InProcessSim } from './lib.ts';

export interface EngineBenchResult {
  name: 'engine';
  plan: 'standard';
  steady: { timeScale: number; orders: number; simMinutes: number; apiCalls: number; orderReads: number; callsPerOrder: number; target: number };
  burst: {
    timeScale: number;
    orders: number;
    apiCalls: number;
    orderReads: number;
    callsPerOrder: number;
    drainSimSeconds: number;
    drainRealSeconds: number;
    target: number;
    /** As the simulator timed the callbacks (includes this process's own event-loop lag). */
    webhookAnswerMs: { p50: number; p99: number; max: number; callbacks: number };
    /** As the engine timed them (handler to 200), and its event-loop delay (from its /metrics). */
    engineSide: { answeredWithin5msShare: number; answeredWithin25msShare: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };
  };
  memory: { baselineMiB: number; peakMiB: number; endMiB: number; growthMiB: number; samples: number; targetMiB: number };
  sustained: {
    timeScale: 1;
    stepSeconds: number;
    steps: { ordersPerSecond: number; placedPerSecond: number; placed: number; delivered: number; lagSeconds: number | null; sustained: boolean; limitedBy: 'none' | 'engine' | 'harness'; engineCores: number | null }[];
    highestOrdersPerSecond: number;
    /** Why the ramp stopped: the engine fell behind, or this process could not place orders faster. */
    stoppedBy: 'engine' | 'harness' | 'last-step';
    quotaCeilingOrdersPerSecond: number;
    /** The same with the engine's default headroom kept for other apps (80% of the quota). */
    engineQuotaCeilingOrdersPerSecond: number;
    quotaRequestsPerSecond: number;
    ordersPerRequest: number;
  };
  failure: string | null;
}

/** The engine's own view of its receiver, from its Prometheus endpoint. */
async function engineSide(w: World): Promise<EngineBenchResult['burst']['engineSide']> {
  const text = await (await fetch(w.metricsUrl)).text();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
  const count = num(/^bc_engine_webhook_answer_seconds_count (\S+)/m);
  const within = (le: string) => num(new RegExp(`^bc_engine_webhook_answer_seconds_bucket\\{le="${le}"\\} (\\S+)`, 'm'));
  return {
    answeredWithin5msShare: round(within('0.005') / count, 3),
    answeredWithin25msShare: round(within('0.025') / count, 3),
    eventLoopDelayP99Ms: round(num(/^nodejs_eventloop_delay_seconds\{quantile="0.99"\} (\S+)/m) * 1000, 1),
    eventLoopDelayMaxMs: round(num(/^nodejs_eventloop_delay_seconds\{quantile="1"\} (\S+)/m) * 1000, 1),
  };
}

export interface World {
  sim: InProcessSim;
  mocks: RunningMocks;
  clientId: string;
  engine: ChildProcess;
  metricsUrl: string;
  dir: string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Simulator and mocks in this process, the engine as the real command in a child. `nodeArgs` go to
 * the engine's node (e.g. --cpu-prof), `env` over its environment (bench/engine-receiver.ts).
 */
export async function startWorld(timeScale: number, extra: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<World> {
  const clock = createVirtualClock({ scale: timeScale });
  const seed = 1;
  const sim = await startInProcess({ clock, plan: 'standard', seed, products: 200, customers: 100, pastOrders: 10 });
  const mocks = await startMocks({ clock, seed, products: 200, customers: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-bench-engine-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BIGCOMMERCE_API_URL: `${sim.url}/stores/${sim.hash}`,
    BIGCOMMERCE_ACCESS_TOKEN: sim.token,
    BIGCOMMERCE_WEBHOOK_SECRET: 'bench-engine-secret',
    WEBHOOK_PORT: '0',
    ERP_URL: `${mocks.url}/erp`,
    THREEPL_URL: `${mocks.url}/3pl`,
    CRM_URL: `${mocks.url}/crm`,
    MARKETING_URL: `${mocks.url}/marketing`,
    TIME_SCALE: String(timeScale),
    ENGINE_DB: join(dir, 'engine.sqlite'),
    // The order flows: what "a synced order" means (ERP, 3PL and the marketing event).
    ENGINE_FLOWS: 'orders,marketing-events',
    ...extra.env,
  };
  const engine = spawn(process.execPath, [...(extra.nodeArgs ?? []), join(ROOT, 'bin', 'bc-harness.js'), 'engine', '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  engine.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-20_000);
  });
  const ready = await new Promise<{ metricsUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Failed to start the engine: no ready line in 30 s. ${stderr.slice(-2000)}`)), 30_000);
    engine.once('exit', (code) => reject(new Error(`Failed to start the engine: it exited with ${code}. ${stderr.slice(-2000)}`)));
    createInterface({ input: engine.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { metricsUrl: string });
    });
  });
  const stores = (await control(sim, 'GET', '/stores')).body as { stores: { accounts: { clientId: string }[] }[] };
  return {
    sim,
    mocks,
    clientId: stores.stores[0]!.accounts[0]!.clientId,
    engine,
    metricsUrl: ready.metricsUrl,
    dir,
    async close() {
      if (engine.exitCode === null && engine.signalCode === null) {
        engine.kill('SIGTERM');
        const hard = setTimeout(() => engine.kill('SIGKILL'), 10_000);
        await new Promise((r) => engine.once('exit', r));
        clearTimeout(hard);
      }
      await mocks.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function place(w: World, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += 1000) {
    const res = await control(w.sim, 'POST', `/stores/${w.sim.hash}/orders`, { profile: 'typical', count: Math.min(1000, count - done) });
    if (res.status !== 201) throw new Error(`Failed to place orders: HTTP ${res.status}`);
    ids.push(...(res.body as { ids: number[] }).ids);
  }
  return ids;
}

export const delivered = (w: World, ids: number[]) => ids.filter((id) => w.mocks.systems.erp.getSalesOrder(String(id)) !== undefined).length;

/** The engine's Management API requests in the ledger (from a ledger line count on). */
async function engineRequests(w: World): Promise<{ path: string; at: string }[]> {
  const res = await fetch(`${w.sim.url}/__sim/ledger?kinds=api:request`, { headers: { authorization: `Bearer ${w.sim.controlToken}` } });
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { client: string; path: string; at: string })
    .filter((l) => l.client === w.clientId);
}

/** How long the engine took to answer the burst's webhook callbacks (real ms, as the platform times them). */
export async function webhookAnswerTimes(w: World, fromLine: number): Promise<number[]> {
  const res = await fetch(`${w.sim.url}/__sim/ledger?kinds=webhook:attempt`, { headers: { authorization: `Bearer ${w.sim.controlToken}` } });
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .slice(fromLine)
    .map((l) => JSON.parse(l) as { outcome: string; durationMs: number })
    .filter((a) => a.outcome === 'delivered')
    .map((a) => a.durationMs)
    .sort((a, b) => a - b);
}

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

const isOrderRead = (path: string) => /\/v2\/orders(\?|\/\d+\/products)/.test(path);

export async function waitFor(predicate: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (predicate()) return true;
    await sleep(pollMs);
  }
  return predicate();
}

export async function runEngineBench(): Promise<EngineBenchResult> {
  const burstOrders = Number(process.env.BENCH_ENGINE_BURST ?? 5_000);
  const steps = (process.env.BENCH_ENGINE_STEPS ?? '50,100,200,400,800,1200,1600').split(',').map(Number);
  const stepSeconds = Number(process.env.BENCH_ENGINE_STEP_S ?? 5);
  let failure: string | null = null;
  const result: EngineBenchResult = {
    name: 'engine',
    plan: 'standard',
    steady: { timeScale: 60, orders: 0, simMinutes: 10, apiCalls: 0, orderReads: 0, callsPerOrder: 0, target: 1 },
    burst: { timeScale: 60, orders: burstOrders, apiCalls: 0, orderReads: 0, callsPerOrder: 0, drainSimSeconds: 0, drainRealSeconds: 0, target: 0.2, webhookAnswerMs: { p50: 0, p99: 0, max: 0, callbacks: 0 }, engineSide: { answeredWithin5msShare: 0, answeredWithin25msShare: 0, eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0 } },
    memory: { baselineMiB: 0, peakMiB: 0, endMiB: 0, growthMiB: 0, samples: 0, targetMiB: 300 },
    sustained: { timeScale: 1, stepSeconds, steps: [], highestOrdersPerSecond: 0, stoppedBy: 'last-step', quotaCeilingOrdersPerSecond: 5 * 250, engineQuotaCeilingOrdersPerSecond: Math.round(5 * 250 * 0.8), quotaRequestsPerSecond: 5, ordersPerRequest: 250 },
    failure: null,
  };

  // ----- steady state and burst, at 60x -----
  let w = await startWorld(60);
  try {
    await sleep(1000);
    result.memory.baselineMiB = round(mib(processRss(w.engine.pid!).rss ?? 0));
    const before = (await engineRequests(w)).length;
    // One order per simulated second for ten simulated minutes: one every 16.7 real ms.
    log('[engine] steady: 600 orders over 10 simulated minutes at 60x');
    const steadyIds: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 600; i++) {
      steadyIds.push(...(await place(w, 1)));
      const due = t0 + ((i + 1) * 1000) / 60;
      if (due > performance.now()) await sleep(due - performance.now());
    }
    if (!(await waitFor(() => delivered(w, steadyIds) === steadyIds.length, 30_000))) failure = `steady: only ${delivered(w, steadyIds)} of ${steadyIds.length} orders reached the ERP`;
    const steadyRequests = (await engineRequests(w)).slice(before);
    result.steady = { ...result.steady, orders: steadyIds.length, apiCalls: steadyRequests.length, orderReads: steadyRequests.filter((r) => isOrderRead(r.path)).length, callsPerOrder: round(steadyRequests.length / Math.max(1, delivered(w, steadyIds)), 3) };
    log(`[engine] steady: ${result.steady.apiCalls} calls for ${steadyIds.length} orders (${result.steady.callsPerOrder} per order)`);

    // The doorbuster: everything at once, memory sampled throughout.
    log(`[engine] burst: ${burstOrders} orders at once`);
    const mark = (await engineRequests(w)).length;
    const attemptsBefore = (await webhookAnswerTimes(w, 0)).length;
    const rss: number[] = [];
    const sampler = setInterval(() => {
      const r = processRss(w.engine.pid!).rss;
      if (r !== undefined) rss.push(mib(r));
    }, 200);
    const simStart = w.sim.running.sim.clock.now();
    const realStart = performance.now();
    const burstIds = await place(w, burstOrders);
    const drained = await waitFor(() => delivered(w, burstIds) === burstIds.length, 120_000, 100);
    clearInterval(sampler);
    if (!drained && !failure) failure = `burst: only ${delivered(w, burstIds)} of ${burstIds.length} orders reached the ERP in 120 s`;
    const burstRequests = (await engineRequests(w)).slice(mark);
    result.burst = {
      ...result.burst,
      apiCalls: burstRequests.length,
      orderReads: burstRequests.filter((r) => isOrderRead(r.path)).length,
      callsPerOrder: round(burstRequests.length / Math.max(1, delivered(w, burstIds)), 3),
      drainSimSeconds: round((w.sim.running.sim.clock.now() - simStart) / 1000, 0),
      drainRealSeconds: round((performance.now() - realStart) / 1000, 1),
      webhookAnswerMs: { p50: 0, p99: 0, max: 0, callbacks: 0 },
      engineSide: await engineSide(w),
    };
    const answers = await webhookAnswerTimes(w, attemptsBefore);
    result.burst.webhookAnswerMs = { p50: round(percentile(answers, 50), 2), p99: round(percentile(answers, 99), 2), max: round(answers.at(-1) ?? 0, 2), callbacks: answers.length };
    const end = processRss(w.engine.pid!).rss ?? 0;
    result.memory = { ...result.memory, peakMiB: round(Math.max(...rss, 0)), endMiB: round(mib(end)), growthMiB: round(mib(end) - result.memory.baselineMiB), samples: rss.length };
    log(`[engine] burst: ${result.burst.apiCalls} calls for ${burstIds.length} orders (${result.burst.callsPerOrder} per order), drained in ${result.burst.drainRealSeconds} s; webhooks answered p50 ${result.burst.webhookAnswerMs.p50} ms, p99 ${result.burst.webhookAnswerMs.p99} ms (engine side: ${result.burst.engineSide.answeredWithin5msShare * 100}% within 5 ms, event loop p99 ${result.burst.engineSide.eventLoopDelayP99Ms} ms); engine rss ${result.memory.baselineMiB} -> peak ${result.memory.peakMiB} -> ${result.memory.endMiB} MiB`);
  } finally {
    await w.close();
  }

  // ----- the highest sustained rate, in real time -----
  w = await startWorld(1);
  try {
    await sleep(1000);
    for (const rate of steps) {
      const ids: number[] = [];
      const cpu0 = processCpuSeconds(w.engine.pid!);
      const t0 = performance.now();
      // Ten placements a second, each a tenth of the step's rate.
      for (let tick = 0; tick < stepSeconds * 10; tick++) {
        ids.push(...(await place(w, Math.max(1, Math.round(rate / 10)))));
        const due = t0 + (tick + 1) * 100;
        if (due > performance.now()) await sleep(due - performance.now());
      }
      const placedFor = (performance.now() - t0) / 1000;
      const stepEnd = performance.now();
      const ok = await waitFor(() => delivered(w, ids) === ids.length, 10_000, 50);
      const lag = ok ? round((performance.now() - stepEnd) / 1000, 2) : null;
      const cpu1 = processCpuSeconds(w.engine.pid!);
      const cores = cpu0 !== undefined && cpu1 !== undefined ? round((cpu1 - cpu0) / ((performance.now() - t0) / 1000), 2) : null;
      // A step only counts when this process managed to place at the rate it claims: on two
      // cores the simulator and the mocks share the machine with the engine, so past some rate
      // the harness, not the engine, is what cannot keep up.
      const achieved = ids.length / placedFor;
      // When the harness could not even place the step's orders, the machine is saturated and the
      // step says nothing about the engine either way.
      const limitedBy = achieved < rate * 0.9 ? 'harness' : !ok ? 'engine' : 'none';
      const sustained = limitedBy === 'none';
      result.sustained.steps.push({ ordersPerSecond: rate, placedPerSecond: round(achieved, 0), placed: ids.length, delivered: delivered(w, ids), lagSeconds: lag, sustained, limitedBy, engineCores: cores });
      log(`[engine] ${rate} orders/s for ${stepSeconds} s (placed ${round(achieved, 0)}/s): ${sustained ? `kept up, last order in the ERP ${lag} s after the step` : limitedBy === 'engine' ? 'the engine fell behind' : 'the harness could not place orders that fast'}; engine ${cores} cores`);
      if (!sustained) {
        result.sustained.stoppedBy = limitedBy === 'engine' ? 'engine' : 'harness';
        break;
      }
      result.sustained.highestOrdersPerSecond = rate;
      // Let the backlog (3PL, marketing) settle before the next step.
      await sleep(1000);
    }
  } finally {
    await w.close();
  }
  result.failure = failure;
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  report(await runEngineBench());
}
