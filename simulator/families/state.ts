/**
 * Per-store state of the declared families: one Collection per resource, keyed off the Store
 * object (a WeakMap, so a store's families go when the store goes). A store is seeded lazily on
 * the first request that needs it, as of the simulated time it was created or last reset
 * (`resetFamilyState`, called by the simulator next to `store.reset()`), so the same seed gives the
 * same records whenever the first call comes. Every change goes through a Collection, which writes
 * the ledger (`resource:created|updated|deleted` with the full record, like the rest of the store)
 * and raises the resource's webhook scopes.
 */
import type { Clock } from '../../lib/clock.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { iso } from '../domain/format.ts';
import { createRandom, deriveSeed } from '../../lib/random.ts';
import type { Store } from '../domain/store.ts';
import type { Collection, FamilyContext, FamilyDecl, Item, ResourceDecl, WebhookDecl } from './model.ts';

interface StoreFamilies {
  ctx: FamilyContext;
  collections: Map<string, Collection>;
}

const states = new WeakMap<Store, StoreFamilies>();
const seededAt = new WeakMap<Store, number>();

/** Forget a store's family records; they are seeded again, as of `at`, on next use. */
export function resetFamilyState(store: Store, at: number): void {
  states.delete(store);
  seededAt.set(store, at);
}

export interface FamilyEnvironment {
  /** The simulator's seed; each store derives its own from it and its hash, like its catalog. */
  seed: number;
  clock: Clock;
  families: readonly FamilyDecl[];
}

/** The store's family context, seeding every declared resource on first use. */
export function familyContext(store: Store, env: FamilyEnvironment): FamilyContext {
  let state = states.get(store);
  if (!state) {
    state = createStoreFamilies(store, env, seededAt.get(store) ?? env.clock.now());
    states.set(store, state);
  }
  return state.ctx;
}

function createStoreFamilies(store: Store, env: FamilyEnvironment, at: number): StoreFamilies {
  const seed = deriveSeed(deriveSeed(env.seed, store.info.hash), 'families');
  const collections = new Map<string, Collection>();
  const ctx: FamilyContext = {
    store,
    clock: env.clock,
    random: createRandom(seed),
    seed,
    seededAt: at,
    nowIso: () => iso(env.clock.now()),
    collection<T extends Item>(name: string): Collection<T> {
      const found = collections.get(name);
      if (!found) throw new Error(`No declared family resource "${name}" (declared: ${[...collections.keys()].join(', ')}). Check the route's resource name.`);
      return found as unknown as Collection<T>;
    },
  };
  const resources = env.families.flatMap((f) => f.resources);
  for (const resource of resources) {
    if (collections.has(resource.name)) throw new Error(`Two families declare the resource "${resource.name}"; resource names must be unique.`);
    collections.set(resource.name, createCollection(resource, ctx));
  }
  // Seeds run in declaration order, each seeing the ones before it (categories see their trees).
  for (const resource of resources) {
    const records = resource.seed?.(ctx) ?? [];
    (collections.get(resource.name) as Collection & { load(items: Item[]): void }).load(records);
  }
  return { ctx, collections };
}

/** A version-4 style uuid from the seeded stream, so seeded and created uuids repeat per seed. */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Raise a declared webhook scope for a change (collections do it for every change; a family raises the scopes of records it keeps inside another, such as a cart's line items, through this too). */
export function raiseWebhook<T extends Item>(store: Store, hooks: WebhookDecl<T> | undefined, when: 'created' | 'updated' | 'deleted', item: T): void {
  const scope = hooks?.[when];
  if (!hooks || !scope) return;
  store.emit(scope, { type: hooks.type, ...(hooks.omitId ? {} : { id: item.id }), ...(hooks.data?.(item) ?? {}) });
}

function createCollection<T extends Item>(resource: ResourceDecl<T>, ctx: FamilyContext): Collection<T> & { load(items: T[]): void } {
  const items = resource.table?.(ctx) ?? new Map<number | string, T>();
  let next = resource.firstId ?? 1;
  const { store } = ctx;

  const raise = (when: 'created' | 'updated' | 'deleted', item: T) => raiseWebhook(store, resource.webhooks, when, item);
  // Path parameters arrive as strings; integer ids are stored as numbers.
  const key = (id: number | string) => (resource.id !== 'uuid' && typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id);

  return {
    resource,
    load(records) {
      // A store-kept table is the store's to clear (on reset), never the family's.
      if (resource.table) return;
      items.clear();
      for (const r of records) {
        items.set(r.id, r);
        if (typeof r.id === 'number' && r.id >= next) next = r.id + 1;
      }
    },
    all: () => [...items.values()],
    find: (id) => items.get(key(id)),
    require(id) {
      const found = items.get(key(id));
      if (!found) throw notFound(resource.label);
      return found;
    },
    insert(record) {
      if (resource.id === 'singleton' && items.size > 0) throw new DomainError('conflict', `The ${resource.label} already exists; update it instead.`);
      const id = resource.id === 'uuid' ? seededUuid(ctx.random) : resource.id === 'singleton' ? 1 : resource.id === 'natural' ? record.id : next;
      if (id === undefined) throw new Error(`Resource ${resource.name} has natural ids: its create must set id.`);
      if (items.has(id)) throw new DomainError('conflict', `The ${resource.label} ${id} already exists; update it instead.`, { id: 'already exists' });
      const { id: _given, ...fields } = record;
      // The id first, as the platform lists it.
      const item = { id, ...fields } as unknown as T;
      resource.check?.(item, ctx);
      if (resource.id === 'sequence') next++;
      items.set(id, item);
      store.record({ kind: 'resource:created', resource: resource.name, id, body: item });
      raise('created', item);
      resource.afterChange?.('created', item, ctx);
      return item;
    },
    replace(nextItem) {
      const previous = items.get(nextItem.id);
      if (!previous) throw notFound(resource.label);
      resource.check?.(nextItem, ctx, previous);
      items.set(nextItem.id, nextItem);
      store.record({ kind: 'resource:updated', resource: resource.name, id: nextItem.id, body: nextItem });
      raise('updated', nextItem);
      resource.afterChange?.('updated', nextItem, ctx, previous);
      return nextItem;
    },
    remove(id) {
      const item = items.get(key(id));
      if (!item) throw notFound(resource.label);
      resource.onDelete?.(item, ctx);
      items.delete(item.id);
      store.record({ kind: 'resource:deleted', resource: resource.name, id: item.id, body: item });
      raise('deleted', item);
      resource.afterChange?.('deleted', item, ctx);
      return item;
    },
    nextId: () => next,
  };
}
