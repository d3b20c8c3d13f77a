/**
 * Benchmark 2: webhook deliveries per second to a local receiver.
 *
 * The simulator runs in its own process (the `bc-harness sim --json` CLI, Enterprise plan, real
 * time scale); this process runs a plain node:http receiver that answers 200. Ten hooks on
 * `store/order/created` with distinct paths (the platform allows one hook per scope and
 * destination, ten per scope), then shopper orders through the control plane in batches: every
 * order is ten callbacks. The clock starts before the first batch and stops when the N-th callback
 * has arrived; afterwards `GET /__sim/webhooks/pending` must drain to 0.
 *
 * Env: BENCH_DELIVERIES (default 20000), BENCH_HOOKS (10), BENCH_BATCH (orders per control-plane
 * call, 100), BENCH_DEADLINE (s, default 60; the rate is then what arrived by the deadline),
 * BENCH_PROFILE_DIR (server --cpu-prof output), BENCH_NAME (result name).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, control, cpuWindow, expectStatus, log, report, round, spawnSim } from './lib.ts';

const target = Number(process.env.BENCH_DELIVERIES ?? 20_000);
const hookCount = Number(process.env.BENCH_HOOKS ?? 10);
const batch = Number(process.env.BENCH_BATCH ?? 100);
const deadlineS = Number(process.env.BENCH_DEADLINE ?? 60);

async function main() {
  // ----- receiver -----
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  let doneAt = 0;
  let badBodies = 0;
  const perPath = new Map<string, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  const perSecond: number[] = [];
  let onTarget: () => void = () => {};
  const reached = new Promise<void>((resolve) => (onTarget = resolve));
  let t0 = 0;

  const receiver = createServer({ keepAliveTimeout: 30_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('OK');
      const now = performance.now();
      received++;
      if (received === 1) firstAt = now;
      lastAt = now;
      if (t0 > 0) {
        const s = Math.floor((now - t0) / 1000);
        perSecond[s] = (perSecond[s] ?? 0) + 1;
      }
      perPath.set(req.url ?? '', (perPath.get(req.url ?? '') ?? 0) + 1);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { scope: string; hash: string };
        const key = `${req.url} ${body.hash}`;
        if (seen.has(key)) duplicates++;
        else seen.add(key);
      } catch {
        badBodies++;
      }
      if (received === target) {
        doneAt = now;
        onTarget();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  // ----- simulator -----
  const sim = await spawnSim(['--plan', 'enterprise', '--seed', '1'], process.env.BENCH_PROFILE_DIR ? { cpuProfDir: process.env.BENCH_PROFILE_DIR } : {});
  try {
    for (let i = 0; i < hookCount; i++) {
      const res = await api(sim, 'POST', '/v3/hooks', { scope: 'store/order/created', destination: `${receiverUrl}/hook/${i}`, is_active: true });
      expectStatus(res, 200, `create hook ${i}`);
    }
    const orders = Math.ceil(target / hookCount);
    log(`[webhooks] ${hookCount} hooks -> ${receiverUrl}; placing ${orders} orders in batches of ${batch} for ${target} callbacks (server pid ${sim.pid})`);

    const cpu = cpuWindow({ server: sim.pid, receiverAndDriver: process.pid });
    t0 = performance.now();
    let placedAt = 0;
    let maxPending = 0;
    const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), deadlineS * 1000).unref());
    const place = (async () => {
      for (let done = 0; done < orders; done += batch) {
        const res = await control(sim, 'POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: Math.min(batch, orders - done) });
        expectStatus(res, 201, 'place shopper orders');
      }
      placedAt = performance.now();
      const p = await control(sim, 'GET', '/webhooks/pending');
      maxPending = Math.max(maxPending, p.body.pending as number);
    })();
    const outcome = await Promise.race([reached.then(() => 'reached' as const), deadline]);
    await place;
    const cpuUse = cpu();
    const endAt = outcome === 'reached' ? doneAt : performance.now();

    // The queue must drain: nothing queued, in flight or waiting for a retry.
    const drainStart = performance.now();
    let pending = -1;
    let denylisted: unknown[] = [];
    const drainLimitMs = outcome === 'reached' ? 15_000 : 5_000;
    while (performance.now() - drainStart < drainLimitMs) {
      const res = await control(sim, 'GET', '/webhooks/pending');
      pending = res.body.pending as number;
      denylisted = res.body.denylisted as unknown[];
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const drainMs = performance.now() - drainStart;

    const seconds = (endAt - t0) / 1000;
    const steady = perSecond.slice(1, Math.max(1, Math.floor(seconds))).filter((n) => n !== undefined);
    const out = {
      name: process.env.BENCH_NAME ?? 'webhooks',
      outcome,
      hooks: hookCount,
      orders,
      target,
      received,
      seconds: round(seconds, 2),
      deliveriesPerSecond: round(received / seconds, 0),
      firstToLastPerSecond: received > 1 ? round((received - 1) / ((lastAt - firstAt) / 1000), 0) : null,
      perSecondSamples: perSecond.map((n) => n ?? 0),
      steadyStateMedianPerSecond: steady.length > 0 ? [...steady].sort((a, b) => a - b)[Math.floor(steady.length / 2)] : null,
      placeOrdersSeconds: placedAt > 0 ? round((placedAt - t0) / 1000, 2) : null,
      pendingWhenAllPlaced: maxPending,
      pendingAfter: pending,
      drainMs: round(drainMs, 0),
      denylisted: denylisted.length,
      duplicates,
      badBodies,
      perHookMin: Math.min(...perPath.values()),
      perHookMax: Math.max(...perPath.values()),
      cpu: cpuUse,
      targetPerSecond: 2000,
    };
    log(`[webhooks] ${out.received} callbacks in ${out.seconds} s = ${out.deliveriesPerSecond}/s; orders placed in ${out.placeOrdersSeconds} s; pending after: ${pending}`);
    report(out);
  } finally {
    await sim.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

await main();
