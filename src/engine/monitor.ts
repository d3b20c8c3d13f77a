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
 * Hooks are recognised as the engine's by a header carrying the engine's id (kept in SQLite), so
 * a restart adopts its hooks instead of adding a second set. A repair after the first
 * registration raises an alert and triggers the reconciliation sweep: the events the platform
 * dropped while the hook was off are backfilled from the API.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../simulator/domain/clock.ts';
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

  const listMine = async (): Promise<Json[]> => {
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
    const urls = new Set([options.webhookUrl(), options.exceptionUrl()]);
    // Ours: carrying our id, or (state lost) already pointing at this engine.
    return hooks.filter((h) => h.headers?.[ENGINE_HEADER] === id || urls.has(h.destination));
  };

  const ensureHooks = async (): Promise<HookStatus[]> => {
    const desired = [...options.scopes.map((scope) => ({ scope, destination: options.webhookUrl() })), { scope: EXCEPTION_SCOPE, destination: options.exceptionUrl() }];
    const headers = { [SECRET_HEADER]: options.secret, [ENGINE_HEADER]: id };
    const mine = await listMine();
    const statuses: HookStatus[] = [];
    const used = new Set<number>();
    for (const want of desired) {
      const candidates = mine.filter((h) => h.scope === want.scope && !used.has(h.id));
      const hook = candidates.find((h) => h.destination === want.destination) ?? candidates[0];
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
        used.add(hook.id);
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
    // Ours but no longer wanted (a flow was switched off), or a second copy: remove.
    for (const extra of mine.filter((h) => !statuses.some((s) => s.id === h.id))) {
      const res = await bc.request('monitor', 'DELETE', `/v3/hooks/${extra.id}`);
      if (res.status !== 200 && res.status !== 404) logger.warn('could not delete a stale webhook', { id: extra.id, status: res.status });
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
