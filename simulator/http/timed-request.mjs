// The simulator's one outbound HTTP call, in plain JavaScript so that the delivery worker
// (deliver-worker-thread.mjs) loads it without a TypeScript loader: registering tsx in a worker and
// transforming its files cost about 0.6 s of CPU per boot, over half a second of the first
// delivery's wait. Types: timed-request.d.mts. The TypeScript side imports it through deliver.ts.
import { Agent, request } from 'undici';

/** The pool webhook deliveries go through, on the main thread or in the delivery worker. */
export function createDeliveryAgent(connections = 64) {
  return new Agent({ connections, keepAliveTimeout: 10_000, pipelining: 1 });
}

/**
 * One outbound call of the simulator (a webhook delivery, an app callback): the status and how
 * long it took, or why it failed ('timeout', or the network error's code), never a throw. The
 * body is drained so the socket returns to the pool. undici's own timeouts: an AbortSignal.timeout
 * per call left a live timer behind each one that fired (and built an exception) seconds after the
 * call was done.
 */
export async function timedRequest(agent, url, init, timeoutMs) {
  const started = performance.now();
  try {
    const res = await request(url, { ...init, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return { status: res.statusCode, durationMs: performance.now() - started };
  } catch (error) {
    const e = error ?? {};
    const timeout = e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
    return { error: timeout ? 'timeout' : (e.code ?? e.message ?? 'network error'), durationMs: performance.now() - started };
  }
}
