/**
 * Webhook delivery over undici: one keep-alive pool per destination origin, a hard timeout, and
 * the response body drained so sockets return to the pool.
 */
import type { Deliver } from '../domain/webhooks/dispatcher.ts';
import { createDeliveryAgent, timedRequest } from './timed-request.mjs';

export { createDeliveryAgent, timedRequest };

export function createUndiciDeliver(options: { connections?: number } = {}): Deliver & { close(): Promise<void> } {
  const agent = createDeliveryAgent(options.connections);
  const deliver = (({ url, headers, body, timeoutMs }) => timedRequest(agent, url, { method: 'POST', headers, body }, timeoutMs)) as Deliver & { close(): Promise<void> };
  deliver.close = () => agent.close();
  return deliver;
}
