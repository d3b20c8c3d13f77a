/**
 * The webhook health monitor. The platform deactivates a hook after 48 hours of failed retries
 * or 90 days without events and only emails someone (facts section c); an integration that does
 * not look never hears about its orders again (failure pattern `webhook-deactivation`). So the
 * engine registers its own hooks, and on start, on a schedule and whenever a
 * `store/hook/deliveryException` arrives it lists them and repairs what it finds:
 *
 * - missing (deleted, or never created): create it (POST /v3/hooks);
 * - inactive: re-enable it (PUT is_active: true);
 * - pointing elsewhere (the engine restarted on another port) or with stale headers: update it,
 *   so deliveries still in the platform's retry queue reach the new address.
 *
 * Hooks are visible only to the API account that made them (facts section c), and the platform
 * allows one `store/hook/deliveryException` hook per account and one hook per scope and
 * destination; so the engine adopts what its account already has rather than adding a second set.
 * A hook is the engine's when it carries an engine id header (this engine's, kept in SQLite, or a
 * previous engine's whose database was lost), the engine's secret, or one of the engine's URLs;
 * and the account's one deliveryException hook is always taken, whoever changed it. Per scope the
 * best candidate is kept (at the engine's URL, then carrying its id, then any) and repaired; every
 * other hook of the engine is deleted first, so the check ends with exactly one active hook per
 * scope at the engine's URLs, whatever someone else did to them. The account's other hooks (no
 * engine header, another destination) are not the engine's and are left alone.
 *
 * A repair after the first registration raises an alert and triggers the reconciliation sweep:
 * the events the platform dropped while the hook was off are backfilled from the API.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { ApiUnavailable, type BcClient } from './bc-client.ts';
import { UnexpectedAnswer } from './bc-sources.ts';
import { createKv, type EngineDb } from './db.ts';
import type { EngineBus, HookRepair } from './events.ts';
import type { Logger } from './logger.ts';
import { createSerialTask, every } from './timers.ts';

type Json = Record<string, any>;

export const SECRET_HEADER = 'x-webhook-secret';
export const ENGINE_HEADER = 'x-bc-harness-engine';
export const EXCEPTION_SCOPE = 'store/hook/deliveryException';

export interface HookStatus {
  scope: string;
  id: number;
  action: HookRepair;
}

export interface Monitor {
  /** Check and repair the hooks now; resolves with what was done (throws when the API refuses). */
  ensureHooks(): Promise<HookStatus[]>;
  /** Check soon (a delivery exception arrived). */
  kick(): void;
  start(periodMs: number): void;
  idle(): Promise<void>;
  stop(): void;
}

export class RegistrationRefused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Failed to register the webhooks: the API answered ${status} ${detail}. Check BIGCOMMERCE_ACCESS_TOKEN (--access-token) and BIGCOMMERCE_API_URL (--api-url).`);
    this.name = 'RegistrationRefused';
  }
}

export function createMonitor(options: {
  clock: Clock;
  db: EngineDb;
  bc: BcClient;
  bus: EngineBus;
  logger: Logger;
  scopes: string[];
  webhookUrl: () => string;
  exceptionUrl: () => string;
  secret: string;
  /** A hook was found off or gone after the first registration: backfill. */
  onRepaired: (statuses: HookStatus[]) => void;
}): Monitor {
  const { clock, db, bc, bus, logger } = options;
  const kv = createKv(db);
  let engineId = kv.get('engine:id');
  if (!engineId) {
    engineId = randomUUID();
    kv.set('engine:id', engineId);
  }
  const id = engineId;
  let timer: { stop(): void } | undefined;

  const listAccountHooks = async (): Promise<Json[]> => {
    const hooks: Json[] = [];
    for (let page = 1; page < 20; page++) {
      const res = await bc.request('monitor', 'GET', `/v3/hooks?limit=250&page=${page}`);
      if (res.status === 401 || res.status === 403) throw new RegistrationRefused(res.status, JSON.stringify(res.body));
      if (res.status !== 200) throw new UnexpectedAnswer('list the webhooks', res.status, res.body);
      const data = ((res.body as Json)?.data ?? []) as Json[];
      hooks.push(...data);
      const pagination = (res.body as Json)?.meta?.pagination;
      if (!pagination || page >= (pagination.total_pages ?? 1)) break;
    }
    return hooks;
  };

  /** The engine's hooks among the account's (see the header comment). */
  const isEngines = (h: Json, urls: Set<string>) =>
    h.scope === EXCEPTION_SCOPE || typeof h.headers?.[ENGINE_HEADER] === 'string' || h.headers?.[SECRET_HEADER] === options.secret || urls.has(h.destination);

  /** Which of a scope's candidates to keep: at the wanted URL, then carrying this engine's id, then any engine's, then active. */
  const rank = (h: Json, destination: string) =>
    (h.destination === destination ? 8 : 0) + (h.headers?.[ENGINE_HEADER] === id ? 4 : 0) + (typeof h.headers?.[ENGINE_HEADER] === 'string' ? 2 : 0) + (h.is_active ? 1 : 0);

  const ensureHooks = async (): Promise<HookStatus[]> => {
    const desired = [...options.scopes.map((scope) => ({ scope, destination: options.webhookUrl() })), { scope: EXCEPTION_SCOPE, destination: options.exceptionUrl() }];
    const headers = { [SECRET_HEADER]: options.secret, [ENGINE_HEADER]: id };
    const urls = new Set([options.webhookUrl(), options.exceptionUrl()]);
    const mine = (await listAccountHooks()).filter((h) => isEngines(h, urls));
    // Keep the best hook per wanted scope; everything else of the engine's goes first, which frees
    // the destination and the per-scope places the repairs and creations below may need.
    const keep = new Map<string, Json>();
    for (const want of desired) {
      const best = mine.filter((h) => h.scope === want.scope).sort((a, b) => rank(b, want.destination) - rank(a, want.destination))[0];
      if (best) keep.set(want.scope, best);
    }
    const kept = new Set([...keep.values()].map((h) => h.id));
    // Ours but no longer wanted (a flow was switched off), a second copy, or a previous engine's.
    for (const extra of mine.filter((h) => !kept.has(h.id))) {
      const res = await bc.request('monitor', 'DELETE', `/v3/hooks/${extra.id}`);
      if (res.status !== 200 && res.status !== 404) logger.warn('could not delete a stale webhook', { id: extra.id, status: res.status });
      else logger.info('deleted a webhook of the engine that is not wanted or is a second copy', { id: extra.id, scope: extra.scope, destination: extra.destination });
    }
    const statuses: HookStatus[] = [];
    for (const want of desired) {
      const hook = keep.get(want.scope);
      if (hook && hook.headers?.[ENGINE_HEADER] !== id) {
        logger.warn('adopting a webhook this engine did not register (a previous engine whose state was lost, or changed by someone else)', { id: hook.id, scope: hook.scope, destination: hook.destination, active: Boolean(hook.is_active) });
      }
      let action: HookRepair;
      let hookId: number;
      if (!hook) {
        const res = await bc.request('monitor', 'POST', '/v3/hooks', { scope: want.scope, destination: want.destination, is_active: true, headers });
        if (res.status === 401 || res.status === 403) throw new RegistrationRefused(res.status, JSON.stringify(res.body));
        if (res.status !== 200 && res.status !== 201) throw new UnexpectedAnswer(`create the ${want.scope} webhook`, res.status, res.body);
        action = 'created';
        hookId = (res.body as Json).data.id;
      } else {
        hookId = hook.id;
        const sameHeaders = hook.headers?.[SECRET_HEADER] === options.secret && hook.headers?.[ENGINE_HEADER] === id;
        if (hook.is_active && hook.destination === want.destination && sameHeaders) action = 'healthy';
        else {
          const res = await bc.request('monitor', 'PUT', `/v3/hooks/${hook.id}`, { destination: want.destination, is_active: true, headers });
          if (res.status !== 200) throw new UnexpectedAnswer(`repair the ${want.scope} webhook ${hook.id}`, res.status, res.body);
          action = hook.is_active ? 'repointed' : 'reactivated';
        }
      }
      statuses.push({ scope: want.scope, id: hookId, action });
      bus.emit('hook:checked', { scope: want.scope, action, ...(hook ? { wasActive: Boolean(hook.is_active) } : {}) });
    }
    const firstTime = kv.get('hooks:registered') === undefined;
    if (firstTime) kv.set('hooks:registered', new Date(clock.now()).toISOString());
    const repaired = statuses.filter((s) => s.action === 'reactivated' || (s.action === 'created' && !firstTime));
    if (repaired.length > 0) options.onRepaired(repaired);
    return statuses;
  };

  const task = createSerialTask(
    clock,
    async () => {
      try {
        await ensureHooks();
      } catch (error) {
        if (error instanceof ApiUnavailable || error instanceof UnexpectedAnswer || error instanceof RegistrationRefused) {
          logger.error('webhook check failed; the next check retries', { error: error.message });
          return;
        }
        throw error;
      }
    },
    (error) => logger.error('monitor failed', { error: error instanceof Error ? error.stack : String(error) }),
  );

  return {
    ensureHooks,
    kick: () => task.kick(),
    start(periodMs) {
      timer = every(clock, periodMs, () => task.kick());
    },
    idle: () => task.idle(),
    stop() {
      timer?.stop();
      task.stop();
    },
  };
}
