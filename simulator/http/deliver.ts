/**
 * Webhook delivery over undici: one keep-alive pool per destination origin, a hard timeout, and
 * the response body drained so sockets return to the pool.
 */
import { Agent, request } from 'undici';
import type { Deliver } from '../domain/webhooks/dispatcher.ts';

export function createUndiciDeliver(options: { connections?: number } = {}): Deliver & { close(): Promise<void> } {
  const agent = createDeliveryAgent(options.connections);
  const deliver = (({ url, headers, body, timeoutMs }) => timedRequest(agent, url, { method: 'POST', headers, body }, timeoutMs)) as Deliver & { close(): Promise<void> };
  deliver.close = () => agent.close();
  return deliver;
}

/** The pool webhook deliveries go through, on the main thread or in the delivery worker. */
export function createDeliveryAgent(connections = 64): Agent {
  return new Agent({ connections, keepAliveTimeout: 10_000, pipelining: 1 });
}

/**
 * One outbound call of the simulator (a webhook delivery, an app callback): the status and how
 * long it took, or why it failed ('timeout', or the network error's code), never a throw. The
 * body is drained so the socket returns to the pool. undici's own timeouts: an AbortSignal.timeout
 * per call left a live timer behind each one that fired (and built an exception) seconds after the
 * call was done.
 */
export async function timedRequest(
  agent: Agent,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<{ status: number; durationMs: number } | { error: string; durationMs: number }> {
  const started = performance.now();
  try {
    const res = await request(url, { ...init, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return { status: res.statusCode, durationMs: performance.now() - started };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    const timeout = e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
    return { error: timeout ? 'timeout' : (e.code ?? e.message ?? 'network error'), durationMs: performance.now() - started };
  }
}
