/**
 * Per-plan API quotas. Source: bigcommerce-facts.md section b (api-rate-limits.mdx, 2024-07):
 * Standard and Plus 150 requests per 30-second window and 20,000 an hour; Pro 450 and 60,000.
 * Enterprise limits are "by plan and resource" and not published, so the simulator treats
 * Enterprise as unlimited unless a quota is configured (`--quota`).
 */
import { z } from 'zod';

export const planNames = ['standard', 'plus', 'pro', 'enterprise'] as const;
export type PlanName = (typeof planNames)[number];
export const planNameSchema = z.enum(planNames);

export interface PlanQuota {
  /** Requests per window; undefined = unlimited. */
  perWindow: number | undefined;
  /** Requests per hour; undefined = unlimited. */
  perHour: number | undefined;
  windowMs: number;
}

export const WINDOW_MS = 30_000;
export const HOUR_MS = 3_600_000;

export function planQuota(plan: PlanName, override?: { perWindow?: number; perHour?: number }): PlanQuota {
  const base = ((): Omit<PlanQuota, 'windowMs'> => {
    switch (plan) {
      case 'standard':
      case 'plus':
        return { perWindow: 150, perHour: 20_000 };
      case 'pro':
        return { perWindow: 450, perHour: 60_000 };
      case 'enterprise':
        return { perWindow: undefined, perHour: undefined };
      default:
        return plan satisfies never;
    }
  })();
  return {
    perWindow: override?.perWindow ?? base.perWindow,
    perHour: override?.perHour ?? base.perHour,
    windowMs: WINDOW_MS,
  };
}
