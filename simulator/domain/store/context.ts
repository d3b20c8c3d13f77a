/**
 * The state and plumbing every part of one store shares: the seeded faker and collections, the id
 * counters, and the three calls every mutation ends with (`record` a ledger line, `changed` for a
 * full resource, `emit` a webhook scope). `createStore` (store.ts) builds one context and hands it
 * to each area's `createXxx(ctx)` factory, so the areas share state without importing each other.
 *
 * The collections that seeding replaces (`products`, `orders`, `faker`, ...) are plain mutable
 * fields: a module reads them through `ctx` on every call and never keeps a copy, or it would hold
 * the previous seed's map after `store.reset()`.
 */
import type { Faker } from '@faker-js/faker';
import type { Clock } from '../../../lib/clock.ts';
import type { Ledger, LedgerEntry } from '../../../lib/ledger.ts';
import type { PlanName } from '../../../lib/plans.ts';
import type { ApiAccount, Cart, CustomerGroup, Hook, OrderAggregate, ProductOptionDef, StoreInfo, V3Customer, V3Product, V3Variant } from '../model.ts';
import { isoMs } from '../format.ts';
import type { Quota } from '../quota.ts';
import { redactHook } from '../redact.ts';
import type { Store } from '../store.ts';
import { buildWebhookPayload, webhookHash, type WebhookData } from '../webhooks/payload.ts';
import type { CatalogProfile, WorstCaseExtras } from '../worst-case-catalog.ts';

export interface StoreOptions {
  hash: string;
  storeId: string;
  plan: PlanName;
  seed: number;
  clock: Clock;
  ledger: Ledger;
  quota: Quota;
  /** Called for each webhook event with the hooks it must go to. */
  onWebhook: (store: Store, hooks: Hook[], payload: ReturnType<typeof buildWebhookPayload>) => void;
  products?: number;
  customers?: number;
  pastOrders?: number;
  /** The catalog profile (seed.ts): `typical` by default, or `worst-case`. */
  catalog?: CatalogProfile;
  /** Extra accounts beyond the default full-access one. */
  accounts?: ApiAccount[];
  /** The default account's access token; random when not given (see `deterministicTokens`). */
  accessToken?: string;
}

export interface IdCounter {
  next: () => number;
  peek: () => number;
  set: (n: number) => number;
}

export const idCounter = (start = 1): IdCounter => {
  let next = start;
  return { next: () => next++, peek: () => next, set: (n: number) => (next = n) };
};

export interface Notification {
  at: string;
  hookId: number;
  message: string;
  emails: string[];
}

type ChangeKind = 'resource:created' | 'resource:updated' | 'resource:deleted';

export interface StoreContext {
  readonly options: StoreOptions;
  readonly clock: Clock;
  readonly ledger: Ledger;
  readonly info: StoreInfo;
  readonly hooks: Map<number, Hook>;
  readonly carts: Map<string, Cart>;
  readonly ids: ReturnType<typeof createIds>;
  readonly notifications: Notification[];
  // Notification emails per API account: /hooks/admin lists and sets those of the calling account (webhooks.v3.yml).
  readonly adminEmails: Map<string, string[]>;

  // Replaced by every seed (store.ts `seedState`).
  faker: Faker;
  products: Map<number, V3Product>;
  variants: Map<number, V3Variant>;
  variantsByProduct: Map<number, V3Variant[]>;
  productOptions: ProductOptionDef[];
  customerGroups: CustomerGroup[];
  customers: Map<number, V3Customer>;
  worstCase: WorstCaseExtras | undefined;
  // Brands a product may name (0 = no brand). No brand collection is served yet, so the seed's ids.
  brandIds: Set<number>;
  brandLookup: ((id: number) => boolean) | undefined;
  // Inventory locations an adjustment may name (the locations family); a store without it takes any, as before.
  locationLookup: ((id: number) => boolean) | undefined;
  orders: Map<number, OrderAggregate>;
  // Items that have had an absolute adjustment (or seeded stock): relative needs one first.
  absoluteBaseline: Set<string>;

  /** The composed store, set by `createStore` before the first seed: what `onWebhook` is called with. */
  store: Store;

  nowIso(): string;
  record(entry: Omit<LedgerEntry, 'at' | 'store'>): void;
  changed(kind: ChangeKind, resource: string, id: number | string, body: unknown): void;
  hookMatches(pattern: string, scope: string): boolean;
  /** Raise a webhook scope to every active hook that matches it (the declared families in simulator/families raise theirs here). */
  emit(scope: string, data: WebhookData): void;
}

const createIds = () => ({
  order: idCounter(100),
  orderProduct: idCounter(1),
  address: idCounter(1),
  coupon: idCounter(1),
  shipment: idCounter(1),
  hook: idCounter(1),
  product: idCounter(1),
  variant: idCounter(1),
  customer: idCounter(1),
  transaction: idCounter(1),
  refund: idCounter(1),
  fee: idCounter(1),
});

export function createStoreContext(options: StoreOptions): StoreContext {
  const { clock, ledger } = options;
  const info: StoreInfo = { hash: options.hash, storeId: options.storeId, name: `Simulated store ${options.hash}`, plan: options.plan, defaultCurrency: 'USD' };
  const hooks = new Map<number, Hook>();

  const nowIso = () => isoMs(clock.now());
  // `kind` first, then `at`: readers can filter lines by prefix without parsing them.
  const record = (entry: Omit<LedgerEntry, 'at' | 'store'>) => ledger.append({ kind: entry.kind, at: nowIso(), store: info.hash, ...entry } as LedgerEntry);

  // The hot lines (a resource, a webhook event) are built in their final key order, the same as
  // `record` gives them, without the intermediate object it spreads.
  const changed = (kind: ChangeKind, resource: string, id: number | string, body: unknown) =>
    // Hook headers carry receivers' secrets; the ledger keeps their fingerprints (redact.ts).
    ledger.append({ kind, at: nowIso(), store: info.hash, resource, id, body: resource === 'hook' ? redactHook(body as Hook) : body });

  const hookMatches = (pattern: string, scope: string) =>
    pattern === scope || (pattern.endsWith('/*') && scope.startsWith(pattern.slice(0, -1)));

  const emit = (scope: string, data: WebhookData) => {
    const input = { scope, storeId: info.storeId, storeHash: info.hash, data, createdAtMs: clock.now() };
    // One pass over the hooks, no copy of them: this runs for every event (several per order).
    const targets: Hook[] = [];
    const hookIds: number[] = [];
    if (scope !== 'store/hook/deliveryException') {
      for (const h of hooks.values()) {
        if (h.is_active && hookMatches(h.scope, scope)) {
          targets.push(h);
          hookIds.push(h.id);
        }
      }
    }
    // An event no hook takes (most inventory scopes in a run) is recorded with its hash; only one
    // that is delivered needs the payload and its body.
    if (targets.length === 0) {
      ledger.append({ kind: 'webhook:event', at: nowIso(), store: info.hash, scope, hash: webhookHash(input), data, hooks: hookIds });
      return;
    }
    const payload = buildWebhookPayload(input);
    ledger.append({ kind: 'webhook:event', at: nowIso(), store: info.hash, scope, hash: payload.hash, data, hooks: hookIds });
    options.onWebhook(ctx.store, targets, payload);
  };

  const ctx: StoreContext = {
    options,
    clock,
    ledger,
    info,
    hooks,
    carts: new Map<string, Cart>(),
    ids: createIds(),
    notifications: [],
    adminEmails: new Map<string, string[]>(),
    // Set by the first seed, before anything reads it.
    faker: undefined as unknown as Faker,
    products: new Map(),
    variants: new Map(),
    variantsByProduct: new Map(),
    productOptions: [],
    customerGroups: [],
    customers: new Map(),
    worstCase: undefined,
    brandIds: new Set(),
    brandLookup: undefined,
    locationLookup: undefined,
    orders: new Map(),
    absoluteBaseline: new Set(),
    store: undefined as unknown as Store,
    nowIso,
    record,
    changed,
    hookMatches,
    emit,
  };
  return ctx;
}
