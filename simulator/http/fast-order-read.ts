/**
 * The single-order read, `GET|HEAD /stores/{hash}/v2/orders/{id}`, answered on the Node server
 * ahead of express (issue 15). It is the harness's hottest request, and with the order's JSON
 * cached (order-cache.ts) most of what was left of its cost was express itself: app.handle, the
 * request/response prototype swaps, the query parser and the router's layer matching under
 * `/stores/:storeHash` with merged params and nested routers.
 *
 * It answers only the plain happy path, and answers it exactly as the express pipeline does
 * (middleware.ts `createApiPipeline`, then the `/orders/:id` route of `createV2OrdersRouter`): the
 * same quota charge, headers in the same order, body bytes, ledger lines. Everything else (a
 * query string, a conditional request, an unknown store, token or order, a missing scope, any
 * per-request API fault) is handed to express untouched: the function returns false before it
 * has done anything observable, so express decides that request as it always has. In particular
 * the fast path never draws from the API fault stream, so the seeded faults stay the same.
 *
 * The decisions and header values come from middleware.ts and routes/v2-orders.ts, not copies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrderAggregate } from '../domain/model.ts';
import type { Simulator } from '../domain/simulator.ts';
import { accountFor, apiRequestEntry, EMPTY_429_CONTENT_TYPE, hasPerRequestApiFault, hasScope, quotaLimitedEntry, RATE_LIMIT_HEADERS, rateHeaderValues, retryAfterValue } from './middleware.ts';
import type { OrderJsonCache } from './order-cache.ts';
import { JSON_CONTENT_TYPE, orderJson, v2BaseUrl } from './routes/v2-orders.ts';

/** Answers the request and returns true, or returns false having done nothing (express's turn). */
export type FastOrderRead = ((req: IncomingMessage, res: ServerResponse) => boolean) & {
  /** Requests answered here so far (tests check the fast path is really taken). */
  readonly answered: number;
};

// Exactly the route's own spelling: express also matches other cases, a trailing slash and
// percent-encoded hashes, which it then decodes; those take express's path. No `?` can match.
const ORDER_PATH = /^\/stores\/([A-Za-z0-9_-]+)\/v2\/orders\/(\d{1,15})$/;

const [WINDOW, RESET, QUOTA, LEFT, HOUR_LEFT] = RATE_LIMIT_HEADERS;

export function createFastOrderRead(sim: Simulator, cache: OrderJsonCache): FastOrderRead {
  let answered = 0;

  const read = (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url!;
    const match = ORDER_PATH.exec(url);
    if (!match) return false;
    // A conditional request goes through express's `res.send`, which decides the 304 (sendJsonBytes).
    const headers = req.headers;
    if (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return false;
    const plan = sim.faults();
    if (hasPerRequestApiFault(plan)) return false;
    const hash = match[1]!;
    const store = sim.store(hash);
    if (!store) return false;
    const account = accountFor(store, headers['x-auth-token'] as string | undefined);
    if (!account || !hasScope(account, 'store_v2_orders', method)) return false;
    // At most 15 digits: always a safe integer, as idParam requires.
    const id = Number(match[2]);
    let agg: OrderAggregate;
    try {
      agg = store.getOrder(id);
    } catch {
      return false;
    }
    // Rendered before the quota is charged (express renders after): a rendering that throws then
    // leaves the request to express, which answers it with its error middleware. The rendering is
    // a pure function of the order; only the cache sees it happen earlier.
    // The server-side time starts here, before the rendering, as express's recordRequest notes it
    // before the route renders.
    const started = performance.now();
    const startedSim = sim.clock.now();
    let bytes: Buffer;
    try {
      const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      bytes = orderJson(cache, agg, { base: v2BaseUrl(protocol, headers.host, hash), plan, include: [], objectStructure: false });
    } catch {
      return false;
    }

    // From here on, the pipeline's side effects in its order: note the start, charge, answer, and
    // record when the response is ended (recordRequest in middleware.ts says why 'prefinish').
    answered++;
    const d = store.quota.consume(account.clientId);
    res.on('prefinish', () => {
      store.record(apiRequestEntry(req, res, url, { client: account.clientId, quotaLeft: d.left, faults: [], started, startedSim }));
    });
    const rate = rateHeaderValues(sim, d);
    if (!d.allowed) {
      // As chargeQuota: progressive headers, so Node adds `Content-Length: 0` where express's does.
      res.setHeader(WINDOW, rate[0]);
      res.setHeader(RESET, rate[1]);
      res.setHeader(QUOTA, rate[2]);
      res.setHeader(LEFT, rate[3]);
      res.setHeader(HOUR_LEFT, rate[4]);
      res.setHeader('X-Retry-After', retryAfterValue(sim, d));
      store.record(quotaLimitedEntry(account.clientId, d));
      res.statusCode = 429;
      res.setHeader('Content-Type', EMPTY_429_CONTENT_TYPE);
      res.end();
      return true;
    }
    // One writeHead with the headers sendJsonBytes sets, in the same order (Node then adds Date,
    // Connection and Keep-Alive after them either way).
    res.writeHead(200, [WINDOW, rate[0], RESET, rate[1], QUOTA, rate[2], LEFT, rate[3], HOUR_LEFT, rate[4], 'Content-Type', JSON_CONTENT_TYPE, 'Content-Length', String(bytes.length)]);
    if (method === 'HEAD') res.end();
    else res.end(bytes);
    return true;
  };

  return Object.defineProperty(read, 'answered', { get: () => answered, enumerable: true }) as FastOrderRead;
}
