/**
 * The simulator's HTTP edge: the only place that knows express. Management API under
 * `/stores/{store_hash}/v2|v3`, control plane under `/__sim`.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Simulator } from '../domain/simulator.ts';
import { errorMiddleware, HttpError, messages } from './errors.ts';
import { chain, createApiPipeline } from './middleware.ts';
import { createOrderJsonCache, type OrderJsonCache } from './order-cache.ts';
import { createControlRouter } from './routes/control.ts';
import { createFamilyRouters } from './routes/families.ts';
import { createOAuthRouter } from './routes/oauth.ts';
import { createV2HooksRouter } from './routes/v2-hooks.ts';
import { createV2OrdersRouter } from './routes/v2-orders.ts';
import { createV3CatalogRouter } from './routes/v3-catalog.ts';
import { createV3CustomersRouter } from './routes/v3-customers.ts';
import { createV3HooksRouter } from './routes/v3-hooks.ts';
import { createV3OrdersRouter } from './routes/v3-orders.ts';

/** Large enough for 2,000 inventory items or a 250-order create; anything bigger is a 413. */
export const BODY_LIMIT = '2mb';
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export interface SimulatorAppOptions {
  /**
   * The served order JSON cache of the V2 orders router. The server passes the one its fast order
   * read (fast-order-read.ts) uses, so both answer from, and fill, the same entries.
   */
  orderCache?: OrderJsonCache;
}

export function createSimulatorApp(sim: Simulator, options: SimulatorAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  // Parse JSON whatever the declared type, as the platform does for clients that forget it.
  const json = express.json({ limit: BODY_LIMIT_BYTES, type: () => true, strict: false });

  // The control plane checks its token before it reads a body (the router parses after authorizing).
  app.use('/__sim', createControlRouter(sim, json, BODY_LIMIT_BYTES));

  // login.bigcommerce.com's token exchange for single-click apps (path-based: any Host). Mounted on
  // its one route, so the Management API's requests do not pass through its router (issue 15).
  app.post('/oauth2/token', createOAuthRouter(sim));

  const api = express.Router({ mergeParams: true });
  // Only requests that can carry a body go through the parser: a GET or HEAD body means nothing to
  // the platform's API, and the parser's checks on every read cost the hottest route (issue 15).
  const parseWrites: RequestHandler = (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : json(req, res, next));
  api.use(chain([...createApiPipeline(sim), parseWrites]));
  // The declared families (simulator/families) after the hand-written routers: a hand-written route wins.
  const families = createFamilyRouters(sim);
  api.use('/v2', createV2OrdersRouter(sim, { orderCache: options.orderCache ?? createOrderJsonCache() }), createV2HooksRouter(sim), families.v2);
  api.use('/v3', createV3CatalogRouter(sim), createV3CustomersRouter(sim), createV3HooksRouter(sim), createV3OrdersRouter(sim), families.v3);
  api.use((_req, _res, next) => next(new HttpError(404, messages.routeNotFound)));
  app.use('/stores/:storeHash', api);

  app.get('/', (_req, res) => {
    res.json({ name: 'bc-harness simulator', stores: [...sim.stores.keys()], docs: 'See README.md: Management API under /stores/{hash}/v2 and /v3, control plane under /__sim.' });
  });
  app.use((_req, _res, next) => next(new HttpError(404, messages.routeNotFound)));
  app.use(errorMiddleware);
  return app;
}
