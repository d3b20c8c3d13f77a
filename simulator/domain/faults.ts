/**
 * The fault plan: what the control plane can make go wrong, validated with zod so a bad plan is a
 * 422 naming the field. Faults are decided with a seeded generator so a run is reproducible, and
 * each applied fault is announced (an `X-Sim-Fault` header on the API response or the webhook
 * delivery, and a ledger entry), so a report can tell a provoked failure from a real one.
 */
import { z } from 'zod';
import type { Random } from '../../lib/random.ts';

const probability = z.number().min(0).max(1);

export const resourceNames = ['order', 'order_product', 'product', 'variant', 'customer', 'shipment'] as const;

export const faultPlanSchema = z
  .object({
    webhooks: z
      .object({
        /** Deliver the same payload (same hash) twice. */
        duplicate: probability.default(0),
        /** Hold a delivery back and send it after the next one for the same hook. */
        outOfOrder: probability.default(0),
        /** Delay a delivery by a simulated duration. */
        delay: z
          .object({ probability, minMs: z.number().int().min(0), maxMs: z.number().int().min(0) })
          .refine((d) => d.maxMs >= d.minMs, { message: 'maxMs must be >= minMs', path: ['maxMs'] })
          .optional(),
        /** Never deliver (the platform loses the event). */
        drop: probability.default(0),
        /**
         * The receiver cannot be reached: each delivery attempt fails as a refused connection,
         * so events walk the retry ladder (webhook-outage). Decided per attempt, so lowering it
         * ends the outage for the retries still to come.
         */
        unreachable: probability.default(0),
        /** Limit these faults to scopes (exact or `store/order/*`); all scopes when absent. */
        scopes: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({ duplicate: 0, outOfOrder: 0, drop: 0, unreachable: 0 }),
    api: z
      .object({
        /** 429 without rate-limit headers: the platform under load (facts section b). */
        platformLoad429: probability.default(0),
        /** 500/502/503 answers. */
        serverErrorRate: probability.default(0),
        /** Extra simulated latency added to every Management API response. */
        latencyMs: z.number().int().min(0).max(120_000).default(0),
        /** A platform update renamed fields: responses carry `to` instead of `from`. */
        renameFields: z
          .array(z.object({ resource: z.enum(resourceNames), from: z.string().min(1), to: z.string().min(1) }).strict())
          .default([]),
      })
      .strict()
      .default({ platformLoad429: 0, serverErrorRate: 0, latencyMs: 0, renameFields: [] }),
    quota: z
      .object({
        /** Share of each window other apps consume (the quota is shared by all apps). */
        otherAppsShare: z.number().min(0).max(0.95).default(0),
      })
      .strict()
      .default({ otherAppsShare: 0 }),
  })
  .strict();

export type FaultPlan = z.infer<typeof faultPlanSchema>;
export type FaultPlanInput = z.input<typeof faultPlanSchema>;

export const NO_FAULTS: FaultPlan = faultPlanSchema.parse({});

export const faultKinds = ['duplicate', 'out-of-order', 'delay', 'drop', 'unreachable', 'platform-429', 'server-error', 'latency', 'rename-fields'] as const;
export type FaultKind = (typeof faultKinds)[number];

export function scopeMatches(pattern: string, scope: string): boolean {
  if (pattern === scope) return true;
  if (pattern.endsWith('/*')) return scope.startsWith(pattern.slice(0, -1));
  return false;
}

export interface WebhookFaultDecision {
  drop: boolean;
  duplicate: boolean;
  outOfOrder: boolean;
  delayMs: number;
}

const NO_WEBHOOK_FAULT: WebhookFaultDecision = Object.freeze({ drop: false, duplicate: false, outOfOrder: false, delayMs: 0 });

/** Decide the faults for one webhook delivery. Draws nothing when the plan has none. */
export function decideWebhookFaults(plan: FaultPlan, scope: string, random: Random): WebhookFaultDecision {
  const w = plan.webhooks;
  // Callers only read the decision, so the common "no fault" answer is one shared object.
  const none = NO_WEBHOOK_FAULT;
  const any = w.drop > 0 || w.duplicate > 0 || w.outOfOrder > 0 || (w.delay?.probability ?? 0) > 0;
  if (!any) return none;
  if (w.scopes && !w.scopes.some((p) => scopeMatches(p, scope))) return none;
  const delayed = w.delay && random() < w.delay.probability;
  return {
    drop: w.drop > 0 && random() < w.drop,
    duplicate: w.duplicate > 0 && random() < w.duplicate,
    outOfOrder: w.outOfOrder > 0 && random() < w.outOfOrder,
    delayMs: delayed && w.delay ? Math.round(w.delay.minMs + random() * (w.delay.maxMs - w.delay.minMs)) : 0,
  };
}

export type ApiFault = { kind: 'platform-429' } | { kind: 'server-error'; status: 500 | 502 | 503 } | undefined;

export function decideApiFault(plan: FaultPlan, random: Random): ApiFault {
  const a = plan.api;
  if (a.platformLoad429 > 0 && random() < a.platformLoad429) return { kind: 'platform-429' };
  if (a.serverErrorRate > 0 && random() < a.serverErrorRate) {
    const statuses = [500, 502, 503] as const;
    return { kind: 'server-error', status: statuses[Math.floor(random() * 3)]! };
  }
  return undefined;
}

/** Apply renamed fields to a rendered resource (top level), as a platform update would. */
export function renameFields<T extends object>(plan: FaultPlan, resource: (typeof resourceNames)[number], body: T): T {
  const renames = plan.api.renameFields.filter((r) => r.resource === resource);
  if (renames.length === 0) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const r of renames) {
    if (r.from in copy) {
      copy[r.to] = copy[r.from];
      delete copy[r.from];
    }
  }
  return copy as T;
}
