/**
 * applyMapping(spec, source) -> {record, warnings, errors}: one source record through one
 * mapping spec, as the reference engine's mapper and the verifier's expected records both need
 * it. Pure: no I/O, no clock, the same input always gives the same output.
 *
 * - A skip rule that holds returns `skipped` and no record (the flow does not carry it).
 * - Each field: read the source(s), run the transform, fall back to the default, check
 *   `required`, write the target. A transform failure or a missing required value is an error.
 * - Then the target's constraints: `truncate` and `omit` fix the record and warn; `reject` is an
 *   error. A record with any error belongs in the dead-letter queue, not in the target; it is
 *   still returned (as far as it was built) so the dead letter shows what was attempted.
 */
import { compileSpec, SpecCompileError, type CompiledCondition, type CompiledConstraint, type CompiledField, type CompiledSpec } from './compile.ts';
import { deletePath, formatSegments, locate, readPath, writePath, type ParsedPath } from './path.ts';
import type { MappingSpec } from './spec-schema.ts';
import { cachedRegExp, isEmptyValue, runTransform, TransformError, type Lookup, type TransformContext } from './transforms.ts';

export type IssueCode =
  | 'truncated'
  | 'items-truncated'
  | 'omitted'
  | 'lookup-default'
  | 'max-length'
  | 'max-items'
  | 'enum'
  | 'pattern'
  | 'format'
  | 'minimum'
  | 'maximum'
  | 'required'
  | 'lookup'
  | 'transform'
  | 'missing-source';

export interface MappingIssue {
  /** Concrete target field ("lines[1].sku"). */
  field: string;
  code: IssueCode;
  message: string;
  /** The offending value, shortened for display. */
  value?: string;
}

export interface MappingResult {
  /** The target record (absent when skipped). With errors it is what would have been sent. */
  record?: Record<string, unknown>;
  /** The value of the spec's key in the source (the idempotency key). */
  key?: unknown;
  skipped?: { reason: string };
  /** The target call with its path filled in (from target.write), e.g. POST /v2/orders/123/shipments. */
  request?: { method: string; path: string };
  warnings: MappingIssue[];
  errors: MappingIssue[];
}

export interface ApplyOptions {
  /** update: leave out fields marked writeMode: onCreate (owned by the target system). */
  operation?: 'create' | 'update';
}

interface Scope {
  root: unknown;
  current: unknown;
  parent?: Scope;
  index?: number;
}

const compiledCache = new WeakMap<MappingSpec, CompiledSpec>();

function compiledOf(spec: MappingSpec | CompiledSpec): CompiledSpec {
  if ('fields' in spec && 'key' in spec && 'lookups' in spec && 'spec' in spec) return spec as CompiledSpec;
  const plain = spec as MappingSpec;
  let compiled = compiledCache.get(plain);
  if (!compiled) {
    const result = compileSpec(plain);
    if (result.issues.length > 0) throw new SpecCompileError(result.issues, plain.name);
    compiled = result.compiled;
    compiledCache.set(plain, compiled);
  }
  return compiled;
}

const preview = (v: unknown, max = 80): string => {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}… (${chars.length} chars)` : text;
};

function read(scope: Scope, path: ParsedPath): unknown {
  const base = path.scope === 'root' ? scope.root : path.scope === 'parent' ? scope.parent?.current : scope.current;
  return readPath(base, path.segments);
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

// The mapping hot path (every field of every line of every order the engine maps) is written
// with loops and module-level helpers rather than closures: under tsx each function expression
// created at run time also costs a defineProperty for its name, which a CPU profile of a flash
// sale showed as a tenth of the mapping time (issue 15).

const sameText = (a: unknown, b: unknown) => asText(a) === asText(b);

/** Some value of `lefts` (a list or one value) satisfies `test` against `right`. */
function someOf(lefts: unknown, right: unknown, test: (l: unknown, r: unknown) => boolean): boolean {
  if (!Array.isArray(lefts)) return test(lefts, right);
  for (const l of lefts) if (test(l, right)) return true;
  return false;
}

const inList = (l: unknown, right: unknown) => someOf(right, l, sameText);
const greater = (l: unknown, r: unknown) => Number(l) > Number(r);
const less = (l: unknown, r: unknown) => Number(l) < Number(r);
const matches = (l: unknown, r: unknown) => cachedRegExp(String(r), 'u').test(asText(l));

export function evaluateCondition(c: CompiledCondition, scope: Scope): boolean {
  const left = read(scope, c.path);
  const right = c.valuePath ? read(scope, c.valuePath) : c.condition.value;
  switch (c.condition.op) {
    case 'eq':
      return someOf(left, right, sameText);
    case 'ne':
      return !someOf(left, right, sameText);
    case 'in':
      return someOf(left, right, inList);
    case 'notIn':
      return !someOf(left, right, inList);
    case 'empty':
      return isEmptyValue(left);
    case 'notEmpty':
      return !isEmptyValue(left);
    case 'gt':
      return someOf(left, right, greater);
    case 'lt':
      return someOf(left, right, less);
    case 'matches':
      return someOf(left, right, matches);
    default:
      return c.condition.op satisfies never;
  }
}

function allHold(conditions: CompiledCondition[], scope: Scope): boolean {
  for (const c of conditions) if (!evaluateCondition(c, scope)) return false;
  return true;
}

/** A constant or default for the record: its own copy when it is an object or a list. */
const copyOf = (v: unknown): unknown => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

const targetTexts = new WeakMap<CompiledField, string>();

/** A field's concrete target ("lines[1].sku"), formatted only when it is needed. */
function fieldName(prefix: string, f: CompiledField): string {
  let text = targetTexts.get(f);
  if (text === undefined) {
    text = formatSegments(f.target.segments);
    targetTexts.set(f, text);
  }
  return prefix ? `${prefix}.${text}` : text;
}

/** One field's transform context (a class: no closure per field). */
class FieldContext implements TransformContext {
  constructor(
    readonly lookups: Record<string, Lookup>,
    private readonly warnings: MappingIssue[],
    private readonly prefix: string,
    private readonly field: CompiledField,
  ) {}

  warn(code: 'lookup-default', message: string): void {
    this.warnings.push({ field: fieldName(this.prefix, this.field), code, message });
  }
}

/** Apply a mapping spec to one source record. */
export function applyMapping(spec: MappingSpec | CompiledSpec, source: unknown, options: ApplyOptions = {}): MappingResult {
  const compiled = compiledOf(spec);
  const warnings: MappingIssue[] = [];
  const errors: MappingIssue[] = [];
  const rootScope: Scope = { root: source, current: source };
  const key = compiled.key.sourcePath ? readPath(source, compiled.key.source.segments) : undefined;

  // A skip rule that reads a field the source no longer has would decide on nothing: after a
  // platform update renames the field, every record would be skipped silently (mapping-drift).
  // A missing field is an error instead, so the record goes to the dead-letter queue with a reason.
  for (const rule of compiled.skip) {
    for (const c of rule.conditions) {
      if (c.condition.op === 'empty' || c.condition.op === 'notEmpty' || c.path.scope === 'parent') continue;
      if (read(rootScope, c.path) === undefined) {
        errors.push({ field: '(skip rule)', code: 'missing-source', message: `the source has no "${c.condition.path}": the skip rule "${rule.reason}" cannot be evaluated (a renamed or removed field?)` });
      }
    }
  }
  if (errors.length > 0) return { ...(key !== undefined ? { key } : {}), warnings, errors };
  for (const rule of compiled.skip) {
    if (allHold(rule.conditions, rootScope)) {
      return { ...(key !== undefined ? { key } : {}), skipped: { reason: rule.reason }, warnings, errors };
    }
  }

  const record: Record<string, unknown> = {};
  applyFields(compiled, compiled.fields, rootScope, record, '', options, warnings, errors);
  for (const constraint of compiled.constraints) enforce(constraint, record, warnings, errors);
  const request = compiled.request ? fillRequest(compiled, record, source) : undefined;
  return { record, ...(key !== undefined ? { key } : {}), ...(request ? { request } : {}), warnings, errors };
}

function fillRequest(compiled: CompiledSpec, record: Record<string, unknown>, source: unknown): { method: string; path: string } {
  const { method, template, params } = compiled.request!;
  let path = template;
  for (const p of params) {
    const fromTarget = readPath(record, p.path.segments);
    const value = fromTarget !== undefined ? fromTarget : readPath(source, p.path.segments);
    path = path.replace(`{${p.name}}`, encodeURIComponent(value === undefined || value === null ? '' : String(value)));
  }
  return { method, path };
}

function applyFields(
  compiled: CompiledSpec,
  fields: CompiledField[],
  scope: Scope,
  out: Record<string, unknown>,
  prefix: string,
  options: ApplyOptions,
  warnings: MappingIssue[],
  errors: MappingIssue[],
): void {
  for (const f of fields) {
    if (options.operation === 'update' && f.mapping.writeMode === 'onCreate') continue;
    if (!allHold(f.when, scope)) continue;

    if (f.fields) {
      const where = fieldName(prefix, f);
      // Several source lists are concatenated (a cart's physical and digital items).
      const list: Record<string, unknown>[] = [];
      for (const s of f.sources) {
        const raw = read(scope, s);
        const elements = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
        for (const el of elements) {
          const inner: Scope = { root: scope.root, current: el, parent: scope, index: list.length };
          if (!allHold(f.where, inner)) continue;
          const item: Record<string, unknown> = {};
          applyFields(compiled, f.fields, inner, item, `${where}[${list.length}]`, options, warnings, errors);
          list.push(item);
        }
      }
      if (list.length === 0 && f.mapping.required) {
        errors.push({ field: where, code: 'required', message: `no element of ${f.sourceTexts[0]} qualifies, and ${where} needs at least one` });
        continue;
      }
      if (list.length > 0 || !f.mapping.required) writePath(out, f.target.segments, list);
      continue;
    }

    let value: unknown;
    if (f.mapping.value !== undefined) value = copyOf(f.mapping.value);
    else if (f.isIndex) value = scope.index;
    else if (f.sources.length === 1) value = read(scope, f.sources[0]!);
    else {
      const values: unknown[] = [];
      for (const s of f.sources) values.push(read(scope, s));
      value = values;
    }

    if (f.steps.length > 0) {
      try {
        value = runTransform(value, f.steps, new FieldContext(compiled.lookups, warnings, prefix, f));
      } catch (error) {
        if (error instanceof TransformError) {
          errors.push({ field: fieldName(prefix, f), code: error.code, message: error.message, value: preview(value) });
          continue;
        }
        throw error;
      }
    }
    if (isEmptyValue(value) && f.mapping.default !== undefined) value = copyOf(f.mapping.default);
    if (isEmptyValue(value)) {
      if (f.mapping.required) {
        const where = fieldName(prefix, f);
        errors.push({ field: where, code: 'required', message: `${where} is required but ${f.sourceTexts.join(' + ') || 'its value'} is empty` });
        continue;
      }
      if (value === undefined || value === null) continue;
    }
    writePath(out, f.target.segments, value);
  }
}

const FORMATS: Record<string, (v: string) => boolean> = {
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Whether a surrogate pair (one code point in two UTF-16 units) starts at `i`. */
function pairAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}

/** Code points in a text (`Array.from(text).length`, without building the array). */
export function codePointCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += pairAt(text, i) ? 2 : 1) n++;
  return n;
}

/**
 * Cut a text to at most `max` code points (how JSON Schema counts maxLength) without splitting a
 * user-perceived character: an emoji sequence or a letter with its accent stays whole or goes.
 */
export function truncateText(text: string, max: number): string {
  // Where the first code point past the limit starts: it goes, and with it the rest of the
  // user-perceived character it belongs to. One look-up at the cut instead of walking every
  // character before it (this ran for every long text of every order: issue 15).
  let cut = 0;
  for (let n = 0; n < max && cut < text.length; n++) cut += pairAt(text, cut) ? 2 : 1;
  if (cut >= text.length) return text;
  return text.slice(0, segmenter.segment(text).containing(cut)!.index);
}

function isOneOf(list: readonly unknown[], v: unknown): boolean {
  for (const e of list) if (e === v) return true;
  return false;
}

function enforce(c: CompiledConstraint, record: Record<string, unknown>, warnings: MappingIssue[], errors: MappingIssue[]): void {
  for (const loc of locate(record, c.targetPath)) {
    const v = loc.value;
    if (v === undefined || v === null) continue;
    let violation: { code: IssueCode; message: string } | undefined;
    if (c.maxLength !== undefined && typeof v === 'string') {
      // A text never has more code points than UTF-16 units: only a longer one needs counting.
      const length = v.length > c.maxLength ? codePointCount(v) : v.length;
      if (length > c.maxLength) {
        if (c.action === 'truncate') {
          const cut = truncateText(v, c.maxLength);
          writePath(record, loc.segments, cut);
          warnings.push({ field: formatSegments(loc.segments), code: 'truncated', message: `cut from ${length} to ${codePointCount(cut)} characters (the target allows ${c.maxLength})`, value: preview(v) });
          continue;
        }
        violation = { code: 'max-length', message: `${length} characters; the target allows ${c.maxLength}` };
      }
    } else if (c.maxItems !== undefined && Array.isArray(v)) {
      if (v.length > c.maxItems) {
        if (c.action === 'truncate') {
          writePath(record, loc.segments, v.slice(0, c.maxItems));
          warnings.push({ field: formatSegments(loc.segments), code: 'items-truncated', message: `kept the first ${c.maxItems} of ${v.length} items (the target allows ${c.maxItems})` });
          continue;
        }
        violation = { code: 'max-items', message: `${v.length} items; the target allows ${c.maxItems}` };
      }
    } else if (c.enum !== undefined) {
      if (!isOneOf(c.enum, v)) violation = { code: 'enum', message: `${preview(v)} is not one of ${c.enum.map((e) => JSON.stringify(e)).join(', ')}` };
    } else if (c.pattern !== undefined) {
      if (!cachedRegExp(c.pattern, 'u').test(String(v))) violation = { code: 'pattern', message: `${preview(v)} does not match ${c.pattern}` };
    } else if (c.format !== undefined) {
      const check = FORMATS[c.format];
      if (check && !check(String(v))) violation = { code: 'format', message: `${preview(v)} is not a valid ${c.format}` };
    } else if (c.minimum !== undefined) {
      if (typeof v === 'number' && v < c.minimum) violation = { code: 'minimum', message: `${v} is below the minimum ${c.minimum}` };
    } else if (c.maximum !== undefined) {
      if (typeof v === 'number' && v > c.maximum) violation = { code: 'maximum', message: `${v} is above the maximum ${c.maximum}` };
    }
    if (!violation) continue;
    if (c.action === 'omit') {
      deletePath(record, loc.segments);
      warnings.push({ field: formatSegments(loc.segments), code: 'omitted', message: `left out: ${violation.message}`, value: preview(v) });
    } else {
      errors.push({ field: formatSegments(loc.segments), code: violation.code, message: violation.message, value: preview(v) });
    }
  }
}

/** True when the record may be written to the target (not skipped, no errors). */
export const isAccepted = (r: MappingResult): boolean => !r.skipped && r.errors.length === 0;
