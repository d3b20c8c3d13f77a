/**
 * Abandoned carts (abandoned_carts.v3.yml): the store's abandoned-cart email settings, globally and
 * per channel, and `GET /v3/abandoned-carts/{token}`, which turns the token of an abandoned-cart
 * email link (the `token` of `store/cart/abandoned`) into the cart's id. The carts are the store's
 * own (the shopper activity of the control plane makes and abandons them; store.ts), read through
 * the Store (the carts family serves them, carts.ts). A token resolves while its cart is
 * abandoned; a cart that became an order no longer exists (404), as `GET /v3/carts` says.
 *
 * The settings: the global ones are seeded as a new store has them (notifications on, merchant
 * emails to the store's admin address); a channel has no overrides until set (every field
 * `null`), and a channel that does not exist is a 404. A `null` in a channel's update removes that
 * override. No webhook is raised for settings (webhooks.v3.yml lists none).
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { channelIdParam } from './channels.ts';
import { parseWith, withoutId } from './engine.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl } from './model.ts';
import type { StoreProfile } from './store-information.ts';

const FILE = 'abandoned_carts.v3.yml';

const FIELDS = [
  'enable_notification',
  'email_customer_until_cart_is_recovered',
  'marketing_emails_require_customer_consent',
  'email_merchant_when_cart_is_converted',
  'email_merchant_when_cart_is_abandoned',
  'merchant_email_address',
  'merchant_abandoned_cart_email_frequency_type',
  'merchant_abandoned_cart_digest_email_frequency',
] as const;

export interface AbandonedCartSettings extends Item {
  enable_notification: boolean;
  email_customer_until_cart_is_recovered: boolean;
  marketing_emails_require_customer_consent: boolean;
  email_merchant_when_cart_is_converted: boolean;
  email_merchant_when_cart_is_abandoned: boolean;
  merchant_email_address: string;
  merchant_abandoned_cart_email_frequency_type: 'digest' | 'individual';
  merchant_abandoned_cart_digest_email_frequency: number;
}

/** A channel's overrides: the channel's id, and `null` where the global setting applies. */
type ChannelOverrides = Item & { id: number } & { [K in (typeof FIELDS)[number]]: AbandonedCartSettings[K] | null };

const fields = {
  enable_notification: z.boolean(),
  email_customer_until_cart_is_recovered: z.boolean(),
  marketing_emails_require_customer_consent: z.boolean(),
  email_merchant_when_cart_is_converted: z.boolean(),
  email_merchant_when_cart_is_abandoned: z.boolean(),
  merchant_email_address: z.email('must be an email address').max(500),
  merchant_abandoned_cart_email_frequency_type: z.enum(['digest', 'individual'], 'must be digest or individual'),
  merchant_abandoned_cart_digest_email_frequency: z.number().int().min(2, 'must be from 2 to 1000').max(1000, 'must be from 2 to 1000'),
};
// Every field may be sent alone; the document's `required` list names "enabled", a field it does not define.
const globalBody = z
  .object(fields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send at least one setting');
const channelBody = z
  .object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v as z.ZodType).nullable().optional()])) as { [K in keyof typeof fields]: z.ZodOptional<z.ZodNullable<(typeof fields)[K]>> })
  .refine((b) => Object.keys(b).length > 0, 'send at least one setting');

const digestNeedsFrequency = (s: Partial<AbandonedCartSettings>) => {
  if (s.merchant_abandoned_cart_email_frequency_type === 'digest' && s.merchant_abandoned_cart_digest_email_frequency === undefined) {
    throw new DomainError('unprocessable', 'Failed to save the abandoned cart settings: a digest needs merchant_abandoned_cart_digest_email_frequency (2 to 1000 carts).', { merchant_abandoned_cart_digest_email_frequency: 'is required for a digest' });
  }
};

export const abandonedCartSettingsResource: ResourceDecl<AbandonedCartSettings> = {
  name: 'abandoned-cart-settings',
  label: 'abandoned cart settings',
  id: 'singleton',
  seed: (ctx) => [
    {
      id: 1,
      enable_notification: true,
      email_customer_until_cart_is_recovered: false,
      marketing_emails_require_customer_consent: false,
      email_merchant_when_cart_is_converted: false,
      email_merchant_when_cart_is_abandoned: false,
      merchant_email_address: ctx.collection<StoreProfile>('store-information').find(1)?.admin_email ?? `admin@store-${ctx.store.info.hash}.mybigcommerce.com`,
      merchant_abandoned_cart_email_frequency_type: 'individual',
      merchant_abandoned_cart_digest_email_frequency: 2,
    },
  ],
  check: (next) => digestNeedsFrequency(next),
};

const channelOverridesResource: ResourceDecl<ChannelOverrides> = {
  name: 'abandoned-cart-channel-settings',
  label: 'channel abandoned cart settings',
  id: 'natural',
  create: (input) => input as Omit<ChannelOverrides, 'id'>,
};

const noOverrides = () => Object.fromEntries(FIELDS.map((f) => [f, null])) as Omit<ChannelOverrides, 'id'>;

function getChannelSettings(req: OperationRequest, ctx: FamilyContext) {
  const id = channelIdParam(req, ctx);
  const stored = ctx.collection<ChannelOverrides>('abandoned-cart-channel-settings').find(id);
  return { status: 200, body: { data: stored ? withoutId(stored) : noOverrides(), meta: {} } };
}

function putChannelSettings(req: OperationRequest, ctx: FamilyContext) {
  const id = channelIdParam(req, ctx);
  const body = parseWith(channelBody, req.body, 'v3');
  const overrides = ctx.collection<ChannelOverrides>('abandoned-cart-channel-settings');
  const current = overrides.find(id);
  const next = { ...noOverrides(), ...(current ? withoutId(current) : {}), ...body, id } as ChannelOverrides;
  const global = ctx.collection<AbandonedCartSettings>('abandoned-cart-settings').require(1);
  // What the channel ends up with, overrides over the global settings, must hold together too.
  digestNeedsFrequency({ ...global, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null)) });
  const saved = current ? overrides.replace(next) : overrides.insert(next);
  return { status: 200, body: { data: withoutId(saved), meta: {} } };
}

function getByToken(req: OperationRequest, ctx: FamilyContext) {
  const token = req.params.token ?? '';
  const cart = [...ctx.store.carts.values()].find((c) => c.abandonedToken !== undefined && c.abandonedToken === token);
  if (!cart || cart.state !== 'abandoned') throw new DomainError('not-found', `No abandoned cart has the token "${token}". Tokens come from store/cart/abandoned; a cart that became an order no longer has one.`);
  return { status: 200, body: { data: { cart_id: cart.id }, meta: {} } };
}

const scope = 'store_v2_information' as const;
const spec = { file: FILE };

export const abandonedCartsFamily: FamilyDecl = {
  name: 'abandoned-carts',
  envelope: 'v3',
  resources: [abandonedCartSettingsResource, channelOverridesResource],
  routes: [
    { method: 'GET', path: '/abandoned-carts/settings', op: 'get', resource: 'abandoned-cart-settings', scope, spec, view: withoutId, summary: 'Get the global abandoned cart settings' },
    { method: 'PUT', path: '/abandoned-carts/settings', op: 'update', resource: 'abandoned-cart-settings', scope, spec, body: globalBody, view: withoutId, summary: 'Update the global abandoned cart settings' },
    { method: 'GET', path: '/abandoned-carts/settings/channels/{channel_id}', op: 'custom', resource: 'abandoned-cart-channel-settings', scope, spec, handler: getChannelSettings, summary: "Get a channel's abandoned cart setting overrides" },
    { method: 'PUT', path: '/abandoned-carts/settings/channels/{channel_id}', op: 'custom', resource: 'abandoned-cart-channel-settings', scope, spec, handler: putChannelSettings, summary: "Update a channel's abandoned cart setting overrides" },
    { method: 'GET', path: '/abandoned-carts/{token}', op: 'custom', resource: 'abandoned-cart-settings', scope, spec, handler: getByToken, summary: 'Resolve an abandoned-cart email token to its cart id' },
  ],
};
