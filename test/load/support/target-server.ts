/**
 * A small HTTP target for runner tests, on loopback port 0: `/ok` (a JSON body), `/slow?ms=N`,
 * `/status/:code`, `/redirect?to=/ok`, `/echo` (method, headers and body back), `/count` (how
 * many requests it has seen).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TargetServer {
  url: string;
  hits(): number;
  close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
        res.end(text);
      };
      if (url.pathname === '/ok') return send(200, { status: 'ok', items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] });
      if (url.pathname === '/slow') return void setTimeout(() => send(200, { status: 'slow' }), Number(url.searchParams.get('ms') ?? 50));
      if (url.pathname.startsWith('/status/')) return send(Number(url.pathname.slice(8)), { status: Number(url.pathname.slice(8)) });
      if (url.pathname === '/redirect') return send(302, '', { location: url.searchParams.get('to') ?? '/ok' });
      if (url.pathname === '/echo') return send(200, { method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (url.pathname === '/count') return send(200, { hits });
      return send(404, { error: 'not found' });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Collects what the runner writes, for assertions; never a terminal. */
export function createSink() {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
    },
    isTTY: false,
    text: () => text,
  };
}
