/**
 * Indexes built line by line from the ledger and the journals, so a ledger of hundreds of
 * megabytes is streamed once and only what the verifier needs is kept: the versions of the
 * resources the flows read, hook states, the integration's API calls, 429s, webhook traffic and
 * the platform renames announced by the fault plan.
 */
import { HARNESS_DELIVERY_ERRORS } from '../../simulator/index.ts';
import {
  apiRequestLineSchema,
  faultsChangedLineSchema,
  hookDeactivatedLineSchema,
  journalLineSchema,
  ledgerLineSchema,
  publishedLineSchema,
  msOf,
  quotaLimitedLineSchema,
  resourceLineSchema,
  webhookAttemptLineSchema,
  webhookDroppedLineSchema,
  webhookEventLineSchema,
  type JournalLine,
} from './inputs.ts';

export interface SourceVersion {
  /** Simulated epoch ms of the change. */
  at: number;
  body: Record<string, unknown>;
}

export interface SourceRecord {
  resource: string;
  id: string;
  versions: SourceVersion[];
  deletedAt?: number;
}

export interface HookState {
  id: number;
  scope: string;
  clientId: string;
  destination: string;
  active: boolean;
  deleted: boolean;
  createdAt: number;
  deactivations: { at: number; reason: string }[];
  /** Times the hook went from inactive back to active (re-enabled by its client). */
  reactivations: number[];
  /** Every state change, oldest first, so the state at any time can be read back. */
  changes: { at: number; active: boolean; deleted: boolean }[];
}

/** A hook's state at a simulated time (the end of the run, before the integration is stopped). */
export function hookStateAt(hook: HookState, at: number): { exists: boolean; active: boolean; deleted: boolean } {
  let state: { exists: boolean; active: boolean; deleted: boolean } = { exists: false, active: false, deleted: false };
  for (const c of hook.changes) {
    if (c.at > at) break;
    state = { exists: true, active: c.active, deleted: c.deleted };
  }
  return state;
}

export interface ApiCall {
  /** When the answer was ended. */
  at: number;
  /** When the request was taken up (older ledgers: absent). */
  startedAt?: number;
  method: string;
  path: string;
  status: number;
  faults: string[];
}

export interface RateLimitHit {
  at: number;
  /** Simulated ms until the window refreshes, as the 429's headers said (in real units). */
  resetMs: number;
}

export interface WebhookEventRecord {
  at: number;
  scope: string;
  hash: string;
  type?: string;
  resourceId?: string;
  hookIds: number[];
}

export interface WebhookAttemptRecord {
  at: number;
  hookId: number;
  hash: string;
  scope: string;
  outcome: 'delivered' | 'failed' | 'timeout' | 'network-error' | 'denylisted';
  durationMs?: number;
  /** An injected fault decided the outcome (a receiver outage the scenario provoked). */
  fault?: string;
  /** The harness failed to make the attempt (HARNESS_DELIVERY_ERRORS): the receiver never saw it. */
  byHarness?: true;
}

export interface Rename {
  resource: string;
  from: string;
  to: string;
  /** Simulated ms the platform update took effect. */
  at: number;
  /** When a later fault plan dropped it again (undefined: active to the end). */
  until?: number;
}

export interface LedgerIndex {
  add(line: unknown): void;
  readonly lines: number;
  readonly malformed: number;
  readonly firstAt?: number;
  readonly lastAt?: number;
  /** Versions of the resources in `keepResources`, by resource then id. */
  readonly sources: Map<string, Map<string, SourceRecord>>;
  readonly abandonedCarts: Map<string, SourceVersion>;
  readonly hooks: Map<number, HookState>;
  readonly calls: Map<string, ApiCall[]>;
  readonly rateLimited: Map<string, RateLimitHit[]>;
  readonly events: WebhookEventRecord[];
  readonly attempts: WebhookAttemptRecord[];
  readonly dropped: { at: number; hookId: number; hash: string; scope: string; reason: string }[];
  readonly renames: Rename[];
  /** Number of `resource:created` lines per resource (orders placed, carts, ...). */
  readonly created: Map<string, number>;
  /**
   * The store's catalog after each change made through the API (not by a shopper's order taking
   * stock): variants and products by id, oldest first. What the flows into the store wrote.
   */
  readonly storeWrites: Map<'variant' | 'product', StoreState[]>;
}

export interface StoreState {
  at: number;
  id: string;
  body: Record<string, unknown>;
}

export const DEFAULT_KEEP_RESOURCES = ['order', 'customer', 'refund', 'cart', 'shipment'] as const;

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function createLedgerIndex(options: { keepResources?: readonly string[] } = {}): LedgerIndex {
  const keep = new Set(options.keepResources ?? DEFAULT_KEEP_RESOURCES);
  const sources = new Map<string, Map<string, SourceRecord>>();
  const abandonedCarts = new Map<string, SourceVersion>();
  const hooks = new Map<number, HookState>();
  const calls = new Map<string, ApiCall[]>();
  const rateLimited = new Map<string, RateLimitHit[]>();
  const events: WebhookEventRecord[] = [];
  const attempts: WebhookAttemptRecord[] = [];
  const dropped: LedgerIndex['dropped'] = [];
  const renames: Rename[] = [];
  const created = new Map<string, number>();
  const storeWrites = new Map<'variant' | 'product', StoreState[]>([
    ['variant', []],
    ['product', []],
  ]);
  let lines = 0;
  let malformed = 0;
  let firstAt: number | undefined;
  let lastAt: number | undefined;

  const listFor = <T>(map: Map<string, T[]>, key: string): T[] => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  };

  const onHook = (kind: string, at: number, body: Record<string, unknown>) => {
    const id = Number(body.id);
    if (!Number.isFinite(id)) return;
    const active = body.is_active !== false;
    const existing = hooks.get(id);
    if (!existing) {
      hooks.set(id, {
        id,
        scope: String(body.scope ?? ''),
        clientId: String(body.client_id ?? ''),
        destination: String(body.destination ?? ''),
        active,
        deleted: kind === 'resource:deleted',
        createdAt: at,
        deactivations: [],
        reactivations: [],
        changes: [{ at, active, deleted: kind === 'resource:deleted' }],
      });
      return;
    }
    if (kind === 'resource:deleted') {
      existing.deleted = true;
      existing.changes.push({ at, active: existing.active, deleted: true });
      return;
    }
    if (!existing.active && active) existing.reactivations.push(at);
    existing.active = active;
    existing.changes.push({ at, active, deleted: false });
    existing.scope = String(body.scope ?? existing.scope);
    existing.destination = String(body.destination ?? existing.destination);
  };

  const onFaults = (at: number, renamesNow: { resource: string; from: string; to: string }[]) => {
    const same = (a: { resource: string; from: string; to: string }, b: { resource: string; from: string; to: string }) => a.resource === b.resource && a.from === b.from && a.to === b.to;
    for (const open of renames.filter((r) => r.until === undefined)) {
      if (!renamesNow.some((r) => same(r, open))) open.until = at;
    }
    for (const r of renamesNow) {
      if (!renames.some((open) => open.until === undefined && same(open, r))) renames.push({ ...r, at });
    }
  };

  return {
    add(raw) {
      lines++;
      const base = ledgerLineSchema.safeParse(raw);
      if (!base.success) {
        malformed++;
        return;
      }
      const at = msOf(base.data.at);
      if (Number.isNaN(at)) {
        malformed++;
        return;
      }
      if (firstAt === undefined || at < firstAt) firstAt = at;
      if (lastAt === undefined || at > lastAt) lastAt = at;
      switch (base.data.kind) {
        case 'resource:created':
        case 'resource:updated':
        case 'resource:deleted': {
          const parsed = resourceLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          const { resource, kind } = parsed.data;
          const id = String(parsed.data.id);
          const body = asRecord(parsed.data.body);
          if (kind === 'resource:created') created.set(resource, (created.get(resource) ?? 0) + 1);
          if (resource === 'hook') {
            onHook(kind, at, body);
            return;
          }
          if ((resource === 'variant' || resource === 'product') && kind === 'resource:updated' && (raw as Record<string, unknown>).cause !== 'order') {
            storeWrites.get(resource)!.push({ at, id, body });
          }
          if (!keep.has(resource)) return;
          let byId = sources.get(resource);
          if (!byId) sources.set(resource, (byId = new Map()));
          let record = byId.get(id);
          if (!record) byId.set(id, (record = { resource, id, versions: [] }));
          if (kind === 'resource:deleted') record.deletedAt = at;
          else record.versions.push({ at, body });
          return;
        }
        case 'cart:abandoned': {
          const body = asRecord((raw as Record<string, unknown>).body);
          const id = String((raw as Record<string, unknown>).id ?? body.id ?? '');
          if (id) abandonedCarts.set(id, { at, body });
          return;
        }
        case 'api:request': {
          const parsed = apiRequestLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          const p = parsed.data;
          if (p.client === null) return;
          const startedAt = p.startedAt !== undefined ? msOf(p.startedAt) : undefined;
          listFor(calls, p.client).push({ at, ...(startedAt !== undefined && Number.isFinite(startedAt) ? { startedAt } : {}), method: p.method, path: p.path, status: p.status, faults: p.faults ?? [] });
          return;
        }
        case 'quota:limited': {
          const parsed = quotaLimitedLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          listFor(rateLimited, parsed.data.client).push({ at, resetMs: parsed.data.resetMs });
          return;
        }
        case 'webhook:event': {
          const parsed = webhookEventLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          const e = parsed.data;
          events.push({ at, scope: e.scope, hash: e.hash, ...(e.data?.type ? { type: e.data.type } : {}), ...(e.data?.id !== undefined ? { resourceId: String(e.data.id) } : {}), hookIds: e.hooks });
          return;
        }
        case 'webhook:attempt': {
          const parsed = webhookAttemptLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          const a = parsed.data;
          attempts.push({ at, hookId: a.hookId, hash: a.hash, scope: a.scope, outcome: a.outcome, ...(a.durationMs !== undefined ? { durationMs: a.durationMs } : {}), ...(a.fault ? { fault: a.fault } : {}), ...(a.error !== undefined && HARNESS_DELIVERY_ERRORS.includes(a.error) ? { byHarness: true as const } : {}) });
          return;
        }
        case 'webhook:dropped': {
          const parsed = webhookDroppedLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          dropped.push({ at, hookId: parsed.data.hookId, hash: parsed.data.hash, scope: parsed.data.scope, reason: parsed.data.reason });
          return;
        }
        case 'hook:deactivated': {
          const parsed = hookDeactivatedLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          const hook = hooks.get(parsed.data.id);
          if (hook) {
            hook.deactivations.push({ at, reason: parsed.data.reason });
            hook.active = false;
            hook.changes.push({ at, active: false, deleted: false });
          }
          return;
        }
        case 'faults:changed': {
          const parsed = faultsChangedLineSchema.safeParse(raw);
          if (!parsed.success) {
            malformed++;
            return;
          }
          onFaults(at, parsed.data.plan.api?.renameFields ?? []);
          return;
        }
        default:
          return;
      }
    },
    get lines() {
      return lines;
    },
    get malformed() {
      return malformed;
    },
    get firstAt() {
      return firstAt;
    },
    get lastAt() {
      return lastAt;
    },
    sources,
    abandonedCarts,
    hooks,
    calls,
    rateLimited,
    events,
    attempts,
    dropped,
    renames,
    created,
    storeWrites,
  };
}

export interface JournalWrite extends JournalLine {
  /** Simulated epoch ms. */
  atMs: number;
  /** Position in its journal, for write order. */
  seq: number;
}

export interface JournalIndex {
  add(line: unknown): void;
  readonly lines: number;
  readonly malformed: number;
  /** Writes by `${system}:${resource}`, then by key, in journal order. */
  readonly writes: Map<string, Map<string, JournalWrite[]>>;
  /** Every write, in journal order per system (for charts). */
  readonly all: JournalWrite[];
}

export function createJournalIndex(): JournalIndex {
  const writes = new Map<string, Map<string, JournalWrite[]>>();
  const all: JournalWrite[] = [];
  let lines = 0;
  let malformed = 0;
  return {
    add(raw) {
      lines++;
      const parsed = journalLineSchema.safeParse(raw);
      const atMs = parsed.success ? msOf(parsed.data.at) : NaN;
      if (!parsed.success || Number.isNaN(atMs)) {
        malformed++;
        return;
      }
      const w: JournalWrite = { ...parsed.data, atMs, seq: lines };
      const target = `${w.system}:${w.resource}`;
      let byKey = writes.get(target);
      if (!byKey) writes.set(target, (byKey = new Map()));
      let list = byKey.get(w.key);
      if (!list) byKey.set(w.key, (list = []));
      list.push(w);
      all.push(w);
    },
    get lines() {
      return lines;
    },
    get malformed() {
      return malformed;
    },
    writes,
    all,
  };
}

/** What the connected systems published, by `${system}:${resource}` then key, oldest first. */
export interface PublishedIndex {
  add(line: unknown): void;
  readonly lines: number;
  readonly malformed: number;
  readonly changes: Map<string, Map<string, SourceVersion[]>>;
}

export function createPublishedIndex(): PublishedIndex {
  const changes = new Map<string, Map<string, SourceVersion[]>>();
  let lines = 0;
  let malformed = 0;
  return {
    add(raw) {
      lines++;
      const parsed = publishedLineSchema.safeParse(raw);
      const at = parsed.success ? msOf(parsed.data.at) : NaN;
      if (!parsed.success || Number.isNaN(at)) {
        malformed++;
        return;
      }
      const feed = `${parsed.data.system}:${parsed.data.resource}`;
      let byKey = changes.get(feed);
      if (!byKey) changes.set(feed, (byKey = new Map()));
      let list = byKey.get(parsed.data.key);
      if (!list) byKey.set(parsed.data.key, (list = []));
      list.push({ at, body: parsed.data.body });
    },
    get lines() {
      return lines;
    },
    get malformed() {
      return malformed;
    },
    changes,
  };
}

export function indexPublished(lines: Iterable<unknown>): PublishedIndex {
  const index = createPublishedIndex();
  for (const line of lines) index.add(line);
  return index;
}

/** Build a ledger index from lines in memory (tests, small runs). */
export function indexLedger(lines: Iterable<unknown>, options?: { keepResources?: readonly string[] }): LedgerIndex {
  const index = createLedgerIndex(options);
  for (const line of lines) index.add(line);
  return index;
}

export function indexJournals(lines: Iterable<unknown>): JournalIndex {
  const index = createJournalIndex();
  for (const line of lines) index.add(line);
  return index;
}
