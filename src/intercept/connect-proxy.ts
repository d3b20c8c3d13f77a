/**
 * The harness's forward proxy, what HTTPS_PROXY and HTTP_PROXY point an unchanged integration at:
 * a CONNECT to `api.bigcommerce.com:443` or `login.bigcommerce.com:443` becomes a TCP tunnel to
 * the simulator's HTTPS listener (the client then speaks TLS to the simulator, which holds a
 * certificate for those names from the run's CA); a plain-HTTP request in absolute form is
 * forwarded when it is for the platform or one of the harness's own servers; anything else is
 * answered 403 and logged naming the host. It listens on loopback only.
 *
 * It counts what it carried, and remembers the local port of every socket it opened to the
 * simulator while that socket is open, so the simulator's `api:request` lines (which carry the
 * peer port) can be told apart: through the proxy, or not (see request-routes.ts).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseAuthority, routeRequest, type HostPort, type RouteTable } from './route-request.ts';

export interface ProxyStats {
  /** CONNECT tunnels opened, by `host:port` asked for. */
  tunnels: Record<string, number>;
  /** Plain-HTTP requests forwarded, by `host:port`. */
  forwarded: Record<string, number>;
  /** CONNECTs and requests refused, by `host:port`. */
  refused: Record<string, number>;
}

export interface InterceptProxy {
  /** `http://127.0.0.1:PORT`: the value of HTTPS_PROXY and HTTP_PROXY. */
  url: string;
  port: number;
  stats(): ProxyStats;
  /** Whether a socket with this local port, opened by the proxy to the simulator, is open now. */
  carries(localPort: number | null | undefined): boolean;
  close(): Promise<void>;
}

export interface InterceptProxyOptions {
  routes: RouteTable;
  /** One line per refusal (and per upstream failure). */
  log: (line: string) => void;
  host?: string;
  port?: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

const label = (to: HostPort) => `${to.host.includes(':') ? `[${to.host}]` : to.host}:${to.port}`;

function refuseSocket(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Bad Gateway'}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export async function startInterceptProxy(options: InterceptProxyOptions): Promise<InterceptProxy> {
  const stats: ProxyStats = { tunnels: {}, forwarded: {}, refused: {} };
  const carried = new Set<number>();
  const open = new Set<Socket | Duplex>();
  const log = options.log;

  const track = (upstream: Socket) => {
    upstream.once('connect', () => {
      const port = upstream.localPort;
      if (port === undefined) return;
      carried.add(port);
      upstream.once('close', () => carried.delete(port));
    });
  };

  const onConnect = (req: IncomingMessage, client: Duplex, head: Buffer) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const to = parseAuthority(req.url ?? '', 443);
    if (!to) {
      log(`[intercept] refused CONNECT ${JSON.stringify(req.url)}: not a host:port.`);
      bump(stats.refused, String(req.url));
      refuseSocket(client, 400, `Failed to open a tunnel: "${req.url}" is not host:port.`);
      return;
    }
    const route = routeRequest(to, options.routes);
    if (route.kind === 'refuse') {
      bump(stats.refused, label(to));
      log(`[intercept] refused CONNECT ${label(to)}: ${route.reason}`);
      refuseSocket(client, 403, `Failed to open a tunnel to ${label(to)}: ${route.reason}`);
      return;
    }
    const upstream = connect({ host: route.target.host, port: route.target.port });
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      bump(stats.tunnels, label(to));
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (established) return client.destroy();
      log(`[intercept] could not reach ${label(route.target)} for ${label(to)}: ${error.code ?? error.message}`);
      refuseSocket(client, 502, `Failed to reach the harness's server for ${label(to)} (${label(route.target)}): ${error.code ?? error.message}. Is the simulator still running?`);
    });
    client.once('close', () => upstream.destroy());
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Failed to proxy ${req.url}: this is a proxy; send an absolute URL (http://host/path), or CONNECT for https.\n`);
      return;
    }
    if (target.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Failed to proxy ${target.href}: only http:// is forwarded; https goes through CONNECT.\n`);
      return;
    }
    const to = { host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(target.port || 80) };
    const route = routeRequest(to, options.routes);
    if (route.kind === 'refuse') {
      bump(stats.refused, label(to));
      log(`[intercept] refused ${req.method} http://${label(to)}${target.pathname}: ${route.reason}`);
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`Failed to forward to ${label(to)}: ${route.reason}\n`);
      return;
    }
    bump(stats.forwarded, label(to));
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = httpRequest({ host: route.target.host, port: route.target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on('socket', (s) => track(s as Socket));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      log(`[intercept] could not forward to ${label(route.target)} for ${label(to)}: ${error.code ?? error.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`Failed to reach the harness's server for ${label(to)}: ${error.code ?? error.message}.\n`);
      else res.destroy();
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(onRequest);
  server.on('connect', onConnect);
  server.on('connection', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  // Loopback only: the proxy must not become a way into the harness (or out of the machine).
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => structuredClone(stats),
    carries: (localPort) => localPort !== null && localPort !== undefined && carried.has(localPort),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
