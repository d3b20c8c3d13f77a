/**
 * Issue 12: published BigCommerce clients, unchanged, against the simulator the way a user runs
 * them: `bc-harness run --sim sim.json -- node script.cjs` for node-bigcommerce 4.1.0 (an API
 * script, and an app whose install handler calls its `authorize()` at login.bigcommerce.com) and
 * @space48/bigcommerce-api (both hard-code https://api.bigcommerce.com and retry 429s their own way),
 * and `bc-harness uat` for a Python integration on urllib.request alone. What each returned is
 * checked against the store's state through the simulator's plain HTTP API, and the 429s and the
 * routes against the simulator's ledger: the clients' own code, host names and retries are what
 * is exercised, not a stand-in.
 *
 * The simulator runs at 10x rather than on the manual clock: node-bigcommerce sleeps X-Retry-After
 * real seconds, which the simulator gives in real units (at most 3 s for a 30 s window at 10x), so its
 * retries cost seconds, not the half minute of the platform's window.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyLine, startFromFlags } from '../../src/cli/commands/sim.ts';
import type { RunningSimulator } from '../../simulator/http/server.ts';
import { call } from '../support/simulator.ts';
import { cleanupTempDirs, expectVerdictOrInconclusive, runUat, tempDir } from '../uat/support/run-uat.ts';

const BIN = join(process.cwd(), 'bin/bc-harness.js');
const FIXTURES = join(process.cwd(), 'test/intercept/fixtures');
const dir = tempDir('bc-real-clients-');
const readyFile = join(dir, 'sim.json');
let running: RunningSimulator;
let ready: ReturnType<typeof readyLine>;

beforeAll(async () => {
  // Two stores, one per client: the quota is per store, so one client's burst leaves the other's alone.
  running = await startFromFlags({ port: 0, host: '127.0.0.1', plan: 'standard', seed: 12, timeScale: 10, stores: 2, products: 20, customers: 10, pastOrders: 8, tls: true, runDir: join(dir, 'run') });
  ready = readyLine(running);
  writeFileSync(readyFile, `${JSON.stringify(ready)}\n`);
}, 30_000);

afterAll(async () => {
  await running?.close();
  cleanupTempDirs();
});

interface LedgerRequest {
  kind: string;
  store: string;
  method: string;
  path: string;
  status: number;
  via: string;
}

async function apiRequests(store: string): Promise<LedgerRequest[]> {
  const res = await call(`${ready.url}/__sim/ledger?kinds=api:request`, 'GET', { authorization: `Bearer ${ready.controlToken}` });
  return res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LedgerRequest).filter((e) => e.store === store);
}

/** The store's own answer over plain HTTP, not through the client under test. */
async function storeApi(hash: string, path: string) {
  const store = ready.stores.find((s) => s.hash === hash)!;
  return (await call(`${ready.url}/stores/${hash}${path}`, 'GET', { 'x-auth-token': store.accessToken })).body;
}

/** `bc-harness run --sim <ready file> --store HASH -- node SCRIPT`, as a user would type it. */
function runArgs(store: string, script: string, extraEnv: Record<string, string>) {
  const env = { ...process.env, ...extraEnv };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'BC_HARNESS_SIM']) delete env[k];
  return { args: [BIN, 'run', '--sim', readyFile, '--store', store, '--', process.execPath, join(FIXTURES, script)], env };
}

function harnessRun(store: string, script: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { args, env } = runArgs(store, script, extraEnv);
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('node-bigcommerce 4.1.0, unchanged', () => {
  it('lists and updates orders, products, customers, inventory and hooks, and carries 200 parallel requests on Standard with its own 429 retry', async () => {
    const hash = ready.stores[0]!.hash;
    // The client's own debug log says each time it meets a 429 and will retry.
    const before = (await apiRequests(hash)).length;
    const out = await harnessRun(hash, 'node-bigcommerce-client.cjs', { DEBUG: 'node-bigcommerce:request', BURST: '200' });
    // The client's requests, before this test reads the store itself over HTTP.
    const requests = (await apiRequests(hash)).slice(before);
    const result = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
    expect(out.code, out.stderr.slice(-2000)).toBe(0);

    // Orders: listed, one updated to Shipped, the store agrees.
    expect(result.ordersListed).toHaveLength(5);
    expect(result.orderUpdated).toMatchObject({ status_id: 2, status: 'Shipped' });
    expect(result.orderReadBack).toBe(2);
    expect((await storeApi(hash, `/v2/orders/${result.orderUpdated.id}`)).status_id).toBe(2);
    // Hooks: created, listed, delivered the order update to its loopback receiver, deleted.
    expect(result.hookCreated).toMatchObject({ scope: 'store/order/updated', is_active: true });
    expect(result.hooksListed).toContain(result.hookCreated.id);
    expect(result.hookDelivery).toEqual({ scope: 'store/order/updated', id: result.orderUpdated.id });
    expect(result.hooksAfterDelete).not.toContain(result.hookCreated.id);
    // Products: the new price is the store's.
    expect(result.productUpdated.price).toBe(result.productPriceSent);
    expect((await storeApi(hash, `/v3/catalog/products/${result.productUpdated.id}`)).data.price).toBe(result.productPriceSent);
    expect(result.customersListed).toHaveLength(3);
    for (const c of result.customersListed) expect(c.email).toMatch(/@/);
    // Inventory: 40 absolute, then 3 sold relative.
    expect(result.inventory).toMatchObject({ absolute: 'string', relative: 'string', level: 37 });
    expect((await storeApi(hash, `/v3/catalog/variants?id:in=${result.inventory.variantId}`)).data[0].inventory_level).toBe(37);

    // The burst: every one of the 200 succeeded, after 429s the simulator really sent, each retried once by the client.
    expect(result.burst).toMatchObject({ sent: 200, succeeded: 200, failed: 0 });
    const counts = requests.filter((r) => r.path.endsWith('/v2/orders/count'));
    const limited = counts.filter((r) => r.status === 429).length;
    // It sleeps X-Retry-After seconds: a missing or zero header would have it hammer the window.
    const waits = [...out.stderr.matchAll(/You have reached the rate limit for the BigCommerce API, we will retry again in (\d+) seconds/g)].map((m) => Number(m[1]));
    const retries = waits.length;
    expect(limited).toBeGreaterThan(0);
    expect(retries).toBe(limited);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1);
    expect(counts.filter((r) => r.status === 200)).toHaveLength(200);
    expect(counts).toHaveLength(200 + limited);
    // Every request of the client came over HTTPS for api.bigcommerce.com (Node's https ignores
    // HTTPS_PROXY: the preload carried them), none over the HTTP URL.
    expect(requests.length).toBeGreaterThan(200);
    expect(requests.every((r) => r.via === 'https')).toBe(true);
    expect(out.stderr).toMatch(/\[run\] proxy: tunnels none; forwarded none; refused none/);
    console.log(`node-bigcommerce 4.1.0: ${JSON.stringify({ ...result, burst: { ...result.burst, simulator429s: limited, clientRetries: retries, retryAfterSeconds: [...new Set(waits)] } })}`);
  }, 120_000);
});

describe('node-bigcommerce 4.1.0 as a single-click app', () => {
  it('exchanges the install code at https://login.bigcommerce.com/oauth2/token with authorize() and calls the API with the token', async () => {
    const hash = ready.stores[1]!.hash;
    const clientId = `nbc-app-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(24).toString('hex');
    const { args, env } = runArgs(hash, 'node-bigcommerce-app.cjs', { APP_CLIENT_ID: clientId, APP_CLIENT_SECRET: clientSecret });
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = once(child, 'exit');
    try {
      const { appUrl } = JSON.parse((await lines.next()).value as string) as { appUrl: string };
      const control = (path: string, body: unknown) => call(`${ready.url}/__sim${path}`, 'POST', { authorization: `Bearer ${ready.controlToken}` }, body);
      expect((await control('/apps', { name: 'node-bigcommerce-app', clientId, clientSecret, appUrl, scopes: ['store_v2_orders_read_only', 'store_v2_products'] })).status).toBe(201);
      const install = await control(`/stores/${hash}/apps/${clientId}/install`, {});
      const result = JSON.parse((await lines.next()).value as string);
      expect(install.body, `${JSON.stringify(result)} ${stderr}`).toMatchObject({ installed: true, callback: { callback: 'auth', status: 200 } });
      expect(result).toEqual({ token: { context: `stores/${hash}`, scope: 'store_v2_orders_read_only store_v2_products', user: 'string', accessToken: 'string' }, ordersCount: (await storeApi(hash, '/v2/orders/count')).count });
      const [code] = await exited;
      expect(code).toBe(0);
      const tokens = (await call(`${ready.url}/__sim/ledger?kinds=app:token`, 'GET', { authorization: `Bearer ${ready.controlToken}` })).text.trim().split('\n').map((l) => JSON.parse(l));
      expect(tokens.filter((t) => t.clientId === clientId)).toEqual([expect.objectContaining({ outcome: 'issued', store: hash })]);
      console.log(`node-bigcommerce 4.1.0 authorize(): ${JSON.stringify({ ...result, token: { ...result.token, scope: `${result.token.scope.split(' ').length} scopes` } })}`);
    } finally {
      child.kill();
    }
  }, 60_000);
});

describe('@space48/bigcommerce-api, unchanged', () => {
  it('lists and reads orders, pages through every product, reads and updates one', async () => {
    const hash = ready.stores[1]!.hash;
    const before = (await apiRequests(hash)).length;
    const out = await harnessRun(hash, 'space48-client.cjs');
    const requests = (await apiRequests(hash)).slice(before);
    expect(out.code, out.stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
    const count = (await storeApi(hash, '/v2/orders/count')).count;
    expect(result.orderCount).toBe(count);
    expect(result.ordersListed).toHaveLength(5);
    expect(result.ordersListed.map((o: { id: number }) => o.id)).toEqual([...result.ordersListed.map((o: { id: number }) => o.id)].sort((a, b) => b - a));
    for (const o of result.ordersListed) expect(o.total_inc_tax).toMatch(/^\d+\.\d{4}$/);
    expect(result.orderRead.id).toBe(result.ordersListed[0].id);
    // Its list() stops at the first empty page: 20 products over 3 pages of 7, no repeats.
    expect(result.productsPaged).toEqual({ count: 20, distinct: 20 });
    expect(result.productUpdated.price).toBe(result.productUpdated.sent);
    expect(result.productReadBack).toBe(result.productUpdated.sent);
    expect((await storeApi(hash, `/v3/catalog/products/${result.productRead.id}`)).data.price).toBe(result.productUpdated.sent);
    // A 404 is null to this client: the simulator's 404 must read as one.
    expect(result.missingProduct).toBeNull();
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(requests.every((r) => r.via === 'https')).toBe(true);
    console.log(`@space48/bigcommerce-api 0.3.1: ${JSON.stringify(result)}`);
  }, 120_000);
});

const pythonMissing = spawnSync('python3', ['--version']).status !== 0;
const PYTHON_TITLE = 'a Python integration on urllib.request with https://api.bigcommerce.com hard-coded runs under uat: its requests reach the simulator through the proxy and are judged';

describe('an unchanged Python integration under bc-harness uat', () => {
  it.skipIf(pythonMissing)(pythonMissing ? `SKIPPED, python3 is not on PATH: ${PYTHON_TITLE}` : PYTHON_TITLE, async () => {
    const out = join(tempDir(), 'run');
    const { exitCode, line } = await runUat(['--scenario', 'doorbuster', '--integration', `python3 ${join(FIXTURES, 'naive-order-sync.py')}`, '--time-scale', '30', '--volume-scale', '0.05', '--drain-quiet', '5m'], { out });
    expect(line.error, 'the harness itself failed').toBeUndefined();
    console.log(`Python (urllib) integration, uat doorbuster: exit ${exitCode} ${JSON.stringify({ verdict: line.verdict, reason: line.reason, criteria: line.criteria.map((c) => `${c.id}=${c.value}`) })}`);

    // Judged: a verdict on every order criterion; what no busy machine can cause holds either way.
    const faithful = expectVerdictOrInconclusive(line, 'pass');
    expect(exitCode).toBe(faithful ? 0 : 3);
    const value = (measure: string) => line.criteria.find((c) => c.measure === measure)?.value;
    expect(value('orders.correct')).toBeGreaterThan(0);
    expect(value('orders.corrupted')).toBe(0);
    expect(value('orders.duplicated')).toBe(0);

    // It got there through the harness's proxy and nothing else: urllib honours HTTPS_PROXY and
    // OpenSSL trusts SSL_CERT_FILE; Python has no preload and was given no HTTP URL it used.
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.intercept.requests.proxy).toBeGreaterThan(0);
    expect(run.intercept.requests).toMatchObject({ preload: 0, direct: 0 });
    expect(run.intercept.proxyStats.tunnels).toEqual({ 'api.bigcommerce.com:443': run.intercept.requests.proxy });
    expect(run.intercept.proxyStats.refused).toEqual({});
    expect(run.intercept.tlsFailures.handshakes, run.notes.join('\n')).toBe(0);
    expect(run.notes.join('\n')).toMatch(new RegExp(`Management API requests by route: ${run.intercept.requests.proxy} through the harness's proxy`));
    const log = readFileSync(join(out, 'integration.log'), 'utf8');
    expect(JSON.parse(log.split('\n').find((l) => l.startsWith('{'))!)).toMatchObject({ api: expect.stringMatching(/^https:\/\/api\.bigcommerce\.com\/stores\//) });
    // Its ERP writes are in the journal the verifier read.
    const writes = readFileSync(join(out, 'journal-erp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number });
    expect(writes.filter((w) => w.status === 200 || w.status === 201).length).toBeGreaterThanOrEqual(value('orders.correct')!);
  }, 180_000);
});
