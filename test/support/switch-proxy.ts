/**
 * A reverse proxy in front of the engine's receiver that can be switched off: what the platform
 * sees when the engine's endpoint is down (a load balancer answering 503), while the engine itself
 * keeps running, calling the API and sweeping.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface SwitchProxy {
  url: string;
  target: string;
  up: boolean;
  refused: number;
  close(): Promise<void>;
}

export async function startSwitchProxy(): Promise<SwitchProxy> {
  const proxy: SwitchProxy = { url: '', target: '', up: true, refused: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!proxy.up || !proxy.target) {
        proxy.refused++;
        res.writeHead(503).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      request(`${proxy.target}${req.url}`, { method: req.method as 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (r) => {
          const body = await r.body.text();
          res.writeHead(r.statusCode).end(body);
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
