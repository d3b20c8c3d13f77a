import { jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../support/app-server.ts';
import { startReceiver } from '../support/receiver.ts';
import { call, startTestSim, type TestSim } from '../support/simulator.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function world(options: Parameters<typeof startTestSim>[0] = {}) {
  const sim = await startTestSim(options);
  cleanup.push(() => sim.close());
  return sim;
}

async function withApp(sim: TestSim, scopes = ['store_v2_orders_read_only', 'store_v2_products']) {
  const server = await startAppServer();
  cleanup.push(() => server.close());
  const registered = await sim.control('POST', '/apps', { name: 'acme-sync', appUrl: server.url, scopes });
  expect(registered.status).toBe(201);
  const app = registered.body as { clientId: string; clientSecret: string; accountUuid: string };
  server.configure({ clientId: app.clientId, clientSecret: app.clientSecret, tokenUrl: `${sim.url}/oauth2/token` });
  return { server, app };
}

async function ledger(sim: TestSim, kinds: string): Promise<any[]> {
  const res = await sim.control('GET', `/ledger?kinds=${kinds}`);
  return res.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const verifyJwt = (jwt: string, secret: string, clientId: string, sim: TestSim) =>
  jwtVerify(jwt, new TextEncoder().encode(secret), { algorithms: ['HS256'], audience: clientId, issuer: 'bc', currentDate: new Date(sim.running.sim.clock.now()) });

describe('the single-click app lifecycle', () => {
  it('installs through the auth callback and token exchange, loads with a signed JWT, and uninstalls: token, hooks and events gone', async () => {
    const sim = await world();
    const { server, app } = await withApp(sim);

    const install = await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/install`);
    expect(install.status).toBe(200);
    expect(install.body).toMatchObject({ installed: true, context: `stores/${sim.hash}`, scope: 'store_v2_orders_read_only store_v2_products', account_uuid: app.accountUuid, callback: { callback: 'auth', status: 200 } });
    // The browser's auth callback carried what the docs list, and the exchange answered the documented body.
    expect(server.auths).toHaveLength(1);
    const { query, token } = server.auths[0]!;
    expect(Object.keys(query).sort()).toEqual(['account_uuid', 'code', 'context', 'scope']);
    expect(token.status).toBe(200);
    expect(token.body).toEqual({
      access_token: expect.stringMatching(/^[0-9a-z]{20,}$/),
      scope: 'store_v2_orders_read_only store_v2_products',
      user: { id: expect.any(Number), username: expect.any(String), email: expect.stringContaining('@') },
      owner: { id: expect.any(Number), username: expect.any(String), email: expect.stringContaining('@') },
      context: `stores/${sim.hash}`,
      account_uuid: app.accountUuid,
    });
    const appToken = token.body.access_token as string;

    // The new token works, with exactly the app's scopes.
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, appToken)).status).toBe(200);
    expect((await sim.api('GET', '/v3/catalog/products?limit=1', undefined, appToken)).status).toBe(200);
    expect((await sim.api('PUT', '/v2/orders/100', { staff_notes: 'x' }, appToken)).status).toBe(403);
    expect((await sim.api('GET', '/v3/customers', undefined, appToken)).status).toBe(403);

    // The app's hooks, and one of the store's own integration that must survive the uninstall.
    const uninstalledHook = await sim.api('POST', '/v3/hooks', { scope: 'store/app/uninstalled', destination: `${server.url}/hooks` }, appToken);
    const orderHook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: `${server.url}/hooks` }, appToken);
    expect(uninstalledHook.body.data.client_id).toBe(app.clientId);
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const ownHook = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });

    const load = await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/load`, { url: '/orders/100', channelId: 1 });
    expect(load.status).toBe(200);
    expect(server.loads).toEqual([load.body.signedPayloadJwt]);
    const loaded = await verifyJwt(server.loads[0]!, app.clientSecret, app.clientId, sim);
    expect(loaded.protectedHeader.alg).toBe('HS256');
    expect(loaded.payload).toMatchObject({ aud: app.clientId, iss: 'bc', sub: `stores/${sim.hash}`, url: '/orders/100', channel_id: 1, user: { id: token.body.user.id, email: token.body.user.email, locale: 'en-US' }, owner: { id: token.body.owner.id, email: token.body.owner.email } });
    expect(loaded.payload.nbf).toBe(loaded.payload.iat);
    expect(loaded.payload.exp).toBe(loaded.payload.iat! + 86_400);
    expect(loaded.payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Signed with the client secret: any other key fails.
    await expect(jwtVerify(server.loads[0]!, new TextEncoder().encode('not-the-client-secret'), { currentDate: new Date(sim.running.sim.clock.now()) })).rejects.toThrow(/signature/);

    const uninstall = await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/uninstall`);
    expect(uninstall.status).toBe(200);
    expect(uninstall.body.hooksRemoved.sort()).toEqual([uninstalledHook.body.data.id, orderHook.body.data.id].sort());
    expect(uninstall.body.callback).toMatchObject({ callback: 'uninstall', status: 200 });
    expect(server.uninstalls).toHaveLength(1);
    expect((await verifyJwt(server.uninstalls[0]!, app.clientSecret, app.clientId, sim)).payload).toMatchObject({ sub: `stores/${sim.hash}`, url: '/', channel_id: null });

    // Token gone, hooks gone, the store's own integration untouched.
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, appToken)).status).toBe(401);
    const hooks = (await sim.api('GET', '/v3/hooks')).body.data.map((h: { id: number }) => h.id);
    expect(hooks).toEqual([ownHook.body.data.id]);
    expect(sim.running.sim.store(sim.hash)!.hooks.has(orderHook.body.data.id)).toBe(false);
    const stores = await sim.control('GET', '/stores');
    expect(stores.body.stores[0].accounts.map((a: { clientId: string }) => a.clientId)).not.toContain(app.clientId);

    // store/app/uninstalled reached the app's hook (deleted right after it was raised), and nothing else does.
    await expect.poll(() => server.hooks.length).toBe(1);
    expect(server.hooks[0]!.body).toMatchObject({ scope: 'store/app/uninstalled', data: { type: 'store' }, producer: `stores/${sim.hash}` });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(server.hooks).toHaveLength(1);

    const entries = await ledger(sim, 'app:registered,app:code-issued,app:token,app:installed,app:callback,app:uninstalled');
    expect(entries.map((e) => (e.kind === 'app:callback' ? `${e.kind}:${e.callback}` : e.kind))).toEqual([
      'app:registered',
      'app:code-issued',
      'app:token',
      'app:installed',
      'app:callback:auth',
      'app:callback:load',
      'app:uninstalled',
      'app:callback:uninstall',
    ]);
    // The ledger keeps neither the code nor the token nor the JWT.
    const text = JSON.stringify(entries);
    expect(text).not.toContain(appToken);
    expect(text).not.toContain(query.code!);
    expect(text).not.toContain('signed_payload_jwt');
  });

  it("raises no store/app/uninstalled with appUninstalledWebhook 'none', and still removes the hooks", async () => {
    const sim = await world({ appUninstalledWebhook: 'none' });
    const { server, app } = await withApp(sim);
    await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/install`);
    const appToken = server.auths[0]!.token.body.access_token as string;
    const hook = await sim.api('POST', '/v3/hooks', { scope: 'store/app/*', destination: `${server.url}/hooks` }, appToken);
    const uninstall = await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/uninstall`);
    expect(uninstall.body).toMatchObject({ hooksRemoved: [hook.body.data.id], notifiedHooks: [] });
    expect(sim.running.sim.dispatcher.pending()).toBe(0);
    expect(await ledger(sim, 'webhook:event')).toEqual([]);
  });

  it('refuses to load or uninstall an app that is not installed, naming what to do', async () => {
    const sim = await world();
    const { app } = await withApp(sim);
    const load = await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/load`);
    expect(load.status).toBe(409);
    expect(load.body.title).toMatch(/not installed\. Install it first/);
    expect((await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/uninstall`)).status).toBe(409);
    expect((await sim.control('POST', `/stores/${sim.hash}/apps/nope/install`)).status).toBe(404);
  });

  it('registers only callback URLs it may call: https on 443, or http on loopback', async () => {
    const sim = await world();
    const bad = await sim.control('POST', '/apps', { authCallbackUrl: 'http://example.com/auth' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.authCallbackUrl).toMatch(/https on port 443/);
    const missing = await sim.control('POST', '/apps', { scopes: 'store_v2_orders' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.authCallbackUrl).toMatch(/required/);
    const badScope = await sim.control('POST', '/apps', { authCallbackUrl: 'https://app.example.com/auth', scopes: ['store/order/created'] });
    expect(badScope.body.errors.scopes).toMatch(/not an OAuth scope name/);
    const ok = await sim.control('POST', '/apps', { authCallbackUrl: 'https://app.example.com/auth', scopes: 'store_v2_orders store_v2_products_read_only' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ callbacks: { auth: 'https://app.example.com/auth' }, scopes: ['store_v2_orders', 'store_v2_products_read_only'], installedOn: [] });
    // No scopes named: every full scope, as `sim --app-url` without --app-scopes; an empty list cannot install.
    const noScopes = await sim.control('POST', '/apps', { authCallbackUrl: 'https://app.example.com/auth2' });
    expect(noScopes.status).toBe(201);
    expect(noScopes.body.scopes).toContain('store_v2_orders');
    const empty = await sim.control('POST', '/apps', { authCallbackUrl: 'https://app.example.com/auth3', scopes: [] });
    expect(empty.status).toBe(422);
    expect(empty.body.errors.scopes).toMatch(/is empty/);
  });
});

describe('POST /oauth2/token', () => {
  async function codeFor(sim: TestSim, clientId: string) {
    const res = await sim.control('POST', `/stores/${sim.hash}/apps/${clientId}/install`, { callback: false });
    expect(res.status).toBe(200);
    expect(res.body.callback).toBeUndefined();
    return res.body as { code: string; context: string; scope: string };
  }

  async function setup() {
    const sim = await world();
    const { server, app } = await withApp(sim);
    const grant = await codeFor(sim, app.clientId);
    const body = { client_id: app.clientId, client_secret: app.clientSecret, code: grant.code, context: grant.context, scope: grant.scope, grant_type: 'authorization_code', redirect_uri: `${server.url}/auth` };
    const exchange = (b: Record<string, unknown>, headers: Record<string, string> = {}) => call(`${sim.url}/oauth2/token`, 'POST', headers, b);
    return { sim, server, app, body, exchange };
  }

  it.each(['client_id', 'client_secret', 'code', 'context', 'scope', 'grant_type', 'redirect_uri'])('answers 400 invalid_request naming %s when it is missing', async (field) => {
    const { body, exchange } = await setup();
    const res = await exchange({ ...body, [field]: undefined });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(`${field} is missing`) });
  });

  it.each([
    ['a wrong client_secret', { client_secret: 'x'.repeat(32) }, 401, 'invalid_client', /client_secret is not the secret/],
    ['an unknown client_id', { client_id: 'unknown-client' }, 401, 'invalid_client', /client_id "unknown-client" is not a registered app/],
    ['a redirect_uri that is not the registered auth callback', { redirect_uri: 'http://127.0.0.1:1/other' }, 400, 'invalid_grant', /redirect_uri must be identical/],
    ['another store as context', { context: 'stores/zzzzzz' }, 400, 'invalid_grant', /context must be/],
    ['a code never issued', { code: 'made-up' }, 400, 'invalid_grant', /code was not issued/],
    ['another grant_type', { grant_type: 'client_credentials' }, 400, 'unsupported_grant_type', /grant_type must be "authorization_code"/],
    ['a different scope list', { scope: 'store_v2_orders' }, 400, 'invalid_scope', /scope must be the auth callback's scope list/],
    ['a field of the wrong type', { code: 42 }, 400, 'invalid_request', /code must be a string/],
  ])('refuses %s with a clear error', async (_name, patch, status, error, description) => {
    const { body, exchange } = await setup();
    const res = await exchange({ ...body, ...patch });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.error_description).toMatch(description);
  });

  it('takes a form-encoded body, and a code only once', async () => {
    const { sim, body, exchange } = await setup();
    const form = new URLSearchParams(body).toString();
    const first = await call(`${sim.url}/oauth2/token`, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, first.body.access_token)).status).toBe(200);
    const again = await exchange(body);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/code was already used; a code is single-use/) });
  });

  it('refuses a code after its ten simulated minutes', async () => {
    const { sim, body, exchange } = await setup();
    await sim.control('POST', '/clock', { advanceMs: 10 * 60_000 });
    const res = await exchange(body);
    expect(res.status).toBe(400);
    expect(res.body.error_description).toMatch(/code expired at .* codes live 10 minutes/);
  });

  it('answers malformed JSON in the OAuth shape', async () => {
    const { sim } = await setup();
    const res = await call(`${sim.url}/oauth2/token`, 'POST', {}, '{"client_id":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('replaces the previous token when the app is installed again', async () => {
    const { sim, app, body, exchange } = await setup();
    const first = await exchange(body);
    expect((await sim.control('GET', '/apps')).body.apps[0].installedOn).toEqual([sim.hash]);
    const second = await exchange({ ...body, code: (await codeFor(sim, app.clientId)).code });
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, first.body.access_token)).status).toBe(401);
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, second.body.access_token)).status).toBe(200);
    // A reset uninstalls every app silently; the registration stays.
    expect((await sim.control('POST', '/reset')).status).toBe(204);
    expect((await sim.api('GET', '/v2/orders?limit=1', undefined, second.body.access_token)).status).toBe(401);
    expect((await sim.control('GET', '/apps')).body.apps).toEqual([expect.objectContaining({ clientId: app.clientId, installedOn: [] })]);
  });
});

describe('--sign', () => {
  it('signs deliveries so the Standard Webhooks library verifies them with the base64 of the client secret from /__sim/stores', async () => {
    // Standard Webhooks checks the timestamp against the real clock: start simulated time now.
    const sim = await world({ signWebhooks: true, start: Date.now() });
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    const { headers, body } = receiver.received[0]!;
    const stores = await sim.control('GET', '/stores');
    const secret = stores.body.stores[0].clientSecret as string;
    expect(stores.body.stores[0].accounts[0].clientSecret).toBe(secret);
    const raw = JSON.stringify(body);
    const hookHeaders = { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) };
    expect(new Webhook(Buffer.from(secret).toString('base64')).verify(raw, hookHeaders)).toEqual(body);
    expect(() => new Webhook(Buffer.from('another-secret-entirely').toString('base64')).verify(raw, hookHeaders)).toThrow(/No matching signature/);
  });

  it("signs an app's deliveries with the app's own client secret", async () => {
    const sim = await world({ signWebhooks: true, start: Date.now() });
    const { server, app } = await withApp(sim);
    await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/install`);
    const appToken = server.auths[0]!.token.body.access_token as string;
    await sim.api('POST', '/v3/hooks', { scope: 'store/app/uninstalled', destination: `${server.url}/hooks` }, appToken);
    await sim.control('POST', `/stores/${sim.hash}/apps/${app.clientId}/uninstall`);
    await expect.poll(() => server.hooks.length).toBe(1);
    const { headers, raw } = server.hooks[0]!;
    const payload = new Webhook(Buffer.from(app.clientSecret).toString('base64')).verify(raw, headers as Record<string, string>);
    expect(payload).toMatchObject({ scope: 'store/app/uninstalled' });
  });
});
