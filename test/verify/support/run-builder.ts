/**
 * Hand-made runs for the verifier's tests: a real simulated store (manual clock) places orders so
 * the ledger holds the platform's own order shapes, and the test plays the integration by writing
 * journal lines and API-request lines itself: correct ones, or exactly the defect under test.
 */
import path from 'node:path';
import { createVirtualClock, type Clock } from '../../../lib/clock.ts';
import type { Ledger, LedgerEntry } from '../../../lib/ledger.ts';
import type { OrderProfile } from '../../../simulator/domain/order-profiles.ts';
import { planQuota } from '../../../lib/plans.ts';
import { createQuota } from '../../../simulator/domain/quota.ts';
import { createStore, type Store } from '../../../simulator/domain/store.ts';
import { applyMapping } from '../../../src/mappings/apply-mapping.ts';
import type { CompiledSpec } from '../../../src/mappings/compile.ts';
import { loadSpecs } from '../../../src/mappings/load-spec.ts';
import type { Criterion } from '../../../src/verify/criteria.ts';
import type { AlertLine, QuotaSnapshot } from '../../../src/verify/inputs.ts';
import { indexJournals, indexLedger, indexPublished } from '../../../src/verify/ledger-index.ts';
import type { StreamId } from '../../../src/verify/streams.ts';
import { verifyRun, type Verification } from '../../../src/verify/verify-run.ts';

export const START = Date.UTC(2026, 10, 27, 12, 0, 0);
export const CLIENT = 'client_test_integration';

let cachedSpecs: CompiledSpec[] | undefined;
export function specs(): CompiledSpec[] {
  cachedSpecs ??= loadSpecs(path.resolve(import.meta.dirname, '../../../mappings')).specs.map((s) => s.compiled);
  return cachedSpecs;
}
export function spec(name: string): CompiledSpec {
  return specs().find((s) => s.spec.name === name)!;
}

function memoryLedger(lines: LedgerEntry[]): Ledger {
  return {
    append: (e) => void lines.push(JSON.parse(JSON.stringify(e)) as LedgerEntry),
    get count() {
      return lines.length;
    },
    flush: () => {},
    stream: () => {
      throw new Error('not used in tests');
    },
    path: '(memory)',
    close: () => {},
  };
}

export interface TestRun {
  clock: Clock;
  store: Store;
  ledger: Record<string, unknown>[];
  journal: Record<string, unknown>[];
  /** What the connected systems published; verify() passes it only when something was. */
  published: Record<string, unknown>[];
  alerts: AlertLine[];
  quota?: QuotaSnapshot;
  /** Advance simulated time. */
  advance(ms: number): void;
  now(): number;
  place(profile: OrderProfile, count?: number): number[];
  /** The order's snapshot the ledger recorded last. */
  snapshot(orderId: number): Record<string, unknown>;
  /** Record that the integration read an order through the API (GET /v2/orders/{id}). */
  fetch(orderId: number, status?: number): void;
  /** Record any API request of the integration. */
  request(method: string, pathAndQuery: string, status: number, faults?: string[]): void;
  /** The quota answered a 429 whose window resets in `resetMs` simulated ms. */
  limited(pathAndQuery: string, resetMs: number): void;
  /** Write a record to a target the way a mock journals it. */
  write(entry: { system: string; resource: string; key: string; body: unknown; status?: number; method?: string; existed?: boolean; errors?: { field: string; message: string }[] }): void;
  /** Sync an order to the ERP correctly: read it, map it with the spec, PUT it. */
  syncToErp(orderId: number): void;
  deadLetter(key: string, reason: string, extra?: Record<string, unknown>): void;
  /** A connected system publishes a changed record on its feed (`record:published`). */
  publish(system: string, resource: string, key: string, body: Record<string, unknown>): void;
  alert(message: string): void;
  ledgerEntry(entry: Record<string, unknown>): void;
  verify(options?: { criteria?: Criterion[]; scope?: StreamId[]; timeScale?: number; endAt?: number; renderCart?: (body: Record<string, unknown>) => Record<string, unknown> }): Verification;
}

export function createTestRun(options: { seed?: number } = {}): TestRun {
  const clock = createVirtualClock({ scale: 0, start: START });
  const ledger: Record<string, unknown>[] = [];
  const journal: Record<string, unknown>[] = [];
  const published: Record<string, unknown>[] = [];
  const alerts: AlertLine[] = [];
  const store = createStore({
    hash: 'stest',
    storeId: '1000002',
    plan: 'standard',
    seed: options.seed ?? 11,
    clock,
    ledger: memoryLedger(ledger as LedgerEntry[]),
    quota: createQuota({ clock, quota: planQuota('standard') }),
    onWebhook: () => {},
    products: 120,
    customers: 40,
    pastOrders: 0,
  });
  const iso = () => new Date(clock.now()).toISOString();
  const run: TestRun = {
    clock,
    store,
    ledger,
    journal,
    published,
    alerts,
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    place(profile, count = 1) {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(store.placeShopperOrder(profile).order.id);
      return ids;
    },
    snapshot(orderId) {
      const lines = ledger.filter((l) => l.resource === 'order' && String(l.id) === String(orderId) && l.kind !== 'resource:deleted');
      return lines.at(-1)!.body as Record<string, unknown>;
    },
    fetch(orderId, status = 200) {
      run.request('GET', `/stores/stest/v2/orders/${orderId}`, status);
    },
    request(method, pathAndQuery, status, faults = []) {
      ledger.push({ kind: 'api:request', at: iso(), store: 'stest', client: CLIENT, method, path: pathAndQuery, status, quotaLeft: status === 429 ? 0 : 100, faults, durationMs: 1 });
    },
    limited(pathAndQuery, resetMs) {
      ledger.push({ kind: 'quota:limited', at: iso(), store: 'stest', client: CLIENT, limitedBy: 'window', resetMs });
      run.request('GET', pathAndQuery, 429);
    },
    write(e) {
      journal.push({ kind: 'write', at: iso(), system: e.system, method: e.method ?? 'PUT', resource: e.resource, key: e.key, status: e.status ?? 201, body: e.body, ...(e.errors ? { errors: e.errors } : {}), existed: e.existed ?? false });
    },
    syncToErp(orderId) {
      run.fetch(orderId);
      const mapped = applyMapping(spec('orders-to-erp-sales-order'), run.snapshot(orderId));
      if (mapped.skipped || mapped.errors.length > 0) throw new Error(`order ${orderId} does not map cleanly: ${JSON.stringify(mapped.errors)}`);
      run.write({ system: 'erp', resource: 'sales-order', key: String(mapped.record!.externalId), body: mapped.record });
    },
    deadLetter(key, reason, extra = {}) {
      alerts.push({ at: iso(), path: '/alerts', body: { kind: 'dead-letter', key, reason, ...extra } });
    },
    publish(system, resource, key, body) {
      published.push({ kind: 'record:published', at: iso(), system, resource, key, body: structuredClone(body) });
    },
    alert(message) {
      alerts.push({ at: iso(), path: '/alerts', body: { severity: 'critical', message } });
    },
    ledgerEntry(entry) {
      ledger.push({ at: iso(), store: 'stest', ...entry });
    },
    verify(o = {}) {
      return verifyRun({
        specs: specs(),
        ledger: indexLedger(ledger),
        journals: indexJournals(journal),
        ...(published.length > 0 ? { published: indexPublished(published) } : {}),
        alerts,
        ...(run.quota ? { quota: run.quota } : {}),
        integrationClientId: CLIENT,
        timeScale: o.timeScale ?? 60,
        endAt: o.endAt ?? clock.now(),
        ...(o.renderCart ? { renderCart: o.renderCart } : {}),
        criteria: o.criteria ?? [],
        scope: o.scope ?? ['orders'],
      });
    },
  };
  return run;
}
