/**
 * Field-by-field comparison of an expected target record with the one the target received.
 * Paths are written the way the mapping specs and the document write them (`lines[3].sku`).
 *
 * An absent field, null and the empty text count as the same "empty": the specs leave optional
 * fields out when they are empty, and a target that echoes them as null or "" holds the same
 * information. Everything else must be equal; numbers within a rounding error of 1e-9.
 */
export interface FieldDiff {
  field: string;
  expected: unknown;
  actual: unknown;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function join(prefix: string, key: string | number): string {
  return typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
}

export function diffRecords(expected: unknown, actual: unknown, options: { limit?: number; only?: readonly string[]; subset?: boolean } = {}): FieldDiff[] {
  const limit = options.limit ?? 200;
  const out: FieldDiff[] = [];
  const walk = (e: unknown, a: unknown, path: string) => {
    if (out.length >= limit) return;
    if (isEmpty(e) && isEmpty(a)) return;
    if (isPlainObject(e) && isPlainObject(a)) {
      // subset: the target's resource carries more than was sent (ids, computed fields); only
      // what was sent is compared, at every level.
      const keys = new Set(options.subset ? Object.keys(e) : [...Object.keys(e), ...Object.keys(a)]);
      for (const k of keys) walk(e[k], a[k], join(path, k));
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) walk(e[i], a[i], join(path, i));
      return;
    }
    if (typeof e === 'number' && typeof a === 'number') {
      if (Math.abs(e - a) > 1e-9) out.push({ field: path || '(record)', expected: e, actual: a });
      return;
    }
    if (e !== a) out.push({ field: path || '(record)', expected: e, actual: a });
  };
  if (options.only) {
    // Compare only these top-level fields (a merging target keeps fields the flow never writes).
    for (const k of options.only) walk((expected as Record<string, unknown>)?.[k], (actual as Record<string, unknown>)?.[k], k);
  } else walk(expected, actual, '');
  return out;
}

/** A short text of a value for evidence tables. */
export function previewValue(v: unknown, max = 60): string {
  if (v === undefined) return '(absent)';
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
