/**
 * The transform vocabulary of the mapping specs. A field's `transform` is one step or a list of
 * steps applied in order; a step is a bare name (`trim`) or a one-key object with its options
 * (`{ money: { decimals: 2 } }`, `{ lookup: orderStatus }`).
 *
 * Each transform is a pure function of its input. Scalar transforms applied to a list (a path
 * through `[]`, or several sources) work element by element; list transforms (`sum`, `join`,
 * `coalesce`...) take the whole list. Missing input (undefined or null) passes through untouched,
 * so `required` and `default` decide what an empty field means, not each transform.
 *
 * A value a transform cannot handle (a money string that is not a number, a country nobody
 * knows, a lookup miss with no fallback) throws TransformError; applyMapping turns it into an
 * error on the field, which sends the record to the dead-letter queue.
 */
import { z } from 'zod';
import { countryToIso2 } from './countries.ts';

export class TransformError extends Error {
  constructor(
    readonly code: 'transform' | 'lookup',
    message: string,
  ) {
    super(message);
    this.name = 'TransformError';
  }
}

export interface Lookup {
  description?: string;
  entries: Record<string, unknown>;
  /** reject: a miss is an error; default: use `default` with a warning; passthrough: keep the value. */
  onMiss: 'reject' | 'default' | 'passthrough';
  default?: unknown;
}

export interface TransformContext {
  lookups: Record<string, Lookup>;
  /** A non-fatal note for the field (lookup fell back to its default). */
  warn(code: 'lookup-default', message: string): void;
}

type Kind = 'scalar' | 'list';

interface TransformDef<O> {
  /** What it does, for the mapping document's vocabulary table. */
  summary: string;
  kind: Kind;
  /** undefined when the transform takes no options. */
  options?: z.ZodType<O>;
  /** One-line rendering of a configured step. */
  describe(options: O): string;
  apply(value: unknown, options: O, ctx: TransformContext): unknown;
  /** Fields of the input's elements the step reads (coverage: `{display_name}` in a format). */
  reads?(options: O): string[];
}

const isMissing = (v: unknown): v is null | undefined => v === undefined || v === null;
export const isEmptyValue = (v: unknown): boolean => isMissing(v) || v === '' || (Array.isArray(v) && v.length === 0);
const preview = (v: unknown): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : isMissing(v) ? [] : [v]);
/** Several list sources (quantities of physical and of digital items) read as one list. */
const flatList = (v: unknown): unknown[] => asList(v).flat(Infinity);

function toFiniteNumber(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  throw new TransformError('transform', `${what}: ${preview(v)} is not a number`);
}

/** Round half away from zero at `decimals`, exactly for decimal input ("1.005" -> 1.01). */
export function roundDecimal(value: number | string, decimals: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  const sign = n < 0 ? -1 : 1;
  const text = typeof value === 'string' ? value.trim().replace(/^-/, '') : String(Math.abs(n));
  // Shifting through the decimal string ("1.005e2") avoids the binary error of 1.005 * 100.
  const shifted = Math.round(Number(`${text}e${decimals}`));
  const result = sign * Number(`${shifted}e-${decimals}`);
  return Object.is(result, -0) ? 0 : result;
}

const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

const dateFormats = ['rfc2822', 'iso', 'unix', 'any'] as const;
const dateOutputs = ['iso', 'date', 'rfc2822', 'unix'] as const;

function parseDate(value: unknown, from: (typeof dateFormats)[number]): number | undefined {
  if (value === '') return undefined; // V2 date_shipped is "" until the order ships.
  if (from === 'unix' || (from === 'any' && typeof value === 'number')) {
    const seconds = toFiniteNumber(value, 'date');
    return seconds * 1000;
  }
  if (typeof value !== 'string') throw new TransformError('transform', `date: ${preview(value)} is not a date string`);
  if (from === 'rfc2822' && !RFC2822.test(value)) throw new TransformError('transform', `date: ${preview(value)} is not an RFC-2822 date such as "Tue, 05 Mar 2019 21:40:11 +0000"`);
  if (from === 'iso' && !ISO_DATE_TIME.test(value)) throw new TransformError('transform', `date: ${preview(value)} is not an ISO-8601 date`);
  // A date-only ISO value is a calendar day, not midnight somewhere: read it as UTC.
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new TransformError('transform', `date: ${preview(value)} is not a valid date`);
  return ms;
}

function formatDate(ms: number, to: (typeof dateOutputs)[number]): string | number {
  const d = new Date(ms);
  switch (to) {
    case 'iso':
      return d.toISOString().replace(/\.000Z$/, 'Z');
    case 'date':
      return d.toISOString().slice(0, 10);
    case 'rfc2822':
      return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    case 'unix':
      return Math.floor(ms / 1000);
    default:
      return to satisfies never;
  }
}

/** Units by dimension, in grams and millimetres. */
export const UNITS = {
  g: { dimension: 'mass', factor: 1 },
  kg: { dimension: 'mass', factor: 1000 },
  lb: { dimension: 'mass', factor: 453.59237 },
  oz: { dimension: 'mass', factor: 28.349523125 },
  mm: { dimension: 'length', factor: 1 },
  cm: { dimension: 'length', factor: 10 },
  m: { dimension: 'length', factor: 1000 },
  in: { dimension: 'length', factor: 25.4 },
} as const;
export type Unit = keyof typeof UNITS;
const unitNames = Object.keys(UNITS) as [Unit, ...Unit[]];

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*|\d+)\}/g;

function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A template split at its placeholders: `texts` has one more entry than `names`. */
interface Template {
  texts: string[];
  names: string[];
  /** Only {0} {1}...: the values are the sources in order. */
  positional: boolean;
}

const templates = new Map<string, Template>();

/** A format template split once, not on every value (it runs for every line of every order: issue 15). */
function templateOf(template: string): Template {
  let t = templates.get(template);
  if (!t) {
    const texts: string[] = [];
    const names: string[] = [];
    let from = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      texts.push(template.slice(from, m.index));
      names.push(m[1]!);
      from = m.index! + m[0].length;
    }
    texts.push(template.slice(from));
    t = { texts, names, positional: names.length > 0 && names.every((n) => /^\d+$/.test(n)) };
    // Templates come from the loaded specs; the bound only keeps endless ones finite.
    if (templates.size >= 1000) templates.clear();
    templates.set(template, t);
  }
  return t;
}

/** A placeholder's value in the text: nothing for a missing one. */
const placeholderText = (v: unknown): string => (isMissing(v) ? '' : String(v));

/** {value} is the input itself, {field} a field of it. */
function fillNamed(t: Template, x: unknown): string {
  let out = t.texts[0]!;
  for (let i = 0; i < t.names.length; i++) {
    const n = t.names[i]!;
    out += placeholderText(n === 'value' ? x : x !== null && typeof x === 'object' ? (x as Record<string, unknown>)[n] : undefined) + t.texts[i + 1]!;
  }
  return out;
}

/** {0} {1}... are the values of a list in order. */
function fillPositional(t: Template, list: unknown[]): string {
  let out = t.texts[0]!;
  for (let i = 0; i < t.names.length; i++) out += placeholderText(list[Number(t.names[i])]) + t.texts[i + 1]!;
  return out;
}

const regExps = new Map<string, RegExp>();

/**
 * A regular expression compiled once per pattern and flags rather than once per value. Only for
 * uses that keep no state in it: `test` without the g or y flag, or `String.replace`, which starts
 * a global expression from 0 and leaves it there.
 */
export function cachedRegExp(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regExps.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    // Patterns come from the specs (or a condition's value); the bound only keeps them finite.
    if (regExps.size >= 1000) regExps.clear();
    regExps.set(key, re);
  }
  return re;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));

const noOptions = (summary: string, apply: (v: unknown) => unknown, kind: Kind = 'scalar'): TransformDef<undefined> => ({
  summary,
  kind,
  describe: () => '',
  apply: (v) => apply(v),
});

function joinValues(v: unknown, separator: string): string {
  return flatList(v)
    .filter((x) => !isEmptyValue(x))
    .map(text)
    .join(separator);
}

const defs = {
  trim: noOptions('Remove leading and trailing white space.', (v) => text(v).trim()),
  upper: noOptions('Upper-case the text.', (v) => text(v).toUpperCase()),
  lower: noOptions('Lower-case the text.', (v) => text(v).toLowerCase()),
  collapseWhitespace: noOptions('Turn line breaks, tabs and runs of spaces into single spaces (fixed-width targets cannot store line breaks).', (v) =>
    text(v).replace(/\s+/g, ' ').trim(),
  ),
  toString: noOptions('Write the value as text.', (v) => text(v)),
  toInteger: noOptions('Read a whole number from a number or numeric text.', (v) => {
    const n = toFiniteNumber(v, 'toInteger');
    if (!Number.isInteger(n)) throw new TransformError('transform', `toInteger: ${preview(v)} is not a whole number`);
    return n;
  }),
  toNumber: noOptions('Read a number from numeric text.', (v) => toFiniteNumber(v, 'toNumber')),
  toBoolean: noOptions('Read true/false from a boolean, 1/0, yes/no or Y/N.', (v) => {
    if (typeof v === 'boolean') return v;
    const t = text(v).trim().toLowerCase();
    if (['true', '1', 'yes', 'y'].includes(t)) return true;
    if (['false', '0', 'no', 'n', ''].includes(t)) return false;
    throw new TransformError('transform', `toBoolean: ${preview(v)} is not a yes/no value`);
  }),
  replace: {
    summary: 'Replace every match of a regular expression.',
    kind: 'scalar',
    options: z
      .object({ pattern: z.string().min(1), with: z.string().default(''), flags: z.string().regex(/^[imsu]*$/, 'flags may only be i, m, s, u').optional() })
      .strict()
      .refine((o) => {
        try {
          new RegExp(o.pattern);
          return true;
        } catch {
          return false;
        }
      }, 'pattern is not a valid regular expression'),
    describe: (o: { pattern: string; with: string }) => `/${o.pattern}/ → "${o.with}"`,
    apply: (v: unknown, o: { pattern: string; with: string; flags?: string }) => text(v).replace(cachedRegExp(o.pattern, `g${o.flags ?? ''}`), o.with),
  } satisfies TransformDef<{ pattern: string; with: string; flags?: string }>,
  format: {
    summary: 'Fill a text template: {value} is the input, {0} {1}... the sources in order, {field} a field of the input (applied to each element of a list).',
    kind: 'list',
    options: z.string().min(1),
    describe: (t: string) => `"${t}"`,
    reads: (t: string) => placeholders(t).filter((p) => p !== 'value' && !/^\d+$/.test(p)),
    apply: (v: unknown, template: string) => {
      const t = templateOf(template);
      if (t.positional) return fillPositional(t, asList(v));
      if (!Array.isArray(v)) return isMissing(v) ? v : fillNamed(t, v);
      const out: unknown[] = [];
      for (const x of v) out.push(isMissing(x) ? x : fillNamed(t, x));
      return out;
    },
  } satisfies TransformDef<string>,
  join: {
    summary: 'Join the values of a list with a separator, skipping empty ones.',
    kind: 'list',
    options: z.string(),
    describe: (s: string) => `with "${s.replace(/\n/g, '\\n')}"`,
    apply: (v: unknown, s: string) => (isMissing(v) ? v : joinValues(v, s)),
  } satisfies TransformDef<string>,
  concat: {
    summary: 'Concatenate several sources into one text (first and last name into a full name), skipping empty ones.',
    kind: 'list',
    options: z.string(),
    describe: (s: string) => `with "${s}"`,
    apply: (v: unknown, s: string) => joinValues(v, s),
  } satisfies TransformDef<string>,
  coalesce: noOptions('The first non-empty value of several sources.', (v) => asList(v).find((x) => !isEmptyValue(x)), 'list'),
  splitName: {
    summary: 'Split a full name: first = every word but the last (or the only word), last = the last word of two or more.',
    kind: 'scalar',
    options: z.enum(['first', 'last']),
    describe: (part: 'first' | 'last') => `${part} name`,
    apply: (v: unknown, part: 'first' | 'last') => {
      const words = text(v).trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) return '';
      if (words.length === 1) return part === 'first' ? words[0] : '';
      return part === 'first' ? words.slice(0, -1).join(' ') : words[words.length - 1];
    },
  } satisfies TransformDef<'first' | 'last'>,
  money: {
    summary: 'A V2 money string ("62.6793") or a number to a number rounded half away from zero.',
    kind: 'scalar',
    options: z.object({ decimals: z.number().int().min(0).max(6).default(2) }).strict().default({ decimals: 2 }),
    describe: (o: { decimals: number }) => `to number, ${o.decimals} dp`,
    apply: (v: unknown, o: { decimals: number }) => {
      if (typeof v === 'string' && v.trim() === '') return undefined;
      const n = toFiniteNumber(v, 'money');
      return roundDecimal(typeof v === 'string' ? v.trim() : n, o.decimals);
    },
  } satisfies TransformDef<{ decimals: number }>,
  round: {
    summary: 'Round a number to N decimals, half away from zero.',
    kind: 'scalar',
    options: z.number().int().min(0).max(10),
    describe: (d: number) => `${d} dp`,
    apply: (v: unknown, d: number) => roundDecimal(toFiniteNumber(v, 'round'), d),
  } satisfies TransformDef<number>,
  multiply: {
    summary: 'Multiply by a constant.',
    kind: 'scalar',
    options: z.number(),
    describe: (f: number) => `× ${f}`,
    apply: (v: unknown, f: number) => toFiniteNumber(v, 'multiply') * f,
  } satisfies TransformDef<number>,
  add: {
    summary: 'Add a constant (e.g. 1 to turn a 0-based index into a line number).',
    kind: 'scalar',
    options: z.number(),
    describe: (n: number) => `+ ${n}`,
    apply: (v: unknown, n: number) => toFiniteNumber(v, 'add') + n,
  } satisfies TransformDef<number>,
  negate: noOptions('Change the sign.', (v) => {
    const n = -toFiniteNumber(v, 'negate');
    return Object.is(n, -0) ? 0 : n;
  }),
  abs: noOptions('The absolute value.', (v) => Math.abs(toFiniteNumber(v, 'abs'))),
  clamp: {
    summary: 'Keep a number within bounds (a negative stock count becomes 0).',
    kind: 'scalar',
    options: z
      .object({ min: z.number().optional(), max: z.number().optional() })
      .strict()
      .refine((o) => o.min !== undefined || o.max !== undefined, 'give min, max or both')
      .refine((o) => o.min === undefined || o.max === undefined || o.min <= o.max, 'min must not be above max'),
    describe: (o: { min?: number; max?: number }) => `to ${o.min ?? '-∞'}..${o.max ?? '∞'}`,
    apply: (v: unknown, o: { min?: number; max?: number }) => {
      const n = toFiniteNumber(v, 'clamp');
      return Math.min(o.max ?? Infinity, Math.max(o.min ?? -Infinity, n));
    },
  } satisfies TransformDef<{ min?: number; max?: number }>,
  product: noOptions('Multiply the values of several sources (a count in cases times units per case).', (v) =>
    flatList(v).reduce<number>((acc, x) => acc * toFiniteNumber(x, 'product'), 1),
  'list'),
  sum: noOptions('Add up a list of numbers (line totals over every line).', (v) =>
    roundDecimal(flatList(v).reduce<number>((acc, x) => acc + toFiniteNumber(x, 'sum'), 0), 10),
  'list'),
  count: noOptions('The number of values in a list.', (v) => flatList(v).length, 'list'),
  first: noOptions('The first value of a list.', (v) => asList(v)[0], 'list'),
  last: noOptions('The last value of a list.', (v) => asList(v).at(-1), 'list'),
  distinct: noOptions('The list without repeated values, in first-seen order.', (v) => [...new Set(flatList(v))], 'list'),
  min: noOptions('The smallest number of a list.', (v) => {
    const list = flatList(v).map((x) => toFiniteNumber(x, 'min'));
    return list.length ? Math.min(...list) : undefined;
  }, 'list'),
  max: noOptions('The largest number of a list.', (v) => {
    const list = flatList(v).map((x) => toFiniteNumber(x, 'max'));
    return list.length ? Math.max(...list) : undefined;
  }, 'list'),
  date: {
    summary: 'Convert a date: from RFC-2822 (V2), ISO-8601 (V3), Unix seconds or any of them; to ISO date-time (UTC), calendar date, RFC-2822 or Unix seconds.',
    kind: 'scalar',
    options: z.object({ from: z.enum(dateFormats).default('any'), to: z.enum(dateOutputs) }).strict(),
    describe: (o: { from: string; to: string }) => `${o.from === 'rfc2822' ? 'RFC-2822' : o.from === 'iso' ? 'ISO-8601' : o.from} → ${o.to === 'date' ? 'ISO date' : o.to === 'iso' ? 'ISO date-time (UTC)' : o.to}`,
    apply: (v: unknown, o: { from: (typeof dateFormats)[number]; to: (typeof dateOutputs)[number] }) => {
      const ms = parseDate(v, o.from);
      return ms === undefined ? undefined : formatDate(ms, o.to);
    },
  } satisfies TransformDef<{ from: (typeof dateFormats)[number]; to: (typeof dateOutputs)[number] }>,
  lookup: {
    summary: 'Translate a code through one of the spec\'s lookup tables.',
    kind: 'scalar',
    options: z.string().min(1),
    describe: (name: string) => name,
    apply: (v: unknown, name: string, ctx: TransformContext) => {
      const table = ctx.lookups[name];
      if (!table) throw new TransformError('lookup', `lookup table "${name}" is not defined`);
      const key = text(v);
      if (Object.prototype.hasOwnProperty.call(table.entries, key)) return table.entries[key];
      switch (table.onMiss) {
        case 'passthrough':
          return v;
        case 'default':
          ctx.warn('lookup-default', `${preview(key)} is not in lookup ${name}; used its default ${preview(table.default)}`);
          return table.default;
        case 'reject':
          throw new TransformError('lookup', `${preview(key)} is not in lookup ${name} (known: ${Object.keys(table.entries).slice(0, 12).join(', ')})`);
        default:
          return table.onMiss satisfies never;
      }
    },
  } satisfies TransformDef<string>,
  countryIso2: noOptions('A country name or code to its ISO 3166-1 alpha-2 code ("Switzerland" → "CH").', (v) => {
    const code = countryToIso2(text(v));
    if (!code) throw new TransformError('transform', `countryIso2: ${preview(v)} is not a country name or ISO code`);
    return code;
  }),
  convert: {
    summary: `Convert a measurement between units (${unitNames.join(', ')}).`,
    kind: 'scalar',
    options: z
      .object({ from: z.enum(unitNames), to: z.enum(unitNames), decimals: z.number().int().min(0).max(10).default(4) })
      .strict()
      .refine((o) => UNITS[o.from].dimension === UNITS[o.to].dimension, 'from and to must measure the same thing (mass or length)'),
    describe: (o: { from: Unit; to: Unit; decimals: number }) => `${o.from} → ${o.to}, ${o.decimals} dp`,
    apply: (v: unknown, o: { from: Unit; to: Unit; decimals: number }) => {
      if (typeof v === 'string' && v.trim() === '') return undefined;
      return roundDecimal((toFiniteNumber(v, 'convert') * UNITS[o.from].factor) / UNITS[o.to].factor, o.decimals);
    },
  } satisfies TransformDef<{ from: Unit; to: Unit; decimals: number }>,
} as const;

export type TransformName = keyof typeof defs;
export const transformNames = Object.keys(defs) as TransformName[];

export interface TransformStep {
  name: TransformName;
  options: unknown;
}

export interface StepIssue {
  /** Index of the step in the list (0 when the transform is a single step). */
  index: number;
  message: string;
}

const defOf = (name: TransformName) => defs[name] as unknown as TransformDef<unknown>;

/** Parse a `transform` value from a spec into steps, collecting readable problems. */
export function parseTransform(raw: unknown, nearest: (name: string) => string | undefined): { steps: TransformStep[]; issues: StepIssue[] } {
  if (raw === undefined || raw === null) return { steps: [], issues: [] };
  const list = Array.isArray(raw) ? raw : [raw];
  const steps: TransformStep[] = [];
  const issues: StepIssue[] = [];
  list.forEach((item, index) => {
    let name: string;
    let options: unknown;
    if (typeof item === 'string') {
      name = item;
    } else if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
      [name, options] = Object.entries(item)[0]!;
    } else {
      issues.push({ index, message: 'a step is a name ("trim") or an object with exactly one key ({ lookup: orderStatus })' });
      return;
    }
    if (!(name in defs)) {
      const hint = nearest(name);
      issues.push({ index, message: `unknown transform "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${transformNames.join(', ')}` });
      return;
    }
    const def = defOf(name as TransformName);
    if (!def.options) {
      if (options !== undefined && options !== null && options !== true) issues.push({ index, message: `${name} takes no options` });
      steps.push({ name: name as TransformName, options: undefined });
      return;
    }
    const parsed = def.options.safeParse(options);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
      issues.push({ index, message: `${name} options are invalid: ${options === undefined ? 'options are required' : detail}` });
      return;
    }
    steps.push({ name: name as TransformName, options: parsed.data });
  });
  return { steps, issues };
}

/** Apply steps in order. Scalar steps map over lists; list steps take the whole list. */
export function runTransform(value: unknown, steps: TransformStep[], ctx: TransformContext): unknown {
  let v = value;
  for (const step of steps) {
    const def = defOf(step.name);
    if (def.kind === 'list') v = def.apply(v, step.options, ctx);
    else if (Array.isArray(v)) {
      // A loop, not map(): no closure per field and step on the mapping hot path (issue 15).
      const out: unknown[] = [];
      for (const x of v) out.push(isMissing(x) ? x : def.apply(x, step.options, ctx));
      v = out;
    } else v = isMissing(v) ? v : def.apply(v, step.options, ctx);
  }
  return v;
}

export function describeStep(step: TransformStep): string {
  const detail = defOf(step.name).describe(step.options);
  return detail ? `${step.name} ${detail}` : step.name;
}

export function describeTransform(steps: TransformStep[]): string {
  return steps.map(describeStep).join(' → ');
}

export function stepReads(step: TransformStep): string[] {
  return defOf(step.name).reads?.(step.options) ?? [];
}

/** The vocabulary with summaries, for the mapping document. */
export function transformVocabulary(): { name: TransformName; summary: string }[] {
  return transformNames.map((name) => ({ name, summary: defOf(name).summary }));
}
