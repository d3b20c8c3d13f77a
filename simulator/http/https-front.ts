/**
 * The simulator's HTTPS listener: the same express app as the HTTP one, behind TLS, for the
 * platform's host names (`api.bigcommerce.com`, `login.bigcommerce.com`) and loopback. Whatever the
 * Host header says, every request reaches the one app, so `https://api.bigcommerce.com/stores/{hash}/v3/...`
 * hits the same routes as `http://127.0.0.1:PORT/stores/{hash}/v3/...`.
 *
 * A TLS client that asks (by SNI) for a name the harness does not serve is refused during the
 * handshake, and the refusal is reported naming the host: the harness never pretends to be a
 * site other than the platform's.
 */
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { listen } from '../../lib/listen.ts';

export interface HttpsFrontOptions {
  /** PEM server certificate (with its chain) and key, e.g. from src/intercept/certificates.ts. */
  cert: string;
  key: string;
  /** Names a client may ask for by SNI (clients send none for an IP address). */
  serverNames: readonly string[];
  host: string;
  port?: number;
  /** Told about each handshake refused, with the name asked for and why. */
  onRefused?: (refusal: { serverName: string | undefined; reason: string; code?: string }) => void;
}

export interface HttpsFront {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHttpsFront(app: RequestListener, options: HttpsFrontOptions): Promise<HttpsFront> {
  const served = new Set(options.serverNames.map((n) => n.toLowerCase()));
  const context = createSecureContext({ cert: options.cert, key: options.key });
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      keepAliveTimeout: 30_000,
      SNICallback(serverName, callback) {
        if (served.has(serverName.toLowerCase())) return callback(null, context);
        // The name travels on the error: the socket's own `servername` is only set after a handshake.
        callback(Object.assign(new Error(`unknown server name ${serverName}`), { serverName }));
      },
    },
    app,
  );
  server.on('tlsClientError', (error: Error & { code?: string; serverName?: string }, socket: TLSSocket) => {
    const serverName = error.serverName ?? ((socket as TLSSocket & { servername?: string | false }).servername || undefined);
    const unknownName = serverName !== undefined && !served.has(serverName.toLowerCase());
    const reason = unknownName
      ? `Refused a TLS connection for ${serverName}: the simulator serves HTTPS only for ${[...served].join(', ')}. Point the client at one of those names.`
      : `A TLS handshake failed${serverName ? ` for ${serverName}` : ''}: ${error.code ?? error.message}. A client that does not trust the run's CA fails like this: give it the CA file (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE).`;
    options.onRefused?.({ serverName, reason, ...(error.code ? { code: error.code } : {}) });
    socket.destroy();
  });
  const url = (await listen(server as unknown as import('node:http').Server, options.host, options.port ?? 0)).replace(/^http:/, 'https:');
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
