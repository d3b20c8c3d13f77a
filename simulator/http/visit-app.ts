/**
 * Calling an app's callback URLs over undici: a GET as the merchant's browser (auth, load) or the
 * platform's server (uninstall, remove_user) sends it, with a hard timeout and the body drained.
 * The domain (simulator/domain/apps.ts) decides what to call and records the outcome.
 */
import { Agent } from 'undici';
import { timedRequest } from './deliver.ts';
import type { VisitApp } from '../domain/apps.ts';

export function createUndiciVisitApp(): VisitApp & { close(): Promise<void> } {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 5_000 });
  const visit = (({ url, origin, timeoutMs }) =>
    timedRequest(
      agent,
      url,
      {
        method: 'GET',
        // The docs' examples: the browser asks for markup and comes from the control panel; the
        // platform's server asks for JSON.
        headers: origin === 'browser' ? { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', referer: 'https://login.bigcommerce.com/', 'user-agent': 'bc-harness-simulator (browser)' } : { accept: 'application/json', 'user-agent': 'bc-harness-simulator' },
      },
      timeoutMs,
    )) as VisitApp & { close(): Promise<void> };
  visit.close = () => agent.close();
  return visit;
}
