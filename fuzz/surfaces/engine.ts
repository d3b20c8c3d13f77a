/**
 * The reference engine's webhook receiver as a surface. Three real child processes on loopback:
 * a simulator (`bc-harness sim --json`), the connected-system mocks (`bc-harness mocks --json`)
 * and the engine (`bc-harness engine --json`, its SQLite file in a temporary 0700 directory)
 * pointed at both, all at time scale 60 so backoffs and batch windows pass in seconds.
 *
 * Cases are webhooks as the platform sends them (light payloads for the scopes the engine
 * subscribes to, naming real orders, customers and carts, and ids that exist nowhere) and as an
 * attacker would: hostile scopes and ids (huge, negative, 1e308, strings, Unicode, path traversal,
 * NUL, 60,000 characters, nested values, number literals no parser keeps), broken fields, invalid
 * JSON, deep nesting, bodies over the 64 KiB limit, a missing or wrong `x-webhook-secret`, other
 * methods and paths.
 *
 * Health is the engine's `GET /healthz` (which reads the inbox and the work table, so a frozen
 * event loop or a locked database shows). After the cases, settle: every webhook the receiver
 * accepted (2xx with the right secret) must end synced, dead-lettered or ignored (an unsubscribed
 * scope); the engine's state file is read read-only, and whatever is still in the inbox unplanned,
 * in the work table or in the outbox unsent once the budget is spent is stuck.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { request } from 'undici';
import { body as anyBody, contentType, freeText, INVALID_JSON, LONG, mutated } from '../arbitraries.ts';
import { INBOX_CURSOR_KEY } from '../../src/engine/inbox.ts';
import type { FuzzTarget, Surface } from '../fuzz.ts';
import type { FuzzAnswer, FuzzRequest } from '../http.ts';
import { healthProblem, spawnCli, type ChildProcessTarget } from '../processes.ts';
import { simSeed, startSimProcess, type SimProcess } from './simulator.ts';

/** The engine's header for the shared secret (src/engine/monitor.ts SECRET_HEADER). */
export const SECRET_HEADER = 'x-webhook-secret';
/** The receiver's body limit (src/engine/receiver.ts MAX_BODY_BYTES). */
const ENGINE_BODY_LIMIT = 64 * 1024;
const TIME_SCALE = '60';

interface EngineReady {
  webhookUrl: string;
  healthUrl: string;
  db: string;
}

interface MocksReady {
  url: string;
}

/** What `/healthz` says (src/engine/engine.ts). */
export interface EngineHealth {
  ok: boolean;
  inbox: number;
  work: Record<string, number>;
  deadLetters: number;
}

/** `/healthz`, or why it did not answer 200 with JSON within `timeoutMs`. */
export async function readEngineHealth(url: string, timeoutMs: number): Promise<EngineHealth | string> {
  try {
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.body.text();
    if (res.statusCode !== 200) return `${url} answered ${res.statusCode}`;
    return JSON.parse(text) as EngineHealth;
  } catch (error) {
    return `${url} did not answer within ${timeoutMs} ms: ${(error as Error).message}`;
  }
}

export interface EngineSettleOptions {
  healthUrl: () => string;
  /** The engine's SQLite file, opened read-only. */
  dbPath: () => string;
  /** Hashes of the webhooks the receiver accepted. */
  accepted: ReadonlySet<string>;
  /** Webhooks the receiver refused (4xx). */
  refused: number;
  budgetMs: number;
  pollMs?: number;
}

export interface SettleResult {
  stuck: number;
  details: string[];
  counts: Record<string, number>;
}

interface Leftovers {
  inbox: { scope: string; id: string; length: number }[];
  work: { lane: string; key: string; length: number; attempts: number; error: string }[];
  outbox: { spec: string; key: string; state: string; attempts: number; error: string }[];
}

/** The planner's cursor (the last planned inbox seq, src/engine/inbox.ts) in the engine file. */
const inboxCursor = (db: Database.Database) => Number((db.prepare('SELECT value FROM kv WHERE name = ?').get(INBOX_CURSOR_KEY) as { value: string } | undefined)?.value ?? 0);

/** The engine's inbox is a file of its own beside its state file (src/engine/inbox.ts). */
function openInbox(path: string): Database.Database {
  const inbox = new Database(`${path}-inbox`, { readonly: true, fileMustExist: true });
  inbox.pragma('busy_timeout = 2000');
  return inbox;
}

function readLeftovers(path: string): Leftovers {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const inbox = openInbox(path);
  try {
    db.pragma('busy_timeout = 2000');
    return {
      inbox: inbox.prepare("SELECT scope, substr(coalesce(resource_id, ''), 1, 60) AS id, length(resource_id) AS length FROM inbox WHERE seq > ? AND state = 'new' ORDER BY seq").all(inboxCursor(db)) as Leftovers['inbox'],
      work: db.prepare("SELECT lane, substr(key, 1, 60) AS key, length(key) AS length, attempts, substr(coalesce(last_error, ''), 1, 160) AS error FROM work ORDER BY since").all() as Leftovers['work'],
      outbox: db.prepare("SELECT spec, substr(key, 1, 60) AS key, state, attempts, substr(coalesce(last_error, ''), 1, 160) AS error FROM outbox WHERE state IN ('pending', 'inflight') ORDER BY updated_at").all() as Leftovers['outbox'],
    };
  } finally {
    inbox.close();
    db.close();
  }
}

const leftoverCount = (l: Leftovers) => l.inbox.length + l.work.length + l.outbox.length;

/**
 * Wait, bounded, until the engine's inbox, work table and outbox are empty (twice in a row: a
 * fetch in flight empties nothing), then count what is left as stuck and how the accepted
 * webhooks ended. The state file is the record of truth; `/healthz` only says whether it answers.
 */
export async function settleEngine(options: EngineSettleOptions): Promise<SettleResult> {
  const deadline = performance.now() + options.budgetMs;
  const pollMs = options.pollMs ?? 250;
  let quiet = 0;
  let leftovers: Leftovers = { inbox: [], work: [], outbox: [] };
  let lastHealth: EngineHealth | string = 'not asked';
  for (;;) {
    lastHealth = await readEngineHealth(options.healthUrl(), 1_000);
    leftovers = readLeftovers(options.dbPath());
    quiet = leftoverCount(leftovers) === 0 && typeof lastHealth !== 'string' ? quiet + 1 : 0;
    if (quiet >= 2 || performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const details: string[] = [];
  if (typeof lastHealth === 'string') details.push(`/healthz at the end: ${lastHealth}`);
  for (const e of leftovers.inbox) details.push(`inbox: ${e.scope} id ${JSON.stringify(e.id)}${e.length > 60 ? ` (${e.length} characters)` : ''} never planned`);
  for (const w of leftovers.work) details.push(`work: ${w.lane} ${JSON.stringify(w.key)}${w.length > 60 ? ` (${w.length} characters)` : ''}, ${w.attempts} attempts${w.error ? `, last error: ${w.error}` : ''}`);
  for (const o of leftovers.outbox) details.push(`outbox: ${o.spec} ${JSON.stringify(o.key)} still ${o.state}, ${o.attempts} attempts${o.error ? `, last error: ${o.error}` : ''}`);

  // How the accepted webhooks ended, from the state file.
  const db = new Database(options.dbPath(), { readonly: true, fileMustExist: true });
  const inbox = openInbox(options.dbPath());
  const counts: Record<string, number> = { accepted: options.accepted.size, refused: options.refused };
  let lost = 0;
  try {
    const state = inbox.prepare<[number, string], { state: string }>("SELECT CASE WHEN state = 'new' AND seq <= ? THEN 'planned' ELSE state END AS state FROM inbox WHERE hash = ?");
    const cursor = inboxCursor(db);
    let planned = 0;
    let ignored = 0;
    for (const hash of options.accepted) {
      const row = state.get(cursor, hash);
      if (!row) {
        lost++;
        if (lost <= 5) details.push(`inbox: the webhook with hash ${hash} was answered 2xx but is not in the inbox (lost)`);
      } else if (row.state === 'planned') planned++;
      else if (row.state === 'ignored') ignored++;
    }
    counts['planned'] = planned;
    counts['ignored (unsubscribed scope)'] = ignored;
    counts['records synced'] = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").get() as { n: number }).n;
    for (const r of db.prepare("SELECT kind, COUNT(*) AS n FROM dlq WHERE state = 'open' GROUP BY kind ORDER BY kind").all() as { kind: string; n: number }[]) counts[`dead-lettered (${r.kind})`] = r.n;
  } finally {
    inbox.close();
    db.close();
  }
  counts['stuck'] = leftoverCount(leftovers) + lost;
  return { stuck: leftoverCount(leftovers) + lost, details, counts };
}

// --- the cases --------------------------------------------------------------------------------

/** A number literal put into the body as written (1e999, 26 nines), which JSON.stringify cannot. */
const RAW = '\u0001raw\u0001';
const raw = (literal: string) => `${RAW}${literal}${RAW}`;
/** JSON text with every raw marker replaced by its literal. */
export const renderJson = (value: unknown) => JSON.stringify(value).replace(/"\\u0001raw\\u0001([^"\\]*)\\u0001raw\\u0001"/g, '$1');

const ORDER_SCOPES = ['store/order/created', 'store/order/updated', 'store/order/statusUpdated', 'store/order/archived'];
const SUBSCRIBED = [...ORDER_SCOPES, 'store/order/refund/created', 'store/customer/created', 'store/customer/updated', 'store/cart/abandoned'];
const OTHER_SCOPES = ['store/product/updated', 'store/sku/inventory/updated', 'store/customer/deleted', 'store/order/message/created', 'store/shipment/created', 'store/app/uninstalled', 'store/hook/deliveryException'];

const hostileScope: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '', 'store', 'store/', 'store/order', 'store/order/', 'Store/Order/Created', 'STORE/ORDER/CREATED', 'store/order/created ', ' store/order/created', 'store/order/*', 'store/*',
    'store/../../etc/passwd', 'store/order/created\u0000', 'store/order/created\n', 'store/😀', 'store//order//created', `store/${'a'.repeat(LONG)}`, `store/${'order/'.repeat(2_000)}created`,
  ),
  freeText(30),
  fc.constantFrom<unknown>(null, 1, true, [], {}, ['store/order/created'], { scope: 'store/order/created' }),
);

/** Ids as the platform never sends them. */
const hostileId: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(0, -1, -2147483648, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 1.5, 0.1, Number.MAX_VALUE, Number.MIN_VALUE, -0, 2147483647.5),
  fc.constantFrom<unknown>('abc', '-1', '0', '1e308', '12', ' 12', '12 ', '0x10', '../../etc/passwd', '..\\..\\windows', '%2e%2e%2f', '😀\u0000', '\u0000', 'a\u0000b', '', ' ', '\uD800', 'ü'.repeat(30), '1'.repeat(LONG), 'x'.repeat(LONG), '😀'.repeat(LONG / 4), 'null', 'undefined', '__proto__', 'constructor'),
  fc.constantFrom<unknown>(null, true, false, [], {}, [1], [1, 2], { id: 1 }, { $gt: 0 }, JSON.parse('{"__proto__":{"polluted":true}}'), nested(200), nested(2_000)),
  fc.constantFrom(raw('1e999'), raw('-1e999'), raw('99999999999999999999999999'), raw('1.0'), raw('1E2'), raw('-0'), raw('0.00000000000000000000001'), raw(`1${'0'.repeat(400)}`)),
  fc.integer({ min: -(2 ** 31), max: 0 }),
  fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noInteger: true }),
  freeText(30),
);

/** `{"a":{"a":...1}}`, `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

export interface EngineCaseIds {
  storeHash: string;
  orders: number[];
  customers: number[];
  carts: string[];
}

/** Ids the platform could send: real ones (synced), and valid ones that exist nowhere (nothing to sync, or a fetch that is refused). */
function validIds(real: number[]): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.constant(1), weight: 5 },
    { arbitrary: fc.constantFrom(1, 2, 2147483646, 2147483647), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 2 ** 31 - 1 }), weight: 1 },
  );
}

/**
 * The `data` of a light payload for a scope: with `hostile`, the id (or the address's customer id)
 * is one the platform never sends half of the time.
 */
function dataFor(scope: unknown, ids: EngineCaseIds, hostile: boolean): fc.Arbitrary<unknown> {
  const id = (real: number[]) => (hostile ? fc.oneof(validIds(real), hostileId) : validIds(real));
  if (scope === 'store/order/refund/created') return fc.record({ type: fc.constant('order'), id: id(ids.orders), refund: fc.record({ refund_id: fc.integer({ min: 1, max: 1000 }) }) });
  if (typeof scope === 'string' && scope.startsWith('store/order/')) return fc.record({ type: fc.constant('order'), id: id(ids.orders) });
  if (typeof scope === 'string' && scope.startsWith('store/customer/')) {
    return fc.oneof(
      { arbitrary: fc.record({ type: fc.constant('customer'), id: id(ids.customers) }), weight: 3 },
      { arbitrary: fc.record({ type: fc.constant('customer'), id: validIds(ids.customers), address: fc.record({ customer_id: id(ids.customers) }) }), weight: 1 },
    );
  }
  if (scope === 'store/cart/abandoned') {
    const valid = fc.oneof({ arbitrary: ids.carts.length > 0 ? fc.constantFrom(...ids.carts) : fc.uuid(), weight: 3 }, { arbitrary: fc.uuid(), weight: 1 });
    return fc.record({ type: fc.constant('cart'), id: hostile ? fc.oneof(valid, hostileId) : valid, token: fc.oneof(fc.constant('x'), freeText(10)) }, { requiredKeys: ['type', 'id'] });
  }
  return fc.record({ type: fc.constantFrom('product', 'sku', 'order', 'customer', 'hook'), id: hostile ? fc.oneof(fc.integer({ min: 1, max: 1000 }), hostileId) : fc.integer({ min: 1, max: 1000 }) });
}

const hex40 = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => Buffer.from(b).toString('hex'));

/** A value as the platform sends it, or (when `hostile`, now and then) one it never would. */
const field = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>, hostile: boolean): fc.Arbitrary<unknown> =>
  hostile ? fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: bad, weight: 1 }) : valid;

/**
 * A light payload. Clean: what the platform sends for the engine's scopes (and a few it did not
 * subscribe to), naming real records or ids that exist nowhere. Hostile: any field may be broken.
 */
function payload(ids: EngineCaseIds, hostile: boolean): fc.Arbitrary<Record<string, unknown>> {
  const scope = fc.oneof({ arbitrary: fc.constantFrom(...SUBSCRIBED), weight: 12 }, { arbitrary: fc.constantFrom(...OTHER_SCOPES), weight: 2 }, ...(hostile ? [{ arbitrary: hostileScope, weight: 4 }] : []));
  return scope.chain((s) =>
    fc.record({
      scope: fc.constant(s),
      store_id: field(fc.constant('1000001'), fc.constantFrom<unknown>('', 1000001, null, 'x'.repeat(LONG)), hostile),
      data: hostile ? fc.oneof({ arbitrary: dataFor(s, ids, true), weight: 8 }, { arbitrary: fc.constantFrom<unknown>(undefined, null, [], 'order', { type: 'order' }, { id: 1 }, nested(500)), weight: 1 }) : dataFor(s, ids, false),
      // A fixed hash now and then: the platform fires duplicates with the same hash.
      hash: field(fc.oneof({ arbitrary: hex40, weight: 10 }, { arbitrary: fc.constant('0123456789abcdef0123456789abcdef01234567'), weight: 1 }), fc.constantFrom<unknown>('', 'abc', 'G'.repeat(40), 'A'.repeat(40), 1, null), hostile),
      created_at: field(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), fc.constantFrom<unknown>(-1, 0, 1e308, 1.5, '1764000000', null, raw('1e999')), hostile),
      producer: field(fc.constant(`stores/${ids.storeHash}`), fc.constantFrom<unknown>('stores/other1', `stores/${ids.storeHash.toUpperCase()}`, `stores/${ids.storeHash}/..`, 'stores/', '', null), hostile),
    }),
  );
}

/** The body of a case as text: a payload (clean, hostile, a field broken), or something that is no payload at all. */
function webhookBody(ids: EngineCaseIds): fc.Arbitrary<string | undefined> {
  const hostile = payload(ids, true);
  return fc.oneof(
    { arbitrary: payload(ids, false).map(renderJson), weight: 14 },
    { arbitrary: hostile.map(renderJson), weight: 8 },
    { arbitrary: hostile.chain((v) => mutated(v)).map(renderJson), weight: 2 },
    { arbitrary: fc.constantFrom(...INVALID_JSON), weight: 1 },
    // Near and over the 64 KiB limit, deep nesting, other JSON, no body.
    { arbitrary: hostile.chain((v) => fc.constantFrom(ENGINE_BODY_LIMIT - 400, ENGINE_BODY_LIMIT + 1, 200_000).map((n) => renderJson({ ...v, padding: 'p'.repeat(n) }))), weight: 1 },
    { arbitrary: anyBody({ templates: [], limitBytes: ENGINE_BODY_LIMIT }), weight: 2 },
  );
}

/** Where a case goes: the receiver (both paths), and now and then another method or path. */
const target = fc.oneof(
  { arbitrary: fc.constantFrom({ method: 'POST', path: '/webhooks' }), weight: 24 },
  { arbitrary: fc.constantFrom({ method: 'POST', path: '/webhooks/exceptions' }, { method: 'POST', path: '/webhooks?x=1' }, { method: 'POST', path: '/webhooks?' }), weight: 2 },
  {
    arbitrary: fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.constantFrom('/webhooks', '/webhooks/exceptions', '/healthz', '/metrics')).map(([method, path]) => ({ method, path })),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom('/webhooks/', '/Webhooks', '/webhooks/..', '/webhooks/%2e%2e', '/webhooks%00', '/%zz', '/', '/healthz', '/metrics', `/${'w'.repeat(6_000)}`, '/webhooks/exceptions/x').map((path) => ({ method: 'POST', path })),
    weight: 1,
  },
);

/** The secret header: right, absent, wrong, nearly right. */
function secretHeader(secret: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constant({ [SECRET_HEADER]: secret }), weight: 12 },
    { arbitrary: fc.constant<Record<string, string>>({}), weight: 1 },
    {
      arbitrary: fc.constantFrom<Record<string, string>>(
        { [SECRET_HEADER]: '' },
        { [SECRET_HEADER]: 'wrong' },
        { [SECRET_HEADER]: secret.slice(0, -1) },
        { [SECRET_HEADER]: `${secret}x` },
        { [SECRET_HEADER]: secret.toUpperCase() },
        { [SECRET_HEADER]: `${secret}, ${secret}` },
        { [SECRET_HEADER]: 's'.repeat(4_000) },
        { 'x-webhook-secrets': secret },
        { authorization: `Bearer ${secret}` },
      ),
      weight: 1,
    },
  );
}

/** Every request of the surface. */
export function engineRequests(ids: EngineCaseIds, secret: string): fc.Arbitrary<FuzzRequest> {
  return fc.record({ to: target, body: webhookBody(ids), secret: secretHeader(secret), contentType }).map(({ to, body, secret: auth, contentType: type }) => {
    const headers: Record<string, string> = { ...auth };
    const sendBody = body !== undefined && to.method !== 'HEAD' && to.method !== 'GET';
    if (type !== undefined && sendBody) headers['content-type'] = type;
    const req: FuzzRequest = { method: to.method, path: to.path, headers, note: `${to.method} ${to.path.slice(0, 40)}` };
    if (sendBody) req.body = body;
    return req;
  });
}

// --- the processes -------------------------------------------------------------------------

interface World {
  sim: SimProcess;
  mocks: ChildProcessTarget<MocksReady>;
  engine: ChildProcessTarget<EngineReady>;
  dir: string;
  env: NodeJS.ProcessEnv;
}

async function startMocksProcess(seed: number): Promise<ChildProcessTarget<MocksReady>> {
  return spawnCli<MocksReady>(['mocks', '--json', '--port', '0', '--seed', String(simSeed(seed)), '--fixed-tokens', '--products', '40', '--customers', '20', '--time-scale', TIME_SCALE]);
}

/** The environment of DESIGN.md section 8, none of the caller's engine settings. */
function engineEnv(sim: SimProcess, mocks: ChildProcessTarget<MocksReady>, secret: string, dbPath: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BIGCOMMERCE_|ERP_URL|THREEPL_URL|CRM_URL|MARKETING_URL|ALERT_URL|TIME_SCALE|WEBHOOK_|ENGINE_)/.test(k)));
  const { url, stores } = sim.ready();
  return {
    ...inherited,
    BIGCOMMERCE_API_URL: `${url}/stores/${stores[0]!.hash}`,
    BIGCOMMERCE_ACCESS_TOKEN: stores[0]!.accessToken,
    BIGCOMMERCE_WEBHOOK_SECRET: secret,
    WEBHOOK_PORT: '0',
    WEBHOOK_HOST: '127.0.0.1',
    ERP_URL: `${mocks.ready.url}/erp`,
    THREEPL_URL: `${mocks.ready.url}/3pl`,
    CRM_URL: `${mocks.ready.url}/crm`,
    MARKETING_URL: `${mocks.ready.url}/marketing`,
    TIME_SCALE,
    ENGINE_DB: dbPath,
  };
}

async function startWorld(seed: number, secret: string): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-fuzz-engine-'));
  const sim = await startSimProcess(simSeed(seed), ['--plan', 'enterprise', '--time-scale', TIME_SCALE]);
  let mocks: ChildProcessTarget<MocksReady> | undefined;
  try {
    mocks = await startMocksProcess(seed);
    const env = engineEnv(sim, mocks, secret, join(dir, 'engine.sqlite'));
    const engine = await spawnCli<EngineReady>(['engine', '--json'], { env });
    return { sim, mocks, engine, dir, env };
  } catch (error) {
    await mocks?.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function prepareIds(sim: SimProcess): Promise<EngineCaseIds> {
  const { url, stores, controlToken } = sim.ready();
  const hash = stores[0]!.hash;
  const get = async (path: string, headers: Record<string, string>, method = 'GET', body?: unknown) => {
    const res = await request(`${url}${path}`, { method: method as 'GET', headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}), headersTimeout: 30_000, bodyTimeout: 30_000 });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`Failed to prepare the engine fuzz: ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const api = { 'x-auth-token': stores[0]!.accessToken };
  const control = { authorization: `Bearer ${controlToken}` };
  // Orders placed now, besides the past ones the start-up sweep already synced.
  await get(`/__sim/stores/${hash}/orders`, control, 'POST', { profile: 'typical', count: 5 });
  const orders = ((await get(`/stores/${hash}/v2/orders?limit=20`, api)) as { id: number }[]).map((o) => o.id);
  const customers = ((await get(`/stores/${hash}/v3/customers?limit=10`, api)).data as { id: number }[]).map((c) => c.id);
  const carts = ((await get(`/__sim/stores/${hash}/carts`, control, 'POST', { count: 3, abandonAfterMinutes: 600 })).ids as unknown[]).map(String);
  return { storeHash: hash, orders, customers, carts };
}

const isReceiverPath = (path: string) => /^\/webhooks(?:\/exceptions)?(?:\?|$)/.test(path);

export const engineSurface: Surface = {
  name: 'engine',
  async start({ seed }) {
    const secret = randomBytes(18).toString('base64url');
    let world = await startWorld(seed, secret);
    const dirs = [world.dir];
    const ids = await prepareIds(world.sim);
    const accepted = new Set<string>();
    let refused = 0;
    let lastStderr = '';
    const down = () => {
      if (!world.engine.alive()) return `engine: ${world.engine.ended() ?? 'ended'}`;
      const sim = world.sim.down();
      if (sim) return `simulator: ${sim}`;
      if (!world.mocks.alive()) return `mocks: ${world.mocks.ended() ?? 'ended'}`;
      return undefined;
    };
    const stopWorld = async (w: World) => {
      await w.engine.stop();
      await Promise.all([w.mocks.stop(), w.sim.stop()]);
    };
    const t: FuzzTarget = {
      baseUrl: () => new URL(world.engine.ready.webhookUrl).origin,
      arbitrary: engineRequests(ids, secret),
      checkOptions: () => ({ shape: 'engine' }),
      down,
      health: (timeoutMs) => healthProblem(world.engine.ready.healthUrl, timeoutMs),
      async restart() {
        lastStderr = world.engine.stderr();
        if (!world.engine.alive() && !world.sim.down() && world.mocks.alive()) {
          // Only the engine ended: start it again on its state file, as an operator would.
          world.engine = await spawnCli<EngineReady>(['engine', '--json'], { env: world.env });
          return;
        }
        await stopWorld(world);
        world = await startWorld(seed, secret);
        dirs.push(world.dir);
      },
      observe(req: FuzzRequest, answer: FuzzAnswer) {
        if (req.method !== 'POST' || !isReceiverPath(req.path)) return;
        if (answer.status >= 400 && answer.status < 500) refused++;
        if (answer.status >= 200 && answer.status < 300 && req.headers[SECRET_HEADER] === secret && req.body !== undefined) {
          try {
            const hash = (JSON.parse(req.body) as { hash?: unknown }).hash;
            if (typeof hash === 'string') accepted.add(hash);
          } catch {
            // A 2xx for a body that is not JSON: the checker's problem, not the settle's.
          }
        }
      },
      settle: (budgetMs) => settleEngine({ healthUrl: () => world.engine.ready.healthUrl, dbPath: () => world.engine.ready.db, accepted, refused, budgetMs }),
      secrets: () => ({ webhookSecret: secret, accessToken: world.sim.ready().stores[0]!.accessToken, controlToken: world.sim.ready().controlToken }),
      stderr: () => world.engine.stderr() || lastStderr,
      async stop() {
        await stopWorld(world);
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      },
    };
    return t;
  },
};
