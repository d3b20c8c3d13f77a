import type { Agent } from 'undici';

/** The pool webhook deliveries go through, on the main thread or in the delivery worker. */
export function createDeliveryAgent(connections?: number): Agent;

/**
 * One outbound call of the simulator: the status and how long it took, or why it failed
 * ('timeout', or the network error's code), never a throw.
 */
export function timedRequest(
  agent: Agent,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<{ status: number; durationMs: number } | { error: string; durationMs: number }>;
