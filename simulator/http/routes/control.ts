/**
 * The control plane under `/__sim/` (DESIGN.md section 8): shopper traffic that does not consume
 * the store's API quota, the ground-truth ledger, the fault plan, reset and the clock. It needs
 * `Authorization: Bearer <controlToken>` and, by default, listens on loopback only.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { faultPlanSchema } from '../../domain/faults.ts';
import { orderProfileSchema } from '../../domain/order-profiles.ts';
import type { Simulator } from '../../domain/simulator.ts';
import type { Store } from '../../domain/store.ts';
import { HttpError } from '../errors.ts';
import { handle } from '../middleware.ts';
import { parseBody } from '../validation.ts';

export const MAX_SHOPPER_BATCH = 10_000;

const ordersBody = z.object({ profile: orderProfileSchema.default('typical'), count: z.number().int().min(1).max(MAX_SHOPPER_BATCH).default(1) }).strict();
const countBody = z.object({ count: z.number().int().min(1).max(MAX_SHOPPER_BATCH).default(1) }).strict();
const cartsBody = countBody.extend({ abandonAfterMinutes: z.number().min(0).max(60 * 24 * 30).default(60) }).strict();
const clockBody = z.object({ advanceMs: z.number().int().min(0).max(400 * 86_400_000) }).strict();

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createControlRouter(sim: Simulator): Router {
  const router = Router();

  const authorize: RequestHandler = (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!safeEqual(token, sim.controlToken)) {
      return next(new HttpError(401, 'Failed to authorize the control plane request: send Authorization: Bearer <controlToken> (printed in the ready line of `bc-harness sim --json`).'));
    }
    next();
  };
  router.use(authorize);

  const storeOf = (hash: string | undefined): Store => {
    const store = hash ? sim.store(hash) : undefined;
    if (!store) throw new HttpError(404, `Failed to find store "${hash}": the simulator serves ${[...sim.stores.keys()].join(', ')}.`);
    return store;
  };

  router.get(
    '/stores',
    handle((_req, res) => {
      res.json({
        stores: [...sim.stores.values()].map((s) => ({
          hash: s.info.hash,
          storeId: s.info.storeId,
          plan: s.info.plan,
          accounts: s.accounts.map((a) => ({ name: a.name, clientId: a.clientId, accessToken: a.accessToken, scopes: a.scopes })),
          orders: s.orders.size,
          products: s.products.size,
          customers: s.customers.size,
          hooks: s.hooks.size,
        })),
      });
    }),
  );

  router.post(
    '/stores/:hash/orders',
    handle((req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(ordersBody, req.body ?? {});
      const ids: number[] = [];
      for (let i = 0; i < body.count; i++) ids.push(store.placeShopperOrder(body.profile).order.id);
      res.status(201).json({ ids });
    }),
  );

  router.post(
    '/stores/:hash/carts',
    handle((req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(cartsBody, req.body ?? {});
      const carts = store.createShopperCarts(body.count, body.abandonAfterMinutes * 60_000);
      res.status(201).json({ ids: carts.map((c) => c.id) });
    }),
  );

  router.post(
    '/stores/:hash/customers',
    handle((req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(countBody, req.body ?? {});
      res.status(201).json({ ids: store.registerShopperCustomers(body.count).map((c) => c.id) });
    }),
  );

  router.get(
    '/stores/:hash/quota',
    handle((req, res) => {
      const store = storeOf(req.params.hash as string);
      const windows = store.quota.history().map((w) => ({ ...w, start: new Date(w.start).toISOString() }));
      res.json({ plan: store.info.plan, current: store.quota.peek(), windows });
    }),
  );

  router.get(
    '/stores/:hash/notifications',
    handle((req, res) => {
      res.json({ notifications: storeOf(req.params.hash as string).notifications });
    }),
  );

  router.get(
    '/ledger',
    handle((req, res) => {
      const kinds = typeof req.query.kinds === 'string' ? new Set(req.query.kinds.split(',')) : undefined;
      res.status(200).type('application/x-ndjson');
      const stream = sim.ledger.stream();
      if (!kinds) {
        stream.pipe(res);
        return;
      }
      let rest = '';
      stream.on('data', (chunk: string | Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        const keep = lines.filter((line) => {
          const match = /^\{"kind":"([^"]+)"/.exec(line);
          return match && kinds.has(match[1]!);
        });
        if (keep.length > 0) res.write(`${keep.join('\n')}\n`);
      });
      stream.on('end', () => res.end());
      stream.on('error', (error) => res.destroy(error));
    }),
  );

  router.get(
    '/faults',
    handle((_req, res) => {
      res.json(sim.faults());
    }),
  );

  router.put(
    '/faults',
    handle((req, res) => {
      const plan = parseBody(faultPlanSchema, req.body ?? {});
      sim.setFaults(plan);
      res.json(sim.faults());
    }),
  );

  router.post(
    '/reset',
    handle((_req, res) => {
      sim.reset();
      res.status(204).end();
    }),
  );

  router.get(
    '/clock',
    handle((_req, res) => {
      res.json({ now: new Date(sim.clock.now()).toISOString(), scale: sim.clock.scale });
    }),
  );

  router.post(
    '/clock',
    handle((req, res) => {
      const body = parseBody(clockBody, req.body ?? {});
      sim.clock.advance(body.advanceMs);
      sim.ledger.append({ kind: 'clock:advanced', at: new Date(sim.clock.now()).toISOString(), advanceMs: body.advanceMs });
      res.json({ now: new Date(sim.clock.now()).toISOString(), scale: sim.clock.scale });
    }),
  );

  router.get(
    '/webhooks/pending',
    handle((_req, res) => {
      res.json({ pending: sim.dispatcher.pending(), denylisted: sim.dispatcher.denylisted() });
    }),
  );

  return router;
}
