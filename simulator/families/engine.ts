/**
 * The one engine that serves every declared family (model.ts): it turns a route declaration and a
 * request into the platform's answer. Listing filters, sorts and pages; get, create, update and
 * delete go through the resource's Collection (state.ts), so each change is in the ledger and
 * raises its webhook scopes. Bodies are checked with the route's zod schema and every failure
 * names the field, in the route's API version: V3 answers 422 `{status, title, type, errors}`,
 * V2 answers 400 `[{status, message, details: {invalid_reason}}]` (the error middleware renders
 * the DomainError), as the hand-written routes do.
 *
 * Envelopes: V3 `{data, meta}` with `meta.pagination` on lists; V2 bare arrays and objects, and an
 * empty V2 list is 204 with no body (bigcommerce-facts.md sections d and e).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { paginate, projectFields } from '../http/pagination.ts';
import { seededUuid } from './state.ts';
import type { Envelope, FamilyContext, FamilyDecl, FilterDecl, Item, OperationAnswer, OperationRequest, ResourceDecl, RouteDecl } from './model.ts';

/** Query parameters the engine reads itself; every other declared one is a filter. */
export const RESERVED_PARAMS = ['page', 'limit', 'sort', 'direction', 'include_fields', 'exclude_fields', 'before', 'after'] as const;

/** The platform's maximum page size and default (bigcommerce-facts.md section e). */
export const MAX_LIMIT = 250;
export const DEFAULT_LIMIT = 50;
/** Batch size when a resource declares none. */
export const DEFAULT_BATCH_LIMIT = 50;

const invalid = (envelope: Envelope, message: string, fields: Record<string, string>) =>
  new DomainError(envelope === 'v2' ? 'bad-request' : 'unprocessable', message, fields);

/** zod issues as `field -> message`, with array positions as `[0].name` like the hand-written routes. */
function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length === 0 ? 'body' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
    fields[path] ??= issue.message;
  }
  return fields;
}

/** A singleton's or natural record's view without the `id` the collection keys it by. */
export const withoutId = <T extends Item>(item: T): Omit<T, 'id'> => {
  const { id: _id, ...rest } = item;
  return rest;
};

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, envelope: Envelope): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldsOf(result.error);
  const [first] = Object.entries(fields);
  throw invalid(envelope, `JSON data is missing or invalid${first ? `: ${first[0]} ${first[1]}` : ''}`, fields);
}

export function parseFilterValue(decl: FilterDecl<any>, name: string, raw: unknown, envelope: Envelope): unknown {
  const text = String(raw);
  const int = (s: string) => {
    const t = s.trim();
    if (!/^-?\d+$/.test(t)) throw invalid(envelope, `Invalid query parameter ${name}: "${s}" is not an integer`, { [name]: 'must be an integer (or a comma-separated list of integers for :in filters)' });
    return Number(t);
  };
  switch (decl.type) {
    case 'int':
      return int(text);
    case 'int-list':
      return text.split(',').filter((s) => s.trim() !== '').map(int);
    case 'string':
      return text;
    case 'string-list':
      return text.split(',');
    case 'bool':
      if (['true', '1'].includes(text)) return true;
      if (['false', '0'].includes(text)) return false;
      throw invalid(envelope, `Invalid query parameter ${name}: "${text}" is not a boolean`, { [name]: 'must be true or false' });
    default:
      return decl.type satisfies never;
  }
}

/** The records a list or delete-by-filter selects; `used` says whether any filter was given. */
function select(route: RouteDecl, resource: ResourceDecl<any>, req: OperationRequest, ctx: FamilyContext, envelope: Envelope): { items: Item[]; used: string[] } {
  const filters = route.filters ?? resource.filters ?? {};
  const active = Object.entries(filters)
    .filter(([name]) => req.query[name] !== undefined)
    .map(([name, decl]) => ({ name, decl, value: parseFilterValue(decl, name, req.query[name], envelope) }));
  const items = ctx
    .collection(route.resource)
    .all()
    .filter((item) => (route.scopeTo ? route.scopeTo(item, req, ctx) : true))
    .filter((item) => active.every(({ decl, value }) => decl.test(item as never, value as never, ctx)));
  return { items, used: active.map((a) => a.name) };
}

function sortItems(items: Item[], resource: ResourceDecl<any>, req: OperationRequest, envelope: Envelope): Item[] {
  const sort = req.query.sort;
  if (sort === undefined || !resource.sort) return items;
  const [field, inlineDir] = String(sort).split(':');
  const key = resource.sort.keys[field!];
  if (!key) throw invalid(envelope, `Invalid query parameter sort: "${sort}" is not a sort field`, { sort: `must be one of ${Object.keys(resource.sort.keys).join(', ')}` });
  const dirParam = resource.sort.directionParam;
  const dir = String((dirParam ? req.query[dirParam] : inlineDir) ?? 'asc');
  if (dir !== 'asc' && dir !== 'desc') throw invalid(envelope, `Invalid query parameter ${dirParam ?? 'sort'}: "${dir}" is not a direction`, { [dirParam ?? 'sort']: 'direction must be asc or desc' });
  const sign = dir === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const byKey = typeof ka === 'string' && typeof kb === 'string' ? ka.localeCompare(kb) : ka < kb ? -1 : ka > kb ? 1 : 0;
    return (byKey || String(a.id).localeCompare(String(b.id), undefined, { numeric: true })) * sign;
  });
}

/** `max`: the route's largest page (`maxLimit`; the inventory lists take 1000). */
export function pageParams(req: OperationRequest, envelope: Envelope, max = MAX_LIMIT): { page: number; limit: number } {
  const read = (name: 'page' | 'limit', fallback: number, max: number) => {
    const raw = req.query[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(String(raw)) || n < 1 || n > max) throw invalid(envelope, `Invalid query parameter ${name}: "${String(raw)}"`, { [name]: `must be an integer from 1 to ${max}` });
    return n;
  };
  return { page: read('page', 1, Number.MAX_SAFE_INTEGER), limit: read('limit', DEFAULT_LIMIT, max) };
}

/** The path parameter naming the record: the last `{...}` of the path. */
function idOf(route: RouteDecl, req: OperationRequest, resource: ResourceDecl<any>): string {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const value = req.params[names.at(-1)!] ?? '';
  if (resource.id === 'sequence' && !/^\d+$/.test(value)) throw new DomainError('not-found', `The requested ${resource.label} was not found: "${value}" is not a valid id.`);
  return value;
}

function requireInScope(route: RouteDecl, req: OperationRequest, ctx: FamilyContext, resource: ResourceDecl<any>): Item {
  const collection = ctx.collection(route.resource);
  // A singleton (the store's profile) has no id in its path.
  const item = resource.id === 'singleton' ? collection.require(1) : collection.require(idOf(route, req, resource));
  if (route.scopeTo && !route.scopeTo(item, req, ctx)) throw new DomainError('not-found', `The requested ${resource.label} was not found.`);
  return item;
}

const view = (route: RouteDecl, item: Item, ctx: FamilyContext) => (route.view ? route.view(item, ctx) : item);
const one = (envelope: Envelope, data: unknown) => (envelope === 'v3' ? { data, meta: {} } : data);

function batchOf(route: RouteDecl, resource: ResourceDecl<any>, body: unknown, envelope: Envelope): Record<string, unknown>[] {
  const limit = resource.batchLimit ?? DEFAULT_BATCH_LIMIT;
  if (!Array.isArray(body)) throw invalid(envelope, 'JSON data is missing or invalid: the body must be an array of records', { body: 'must be an array' });
  if (body.length === 0) throw invalid(envelope, 'JSON data is missing or invalid: the array is empty', { body: 'at least one record is required' });
  if (body.length > limit) throw new DomainError('too-large', `The request payload is too large. The maximum items allowed in the array is ${limit}.`, { body: `at most ${limit} ${resource.label} records per request` });
  return body as Record<string, unknown>[];
}

function batchAnswer(route: RouteDecl, ctx: FamilyContext, items: Item[]): unknown {
  const totals = { total: items.length, success: items.length, failed: 0 };
  switch (route.batchAnswer ?? 'data') {
    case 'data':
      return { data: items.map((i) => view(route, i, ctx)), meta: {} };
    case 'data+totals':
      return { data: items.map((i) => view(route, i, ctx)), meta: totals };
    case 'totals':
      return { meta: totals };
    case 'data+errors':
      return { data: items.map((i) => view(route, i, ctx)), errors: [], meta: totals };
    case 'transaction':
      return { transaction_id: seededUuid(ctx.random) };
  }
}

const merge = (resource: ResourceDecl<any>, item: Item, patch: Record<string, unknown>, ctx: FamilyContext): Item =>
  resource.update ? resource.update(item, patch, ctx) : { ...item, ...patch, id: item.id };

/** Serve one operation of a family. Throws DomainError for the platform's 4xx answers. */
export function runOperation(family: FamilyDecl, route: RouteDecl, req: OperationRequest, ctx: FamilyContext): OperationAnswer {
  if (route.op === 'custom') {
    // A custom handler may work on another family's resource (a channel's site is a site).
    if (!route.handler) throw new Error(`Family ${family.name}: custom route ${route.method} ${route.path} declares no handler.`);
    return route.handler(req, ctx);
  }
  route.guard?.(req, ctx);
  // The resource may be declared by another family (metafields serve categories, brands, channels, the store).
  const collection = ctx.collection(route.resource);
  const { resource } = collection;
  const envelope = route.envelope ?? family.envelope;
  const body = <S extends z.ZodType>(value: unknown) => (route.body ? (parseWith(route.body as S, value, envelope) as Record<string, unknown>) : ((value ?? {}) as Record<string, unknown>));

  switch (route.op) {
    case 'list': {
      const { page, limit } = pageParams(req, envelope, route.maxLimit);
      const all = sortItems(select(route, resource, req, ctx, envelope).items, resource, req, envelope);
      const include = req.query.include_fields as string | undefined;
      const exclude = req.query.exclude_fields as string | undefined;
      const project = (items: Item[]) => items.map((i) => projectFields(view(route, i, ctx) as object, include, exclude));
      if (route.cursor && (req.query.before !== undefined || req.query.after !== undefined)) return cursorPage(all, limit, req, envelope, project);
      const paged = paginate(all, page, limit);
      const data = project(paged.data);
      if (envelope === 'v2') return data.length === 0 ? { status: 204 } : { status: 200, body: data };
      const meta = (route.listMeta ?? 'pagination') === 'pagination' ? paged.meta : route.listMeta === 'sites' ? { pagination: { offset: (page - 1) * limit, limit, total_items: all.length } } : {};
      return { status: route.status ?? 200, body: { data, meta } };
    }
    case 'get':
      return { status: route.status ?? 200, body: one(envelope, view(route, requireInScope(route, req, ctx, resource), ctx)) };
    case 'create': {
      if (!resource.create) throw new Error(`Family ${family.name}: resource ${resource.name} declares no create.`);
      const parsed = body(req.body);
      const input = { ...parsed, ...(route.fromPath?.(req, ctx, parsed) ?? {}) };
      const item = collection.insert(resource.create(input, ctx) as Item);
      return { status: route.status ?? 200, body: one(envelope, view(route, item, ctx)) };
    }
    case 'update': {
      const item = requireInScope(route, req, ctx, resource);
      const patch = body(req.body);
      const updated = collection.replace(merge(resource, item, patch, ctx));
      return { status: route.status ?? 200, body: one(envelope, view(route, updated, ctx)) };
    }
    case 'delete':
      collection.remove(requireInScope(route, req, ctx, resource).id);
      return { status: route.status ?? 204 };
    case 'delete-by-filter': {
      const { items, used } = select(route, resource, req, ctx, envelope);
      if (used.length === 0 && !route.allowUnfiltered) {
        const names = Object.keys(route.filters ?? resource.filters ?? {});
        throw invalid(envelope, `Failed to delete ${resource.label} records: no filter given. Send at least one of ${names.join(', ')} (a delete of everything is refused).`, { filter: `one of ${names.slice(0, 6).join(', ')} is required` });
      }
      // A cascade may already have taken a record's children: delete what is still there.
      let deleted = 0;
      for (const item of items) {
        if (!collection.find(item.id)) continue;
        collection.remove(item.id);
        deleted++;
      }
      if (route.batchAnswer === 'totals') return { status: route.status ?? 200, body: { meta: { total: deleted, success: deleted, failed: 0 } } };
      if (route.batchAnswer === 'transaction') return { status: route.status ?? 200, body: { transaction_id: seededUuid(ctx.random) } };
      return { status: route.status ?? 204 };
    }
    case 'batch-create': {
      if (!resource.create) throw new Error(`Family ${family.name}: resource ${resource.name} declares no create.`);
      const inputs = batchOf(route, resource, req.body, envelope).map((raw, i) => {
        try {
          return body(raw);
        } catch (error) {
          throw prefixed(error, i);
        }
      });
      const drafts = inputs.map((input, i) => {
        try {
          const draft = resource.create!({ ...input, ...(route.fromPath?.(req, ctx, input) ?? {}) }, ctx);
          // Check every item against the store first, so a batch with a bad one creates nothing.
          // A stand-in id that matches no record, unless the record brings its own (natural ids).
          resource.check?.({ ...draft, id: resource.id === 'natural' ? (draft as Item).id : -(i + 1) } as Item, ctx);
          return draft;
        } catch (error) {
          throw prefixed(error, i);
        }
      });
      const created = drafts.map((draft, i) => {
        try {
          return collection.insert(draft as Item);
        } catch (error) {
          // Only a clash between two items of the same batch gets here, after the ones before it were made.
          throw prefixed(error, i);
        }
      });
      return { status: route.status ?? 200, body: batchAnswer(route, ctx, created) };
    }
    case 'batch-delete': {
      const ids = parseWith(zArrayOfIds, req.body, envelope);
      if (ids.length > (resource.batchLimit ?? DEFAULT_BATCH_LIMIT)) throw new DomainError('too-large', `The request payload is too large. The maximum items allowed in the array is ${resource.batchLimit ?? DEFAULT_BATCH_LIMIT}.`, { body: `at most ${resource.batchLimit ?? DEFAULT_BATCH_LIMIT} ids per request` });
      // Check every id first, so a batch with an unknown one deletes nothing.
      ids.forEach((id, i) => {
        const found = collection.find(id);
        if (!found || (route.scopeTo && !route.scopeTo(found, req, ctx))) throw invalid(envelope, `Failed to delete ${resource.label} records: [${i}] ${id} does not exist.`, { [`[${i}]`]: `${resource.label} ${id} not found` });
      });
      for (const id of ids) collection.remove(id);
      return { status: route.status ?? 200, body: { data: ids, errors: [], meta: { total: ids.length, success: ids.length, failed: 0 } } };
    }
    case 'batch-update': {
      const idField = route.idField ?? 'id';
      const patches = batchOf(route, resource, req.body, envelope).map((raw, i) => {
        try {
          return body(raw);
        } catch (error) {
          throw prefixed(error, i);
        }
      });
      // Check every id first, so a batch with an unknown one changes nothing.
      const targets = patches.map((patch, i) => {
        const found = collection.find(patch[idField] as number | string);
        if (!found || (route.scopeTo && !route.scopeTo(found, req, ctx))) throw invalid(envelope, `Failed to update ${resource.label} records: [${i}].${idField} ${String(patch[idField])} does not exist.`, { [`[${i}].${idField}`]: `${resource.label} not found` });
        return found;
      });
      const merged = patches.map((patch, i) => {
        const { [idField]: _id, ...rest } = patch;
        try {
          const next = merge(resource, targets[i]!, rest, ctx);
          resource.check?.(next, ctx, targets[i]);
          return next;
        } catch (error) {
          throw prefixed(error, i);
        }
      });
      const updated = merged.map((next, i) => {
        try {
          return collection.replace(next);
        } catch (error) {
          throw prefixed(error, i);
        }
      });
      return { status: route.status ?? 200, body: batchAnswer(route, ctx, updated) };
    }
    default:
      return route.op satisfies never;
  }
}

/** An integer id, also as a numeric string (the store's metafields answer their ids as strings, and clients send them back). */
export const integerId = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number('must be an integer id').int().positive('must be a positive integer id'));
const zArrayOfIds = z.array(integerId).min(1, 'at least one id is required');

const encodeCursor = (id: number | string) => Buffer.from(String(id)).toString('base64url');
const decodeCursor = (cursor: unknown) => Buffer.from(String(cursor), 'base64url').toString('utf8');

/**
 * Cursor paging (`after`/`before`, bigcommerce-facts.md section e): the page after (or before) the
 * record the cursor names, with `meta.cursor_pagination`. Cursors are opaque base64 of an id.
 */
function cursorPage(all: Item[], limit: number, req: OperationRequest, envelope: Envelope, project: (items: Item[]) => object[]): OperationAnswer {
  const position = (cursor: unknown, name: string) => {
    const at = all.findIndex((i) => String(i.id) === decodeCursor(cursor));
    if (at < 0) throw invalid(envelope, `Invalid query parameter ${name}: the cursor does not name a record of this list. Use start_cursor or end_cursor from a previous page.`, { [name]: 'unknown cursor' });
    return at;
  };
  const start = req.query.after !== undefined ? position(req.query.after, 'after') + 1 : Math.max(0, position(req.query.before, 'before') - limit);
  const end = req.query.after !== undefined ? start + limit : position(req.query.before, 'before');
  const items = all.slice(start, end);
  const links: Record<string, string> = {};
  if (items.length > 0) {
    links.current = `?limit=${limit}&after=${encodeCursor(all[start - 1]?.id ?? '')}`;
    if (end < all.length) links.next = `?limit=${limit}&after=${encodeCursor(items.at(-1)!.id)}`;
    if (start > 0) links.previous = `?limit=${limit}&before=${encodeCursor(items[0]!.id)}`;
  }
  const cursor_pagination = { count: items.length, per_page: limit, start_cursor: items.length > 0 ? encodeCursor(items[0]!.id) : '', end_cursor: items.length > 0 ? encodeCursor(items.at(-1)!.id) : '', links };
  return { status: 200, body: { data: project(items), meta: { cursor_pagination } } };
}

/** A batch item's error names its position: `name` becomes `[2].name`. */
function prefixed(error: unknown, index: number): unknown {
  if (!(error instanceof DomainError)) return error;
  const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.startsWith('[') ? k : k === 'body' ? `[${index}]` : `[${index}].${k}`, v]));
  return new DomainError(error.kind, error.message, fields);
}
