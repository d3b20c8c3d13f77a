/**
 * The shared checker: what every answer of every surface must satisfy, whatever was sent.
 *
 * - no 5xx: a hostile request is the client's fault, so the answer is a 4xx (a 5xx would make a
 *   real client retry and is how the platform signals its own failures);
 * - an error body (status >= 400) is in the platform's envelope for that surface: V3
 *   `{status, title, type, errors?}` and V2 `[{status, message}]` (bigcommerce-facts.md sections
 *   d and e; simulator/http/errors.ts), the control plane `{status, title, errors?}`, the
 *   connected-system mocks `{"errors": [{field, message}]}` (DESIGN.md section 8), the engine's
 *   receiver `{"error": "..."}` (src/engine/receiver.ts);
 * - no body leaks the implementation: no stack frame, no `Error:` naming a source file, no
 *   filesystem path (`/work/`, `/home/`, `/tmp/`, `node_modules`, `file://`, `x.ts:12`). A match the
 *   request itself carried is an echo of the input, not a leak.
 */
import { headBytes, NODE_MAX_HEADER_BYTES, type FuzzAnswer, type FuzzRequest } from './http.ts';

export type ErrorShape = 'v3' | 'v2' | 'control' | 'mocks' | 'engine';

export type ProblemKind = 'crash' | '5xx' | 'shape' | 'leak' | 'hang' | 'no-answer' | 'unhealthy' | 'stuck';

export interface Problem {
  kind: ProblemKind;
  message: string;
}

/** Each pattern names one way an implementation detail shows in a body. */
export const LEAK_PATTERNS: { name: string; pattern: RegExp }[] = [
  { name: 'a stack frame', pattern: / {4}at [^\n"]{1,200}/g },
  { name: 'an Error naming a source file', pattern: /\b[A-Za-z]*Error: [^\n"]{0,200}?[\w./-]+\.(?:ts|js|mjs|cjs)\b/g },
  { name: 'a filesystem path', pattern: /\/work\/|\/home\/|\/root\/|\/tmp\/|node_modules|file:\/\//g },
  { name: 'a source position', pattern: /\.ts:|\.(?:js|mjs|cjs):\d+/g },
];

/** Whether a text would look like a leak if a body echoed it (the arbitraries never generate these). */
export function looksLikeLeak(text: string): boolean {
  return LEAK_PATTERNS.some(({ pattern }) => new RegExp(pattern.source).test(text));
}

/** The leaks in a body, ignoring any text the request itself carried (an echo of the input). */
export function findLeaks(body: string, req?: FuzzRequest): Problem[] {
  const sent = req ? [req.path, safeDecode(req.path), req.body ?? '', ...Object.values(req.headers)].join('\n') : '';
  const problems: Problem[] = [];
  for (const { name, pattern } of LEAK_PATTERNS) {
    for (const match of body.matchAll(pattern)) {
      if (sent.includes(match[0])) continue;
      problems.push({ kind: 'leak', message: `the body holds ${name}: ${JSON.stringify(match[0].slice(0, 120))}` });
      break;
    }
  }
  return problems;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why an error body is not in the surface's envelope, or undefined when it is. */
export function shapeProblem(shape: ErrorShape, status: number, body: unknown): string | undefined {
  switch (shape) {
    case 'v3': {
      if (!isObject(body)) return 'a V3 error must be an object {status, title, type}';
      if (body.status !== status) return `a V3 error's "status" must be the HTTP status ${status}; got ${JSON.stringify(body.status)}`;
      if (typeof body.title !== 'string' || body.title.length === 0) return 'a V3 error needs a non-empty "title"';
      if (typeof body.type !== 'string') return 'a V3 error needs a "type"';
      if (body.errors !== undefined && !isObject(body.errors)) return 'a V3 error\'s "errors" must be an object';
      return undefined;
    }
    case 'v2': {
      if (!Array.isArray(body) || body.length === 0) return 'a V2 error must be a non-empty array [{status, message}]';
      for (const e of body) {
        if (!isObject(e) || e.status !== status || typeof e.message !== 'string' || e.message.length === 0) return `each V2 error must be {status: ${status}, message}`;
      }
      return undefined;
    }
    case 'control': {
      if (!isObject(body)) return 'a control-plane error must be an object {status, title}';
      if (body.status !== status) return `a control-plane error's "status" must be the HTTP status ${status}`;
      if (typeof body.title !== 'string' || body.title.length === 0) return 'a control-plane error needs a non-empty "title"';
      return undefined;
    }
    case 'mocks': {
      if (!isObject(body) || !Array.isArray(body.errors) || body.errors.length === 0) return 'a mock error must be {"errors": [{field, message}]}';
      for (const e of body.errors) if (!isObject(e) || typeof e.field !== 'string' || typeof e.message !== 'string') return 'each mock error must be {field, message} strings';
      return undefined;
    }
    case 'engine': {
      if (!isObject(body) || typeof body.error !== 'string' || body.error.length === 0) return 'an engine error must be {"error": "..."}';
      return undefined;
    }
    default:
      return shape satisfies never;
  }
}

export interface CheckOptions {
  /** The envelope errors on this request must have. */
  shape: ErrorShape;
  /** Statuses that may come without a body (the platform documents a 429 with headers only). */
  emptyAllowed?: (status: number) => boolean;
  /** Whether the answer announces an injected fault (its 5xx was asked for, not a bug). */
  injectedFault?: (answer: FuzzAnswer) => boolean;
}

/**
 * A 431 Request Header Fields Too Large for a request whose line and headers are over Node's 16 KiB
 * default comes from Node's HTTP parser before any route runs, on every surface alike, with no
 * body: a refusal by the HTTP layer, not an API error, so it is held to no envelope
 * (docs/fuzzing.md, limits). A 431 for a smaller request is the application's and is checked.
 */
const refusedByHttpLayer = (req: FuzzRequest, status: number) => status === 431 && headBytes(req) > NODE_MAX_HEADER_BYTES;

/** Everything wrong with one answer. */
export function checkAnswer(req: FuzzRequest, answer: FuzzAnswer, options: CheckOptions): Problem[] {
  const problems: Problem[] = [];
  if (answer.status >= 500 && !options.injectedFault?.(answer)) problems.push({ kind: '5xx', message: `answered ${answer.status}` });
  problems.push(...findLeaks(answer.body, req));
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const p of findLeaks(value, req)) problems.push({ kind: 'leak', message: `header ${name}: ${p.message}` });
  }
  if (answer.status >= 400 && req.method !== 'HEAD') {
    if (answer.body.length === 0) {
      if (!options.emptyAllowed?.(answer.status) && !refusedByHttpLayer(req, answer.status)) problems.push({ kind: 'shape', message: `a ${answer.status} with an empty body; errors must say what went wrong in the ${options.shape} envelope` });
    } else {
      let parsed: unknown;
      let json = true;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        json = false;
      }
      const type = answer.headers['content-type'] ?? '';
      if (!json) problems.push({ kind: 'shape', message: `a ${answer.status} whose body is not JSON: ${JSON.stringify(answer.body.slice(0, 120))}` });
      else {
        const why = shapeProblem(options.shape, answer.status, parsed);
        if (why) problems.push({ kind: 'shape', message: `${why} (${answer.status}: ${answer.body.slice(0, 160)})` });
        else if (!/json/i.test(type)) problems.push({ kind: 'shape', message: `a ${answer.status} error with content-type "${type}"; errors are JSON` });
      }
    }
  }
  return problems;
}
