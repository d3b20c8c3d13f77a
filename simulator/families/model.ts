/**
 * The declarative model of a resource family (issue 13): what one module says about a slice of the
 * Management API so that ONE engine (engine.ts) can serve it, instead of a hand-written route file
 * per resource. A family declares
 *
 * - its resources: a ledger name, how ids are made (integer sequence, uuid or a singleton), seeded
 *   records, how input becomes a record, field filters, sorting, batch limits, the webhook scopes
 *   each change raises, and side effects (a cascade, a check against another resource);
 * - its routes: method, the official spec's path key (served as is under `/v2` or `/v3`), the
 *   operation (list, get, create, update, delete, delete-by-filter, batch create, batch update, or a
 *   custom handler), the OAuth scope area, the body schema and the official document it follows.
 *
 * Nothing here knows HTTP: the engine answers `{status, body}` and throws DomainError; the adapter
 * in simulator/http/routes/families.ts mounts the routes behind the API pipeline (auth, scopes,
 * quota, ledger, error envelopes), like every hand-written route.
 */
import type { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import type { Random } from '../../lib/random.ts';
import type { Store } from '../domain/store.ts';

/** OAuth scope areas a family route can demand (bigcommerce-facts.md section a); each has a `_read_only` twin. */
export type FamilyScope = 'store_cart' | 'store_checkout' | 'store_v2_orders' | 'store_v2_transactions' | 'store_v2_information' | 'store_v2_products' | 'store_channel_settings' | 'store_sites' | 'store_v2_customers' | 'store_inventory' | 'store_locations';

export type Envelope = 'v2' | 'v3';

/** `natural`: the record brings its own id (a channel's currency assignment is keyed by the channel id). */
export type IdKind = 'sequence' | 'uuid' | 'singleton' | 'natural';

/** `batch-delete`: the body is an array of ids (the metafield batch endpoints). */
export type OperationKind = 'list' | 'get' | 'create' | 'update' | 'delete' | 'delete-by-filter' | 'batch-create' | 'batch-update' | 'batch-delete' | 'custom';

/** One record as stored: any JSON object with an id (a number, or a uuid string). */
export type Item = { id: number | string } & Record<string, unknown>;

/** A per-store table of one resource, with the ledger and webhooks wired into every change. */
export interface Collection<T extends Item = Item> {
  readonly resource: ResourceDecl<T>;
  all(): T[];
  find(id: number | string): T | undefined;
  /** The record, or the platform's 404 naming the resource. */
  require(id: number | string): T;
  /** Assign an id, store, record `resource:created`, raise the created scope. */
  insert(record: Omit<T, 'id'> & { id?: number | string }): T;
  /** Replace the record with `next` (same id), record `resource:updated`, raise the updated scope. */
  replace(next: T): T;
  /** Remove, run the resource's `onDelete`, record `resource:deleted`, raise the deleted scope. */
  remove(id: number | string): T;
  /** The next id a sequence would give (for seeds that must not collide). */
  nextId(): number;
}

/** What seeding, input mapping, checks and custom handlers get to see. */
export interface FamilyContext {
  store: Store;
  clock: Clock;
  /** A seeded stream for this store's family data (uuids, seeded values). */
  random: Random;
  /** The store's seed (the same seed gives the same families). */
  seed: number;
  /** Simulated epoch ms the store was created or last reset: seeded records are dated before it. */
  seededAt: number;
  nowIso(): string;
  collection<T extends Item = Item>(name: string): Collection<T>;
}

/** A query filter: which parameter, and a predicate over the record with the parsed value. */
export interface FilterDecl<T extends Item = Item> {
  /** Type of the parameter's value; a value that does not parse is a 422 (V3) or 400 (V2) naming it. */
  type: 'int' | 'string' | 'bool' | 'int-list' | 'string-list';
  /** `ctx` lets a filter read the store (a price record's `sku:in` reads the catalog's variants). */
  test(item: T, value: never, ctx?: FamilyContext): boolean;
}

export interface SortDecl<T extends Item = Item> {
  /** Sort keys by the `sort` parameter's value. */
  keys: Record<string, (item: T) => string | number>;
  /** The separate direction parameter (brands: `direction=asc|desc`); otherwise `sort=name:desc` is accepted. */
  directionParam?: string;
}

export interface WebhookDecl<T extends Item = Item> {
  /** Webhook `data.type` (webhooks.v3.yml: `category`, `channel`, ...). */
  type: string;
  created?: string;
  updated?: string;
  deleted?: string;
  /** Store-level events carry only `{type}` (`store/information/updated`, webhooks.v3.yml). */
  omitId?: boolean;
  /** Extra `data` fields beyond `{type, id}`. */
  data?(item: T): Record<string, unknown>;
}

export interface ResourceDecl<T extends Item = Item> {
  /** The ledger's `resource` name (`category`, `brand`, ...). */
  name: string;
  /** What a 404 calls it ("category"). */
  label: string;
  id: IdKind;
  /** First id of a sequence (default 1). */
  firstId?: number;
  seed?(ctx: FamilyContext): T[];
  /**
   * Records the Store keeps itself (carts: shopper activity, order placement and abandonment use
   * the same map), so the family and the store's own paths share one table instead of two copies.
   * The collection neither seeds nor clears it: the store's reset does.
   */
  table?(ctx: FamilyContext): Map<number | string, T>;
  /** Input (validated by the route's body schema) -> a full record without its id: fill the platform's defaults. */
  create?(input: Record<string, unknown>, ctx: FamilyContext): Omit<T, 'id'>;
  /** Merge a validated patch into a record (default: a shallow merge). */
  update?(item: T, patch: Record<string, unknown>, ctx: FamilyContext): T;
  /** Cross-record rules (a unique name, an existing parent): throw DomainError. `previous` is absent on create. */
  check?(next: T, ctx: FamilyContext, previous?: T): void;
  /** Side effects after a change is recorded (a new default currency un-defaults the others and updates the store profile). */
  afterChange?(when: 'created' | 'updated' | 'deleted', item: T, ctx: FamilyContext, previous?: T): void;
  /** Side effects of a delete (a cascade to children, freeing an assignment). Runs before the record is removed. */
  onDelete?(item: T, ctx: FamilyContext): void;
  filters?: Record<string, FilterDecl<T>>;
  sort?: SortDecl<T>;
  /** Most items in one batch create or update (`413` above it, like the platform). */
  batchLimit?: number;
  webhooks?: WebhookDecl<T>;
}

/** A request as the engine sees it: no HTTP objects. */
export interface OperationRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** The calling API account (for per-client data). */
  clientId: string;
}

export interface OperationAnswer {
  status: number;
  /** undefined: no body (204). */
  body?: unknown;
}

export interface RouteDecl {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The official spec's path key, relative to the API version's base (`/catalog/categories/{category_id}`). */
  path: string;
  op: OperationKind;
  /** The resource it works on (custom handlers may touch others). */
  resource: string;
  scope: FamilyScope;
  /** The official document of this operation: a file in bigcommerce-specs/current or more, and its path key when it differs. */
  spec: { file: string; path?: string };
  /** Success status (default 200; 204 for delete and delete-by-filter). */
  status?: number;
  /** Request body schema (create and update: one record; the batch ops wrap it in an array). */
  body?: z.ZodType;
  /** The record as this route answers it (default: the stored record). */
  view?(item: Item, ctx: FamilyContext): unknown;
  /** Which records the route sees (a path parameter scoping a sub-collection: a site's routes, a tree's categories). */
  scopeTo?(item: Item, req: OperationRequest, ctx: FamilyContext): boolean;
  /** Checks the path's parents before any operation (a product's image list answers 404 for a product that does not exist, even when no image exists). */
  guard?(req: OperationRequest, ctx: FamilyContext): void;
  /** Fields a create takes from the path or the caller (`{site_id}` -> `site_id`); `input` is the validated item. */
  fromPath?(req: OperationRequest, ctx: FamilyContext, input: Record<string, unknown>): Record<string, unknown>;
  /** List meta other than the standard V3 pagination (sites: `{offset, limit, total_items}`). */
  listMeta?: 'pagination' | 'sites' | 'none';
  /** Filters of this route when they differ from the resource's (tree categories filter on `category_id:in`). */
  filters?: Record<string, FilterDecl<any>>;
  /** Batch ops: the id field of each item (default `id`; tree categories use `category_id`). */
  idField?: string;
  /**
   * Batch ops: the answer (default `data`: `{data, meta: {}}`; `data+totals` and `totals` add
   * `meta: {total, success, failed}`; `data+errors` adds that and an empty `errors`, as the
   * metafield batches answer; `transaction` answers only `{transaction_id}`, as the locations
   * batches and their delete-by-filter do).
   */
  batchAnswer?: 'data' | 'data+totals' | 'totals' | 'data+errors' | 'transaction';
  /** Lists: the largest `limit` (default 250; the inventory documents allow 1000 items per page). */
  maxLimit?: number;
  /** Lists: also page by `before`/`after` cursors when sent (metafields), answering `meta.cursor_pagination`. */
  cursor?: boolean;
  /** The API version when it differs from the family's (store metafields are V3 in the store-information family). */
  envelope?: Envelope;
  /** delete-by-filter: allow a call with no filter at all (default: refuse it, naming the filters). */
  allowUnfiltered?: boolean;
  /** Operation `custom`: the whole answer. */
  handler?(req: OperationRequest, ctx: FamilyContext): OperationAnswer;
  /** One line for the operations table. */
  summary: string;
}

export interface FamilyDecl {
  /** Short name for the registry and docs (`categories`). */
  name: string;
  envelope: Envelope;
  /** Resources in seeding order (a category tree before its categories). */
  resources: ResourceDecl<any>[];
  routes: RouteDecl[];
}
