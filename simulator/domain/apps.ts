/**
 * The single-click app lifecycle, as the platform runs it for a vendor's app (BigCommerce docs,
 * "Single-Click App OAuth Flow" and "Single-Click App Callback Handlers"):
 *
 * 1. install: the merchant's browser calls the app's auth callback
 *    `GET /auth?account_uuid&code&context=stores/{hash}&scope`;
 * 2. the app exchanges the one-time `code` at `POST https://login.bigcommerce.com/oauth2/token`
 *    with `client_id, client_secret, code, context, scope, grant_type=authorization_code,
 *    redirect_uri` and gets a store-level `access_token` with the app's scopes;
 * 3. load: the browser calls `GET /load?signed_payload_jwt=...`; uninstall: the platform's server
 *    calls `GET /uninstall?signed_payload_jwt=...`. The JWT is HS256 signed with the app's client
 *    secret, claims `aud` (client id), `iss` "bc", `iat`, `nbf` (= iat), `exp` (24 h later), `jti`,
 *    `sub` "stores/{hash}", `user`, `owner`, `url`, `channel_id`;
 * 4. uninstall deletes the app's hooks and invalidates its token (facts section c: "App uninstall
 *    or API-account deletion deletes the hooks").
 *
 * No HTTP here: calling the app is the injected `visit` transport, as webhook delivery is the
 * dispatcher's injected `deliver`. Choices the platform does not document are in
 * docs/decisions/0011-app-lifecycle.md.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../../lib/clock.ts';
import { destinationProblem } from './destinations.ts';
import { DomainError, unprocessable } from './errors.ts';
import type { Ledger } from '../../lib/ledger.ts';
import type { Hook } from './model.ts';
import { FULL_SCOPES, type Store } from './store.ts';

export interface AppCallbacks {
  auth: string;
  load?: string;
  uninstall?: string;
  removeUser?: string;
}

export interface App {
  name: string;
  clientId: string;
  clientSecret: string;
  /** The Developer Portal account that registered the app; sent with the auth callback and the token. */
  accountUuid: string;
  callbacks: AppCallbacks;
  /** OAuth scopes the app requests; the merchant accepts all of them or none ("cannot pick and choose scopes"). */
  scopes: string[];
}

export interface AppInput {
  name?: string;
  clientId?: string;
  clientSecret?: string;
  accountUuid?: string;
  /** `<appUrl>/auth`, `/load`, `/uninstall` and `/remove_user`, unless given one by one. */
  appUrl?: string;
  authCallbackUrl?: string;
  loadCallbackUrl?: string;
  uninstallCallbackUrl?: string;
  removeUserCallbackUrl?: string;
  scopes?: string[];
}

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * A refused token request. The body is RFC 6749 section 5.2's `{error, error_description}`: the
 * platform's token endpoint answers `{"error": ...}` bodies (for example 406 `{"error":"Invalid
 * format."}` in bigcommerce/bigcommerce-api-python#66, and `invalid_grant` for a bad code in
 * bigcommerce/omniauth-bigcommerce#36); its exact descriptions are not published.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly code: OAuthErrorCode,
    message: string,
    /** The request field at fault. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

export type AppCallbackKind = 'auth' | 'load' | 'uninstall' | 'remove_user';

export interface AppVisit {
  url: string;
  /** The merchant's browser (auth, load) or the platform's server (uninstall, remove_user). */
  origin: 'browser' | 'server';
  timeoutMs: number;
}

export interface AppVisitResult {
  status?: number;
  error?: string;
  durationMs: number;
}

/** How the simulator calls an app's callback URL (a GET); injected like webhook delivery. */
export type VisitApp = (visit: AppVisit) => Promise<AppVisitResult>;

export interface CallbackOutcome extends AppVisitResult {
  callback: AppCallbackKind;
  url: string;
}

/** Who gets `store/app/uninstalled` when an app is uninstalled (not documented; see decision 0011). */
export type AppUninstalledWebhook = 'uninstalling-app' | 'none';

export interface AppRegistryOptions {
  clock: Clock;
  ledger: Ledger;
  store(hash: string): Store | undefined;
  /** A new secret: random, or from the seed with `deterministicTokens`. */
  newToken(name: string): string;
  visit: VisitApp;
  strictDestinations: boolean;
  /** Simulated ms a code stays valid. Not documented; default 10 minutes (RFC 6749 section 4.1.2's maximum). */
  codeTtlMs?: number;
  /** Real ms an app has to answer a callback; default 10 s like a webhook receiver. */
  callbackTimeoutMs?: number;
  uninstalledWebhook?: AppUninstalledWebhook;
}

export interface TokenResponse {
  access_token: string;
  scope: string;
  user: { id: number; username: string; email: string };
  owner: { id: number; username: string; email: string };
  context: string;
  account_uuid: string;
}

interface IssuedCode {
  store: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export const DEFAULT_CODE_TTL_MS = 10 * 60_000;
export const DEFAULT_CALLBACK_TIMEOUT_MS = 10_000;
/** `exp` is "currently, 24 hours after `nbf`" (Single-Click App Callback Handlers). */
const JWT_LIFETIME_S = 86_400;
const TOKEN_FIELDS = ['client_id', 'client_secret', 'code', 'context', 'scope', 'grant_type', 'redirect_uri'] as const;
const SCOPE_NAME = /^[a-z0-9_]+$/;

/** The store owner the simulator installs as: one user per store, who is also the owner. */
export function storeOwner(store: Store): { id: number; username: string; email: string } {
  const email = `owner@${store.info.hash}.example.com`;
  return { id: 1_000 + (Number(store.info.storeId) % 9_000_000), username: email, email };
}

const sameScopes = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');

/** A UUID-shaped id from a token, so `deterministicTokens` gives the same account_uuid every run. */
function uuidFrom(token: string): string {
  const h = createHash('sha256').update(token).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The callback URL as the ledger keeps it: no query (it carries the code or the JWT), no credentials. */
function ledgerUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export type AppRegistry = ReturnType<typeof createAppRegistry>;

export function createAppRegistry(options: AppRegistryOptions) {
  const { clock, ledger } = options;
  const codeTtlMs = options.codeTtlMs ?? DEFAULT_CODE_TTL_MS;
  const timeoutMs = options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  const uninstalledWebhook = options.uninstalledWebhook ?? 'uninstalling-app';
  const apps = new Map<string, App>();
  const codes = new Map<string, IssuedCode>();
  /** `${hash} ${clientId}` of each installed app. */
  const installed = new Set<string>();
  /** Hooks an uninstall deleted that still have a `store/app/uninstalled` delivery to make, by `${hash} ${id}`. */
  const farewell = new Map<string, Hook>();
  const at = () => new Date(clock.now()).toISOString();
  const key = (hash: string, clientId: string) => `${hash} ${clientId}`;

  const appOf = (clientId: string): App => {
    const app = apps.get(clientId);
    if (!app) throw new DomainError('not-found', `Failed to find app "${clientId}": no app with that client id is registered. Register it with POST /__sim/apps (or --app-url).`);
    return app;
  };
  const storeOf = (hash: string): Store => {
    const store = options.store(hash);
    if (!store) throw new DomainError('not-found', `Failed to find store "${hash}". Use a hash from GET /__sim/stores.`);
    return store;
  };
  const requireInstalled = (store: Store, app: App, action: string) => {
    if (!installed.has(key(store.info.hash, app.clientId))) {
      throw new DomainError('conflict', `Failed to ${action} app ${app.clientId} on store ${store.info.hash}: it is not installed. Install it first (POST /__sim/stores/${store.info.hash}/apps/${app.clientId}/install, then the app's token exchange).`);
    }
  };

  const visit = async (callback: AppCallbackKind, url: string, store: string, clientId: string): Promise<CallbackOutcome> => {
    const origin = callback === 'auth' || callback === 'load' ? 'browser' : 'server';
    const result = await options.visit({ url, origin, timeoutMs });
    ledger.append({ kind: 'app:callback', at: at(), store, clientId, callback, url: ledgerUrl(url), ...result });
    return { callback, url, ...result };
  };

  const signedPayload = async (store: Store, app: App, claims: { url?: string; channelId?: number | null } = {}): Promise<string> => {
    const owner = storeOwner(store);
    const iat = Math.floor(clock.now() / 1000);
    // Times are simulated time: an app that checks them against its own clock needs the simulator
    // started at the real time (the default), as with webhook timestamps.
    return new SignJWT({ user: { id: owner.id, email: owner.email, locale: 'en-US' }, owner: { id: owner.id, email: owner.email }, url: claims.url ?? '/', channel_id: claims.channelId ?? null })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(app.clientId)
      .setIssuer('bc')
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + JWT_LIFETIME_S)
      .setJti(randomUUID())
      .setSubject(`stores/${store.info.hash}`)
      .sign(new TextEncoder().encode(app.clientSecret));
  };

  const withJwt = (base: string, jwt: string) => {
    const url = new URL(base);
    url.searchParams.set('signed_payload_jwt', jwt);
    return url.toString();
  };

  const registry = {
    register(input: AppInput): App {
      const base = input.appUrl?.replace(/\/+$/, '');
      const callbacks: AppCallbacks = {
        auth: input.authCallbackUrl ?? (base ? `${base}/auth` : ''),
        ...((input.loadCallbackUrl ?? base) ? { load: input.loadCallbackUrl ?? `${base}/load` } : {}),
        ...((input.uninstallCallbackUrl ?? base) ? { uninstall: input.uninstallCallbackUrl ?? `${base}/uninstall` } : {}),
        ...((input.removeUserCallbackUrl ?? base) ? { removeUser: input.removeUserCallbackUrl ?? `${base}/remove_user` } : {}),
      };
      const fields: Record<string, string> = {};
      if (!callbacks.auth) fields.authCallbackUrl = 'is required (or appUrl, whose /auth is used)';
      for (const [name, url] of Object.entries(callbacks)) {
        const problem = url ? destinationProblem(url, options.strictDestinations) : undefined;
        if (problem) fields[`${name}CallbackUrl`] = problem;
      }
      // Like `sim --app-url` without --app-scopes: an app that names no scopes asks for every full
      // one. An empty list is refused: the install would carry scope="" and no exchange could succeed.
      const scopes = input.scopes ?? [...FULL_SCOPES];
      const badScope = scopes.find((s) => !SCOPE_NAME.test(s));
      if (scopes.length === 0) fields.scopes = 'is empty: list the OAuth scopes the app asks for (such as store_v2_orders), or leave scopes out for every full scope';
      else if (badScope !== undefined) fields.scopes = `"${badScope}" is not an OAuth scope name such as store_v2_orders or store_v2_products_read_only`;
      if (input.clientId !== undefined && apps.has(input.clientId)) fields.clientId = `an app with client id ${input.clientId} is already registered`;
      const first = Object.entries(fields)[0];
      if (first) throw unprocessable(`Failed to register the app: ${first[0]} ${first[1]}.`, fields);
      const n = apps.size + 1;
      const app: App = {
        name: input.name ?? `app-${n}`,
        clientId: input.clientId ?? options.newToken(`app-${n}-client-id`),
        clientSecret: input.clientSecret ?? options.newToken(`app-${n}-client-secret`),
        accountUuid: input.accountUuid ?? uuidFrom(options.newToken(`app-${n}-account-uuid`)),
        callbacks,
        scopes: [...new Set(scopes)],
      };
      apps.set(app.clientId, app);
      ledger.append({ kind: 'app:registered', at: at(), clientId: app.clientId, name: app.name, scopes: app.scopes, callbacks: Object.fromEntries(Object.entries(callbacks).map(([k, v]) => [k, ledgerUrl(v)])) });
      return app;
    },

    list(): App[] {
      return [...apps.values()];
    },

    get(clientId: string): App | undefined {
      return apps.get(clientId);
    },

    /** Stores the app is installed on. */
    installedOn(clientId: string): string[] {
      return [...installed].filter((k) => k.endsWith(` ${clientId}`)).map((k) => k.slice(0, k.indexOf(' ')));
    },

    /**
     * The merchant accepts the app's scopes: issue a one-time code and, unless `callback` is false,
     * call the auth callback as the merchant's browser would. The app is installed once it has
     * exchanged the code (usually before it answers the callback, as the docs recommend).
     */
    async install(hash: string, clientId: string, opts: { callback?: boolean } = {}) {
      const store = storeOf(hash);
      const app = appOf(clientId);
      const code = options.newToken(`code-${hash}-${clientId}-${codes.size}`);
      codes.set(code, { store: hash, clientId, scopes: app.scopes, expiresAt: clock.now() + codeTtlMs, used: false });
      ledger.append({ kind: 'app:code-issued', at: at(), store: hash, clientId, scopes: app.scopes, expiresAt: new Date(clock.now() + codeTtlMs).toISOString() });
      const query = { account_uuid: app.accountUuid, code, context: `stores/${store.info.hash}`, scope: app.scopes.join(' ') };
      const url = new URL(app.callbacks.auth);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const callback = opts.callback === false ? undefined : await visit('auth', url.toString(), hash, clientId);
      return { ...query, url: url.toString(), ...(callback ? { callback } : {}), installed: installed.has(key(hash, clientId)) };
    },

    /** `POST /oauth2/token`: check every field, consume the code, issue the store's token for the app. */
    exchange(body: unknown): TokenResponse {
      const fail = (status: 400 | 401, code: OAuthErrorCode, message: string, field?: string, clientId?: string): never => {
        ledger.append({ kind: 'app:token', at: at(), outcome: 'rejected', error: code, ...(field ? { field } : {}), ...(clientId ? { clientId } : {}), message });
        throw new OAuthError(status, code, message, field);
      };
      const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      for (const field of TOKEN_FIELDS) {
        const value = input[field];
        if (value === undefined || value === '') fail(400, 'invalid_request', `Failed to exchange the code: ${field} is missing. Send ${TOKEN_FIELDS.join(', ')} (JSON or form-encoded) as the auth callback and the app profile give them.`, field);
        if (typeof value !== 'string') fail(400, 'invalid_request', `Failed to exchange the code: ${field} must be a string, got ${JSON.stringify(value)}.`, field);
      }
      const f = input as Record<(typeof TOKEN_FIELDS)[number], string>;
      if (f.grant_type !== 'authorization_code') fail(400, 'unsupported_grant_type', `Failed to exchange the code: grant_type must be "authorization_code", got "${f.grant_type}".`, 'grant_type');
      const app = apps.get(f.client_id);
      if (!app) return fail(401, 'invalid_client', `Failed to authenticate the client: client_id "${f.client_id}" is not a registered app. Use the client id from the app's registration (GET /__sim/apps).`, 'client_id');
      if (!safeEqual(f.client_secret, app.clientSecret)) fail(401, 'invalid_client', `Failed to authenticate the client: client_secret is not the secret of app ${app.clientId}. Use the client secret from the app's registration.`, 'client_secret', app.clientId);
      const issued = codes.get(f.code);
      if (!issued || issued.clientId !== app.clientId) return fail(400, 'invalid_grant', `Failed to exchange the code: code was not issued to app ${app.clientId}. Use the code from this install's auth callback.`, 'code', app.clientId);
      if (issued.used) fail(400, 'invalid_grant', 'Failed to exchange the code: code was already used; a code is single-use. Start a new install to get a new code.', 'code', app.clientId);
      if (clock.now() >= issued.expiresAt) fail(400, 'invalid_grant', `Failed to exchange the code: code expired at ${new Date(issued.expiresAt).toISOString()} (simulated time; codes live ${codeTtlMs / 60_000} minutes). Exchange it while answering the auth callback.`, 'code', app.clientId);
      if (f.redirect_uri !== app.callbacks.auth) fail(400, 'invalid_grant', `Failed to exchange the code: redirect_uri must be identical to the app's registered auth callback URL (${app.callbacks.auth}), got "${f.redirect_uri}".`, 'redirect_uri', app.clientId);
      if (f.context !== `stores/${issued.store}`) fail(400, 'invalid_grant', `Failed to exchange the code: context must be the auth callback's "stores/${issued.store}", got "${f.context}".`, 'context', app.clientId);
      const scopes = f.scope.split(/\s+/).filter(Boolean);
      if (!sameScopes(scopes, issued.scopes)) fail(400, 'invalid_scope', `Failed to exchange the code: scope must be the auth callback's scope list ("${issued.scopes.join(' ')}"), got "${f.scope}".`, 'scope', app.clientId);
      const store = options.store(issued.store);
      if (!store) return fail(400, 'invalid_grant', `Failed to exchange the code: store ${issued.store} no longer exists.`, 'context', app.clientId);

      issued.used = true;
      const accessToken = options.newToken(`app-token-${issued.store}-${app.clientId}-${codes.size}`);
      // A new grant replaces the app's previous token on this store ("their previous access_token
      // will be invalid", Single-Click App OAuth Flow); its hooks stay.
      store.putAccount({ name: `app:${app.name}`, clientId: app.clientId, accessToken, scopes: [...issued.scopes] });
      const reinstall = installed.has(key(issued.store, app.clientId));
      installed.add(key(issued.store, app.clientId));
      ledger.append({ kind: 'app:token', at: at(), store: issued.store, clientId: app.clientId, outcome: 'issued', scopes: issued.scopes });
      ledger.append({ kind: 'app:installed', at: at(), store: issued.store, clientId: app.clientId, scopes: issued.scopes, reinstall });
      const owner = storeOwner(store);
      return { access_token: accessToken, scope: issued.scopes.join(' '), user: owner, owner, context: `stores/${issued.store}`, account_uuid: app.accountUuid };
    },

    /** The merchant opens the app: the browser calls the load callback with a signed_payload_jwt. */
    async load(hash: string, clientId: string, claims: { url?: string; channelId?: number | null } = {}) {
      const store = storeOf(hash);
      const app = appOf(clientId);
      requireInstalled(store, app, 'load');
      const jwt = await signedPayload(store, app, claims);
      if (!app.callbacks.load) throw new DomainError('conflict', `Failed to load app ${app.clientId}: it has no load callback URL. Register one (loadCallbackUrl); the platform requires it.`);
      return { signedPayloadJwt: jwt, callback: await visit('load', withJwt(app.callbacks.load, jwt), hash, clientId) };
    },

    /**
     * The merchant uninstalls the app. The platform uninstalls it whether or not the app answers
     * ("BigCommerce will still uninstall your app ... but your app will not know that"): the token
     * stops working and the hooks go first, then the uninstall callback is made.
     */
    async uninstall(hash: string, clientId: string) {
      const store = storeOf(hash);
      const app = appOf(clientId);
      requireInstalled(store, app, 'uninstall');
      installed.delete(key(hash, clientId));
      store.removeAccount(clientId);
      const notified = uninstalledWebhook === 'uninstalling-app' ? store.emitToClient(clientId, 'store/app/uninstalled', { type: 'store' }) : [];
      for (const hook of notified) farewell.set(key(hash, String(hook.id)), { ...hook });
      const removed = store.deleteClientHooks(clientId);
      ledger.append({ kind: 'app:uninstalled', at: at(), store: hash, clientId, hooksRemoved: removed.map((h) => h.id), notifiedHooks: notified.map((h) => h.id) });
      const jwt = await signedPayload(store, app);
      const callback = app.callbacks.uninstall ? await visit('uninstall', withJwt(app.callbacks.uninstall, jwt), hash, clientId) : undefined;
      return { hooksRemoved: removed.map((h) => h.id), notifiedHooks: notified.map((h) => h.id), signedPayloadJwt: jwt, ...(callback ? { callback } : {}) };
    },

    /** The signed_payload_jwt the platform would send this app for this store now. */
    signedPayload(hash: string, clientId: string, claims: { url?: string; channelId?: number | null } = {}): Promise<string> {
      return signedPayload(storeOf(hash), appOf(clientId), claims);
    },

    /**
     * A hook an uninstall deleted, for the `store/app/uninstalled` delivery raised just before
     * (and its retries); nothing else is delivered to it.
     */
    farewellHook(hash: string, hookId: number): Hook | undefined {
      return farewell.get(key(hash, String(hookId)));
    },

    /** Back to no installs (registrations stay, like the stores' own API accounts). */
    reset(): void {
      for (const k of installed) {
        const [hash, clientId] = k.split(' ') as [string, string];
        options.store(hash)?.removeAccount(clientId);
      }
      installed.clear();
      codes.clear();
      farewell.clear();
    },
  };
  return registry;
}
