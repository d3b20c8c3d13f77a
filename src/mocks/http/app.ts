/**
 * The connected-system mocks over HTTP: one server, each system under its own prefix (`/erp`,
 * `/3pl`, `/crm`, `/marketing`: what ERP_URL and the others point to). Errors are
 * `{"errors": [{"field", "message"}]}`, 422 for a constraint violation (DESIGN.md section 8).
 * Control endpoints (faults, journal) need `Authorization: Bearer <controlToken>`.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { request } from 'undici';
import { z } from 'zod';
import type { Clock } from '../../../lib/clock.ts';
import type { Ledger } from '../../../lib/ledger.ts';
import { createRandom, deriveSeed } from '../../../lib/random.ts';
import { decideSystemFault, NO_SYSTEM_FAULTS, systemFaultsSchema, type SystemFaults } from '../domain/faults.ts';
import { RejectedWrite, systemNames, type Systems, type SystemName } from '../domain/systems.ts';

export interface MocksAppOptions {
  clock: Clock;
  systems: Systems;
  journals: Record<SystemName, Ledger>;
  /** What each system published on its feeds; without it `/published` answers 404. */
  published?: Record<SystemName, Ledger>;
  controlToken: string;
  seed: number;
}

class MockHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { field: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/**
 * The deepest JSON nesting a body may have. Every record the systems accept is a few levels deep;
 * a deeper body is refused before it is parsed, since journaling and validating walk it
 * recursively (a body nested 100,000 deep overflowed the stack while journaling).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether the raw JSON text nests objects and arrays deeper than `max`: one linear pass over the
 * bytes, no recursion, brackets inside strings not counted. (Multi-byte UTF-8 never contains these
 * ASCII bytes, so scanning bytes is exact.)
 */
export function jsonDepthExceeds(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** A path key the router could not percent-decode (`%zz`): a 400, as the simulator answers. */
const decodeFailure = (error: unknown): boolean => error instanceof URIError || (error as { status?: number; message?: string } | undefined)?.message?.startsWith('Failed to decode param') === true;

/** Percent-decode a path segment, or keep it as sent when it is not valid percent-encoding. */
const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const since = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new MockHttpError(400, [{ field: 'since', message: `"${value}" is not an ISO-8601 date; send since=2026-01-01T00:00:00Z` }]);
  return ms;
};
const limitOf = (value: unknown): number => {
  if (value === undefined) return 1000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new MockHttpError(400, [{ field: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  return n;
};

/** A feed page: records changed since the watermark, and the watermark to ask with next. */
const feed = (records: { updatedAt?: string; createdAt?: string }[]) => ({
  data: records,
  meta: { count: records.length, nextSince: records.length > 0 ? (records.at(-1)!.updatedAt ?? records.at(-1)!.createdAt) : null },
});

/** Validate a control body with zod; a bad one is a 422 naming each field. */
function parseControl<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new MockHttpError(422, parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })));
  return parsed.data;
}

const wrap =
  (fn: (req: express.Request, res: express.Response) => unknown): RequestHandler =>
  (req, res, next) => {
    try {
      const out = fn(req, res);
      if (out instanceof Promise) out.catch(next);
    } catch (error) {
      next(error);
    }
  };

export function createMocksApp(options: MocksAppOptions): Express {
  const { clock, systems, journals } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const faults = new Map<SystemName, { plan: SystemFaults; downUntil?: number }>(systemNames.map((n) => [n, { plan: NO_SYSTEM_FAULTS }]));
  const random = createRandom(deriveSeed(options.seed, 'mock-faults'));
  const pushTargets: { url?: string } = {};

  const authorize: RequestHandler = (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const token = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(options.controlToken);
    if (token.length !== expected.length || !timingSafeEqual(token, expected)) {
      return next(new MockHttpError(401, [{ field: 'authorization', message: 'send Authorization: Bearer <controlToken> (printed in the ready line of `bc-harness mocks --json`)' }]));
    }
    next();
  };

  // A write refused by a fault still leaves a journal line, so the verifier can tell an
  // integration that retried from one that dropped the record (silent-failure).
  const resourceOf: Record<string, string> = { 'sales-orders': 'sales-order', 'credit-memos': 'credit-memo', 'fulfillment-orders': 'fulfillment-order', contacts: 'contact', events: 'event' };
  const journalRefusal = (system: SystemName, req: express.Request, status: number, fault: string) => {
    if (req.method !== 'PUT' && req.method !== 'POST') return;
    const [collection = '', key = ''] = req.path.split('/').filter(Boolean);
    journals[system].append({
      kind: 'write',
      at: new Date(clock.now()).toISOString(),
      system,
      method: req.method,
      resource: resourceOf[collection] ?? collection,
      key: safeDecode(key),
      status,
      body: null,
      fault,
      errors: [{ field: 'service', message: `refused by an injected fault (${fault})` }],
    });
  };

  const faultGate =
    (system: SystemName): RequestHandler =>
    (req, res, next) => {
      const state = faults.get(system)!;
      const decision = decideSystemFault(state.plan, state.downUntil, clock.now(), random);
      if (decision.kind !== 'ok') journalRefusal(system, req, decision.kind === 'rate-limit' ? 429 : 503, decision.kind);
      switch (decision.kind) {
        case 'down':
          res.setHeader('X-Mock-Fault', 'down');
          return next(new MockHttpError(503, [{ field: 'service', message: `${system} is down (injected fault)` }]));
        case 'error':
          res.setHeader('X-Mock-Fault', 'error');
          return next(new MockHttpError(503, [{ field: 'service', message: `${system} answered 503 (injected fault)` }]));
        case 'rate-limit':
          res.setHeader('X-Mock-Fault', 'rate-limit');
          return next(new MockHttpError(429, [{ field: 'service', message: `${system} rate limit (injected fault); retry after ${decision.retryAfterSeconds} s` }], { 'Retry-After': String(decision.retryAfterSeconds) }));
        case 'ok':
          if (decision.latencyMs > 0) {
            res.setHeader('X-Mock-Fault', 'latency');
            setTimeout(next, clock.toRealMs(decision.latencyMs));
            return;
          }
          return next();
        default:
          return decision satisfies never;
      }
    };

  const json = express.json({
    limit: '5mb',
    type: () => true,
    // Runs on the raw bytes before JSON.parse: a body nested too deep never reaches recursive code.
    verify: (_req, _res, buf) => {
      if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
        throw new MockHttpError(400, [{ field: 'body', message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep; send at most ${MAX_JSON_DEPTH} levels of objects and arrays` }]);
      }
    },
  });

  const control = (system: SystemName) => {
    const router = Router();
    router.put(
      '/faults',
      authorize,
      json,
      wrap((req, res) => {
        const plan = parseControl(systemFaultsSchema, req.body);
        faults.set(system, { plan, ...(plan.downForMs !== undefined ? { downUntil: clock.now() + plan.downForMs } : {}) });
        res.json(plan);
      }),
    );
    router.get(
      '/faults',
      authorize,
      wrap((_req, res) => {
        res.json(faults.get(system)!.plan);
      }),
    );
    router.get(
      '/journal',
      authorize,
      wrap((_req, res) => {
        res.status(200).type('application/x-ndjson');
        journals[system].stream().pipe(res);
      }),
    );
    router.get(
      '/published',
      authorize,
      wrap((_req, res) => {
        const feed = options.published?.[system];
        if (!feed) throw new MockHttpError(404, [{ field: 'path', message: 'these mocks do not record published changes' }]);
        res.status(200).type('application/x-ndjson');
        feed.stream().pipe(res);
      }),
    );
    return router;
  };

  const key = (value: unknown, field: string) => {
    const k = String(value ?? '');
    if (k.length === 0 || k.length > 254) throw new MockHttpError(400, [{ field, message: 'must be 1 to 254 characters' }]);
    return k;
  };

  // ERP
  const erp = Router();
  erp.use(control('erp'));
  // The ERP team's own maintenance of the item master (not an integration call): control token.
  erp.put(
    '/items/:itemNo',
    authorize,
    json,
    wrap((req, res) => {
      const body = parseControl(z.object({ description: z.string().max(30).optional(), listPrice: z.number().min(0).optional() }).strict(), req.body);
      const itemNo = key(req.params.itemNo, 'itemNo');
      const existed = systems.erp.hasItem(itemNo);
      systems.erp.addItem(itemNo, body);
      res.status(existed ? 200 : 201).json({ itemNo, ...body });
    }),
  );
  // The ERP publishing a batch of changes on request (catalog-storm): control token.
  erp.post(
    '/changes',
    authorize,
    json,
    wrap((req, res) => {
      const body = parseControl(z.object({ kind: z.enum(['price', 'stock']), count: z.number().int().min(0).max(10_000) }).strict(), req.body);
      const changed = systems.erp.publishChanges(body.kind, body.count);
      res.status(201).json({ kind: body.kind, changed: changed.length, items: changed });
    }),
  );
  erp.use(faultGate('erp'), json);
  erp.put('/sales-orders/:externalId', wrap((req, res) => {
    const { status, record } = systems.erp.upsertSalesOrder(key(req.params.externalId, 'externalId'), req.body);
    res.status(status).json(record);
  }));
  erp.post('/sales-orders', wrap((req, res) => {
    res.status(201).json(systems.erp.createSalesOrder(req.body));
  }));
  erp.get('/sales-orders/:externalId', wrap((req, res) => {
    const order = systems.erp.getSalesOrder(String(req.params.externalId));
    if (!order) throw new MockHttpError(404, [{ field: 'externalId', message: `no sales order ${req.params.externalId}` }]);
    res.json(order);
  }));
  erp.put('/credit-memos/:externalId', wrap((req, res) => {
    const { status, record } = systems.erp.upsertCreditMemo(key(req.params.externalId, 'externalId'), req.body);
    res.status(status).json(record);
  }));
  erp.get('/credit-memos', wrap((req, res) => res.json(feed(systems.erp.creditMemos(since(req.query.since), limitOf(req.query.limit))))));
  erp.get('/inventory', wrap((req, res) => res.json(feed(systems.erp.inventory(since(req.query.since), limitOf(req.query.limit))))));
  erp.get('/price-list', wrap((req, res) => res.json(feed(systems.erp.priceList(since(req.query.since), limitOf(req.query.limit))))));
  erp.get('/invoices', wrap((req, res) => res.json(feed(systems.erp.invoices(since(req.query.since), limitOf(req.query.limit))))));

  // 3PL
  const threepl = Router();
  threepl.use(control('3pl'));
  threepl.put(
    '/push',
    authorize,
    json,
    wrap((req, res) => {
      const body = z.object({ url: z.url().nullable() }).strict().safeParse(req.body);
      if (!body.success) throw new MockHttpError(422, [{ field: 'url', message: 'must be an absolute URL or null' }]);
      pushTargets.url = body.data.url ?? undefined;
      res.json({ url: pushTargets.url ?? null });
    }),
  );
  threepl.use(faultGate('3pl'), json);
  threepl.put('/fulfillment-orders/:externalId', wrap((req, res) => {
    const { status, record } = systems.threepl.upsertFulfillmentOrder(key(req.params.externalId, 'externalId'), req.body);
    res.status(status).json(record);
  }));
  threepl.get('/shipments', wrap((req, res) => res.json(feed(systems.threepl.shipments(since(req.query.since), limitOf(req.query.limit))))));
  systems.threepl.onShipment((shipment) => {
    // Shipments are pushed to the integration when it registered a URL; polling works either way.
    if (!pushTargets.url) return;
    void request(pushTargets.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(shipment) })
      .then((r) => r.body.dump())
      .catch(() => undefined);
  });

  // CRM
  const crm = Router();
  crm.use(control('crm'));
  crm.use(faultGate('crm'), json);
  crm.put('/contacts/:email', wrap((req, res) => {
    const { status, record } = systems.crm.upsertContact(key(req.params.email, 'email'), req.body);
    res.status(status).json(record);
  }));
  crm.get('/contacts', wrap((req, res) => res.json(feed(systems.crm.contacts(since(req.query.since), limitOf(req.query.limit))))));
  crm.get('/contacts/:email', wrap((req, res) => {
    const contact = systems.crm.getContact(String(req.params.email));
    if (!contact) throw new MockHttpError(404, [{ field: 'email', message: `no contact ${req.params.email}` }]);
    res.json(contact);
  }));

  // Marketing
  const marketing = Router();
  marketing.use(control('marketing'));
  marketing.use(faultGate('marketing'), json);
  marketing.post('/events', wrap((req, res) => {
    const { status, duplicate } = systems.marketing.ingest(req.body);
    res.status(status).json({ accepted: true, duplicate });
  }));

  app.use('/erp', erp);
  app.use('/3pl', threepl);
  app.use('/crm', crm);
  app.use('/marketing', marketing);
  app.get('/__mocks/clock', (_req, res) => {
    res.json({ now: new Date(clock.now()).toISOString(), scale: clock.scale });
  });
  app.post('/__mocks/clock', authorize, json, wrap((req, res) => {
    const body = z.object({ advanceMs: z.number().int().min(0).max(400 * 86_400_000) }).strict().safeParse(req.body);
    if (!body.success) throw new MockHttpError(422, [{ field: 'advanceMs', message: 'must be a whole number of milliseconds >= 0' }]);
    clock.advance(body.data.advanceMs);
    res.json({ now: new Date(clock.now()).toISOString(), scale: clock.scale });
  }));
  app.use((_req, _res, next) => next(new MockHttpError(404, [{ field: 'path', message: 'no such endpoint; systems live under /erp, /3pl, /crm and /marketing' }])));

  const errors: ErrorRequestHandler = (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof MockHttpError) {
      for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
      res.status(error.status).json({ errors: error.errors });
      return;
    }
    if (error instanceof RejectedWrite) {
      res.status(error.status).json({ errors: error.errors });
      return;
    }
    if (decodeFailure(error)) {
      res.status(400).json({ errors: [{ field: 'path', message: 'the path is not valid percent-encoding (for example a % not followed by two hex digits, or bytes that are not UTF-8); encode keys with encodeURIComponent' }] });
      return;
    }
    const e = error as { type?: string; message?: string };
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ field: 'body', message: `malformed JSON: ${e.message}` }] });
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ errors: [{ field: 'body', message: 'payload too large (limit 5 MB)' }] });
      return;
    }
    // The body could not be decoded (a charset other than UTF-8, an unknown or broken
    // Content-Encoding, a body cut short): the client's request, a 4xx as the simulator answers.
    const status = (error as { status?: unknown } | undefined)?.status;
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      res.status(415).json({ errors: [{ field: 'body', message: `unsupported body encoding: ${e.message}; send UTF-8 JSON` }] });
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ errors: [{ field: 'body', message: `the body could not be read: ${e.message ?? 'bad request'}` }] });
      return;
    }
    console.error(`[mocks] Failed to handle ${req.method} ${req.originalUrl}:`, error);
    res.status(500).json({ errors: [{ field: 'server', message: 'internal mock error: a bug in the harness, not in the integration' }] });
  };
  app.use(errors);
  return app;
}
