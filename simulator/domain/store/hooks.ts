/**
 * Webhook subscriptions (webhooks.v3.yml, and /v2/hooks over the same table): per-client hooks
 * and their limits, deactivation with its notification, the /hooks/admin emails, and events raised
 * for one client's hooks only (app uninstall, delivery exceptions).
 */
import { DomainError, unprocessable } from '../errors.ts';
import type { Hook } from '../model.ts';
import { buildWebhookPayload, type WebhookData } from '../webhooks/payload.ts';
import type { StoreContext } from './context.ts';

export function createHooks(ctx: StoreContext) {
  const { clock, info, options, hooks, ids, notifications, adminEmails, nowIso, record, changed, hookMatches } = ctx;

  const api = {
    listHooks(clientId: string): Hook[] {
      // Hooks are visible only to the client that created them (facts section c).
      return [...hooks.values()].filter((h) => h.client_id === clientId);
    },

    getHook(clientId: string, id: number): Hook {
      const hook = hooks.get(id);
      if (!hook || hook.client_id !== clientId) throw new DomainError('not-found', `Webhook with id [${id}] not found`);
      return hook;
    },

    createHook(clientId: string, input: { scope: string; destination: string; is_active?: boolean; headers?: Record<string, string> | null }): Hook {
      const mine = [...hooks.values()].filter((h) => h.client_id === clientId && h.scope === input.scope);
      // At most 10 hooks per store+client+scope and 1 per store+client+scope+destination (2025-04).
      if (mine.some((h) => h.destination === input.destination)) {
        throw unprocessable('JSON data is missing or invalid', { destination: `a hook for scope ${input.scope} and this destination already exists` });
      }
      if (mine.length >= 10) throw unprocessable('JSON data is missing or invalid', { scope: `at most 10 hooks per scope; ${input.scope} has 10` });
      if (input.scope === 'store/hook/deliveryException' && [...hooks.values()].some((h) => h.client_id === clientId && h.scope === input.scope)) {
        throw unprocessable('JSON data is missing or invalid', { scope: 'only one store/hook/deliveryException hook per client' });
      }
      const now = Math.floor(clock.now() / 1000);
      const hook: Hook = {
        id: ids.hook.next(),
        client_id: clientId,
        store_hash: info.hash,
        scope: input.scope,
        destination: input.destination,
        is_active: input.is_active ?? true,
        headers: input.headers ?? null,
        created_at: now,
        updated_at: now,
      };
      hooks.set(hook.id, hook);
      changed('resource:created', 'hook', hook.id, hook);
      return hook;
    },

    updateHook(clientId: string, id: number, patch: { scope?: string; destination?: string; is_active?: boolean; headers?: Record<string, string> | null }): Hook {
      const hook = api.getHook(clientId, id);
      Object.assign(hook, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      hook.updated_at = Math.floor(clock.now() / 1000);
      changed('resource:updated', 'hook', hook.id, hook);
      return hook;
    },

    deleteHook(clientId: string, id: number): Hook {
      const hook = api.getHook(clientId, id);
      hooks.delete(id);
      changed('resource:deleted', 'hook', id, hook);
      return hook;
    },

    deactivateHook(id: number, reason: 'retries-exhausted' | 'inactivity'): Hook | undefined {
      const hook = hooks.get(id);
      if (!hook || !hook.is_active) return hook;
      hook.is_active = false;
      hook.updated_at = Math.floor(clock.now() / 1000);
      record({ kind: 'hook:deactivated', id, reason, body: hook });
      changed('resource:updated', 'hook', id, hook);
      // The platform emails the app's address (or the /hooks/admin emails of the hook's account).
      const notification = { at: nowIso(), hookId: id, message: reason === 'retries-exhausted' ? 'Webhook deactivated: retries exhausted' : 'Webhook deactivated: 90 days without events', emails: adminEmails.get(hook.client_id) ?? [] };
      notifications.push(notification);
      record({ kind: 'hook:notification', ...notification });
      return hook;
    },

    /** App uninstall or API-account deletion deletes the client's hooks (facts section c). */
    deleteClientHooks(clientId: string): Hook[] {
      const removed = [...hooks.values()].filter((h) => h.client_id === clientId);
      for (const hook of removed) {
        hooks.delete(hook.id);
        changed('resource:deleted', 'hook', hook.id, hook);
      }
      return removed;
    },

    /** Raise an event for one client's hooks only (store/app/uninstalled goes to the uninstalled app); returns them. */
    emitToClient(clientId: string, scope: string, data: WebhookData): Hook[] {
      const payload = buildWebhookPayload({ scope, storeId: info.storeId, storeHash: info.hash, data, createdAtMs: clock.now() });
      const targets = [...hooks.values()].filter((h) => h.is_active && h.client_id === clientId && hookMatches(h.scope, scope));
      record({ kind: 'webhook:event', scope, hash: payload.hash, data, hooks: targets.map((h) => h.id) });
      if (targets.length > 0) options.onWebhook(ctx.store, targets, payload);
      return targets;
    },

    raiseDeliveryException(clientId: string, data: { id: number; error_code: number; message: string }): void {
      const payload = buildWebhookPayload({ scope: 'store/hook/deliveryException', storeId: info.storeId, storeHash: info.hash, data: { type: 'webhook', ...data }, createdAtMs: clock.now() });
      const targets = [...hooks.values()].filter((h) => h.is_active && h.client_id === clientId && h.scope === 'store/hook/deliveryException');
      record({ kind: 'webhook:event', scope: payload.scope, hash: payload.hash, data: payload.data, hooks: targets.map((h) => h.id) });
      if (targets.length > 0) options.onWebhook(ctx.store, targets, payload);
    },

    /** The notification emails of one API account (`GET /v3/hooks/admin`). */
    adminEmails(clientId: string): string[] {
      return adminEmails.get(clientId) ?? [];
    },
    /** Set one API account's notification emails (`PUT /v3/hooks/admin`); other accounts keep theirs. */
    setAdminEmails(clientId: string, emails: string[]) {
      adminEmails.set(clientId, emails);
    },
  };
  return api;
}
