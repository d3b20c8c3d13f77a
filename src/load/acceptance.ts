/**
 * The acceptance criteria a scenario exports for the UAT run (`export const acceptance = ...`,
 * which k6 ignores). Validated here so a scenario with a typo fails in CI, not in a customer's
 * report. The measures are the names the UAT verifier computes (scenarios/README.md).
 */
import { z } from 'zod';

export const FAILURE_PATTERNS = ['webhook-deactivation', 'payload-as-data', 'rate-limit-breach', 'mapping-drift', 'silent-failure'] as const;
export const FLOWS = ['orders', 'inventory', 'catalog', 'customers', 'shipments', 'invoices', 'marketing', 'returns', 'platform'] as const;
export const REQUIREMENTS = ['simulator', 'mocks', 'sim:webhooks.unreachable'] as const;

export const criterionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case'),
    name: z.string().min(1),
    flow: z.enum(FLOWS),
    /** A measure the verifier computes, e.g. `orders.lost`, `orders.syncLatencyP95Seconds`. */
    measure: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/, 'measures look like orders.lost'),
    op: z.enum(['<', '<=', '==', '>=', '>']),
    limit: z.number(),
    unit: z.string().optional(),
    why: z.string().min(1),
  })
  .strict();

export const acceptanceSchema = z
  .object({
    scenario: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    description: z.string().min(1),
    simulatedDuration: z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/),
    expectedOrders: z.number().int().nonnegative(),
    requires: z.array(z.enum(REQUIREMENTS)),
    patterns: z.array(z.enum(FAILURE_PATTERNS)),
    criteria: z.array(criterionSchema).min(1),
  })
  .strict();

export type ScenarioAcceptance = z.infer<typeof acceptanceSchema>;
export type AcceptanceCriterion = z.infer<typeof criterionSchema>;
