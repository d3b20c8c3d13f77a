/**
 * The control plane's app lifecycle (mounted by control.ts, behind the control token): register
 * a single-click app, and act as the merchant: install (the browser calls the app's auth
 * callback with a one-time code), load and uninstall (signed_payload_jwt callbacks). The rules
 * are in simulator/domain/apps.ts.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { App } from '../../domain/apps.ts';
import type { Simulator } from '../../domain/simulator.ts';
import { handle } from '../middleware.ts';
import { parseBody } from '../validation.ts';

const url = z.string().min(1);
const registerBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    clientId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, _ or -').optional(),
    clientSecret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
    accountUuid: z.uuid().optional(),
    appUrl: url.optional(),
    authCallbackUrl: url.optional(),
    loadCallbackUrl: url.optional(),
    uninstallCallbackUrl: url.optional(),
    removeUserCallbackUrl: url.optional(),
    // A space-separated string as in the auth callback, or a list.
    scopes: z.union([z.array(z.string()), z.string().transform((s) => s.split(/\s+/).filter(Boolean))]).optional(),
  })
  .strict();
const installBody = z.object({ callback: z.boolean().default(true) }).strict();
const loadBody = z.object({ url: z.string().startsWith('/', 'must be a path starting with /').default('/'), channelId: z.number().int().min(1).nullable().default(null) }).strict();

export function describeApp(sim: Simulator, app: App) {
  return { ...app, installedOn: sim.apps.installedOn(app.clientId) };
}

export function createControlAppsRouter(sim: Simulator): Router {
  const router = Router();

  router.get(
    '/apps',
    handle((_req, res) => {
      res.json({ apps: sim.apps.list().map((a) => describeApp(sim, a)) });
    }),
  );

  router.post(
    '/apps',
    handle((req, res) => {
      const body = parseBody(registerBody, req.body ?? {});
      const input = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      res.status(201).json(describeApp(sim, sim.apps.register(input)));
    }),
  );

  router.post(
    '/stores/:hash/apps/:clientId/install',
    handle(async (req, res) => {
      const body = parseBody(installBody, req.body ?? {});
      res.json(await sim.apps.install(req.params.hash as string, req.params.clientId as string, { callback: body.callback }));
    }),
  );

  router.post(
    '/stores/:hash/apps/:clientId/load',
    handle(async (req, res) => {
      const body = parseBody(loadBody, req.body ?? {});
      res.json(await sim.apps.load(req.params.hash as string, req.params.clientId as string, { url: body.url, channelId: body.channelId }));
    }),
  );

  router.post(
    '/stores/:hash/apps/:clientId/uninstall',
    handle(async (req, res) => {
      res.json(await sim.apps.uninstall(req.params.hash as string, req.params.clientId as string));
    }),
  );

  return router;
}
