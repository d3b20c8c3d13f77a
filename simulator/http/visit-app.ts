/**
 * Calling an app's callback URLs over undici: a GET as the merchant's browser (auth, load) or the
 * platform's server (uninstall, remove_user) sends it, with a hard timeout and the body drained.
 * The domain (simulator/domain/apps.ts) decides what to call and records the outcome.
 */
import { Agent, request } from 'undici';
import type { VisitApp } from '../domain/apps.ts';

export function createUndiciVisitApp(): VisitApp & { close(): Promise<void> } {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 5_000 });
  const visit = (async ({ url, origin, timeoutMs }) => {
    const started = performance.now();
    try {
      const res = await request(url, {
        method: 'GET',
        // The docs' examples: the browser asks for markup and comes from the control panel; the
        // platform's server asks for JSON.
        headers: origin === 'browser' ? { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', referer: 'https://login.bigcommerce.com/', 'user-agent': 'bc-harness-simulator (browser)' } : { accept: 'application/json', 'user-agent': 'bc-harness-simulator' },
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      return { status: res.statusCode, durationMs: performance.now() - started };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const timeout = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
      return { error: timeout ? 'timeout' : (e.code ?? e.message ?? 'network error'), durationMs: performance.now() - started };
    }
  }) as VisitApp & { close(): Promise<void> };
  visit.close = () => agent.close();
  return visit;
}
