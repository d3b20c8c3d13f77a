/**
 * Every outgoing HTTP call of the engine goes through one undici agent (keep-alive pools per
 * origin, real-time timeouts). A failure to get an answer is a `NetworkError`; any answer, 5xx
 * included, is a response: what it means is decided by the caller (retry.ts).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { parseJson, readJsonBody } from './json-body.ts';

export { parseJson };

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Real milliseconds to wait for the answer. */
  timeoutMs?: number;
}

export class NetworkError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
  ) {
    super(`no answer from ${url}: ${code}`);
    this.name = 'NetworkError';
  }
}

/** An answer whose body was read as JSON (see json-body.ts): undefined for none, the text if it is not JSON. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface HttpTransport {
  send(req: HttpRequest): Promise<HttpResponse>;
  /** The same call, its body parsed as it arrives: a multi-MB list never blocks the event loop in one piece. */
  sendJson(req: HttpRequest): Promise<JsonResponse>;
  close(): Promise<void>;
}

export function createHttpTransport(options: { connections?: number; timeoutMs?: number } = {}): HttpTransport {
  const agent = new Agent({ connections: options.connections ?? 32, keepAliveTimeout: 10_000, pipelining: 1 });
  /** Make the call and read its body with `read`; no answer at all is a NetworkError. */
  const exchange = async <T>(req: HttpRequest, read: (body: Dispatcher.ResponseData['body']) => Promise<T>) => {
    const timeout = req.timeoutMs ?? options.timeoutMs ?? 30_000;
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const body = await read(res.body);
      return { status: res.statusCode, headers: res.headers as Record<string, string | string[] | undefined>, body };
    } catch (error) {
      const e = error as { code?: string; name?: string; message?: string };
      throw new NetworkError(req.url, e.code ?? e.name ?? e.message ?? 'network error');
    }
  };
  return {
    async send(req) {
      const { body: text, ...rest } = await exchange(req, (body) => body.text());
      return { ...rest, text };
    },
    sendJson: (req) => exchange(req, readJsonBody),
    close: () => agent.close(),
  };
}


export const header = (headers: HttpResponse['headers'], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * An error answer as one readable line for the dead-letter queue and the logs: the connected
 * systems' `{"errors":[{"field","message"}]}`, BigCommerce's V3 `{"title","errors":{}}` and V2
 * `[{"status","message"}]`, or the raw text.
 */
export function describeError(status: number, body: unknown): string {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  const parts: string[] = [];
  if (Array.isArray(parsed)) {
    for (const e of parsed) if (e && typeof e === 'object' && 'message' in e) parts.push(String((e as { message: unknown }).message));
  } else if (parsed && typeof parsed === 'object') {
    const o = parsed as { title?: unknown; errors?: unknown };
    if (typeof o.title === 'string') parts.push(o.title);
    if (Array.isArray(o.errors)) {
      for (const e of o.errors) if (e && typeof e === 'object') parts.push(`${(e as { field?: unknown }).field ?? 'body'}: ${(e as { message?: unknown }).message ?? ''}`);
    } else if (o.errors && typeof o.errors === 'object') {
      for (const [field, message] of Object.entries(o.errors)) parts.push(`${field}: ${String(message)}`);
    }
  }
  const text = parts.length > 0 ? parts.join('; ') : typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  return `HTTP ${status}${text ? ` ${text.slice(0, 1000)}` : ''}`;
}
