/**
 * Channels (channels.v3.yml): the storefronts and marketplaces a store sells on, their currency
 * assignments, and the channel's site. Channel 1, the store's own storefront, always exists
 * (bigcommerce-facts.md: orders and customers default to channel 1); two more are seeded so a
 * multi-channel integration has something to tell apart. Creating or changing a channel raises
 * `store/channel/created|updated` (webhooks.v3.yml). A channel is never deleted through the API:
 * it is archived or deleted through its `status`.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { Currency } from './currencies.ts';
import { boolFilter, textFilters } from './filters.ts';
import { metafieldRoutes } from './metafields.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl } from './model.ts';
import { newSite, siteFor, siteWithUrl } from './sites.ts';

const FILE = 'channels.v3.yml';

const STATUSES = ['active', 'prelaunch', 'inactive', 'connected', 'disconnected', 'archived', 'deleted', 'terminated'] as const;
const TYPES = ['pos', 'marketplace', 'storefront', 'marketing'] as const;

export interface Channel extends Item {
  id: number;
  external_id: string;
  is_listable_from_ui: boolean;
  is_enabled: boolean;
  is_visible: boolean;
  status: (typeof STATUSES)[number];
  name: string;
  type: (typeof TYPES)[number];
  platform: string;
  date_created: string;
  date_modified: string;
  icon_url: string;
}

export interface CurrencyAssignment extends Item {
  /** The channel's id: one assignment per channel. */
  id: number;
  enabled_currencies: string[];
  default_currency: string;
}

const channelCreate = z.object({
  name: z.string().min(1, 'is required').max(255),
  type: z.enum(TYPES),
  platform: z.string().min(1, 'is required').max(255),
  external_id: z.string().max(255).optional(),
  is_listable_from_ui: z.boolean().optional(),
  is_visible: z.boolean().optional(),
  status: z.enum(STATUSES).optional(),
});
// type and platform are fixed once created (the update body documents neither).
const channelUpdate = channelCreate.omit({ type: true, platform: true }).partial();

const assignmentBody = z.object({
  enabled_currencies: z.array(z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as USD')).min(1, 'at least one currency is required'),
  default_currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as USD'),
});
const assignmentBatch = assignmentBody.extend({ channel_id: z.number().int().positive() });

/** The platform shows each channel's platform icon; a URL is what the document requires. */
const iconFor = (platform: string) => `https://s3.amazonaws.com/bc-channel-icons/${encodeURIComponent(platform.toLowerCase())}.svg`;

/** Statuses an integration should treat as gone (`available=false`). */
const GONE = new Set(['deleted', 'terminated', 'archived']);

/** The `{channel_id}` of a per-channel settings route, as an existing channel's id (404 otherwise). */
export function channelIdParam(req: OperationRequest, ctx: FamilyContext): number {
  const raw = req.params.channel_id ?? '';
  if (!/^\d+$/.test(raw)) throw new DomainError('not-found', `The requested channel was not found: "${raw}" is not a valid id.`);
  return ctx.collection<Channel>('channel').require(Number(raw)).id;
}

export const channelResource: ResourceDecl<Channel> = {
  name: 'channel',
  label: 'channel',
  id: 'sequence',
  seed(ctx) {
    const at = new Date(ctx.seededAt - 400 * 86_400_000).toISOString();
    const base = { external_id: '', is_listable_from_ui: true, is_enabled: true, is_visible: true, status: 'active' as const, date_created: at, date_modified: at, icon_url: 'https://s3.amazonaws.com/bc-channel-icons/bigcommerce.svg' };
    return [
      { id: 1, ...base, name: ctx.store.info.name, type: 'storefront', platform: 'bigcommerce' },
      { id: 2, ...base, name: 'Amazon US', type: 'marketplace', platform: 'amazon', external_id: 'amzn-us-1', icon_url: 'https://s3.amazonaws.com/bc-channel-icons/amazon.svg' },
      { id: 3, ...base, name: 'Shop counter', type: 'pos', platform: 'square', status: 'inactive', is_enabled: false, icon_url: 'https://s3.amazonaws.com/bc-channel-icons/square.svg' },
    ];
  },
  create: (input, ctx) => {
    const now = ctx.nowIso();
    const status = (input.status as Channel['status'] | undefined) ?? 'active';
    return { external_id: '', is_listable_from_ui: true, is_visible: true, icon_url: iconFor(String(input.platform)), ...(input as Partial<Channel>), status, is_enabled: status === 'active' || status === 'connected', date_created: now, date_modified: now } as Omit<Channel, 'id'>;
  },
  update: (item, patch, ctx) => {
    const status = (patch.status as Channel['status'] | undefined) ?? item.status;
    return { ...item, ...patch, id: item.id, status, is_enabled: status === 'active' || status === 'connected', date_modified: ctx.nowIso() } as Channel;
  },
  check(next, ctx) {
    // The platform refuses a second channel with the same name on the same platform (409).
    const clash = ctx.collection<Channel>('channel').all().find((c) => c.id !== next.id && c.platform === next.platform && c.name === next.name);
    if (clash) throw new DomainError('conflict', `Failed to save the channel: a ${next.platform} channel named "${next.name}" already exists (id ${clash.id}).`, { name: 'already used by another channel on this platform' });
    if (next.id === 1 && next.status !== 'active' && next.status !== 'prelaunch') throw new DomainError('unprocessable', 'Failed to update channel 1: the default storefront cannot be archived or deleted.', { status: 'channel 1 stays active or prelaunch' });
  },
  filters: {
    available: boolFilter<Channel>((c) => !GONE.has(c.status)),
    ...textFilters<Channel>('status', (c) => c.status, ['in']),
    ...textFilters<Channel>('type', (c) => c.type, ['in']),
    ...textFilters<Channel>('platform', (c) => c.platform, ['in']),
  },
  webhooks: { type: 'channel', created: 'store/channel/created', updated: 'store/channel/updated' },
};

export const currencyAssignmentResource: ResourceDecl<CurrencyAssignment> = {
  name: 'channel-currency-assignment',
  label: 'currency assignment',
  id: 'natural',
  seed: () => [{ id: 1, enabled_currencies: ['USD', 'EUR', 'GBP'], default_currency: 'USD' }],
  create: (input) => ({ id: Number(input.channel_id), enabled_currencies: input.enabled_currencies as string[], default_currency: String(input.default_currency) }) as CurrencyAssignment,
  check(next, ctx) {
    ctx.collection<Channel>('channel').require(next.id);
    const known = new Set(ctx.collection<Currency>('currency').all().map((c) => c.currency_code));
    const unknown = next.enabled_currencies.filter((c) => !known.has(c));
    if (unknown.length > 0) throw new DomainError('unprocessable', `Failed to assign currencies to channel ${next.id}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a store currency. Create ${unknown.length === 1 ? 'it' : 'them'} with POST /v2/currencies first.`, { enabled_currencies: `unknown: ${unknown.join(', ')}` });
    if (!next.enabled_currencies.includes(next.default_currency)) throw new DomainError('unprocessable', `Failed to assign currencies to channel ${next.id}: the default currency ${next.default_currency} is not among the enabled ones.`, { default_currency: 'must be one of enabled_currencies' });
  },
};

const assignmentView = (item: Item) => {
  const a = item as CurrencyAssignment;
  return { channel_id: a.id, enabled_currencies: a.enabled_currencies, default_currency: a.default_currency };
};

const channelIdOf = (req: OperationRequest) => ({ channel_id: Number(req.params.channel_id) });

/** `/channels/{channel_id}/site`: the one site of a channel (sites.ts keeps sites; this is their per-channel view). */
function channelSite(method: 'GET' | 'POST' | 'PUT' | 'DELETE') {
  return (req: OperationRequest, ctx: FamilyContext) => {
    const channelId = Number(req.params.channel_id);
    if (!/^\d+$/.test(req.params.channel_id ?? '')) throw new DomainError('not-found', 'The requested channel was not found.');
    ctx.collection<Channel>('channel').require(channelId);
    const sites = ctx.collection('site');
    const existing = siteFor(ctx, channelId);
    const url = z.object({ url: z.string().url('must be an absolute URL such as https://shop.example.com') });
    switch (method) {
      case 'GET':
        if (!existing) throw new DomainError('not-found', `Channel ${channelId} has no site. Create one with POST /v3/channels/${channelId}/site.`);
        return { status: 200, body: { data: existing, meta: {} } };
      case 'POST': {
        if (existing) throw new DomainError('unprocessable', `Failed to create a site for channel ${channelId}: it already has site ${existing.id}. Update it with PUT instead.`, { channel_id: 'already has a site' });
        const input = url.safeParse(req.body);
        if (!input.success) throw new DomainError('unprocessable', 'JSON data is missing or invalid: url must be an absolute URL', { url: 'must be an absolute URL' });
        const created = sites.insert(newSite(input.data.url, channelId, ctx) as never);
        return { status: 200, body: { data: created, meta: {} } };
      }
      case 'PUT': {
        if (!existing) throw new DomainError('not-found', `Channel ${channelId} has no site. Create one with POST /v3/channels/${channelId}/site.`);
        const input = url.safeParse(req.body);
        if (!input.success) throw new DomainError('unprocessable', 'JSON data is missing or invalid: url must be an absolute URL', { url: 'must be an absolute URL' });
        return { status: 200, body: { data: sites.replace(siteWithUrl(existing, input.data.url, ctx) as never), meta: {} } };
      }
      case 'DELETE':
        if (!existing) throw new DomainError('not-found', `Channel ${channelId} has no site.`);
        sites.remove(existing.id);
        // The spec documents 200 with an empty object for this delete.
        return { status: 200, body: {} };
    }
  };
}

export const channelsFamily: FamilyDecl = {
  name: 'channels',
  envelope: 'v3',
  resources: [channelResource, currencyAssignmentResource],
  routes: [
    { method: 'GET', path: '/channels', op: 'list', resource: 'channel', scope: 'store_channel_settings', spec: { file: FILE }, summary: 'List channels' },
    { method: 'POST', path: '/channels', op: 'create', resource: 'channel', scope: 'store_channel_settings', spec: { file: FILE }, body: channelCreate, summary: 'Create a channel' },
    { method: 'GET', path: '/channels/{channel_id}', op: 'get', resource: 'channel', scope: 'store_channel_settings', spec: { file: FILE }, summary: 'Get a channel' },
    { method: 'PUT', path: '/channels/{channel_id}', op: 'update', resource: 'channel', scope: 'store_channel_settings', spec: { file: FILE }, body: channelUpdate, summary: 'Update a channel' },
    { method: 'GET', path: '/channels/currency-assignments', op: 'list', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, view: assignmentView, listMeta: 'none', summary: "List every channel's currency assignments" },
    { method: 'POST', path: '/channels/currency-assignments', op: 'batch-create', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, body: assignmentBatch, view: assignmentView, summary: 'Assign currencies to several channels' },
    { method: 'PUT', path: '/channels/currency-assignments', op: 'batch-update', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, body: assignmentBatch.partial().required({ channel_id: true }), idField: 'channel_id', view: assignmentView, summary: "Update several channels' currency assignments" },
    { method: 'GET', path: '/channels/{channel_id}/currency-assignments', op: 'get', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, view: assignmentView, summary: "Get a channel's currency assignments" },
    { method: 'POST', path: '/channels/{channel_id}/currency-assignments', op: 'create', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, body: assignmentBody, fromPath: channelIdOf, view: assignmentView, summary: 'Assign currencies to a channel' },
    { method: 'PUT', path: '/channels/{channel_id}/currency-assignments', op: 'update', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, body: assignmentBody.partial(), view: assignmentView, summary: "Update a channel's currency assignments" },
    // The spec documents 200 (not 204) for this delete, answering `{data: <channel id>, meta: {}}`.
    { method: 'DELETE', path: '/channels/{channel_id}/currency-assignments', op: 'custom', resource: 'channel-currency-assignment', scope: 'store_channel_settings', spec: { file: FILE }, summary: "Delete a channel's currency assignments", handler: (req, ctx) => {
      const id = Number(req.params.channel_id);
      if (!/^\d+$/.test(req.params.channel_id ?? '')) throw new DomainError('not-found', 'The requested channel was not found.');
      ctx.collection('channel-currency-assignment').remove(id);
      // The document's example answer: the channel id.
      return { status: 200, body: { data: id, meta: {} } };
    } },
    { method: 'GET', path: '/channels/{channel_id}/site', op: 'custom', resource: 'site', scope: 'store_sites', spec: { file: FILE }, handler: channelSite('GET'), summary: "Get a channel's site" },
    { method: 'POST', path: '/channels/{channel_id}/site', op: 'custom', resource: 'site', scope: 'store_sites', spec: { file: FILE }, handler: channelSite('POST'), summary: 'Create a site for a channel' },
    { method: 'PUT', path: '/channels/{channel_id}/site', op: 'custom', resource: 'site', scope: 'store_sites', spec: { file: FILE }, handler: channelSite('PUT'), summary: "Update a channel's site" },
    { method: 'DELETE', path: '/channels/{channel_id}/site', op: 'custom', resource: 'site', scope: 'store_sites', spec: { file: FILE }, handler: channelSite('DELETE'), summary: "Delete a channel's site" },
    ...metafieldRoutes({ type: 'channel', resource: 'channel', base: '/channels', param: 'channel_id', metafieldParam: 'metafield_id', file: FILE, scope: 'store_channel_settings' }),
  ],
};
