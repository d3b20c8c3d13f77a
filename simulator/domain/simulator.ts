/**
 * The simulator's composition root (domain side): one clock, one ledger, one fault plan, one
 * webhook dispatcher, and one or more stores. Every stage has a default and can be replaced, so a
 * test swaps exactly one (for example a fake `deliver` or a manual clock).
 */
import { createAppRegistry, type AppInput, type AppRegistry, type AppUninstalledWebhook, type VisitApp } from './apps.ts';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { createEventBus, type EventBus } from '../../lib/events.ts';
import { faultPlanSchema, type FaultPlan, NO_FAULTS } from './faults.ts';
import { isoMs } from './format.ts';
import { createLedger, type Ledger } from '../../lib/ledger.ts';
import type { ApiAccount } from './model.ts';
import { planQuota, type PlanName } from '../../lib/plans.ts';
import { createQuota, type QuotaAnchor } from './quota.ts';
import { createRandom, deriveSeed } from '../../lib/random.ts';
import { createStore, randomToken, type Store, tokenFor } from './store.ts';
import { familyContext, resetFamilyState } from '../families/state.ts';
import { FAMILIES } from '../families/registry.ts';
import { createDispatcher, type Deliver, type Dispatcher, type WebhookEvents } from './webhooks/dispatcher.ts';
import type { DenylistOptions } from './webhooks/denylist.ts';
import type { CatalogProfile } from './worst-case-catalog.ts';

export interface SimulatorOptions {
  seed?: number;
  plan?: PlanName;
  /** Requests per 30-second window, overriding the plan (required to limit Enterprise). */
  quota?: number;
  /** Requests per hour, overriding the plan. */
  hourlyQuota?: number;
  quotaAnchor?: QuotaAnchor;
  stores?: number;
  timeScale?: number;
  /** Simulated start time, epoch ms. */
  start?: number;
  clock?: Clock;
  ledger?: Ledger;
  /** Write the ledger to this file (for example `<runDir>/ledger.jsonl`). */
  ledgerPath?: string;
  deliver: Deliver;
  products?: number;
  customers?: number;
  pastOrders?: number;
  /** The catalog profile of every store: `typical` (default) or `worst-case` (worst-case-catalog.ts). */
  catalog?: CatalogProfile;
  webhookTimeoutMs?: number;
  ladderSeconds?: readonly number[];
  denylist?: DenylistOptions;
  /** Sign callbacks with Standard Webhooks headers using each client's secret. */
  signWebhooks?: boolean;
  /** Demand https destinations on port 443, as the platform does. Off by default for loopback. */
  strictDestinations?: boolean;
  /** A read-only account is added to every store, for scope tests and read-only apps. */
  readOnlyAccount?: boolean;
  controlToken?: string;
  /**
   * Derive the control token, access tokens and webhook signing secrets from the seed, so the same
   * seed gives the same tokens (`bc-harness sim --fixed-tokens`). Off by default: tokens are
   * random per run, since anyone who knows the seed (the default is 1) could guess them. The seed
   * decides the data either way.
   */
  deterministicTokens?: boolean;
  /** Single-click apps registered at start (`bc-harness sim --app-url`); more through `POST /__sim/apps`. */
  apps?: AppInput[];
  /** How app callbacks are called (a GET); startSimulator gives an HTTP one. Without it every callback fails. */
  visitApp?: VisitApp;
  /** Simulated ms an install's code stays valid (default 10 minutes; not documented by the platform). */
  appCodeTtlMs?: number;
  /** Real ms an app has to answer a callback (default 10 s). */
  appCallbackTimeoutMs?: number;
  /** Who gets `store/app/uninstalled` on an app uninstall (default: the uninstalling app's own hooks). */
  appUninstalledWebhook?: AppUninstalledWebhook;
  /**
   * Simulated ms a `PUT /v3/customers` takes, holding one of the 3 concurrent-update slots all the
   * while (default `DEFAULT_CUSTOMER_UPDATE_MS`; 0 on a manual clock, where time moves only when
   * told and a held request would wait for the next jump). Not documented by the platform.
   */
  customerUpdateMs?: number;
}

/** A platform write of a batch of customers takes a few hundred ms; its exact time is not documented. */
export const DEFAULT_CUSTOMER_UPDATE_MS = 250;

/** The processing time of `PUT /v3/customers`: the option, or the default for this clock. */
export function customerUpdateMsFor(scale: number, option: number | undefined): number {
  if (option !== undefined) {
    if (!Number.isFinite(option) || option < 0) throw new RangeError(`Failed to start the simulator: customerUpdateMs ${option} is not a duration >= 0 (simulated ms).`);
    return option;
  }
  return scale === 0 ? 0 : DEFAULT_CUSTOMER_UPDATE_MS;
}

export type SimulatorEvents = WebhookEvents;

export interface Simulator {
  clock: Clock;
  ledger: Ledger;
  stores: Map<string, Store>;
  dispatcher: Dispatcher;
  bus: EventBus<SimulatorEvents>;
  /** Single-click apps: registrations, installs, token exchange, load and uninstall. */
  apps: AppRegistry;
  seed: number;
  controlToken: string;
  strictDestinations: boolean;
  /** Simulated ms a `PUT /v3/customers` holds its concurrency slot (see `customerUpdateMsFor`). */
  customerUpdateMs: number;
  faults(): FaultPlan;
  setFaults(plan: FaultPlan): void;
  store(hash: string): Store | undefined;
  clientSecret(clientId: string): string;
  reset(): void;
  close(): void;
}

export function storeHashFor(seed: number, index: number): string {
  // Store hashes on the platform are short lowercase alphanumerics ("abc123def").
  return `s${(deriveSeed(seed, `store-${index}`) % 36 ** 7).toString(36).padStart(7, '0')}`;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const plan = options.plan ?? 'standard';
  const clock = options.clock ?? createVirtualClock({ scale: options.timeScale ?? 1, ...(options.start !== undefined ? { start: options.start } : {}) });
  const customerUpdateMs = customerUpdateMsFor(clock.scale, options.customerUpdateMs);
  const ledger = options.ledger ?? createLedger(options.ledgerPath ? { path: options.ledgerPath } : {});
  const bus = createEventBus<SimulatorEvents>();
  let faults: FaultPlan = NO_FAULTS;
  const stores = new Map<string, Store>();
  const fixedTokens = options.deterministicTokens ?? false;
  /** A token from the seed with `deterministicTokens`, otherwise a random one. */
  const token = (hash: string, tokenSeed: number, name: string) => (fixedTokens ? tokenFor(hash, tokenSeed, name) : randomToken());
  const secrets = new Map<string, string>();
  const clientSecret = (clientId: string) => {
    const app = apps.get(clientId);
    if (app) return app.clientSecret;
    let secret = secrets.get(clientId);
    if (!secret) secrets.set(clientId, (secret = Buffer.from(token(clientId, seed, 'secret')).toString('base64')));
    return secret;
  };

  const dispatcher = createDispatcher({
    clock,
    deliver: options.deliver,
    bus,
    random: createRandom(deriveSeed(seed, 'webhook-faults')),
    faults: () => faults,
    ...(options.ladderSeconds ? { ladderSeconds: options.ladderSeconds } : {}),
    ...(options.denylist ? { denylist: options.denylist } : {}),
    ...(options.webhookTimeoutMs !== undefined ? { timeoutMs: options.webhookTimeoutMs } : {}),
    hooks: {
      // A hook an app uninstall deleted still gets the store/app/uninstalled raised just before.
      get: (store, id, scope) => stores.get(store)?.hooks.get(id) ?? (scope === 'store/app/uninstalled' ? apps.farewellHook(store, id) : undefined),
      deactivate: (store, id, reason) => stores.get(store)?.deactivateHook(id, reason),
      raiseDeliveryException: (store, clientId, data) => stores.get(store)?.raiseDeliveryException(clientId, data),
      *all() {
        for (const s of stores.values()) yield* s.hooks.values();
      },
      signingSecret: (_store, clientId) => (options.signWebhooks ? clientSecret(clientId) : undefined),
    },
  });

  // The ledger subscribes to delivery events; stores write their own mutations.
  const at = () => isoMs(clock.now());
  bus.on('webhook:attempt', (e) => ledger.append({ kind: 'webhook:attempt', at: at(), ...e }));
  bus.on('webhook:dropped', (e) => ledger.append({ kind: 'webhook:dropped', at: at(), ...e }));

  const storeCount = options.stores ?? 1;
  for (let i = 0; i < storeCount; i++) {
    const hash = storeHashFor(seed, i);
    const storeSeed = deriveSeed(seed, hash);
    const quota = createQuota({
      clock,
      quota: planQuota(plan, { ...(options.quota !== undefined ? { perWindow: options.quota } : {}), ...(options.hourlyQuota !== undefined ? { perHour: options.hourlyQuota } : {}) }),
      ...(options.quotaAnchor ? { anchor: options.quotaAnchor } : {}),
    });
    const accounts: ApiAccount[] = options.readOnlyAccount === false ? [] : [
      {
        name: 'read-only',
        clientId: `client_${hash}_ro`,
        accessToken: token(hash, storeSeed, 'read-only'),
        scopes: ['store_cart_read_only', 'store_v2_orders_read_only', 'store_v2_products_read_only', 'store_v2_customers_read_only', 'store_v2_transactions_read_only', 'store_inventory_read_only', 'store_v2_information_read_only', 'store_channel_settings_read_only', 'store_sites_read_only', 'store_locations_read_only', 'store_checkout_read_only'],
      },
    ];
    const store = createStore({
      hash,
      storeId: String(1_000_000 + (storeSeed % 8_999_999)),
      plan,
      seed: storeSeed,
      clock,
      ledger,
      quota,
      accounts,
      accessToken: token(hash, storeSeed, 'integration'),
      onWebhook: (s, hooks, payload) => {
        for (const hook of hooks) dispatcher.enqueue(s.info.hash, hook, payload);
      },
      ...(options.products !== undefined ? { products: options.products } : {}),
      ...(options.customers !== undefined ? { customers: options.customers } : {}),
      ...(options.pastOrders !== undefined ? { pastOrders: options.pastOrders } : {}),
      ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
    });
    stores.set(hash, store);
    // The declared families (simulator/families) seed their records as of now, lazily on first use.
    resetFamilyState(store, clock.now());
    store.setBrandLookup((id) => familyContext(store, { seed, clock, families: FAMILIES }).collection('brand').find(id) !== undefined);
    store.setLocationLookup((id) => familyContext(store, { seed, clock, families: FAMILIES }).collection('location').find(id) !== undefined);
  }

  const controlToken = options.controlToken ?? token('control', seed, 'control-plane');

  const apps: AppRegistry = createAppRegistry({
    clock,
    ledger,
    store: (hash) => stores.get(hash),
    newToken: (name) => token('apps', seed, name),
    visit: options.visitApp ?? (async () => ({ error: 'no app transport configured (start the simulator with startSimulator)', durationMs: 0 })),
    strictDestinations: options.strictDestinations ?? false,
    ...(options.appCodeTtlMs !== undefined ? { codeTtlMs: options.appCodeTtlMs } : {}),
    ...(options.appCallbackTimeoutMs !== undefined ? { callbackTimeoutMs: options.appCallbackTimeoutMs } : {}),
    ...(options.appUninstalledWebhook ? { uninstalledWebhook: options.appUninstalledWebhook } : {}),
  });
  for (const app of options.apps ?? []) apps.register(app);

  return {
    clock,
    ledger,
    stores,
    dispatcher,
    bus,
    apps,
    seed,
    controlToken,
    strictDestinations: options.strictDestinations ?? false,
    customerUpdateMs,
    faults: () => faults,
    setFaults(plan) {
      faults = faultPlanSchema.parse(plan);
      for (const s of stores.values()) s.quota.setOtherAppsShare(faults.quota.otherAppsShare);
      ledger.append({ kind: 'faults:changed', at: at(), plan: faults });
    },
    store: (hash) => stores.get(hash),
    clientSecret,
    reset() {
      dispatcher.reset();
      apps.reset();
      faults = NO_FAULTS;
      for (const s of stores.values()) {
        s.quota.setOtherAppsShare(0);
        s.reset();
        resetFamilyState(s, clock.now());
      }
    },
    close() {
      dispatcher.stop();
      clock.dispose();
      ledger.close();
    },
  };
}
