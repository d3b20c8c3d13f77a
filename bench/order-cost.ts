/**
 * The orchestrator's CPU per order placed (issue 15), without the rest of a UAT: a simulator in
 * this process, as in a UAT run (its ledger on disk), and one child process that plays both the
 * load runner and the engine: it places shopper orders through the control plane, one per call,
 * and its receiver answers every webhook 200 and reads the order back (`GET /v2/orders/{id}`) on
 * `store/order/created`. So this process's `process.cpuUsage()` over the window is what one order
 * costs the simulator: the control-plane call, generating the order, its ledger lines, the
 * webhooks it raises and their deliveries, and one API read. More repeatable than the whole run
 * (`bench/uat-profile.ts`), whose per-order figure carries the run's per-time work.
 *
 *   node --import tsx bench/order-cost.ts [--orders=2000] [--concurrency=8] [--cpu-prof]
 *
 * The hooks are the reference engine's kind: one per scope family (orders, carts, products, SKUs,
 * customers), to one receiver. A warm-up of 200 orders runs before the window (JIT, pools).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createLedger } from '../lib/ledger.ts';
import { startSimulator } from '../simulator/index.ts';
import { log, machineJiffies, report, RESULTS_DIR, round } from './lib.ts';

const SCOPES = ['store/order/*', 'store/cart/*', 'store/product/*', 'store/sku/*', 'store/customer/*'];
const WARM_UP = 200;

function config() {
  const flags = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !['orders', 'concurrency', 'cpu-prof'].includes(m[1]!)) {
      console.error(`Unknown argument ${a}: use --orders=N, --concurrency=N, --cpu-prof.`);
      process.exit(2);
    }
    flags.set(m[1]!, m[2] ?? '1');
  }
  const positive = (name: string, fallback: number) => {
    const n = Number(flags.get(name) ?? fallback);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--${name} must be a whole number >= 1; got "${flags.get(name)}".`);
      process.exit(2);
    }
    return n;
  };
  return { orders: positive('orders', 2000), concurrency: positive('concurrency', 8), cpuProf: flags.has('cpu-prof') };
}

/**
 * The child: a receiver that answers 200 (and reads the order on store/order/created), and a
 * placer driven by lines on stdin ("place N"), answering "placed N" when every call returned 201.
 */
const CHILD = `
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
const { simUrl, hash, token, controlToken, concurrency } = JSON.parse(process.argv[1]);
let reads = 0;
const receiver = createServer({ keepAliveTimeout: 30000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('OK');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.scope !== 'store/order/created') return;
    reads++;
    fetch(simUrl + '/stores/' + hash + '/v2/orders/' + body.data.id, { headers: { 'x-auth-token': token, accept: 'application/json' } })
      .then((r) => r.arrayBuffer()).catch(() => undefined).finally(() => reads--);
  });
});
receiver.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ receiverUrl: 'http://127.0.0.1:' + receiver.address().port })));
const place = async () => {
  const r = await fetch(simUrl + '/__sim/stores/' + hash + '/orders', { method: 'POST', headers: { authorization: 'Bearer ' + controlToken, 'content-type': 'application/json' }, body: '{"profile":"typical","count":1}' });
  await r.arrayBuffer();
  if (r.status !== 201) throw new Error('placing an order answered ' + r.status);
};
createInterface({ input: process.stdin }).on('line', async (line) => {
  const n = Number(line.split(' ')[1]);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) { next++; await place(); } }));
  while (reads > 0) await new Promise((r) => setTimeout(r, 5));
  console.log('placed ' + n);
});
`;

async function main() {
  const c = config();
  const dir = mkdtempSync(join(tmpdir(), 'bc-order-cost-'));
  const ledger = createLedger({ path: join(dir, 'ledger.jsonl') });
  const running = await startSimulator({ port: 0, host: '127.0.0.1', plan: 'enterprise', seed: 1, timeScale: 1, ledger });
  const store = [...running.sim.stores.values()][0]!;
  const account = store.accounts[0]!;
  const deliveries = { delivered: 0, other: 0 };
  running.sim.bus.on('webhook:attempt', (e) => (e.outcome === 'delivered' ? deliveries.delivered++ : deliveries.other++));

  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, JSON.stringify({ simUrl: running.url, hash: store.info.hash, token: account.accessToken, controlToken: running.sim.controlToken, concurrency: c.concurrency })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The order-cost child exited (code ${code}).`)));
  });
  const { receiverUrl } = JSON.parse(await nextLine()) as { receiverUrl: string };
  for (const scope of SCOPES) store.createHook(account.clientId, { scope, destination: `${receiverUrl}/webhooks`, is_active: true });

  // Placed, delivered and read: the child says "placed" once its reads are back; then the deliveries drain.
  const placeAndDrain = async (n: number) => {
    child.stdin!.write(`place ${n}\n`);
    const answer = await nextLine();
    if (answer !== `placed ${n}`) throw new Error(`The order-cost child answered "${answer}".`);
    while (running.sim.dispatcher.pending() > 0) await new Promise((r) => setTimeout(r, 2));
  };

  try {
    log(`[order-cost] warming up with ${WARM_UP} orders, then ${c.orders} orders at concurrency ${c.concurrency}; ${SCOPES.length} hooks -> ${receiverUrl}`);
    await placeAndDrain(WARM_UP);
    const lines0 = ledger.count;
    const delivered0 = deliveries.delivered;
    let session: Session | undefined;
    if (c.cpuProf) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const m0 = machineJiffies();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await placeAndDrain(c.orders);
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    const m1 = machineJiffies();
    let profile: string | undefined;
    if (session) {
      const out = (await session.post('Profiler.stop')).profile;
      session.disconnect();
      mkdirSync(join(RESULTS_DIR, 'profiles'), { recursive: true });
      profile = join(RESULTS_DIR, 'profiles', `order-cost-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      writeFileSync(profile, JSON.stringify(out));
    }
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const machineCores = m0 && m1 && m1.total > m0.total ? round(((m1.busy - m0.busy) / (m1.total - m0.total)) * 2, 2) : null;
    report({
      name: 'order-cost',
      orders: c.orders,
      concurrency: c.concurrency,
      hooks: SCOPES.length,
      cpuMsPerOrder: round(cpuMs / c.orders, 2),
      userMsPerOrder: round(cpu.user / 1000 / c.orders, 2),
      systemMsPerOrder: round(cpu.system / 1000 / c.orders, 2),
      deliveriesPerOrder: round((deliveries.delivered - delivered0) / c.orders, 2),
      failedAttempts: deliveries.other,
      ledgerLinesPerOrder: round((ledger.count - lines0) / c.orders, 1),
      wallSeconds: round(wall, 1),
      machineCores,
      ...(profile ? { profile } : {}),
    });
  } finally {
    child.kill();
    await running.close();
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
