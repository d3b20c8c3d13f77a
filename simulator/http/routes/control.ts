/**
 * The control plane under `/__sim/` (DESIGN.md section 8): shopper traffic that does not consume
 * the store's API quota, the ground-truth ledger, the fault plan, reset and the clock. It needs
 * `Authorization: Bearer <controlToken>` and, by default, listens on loopback only.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { faultPlanSchema } from '../../domain/faults.ts';
import { orderProfileSchema } from '../../domain/order-profiles.ts';
import type { Simulator } from '../../domain/simulator.ts';
import type { Store } from '../../domain/store.ts';
import { FAMILIES } from '../../families/registry.ts';
import { familyContext } from '../../families/state.ts';
import { storeProfilePatch, updateStoreProfile } from '../../families/store-information.ts';
import { HttpError } from '../errors.ts';
import { handle } from '../middleware.ts';
import { createControlAppsRouter } from './control-apps.ts';
import { parseBody, parseQuery } from '../validation.ts';
import { JSON_CONTENT_TYPE } from './v2-orders.ts';

/**
 * At most this many orders, carts or customers per control call; more is a 422 asking for several
 * calls. A worst-case order holds about 130 kB, so one call adds at most ~130 MB to the store.
 */
export const MAX_SHOPPER_BATCH = 1_000;
/**
 * Shopper generation runs in slices of about this much real time and yields to the event loop
 * (setImmediate) between them, so API and control requests are answered while a large call runs.
 */
export const GENERATION_SLICE_MS = 10;

const countField = z
  .number()
  .int()
  .min(1)
  .max(MAX_SHOPPER_BATCH, `must be at most ${MAX_SHOPPER_BATCH} per call; for more, make several calls of at most ${MAX_SHOPPER_BATCH}`)
  .default(1);
const ordersBody = z.object({ profile: orderProfileSchema.default('typical'), count: countField }).strict();
const countBody = z.object({ count: countField }).strict();
const cartsBody = countBody.extend({ abandonAfterMinutes: z.number().min(0).max(60 * 24 * 30).default(60) }).strict();
const ledgerQuery = z.object({ kinds: z.string().optional() }).loose();
const clockBody = z.object({ advanceMs: z.number().int().min(0).max(400 * 86_400_000) }).strict();

/**
 * Make `count` things with `makeOne`, in slices of GENERATION_SLICE_MS of real time with the event
 * loop served between them. Only what `makeOne` returns (an id) is kept. Stops, answering nothing,
 * when the client has gone away (nobody is left to read the ids); what was made stays made.
 */
async function generate<T>(count: number, res: Response, makeOne: () => T): Promise<T[] | undefined> {
  const made: T[] = [];
  let gone = false;
  const onClose = () => {
    if (!res.writableEnded) gone = true;
  };
  res.once('close', onClose);
  try {
    while (made.length < count) {
      const sliceStart = performance.now();
      do made.push(makeOne());
      while (made.length < count && performance.now() - sliceStart < GENERATION_SLICE_MS);
      if (made.length < count) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (gone || res.destroyed) return undefined;
      }
    }
    return made;
  } finally {
    res.off('close', onClose);
  }
}

/**
 * `res.status(201).json(body)` with the same status, headers (Content-Type, then Content-Length;
 * Node adds Date, Connection and Keep-Alive after them) and bytes, written as one Buffer: the load
 * runner places every shopper order (and cart) with its own call, and express's `send` (content type and
 * charset parsing, a string body encoded on the socket) was a fixed cost of each (issue 15).
 */
function sendCreated(res: Response, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.statusCode = 201;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', String(bytes.length));
  res.end(bytes);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * @param json the body parser, run only after the token is checked: an unauthenticated request is
 *   answered 401 without its body being parsed.
 * @param bodyLimitBytes the parser's limit: an unauthenticated body declared larger is not read.
 */
export function createControlRouter(sim: Simulator, json: RequestHandler, bodyLimitBytes: number): Router {
  const router = Router();

  const authorize: RequestHandler = (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!safeEqual(token, sim.controlToken)) {
      // The body stays unparsed. One larger than any accepted (or of unknown length) is not even
      // read: the connection closes after the 401. A smaller one is discarded by Node as it arrives.
      const declared = Number(req.get('content-length') ?? 0);
      if (req.get('transfer-encoding') !== undefined || !(declared <= bodyLimitBytes)) res.setHeader('Connection', 'close');
      return next(new HttpError(401, 'Failed to authorize the control plane request: send Authorization: Bearer <controlToken> (printed in the ready line of `bc-harness sim --json`).'));
    }
    next();
  };
  router.use(authorize);
  router.use(json);
  router.use(createControlAppsRouter(sim));

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
          // The default account's secret, as in the ready line: verifies --sign signatures and app JWTs.
          clientSecret: sim.clientSecret(s.accounts[0]!.clientId),
          accounts: s.accounts.map((a) => ({ name: a.name, clientId: a.clientId, accessToken: a.accessToken, clientSecret: sim.clientSecret(a.clientId), scopes: a.scopes })),
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
    handle(async (req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(ordersBody, req.body ?? {});
      const ids = await generate(body.count, res, () => store.placeShopperOrder(body.profile).order.id);
      if (ids) sendCreated(res, { ids });
    }),
  );

  router.post(
    '/stores/:hash/carts',
    handle(async (req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(cartsBody, req.body ?? {});
      const ids = await generate(body.count, res, () => store.createShopperCarts(1, body.abandonAfterMinutes * 60_000)[0]!.id);
      if (ids) sendCreated(res, { ids });
    }),
  );

  router.post(
    '/stores/:hash/customers',
    handle(async (req, res) => {
      const store = storeOf(req.params.hash as string);
      const body = parseBody(countBody, req.body ?? {});
      const ids = await generate(body.count, res, () => store.registerShopperCustomers(1)[0]!.id);
      if (ids) sendCreated(res, { ids });
    }),
  );

  // A merchant's change of the store profile in the control panel: raises store/information/updated.
  router.patch(
    '/stores/:hash/information',
    handle((req, res) => {
      const store = storeOf(req.params.hash as string);
      const patch = parseBody(storeProfilePatch, req.body ?? {});
      res.json(updateStoreProfile(familyContext(store, { seed: sim.seed, clock: sim.clock, families: FAMILIES }), patch));
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
      const q = parseQuery(ledgerQuery, req.query);
      const kinds = q.kinds !== undefined ? new Set(q.kinds.split(',')) : undefined;
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
