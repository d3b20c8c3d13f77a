/**
 * The fuzz suite's transport: one generated request, sent as is over real HTTP on loopback, and
 * the answer read in full, both bounded by a timeout. Also how a request is printed so a person
 * can replay it by hand.
 */
import { request } from 'undici';

export interface FuzzRequest {
  method: string;
  /** The path and query exactly as they go on the wire (already percent-encoded, or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A short note on what the case was drawn from (the route, the hostile part). */
  note?: string;
}

export interface FuzzAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type SendResult = { ok: true; answer: FuzzAnswer } | { ok: false; error: string; timedOut: boolean };

/** Node's default limit on a request's line and headers (--max-http-header-size, 16 KiB). */
export const NODE_MAX_HEADER_BYTES = 16 * 1024;

/** About how many bytes the request line and headers take on the wire. */
export function headBytes(req: FuzzRequest): number {
  let n = Buffer.byteLength(`${req.method} ${req.path} HTTP/1.1\r\n`);
  for (const [k, v] of Object.entries(req.headers)) n += Buffer.byteLength(`${k}: ${v}\r\n`);
  return n;
}

/** A body over this many characters is printed as its start and its length. */
const PRINT_LIMIT = 300;

/** Send one request; never throws. `timeoutMs` bounds both the answer's head and its body. */
export async function send(baseUrl: string, req: FuzzRequest, timeoutMs: number): Promise<SendResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(`${baseUrl}${req.path}`, {
      method: req.method as 'GET',
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal,
    });
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { ok: true, answer: { status: res.statusCode, headers, body } };
  } catch (error) {
    const e = error as Error & { code?: string };
    const timedOut = signal.aborted || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
    return { ok: false, error: `${e.code ?? e.name}: ${e.message}`, timedOut };
  }
}

const shorten = (text: string) => (text.length <= PRINT_LIMIT ? text : `${text.slice(0, PRINT_LIMIT)}… (${text.length} characters in all)`);

/**
 * The request as a person reads it, with a curl line that replays it (bodies over 300 characters
 * shortened). Each value of `secrets` (tokens of the processes under test) is printed as its name,
 * `<controlToken>`, so a report never carries a credential; the ready line of the process says it.
 */
export function formatRequest(baseUrl: string, raw: FuzzRequest, secrets: Record<string, string> = {}): string {
  const hide = (text: string) => Object.entries(secrets).reduce((t, [name, value]) => (value ? t.split(value).join(`<${name}>`) : t), text);
  const req: FuzzRequest = { ...raw, path: hide(raw.path), headers: Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k, hide(v)])), ...(raw.body !== undefined ? { body: hide(raw.body) } : {}) };
  const lines = [`${req.method} ${shorten(req.path)}`];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`${k}: ${shorten(v)}`);
  if (req.body !== undefined) lines.push('', shorten(JSON.stringify(req.body)).replace(/^"|"$/g, ''));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const curl = [
    'curl -sS -i -X',
    req.method,
    quote(`${baseUrl}${shorten(req.path)}`),
    ...Object.entries(req.headers).map(([k, v]) => `-H ${quote(`${k}: ${shorten(v)}`)}`),
    ...(req.body !== undefined ? [`--data-binary ${quote(shorten(req.body))}`] : []),
  ].join(' ');
  return `${lines.join('\n')}\n\nreplay: ${curl}${req.note ? `\n(drawn from: ${req.note})` : ''}`;
}
