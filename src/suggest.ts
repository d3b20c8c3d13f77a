/**
 * "Did you mean": the nearest known names to one that is not known (a scenario, an integration, a
 * measure, a key of a config or assumptions file), and readable messages for what a zod schema
 * refused. One rule for every command, so a typo gets the same help whichever flag or file it is
 * in, and the message names the mistake instead of dumping every name there is.
 */
import { z } from 'zod';

export type DataPath = (string | number)[];

export interface ClosestOptions {
  /** At most this many names (default 3). */
  max?: number;
  /**
   * Largest edit distance still suggested. Default: a candidate that starts with the name (a
   * name cut short), or one within 40% (at least 1 edit) of what differs once the prefix and
   * suffix both share are set aside, so "orders.lostt" finds "orders.lost" but "orders.happiness"
   * does not find "orders.late" just because both begin with "orders.".
   */
  within?: number;
}

/**
 * Edit distance where swapping two neighbouring letters is one edit, as typing makes it
 * ("refernece"); fastest-levenshtein counts that as two. Optimal string alignment: no substring
 * is edited twice, which is all a typo needs.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** What two names do not share: both without their common prefix and suffix. */
function differing(a: string, b: string): [string, string] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  return [a.slice(p, a.length - q), b.slice(p, b.length - q)];
}

/**
 * The known names nearest to `name`, nearest first (case aside), and only the best and the
 * next-best distance, so a clear typo gets one answer rather than a list. `name` may itself be
 * one of them (a scenario's name given as a file that does not exist).
 */
export function closest(name: string, candidates: readonly string[], options: ClosestOptions = {}): string[] {
  const max = options.max ?? 3;
  const lower = name.toLowerCase();
  const near = (c: string, d: number): boolean => {
    if (options.within !== undefined) return d <= options.within;
    if (lower.length >= 4 && c.startsWith(lower)) return true;
    const [x, y] = differing(lower, c);
    return d <= Math.max(1, Math.ceil(Math.max(x.length, y.length) * 0.4));
  };
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter((s) => near(s.c.toLowerCase(), s.d))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const best = scored[0]?.d ?? 0;
  return scored
    .filter((s) => s.d <= best + 1)
    .slice(0, max)
    .map((s) => s.c);
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quotedAlternatives(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
}

/** ` Did you mean "x"?` (with the leading space, to append to a sentence), or '' when nothing is near. */
export function didYouMean(name: string, candidates: readonly string[], options: ClosestOptions = {}): string {
  const near = closest(name, candidates, options);
  return near.length > 0 ? ` Did you mean ${quotedAlternatives(near)}?` : '';
}

type ZodDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** The schema under optional, default, nullable and transform wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let cur = schema;
  for (let i = 0; i < 8; i++) {
    const def = defOf(cur);
    if (def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else break;
  }
  return cur;
}

/** The keys a zod schema allows at a path of the data (objects, records, arrays), for "did you mean" on an unknown key. */
export function knownKeys(schema: z.ZodType, at: DataPath): string[] {
  let s: z.ZodType | undefined = schema;
  for (const key of at) {
    if (!s) return [];
    const cur = unwrap(s);
    if (cur instanceof z.ZodObject) s = (cur.shape as Record<string, z.ZodType>)[String(key)];
    else if (cur instanceof z.ZodRecord) s = defOf(cur).valueType;
    else if (cur instanceof z.ZodArray) s = defOf(cur).element;
    else return [];
  }
  const last = s ? unwrap(s) : undefined;
  return last instanceof z.ZodObject ? Object.keys(last.shape) : [];
}

export function valueAt(data: unknown, at: DataPath): unknown {
  let cur = data;
  for (const k of at) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/** `acceptance.criteria[0].why`. */
export function formatPath(at: DataPath): string {
  return at.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** `criteria[0] (id "x")`: a list item is easier to find by its id than by its index. */
function placeOf(data: unknown, at: DataPath, root: string): string {
  const path = formatPath(root ? [root, ...at] : at);
  const item = valueAt(data, at);
  const id = typeof at.at(-1) === 'number' && item !== null && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
  return `${path}${typeof id === 'string' ? ` (id "${id}")` : ''}`;
}

/**
 * One readable sentence per problem zod found, naming the place (`acceptance.criteria[0] (id
 * "x")`) and the field: a missing field says what to write (the schema's own message when it has
 * one), an unknown key gets the nearest allowed key, a wrong choice the nearest allowed value. A
 * misspelt key is one mistake: its suggested key is not also reported as missing.
 */
export function readableIssues(error: z.ZodError, data: unknown, schema: z.ZodType, options: { root?: string } = {}): string[] {
  const root = options.root ?? '';
  const at = (issue: z.core.$ZodIssue): DataPath => issue.path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
  const explained = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = knownKeys(schema, at(issue));
    for (const key of issue.keys) for (const near of closest(key, allowed, { max: 1 })) explained.add(formatPath([...at(issue), near]));
  }
  const out: string[] = [];
  for (const issue of error.issues) {
    const path = at(issue);
    if (issue.code === 'unrecognized_keys') {
      const allowed = knownKeys(schema, path);
      const keys = issue.keys.map((k) => {
        const near = closest(k, allowed, { max: 1 });
        const help = near.length > 0 ? ` (did you mean "${near[0]}"?)` : allowed.length > 0 ? ` (allowed here: ${allowed.join(', ')})` : '';
        return `unknown key "${k}"${help}`;
      });
      const place = placeOf(data, path, root);
      out.push(`${place ? `${place}: ` : ''}${keys.join(', ')}`);
      continue;
    }
    const field = path.at(-1);
    const named = typeof field === 'string';
    const parent = named ? path.slice(0, -1) : path;
    const place = placeOf(data, parent, root);
    const prefix = place ? `${place}: ` : '';
    const got = valueAt(data, path);
    if (issue.code === 'invalid_type' && got === undefined && named) {
      if (explained.has(formatPath(path))) continue;
      // A schema's own message for a missing field already names it and says what to write.
      out.push(`${prefix}${issue.message.startsWith(`"${field}"`) ? issue.message : `"${field}" is required (${article(issue.expected)})`}`);
      continue;
    }
    if (issue.code === 'invalid_key') {
      out.push(`${prefix}key "${String(field)}": ${issue.issues.map((i) => i.message).join(', ')}`);
      continue;
    }
    // A schema's own message that names the field says all there is; zod's own get the value.
    if (named && issue.message.startsWith(`"${field}"`)) {
      out.push(`${prefix}${issue.message}`);
      continue;
    }
    const what = issue.message.replace(/^Invalid (input|option): /, '');
    const shown = got !== undefined && (typeof got !== 'object' || got === null) ? `, got ${JSON.stringify(got)}` : '';
    const near = issue.code === 'invalid_value' && typeof got === 'string' ? didYouMean(got, issue.values.filter((v): v is string => typeof v === 'string')) : '';
    out.push(`${prefix}${named ? `"${field}": ` : ''}${what}${shown}${near ? `.${near}` : ''}`);
  }
  return out;
}
