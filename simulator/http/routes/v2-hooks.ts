/**
 * Webhooks V2 (`/v2/hooks`): the older API over the SAME hooks `/v3/hooks` manages (the store's
 * hook table), so a hook made through one is seen, changed and deleted through the other, with the
 * same per-client visibility, the same limits (10 per client and scope, 1 per client, scope and
 * destination) and the same body rules. The platform still serves it ("V2 /v2/hooks also exists and
 * returns bare objects", bigcommerce-facts.md section c) but no official document describes it, so
 * the shape is a choice, recorded in docs/decisions/0014-declared-resource-families.md: the V3 hook
 * fields without the `{data, meta}` envelope and the V3 statuses (a create 200, a delete 200 with the
 * deleted hook), errors as V2 arrays `[{status, message, details}]` (bad bodies 400, like every V2
 * route; the store's limits 422), and an empty list 204 like the other V2 lists. Unconfirmed
 * against a live store.
 */
import { Router } from 'express';
import type { Simulator } from '../../domain/simulator.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { idParam, parseBody, parseQuery } from '../validation.ts';
import { filterHooks, hookBodySchemas, hookListQuery, renderHook } from './v3-hooks.ts';

export function createV2HooksRouter(sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  // As /v3/hooks: no OAuth scope beyond the default one every account has.
  const anyAccount = requireScope('default');
  const { createBody, updateBody } = hookBodySchemas(sim.strictDestinations);

  router.get(
    '/hooks',
    anyAccount,
    handle((req, res) => {
      const q = parseQuery(hookListQuery, req.query, 400);
      const { store, account } = locals(res);
      const page = filterHooks(store, account.clientId, q).slice((q.page - 1) * q.limit, q.page * q.limit);
      // An empty V2 collection answers 204, like the other V2 lists.
      if (page.length === 0) {
        res.status(204).end();
        return;
      }
      res.json(page.map(renderHook));
    }),
  );

  router.post(
    '/hooks',
    anyAccount,
    handle((req, res) => {
      const body = parseBody(createBody, req.body, 400);
      const { store, account } = locals(res);
      res.status(200).json(renderHook(store.createHook(account.clientId, body)));
    }),
  );

  router.get(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const { store, account } = locals(res);
      res.json(renderHook(store.getHook(account.clientId, idParam(req.params.id as string, 'webhook'))));
    }),
  );

  router.put(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'webhook');
      const body = parseBody(updateBody, req.body, 400);
      const { store, account } = locals(res);
      const hook = store.updateHook(account.clientId, id, body);
      // Re-activating restarts the inactivity clock, as through /v3/hooks.
      if (body.is_active === true) sim.dispatcher.touch(hook.id);
      res.json(renderHook(hook));
    }),
  );

  router.delete(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const { store, account } = locals(res);
      res.json(renderHook(store.deleteHook(account.clientId, idParam(req.params.id as string, 'webhook'))));
    }),
  );

  return router;
}
