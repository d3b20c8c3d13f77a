/**
 * A single-click app on loopback port 0, as a vendor writes one: `GET /auth` exchanges the code at
 * the simulator's `POST /oauth2/token` before answering (the docs' best practice), `GET /load` and
 * `GET /uninstall` record their `signed_payload_jwt`, and `POST /hooks` receives webhooks.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, type ApiResponse } from './simulator.ts';

export interface AppServer {
  url: string;
  /** Set once the app is registered (the registration needs this server's URL first). */
  configure(app: { clientId: string; clientSecret: string; tokenUrl: string }): void;
  /** Each `/auth` callback's query and the token endpoint's answer. */
  auths: { query: Record<string, string>; token: ApiResponse }[];
  loads: string[];
  uninstalls: string[];
  hooks: { headers: IncomingHttpHeaders; raw: string; body: any }[];
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  let config: { clientId: string; clientSecret: string; tokenUrl: string } | undefined;
  const auths: AppServer['auths'] = [];
  const loads: string[] = [];
  const uninstalls: string[] = [];
  const hooks: AppServer['hooks'] = [];
  let base = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'GET' && url.pathname === '/auth' && config) {
          const query = Object.fromEntries(url.searchParams);
          const token = await call(config.tokenUrl, 'POST', {}, { client_id: config.clientId, client_secret: config.clientSecret, code: query.code, context: query.context, scope: query.scope, grant_type: 'authorization_code', redirect_uri: `${base}/auth` });
          auths.push({ query, token });
          res.writeHead(token.status === 200 ? 200 : 500, { 'content-type': 'text/html' }).end('<h1>Installed</h1>');
          return;
        }
        if (req.method === 'GET' && url.pathname === '/load') {
          loads.push(url.searchParams.get('signed_payload_jwt') ?? '');
          res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>App</h1>');
          return;
        }
        if (req.method === 'GET' && url.pathname === '/uninstall') {
          uninstalls.push(url.searchParams.get('signed_payload_jwt') ?? '');
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        if (req.method === 'POST' && url.pathname === '/hooks') {
          const raw = Buffer.concat(chunks).toString('utf8');
          hooks.push({ headers: req.headers, raw, body: JSON.parse(raw) });
          res.writeHead(200).end();
          return;
        }
        res.writeHead(404).end();
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    configure: (app) => (config = app),
    auths,
    loads,
    uninstalls,
    hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
