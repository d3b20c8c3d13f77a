/**
 * The `k6/http` module for the embedded runner: `http.asyncRequest` over undici with k6's request
 * parameters, Response object and built-in HTTP metrics.
 *
 * k6's synchronous calls (`http.get`, `http.post`, `http.batch`, ...) block their VU until the
 * response arrives. Every VU here shares one event loop, so blocking one would stop all of them:
 * those calls stop the test with an error that says so and points to real k6.
 */
import { GoError, InterruptedError, UnsupportedFeatureError } from './errors.ts';
import { currentContext, emit, type ExecContext, flushDeferred, type ResponseCallback, sampleTags, trackPending } from './context.ts';
import { parseDuration } from './durations.ts';
import type { Tags } from './metrics.ts';
import type { HopResponse, HttpTimings } from './vu-http-client.ts';

const EXPECTED_CALLBACK = Symbol('k6.expectedStatuses');

interface ExpectedStatuses extends ResponseCallback {
  [EXPECTED_CALLBACK]: true;
}

/** `http.expectedStatuses(200, {min: 300, max: 399})`: the callback k6 uses for http_req_failed. */
export function expectedStatuses(...specs: (number | { min: number; max: number })[]): ExpectedStatuses {
  for (const s of specs) {
    const valid = typeof s === 'number' ? Number.isInteger(s) : s && Number.isInteger(s.min) && Number.isInteger(s.max);
    if (!valid) throw new GoError(`expectedStatuses: ${JSON.stringify(s)} is neither a status code nor {min, max}`);
  }
  const fn = ((res: { status: number }) => specs.some((s) => (typeof s === 'number' ? res.status === s : res.status >= s.min && res.status <= s.max))) as ExpectedStatuses;
  fn[EXPECTED_CALLBACK] = true;
  return fn;
}

const DEFAULT_EXPECTED = expectedStatuses({ min: 200, max: 399 });

/** A tiny gjson: `a.b`, `items.0.name`, `items.#` (length), `items.#.name` (map). */
export function gjsonGet(value: unknown, path: string): unknown {
  const parts = path.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
  let current: unknown = value;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (current === null || current === undefined) return undefined;
    if (part === '#' && Array.isArray(current)) {
      const rest = parts.slice(i + 1).join('.');
      return rest ? current.map((item) => gjsonGet(item, rest)) : current.length;
    }
    if (Array.isArray(current)) current = /^\d+$/.test(part) ? current[Number(part)] : undefined;
    else if (typeof current === 'object') current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}

export interface K6Response {
  status: number;
  status_text: string;
  proto: string;
  url: string;
  headers: Record<string, string>;
  body: string | ArrayBuffer | null;
  timings: HttpTimings;
  error: string;
  error_code: number;
  remote_ip: string;
  remote_port: number;
  cookies: Record<string, unknown>;
  request: { method: string; url: string; headers: Record<string, string[]>; body: string };
  json(selector?: string): unknown;
  html(): never;
  clickLink(): never;
  submitForm(): never;
}

function unsupported(ctx: ExecContext | undefined, feature: string, detail?: string): never {
  const error = new UnsupportedFeatureError(feature, detail);
  ctx?.run.unsupported(error);
  throw error;
}

function requireRequestContext(): ExecContext {
  const ctx = currentContext();
  if (!ctx) throw new GoError('http requests can only be made by a running k6 script');
  if (ctx.phase === 'init') throw new GoError('Making http requests in the init context is not supported');
  return ctx;
}

type ResponseType = 'text' | 'binary' | 'none';

interface Params {
  headers?: Record<string, unknown>;
  tags?: Record<string, unknown>;
  timeout?: string | number;
  responseType?: ResponseType;
  redirects?: number;
  responseCallback?: ResponseCallback | null;
  auth?: string;
  cookies?: Record<string, unknown>;
  jar?: unknown;
  compression?: string;
}

const KNOWN_PARAMS = new Set(['headers', 'tags', 'timeout', 'responseType', 'redirects', 'responseCallback', 'auth', 'cookies', 'jar', 'compression']);

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'object') {
    // k6 sends an object as an HTML form.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') unsupported(currentContext(), 'a file or nested object in a request body (multipart forms)');
      form.append(k, String(v));
    }
    return Buffer.from(form.toString(), 'utf8');
  }
  return Buffer.from(String(body), 'utf8');
}

function toTags(input: Record<string, unknown> | undefined): Tags {
  const out: Tags = {};
  if (input) for (const [k, v] of Object.entries(input)) out[k] = String(v);
  return out;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function performRequest(ctx: ExecContext, methodIn: string, urlIn: unknown, bodyIn: unknown, paramsIn: unknown, callTags: Tags): Promise<K6Response> {
  const run = ctx.run;
  const params = (paramsIn ?? {}) as Params;
  for (const key of Object.keys(params)) if (!KNOWN_PARAMS.has(key)) run.logger.once(`param:${key}`, 'warning', `http params: "${key}" is not supported by the embedded runner and is ignored`);
  if (params.cookies && Object.keys(params.cookies).length > 0) unsupported(ctx, 'request cookies (params.cookies)');
  if (params.jar) unsupported(ctx, 'cookie jars (params.jar)');
  if (params.compression) unsupported(ctx, 'request compression (params.compression)');
  if (params.auth && params.auth !== 'basic') unsupported(ctx, `HTTP ${params.auth} authentication`);

  let method = String(methodIn).toUpperCase();
  const named = urlIn && typeof urlIn === 'object' && 'url' in (urlIn as object) ? (urlIn as { url: string; name: string }) : undefined;
  let url: URL;
  try {
    url = new URL(named ? named.url : String(urlIn));
  } catch {
    throw new GoError(`invalid URL "${String(named ? named.url : urlIn)}"`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
  if (url.username || url.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent') && run.options.userAgent) headers['User-Agent'] = run.options.userAgent;
  let body = encodeBody(bodyIn, headers);
  const responseType: ResponseType = params.responseType ?? (run.options.discardResponseBodies ? 'none' : 'text');
  const timeoutMs = params.timeout === undefined ? 60_000 : parseDuration(params.timeout, 'params.timeout');
  const maxRedirects = params.redirects ?? run.options.maxRedirects;
  const callback: ResponseCallback | null = params.responseCallback !== undefined ? params.responseCallback : ctx.vu.responseCallback !== undefined ? ctx.vu.responseCallback : DEFAULT_EXPECTED;
  const userTags = toTags(params.tags);

  for (let hops = 0; ; hops++) {
    if (ctx.interrupted) throw new InterruptedError();
    const urlText = url.toString();
    const hop = await ctx.vu.http.request({
      url,
      method,
      headers,
      body,
      timeoutMs,
      discardBody: responseType === 'none',
      onAbortable: (abort) => {
        ctx.aborters.add(abort);
      },
    });
    if (ctx.interrupted) throw new InterruptedError();
    const expected = callback === null ? undefined : hop.status !== 0 && callback({ status: hop.status });
    emitHttpSamples(ctx, callTags, userTags, method, urlText, named?.name, hop, expected);
    const location = hop.headers.Location;
    if (hop.status !== 0 && isRedirect(hop.status) && location && hops < maxRedirects) {
      url = new URL(location, url);
      // Go's client (which k6 uses) turns a redirected POST into a GET for 301/302/303.
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    if (hop.error && run.options.throw) throw new GoError(hop.error.message);
    return buildResponse(ctx, hop, method, urlText, headers, body, responseType);
  }
}

function emitHttpSamples(ctx: ExecContext, callTags: Tags, userTags: Tags, method: string, url: string, name: string | undefined, hop: HopResponse, expected: boolean | undefined): void {
  const b = ctx.run.builtin;
  const tags: Tags = { ...callTags, method, url, name: name ?? url, status: String(hop.status), proto: hop.proto };
  if (expected !== undefined) tags.expected_response = String(expected);
  const errorCode = hop.error ? hop.error.code : hop.status >= 400 ? 1000 + hop.status : 0;
  if (errorCode) tags.error_code = String(errorCode);
  for (const k in userTags) tags[k] = userTags[k]!;
  // k6: a `name` tag also replaces the `url` tag, so both group requests the same way.
  if (userTags.name !== undefined) tags.url = userTags.name;
  const t = hop.timings;
  emit(ctx, b.http_reqs, 1, tags);
  emit(ctx, b.http_req_duration, t.duration, tags);
  emit(ctx, b.http_req_blocked, t.blocked, tags);
  emit(ctx, b.http_req_connecting, t.connecting, tags);
  emit(ctx, b.http_req_tls_handshaking, t.tls_handshaking, tags);
  emit(ctx, b.http_req_sending, t.sending, tags);
  emit(ctx, b.http_req_waiting, t.waiting, tags);
  emit(ctx, b.http_req_receiving, t.receiving, tags);
  if (expected !== undefined) emit(ctx, b.http_req_failed, expected ? 0 : 1, tags);
}

function buildResponse(ctx: ExecContext, hop: HopResponse, method: string, url: string, headers: Record<string, string>, body: Buffer | undefined, responseType: ResponseType): K6Response {
  let bodyValue: string | ArrayBuffer | null = null;
  if (hop.body && responseType === 'text') bodyValue = hop.body.toString('utf8');
  else if (hop.body && responseType === 'binary') bodyValue = hop.body.buffer.slice(hop.body.byteOffset, hop.body.byteOffset + hop.body.byteLength) as ArrayBuffer;
  let parsed: { value: unknown } | undefined;
  return {
    status: hop.status,
    status_text: hop.status ? `${hop.status} ${hop.statusText}` : '',
    proto: hop.proto,
    url,
    headers: hop.headers,
    body: bodyValue,
    timings: hop.timings,
    error: hop.error?.message ?? '',
    error_code: hop.error ? hop.error.code : hop.status >= 400 ? 1000 + hop.status : 0,
    remote_ip: hop.remoteIp,
    remote_port: hop.remotePort,
    cookies: {},
    request: {
      method,
      url,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      body: body ? body.toString('utf8') : '',
    },
    json(selector?: string) {
      if (typeof bodyValue !== 'string') throw new GoError('cannot parse the response body as JSON: the body is empty or not text (responseType)');
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(bodyValue) };
        } catch (error) {
          throw new GoError(`cannot parse json due to an error at line 1, character 1 , error: ${(error as Error).message}`);
        }
      }
      return selector === undefined ? parsed.value : gjsonGet(parsed.value, selector);
    },
    html: () => unsupported(ctx, 'Response.html() (k6/html)'),
    clickLink: () => unsupported(ctx, 'Response.clickLink() (k6/html)'),
    submitForm: () => unsupported(ctx, 'Response.submitForm() (k6/html)'),
  };
}

/** `http.asyncRequest(method, url, body, params)`: the one request API the embedded runner has. */
export function asyncRequest(method: string, url: unknown, body?: unknown, params?: unknown): Promise<K6Response> {
  const ctx = requireRequestContext();
  // An interrupted iteration's requests never settle, as on k6 where the VU's runtime stops:
  // rejecting would surface as an unhandled rejection in scripts that did not await them.
  if (ctx.interrupted) return new Promise<K6Response>(() => {});
  // Tags are taken now, so a request started inside group() keeps that group even when it is
  // awaited outside it (reference run f3).
  const callTags = sampleTags(ctx);
  const run = async () => {
    // A bare sleep() before this call is paid here, so the request starts when it would on k6.
    const wait = ctx.sleepUntil - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    flushDeferred(ctx);
    return performRequest(ctx, method, url, body, params, callTags);
  };
  const settled = new Promise<K6Response>((resolve, reject) => {
    run().then(resolve, (error: unknown) => {
      if (error instanceof InterruptedError || ctx.interrupted) return;
      reject(error);
    });
  });
  return trackPending(ctx, settled);
}

function syncApi(name: string): () => never {
  return () =>
    unsupported(
      currentContext(),
      `http.${name}() (k6's synchronous HTTP API)`,
      `every VU shares one event loop here, so a blocking call would stop all of them; write \`await http.asyncRequest(${name === 'batch' ? '...' : `'${name === 'del' ? 'DELETE' : name.toUpperCase()}', url, body, params`})\` instead`,
    );
}

/** `http.url\`https://x/posts/${id}\``: a URL whose `name` tag groups all ids together. */
function urlTemplate(strings: TemplateStringsArray, ...values: unknown[]) {
  let url = '';
  let name = '';
  strings.forEach((s, i) => {
    url += s;
    name += s;
    if (i < values.length) {
      url += String(values[i]);
      name += '${}';
    }
  });
  return { url, name, toString: () => url };
}

export function createHttpModule(): Record<string, unknown> {
  const api: Record<string, unknown> = {
    asyncRequest,
    request: syncApi('request'),
    get: syncApi('get'),
    post: syncApi('post'),
    put: syncApi('put'),
    patch: syncApi('patch'),
    del: syncApi('del'),
    head: syncApi('head'),
    options: syncApi('options'),
    batch: syncApi('batch'),
    expectedStatuses,
    setResponseCallback(callback: ResponseCallback | null) {
      const ctx = currentContext();
      if (!ctx) throw new GoError('setResponseCallback must be called by a running script');
      if (callback !== null && typeof callback !== 'function') throw new GoError('setResponseCallback takes http.expectedStatuses(...) or null');
      ctx.vu.responseCallback = callback;
    },
    url: urlTemplate,
    file: () => unsupported(currentContext(), 'http.file() (multipart uploads)'),
    cookieJar: () => unsupported(currentContext(), 'http.cookieJar()'),
    CookieJar: function CookieJar() {
      unsupported(currentContext(), 'http.CookieJar');
    },
    TLS_1_0: 'tls1.0',
    TLS_1_1: 'tls1.1',
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
    OCSP_STATUS_GOOD: 'good',
    OCSP_STATUS_REVOKED: 'revoked',
    OCSP_STATUS_SERVER_FAILED: 'server_failed',
    OCSP_STATUS_UNKNOWN: 'unknown',
    OCSP_REASON_UNSPECIFIED: 'unspecified',
  };
  return { ...api, default: api };
}
