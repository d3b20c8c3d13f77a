/**
 * Request validation with zod at the edge: a bad body or query becomes a 422 (V3) or 400 (V2)
 * naming each field and what is wrong with it.
 */
import { z } from 'zod';
import { HttpError } from './errors.ts';

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length === 0 ? 'body' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
    fields[path] ??= issue.message;
  }
  return fields;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, status: 400 | 422 = 422): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    const first = Object.entries(fields)[0];
    throw new HttpError(status, `JSON data is missing or invalid${first ? `: ${first[0]} ${first[1]}` : ''}`, fields);
  }
  return result.data;
}

/** Positive integer path parameter, or 404 like the platform for a non-numeric id. */
export function idParam(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new HttpError(404, `The requested ${what} was not found: "${value}" is not a valid id.`);
  }
  return n;
}

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(250).default(50),
});

/**
 * Parameters whose value is a comma-separated list (`include`, `include_fields`, `exclude_fields`,
 * the control plane's `kinds`, and every `:in` / `:not_in` filter): a repeated one is joined into
 * one list, so `include_fields=a&include_fields=b` means `include_fields=a,b`.
 */
export function isListParam(name: string): boolean {
  return ['include', 'include_fields', 'exclude_fields', 'kinds'].includes(name) || name.endsWith(':in') || name.endsWith(':not_in');
}

/**
 * The query string parser hands a repeated parameter over as an array. Join a repeated list
 * parameter; refuse a repeated single-valued one the route reads (a 400/422 naming it), since
 * choosing one of the values silently would hide the client's bug. Parameters the route does not
 * read are left alone (ignored, as the platform ignores unknown parameters).
 */
export function normalizeQuery(query: unknown, known: ReadonlySet<string> | undefined, status: 400 | 422): Record<string, unknown> {
  // No prototype, like the query parser's own object: a `__proto__` parameter stays a plain key.
  const out: Record<string, unknown> = Object.create(null);
  if (!query || typeof query !== 'object') return out;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (!Array.isArray(value)) {
      out[name] = value;
      continue;
    }
    if (isListParam(name)) {
      out[name] = value.map(String).join(',');
      continue;
    }
    if (known && !known.has(name)) {
      out[name] = value;
      continue;
    }
    throw new HttpError(status, `Invalid query parameter ${name}: it was sent ${value.length} times; send it once`, {
      [name]: 'sent more than once; send a single value (list parameters take comma-separated values)',
    });
  }
  return out;
}

/** Query parameters with a clear 400/422 when a filter has the wrong type or is repeated. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, status: 400 | 422 = 422): z.infer<S> {
  const shape = schema instanceof z.ZodObject ? new Set(Object.keys(schema.shape)) : undefined;
  const result = schema.safeParse(normalizeQuery(query, shape, status));
  if (!result.success) {
    const fields = fieldErrors(result.error);
    const first = Object.entries(fields)[0];
    throw new HttpError(status, `Invalid query parameter${first ? ` ${first[0]}: ${first[1]}` : ''}`, fields);
  }
  return result.data;
}
