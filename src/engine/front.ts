/**
 * The engine's HTTP front: `/webhooks` and `/webhooks/exceptions` go to the receiver, `GET
 * /metrics` and `GET /healthz` to whoever holds the engine's state, anything else is a 404. The
 * same front runs on the receiver's thread (receiver-thread.ts, asking the main thread for the two
 * GETs by message) or on the main thread (an injected clock the thread cannot share).
 */
import { createServer, type Server } from 'node:http';
import type { Receiver } from './receiver.ts';

export interface FrontOptions {
  receiver: Receiver;
  /** The Prometheus text of /metrics. */
  metrics(): string | Promise<string>;
  /** The JSON text of /healthz. */
  health(): string | Promise<string>;
}

export function createFront(options: FrontOptions): Server {
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/webhooks' || path === '/webhooks/exceptions') return options.receiver(req, res);
    req.resume();
    const send = (type: string, body: () => string | Promise<string>) => {
      Promise.resolve()
        .then(body)
        .then(
          (text) => {
            res.writeHead(200, { 'content-type': type });
            res.end(text);
          },
          (error: unknown) => {
            if (res.headersSent) return;
            res.writeHead(503, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: `the engine could not answer: ${error instanceof Error ? error.message : String(error)}` }));
          },
        );
    };
    if (req.method === 'GET' && path === '/metrics') return send('text/plain; version=0.0.4', options.metrics);
    if (req.method === 'GET' && path === '/healthz') return send('application/json', options.health);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found: POST /webhooks, GET /metrics, GET /healthz' }));
  });
  // A client that sends garbage instead of HTTP gets a 400 from node; it must not crash us.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
