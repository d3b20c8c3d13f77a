/**
 * Benchmark 1: authenticated `GET /stores/{hash}/v2/orders/{id}` throughput and latency at 50
 * connections, on the Enterprise plan without a configured quota (quota accounting runs on every
 * request, nothing is refused). The order id varies across every seeded and placed order.
 *
 *   node --import tsx bench/http-orders.ts inprocess   # simulator in this process with autocannon
 *   node --import tsx bench/http-orders.ts child       # simulator in its own process (the CLI)
 *   node --import tsx bench/http-orders.ts https       # the same over HTTPS (`sim --tls`), as
 *                                                      # https://api.bigcommerce.com (SNI and Host)
 *
 * Env: BENCH_DURATION (s, default 15), BENCH_WARMUP (s, default 3), BENCH_CONNECTIONS (50),
 * BENCH_ORDERS (placed on top of the 50 seeded, default 2000), BENCH_PROFILE_DIR (child mode:
 * write the server's --cpu-prof profile there).
 */
import autocannon from 'autocannon';
import { api, control, cpuWindow, expectStatus, listOrderIds, log, placeOrders, report, round, spawnSim, startInProcess, type SimTarget } from './lib.ts';

const mode = process.argv[2] === 'child' ? 'child' : process.argv[2] === 'https' ? 'https' : 'inprocess';
const duration = Number(process.env.BENCH_DURATION ?? 15);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const placed = Number(process.env.BENCH_ORDERS ?? 2000);

async function main() {
  const seed = 1;
  const sim: SimTarget =
    mode === 'inprocess'
      ? await startInProcess({ plan: 'enterprise', seed })
      : await spawnSim(['--plan', 'enterprise', '--seed', String(seed), ...(mode === 'https' ? ['--tls'] : [])], process.env.BENCH_PROFILE_DIR ? { cpuProfDir: process.env.BENCH_PROFILE_DIR } : {});
  if (mode === 'https' && !sim.httpsUrl) throw new Error('Failed to benchmark HTTPS: the simulator printed no httpsUrl (started with --tls).');
  try {
    await placeOrders(sim, placed);
    const ids = await listOrderIds(sim);
    log(`[http ${mode}] ${ids.length} orders (seeded + placed); server pid ${sim.pid}`);

    // Connection k cycles through the ids i with i % connections == k: together the connections
    // read every order, and no two ask for the same one. Request buffers are encoded once, when
    // the clients are set up, so the load generator only writes prepared bytes.
    const path = (id: number) => `/stores/${sim.hash}/v2/orders/${id}`;
    // Over HTTPS the client asks for the platform's name, as an unchanged integration does (autocannon
    // does not verify the certificate; the handshake and the encryption are what is measured).
    const headers = { 'x-auth-token': sim.token, accept: 'application/json', ...(mode === 'https' ? { host: 'api.bigcommerce.com' } : {}) };
    const slices = Array.from({ length: connections }, (_, k) => ids.filter((_, i) => i % connections === k).map((id) => ({ method: 'GET' as const, path: path(id), headers })));
    const runOnce = (seconds: number) => {
      let client = 0;
      return autocannon({
        url: mode === 'https' ? sim.httpsUrl! : sim.url,
        ...(mode === 'https' ? { servername: 'api.bigcommerce.com' } : {}),
        connections,
        duration: seconds,
        headers,
        requests: [{ method: 'GET', path: path(ids[0]!) }],
        setupClient: (c) => c.setRequests(slices[client++ % connections]!),
      });
    };

    const probe = await api(sim, 'GET', `/v2/orders/${ids[ids.length - 1]}`);
    expectStatus(probe, 200, 'read an order before the run');

    log(`[http ${mode}] warm-up ${warmup} s`);
    await runOnce(warmup);
    const quotaBefore = await control(sim, 'GET', `/stores/${sim.hash}/quota`);
    const usedBefore = sumUsed(quotaBefore.body);
    log(`[http ${mode}] measuring ${duration} s at ${connections} connections`);
    const cpu = cpuWindow(mode !== 'inprocess' ? { server: sim.pid, loadGenerator: process.pid } : { serverAndLoadGenerator: process.pid });
    const t0 = performance.now();
    const result = await runOnce(duration);
    const elapsed = (performance.now() - t0) / 1000;
    const cpuUse = cpu();
    const quotaAfter = await control(sim, 'GET', `/stores/${sim.hash}/quota`);
    const usedAfter = sumUsed(quotaAfter.body);

    const status = result.statusCodeStats as unknown as Record<string, { count: number }>;
    const statusCounts = Object.fromEntries(Object.entries(status ?? {}).map(([k, v]) => [k, v.count]));
    const out = {
      name: `http-orders-${mode}`,
      mode,
      connections,
      durationS: round(elapsed, 2),
      orders: ids.length,
      requests: result.requests.total,
      // autocannon's "Req/Sec" average: the mean of its one-second samples.
      rps: round(result.requests.average, 0),
      rpsTotalOverDuration: round(result.requests.total / result.duration, 0),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.average, 2) },
      throughputMBps: round(result.throughput.average / 2 ** 20, 1),
      statusCounts,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      quotaCounted: usedAfter - usedBefore,
      // In cores (1.0 = one core). In-process, server and load generator share one event loop.
      cpu: cpuUse,
      target: 5000,
    };
    log(`[http ${mode}] ${out.rps} req/s, p50 ${out.latencyMs.p50} ms, p99 ${out.latencyMs.p99} ms, non-2xx ${out.non2xx}, errors ${out.errors}`);
    report(out);
  } finally {
    await sim.close();
  }
}

function sumUsed(body: { windows?: { used: number }[] } | undefined): number {
  return (body?.windows ?? []).reduce((s, w) => s + w.used, 0);
}

await main();
