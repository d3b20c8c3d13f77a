/**
 * The cost-of-ownership assumptions: an editable YAML file (reports/tco-assumptions.yml is the
 * default) where every number carries its source. Validated with zod at the boundary; a bad file
 * is one error naming the file, line and column, the YAML path, what is wrong and what to do
 * ("Failed to load assumptions FILE: methods.ipaas.items.licence.low: expected a number, got
 * "ten". ..."), and the command exits 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { planNameSchema, planNames } from '../../lib/plans.ts';
import { closest, knownKeys, valueAt } from '../suggest.ts';
import { formatYamlPath, type YamlPath } from '../mappings/compile.ts';
import { projectRoot } from '../mappings/contracts.ts';
import { locate } from '../mappings/load-spec.ts';

export const defaultAssumptionsFile = path.join(projectRoot, 'reports', 'tco-assumptions.yml');

const source = z.string().trim().min(1, 'say where the number comes from (a quote, a price page, an estimate)');
const money = z.number().min(0, 'must be 0 or more');

/** A single assumed value with its source. */
const valued = <T extends z.ZodType>(value: T) => z.object({ value, source }).strict();

/** A range with its source; high is at least low. */
const range = z
  .object({ low: money, high: money, source })
  .strict()
  .refine((r) => r.high >= r.low, { message: 'high must be at least low', path: ['high'] });

export const costBases = ['once', 'hours', 'monthly', 'quarterly', 'yearly'] as const;
export type CostBasis = (typeof costBases)[number];

export const costItemSchema = z
  .object({
    label: z.string().trim().min(1),
    basis: z.enum(costBases),
    low: money,
    high: money,
    source,
    /** Whether vendors' quotes usually include it; the report calls out what they leave out. */
    quoted: z.boolean().default(false),
    /** Multiplied by the number of connected systems (one connector per system). */
    perSystem: z.boolean().default(false),
    scaling: z
      .object({
        /** Share of the item that grows with the store's orders (0 = flat, 1 = in proportion). */
        volume: z.number().min(0).max(1).default(0),
        /** Each connected system beyond `includedSystems` adds this share. */
        perExtraSystem: z.number().min(0).default(0),
        includedSystems: z.number().int().min(0).default(1),
      })
      .strict()
      .optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => r.high >= r.low, { message: 'high must be at least low', path: ['high'] });
export type CostItem = z.infer<typeof costItemSchema>;

export const methodIds = ['native', 'ipaas', 'custom'] as const;
export type MethodId = (typeof methodIds)[number];

const methodSchema = z
  .object({
    label: z.string().trim().min(1),
    summary: z.string().default(''),
    items: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'item keys are letters, digits and dashes'), costItemSchema).refine((items) => Object.keys(items).length > 0, 'a method needs at least one cost item'),
  })
  .strict();

export const assumptionsSchema = z
  .object({
    version: z.literal(1),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    store: z
      .object({
        plan: valued(planNameSchema),
        ordersPerDay: valued(z.number().positive('must be more than 0')),
        growthPerYear: valued(z.number().min(-0.9).max(10)),
        peakHourShare: valued(z.number().gt(0).max(1)),
        otherAppsShare: valued(z.number().min(0).lt(1)),
        connectedSystems: valued(z.number().int().min(1).max(50)),
        flashSale: z
          .object({
            multiplier: valued(z.number().min(1)),
            durationMinutes: valued(z.number().positive()),
            drainWithinMinutes: valued(z.number().min(0)),
          })
          .strict(),
      })
      .strict(),
    hourlyRate: range,
    planPricesPerMonth: z.object(Object.fromEntries(planNames.map((p) => [p, range])) as Record<(typeof planNames)[number], typeof range>).strict(),
    methods: z.object({ native: methodSchema, ipaas: methodSchema, custom: methodSchema }).strict(),
  })
  .strict();
export type Assumptions = z.infer<typeof assumptionsSchema>;

export class AssumptionsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Failed to load assumptions ${file}: ${problems.join('; ')}. Fix the value${problems.length > 1 ? 's' : ''} named above (each item needs low, high and source; see the comments in reports/tco-assumptions.yml), or run without --assumptions for the defaults.`);
    this.name = 'AssumptionsError';
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** One readable message per zod issue, with the YAML path and what was there. */
export function describeIssues(error: z.ZodError, data: unknown): { at: YamlPath; message: string }[] {
  return error.issues.map((issue) => {
    const at = issue.path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
    if (issue.code === 'unrecognized_keys') {
      const allowed = knownKeys(assumptionsSchema, at);
      const keys = issue.keys.map((k) => {
        const near = closest(k, allowed, { max: 1 });
        return `"${k}"${near.length ? ` (did you mean "${near[0]}"?)` : ''}`;
      });
      return { at, message: `unknown key ${keys.join(', ')}${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}` };
    }
    const got = valueAt(data, at);
    if (issue.code === 'invalid_type') {
      if (got === undefined) return { at, message: `is missing (expected ${article(issue.expected)})` };
      return { at, message: `expected ${article(issue.expected)}, got ${JSON.stringify(got)}` };
    }
    if (issue.code === 'invalid_value') return { at, message: `${issue.message.replace(/^Invalid (input|option): /, '')}, got ${JSON.stringify(got)}` };
    return { at, message: `${issue.message.replace(/^Invalid input: /, '')}${got !== undefined && typeof got !== 'object' ? ` (got ${JSON.stringify(got)})` : ''}` };
  });
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A user's file over the shipped defaults: mappings merge key by key, anything else (a number, a
 * list) replaces. So a file can say only what differs (`store: { ordersPerDay: { value: 2000,
 * source: ... } }`) and a full copy of the defaults still works unchanged.
 */
export function overlayAssumptions(base: unknown, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isMapping(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(over)) out[k] = isMapping(v) && isMapping(out[k]) ? overlayAssumptions(out[k], v) : v;
  return out;
}

/**
 * Parse and validate assumptions text; `file` names it in errors. With `base` (the shipped
 * defaults), the text only needs what differs from it.
 */
export function parseAssumptions(text: string, file: string, base?: Record<string, unknown>): Assumptions {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const rel = path.relative(process.cwd(), file) || file;
  if (doc.errors.length > 0) {
    throw new AssumptionsError(
      rel,
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return `YAML syntax error (line ${pos.line}, column ${pos.col}): ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const own = doc.toJS() as unknown;
  if (!isMapping(own)) throw new AssumptionsError(rel, ['the file must be a YAML mapping (version, currency, store, hourlyRate, planPricesPerMonth, methods)']);
  const data = base ? overlayAssumptions(base, own) : own;
  const parsed = assumptionsSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new AssumptionsError(
    rel,
    describeIssues(parsed.error, data).map((i) => {
      const pos = locate(doc, counter, i.at);
      return `${formatYamlPath(i.at) || '(root)'}${pos.line !== undefined ? ` (line ${pos.line}, column ${pos.col ?? 1})` : ''}: ${i.message}`;
    }),
  );
}

export function loadAssumptions(file: string = defaultAssumptionsFile): Assumptions {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AssumptionsError(path.relative(process.cwd(), file) || file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  if (path.resolve(file) === path.resolve(defaultAssumptionsFile)) return parseAssumptions(text, file);
  // The shipped file is valid (a test keeps it so); its data is the base a user's file overrides.
  const base = parseDocument(fs.readFileSync(defaultAssumptionsFile, 'utf8')).toJS() as Record<string, unknown>;
  return parseAssumptions(text, file, base);
}
