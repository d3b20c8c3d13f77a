/**
 * Field paths, the one grammar used for source paths, target fields, ignore entries and
 * constraints in the mapping specs:
 *
 *   billing_address.first_name            a field of a nested object
 *   products[].sku                        every element of an array (the value is a list)
 *   shipping_addresses[0].zip             one element
 *   billing_address.form_fields[name=PO Number].value   elements whose field equals a text
 *   $.currency_code                       from the root record, inside a nested field list
 *   ^.id                                  from the enclosing element, inside a nested field list
 *
 * Keys are plain identifiers (letters, digits, underscores); a filter's value is any text up to
 * the closing bracket. The normal form (`normalizePath`) drops filters and indexes
 * (`form_fields[].value`): that is how a path is looked up in a JSON Schema and counted for
 * coverage, where the element chosen does not matter.
 */

export type Scope = 'current' | 'root' | 'parent';

export type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'each' }
  | { kind: 'index'; index: number }
  | { kind: 'filter'; field: string; value: string };

export interface ParsedPath {
  scope: Scope;
  segments: Segment[];
}

export class PathSyntaxError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`"${path}" is not a valid field path: ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*/;

export function parsePath(path: string): ParsedPath {
  let rest = path.trim();
  if (rest === '') throw new PathSyntaxError(path, 'it is empty');
  let scope: Scope = 'current';
  if (rest.startsWith('$.')) {
    scope = 'root';
    rest = rest.slice(2);
  } else if (rest.startsWith('^.')) {
    scope = 'parent';
    rest = rest.slice(2);
  }
  const segments: Segment[] = [];
  let expectKey = true;
  while (rest.length > 0) {
    if (expectKey) {
      const m = KEY.exec(rest);
      if (!m) throw new PathSyntaxError(path, `expected a field name at "${rest}"`);
      segments.push({ kind: 'key', key: m[0] });
      rest = rest.slice(m[0].length);
      expectKey = false;
      continue;
    }
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      expectKey = true;
      if (rest.length === 0) throw new PathSyntaxError(path, 'it ends with "."');
      continue;
    }
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) throw new PathSyntaxError(path, 'a "[" is not closed');
      const inner = rest.slice(1, close);
      rest = rest.slice(close + 1);
      if (inner === '') segments.push({ kind: 'each' });
      else if (/^\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else {
        const eq = inner.indexOf('=');
        const field = eq > 0 ? inner.slice(0, eq).trim() : '';
        if (!KEY.test(field) || KEY.exec(field)![0] !== field) {
          throw new PathSyntaxError(path, `"[${inner}]" must be [], [N] or [field=value]`);
        }
        segments.push({ kind: 'filter', field, value: inner.slice(eq + 1).trim() });
      }
      continue;
    }
    throw new PathSyntaxError(path, `unexpected "${rest[0]}"`);
  }
  if (segments.length === 0) throw new PathSyntaxError(path, 'it names no field');
  return { scope, segments };
}

/** The path without scope prefix, filters or indexes: `form_fields[name=X].value` -> `form_fields[].value`. */
export function normalizePath(path: string | ParsedPath): string {
  const parsed = typeof path === 'string' ? parsePath(path) : path;
  return formatSegments(parsed.segments.map((s) => (s.kind === 'index' || s.kind === 'filter' ? { kind: 'each' as const } : s)));
}

export function formatSegments(segments: Segment[]): string {
  let out = '';
  for (const s of segments) {
    switch (s.kind) {
      case 'key':
        out += out === '' ? s.key : `.${s.key}`;
        break;
      case 'each':
        out += '[]';
        break;
      case 'index':
        out += `[${s.index}]`;
        break;
      case 'filter':
        out += `[${s.field}=${s.value}]`;
        break;
      default:
        s satisfies never;
    }
  }
  return out;
}

/** Joins a normalized prefix and a relative path: ("products[]", "sku") -> "products[].sku". */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Fields a path's filters read, normalized: `form_fields[name=PO].value` reads `form_fields[].name`. */
export function filterReads(path: string | ParsedPath): string[] {
  const parsed = typeof path === 'string' ? parsePath(path) : path;
  const reads: string[] = [];
  parsed.segments.forEach((s, i) => {
    if (s.kind !== 'filter') return;
    const before = parsed.segments.slice(0, i).map((x) => (x.kind === 'index' || x.kind === 'filter' ? { kind: 'each' as const } : x));
    reads.push(joinPath(formatSegments([...before, { kind: 'each' }]), s.field));
  });
  return reads;
}

/** True when reading the path can give several values (it walks every element of an array). */
export function isMultiValued(path: string | ParsedPath): boolean {
  const parsed = typeof path === 'string' ? parsePath(path) : path;
  return parsed.segments.some((s) => s.kind === 'each' || s.kind === 'filter');
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a path from a value. A path through `[]` or a filter gives an array (flattened across
 * levels); a plain path gives the value or undefined. Never throws on missing data.
 */
export function readPath(data: unknown, segments: Segment[]): unknown {
  // Most paths are plain keys and indexes: walk them without a list per level. This runs for
  // every field of every line of every order the engine maps (issue 15).
  let v = data;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === 'key') v = isRecord(v) && s.key in v ? v[s.key] : undefined;
    else if (s.kind === 'index') v = Array.isArray(v) ? v[s.index] : undefined;
    else return readMany(v, segments, i);
  }
  return v;
}

/** The rest of a path from its first `[]` or filter on: every value it reaches, as a list. */
function readMany(data: unknown, segments: Segment[], from: number): unknown[] {
  let values: unknown[] = [data];
  for (let i = from; i < segments.length; i++) {
    const s = segments[i]!;
    const next: unknown[] = [];
    for (const v of values) {
      switch (s.kind) {
        case 'key':
          if (isRecord(v) && s.key in v) next.push(v[s.key]);
          break;
        case 'index':
          if (Array.isArray(v)) next.push(v[s.index]);
          break;
        case 'each':
          if (Array.isArray(v)) next.push(...v);
          break;
        case 'filter':
          if (Array.isArray(v)) for (const e of v) if (isRecord(e) && String(e[s.field] ?? '') === s.value) next.push(e);
          break;
        default:
          s satisfies never;
      }
    }
    values = next;
  }
  return values.filter((v) => v !== undefined);
}

/**
 * Writes a value at a target path inside a record, creating objects and arrays on the way.
 * Target paths use keys and explicit indexes only (`payments[0].amount`); a `[]` target is
 * written by a nested field list, never here.
 */
export function writePath(record: Record<string, unknown>, segments: Segment[], value: unknown): void {
  let node: any = record;
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    const nextIsIndex = segments[i + 1]?.kind === 'index';
    if (s.kind === 'key') {
      if (last) node[s.key] = value;
      else {
        if (node[s.key] === undefined || node[s.key] === null || typeof node[s.key] !== 'object') node[s.key] = nextIsIndex ? [] : {};
        node = node[s.key];
      }
    } else if (s.kind === 'index') {
      if (!Array.isArray(node)) throw new Error(`cannot index a non-array at ${formatSegments(segments.slice(0, i + 1))}`);
      if (last) node[s.index] = value;
      else {
        if (node[s.index] === undefined) node[s.index] = nextIsIndex ? [] : {};
        node = node[s.index];
      }
    } else {
      throw new Error(`a target path cannot contain "${formatSegments([s])}"; use a nested field list`);
    }
  });
}

/** Deletes the value at a concrete path (keys and indexes), if present. */
export function deletePath(record: Record<string, unknown>, segments: Segment[]): void {
  const parent = segments.length > 1 ? readPath(record, segments.slice(0, -1)) : record;
  const last = segments[segments.length - 1]!;
  if (last.kind === 'key' && isRecord(parent)) delete parent[last.key];
}

/** Parsed normalized paths: constraints are checked on every record with the same few paths. */
const normalizedCache = new Map<string, Segment[]>();

function normalizedSegments(normalized: string): Segment[] {
  let segments = normalizedCache.get(normalized);
  if (!segments) {
    segments = parsePath(normalized).segments;
    // Paths come from the loaded specs; the bound only keeps a caller with endless paths finite.
    if (normalizedCache.size >= 1000) normalizedCache.clear();
    normalizedCache.set(normalized, segments);
  }
  return segments;
}

/**
 * Every concrete location of a normalized path in a record, with its value, without formatting
 * the paths: what `concreteLocations` gives, for a caller that formats one only when it has
 * something to say about it (the mapper's constraint checks, on every line of every order).
 */
export function locate(record: unknown, normalized: string): { segments: Segment[]; value: unknown }[] {
  const found: { segments: Segment[]; value: unknown }[] = [];
  collectLocations(record, normalizedSegments(normalized), 0, [], found);
  return found;
}

/** Depth first, so the locations come in document order ("lines[0].sku" before "lines[1].sku"). */
function collectLocations(value: unknown, segments: Segment[], i: number, at: Segment[], found: { segments: Segment[]; value: unknown }[]): void {
  if (i === segments.length) {
    found.push({ segments: at.slice(), value });
    return;
  }
  const s = segments[i]!;
  if (s.kind === 'key') {
    if (!isRecord(value) || !(s.key in value)) return;
    at.push(s);
    collectLocations(value[s.key], segments, i + 1, at, found);
    at.pop();
  } else if (s.kind === 'each') {
    if (!Array.isArray(value)) return;
    for (let index = 0; index < value.length; index++) {
      at.push({ kind: 'index', index });
      collectLocations(value[index], segments, i + 1, at, found);
      at.pop();
    }
  } else if (s.kind === 'index') {
    if (!Array.isArray(value) || s.index >= value.length) return;
    at.push(s);
    collectLocations(value[s.index], segments, i + 1, at, found);
    at.pop();
  }
}

/**
 * Every concrete location of a normalized path in a record, with its value:
 * ("lines[].sku", record) -> [["lines[0].sku", "A"], ["lines[1].sku", "B"]].
 */
export function concreteLocations(record: unknown, normalized: string): { path: string; segments: Segment[]; value: unknown }[] {
  return locate(record, normalized).map((l) => ({ path: formatSegments(l.segments), segments: l.segments, value: l.value }));
}
