/**
 * Webhooks V3 (webhooks.v3.yml): CRUD on `/hooks` and the admin endpoint. Hooks and the admin
 * notification emails belong to the API account: each client sees and changes only its own.
 * `POST` answers 200 (not 201) and `DELETE` 200 with the deleted hook, as the spec says. The
 * platform demands https on port 443; the simulator accepts loopback http destinations unless
 * strict mode is on.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Hook as HookContract } from '../../../contracts/generated/index.ts';
import { destinationProblem } from '../../domain/destinations.ts';
import type { Hook } from '../../domain/model.ts';
import type { Simulator } from '../../domain/simulator.ts';
import type { Store } from '../../domain/store.ts';
import { HttpError } from '../errors.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { paginate } from '../pagination.ts';
import { idParam, parseBody, parseQuery } from '../validation.ts';

function destinationSchema(strict: boolean) {
  return z
    .string()
    .min(1, 'error.path.missing.')
    .superRefine((value, ctx) => {
      const problem = destinationProblem(value, strict);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

const scopeSchema = z.string().regex(/^store\/[A-Za-z/*]+$/, 'must be a webhook scope such as store/order/created or store/order/*');
const headersSchema = z.record(z.string().max(64), z.string().max(8192)).nullable();

/** The create and update bodies, shared with `/v2/hooks` (v2-hooks.ts), which manages the same hooks. */
export function hookBodySchemas(strictDestinations: boolean) {
  const createBody = z.object({ scope: scopeSchema, destination: destinationSchema(strictDestinations), is_active: z.boolean().optional(), headers: headersSchema.optional() });
  const updateBody = createBody.partial().refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' });
  return { createBody, updateBody };
}

/**
 * A hook as served by /v3/hooks and /v2/hooks: the stored hook itself (model Hook is the contract
 * without its index signature); typed so a change to either side that breaks the other fails the compile.
 */
export const renderHook = (h: Hook): HookContract => h;

/** The list filters of `GET /hooks`, shared with `/v2/hooks`. */
export const hookListQuery = z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(250).default(50), is_active: z.enum(['true', 'false']).optional(), scope: z.string().optional(), destination: z.string().optional() }).loose();

/** The calling account's hooks that pass the list filters, for `/v3/hooks` and `/v2/hooks`. */
export function filterHooks(store: Store, clientId: string, q: z.infer<typeof hookListQuery>): Hook[] {
  return store.listHooks(clientId).filter((h) => (q.is_active === undefined || h.is_active === (q.is_active === 'true')) && (q.scope === undefined || h.scope === q.scope) && (q.destination === undefined || h.destination === q.destination));
}

export function createV3HooksRouter(sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  // Webhooks need no OAuth scope beyond the default one every account has, read-only accounts
  // included (webhooks.v3.yml: "None required"); each account sees and changes only its own hooks
  // and notification emails.
  const anyAccount = requireScope('default');
  const { createBody, updateBody } = hookBodySchemas(sim.strictDestinations);

  router.get(
    '/hooks',
    anyAccount,
    handle((req, res) => {
      const q = parseQuery(hookListQuery, req.query);
      const { store, account } = locals(res);
      res.json(paginate(filterHooks(store, account.clientId, q).map(renderHook), q.page, q.limit));
    }),
  );

  router.get(
    '/hooks/admin',
    anyAccount,
    handle((_req, res) => {
      const { store, account } = locals(res);
      const now = sim.clock.now();
      res.json({
        data: {
          emails: store.adminEmails(account.clientId),
          hooks_list: store.listHooks(account.clientId).map((h) => ({ ...h, status: h.is_active ? 'active' : 'deactivated' })),
          blocked_domains: sim.dispatcher
            .denylisted(now)
            .filter((d) => d.clientId === account.clientId)
            .map((d) => ({ destination: d.domain, time_left: Math.ceil(sim.clock.toRealMs(d.untilMs - now) / 1000), reasons: [{ failure_description: 'Success ratio below 90% over 2 minutes', count: 1, timestamp: Math.floor(now / 1000) }] })),
        },
        meta: {},
      });
    }),
  );

  router.put(
    '/hooks/admin',
    anyAccount,
    handle((req, res) => {
      const body = parseBody(z.object({ emails: z.array(z.email()) }), req.body);
      const { store, account } = locals(res);
      store.setAdminEmails(account.clientId, body.emails);
      res.status(204).end();
    }),
  );

  router.post(
    '/hooks',
    anyAccount,
    handle((req, res) => {
      const body = parseBody(createBody, req.body);
      const { store, account } = locals(res);
      res.status(200).json({ data: renderHook(store.createHook(account.clientId, body)), meta: {} });
    }),
  );

  router.get(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const { store, account } = locals(res);
      res.json({ data: renderHook(store.getHook(account.clientId, idParam(req.params.id as string, 'webhook'))), meta: {} });
    }),
  );

  router.put(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'webhook');
      const body = parseBody(updateBody, req.body);
      const { store, account } = locals(res);
      const hook = store.updateHook(account.clientId, id, body);
      if (body.is_active === true) sim.dispatcher.touch(hook.id);
      res.json({ data: renderHook(hook), meta: {} });
    }),
  );

  router.delete(
    '/hooks/:id',
    anyAccount,
    handle((req, res) => {
      const { store, account } = locals(res);
      res.json({ data: renderHook(store.deleteHook(account.clientId, idParam(req.params.id as string, 'webhook'))), meta: {} });
    }),
  );

  return router;
}
