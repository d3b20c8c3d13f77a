/**
 * The shape of a mapping spec (mappings/*.yml), validated with zod at the boundary. The zod
 * schema checks structure; src/mappings/validate-spec.ts then checks every path, transform,
 * lookup and constraint against the resource contracts, which zod cannot see.
 */
import { z } from 'zod';
import { flowIds, systems } from './flows.ts';

export const systemSchema = z.enum(systems);

const conditionOps = ['eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty', 'gt', 'lt', 'matches'] as const;

export const conditionSchema = z
  .object({
    path: z.string().min(1),
    op: z.enum(conditionOps),
    /** A literal to compare with. */
    value: z.unknown().optional(),
    /** Or another field (e.g. `^.id`, the enclosing element's id). */
    valuePath: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsValue = !['empty', 'notEmpty'].includes(c.op);
    const has = c.value !== undefined || c.valuePath !== undefined;
    if (needsValue && !has) ctx.addIssue({ code: 'custom', message: `op "${c.op}" needs a value or a valuePath` });
    if (!needsValue && has) ctx.addIssue({ code: 'custom', message: `op "${c.op}" takes no value` });
    if (c.value !== undefined && c.valuePath !== undefined) ctx.addIssue({ code: 'custom', message: 'give value or valuePath, not both' });
    if ((c.op === 'in' || c.op === 'notIn') && c.value !== undefined && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: `op "${c.op}" needs a list value` });
    if (c.op === 'matches') {
      try {
        new RegExp(String(c.value), 'u');
      } catch {
        ctx.addIssue({ code: 'custom', message: `op "matches" needs a valid regular expression; got ${JSON.stringify(c.value)}` });
      }
    }
  });
export type Condition = z.infer<typeof conditionSchema>;

export interface FieldMapping {
  source?: string | string[];
  value?: unknown;
  target: string;
  transform?: unknown;
  required: boolean;
  default?: unknown;
  when?: Condition[];
  where?: Condition[];
  fields?: FieldMapping[];
  writeMode: 'always' | 'onCreate';
  notes?: string;
}

export const fieldMappingSchema: z.ZodType<FieldMapping, any> = z.lazy(() =>
  z
    .object({
      source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'source is a field path such as billing_address.zip, or a list of them' }).optional(),
      value: z.unknown().optional(),
      target: z.string().min(1),
      transform: z.unknown().optional(),
      required: z.boolean().default(false),
      default: z.unknown().optional(),
      when: z.array(conditionSchema).optional(),
      where: z.array(conditionSchema).optional(),
      fields: z.array(fieldMappingSchema).min(1).optional(),
      writeMode: z.enum(['always', 'onCreate']).default('always'),
      notes: z.string().optional(),
    })
    .strict()
    .superRefine((f, ctx) => {
      if ((f.source === undefined) === (f.value === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'give exactly one of source (a field path) or value (a constant)' });
      }
      if (f.fields && (f.source === undefined || f.transform !== undefined)) {
        ctx.addIssue({ code: 'custom', message: 'a nested field list needs a source list (such as products[], or several lists to concatenate) and no transform' });
      }
      if (f.where && !f.fields) ctx.addIssue({ code: 'custom', message: 'where filters the elements of a nested field list; use when for a single field' });
    }),
);

const lookupSchema = z
  .object({
    description: z.string().optional(),
    entries: z.record(z.string(), z.unknown()).refine((e) => Object.keys(e).length > 0, 'a lookup needs at least one entry'),
    onMiss: z.enum(['reject', 'default', 'passthrough']).default('reject'),
    default: z.unknown().optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.onMiss === 'default' && l.default === undefined) ctx.addIssue({ code: 'custom', message: 'onMiss: default needs a default value' });
    if (l.onMiss !== 'default' && l.default !== undefined) ctx.addIssue({ code: 'custom', message: 'default is used only with onMiss: default' });
  });

export const constraintKinds = ['maxLength', 'maxItems', 'enum', 'pattern', 'format', 'minimum', 'maximum'] as const;
export type ConstraintKind = (typeof constraintKinds)[number];

export const constraintSchema = z
  .object({
    target: z.string().min(1),
    maxLength: z.number().int().positive().optional(),
    maxItems: z.number().int().positive().optional(),
    enum: z.array(z.unknown()).min(1).optional(),
    pattern: z.string().min(1).optional(),
    format: z.enum(['email', 'date', 'date-time', 'uuid']).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    /**
     * truncate: cut to the limit and warn (maxLength, maxItems); omit: drop the field and warn
     * (optional fields only); reject: the record goes to the dead-letter queue.
     */
    action: z.enum(['truncate', 'omit', 'reject']),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const kinds = constraintKinds.filter((k) => c[k] !== undefined);
    if (kinds.length !== 1) ctx.addIssue({ code: 'custom', message: `give exactly one constraint (${constraintKinds.join(', ')}); found ${kinds.length ? kinds.join(', ') : 'none'}` });
    if (c.action === 'truncate' && !(c.maxLength !== undefined || c.maxItems !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'truncate applies only to maxLength and maxItems; use reject or omit' });
    }
  });
export type Constraint = z.infer<typeof constraintSchema>;

export const mappingSpecSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case, the file name without .yml'),
    title: z.string().min(3),
    flow: z.enum(flowIds),
    summary: z.string().min(10),
    source: z
      .object({
        system: systemSchema,
        resource: z.string().min(1),
        contract: z.string().min(1),
        expand: z.record(z.string(), z.string()).optional(),
        read: z.string().optional(),
      })
      .strict(),
    target: z
      .object({
        system: systemSchema,
        resource: z.string().min(1),
        contract: z.string().min(1),
        write: z.string().optional(),
      })
      .strict(),
    direction: z.string().regex(/^[a-z0-9]+->[a-z0-9]+$/, 'source system -> target system, e.g. bigcommerce->erp'),
    trigger: z.string().min(3),
    frequency: z.string().min(3),
    systemOfRecord: z
      .object({
        system: systemSchema,
        conflictRule: z.string().min(10),
        /** Per-field owners for bidirectional flows, keyed by the BigCommerce-side field path. */
        fields: z.record(z.string(), systemSchema).optional(),
      })
      .strict(),
    key: z
      .object({
        source: z.string().min(1),
        target: z.string().min(1).optional(),
        notes: z.string().optional(),
      })
      .strict()
      .refine((k) => k.target !== undefined || (k.notes ?? '').length > 0, 'a key without a target field needs notes saying where the cross-reference lives'),
    skip: z
      .array(z.object({ when: z.array(conditionSchema).min(1), reason: z.string().min(10) }).strict())
      .optional(),
    fields: z.array(fieldMappingSchema).min(1),
    lookups: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a lookup name is a camelCase identifier'), lookupSchema).optional(),
    ignore: z
      .array(z.object({ source: z.string().min(1), reason: z.string().min(10, 'say why the field is not mapped (at least 10 characters)') }).strict())
      .optional(),
    constraints: z.array(constraintSchema).optional(),
    assumptions: z.array(z.string().min(5)).optional(),
    risks: z.array(z.string().min(10)).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.direction !== `${s.source.system}->${s.target.system}`) {
      ctx.addIssue({ code: 'custom', path: ['direction'], message: `must be "${s.source.system}->${s.target.system}" (source.system -> target.system)` });
    }
  });

export type MappingSpec = z.infer<typeof mappingSpecSchema>;
