/**
 * The Management API's request pipeline: resolve the store, authenticate `X-Auth-Token`, charge
 * the store's shared quota (answering 429 over quota), apply API faults, check the OAuth scope,
 * and record every request in the ledger with the quota left.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { decideApiFault, type FaultKind, type FaultPlan } from '../domain/faults.ts';
import type { ApiAccount } from '../domain/model.ts';
import type { QuotaDecision } from '../domain/quota.ts';
import type { Simulator } from '../domain/simulator.ts';
import type { Store } from '../domain/store.ts';
import { createRandom, deriveSeed } from '../../lib/random.ts';
import { HttpError, messages, sendError, versionOf } from './errors.ts';

export interface ApiLocals {
  store: Store;
  account: ApiAccount;
  decision?: QuotaDecision;
  faults: FaultKind[];
}

export function locals(res: Response): ApiLocals {
  return res.locals as ApiLocals;
}

/** OAuth scope families (bigcommerce-facts.md section a); each has a `_read_only` twin. */
export type ScopeArea = 'store_cart' | 'store_checkout' | 'store_v2_orders' | 'store_v2_transactions' | 'store_v2_products' | 'store_v2_customers' | 'store_inventory' | 'store_locations' | 'store_v2_information' | 'store_channel_settings' | 'store_sites' | 'default';

/** Whether the account may make a request of this method in the area: a read also passes with the `_read_only` twin. */
export function hasScope(account: ApiAccount, area: ScopeArea, method: string | undefined): boolean {
  if (area === 'default') return true;
  const readOnly = method === 'GET' || method === 'HEAD';
  return account.scopes.includes(area) || (readOnly && account.scopes.includes(`${area}_read_only`));
}

export function requireScope(area: ScopeArea): RequestHandler {
  return (req, res, next) => {
    if (area === 'default') return next();
    const { account } = locals(res);
    if (!hasScope(account, area, req.method)) {
      const readOnly = req.method === 'GET' || req.method === 'HEAD';
      return next(new HttpError(403, `${messages.forbidden} The API account lacks the ${area}${readOnly ? ' (or _read_only)' : ''} scope for ${req.method} ${req.path}.`));
    }
    next();
  };
}

const realSeconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** The quota headers every charged response carries (bigcommerce-facts.md section b). */
export const RATE_LIMIT_HEADERS = ['X-Rate-Limit-Time-Window-Ms', 'X-Rate-Limit-Time-Reset-Ms', 'X-Rate-Limit-Requests-Quota', 'X-Rate-Limit-Requests-Left', 'X-BC-ApiLimit-Remaining'] as const;

/**
 * Take the quota headers off a response: a 429 without them means "busy, retry later" rather than
 * "quota used up, wait for the reset" (facts section b), which is what a concurrency limit is.
 */
export function clearRateHeaders(res: Response): void {
  for (const name of RATE_LIMIT_HEADERS) res.removeHeader(name);
}

/**
 * The values of RATE_LIMIT_HEADERS, in that order, for a quota decision. Shared by the express
 * pipeline and the fast order read (fast-order-read.ts), so both send the same headers.
 */
export function rateHeaderValues(sim: Simulator, d: QuotaDecision): [string, string, string, string, string] {
  // Header times are real units so a program that sleeps on them behaves in compressed time.
  return [String(Math.round(sim.clock.toRealMs(d.windowMs))), String(Math.max(0, Math.ceil(sim.clock.toRealMs(d.resetMs)))), String(d.quota), String(d.left), String(d.hourLeft)];
}

function setRateHeaders(res: Response, sim: Simulator, d: QuotaDecision): void {
  const values = rateHeaderValues(sim, d);
  for (let i = 0; i < RATE_LIMIT_HEADERS.length; i++) res.setHeader(RATE_LIMIT_HEADERS[i]!, values[i]!);
}

/** `X-Retry-After` of a request refused over quota: whole real seconds to the reset. */
export function retryAfterValue(sim: Simulator, d: QuotaDecision): string {
  return String(realSeconds(sim.clock.toRealMs(d.resetMs)));
}

/** The ledger record of a request refused over quota. */
export function quotaLimitedEntry(clientId: string, d: QuotaDecision) {
  return { kind: 'quota:limited', client: clientId, limitedBy: d.limitedBy, resetMs: d.resetMs } as const;
}

/** The Content-Type of the pipeline's empty 429s (what `res.type('application/json')` sets). */
export const EMPTY_429_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Whether the plan has an API fault the pipeline decides or applies per request (a draw from the
 * seeded stream, or added latency). Renamed fields are not one: they only change the rendering.
 */
export function hasPerRequestApiFault(plan: FaultPlan): boolean {
  const a = plan.api;
  return a.platformLoad429 > 0 || a.serverErrorRate > 0 || a.latencyMs > 0;
}

/** The API account a token authenticates in the store, if any. */
export function accountFor(store: Store, token: string | undefined): ApiAccount | undefined {
  return token ? store.findAccount(token) : undefined;
}

/** What the `api:request` ledger line says about a request, besides its path and what happened. */
export interface ApiRequestOutcome {
  client: string | null;
  quotaLeft: number | null;
  faults: FaultKind[];
  /** `performance.now()` when the request was taken up. */
  started: number;
  /** Simulated epoch ms when the request was taken up. */
  startedSim: number;
}

/**
 * The `api:request` ledger line of a request whose response was ended. `path` is the URL as the client sent it
 * (express's `req.originalUrl`; express rewrites `req.url` while routing).
 */
export function apiRequestEntry(req: IncomingMessage, res: ServerResponse, path: string, outcome: ApiRequestOutcome) {
  return {
    kind: 'api:request',
    client: outcome.client,
    method: req.method,
    path,
    status: res.statusCode,
    quotaLeft: outcome.quotaLeft,
    faults: outcome.faults,
    durationMs: Math.round((performance.now() - outcome.started) * 100) / 100,
    // When it was taken up, in simulated time: a read is under way from here, and an integration
    // that streams a long answer may act on its first records before the line's `at` (its end).
    startedAt: new Date(outcome.startedSim).toISOString(),
    // Which listener it came in on: HTTPS is the platform's own address (an unchanged
    // integration, through the harness's proxy or preload), HTTP the BIGCOMMERCE_API_URL given.
    // The peer port lets the proxy, which knows its own sockets, claim the requests it carried.
    via: (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
    peerPort: req.socket.remotePort ?? null,
  } as const;
}

export function createApiPipeline(sim: Simulator): RequestHandler[] {
  const random = createRandom(deriveSeed(sim.seed, 'api-faults'));

  const resolveStore: RequestHandler = (req, res, next) => {
    const store = sim.store(String(req.params.storeHash));
    if (!store) return next(new HttpError(404, messages.storeNotFound));
    res.locals.store = store;
    res.locals.faults = [];
    next();
  };

  const authenticate: RequestHandler = (req, res, next) => {
    const account = accountFor(locals(res).store, req.get('x-auth-token'));
    if (!account) {
      return next(new HttpError(401, versionOf(req) === 'v2' ? messages.v2Unauthorized : messages.unauthorized));
    }
    res.locals.account = account;
    next();
  };

  const recordRequest: RequestHandler = (req, res, next) => {
    const started = performance.now();
    const startedSim = sim.clock.now();
    // Recorded when the response is ended ('prefinish', emitted inside res.end()), not when it is
    // flushed ('finish', a turn of the loop later, or more on a busy loop). The client may act on
    // the answer before 'finish' runs: with the connected-system mocks on a thread of their own,
    // an integration's write of an order it had just read was stamped before the read's line,
    // and the verifier took it for a write without a read (payload-as-data).
    res.on('prefinish', () => {
      const l = locals(res);
      l.store.record(apiRequestEntry(req, res, req.originalUrl, { client: l.account?.clientId ?? null, quotaLeft: l.decision?.left ?? null, faults: l.faults, started, startedSim }));
    });
    next();
  };

  const chargeQuota: RequestHandler = (req, res, next) => {
    const l = locals(res);
    const plan = sim.faults();
    const fault = decideApiFault(plan, random);
    if (fault?.kind === 'platform-429') {
      // Platform load: 429 without the rate-limit headers, costs nothing (facts section b).
      l.faults.push('platform-429');
      res.setHeader('X-Sim-Fault', 'platform-429');
      res.status(429).type('application/json').end();
      return;
    }
    const d = l.store.quota.consume(l.account.clientId);
    l.decision = d;
    setRateHeaders(res, sim, d);
    if (!d.allowed) {
      res.setHeader('X-Retry-After', retryAfterValue(sim, d));
      l.store.record(quotaLimitedEntry(l.account.clientId, d));
      // No body is documented for 429; the headers carry everything.
      res.status(429).type('application/json').end();
      return;
    }
    if (fault?.kind === 'server-error') {
      l.faults.push('server-error');
      res.setHeader('X-Sim-Fault', 'server-error');
      sendError(res, versionOf(req), fault.status, 'Service temporarily unavailable (injected fault). Retry with backoff.');
      return;
    }
    const latency = plan.api.latencyMs;
    if (latency > 0) {
      l.faults.push('latency');
      res.setHeader('X-Sim-Fault', 'latency');
      setTimeout(next, sim.clock.toRealMs(latency));
      return;
    }
    next();
  };

  return [resolveStore, recordRequest, authenticate, chargeQuota];
}

/**
 * Run middleware in sequence as one router layer: what `router.use(a, b, c)` does, without the
 * router's matching and parameter bookkeeping for each of them on every request (issue 15: the
 * API pipeline runs on every Management API call). For synchronous middleware that ends the
 * response, calls `next()` or `next(error)`; a thrown error goes to the error middleware as well.
 */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let i = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) return next(error);
      const h = handlers[i++];
      if (!h) return next();
      try {
        h(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/** Wrap a handler so thrown errors (sync or async) reach the error middleware. */
export function handle(fn: (req: Request, res: Response) => unknown): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const out = fn(req, res);
      if (out instanceof Promise) out.catch(next);
    } catch (error) {
      next(error);
    }
  };
}
