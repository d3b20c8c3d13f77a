/**
 * The simulator's two surfaces, each against its own `bc-harness sim --json` child:
 * - `simulator`: the Management API under /stores/{hash}/v2 and /v3 (the route table of
 *   simulator/http/routes, plus every path of the official documents in current/ and more/ when
 *   they are next to the project, so the declared families are fuzzed too);
 *   an enterprise store without a quota, so cases reach the handlers instead of a 429;
 * - `control`: the control plane under /__sim (shopper traffic, ledger, faults, clock, reset).
 *
 * Health is `GET /` (the simulator has no /healthz; `/` answers from the same event loop).
 * Tokens are fixed by the seed (`--fixed-tokens`), so a restarted simulator takes the same
 * requests and a replay of a seed meets the same store.
 */
import fc from 'fast-check';
import { request } from 'undici';
import { freeText } from '../arbitraries.ts';
import type { CheckOptions, ErrorShape } from '../checker.ts';
import type { FuzzTarget, Surface } from '../fuzz.ts';
import type { FuzzRequest } from '../http.ts';
import { healthProblem, spawnCli, type ChildProcessTarget } from '../processes.ts';
import { tableRequest, type Route } from '../routes.ts';
import { MORE_SPECS_DIR, specRoutes } from '../spec-paths.ts';

/** The simulator's body limit (simulator/http/app.ts BODY_LIMIT_BYTES). */
const SIM_BODY_LIMIT = 2 * 1024 * 1024;

interface SimReady {
  url: string;
  controlToken: string;
  stores: { hash: string; accessToken: string }[];
}

export interface SimProcess {
  url(): string;
  ready(): SimReady;
  down(): string | undefined;
  stderr(): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimProcess(seed: number, extraArgs: string[] = []): Promise<SimProcess> {
  const args = ['sim', '--json', '--port', '0', '--seed', String(seed), '--fixed-tokens', '--products', '40', '--customers', '20', '--past-orders', '10', ...extraArgs];
  let child: ChildProcessTarget<SimReady> = await spawnCli<SimReady>(args);
  let lastStderr = '';
  return {
    url: () => child.ready.url,
    ready: () => child.ready,
    down: () => (child.alive() ? undefined : child.ended() ?? 'ended'),
    stderr: () => child.stderr() || lastStderr,
    async restart() {
      lastStderr = child.stderr();
      await child.stop();
      child = await spawnCli<SimReady>(args);
    },
    stop: () => child.stop(),
  };
}

async function getJson(url: string, headers: Record<string, string>, method = 'GET', body?: unknown): Promise<any> {
  const res = await request(url, { method: method as 'GET', headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headersTimeout: 30_000, bodyTimeout: 30_000 });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`Failed to prepare the fuzz: ${method} ${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The envelope the platform uses for a path: V2 under /stores/{hash}/v2, the control plane under /__sim, V3 otherwise. */
export function simShapeOf(path: string): ErrorShape {
  const bare = path.split('?')[0]!;
  if (bare.startsWith('/__sim')) return 'control';
  return /^\/stores\/[^/]*\/v2(\/|$)/.test(bare) ? 'v2' : 'v3';
}

/** A 429 carries its rate-limit headers and no body (facts section b). */
const simCheck = (req: FuzzRequest): CheckOptions => ({ shape: simShapeOf(req.path), emptyAllowed: (s) => s === 429 });

const order = {
  billing_address: { first_name: 'Ada', last_name: 'Lovelace', street_1: '1 Main St', city: 'Austin', state: 'Texas', zip: '78701', country: 'United States', country_iso2: 'US', email: 'ada@example.com' },
  products: [{ product_id: 1, quantity: 1 }],
  status_id: 11,
};
const customOrder = { ...order, products: [{ name: 'Custom item', quantity: 2, price_inc_tax: 10, price_ex_tax: 9, sku: 'CUSTOM-1' }], customer_id: 0 };

/** The Management API route table (simulator/http/routes), with a real body or two per write. */
function apiRoutes(ids: { product: string; variant: string }): Route[] {
  const product = Number(ids.product) || 1;
  const variant = Number(ids.variant) || 1;
  return [
    { methods: ['GET', 'POST'], path: '/v2/orders', query: ['min_id', 'max_id', 'min_total', 'max_total', 'customer_id', 'email', 'status_id', 'cart_id', 'payment_method', 'channel_id', 'external_order_id', 'min_date_created', 'max_date_created', 'min_date_modified', 'max_date_modified', 'sort', 'page', 'limit', 'include'], bodies: [{ ...order, products: [{ product_id: product, quantity: 1 }] }, customOrder], weight: 4 },
    { methods: ['GET'], path: '/v2/orders/count', query: ['status_id', 'min_id'] },
    { methods: ['GET', 'PUT', 'DELETE'], path: '/v2/orders/:orderId', query: ['include', 'consignment_structure'], bodies: [{ status_id: 2 }, { staff_notes: 'checked', external_id: null }, { billing_address: { zip: '10001' } }], weight: 4 },
    { methods: ['GET'], path: '/v2/orders/:orderId/products', query: ['page', 'limit'] },
    { methods: ['GET'], path: '/v2/orders/:orderId/products/:orderProductId' },
    { methods: ['GET'], path: '/v2/orders/:orderId/shipping_addresses' },
    { methods: ['GET'], path: '/v2/orders/:orderId/shipping_addresses/:addressId' },
    { methods: ['GET'], path: '/v2/orders/:orderId/coupons' },
    { methods: ['GET', 'POST'], path: '/v2/orders/:orderId/shipments', bodies: [{ order_address_id: 1, items: [{ order_product_id: 1, quantity: 1 }], tracking_number: '1Z999', tracking_carrier: 'ups' }], weight: 2 },
    { methods: ['GET'], path: '/v2/orders/:orderId/shipments/count' },
    { methods: ['GET', 'PUT', 'DELETE'], path: '/v2/orders/:orderId/shipments/:shipmentId', bodies: [{ tracking_number: '1Z998', comments: 'moved' }] },
    { methods: ['GET'], path: '/v2/order_statuses' },
    { methods: ['GET'], path: '/v2/order_statuses/:statusId' },
    { methods: ['GET', 'POST', 'PUT'], path: '/v3/catalog/products', query: ['page', 'limit', 'id', 'id:in', 'id:not_in', 'id:min', 'id:max', 'name', 'name:like', 'sku', 'sku:in', 'type', 'is_visible', 'date_modified:min', 'price:min', 'include', 'include_fields', 'exclude_fields', 'sort', 'direction'], bodies: [{ name: 'Fuzz product', type: 'physical', weight: 1, price: 9.99, sku: 'FUZZ-1' }, [{ id: product, price: 12.5 }], [{ id: product, inventory_level: 5, is_visible: false }]], weight: 4 },
    { methods: ['GET', 'PUT'], path: '/v3/catalog/products/:productId', query: ['include', 'include_fields', 'exclude_fields'], bodies: [{ price: 11, name: 'Renamed' }, { sale_price: 0 }], weight: 3 },
    { methods: ['GET'], path: '/v3/catalog/products/:productId/variants', query: ['page', 'limit'] },
    { methods: ['GET', 'PUT'], path: '/v3/catalog/variants', query: ['page', 'limit', 'id:in', 'product_id:in', 'sku'], bodies: [[{ id: variant, price: 10, inventory_level: 3 }]], weight: 2 },
    { methods: ['PUT'], path: '/v3/inventory/adjustments/absolute', bodies: [{ reason: 'count', items: [{ location_id: 1, variant_id: variant, quantity: 5 }] }, { items: [{ product_id: product, quantity: 0 }] }], weight: 2 },
    { methods: ['POST'], path: '/v3/inventory/adjustments/relative', bodies: [{ items: [{ location_id: 1, variant_id: variant, quantity: -1 }] }], weight: 2 },
    { methods: ['GET', 'POST', 'PUT'], path: '/v3/customers', query: ['page', 'limit', 'id:in', 'email:in', 'name:in', 'name:like', 'company:in', 'customer_group_id:in', 'date_modified:min', 'date_created:max', 'include', 'sort'], bodies: [[{ email: 'fuzz@example.com', first_name: 'Fuzz', last_name: 'Case' }], [{ id: 1, company: 'ACME' }]], weight: 3 },
    { methods: ['GET', 'POST'], path: '/v3/hooks', query: ['page', 'limit', 'is_active', 'scope', 'destination'], bodies: [{ scope: 'store/order/created', destination: 'http://127.0.0.1:9/hooks', is_active: true, headers: { 'x-fuzz': '1' } }], weight: 2 },
    { methods: ['GET', 'PUT'], path: '/v3/hooks/admin', bodies: [{ emails: ['ops@example.com'] }] },
    { methods: ['GET', 'PUT', 'DELETE'], path: '/v3/hooks/:hookId', bodies: [{ is_active: false }, { destination: 'http://127.0.0.1:9/other' }], weight: 2 },
    { methods: ['GET'], path: '/v3/orders/:orderId/transactions' },
    { methods: ['GET', 'POST'], path: '/v3/orders/:orderId/payment_actions/refunds', bodies: [{ items: [{ item_type: 'ORDER', item_id: 1, amount: 1 }], payments: [{ provider_id: 'storecredit', amount: 1, offline: true }] }], weight: 2 },
    { methods: ['GET'], path: '/v3/orders/payment_actions/refunds', query: ['order_id:in', 'page', 'limit'] },
    { methods: ['GET'], path: '/v3/carts/:cartId', query: ['include'] },
    { methods: ['GET', 'POST'], path: '/:anything', weight: 1 },
    { methods: ['GET', 'PUT'], path: '/v3/:anything/:more', weight: 1 },
    { methods: ['GET', 'POST'], path: '/v2/:anything', weight: 1 },
  ];
}

const ids = (list: unknown, key = 'id'): string[] => (Array.isArray(list) ? list.map((x) => String((x as Record<string, unknown>)[key])).filter((x) => x !== 'undefined') : []);

export const simulatorSurface: Surface = {
  name: 'simulator',
  async start({ seed }) {
    const proc = await startSimProcess(simSeed(seed), ['--plan', 'enterprise']);
    const first = proc.ready();
    const hash = first.stores[0]!.hash;
    const token = first.stores[0]!.accessToken;
    const control = { authorization: `Bearer ${first.controlToken}` };
    const api = (path: string) => getJson(`${proc.url()}/stores/${hash}${path}`, { 'x-auth-token': token });
    const stores = await getJson(`${proc.url()}/__sim/stores`, control);
    const readOnly: string = stores.stores[0].accounts.find((a: { scopes: string[] }) => a.scopes.every((s) => s.endsWith('_read_only')))?.accessToken ?? '';
    const orders = ids(await api('/v2/orders?limit=5'));
    const products = await api('/v3/catalog/products?limit=5&include=variants');
    const productIds = ids(products.data);
    const variantIds = ids(products.data.flatMap((p: { variants?: unknown[] }) => p.variants ?? []));
    const customers = ids((await api('/v3/customers?limit=5')).data);
    const orderProducts = orders.length > 0 ? ids(await api(`/v2/orders/${orders[0]}/products`)) : [];
    const addresses = orders.length > 0 ? ids(await api(`/v2/orders/${orders[0]}/shipping_addresses`)) : [];
    const carts = (await getJson(`${proc.url()}/__sim/stores/${hash}/carts`, control, 'POST', { count: 2, abandonAfterMinutes: 600 })).ids.map(String);
    const hook = await getJson(`${proc.url()}/stores/${hash}/v3/hooks`, { 'x-auth-token': token }, 'POST', { scope: 'store/order/created', destination: 'http://127.0.0.1:9/hooks' });

    const auth = fc.oneof(
      { arbitrary: fc.constant({ 'x-auth-token': token }), weight: 8 },
      { arbitrary: fc.constant({ 'x-auth-token': readOnly }), weight: 2 },
      { arbitrary: fc.constant<Record<string, string>>({}), weight: 1 },
      { arbitrary: fc.constantFrom<Record<string, string>>({ 'x-auth-token': 'wrong' }, { 'x-auth-token': '' }, { 'x-auth-token': `${token} ` }, { authorization: `Bearer ${token}` }, { 'x-auth-token': token.toUpperCase() }), weight: 1 },
      { arbitrary: freeText(40).filter((t) => /^[\x21-\x7e]+$/.test(t)).map((t) => ({ 'x-auth-token': t })), weight: 1 },
    );
    const routes = [...apiRoutes({ product: productIds[0] ?? '1', variant: variantIds[0] ?? '1' }), ...specRoutes(), ...specRoutes(MORE_SPECS_DIR)];
    const hostileHash = fc.oneof({ arbitrary: fc.constant(`/stores/${hash}`), weight: 12 }, { arbitrary: fc.constantFrom('/stores/nope', '/stores/', '/stores/%zz', `/stores/${hash.toUpperCase()}`, `/stores/${hash}%00`, '/stores/..'), weight: 1 });
    const arbitrary = tableRequest(routes, {
      prefix: hostileHash,
      params: {
        orderId: orders, order_id: orders, productId: productIds, product_id: productIds, variantId: variantIds, variant_id: variantIds,
        customerId: customers, orderProductId: orderProducts, addressId: addresses, id: addresses, statusId: ['0', '1', '11', '14'], status_id: ['0', '11'],
        cartId: carts, hookId: [String(hook.data.id)], webhook_id: [String(hook.data.id)], shipmentId: ['1'],
      },
      auth,
      limitBytes: SIM_BODY_LIMIT,
    });
    return simTarget(proc, arbitrary, simCheck, { accessToken: token, readOnlyToken: readOnly, controlToken: first.controlToken });
  },
};

/** The control plane's routes (simulator/http/routes/control.ts) with real bodies. */
function controlRoutes(): Route[] {
  return [
    { methods: ['GET'], path: '/__sim/stores' },
    { methods: ['POST'], path: '/__sim/stores/:hash/orders', bodies: [{ profile: 'typical', count: 2 }, { profile: 'b2b', count: 1 }, { profile: 'worst-case', count: 1 }, { profile: 'typical', count: 1000 }, {}], weight: 4 },
    { methods: ['POST'], path: '/__sim/stores/:hash/carts', bodies: [{ count: 2, abandonAfterMinutes: 60 }, { count: 1000, abandonAfterMinutes: 0 }], weight: 2 },
    { methods: ['POST'], path: '/__sim/stores/:hash/customers', bodies: [{ count: 3 }, { count: 1000 }], weight: 2 },
    { methods: ['GET'], path: '/__sim/stores/:hash/quota' },
    { methods: ['GET'], path: '/__sim/stores/:hash/notifications' },
    { methods: ['GET'], path: '/__sim/ledger', query: ['kinds'], weight: 1 },
    {
      methods: ['GET', 'PUT'],
      path: '/__sim/faults',
      bodies: [
        { webhooks: { duplicate: 0.1, outOfOrder: 0.05, drop: 0, unreachable: 0, delay: { probability: 0.2, minMs: 1000, maxMs: 60000 }, scopes: ['store/order/*'] }, api: { platformLoad429: 0.01, serverErrorRate: 0, latencyMs: 0, renameFields: [{ resource: 'order', from: 'status_id', to: 'status_code' }] }, quota: { otherAppsShare: 0.4 } },
        {},
      ],
      weight: 3,
    },
    { methods: ['POST'], path: '/__sim/reset', weight: 1 },
    { methods: ['GET', 'POST'], path: '/__sim/clock', bodies: [{ advanceMs: 60_000 }, { advanceMs: 400 * 86_400_000 }], weight: 2 },
    { methods: ['GET'], path: '/__sim/webhooks/pending' },
    { methods: ['GET', 'POST', 'DELETE'], path: '/__sim/:anything', weight: 1 },
  ];
}

export const controlSurface: Surface = {
  name: 'control',
  async start({ seed }) {
    const proc = await startSimProcess(simSeed(seed));
    const { controlToken, stores } = proc.ready();
    const hash = stores[0]!.hash;
    const auth = fc.oneof(
      { arbitrary: fc.constant({ authorization: `Bearer ${controlToken}` }), weight: 8 },
      { arbitrary: fc.constant<Record<string, string>>({}), weight: 1 },
      {
        arbitrary: fc.constantFrom<Record<string, string>>(
          { authorization: 'Bearer wrong' },
          { authorization: 'Bearer ' },
          { authorization: `bearer ${controlToken}` },
          { authorization: `Bearer  ${controlToken}` },
          { authorization: controlToken },
          { authorization: `Basic ${Buffer.from(`x:${controlToken}`).toString('base64')}` },
          { 'x-auth-token': stores[0]!.accessToken },
        ),
        weight: 1,
      },
    );
    const arbitrary = tableRequest(controlRoutes(), { prefix: '', params: { hash: [hash] }, auth, limitBytes: SIM_BODY_LIMIT });
    return simTarget(proc, arbitrary, () => ({ shape: 'control' }), { controlToken, accessToken: stores[0]!.accessToken });
  },
};

function simTarget(proc: SimProcess, arbitrary: fc.Arbitrary<FuzzRequest>, checkOptions: (req: FuzzRequest) => CheckOptions, secrets: Record<string, string>): FuzzTarget {
  return {
    baseUrl: () => proc.url(),
    arbitrary,
    checkOptions,
    down: () => proc.down(),
    health: (timeoutMs) => healthProblem(`${proc.url()}/`, timeoutMs),
    restart: () => proc.restart(),
    secrets: () => secrets,
    stderr: () => proc.stderr(),
    stop: () => proc.stop(),
  };
}

/** The simulator's `--seed` range is 0..2^31-1; any fuzz seed maps into it. */
export const simSeed = (seed: number) => Math.abs(seed) % 2 ** 31;
