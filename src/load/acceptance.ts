/**
 * The acceptance criteria a scenario exports for the UAT run (`export const acceptance = ...`,
 * which k6 ignores). Validated here so a scenario with a typo fails in CI, not in a customer's
 * report. The measures are the names the UAT verifier computes (scenarios/README.md).
 */
import { z } from 'zod';

export const FAILURE_PATTERNS = ['integration-crashed', 'webhook-deactivation', 'payload-as-data', 'rate-limit-breach', 'mapping-drift', 'silent-failure'] as const;
export const FLOWS = ['orders', 'inventory', 'catalog', 'customers', 'shipments', 'invoices', 'marketing', 'returns', 'platform'] as const;
export const REQUIREMENTS = ['simulator', 'mocks', 'sim:webhooks.unreachable'] as const;

/**
 * A missing field's message names it and says what to write, so a criterion with a gap reads as
 * a to-do ("\"why\" is required: say why the limit matters ...") rather than a type error. Any
 * other problem keeps zod's own message.
 */
const required = (field: string, hint: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? `"${field}" is required: ${hint}` : undefined) });

export const criterionSchema = z
  .object({
    id: z.string(required('id', 'a kebab-case id such as "orders-not-lost" (overrides and waivers name it)')).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case'),
    name: z.string(required('name', 'the sentence the report shows for the criterion, such as "No order is lost"')).min(1),
    flow: z.enum(FLOWS, required('flow', `the flow it judges, one of ${FLOWS.join(', ')}`)),
    /** A measure the verifier computes, e.g. `orders.lost`, `orders.syncLatencyP95Seconds`. */
    measure: z.string(required('measure', 'a measure the verifier computes, such as "orders.lost" (README, "Measures are ...")')).regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/, 'measures look like orders.lost'),
    op: z.enum(['<', '<=', '==', '>=', '>'], required('op', 'how the measure compares with the limit: <, <=, ==, >= or >')),
    limit: z.number(required('limit', 'the number the measure is compared with')),
    unit: z.string().optional(),
    why: z.string(required('why', 'say why the limit matters (shown in the report next to the criterion)')).min(1, '"why" is empty: say why the limit matters (shown in the report next to the criterion)'),
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
