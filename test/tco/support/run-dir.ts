/**
 * Small run directories for the cost-of-ownership tests, written into a temp dir the way
 * `bc-harness uat` writes them (run.json, ledger.jsonl, journal-erp.jsonl, quota.json and, when
 * the verifier ran, verdict.json), so the measurement reads real files without a full UAT run.
 *
 * Two builders: `writeRunDirectory` for a hand-made verifier run (test/verify/support), and
 * `syntheticRun` for a run described by its per-order behaviour, which is what a rehearsal at
 * --volume-scale and a full-volume run must share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { QuotaSnapshot } from '../../../src/verify/inputs.ts';

const dirs: string[] = [];

export function runTempDir(prefix = 'bc-harness-tco-run-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupRunDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface RunDirectoryInput {
  clientId: string;
  scenario: string;
  plan?: 'standard' | 'plus' | 'pro' | 'enterprise';
  /** The run's quota per window (simulator.quotaPerWindow); the plan's when not given. */
  quotaPerWindow: number | null;
  /** --quota, when the run set one. */
  quota?: number;
  volumeScale?: number;
  simStart: number;
  loadStartedAt: number;
  endAt: number;
  ledger: readonly Record<string, unknown>[];
  journalErp: readonly Record<string, unknown>[];
  quotaSnapshot?: QuotaSnapshot;
  /** The verifier's measures, written to verdict.json as a finished UAT run does. */
  measures?: Record<string, number | null>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const jsonl = (lines: readonly unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : '');

export function writeRunDirectory(dir: string, r: RunDirectoryInput): string {
  fs.mkdirSync(dir, { recursive: true });
  const run = {
    id: `test-${r.scenario}`,
    status: 'complete',
    scenario: { name: r.scenario, acceptance: null },
    integration: { label: 'test-integration', command: null, exit: null },
    options: { plan: r.plan ?? 'standard', seed: 1, timeScale: 60, ...(r.volumeScale !== undefined ? { volumeScale: r.volumeScale } : {}), ...(r.quota !== undefined ? { quota: r.quota } : {}) },
    simulator: { clientId: r.clientId, quotaPerWindow: r.quotaPerWindow },
    clock: { scale: 60, simStart: iso(r.simStart), loadStartedAt: iso(r.loadStartedAt), loadEndedAt: iso(r.endAt), endAt: iso(r.endAt) },
    drain: { reason: 'settled', text: 'Settled.' },
    load: { exitCode: 0, runner: 'embedded' },
    realStartedAt: iso(r.simStart),
    notes: [],
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run, null, 2));
  fs.writeFileSync(path.join(dir, 'ledger.jsonl'), jsonl(r.ledger));
  fs.writeFileSync(path.join(dir, 'journal-erp.jsonl'), jsonl(r.journalErp));
  if (r.quotaSnapshot) fs.writeFileSync(path.join(dir, 'quota.json'), JSON.stringify(r.quotaSnapshot));
  if (r.measures) fs.writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify({ verdict: 'pass', measures: r.measures }));
  return dir;
}

export const SYNTH_CLIENT = 'client_synthetic';
export const SYNTH_START = Date.UTC(2026, 10, 27, 0, 0, 0);
const MIN = 60_000;

export interface SyntheticRun {
  /** Orders the scenario places at full volume; the run places orders × volumeScale. */
  orders: number;
  volumeScale?: number;
  /** The run's quota per window; --quota when it differs from the plan's. */
  quotaPerWindow: number;
  /** Order-driven requests per order, sent `lagMinutes` after the order (a queue works them off later). */
  requestsPerOrder: number;
  lagMinutes?: number;
  /** The busiest window the quota counted for the integration, as a share of the run's quota. */
  peakShare: number;
  quota429s?: number;
  lostOrders?: number;
  webhooksPerOrder?: number;
  /** Minutes the orders are spread over from the load's start. */
  placeOverMinutes?: number;
  spanHours?: number;
}

/**
 * A run with exactly the per-order behaviour given: one-off setup and shutdown requests, a timer
 * that polls, checks hooks and pushes stock the same way whatever the volume, and each order read
 * and written back `requestsPerOrder` times. The quota windows show `peakShare` of the run's quota.
 */
export function syntheticRun(dir: string, s: SyntheticRun): string {
  const v = s.volumeScale ?? 1;
  const orders = Math.round(s.orders * v);
  const loadStartedAt = SYNTH_START + 5 * MIN;
  const endAt = loadStartedAt + (s.spanHours ?? 6) * 60 * MIN;
  const ledger: Record<string, unknown>[] = [];
  const journal: Record<string, unknown>[] = [];
  const req = (at: number, method: string, p: string, status = 200, faults: string[] = []) =>
    ledger.push({ kind: 'api:request', at: iso(at), store: 'ssynth', client: SYNTH_CLIENT, method, path: `/stores/ssynth${p}`, status, quotaLeft: 10, faults, durationMs: 1 });

  // Setup: register the hook, read the store, a first sync of the orders list.
  ledger.push({ kind: 'resource:created', at: iso(SYNTH_START), store: 'ssynth', resource: 'hook', id: 1, body: { id: 1, client_id: SYNTH_CLIENT, scope: 'store/order/*', destination: 'https://integration.test/webhooks', is_active: true } });
  req(SYNTH_START, 'POST', '/v3/hooks', 201);
  req(SYNTH_START + 1_000, 'GET', '/v2/store');
  req(SYNTH_START + 2_000, 'GET', '/v2/orders?limit=250');
  // The timer: an empty poll every minute, a hook check every 10 minutes, stock every 30.
  for (let t = loadStartedAt; t < endAt; t += MIN) {
    req(t + 500, 'GET', '/v2/orders?min_date_modified=x', 204);
    if ((t - loadStartedAt) % (10 * MIN) === 0) req(t + 700, 'GET', '/v3/hooks');
    if ((t - loadStartedAt) % (30 * MIN) === 0) req(t + 900, 'PUT', '/v3/inventory/adjustments/absolute');
  }
  const spread = (s.placeOverMinutes ?? 30) * MIN;
  const lag = (s.lagMinutes ?? 1) * MIN;
  const lost = s.lostOrders ?? 0;
  for (let i = 0; i < orders; i++) {
    const id = 100 + i;
    const at = loadStartedAt + Math.floor((i * spread) / Math.max(1, orders));
    ledger.push({ kind: 'resource:created', at: iso(at), store: 'ssynth', resource: 'order', id, body: { id, status_id: 11 } });
    for (let w = 0; w < (s.webhooksPerOrder ?? 2); w++) {
      ledger.push({ kind: 'webhook:attempt', at: iso(at + 100 + w), store: 'ssynth', hookId: 1, scope: 'store/order/created', hash: `h${id}-${w}`, attempt: 1, outcome: 'delivered', durationMs: 3 });
    }
    for (let k = 0; k < s.requestsPerOrder; k++) req(at + lag + k * 10, k % 2 === 0 ? 'GET' : 'PUT', `/v2/orders/${id}`);
    if (i >= lost) journal.push({ kind: 'write', at: iso(at + lag + 500), system: 'erp', method: 'PUT', resource: 'sales-order', key: String(id), status: 201, body: {}, existed: false });
  }
  for (let k = 0; k < (s.quota429s ?? 0); k++) req(loadStartedAt + 10 * MIN + k, 'GET', '/v2/orders/100', 429);
  // Shutdown: the integration deletes its hook after the run's end.
  req(endAt + 1_000, 'DELETE', '/v3/hooks/1', 204);
  ledger.sort((a, b) => Date.parse(String(a.at)) - Date.parse(String(b.at)));

  const peak = Math.round(s.peakShare * s.quotaPerWindow);
  const quotaSnapshot: QuotaSnapshot = {
    plan: 'standard',
    perWindow: s.quotaPerWindow,
    windowMs: 30_000,
    windows: [
      { start: iso(loadStartedAt), used: peak, usedByOthers: 0, refused: s.quota429s ?? 0, byClient: { [SYNTH_CLIENT]: peak } },
      { start: iso(loadStartedAt + 30_000), used: 1, usedByOthers: 0, refused: 0, byClient: { [SYNTH_CLIENT]: 1 } },
    ],
  } as QuotaSnapshot;
  return writeRunDirectory(dir, {
    clientId: SYNTH_CLIENT,
    scenario: 'flash-sale-10x',
    quotaPerWindow: s.quotaPerWindow,
    ...(s.quotaPerWindow !== 150 ? { quota: s.quotaPerWindow } : {}),
    ...(s.volumeScale !== undefined ? { volumeScale: s.volumeScale } : {}),
    simStart: SYNTH_START,
    loadStartedAt,
    endAt,
    ledger,
    journalErp: journal,
    quotaSnapshot,
  });
}
