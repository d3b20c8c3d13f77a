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

/** Query parameters with a clear 400/422 when a filter has the wrong type. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, status: 400 | 422 = 422): z.infer<S> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    const first = Object.entries(fields)[0];
    throw new HttpError(status, `Invalid query parameter${first ? ` ${first[0]}: ${first[1]}` : ''}`, fields);
  }
  return result.data;
}
