/**
 * A reverse proxy on loopback in front of the simulator's Management API that can answer chosen
 * requests itself (a permanent 4xx, say) and forwards everything else, headers included, so the
 * engine's limiter still sees the store's rate-limit headers.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface ApiProxy {
  url: string;
  /** Answer a request here instead of forwarding it (return undefined to forward). */
  intercept?: (req: IncomingMessage) => { status: number; body: unknown } | undefined;
  intercepted: string[];
  close(): Promise<void>;
}

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startApiProxy(target: string): Promise<ApiProxy> {
  const proxy: ApiProxy = { url: '', intercepted: [], close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = proxy.intercept?.(req);
      if (answer) {
        proxy.intercepted.push(`${req.method} ${req.url}`);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP.has(k)) headers[k] = v;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      request(`${target}${req.url}`, { method: req.method as 'GET', headers, ...(body ? { body } : {}) })
        .then(async (r) => {
          const text = await r.body.text();
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string' && !HOP.has(k)) out[k] = v;
          res.writeHead(r.statusCode, out).end(text);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
