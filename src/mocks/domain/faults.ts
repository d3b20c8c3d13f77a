/**
 * Faults of a connected system, set through its control endpoint: slow answers, a 5xx rate, 429
 * with Retry-After, and downtime. Validated with zod so a bad plan is a 422 naming the field.
 */
import { z } from 'zod';
import type { Random } from '../../../lib/random.ts';

export const systemFaultsSchema = z
  .object({
    /** Simulated milliseconds added to every answer. */
    latencyMs: z.number().int().min(0).max(3_600_000).default(0),
    /** Share of requests answered 503. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Share of requests answered 429 with Retry-After. */
    rateLimit: z.object({ probability: z.number().min(0).max(1), retryAfterSeconds: z.number().int().min(1).max(3600).default(30) }).strict().optional(),
    /** Down now (every request 503) until switched off, or for a simulated duration. */
    down: z.boolean().default(false),
    downForMs: z.number().int().min(0).max(30 * 86_400_000).optional(),
  })
  .strict();

export type SystemFaults = z.infer<typeof systemFaultsSchema>;
export const NO_SYSTEM_FAULTS: SystemFaults = systemFaultsSchema.parse({});

export type SystemFaultDecision =
  | { kind: 'down' }
  | { kind: 'error' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'ok'; latencyMs: number };

export function decideSystemFault(faults: SystemFaults, downUntil: number | undefined, now: number, random: Random): SystemFaultDecision {
  if (faults.down || (downUntil !== undefined && now < downUntil)) return { kind: 'down' };
  if (faults.rateLimit && random() < faults.rateLimit.probability) return { kind: 'rate-limit', retryAfterSeconds: faults.rateLimit.retryAfterSeconds };
  if (faults.errorRate > 0 && random() < faults.errorRate) return { kind: 'error' };
  return { kind: 'ok', latencyMs: faults.latencyMs };
}
