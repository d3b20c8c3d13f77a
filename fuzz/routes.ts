/**
 * Requests drawn from a route table: a route's own methods (and now and then any other), its path
 * with each `:param` filled by a real id or a hostile segment, a query over the names the route
 * reads, auth and content-type headers, and a body built from the route's real shapes.
 */
import fc from 'fast-check';
import { anyMethod, body, contentType, extraHeaders, hostileSegment, queryString, withQuery } from './arbitraries.ts';
import type { FuzzRequest } from './http.ts';

export interface Route {
  methods: readonly string[];
  /** The path under the surface's prefix, with `:name` parameters. */
  path: string;
  /** Query parameter names the route reads. */
  query?: readonly string[];
  /** Real bodies for the route (the base of most bodies sent). */
  bodies?: readonly unknown[];
  weight?: number;
}

export interface RouteRequestOptions {
  /** Prepended to every route path (`/stores/abc`). */
  prefix: string | fc.Arbitrary<string>;
  /** Real values for a named parameter (ids that exist); hostile segments are mixed in. */
  params?: Record<string, readonly string[]>;
  /** Auth headers (present, absent, wrong). */
  auth: fc.Arbitrary<Record<string, string>>;
  limitBytes: number;
}

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

function param(values: readonly string[] | undefined): fc.Arbitrary<string> {
  if (!values || values.length === 0) return hostileSegment;
  return fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 3 }, { arbitrary: hostileSegment, weight: 2 });
}

export function routeRequest(route: Route, options: RouteRequestOptions): fc.Arbitrary<FuzzRequest> {
  const segments = route.path.split('/');
  const paramArbs = segments.map((s) => (s.startsWith(':') ? param(options.params?.[s.slice(1)]) : fc.constant(s)));
  const prefix = typeof options.prefix === 'string' ? fc.constant(options.prefix) : options.prefix;
  return fc
    .record({
      method: fc.oneof({ arbitrary: fc.constantFrom(...route.methods), weight: 6 }, { arbitrary: anyMethod, weight: 1 }),
      prefix,
      segments: fc.tuple(...paramArbs),
      query: fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, { arbitrary: queryString(route.query ?? []), weight: 3 }),
      body: body({ templates: route.bodies ?? [], limitBytes: options.limitBytes }),
      bodyOnGet: fc.nat(9).map((n) => n === 0),
      contentType,
      auth: options.auth,
      extra: extraHeaders,
    })
    .map(({ method, prefix, segments, query, body, bodyOnGet, contentType, auth, extra }) => {
      const sendBody = body !== undefined && (!BODYLESS.has(method) || bodyOnGet) && method !== 'HEAD';
      const headers: Record<string, string> = { ...auth, ...extra };
      if (contentType !== undefined && sendBody) headers['content-type'] = contentType;
      const req: FuzzRequest = { method, path: withQuery(`${prefix}${segments.join('/')}`, query), headers, note: `${route.methods.join('|')} ${route.path}` };
      if (sendBody) req.body = body;
      return req;
    });
}

/** A request to any route of the table, by weight. */
export function tableRequest(routes: readonly Route[], options: RouteRequestOptions): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...routes.map((r) => ({ arbitrary: routeRequest(r, options), weight: r.weight ?? 1 })));
}
