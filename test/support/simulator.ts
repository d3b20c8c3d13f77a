/**
 * Test support: a real simulator on loopback port 0, and a tiny client for it. Tests use the
 * manual clock (time scale 0) and jump time through the control plane instead of sleeping.
 */
import { request } from 'undici';
import { startSimulator, type RunningSimulator, type StartOptions } from '../../simulator/http/server.ts';

export interface TestSim {
  running: RunningSimulator;
  url: string;
  hash: string;
  token: string;
  readOnlyToken: string;
  controlToken: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  control(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

/** One HTTP call with exactly these headers; the body parsed as JSON when it is JSON. */
export async function call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<ApiResponse> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await request(url, { method: method as 'GET', headers: { ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: raw });
  const text = await res.body.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { status: res.statusCode, headers: flat, body: parsed, text };
}

export async function startTestSim(options: StartOptions = {}): Promise<TestSim> {
  const running = await startSimulator({ timeScale: 0, start: Date.UTC(2026, 10, 27, 12, 0, 0), seed: 7, products: 60, customers: 30, pastOrders: 10, ...options });
  const store = [...running.sim.stores.values()][0]!;
  const token = store.accounts[0]!.accessToken;
  const readOnlyToken = store.accounts.find((a) => a.name === 'read-only')?.accessToken ?? '';
  const base = `${running.url}/stores/${store.info.hash}`;
  return {
    running,
    url: running.url,
    hash: store.info.hash,
    token,
    readOnlyToken,
    controlToken: running.sim.controlToken,
    api: (method, path, body, t = token) => call(`${base}${path}`, method, { 'x-auth-token': t }, body),
    control: (method, path, body) => call(`${running.url}/__sim${path}`, method, { authorization: `Bearer ${running.sim.controlToken}` }, body),
    close: () => running.close(),
  };
}
