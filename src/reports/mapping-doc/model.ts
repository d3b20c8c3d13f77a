/**
 * The data-mapping document's report model. Renderers (HTML, Markdown, CSV) only format what is
 * here; the model is validated with zod before rendering, so a renderer never sees half-built data.
 * Every text is final (human-readable) so the templates stay free of logic.
 */
import { z } from 'zod';

export const exampleStatusSchema = z.enum(['ok', 'warning', 'error', 'empty', 'not-run']);

export const fieldRowSchema = z.object({
  /** 0 for top-level fields, 1 inside a nested list, ... */
  depth: z.number().int().min(0),
  source: z.string(),
  target: z.string(),
  transform: z.string(),
  required: z.boolean(),
  default: z.string(),
  constraint: z.string(),
  condition: z.string(),
  notes: z.string(),
  example: z.object({ value: z.string(), status: exampleStatusSchema, issue: z.string() }),
});
export type FieldRow = z.infer<typeof fieldRowSchema>;

export const issueSchema = z.object({ field: z.string(), code: z.string(), message: z.string(), value: z.string() });

export const riskSchema = z.object({
  kind: z.enum(['authored', 'reject', 'truncate', 'fallback', 'coverage']),
  text: z.string().min(1),
});

export const specSectionSchema = z.object({
  name: z.string(),
  title: z.string(),
  summary: z.string(),
  file: z.string(),
  direction: z.string(),
  source: z.object({ system: z.string(), resource: z.string(), contract: z.string(), call: z.string() }),
  target: z.object({ system: z.string(), resource: z.string(), contract: z.string(), call: z.string() }),
  trigger: z.string(),
  frequency: z.string(),
  systemOfRecord: z.object({
    owner: z.string(),
    conflictRule: z.string(),
    fields: z.array(z.object({ field: z.string(), owner: z.string() })),
  }),
  key: z.object({ source: z.string(), target: z.string(), notes: z.string() }),
  skip: z.array(z.object({ when: z.string(), reason: z.string() })),
  fields: z.array(fieldRowSchema).min(1),
  lookups: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      onMiss: z.string(),
      entries: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
  ),
  coverage: z.object({
    total: z.number().int().min(0),
    mapped: z.number().int().min(0),
    ignoredCount: z.number().int().min(0),
    ignored: z.array(z.object({ path: z.string(), reason: z.string() })),
    unaccounted: z.array(z.string()),
    percent: z.number().min(0).max(100),
  }),
  example: z.object({
    label: z.string(),
    outcome: z.enum(['accepted', 'accepted-with-warnings', 'rejected', 'skipped', 'no-sample']),
    outcomeText: z.string(),
    samples: z.string(),
    warnings: z.array(issueSchema),
    errors: z.array(issueSchema),
    record: z.string(),
  }),
  assumptions: z.array(z.string()),
  risks: z.array(riskSchema),
});
export type SpecSection = z.infer<typeof specSectionSchema>;

export const mappingDocSchema = z.object({
  title: z.string(),
  generatedAt: z.string(),
  seed: z.number().int(),
  sampleOrder: z.object({ id: z.number().int(), lines: z.number().int(), addresses: z.number().int(), currency: z.string(), description: z.string() }),
  totals: z.object({
    flows: z.number().int(),
    specs: z.number().int(),
    fields: z.number().int(),
    sourceFields: z.number().int(),
    mapped: z.number().int(),
    ignored: z.number().int(),
    unaccounted: z.number().int(),
    rejectedExamples: z.number().int(),
    warningExamples: z.number().int(),
  }),
  flows: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        direction: z.string(),
        trigger: z.string(),
        specs: z.array(specSectionSchema).min(1),
      }),
    )
    .min(1),
  vocabulary: z.array(z.object({ name: z.string(), summary: z.string() })),
});
export type MappingDoc = z.infer<typeof mappingDocSchema>;
