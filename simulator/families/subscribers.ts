/**
 * Newsletter subscribers (subscribers.v3.yml). Seeded from the store's customers who accepted
 * marketing emails at signup (`accepts_product_review_abandoned_cart_emails`), so a marketing
 * integration finds the same people in both lists. Platform rules kept: the email is required,
 * valid and unique (409); `order_id` names an order of the store; `channel_id` a channel that
 * exists; changes raise `store/subscriber/created|updated|deleted` with `{type: 'subscriber', id}`
 * (webhooks.v3.yml). A delete of every subscriber needs at least one filter.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { intFilters, textFilters } from './filters.ts';
import type { FamilyDecl, Item, ResourceDecl } from './model.ts';

const FILE = 'subscribers.v3.yml';
const CONSENTS = ['marketing_newsletter', 'abandoned_cart'] as const;

export interface Subscriber extends Item {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  source: string;
  order_id: number | null;
  channel_id: number;
  consents: (typeof CONSENTS)[number][];
  date_created: string;
  date_modified: string;
}

const fields = {
  email: z.email('must be an email address').max(255),
  first_name: z.string().max(255).optional(),
  last_name: z.string().max(255).optional(),
  source: z.string().max(255).optional(),
  order_id: z.number().int().min(1).max(2_147_483_647).nullable().optional(),
  channel_id: z.number().int().min(1).max(2_147_483_647).optional(),
  consents: z.array(z.enum(CONSENTS)).optional(),
};
const createBody = z.object(fields);
const updateBody = createBody.partial();

const dateFilter = (get: (s: Subscriber) => string, op: 'eq' | 'min' | 'max') => ({
  type: 'string' as const,
  test: (s: Subscriber, value: string) => {
    const at = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    const mine = Date.parse(get(s));
    // A value that is not a date matches nothing rather than everything.
    if (Number.isNaN(at)) return false;
    return op === 'eq' ? new Date(mine).toISOString().slice(0, 10) === new Date(at).toISOString().slice(0, 10) : op === 'min' ? mine >= at : mine <= at;
  },
});

export const subscriberResource: ResourceDecl<Subscriber> = {
  name: 'subscriber',
  label: 'subscriber',
  id: 'sequence',
  seed: (ctx) =>
    [...ctx.store.customers.values()]
      .filter((c) => c.accepts_product_review_abandoned_cart_emails)
      .map((c, i) => ({ id: i + 1, email: c.email, first_name: c.first_name, last_name: c.last_name, source: 'storefront', order_id: null, channel_id: 1, consents: ['marketing_newsletter', 'abandoned_cart'], date_created: c.date_created, date_modified: c.date_created })),
  create: (input, ctx) => {
    const now = ctx.nowIso();
    return { first_name: '', last_name: '', source: input.order_id ? 'order' : 'custom', order_id: null, channel_id: 1, consents: ['marketing_newsletter'], ...(input as Partial<Subscriber>), email: String(input.email), date_created: now, date_modified: now } as Omit<Subscriber, 'id'>;
  },
  update: (item, patch, ctx) => ({ ...item, ...patch, id: item.id, date_created: item.date_created, date_modified: ctx.nowIso() }) as Subscriber,
  check(next, ctx) {
    const clash = ctx.collection<Subscriber>('subscriber').all().find((s) => s.id !== next.id && s.email.toLowerCase() === next.email.toLowerCase());
    if (clash) throw new DomainError('conflict', `Failed to save the subscriber: ${next.email} is already subscribed (subscriber ${clash.id}). Update that one instead.`, { email: 'already subscribed' });
    if (next.order_id !== null && !ctx.store.orders.has(next.order_id)) throw new DomainError('unprocessable', `Failed to save the subscriber: order ${next.order_id} does not exist.`, { order_id: `order ${next.order_id} not found` });
    if (!ctx.collection('channel').find(next.channel_id)) throw new DomainError('unprocessable', `Failed to save the subscriber: channel ${next.channel_id} does not exist.`, { channel_id: `channel ${next.channel_id} not found` });
  },
  filters: {
    ...intFilters<Subscriber>('id', (s) => s.id, ['eq', 'in']),
    ...textFilters<Subscriber>('email', (s) => s.email, ['eq']),
    ...textFilters<Subscriber>('first_name', (s) => s.first_name, ['eq']),
    ...textFilters<Subscriber>('last_name', (s) => s.last_name, ['eq']),
    ...textFilters<Subscriber>('source', (s) => s.source, ['eq']),
    order_id: { type: 'int', test: (s, id: number) => s.order_id === id },
    date_created: dateFilter((s) => s.date_created, 'eq'),
    'date_created:min': dateFilter((s) => s.date_created, 'min'),
    'date_created:max': dateFilter((s) => s.date_created, 'max'),
    date_modified: dateFilter((s) => s.date_modified, 'eq'),
    'date_modified:min': dateFilter((s) => s.date_modified, 'min'),
    'date_modified:max': dateFilter((s) => s.date_modified, 'max'),
  },
  webhooks: { type: 'subscriber', created: 'store/subscriber/created', updated: 'store/subscriber/updated', deleted: 'store/subscriber/deleted' },
};

/** The delete-by-filter's parameters (subscribers.v3.yml: no id filters on the collection delete). */
const deleteFilters = Object.fromEntries(['email', 'first_name', 'last_name', 'source', 'order_id', 'date_created', 'date_modified'].map((k) => [k, subscriberResource.filters![k]!]));

export const subscribersFamily: FamilyDecl = {
  name: 'subscribers',
  envelope: 'v3',
  resources: [subscriberResource],
  routes: [
    { method: 'GET', path: '/customers/subscribers', op: 'list', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'List subscribers' },
    { method: 'POST', path: '/customers/subscribers', op: 'create', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, body: createBody, summary: 'Create a subscriber' },
    { method: 'DELETE', path: '/customers/subscribers', op: 'delete-by-filter', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, filters: deleteFilters, summary: 'Delete subscribers matching the filters' },
    { method: 'GET', path: '/customers/subscribers/{subscriber_id}', op: 'get', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'Get a subscriber' },
    { method: 'PUT', path: '/customers/subscribers/{subscriber_id}', op: 'update', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, body: updateBody, summary: 'Update a subscriber' },
    { method: 'DELETE', path: '/customers/subscribers/{subscriber_id}', op: 'delete', resource: 'subscriber', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'Delete a subscriber' },
  ],
};
