/**
 * The hostile parts every surface's requests are built from, as fast-check arbitraries: path
 * segments and ids, query strings, content types, and bodies (real shapes with one field broken,
 * wrong types, invalid JSON, deep nesting, bodies near and over the size limit).
 *
 * Two rules keep the fuzz honest:
 * - nothing generated looks like a leak (a path, a stack frame), so a body echoing the input is
 *   never mistaken for one (checker.ts);
 * - nothing generated points anywhere but loopback: a URL in a body (a hook destination, a push
 *   URL) to another host is rewritten to a closed loopback port, since the simulator delivers to
 *   any https destination on port 443 (simulator/domain/destinations.ts).
 */
import fc from 'fast-check';
import { looksLikeLeak } from './checker.ts';

/** Characters kept as they are in a path segment (RFC 3986 pchar); every other byte is %XX. */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;
/** In a query name or value `&`, `=`, `+` are encoded too. */
const QCHAR = /^[A-Za-z0-9\-._~!$'()*,;:@/?]$/;

function percentEncode(text: string, keep: RegExp): string {
  let out = '';
  for (const ch of text) {
    if (keep.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const encodeSegment = (text: string) => percentEncode(text, PCHAR);
export const encodeQuery = (text: string) => percentEncode(text, QCHAR);

/** A string that could never be mistaken for a leak when echoed. */
const clean = (a: fc.Arbitrary<string>) => a.filter((s) => !looksLikeLeak(s));

export const LONG = 60_000;

/** Small free text: ASCII and full Unicode (lone surrogates and NUL included). */
export const freeText = (maxLength = 24) => clean(fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength })));

/** Ids no platform would send, and some it would: as text. */
export const hostileIdText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0', '-1', '1e308', '-1e308', '1.5', 'NaN', 'Infinity', '-Infinity', '2147483647', '2147483648', '4294967296', '9007199254740993',
    '99999999999999999999999999', '0x10', '010', '+1', '1 ', ' 1', '00000000001', 'true', 'null', 'undefined', '[]', '{}',
    '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'count', 'admin',
  ),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
);

/** A path segment on the wire: hostile ids, traversal, bad percent-encoding, Unicode, NUL, 60,000 characters. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileIdText.map(encodeSegment), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '..', '.', '%2e%2e', '%2E%2E%2F', '..%2F..%2F..%2Fetc%2Fpasswd', '%2F', '%5C', '%00', 'a%00b', '%zz', '%', '%1', '%E0%A4%A', '%C0%AF',
      '%FF%FE', '%ED%A0%80', '%F0%9F%98', '%25', '%0A', '%0D%0A', '%20', '%3Cscript%3E', '%F0%9F%99%82',
    ),
    weight: 3,
  },
  { arbitrary: freeText(20).map(encodeSegment), weight: 3 },
  { arbitrary: fc.constantFrom('x'.repeat(LONG), '9'.repeat(LONG), '%41'.repeat(LONG / 3), encodeSegment('ü'.repeat(LONG / 6))), weight: 1 },
);

/** A query string (without `?`): known and unknown names, repeated names, hostile values, broken encoding. */
export function queryString(names: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    { arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constant('limit'), weight: 5 },
    { arbitrary: fc.constantFrom('limit', 'page', 'include', 'include_fields', 'exclude_fields', 'sort', 'since', 'kinds', '__proto__', 'a[b]', 'a[]', 'constructor[prototype]', ''), weight: 2 },
    { arbitrary: freeText(8), weight: 1 },
  );
  const value = fc.oneof(
    { arbitrary: hostileIdText, weight: 3 },
    { arbitrary: fc.constantFrom('', 'name,price', 'name,name,name', ',,,', 'id:asc', 'true', 'false', '2026-01-01T00:00:00Z', 'not-a-date', 'variants,images', '*'), weight: 3 },
    { arbitrary: freeText(16), weight: 2 },
    { arbitrary: fc.constant('a,'.repeat(2_500)), weight: 1 },
  );
  const pair = fc.tuple(name, value).map(([k, v]) => `${encodeQuery(k)}=${encodeQuery(v)}`);
  const raw = fc.constantFrom('%zz=1', 'limit=%', 'limit=%E0%A4%A', '%=%', 'flag', '&&&', '=', 'a=1=2', 'limit=1&limit=2', 'page=1&page=1', 'include_fields=name&include_fields=name');
  return fc.array(fc.oneof({ arbitrary: pair, weight: 4 }, { arbitrary: raw, weight: 1 }), { maxLength: 6 }).chain((parts) =>
    // Repeat one part now and then: a repeated single-valued parameter is a 422 (V3) or 400 (V2).
    fc.boolean().map((repeat) => (repeat && parts.length > 0 ? [...parts, parts[0]!] : parts).join('&')),
  );
}

/** Join a path and a query the way a client would (sometimes a bare `?`). */
export const withQuery = (path: string, query: string) => (query.length > 0 ? `${path}?${query}` : path);

export const contentType = fc.constantFrom(
  undefined, 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz',
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/xml', '*/*', 'application/problem+json', ';;;',
);

/** Headers anything may carry besides auth and content type. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 6 },
  {
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'content-encoding': 'gzip' },
      { 'content-encoding': 'deflate' },
      { 'content-encoding': 'br' },
      { 'content-encoding': 'x-unknown' },
      { accept: 'text/html' },
      { accept: 'application/xml' },
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-http-method-override': 'DELETE' },
    ),
    weight: 1,
  },
);

/** A JSON value that breaks a field: wrong types, extremes, huge strings, prototype keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom<unknown>(
      null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, '', ' ', '0', '-1', 'null', '🙂', 'ü', '\u0000', '<script>', "'; DROP TABLE orders; --",
      [], {}, [[[]]], { a: { b: { c: {} } } }, [null], { __proto__: null, constructor: { prototype: { polluted: true } } }, '2026-13-45T25:61:00Z',
    ),
    weight: 6,
  },
  { arbitrary: freeText(30), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom('x'.repeat(300), 'x'.repeat(70_000)), weight: 1 },
);

type Path = (string | number)[];

/**
 * Paths into a JSON value, containers included (the root excluded), down to `MAX_PATH_DEPTH`
 * levels: the hostile values include 2,000-level nesting, which recursion must not follow.
 */
const MAX_PATH_DEPTH = 32;
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length >= MAX_PATH_DEPTH) return out;
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), pathsOf(v, [...prefix, i], out)));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) (out.push([...prefix, k]), pathsOf(v, [...prefix, k], out));
  return out;
}

/** A one-level copy: own keys (a `__proto__` key parsed from JSON included) stay own data properties. */
const shallow = (v: unknown): unknown => (Array.isArray(v) ? [...v] : typeof v === 'object' && v !== null ? { ...(v as object) } : v);

/**
 * `value` with `next` at `path` (or the key removed). Only the containers along the path are
 * copied, so the template is never changed and a deeply nested value is never walked whole
 * (structuredClone of 2,000 levels overflowed the stack inside fast-check's generators).
 */
function setAt(value: unknown, path: Path, next: unknown | typeof DELETE): unknown {
  const copy = shallow(value);
  let cursor = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    // An earlier change replaced a container on the way with a scalar: nothing left to change there.
    if (typeof cursor !== 'object' || cursor === null) return copy;
    const child = shallow(cursor[key]);
    cursor[key] = child;
    cursor = child as Record<string | number, unknown>;
  }
  if (typeof cursor !== 'object' || cursor === null) return copy;
  const last = path.at(-1)!;
  if (next === DELETE) {
    if (Array.isArray(cursor)) cursor.splice(Number(last), 1);
    else delete cursor[last];
  } else cursor[last] = next;
  return copy;
}
const DELETE = Symbol('delete');

/** A real shape, as is or with a field replaced, removed or added, or sent as a batch. */
export function mutated(template: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(template);
  const at = (i: number) => paths[i % Math.max(1, paths.length)]!;
  const ops: fc.Arbitrary<unknown>[] = [fc.constant(template), fc.constant([template]), fc.integer({ min: 0, max: 30 }).map((n) => Array.from({ length: n }, () => template))];
  if (typeof template === 'object' && template !== null && !Array.isArray(template)) {
    ops.push(fc.tuple(freeText(12), hostileJson).map(([k, v]) => ({ ...(template as object), [k]: v })));
  }
  if (paths.length > 0) {
    ops.push(
      fc.tuple(fc.nat(), hostileJson).map(([i, v]) => setAt(template, at(i), v)),
      fc.tuple(fc.nat(), hostileJson).map(([i, v]) => setAt(template, at(i), v)),
      fc.nat().map((i) => setAt(template, at(i), DELETE)),
      fc.tuple(fc.nat(), hostileJson, fc.nat(), hostileJson).map(([i, v, j, w]) => setAt(setAt(template, at(i), v), at(j), w)),
    );
  }
  return fc.oneof(...ops);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Rewrite every http(s) URL to another host as a closed loopback port (the fuzz calls nothing outside). */
export function keepOnLoopback(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!/^\s*https?:/i.test(value)) return value;
    try {
      const url = new URL(value.trim());
      if (LOOPBACK.has(url.hostname)) return value;
      return `http://127.0.0.1:9${url.pathname}`;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(keepOnLoopback);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keepOnLoopback(v)]));
  return value;
}

export const INVALID_JSON = [
  '{', '{"a":', '[1,2', 'nul', "{'a':1}", '\u0000', '\uFEFF{"a":1}', '{"a":1}garbage', '"unterminated', 'NaN', '1e999', '{"a":1,}', '{"a" 1}', ' ', '',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":1}}}', '\uD800', '{"a":"\\uD800"}', '{"a":"\\u00"}',
];

export interface BodyOptions {
  /** Real shapes for this route, the base of most bodies. */
  templates: readonly unknown[];
  /** The surface's body limit in bytes; some bodies go near it and just over it. */
  limitBytes: number;
}

/** A request body, as text, or undefined for none. */
export function body(options: BodyOptions): fc.Arbitrary<string | undefined> {
  const { templates, limitBytes } = options;
  const shaped = templates.length > 0 ? fc.constantFrom(...templates).chain(mutated) : fc.json().map((t) => JSON.parse(t) as unknown);
  const deep = fc.tuple(fc.constantFrom('array', 'object', 'mixed'), fc.integer({ min: 65, max: 100_000 })).map(([kind, n]) =>
    kind === 'array' ? '['.repeat(n) + ']'.repeat(n) : kind === 'object' ? '{"a":'.repeat(n) + '1' + '}'.repeat(n) : '[{"a":'.repeat(n) + '1' + '}]'.repeat(n),
  );
  const item = '{"id":1,"quantity":2},';
  const huge = fc.constantFrom(0.5, 0.95, 1.01, 1.5).map((share) => {
    const count = Math.max(1, Math.floor((limitBytes * share) / item.length));
    return `[${item.repeat(count)}{"id":1}]`;
  });
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: shaped.map((v) => JSON.stringify(keepOnLoopback(v))), weight: 8 },
    { arbitrary: fc.json({ maxDepth: 4 }).filter((t) => !looksLikeLeak(t)).map((t) => JSON.stringify(keepOnLoopback(JSON.parse(t)))), weight: 2 },
    { arbitrary: fc.constantFrom(...INVALID_JSON), weight: 2 },
    { arbitrary: fc.constantFrom('1', '"text"', 'true', 'null', '[]', '[{}]', '{}', '[[]]'), weight: 1 },
    { arbitrary: deep, weight: 1 },
    { arbitrary: huge, weight: 1 },
  );
}

/** The methods a route table does not list are worth a try too. */
export const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
