/**
 * The connected-system mocks as a surface: a `bc-harness mocks --json` child, every system's API
 * (ERP, 3PL, CRM, marketing) with bodies drawn from the records the mapping specs produce
 * (mappings/cases/*: the `expected.record` of each case is a real record of the target system),
 * and the control endpoints (faults, journal, item master, change batches, push URL, clock).
 *
 * Health is `GET /__mocks/clock` (no token, same event loop). An answer announced as an injected
 * fault (`X-Mock-Fault`) is the mocks doing what they were told, not a bug: its 5xx is not counted
 * (its envelope still is), and a fault plan the fuzz managed to set is cleared straight after, so
 * later cases meet a working system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import type { FuzzTarget, Surface } from '../fuzz.ts';
import { healthProblem, PROJECT_ROOT, spawnCli, type ChildProcessTarget } from '../processes.ts';
import { tableRequest, type Route } from '../routes.ts';
import { simSeed } from './simulator.ts';

/** The mocks' body limit (src/mocks/http/app.ts). */
const MOCKS_BODY_LIMIT = 5 * 1024 * 1024;

interface MocksReady {
  url: string;
  controlToken: string;
}

/** The target records of each mapping spec, from its case files. */
export function recordsBySpec(dir = join(PROJECT_ROOT, 'mappings/cases')): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const folder of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, folder)).filter((f) => f.endsWith('.json'))) {
      const c = JSON.parse(readFileSync(join(dir, folder, file), 'utf8')) as { spec: string; expected?: { record?: unknown } };
      if (c.expected?.record) out.set(c.spec, [...(out.get(c.spec) ?? []), c.expected.record]);
    }
  }
  return out;
}

function mocksRoutes(): Route[] {
  const records = recordsBySpec();
  const of = (spec: string) => records.get(spec) ?? [{}];
  const since = ['since', 'limit'];
  const faults = [{ latencyMs: 0, errorRate: 0, down: false }, { rateLimit: { probability: 0, retryAfterSeconds: 30 } }, { errorRate: 0.5 }, { down: true, downForMs: 60_000 }, {}];
  return [
    { methods: ['PUT', 'GET'], path: '/erp/sales-orders/:key', bodies: of('orders-to-erp-sales-order'), weight: 5 },
    { methods: ['POST'], path: '/erp/sales-orders', bodies: of('orders-to-erp-sales-order'), weight: 2 },
    { methods: ['PUT'], path: '/erp/credit-memos/:key', bodies: of('refunds-to-erp-credit-memo'), weight: 3 },
    { methods: ['GET'], path: '/erp/credit-memos', query: since },
    { methods: ['GET'], path: '/erp/inventory', query: since },
    { methods: ['GET'], path: '/erp/price-list', query: since },
    { methods: ['GET'], path: '/erp/invoices', query: since },
    { methods: ['PUT'], path: '/erp/items/:key', bodies: [{ description: 'Widget', listPrice: 9.5 }, {}] },
    { methods: ['POST'], path: '/erp/changes', bodies: [{ kind: 'price', count: 3 }, { kind: 'stock', count: 1 }] },
    { methods: ['PUT'], path: '/3pl/fulfillment-orders/:key', bodies: of('orders-to-3pl-fulfillment-order'), weight: 4 },
    { methods: ['GET'], path: '/3pl/shipments', query: since },
    { methods: ['PUT'], path: '/3pl/push', bodies: [{ url: 'http://127.0.0.1:9/shipments' }, { url: null }] },
    { methods: ['PUT', 'GET'], path: '/crm/contacts/:key', bodies: of('customers-to-crm-contact'), weight: 4 },
    { methods: ['GET'], path: '/crm/contacts', query: since },
    { methods: ['POST'], path: '/marketing/events', bodies: [...of('orders-to-marketing-events'), ...of('abandoned-carts-to-marketing-events')], weight: 4 },
    { methods: ['GET', 'PUT'], path: '/:system/faults', bodies: faults, weight: 2 },
    { methods: ['GET'], path: '/:system/journal' },
    { methods: ['GET'], path: '/:system/published' },
    { methods: ['GET', 'POST'], path: '/__mocks/clock', bodies: [{ advanceMs: 60_000 }] },
    { methods: ['GET', 'PUT', 'POST'], path: '/:system/:anything', weight: 1 },
  ];
}

export const mocksSurface: Surface = {
  name: 'mocks',
  async start({ seed }) {
    const args = ['mocks', '--json', '--port', '0', '--seed', String(simSeed(seed)), '--fixed-tokens', '--products', '40', '--customers', '20'];
    let child: ChildProcessTarget<MocksReady> = await spawnCli<MocksReady>(args);
    let lastStderr = '';
    const token = child.ready.controlToken;
    const auth = fc.oneof(
      { arbitrary: fc.constant<Record<string, string>>({}), weight: 6 },
      { arbitrary: fc.constant({ authorization: `Bearer ${token}` }), weight: 3 },
      { arbitrary: fc.constantFrom<Record<string, string>>({ authorization: 'Bearer wrong' }, { authorization: 'Bearer ' }, { authorization: token }), weight: 1 },
    );
    const keys = ['100', 'BC-100', 'dillon_swift@example4.com', 'SKU-00001'];
    const arbitrary = tableRequest(mocksRoutes(), { prefix: '', params: { key: keys, system: ['erp', '3pl', 'crm', 'marketing'] }, auth, limitBytes: MOCKS_BODY_LIMIT });
    const target: FuzzTarget = {
      baseUrl: () => child.ready.url,
      arbitrary,
      checkOptions: () => ({ shape: 'mocks', injectedFault: (a) => a.headers['x-mock-fault'] !== undefined }),
      down: () => (child.alive() ? undefined : child.ended() ?? 'ended'),
      health: (timeoutMs) => healthProblem(`${child.ready.url}/__mocks/clock`, timeoutMs),
      async restart() {
        lastStderr = child.stderr();
        await child.stop();
        child = await spawnCli<MocksReady>(args);
      },
      async observe(req, answer) {
        const system = /^\/(erp|3pl|crm|marketing)\/faults(?:\?|$)/.exec(req.path)?.[1];
        if (req.method === 'PUT' && system && answer.status === 200) {
          const res = await request(`${child.ready.url}/${system}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}', headersTimeout: 10_000, bodyTimeout: 10_000 });
          await res.body.dump();
        }
      },
      secrets: () => ({ controlToken: token }),
      stderr: () => child.stderr() || lastStderr,
      stop: () => child.stop(),
    };
    return target;
  },
};
