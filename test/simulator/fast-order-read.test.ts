/**
 * The fast single-order read (simulator/http/fast-order-read.ts, issue 15) answers
 * `GET|HEAD /stores/{hash}/v2/orders/{id}` ahead of express, and must be indistinguishable from
 * the express pipeline. Each case sends the same request to two simulators built from the same
 * seed, one with the fast path and one without (`fastOrderRead: false`: express only), and
 * compares everything a client or a report can see: status, header names, values and order
 * (all but Date), body bytes, the ledger lines the request wrote (all but the wall-time duration
 * and the client's port) and the store's quota windows. The fast path's counter says which cases
 * it answered, so a fast path that always bails fails the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, tapLedger, type LedgerEntry } from '../../lib/ledger.ts';
import { faultPlanSchema, type FaultPlanInput } from '../../simulator/domain/faults.ts';
import type { Store } from '../../simulator/domain/store.ts';
import { prepareTls, SERVED_NAMES } from '../../src/intercept/certificates.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';

interface Side {
  sim: TestSim;
  store: Store;
  entries: LedgerEntry[];
}

interface Seen {
  status: number;
  /** Raw header lines in wire order, without Date. */
  headers: string[];
  body: Buffer;
  /** Ledger lines the request wrote, without durationMs and peerPort. */
  ledger: Record<string, unknown>[];
  quota: unknown;
}

let sides: Side[] = [];
let tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(sides.map((s) => s.sim.close()));
  sides = [];
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

type Tls = Awaited<ReturnType<typeof prepareTls>>;

async function startSide(fast: boolean, plan: 'standard' | 'enterprise', tls: Tls | undefined): Promise<Side> {
  const entries: LedgerEntry[] = [];
  const ledger = tapLedger(createLedger(), (e) => entries.push(e));
  const sim = await startTestSim({ plan, deterministicTokens: true, ledger, fastOrderRead: fast, ...(tls ? { tls: { cert: tls.server.certPem, key: tls.server.keyPem, serverNames: SERVED_NAMES } } : {}) });
  return { sim, store: sim.running.sim.store(sim.hash)!, entries };
}

/** Two simulators from the same seed: [with the fast path, express only]; with `tls`, each also serves HTTPS. */
async function startPair(plan: 'standard' | 'enterprise' = 'enterprise', withTls = false): Promise<[Side, Side]> {
  let tls: Tls | undefined;
  if (withTls) {
    const dir = mkdtempSync(join(tmpdir(), 'bc-harness-fast-read-'));
    tempDirs.push(dir);
    tls = await prepareTls({ dir });
  }
  const pair: [Side, Side] = [await startSide(true, plan, tls), await startSide(false, plan, tls)];
  sides.push(...pair);
  expect(pair[0].sim.running.fastOrderRead, 'the first side has the fast path').toBeDefined();
  expect(pair[1].sim.running.fastOrderRead, 'the second side is express only').toBeUndefined();
  expect(pair[0].sim.hash).toBe(pair[1].sim.hash);
  expect(pair[0].sim.token).toBe(pair[1].sim.token);
  return pair;
}

/** One request over a fresh connection (HTTPS as the platform's name with `https`), seen byte for byte. */
function send(side: Side, method: string, path: string, headers: Record<string, string>, https = false): Promise<Seen> {
  const before = side.entries.length;
  const url = new URL(https ? side.sim.running.httpsUrl! : side.sim.url);
  return new Promise((resolve, reject) => {
    // The same Host on both sides: the order's links are built from it.
    const options = { host: url.hostname, port: url.port, method, path, headers: { host: https ? 'api.bigcommerce.com' : 'simulator.test', ...headers }, agent: false };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() !== 'date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        // The ledger line is written on the server's `finish`, which can come after the client has
        // the whole response: wait for the server's side of this one request, then read.
        setImmediate(() => {
          const ledger = side.entries.slice(before).map((e) => {
            const { durationMs: _d, peerPort: _p, ...rest } = e as LedgerEntry & { durationMs?: number; peerPort?: number };
            return rest;
          });
          resolve({ status: res.statusCode!, headers: lines, body: Buffer.concat(chunks), ledger, quota: side.store.quota.history() });
        });
      });
    };
    // The certificate's trust is not what is tested here (test/intercept covers it).
    const req = https ? httpsRequest({ ...options, servername: 'api.bigcommerce.com', rejectUnauthorized: false }, onResponse) : request(options, onResponse);
    req.on('error', reject);
    req.end();
  });
}

const answered = (side: Side): number => side.sim.running.fastOrderRead!.answered;

/**
 * Send the request to both sides, expect them to see the same, and return what the fast side saw.
 * `fast` says whether the fast path must have answered it (true) or left it to express (false).
 */
async function expectSame(pair: [Side, Side], method: string, path: string, headers: Record<string, string>, fast: boolean, https = false): Promise<Seen> {
  const [withFast, expressOnly] = pair;
  const count = answered(withFast);
  const a = await send(withFast, method, path, headers, https);
  const b = await send(expressOnly, method, path, headers, https);
  expect(answered(withFast) - count, `${method} ${path} ${fast ? 'answered by' : 'left untouched by'} the fast path`).toBe(fast ? 1 : 0);
  expect(a.status, `${method} ${path}: status`).toBe(b.status);
  expect(a.headers, `${method} ${path}: headers`).toEqual(b.headers);
  expect(a.body.equals(b.body), `${method} ${path}: body bytes\n${a.body.toString()}\n---\n${b.body.toString()}`).toBe(true);
  expect(a.ledger, `${method} ${path}: ledger lines`).toEqual(b.ledger);
  expect(a.quota, `${method} ${path}: quota windows`).toEqual(b.quota);
  return a;
}

const firstOrderId = (side: Side): number => side.store.listOrders({ sort: { field: 'id', dir: 'asc' } })[0]!.order.id;

function setFaults(pair: [Side, Side], plan: FaultPlanInput): void {
  for (const side of pair) side.sim.running.sim.setFaults(faultPlanSchema.parse(plan));
}

describe('the fast single-order read', () => {
  it('answers a plain GET and HEAD exactly as express does, and charges the quota the same', async () => {
    const pair = await startPair();
    const path = `/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}`;
    const auth = { 'x-auth-token': pair[0].sim.token, accept: 'application/json' };
    const get = await expectSame(pair, 'GET', path, auth, true);
    expect(get.status).toBe(200);
    expect(JSON.parse(get.body.toString()).id).toBe(firstOrderId(pair[0]));
    expect(get.headers).toContain('Content-Type: application/json; charset=utf-8');
    expect(get.ledger).toEqual([expect.objectContaining({ kind: 'api:request', method: 'GET', path, status: 200, faults: [], via: 'http' })]);
    // The second read is served from the cache on both sides.
    await expectSame(pair, 'GET', path, auth, true);
    const head = await expectSame(pair, 'HEAD', path, auth, true);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers).toContain(`Content-Length: ${Buffer.byteLength(get.body)}`);
  });

  it('answers over HTTPS as express does, with https links and via https', async () => {
    const pair = await startPair('enterprise', true);
    const path = `/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}`;
    const seen = await expectSame(pair, 'GET', path, { 'x-auth-token': pair[0].sim.token }, true, true);
    expect(seen.status).toBe(200);
    expect(JSON.parse(seen.body.toString()).products.url).toBe(`https://api.bigcommerce.com/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}/products`);
    expect(seen.ledger).toEqual([expect.objectContaining({ kind: 'api:request', status: 200, via: 'https' })]);
  });

  it('answers a read-only token and a plan with renamed fields as express does', async () => {
    const pair = await startPair();
    const path = `/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}`;
    expect(pair[0].sim.readOnlyToken).not.toBe('');
    await expectSame(pair, 'GET', path, { 'x-auth-token': pair[0].sim.readOnlyToken }, true);
    setFaults(pair, { api: { renameFields: [{ resource: 'order', from: 'status', to: 'order_status' }] } });
    const renamed = await expectSame(pair, 'GET', path, { 'x-auth-token': pair[0].sim.token }, true);
    expect(JSON.parse(renamed.body.toString())).toHaveProperty('order_status');
  });

  it('answers the 429 over quota as express does', async () => {
    const pair = await startPair('standard');
    const path = `/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}`;
    const clientId = pair[0].store.accounts[0]!.clientId;
    // Use up the window's 150 requests on both sides the same way.
    for (const side of pair) while (side.store.quota.consume(clientId).allowed);
    const refused = await expectSame(pair, 'GET', path, { 'x-auth-token': pair[0].sim.token }, true);
    expect(refused.status).toBe(429);
    expect(refused.body.length).toBe(0);
    expect(refused.headers.some((h) => h.startsWith('X-Retry-After: '))).toBe(true);
    expect(refused.ledger.map((e) => e.kind)).toEqual(['quota:limited', 'api:request']);
  });

  it('leaves every other request to express, which answers it as before', async () => {
    const pair = await startPair();
    const hash = pair[0].sim.hash;
    const id = firstOrderId(pair[0]);
    const auth = { 'x-auth-token': pair[0].sim.token };
    for (const side of pair) side.store.putAccount({ name: 'products-only', clientId: 'client_products_only', accessToken: 'products-only-token', scopes: ['store_v2_products'] });

    const cases: [string, string, Record<string, string>, number][] = [
      ['unknown order', `/stores/${hash}/v2/orders/987654`, auth, 404],
      ['bad token', `/stores/${hash}/v2/orders/${id}`, { 'x-auth-token': 'not-a-token' }, 401],
      ['no token', `/stores/${hash}/v2/orders/${id}`, {}, 401],
      ['unknown store', `/stores/snotastore/v2/orders/${id}`, auth, 404],
      ['a query string', `/stores/${hash}/v2/orders/${id}?include=consignments`, auth, 200],
      ['a conditional request', `/stores/${hash}/v2/orders/${id}`, { ...auth, 'if-none-match': 'W/"abc"' }, 200],
      ['a token without the orders scope', `/stores/${hash}/v2/orders/${id}`, { 'x-auth-token': 'products-only-token' }, 403],
      ['a trailing slash', `/stores/${hash}/v2/orders/${id}/`, auth, 200],
    ];
    for (const [what, path, headers, status] of cases) {
      const seen = await expectSame(pair, 'GET', path, headers, false);
      expect(seen.status, what).toBe(status);
    }
  });

  it('leaves every request to express while an API fault is configured, so the fault stream is drawn the same', async () => {
    const pair = await startPair();
    const path = `/stores/${pair[0].sim.hash}/v2/orders/${firstOrderId(pair[0])}`;
    const auth = { 'x-auth-token': pair[0].sim.token };
    setFaults(pair, { api: { serverErrorRate: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await expectSame(pair, 'GET', path, auth, false)).status);
    expect(statuses.every((s) => s >= 500 && s <= 503)).toBe(true);
    setFaults(pair, { api: { platformLoad429: 1 } });
    expect((await expectSame(pair, 'GET', path, auth, false)).status).toBe(429);
    // Back to no faults: the fast path answers again, and both sides still agree.
    setFaults(pair, {});
    expect((await expectSame(pair, 'GET', path, auth, true)).status).toBe(200);
  });
});
