/**
 * Issue 15: the simulator's order read side by side with Stoplight Prism, in one run on one
 * machine. Prism 5.14 (`prism mock -v error`, the devDependency) serves the official
 * `orders.v2.oas2.yml`; the simulator child serves the same read with everything it does per
 * request (store, auth, quota, ledger). Both are driven by the same autocannon setup as
 * bench/http-orders.ts (50 connections, each cycling its own slice of the order ids), each
 * warmed up, then measured in alternating rounds (A/B/A/B) so the machine's noise falls on both.
 *
 *   node --import tsx bench/prism-orders.ts       # or: npm run bench -- --only=prism-orders
 *
 * Env: BENCH_DURATION (s per round, default 15), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (50),
 * BENCH_ORDERS (placed on top of the 50 seeded, 2000), BENCH_ROUNDS (rounds per target, 2),
 * BENCH_BEFORE_ROOT (optional: the root of another checkout, e.g. the code before a change,
 * whose simulator joins the rotation as "simulator-before").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { api, cpuWindow, expectStatus, listOrderIds, log, placeOrders, processCpuSeconds, report, ROOT, round, spawnSim, type ChildSim } from './lib.ts';

const duration = Number(process.env.BENCH_DURATION ?? 15);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const placed = Number(process.env.BENCH_ORDERS ?? 2000);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const beforeRoot = process.env.BENCH_BEFORE_ROOT;
const SPEC = join(ROOT, '..', 'shared', 'bigcommerce-specs', 'current', 'orders.v2.oas2.yml');
const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

interface Target {
  name: string;
  url: string;
  pid: number;
  /** The request path for an order id. */
  path: (id: number) => string;
  token: string;
}

interface Round {
  target: string;
  round: number;
  rps: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * Server CPU per answered request, in microseconds: steadier than req/s on a shared machine,
   * where a server gets whatever share of the cores the other work leaves it.
   */
  serverCpuUsPerRequest: number | null;
  /** Cores used in the round: `server`, `loadGenerator` (autocannon), the machine and the rest of it. */
  cpu: Record<string, number | null>;
}

/** A free loopback port: Prism takes a fixed -p and prints nothing at -v error. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface PrismProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startPrism(): Promise<PrismProcess> {
  const port = await freePort();
  const env = { ...process.env };
  // NODE_ENV=production would make Prism fork a cluster worker (`--multiprocess` defaults to it).
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [PRISM, 'mock', '-v', 'error', '-h', '127.0.0.1', '-p', String(port), SPEC], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, killed whole at the end (and by bench/run.ts on a timeout).
    detached: true,
  });
  // Tell the runner, so a timeout or Ctrl-C ends Prism's group as well as this one.
  if (process.send) process.send({ type: 'process-group', pid: child.pid });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    killGroup('SIGTERM');
    const hard = setTimeout(() => killGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(hard);
    // Anything the group still holds (Prism forks nothing in single-process mode, but be sure).
    killGroup('SIGKILL');
    process.off('exit', onExit);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Failed to start Prism: it exited (code ${child.exitCode}, signal ${child.signalCode}). Its output:\n${tail}`);
    const status = await fetch(`${url}/orders/100`, { headers: { 'x-auth-token': 'bench', accept: 'application/json' } }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (status === 200) break;
    if (status !== 0) {
      await stop();
      throw new Error(`Failed to start Prism: GET /orders/100 answered ${status}, not 200. Its output:\n${tail}`);
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`Failed to start Prism: not listening on ${url} within 60 s. Its output:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, url, stop };
}

function drive(target: Target, ids: number[], seconds: number) {
  const headers = { 'x-auth-token': target.token, accept: 'application/json' };
  // As bench/http-orders.ts: connection k reads the ids i with i % connections == k, pre-encoded.
  const slices = Array.from({ length: connections }, (_, k) => ids.filter((_, i) => i % connections === k).map((id) => ({ method: 'GET' as const, path: target.path(id), headers })));
  let client = 0;
  return autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', path: target.path(ids[0]!) }],
    setupClient: (c) => c.setRequests(slices[client++ % connections]!),
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function setupSim(name: string, root?: string): Promise<{ sim: ChildSim; target: Target; ids: number[] }> {
  const sim = await spawnSim(['--plan', 'enterprise', '--seed', '1'], root ? { root } : {});
  await placeOrders(sim, placed);
  const ids = await listOrderIds(sim);
  expectStatus(await api(sim, 'GET', `/v2/orders/${ids[ids.length - 1]}`), 200, `read an order from ${name} before the run`);
  return { sim, ids, target: { name, url: sim.url, pid: sim.pid, token: sim.token, path: (id) => `/stores/${sim.hash}/v2/orders/${id}` } };
}

async function main() {
  const sims: ChildSim[] = [];
  let prism: PrismProcess | undefined;
  try {
    const after = await setupSim('simulator');
    sims.push(after.sim);
    const before = beforeRoot ? await setupSim('simulator-before', beforeRoot) : undefined;
    if (before) sims.push(before.sim);
    prism = await startPrism();
    const ids = after.ids;
    const targets: Target[] = [after.target, { name: 'prism', url: prism.url, pid: prism.child.pid!, token: 'bench', path: (id) => `/orders/${id}` }, ...(before ? [before.target] : [])];
    log(`[prism-orders] ${ids.length} order ids; simulator pid ${after.sim.pid}${before ? `, simulator-before pid ${before.sim.pid} (${beforeRoot})` : ''}, prism pid ${prism.child.pid} (${prism.url})`);

    for (const t of targets) {
      log(`[prism-orders] warm-up ${t.name} ${warmup} s`);
      await drive(t, before && t === before.target ? before.ids : ids, warmup);
    }
    const results: Round[] = [];
    for (let r = 1; r <= rounds; r++) {
      for (const t of targets) {
        const cpu = cpuWindow({ server: t.pid, loadGenerator: process.pid });
        const serverCpu0 = processCpuSeconds(t.pid);
        const res = await drive(t, before && t === before.target ? before.ids : ids, duration);
        const used = cpu();
        const serverCpu1 = processCpuSeconds(t.pid);
        const row: Round = {
          target: t.name,
          round: r,
          rps: round(res.requests.average, 0),
          requests: res.requests.total,
          latencyMs: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max },
          non2xx: res.non2xx,
          errors: res.errors,
          timeouts: res.timeouts,
          serverCpuUsPerRequest: serverCpu0 !== undefined && serverCpu1 !== undefined && res.requests.total > 0 ? round(((serverCpu1 - serverCpu0) * 1e6) / res.requests.total, 0) : null,
          cpu: used,
        };
        results.push(row);
        log(`[prism-orders] round ${r} ${t.name}: ${row.rps} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}; server ${row.cpu.server} cores (${row.serverCpuUsPerRequest} us CPU/request), other ${row.cpu.otherCores}`);
      }
    }
    const summary = Object.fromEntries(
      targets.map((t) => {
        const mine = results.filter((x) => x.target === t.name);
        return [t.name, { bestRps: Math.max(...mine.map((x) => x.rps)), medianRps: median(mine.map((x) => x.rps)), bestP99: Math.min(...mine.map((x) => x.latencyMs.p99)), medianP99: median(mine.map((x) => x.latencyMs.p99)), medianP50: median(mine.map((x) => x.latencyMs.p50)), medianCpuUsPerRequest: median(mine.map((x) => x.serverCpuUsPerRequest ?? Number.NaN)) }];
      }),
    );
    // The ratio per round pairs each simulator round with the Prism round right after it.
    const pairRatios = Array.from({ length: rounds }, (_, i) => {
      const s = results.find((x) => x.target === 'simulator' && x.round === i + 1)!;
      const p = results.find((x) => x.target === 'prism' && x.round === i + 1)!;
      return round(s.rps / p.rps, 2);
    });
    const out = {
      name: 'prism-orders',
      connections,
      durationS: duration,
      rounds,
      orders: ids.length,
      prism: { version: '5.14', spec: 'orders.v2.oas2.yml (shared/bigcommerce-specs/current)', command: 'prism mock -v error' },
      results,
      summary,
      ratio: { medianRps: round(summary.simulator!.medianRps / summary.prism!.medianRps, 2), bestRps: round(summary.simulator!.bestRps / summary.prism!.bestRps, 2), perRound: pairRatios },
      ...(before ? { beforeRoot, beforeVsAfterMedianRps: round(summary.simulator!.medianRps / summary['simulator-before']!.medianRps, 2) } : {}),
      target: { ratio: 3, p99Ms: 20 },
      cpu: { otherCoresMax: Math.max(...results.map((x) => x.cpu.otherCores ?? 0)) },
    };
    log(`[prism-orders] simulator median ${summary.simulator!.medianRps} req/s (p99 ${summary.simulator!.medianP99} ms), prism median ${summary.prism!.medianRps} req/s (p99 ${summary.prism!.medianP99} ms): ratio ${out.ratio.medianRps}`);
    report(out);
  } finally {
    await prism?.stop();
    for (const s of sims) await s.close();
  }
}

await main();
