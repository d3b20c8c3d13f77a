/**
 * Store information (store_information.v2.yml): `GET /v2/store` and `GET /v2/time`, which most
 * integrations call at start-up for the store's timezone, currency and plan. The profile is a
 * singleton seeded from the store (hash, id, name, plan); its currency fields follow the store's
 * default currency (currencies.ts). The V3 document (store_information.v3.yml) is the store's
 * metafields (metafields.ts). The profile's merchant-edited fields change through the control
 * plane (`PATCH /__sim/stores/{hash}/information`), which raises `store/information/updated`.
 */
import { z } from 'zod';
import type { Currency } from './currencies.ts';
import { metafieldResource, metafieldRoutes } from './metafields.ts';
import type { FamilyContext, FamilyDecl, Item, ResourceDecl } from './model.ts';

const domainOf = (hash: string) => `store-${hash}.mybigcommerce.com`;

/** What a merchant edits in the control panel's store profile (the fields whose change raises store/information/updated). */
export interface StoreProfile extends Item {
  id: 1;
  name: string;
  address: string;
  country: string;
  country_code: string;
  admin_email: string;
  order_email: string;
  phone: string;
}

const V2_INFO = 'store_information.v2.yml';

const title = (plan: string) => plan.charAt(0).toUpperCase() + plan.slice(1);

/** The documented V2 store object for this store and its current profile. */
function storeView(profile: StoreProfile, ctx: FamilyContext) {
  const { info } = ctx.store;
  const domain = domainOf(info.hash);
  // The currency fields are the store's default currency's (currencies.ts), whichever it is now.
  const currency = ctx.collection<Currency>('currency').all().find((c) => c.is_default);
  return {
    id: info.hash,
    account_uuid: accountUuid(ctx.seed),
    domain,
    secure_url: `https://${domain}`,
    control_panel_base_url: `https://store-${info.hash}.mybigcommerce.com`,
    status: 'live',
    name: profile.name,
    first_name: 'Sim',
    last_name: 'Merchant',
    address: profile.address,
    country: profile.country,
    country_code: profile.country_code,
    infrastructure_region: 'us-central1',
    phone: profile.phone,
    admin_email: profile.admin_email,
    order_email: profile.order_email,
    favicon_url: `https://cdn11.bigcommerce.com/s-${info.hash}/product_images/default_favicon.ico`,
    // A fixed zone with daylight saving, so an integration's date handling meets an offset.
    timezone: { name: 'America/Chicago', raw_offset: -21600, dst_offset: -18000, dst_correction: true, date_format: { display: 'jS M Y', export: 'M jS Y', extended_display: 'M jS Y @ g:i A' } },
    language: 'en',
    currency: currency?.currency_code ?? info.defaultCurrency,
    currency_symbol: currency?.token ?? '$',
    decimal_separator: currency?.decimal_token ?? '.',
    thousands_separator: currency?.thousands_token ?? ',',
    decimal_places: currency?.decimal_places ?? 2,
    currency_symbol_location: currency?.token_location ?? 'left',
    weight_units: 'LBS',
    dimension_units: 'Inches',
    dimension_decimal_places: 2,
    dimension_decimal_token: '.',
    dimension_thousands_token: ',',
    plan_name: title(info.plan),
    plan_level: title(info.plan),
    plan_is_trial: false,
    industry: 'Retail',
    // "Either an object describing the logo image, or an empty array" (the spec): no logo uploaded.
    logo: [],
    is_price_entered_with_tax: false,
    store_id: Number(info.storeId),
    default_channel_id: 1,
    default_site_id: 1000,
    active_comparison_modules: [],
    features: {
      stencil_enabled: true,
      sitewidehttps_enabled: true,
      facebook_catalog_id: '',
      checkout_type: 'optimized',
      wishlists_enabled: false,
      graphql_storefront_api_enabled: true,
      shopper_consent_tracking_enabled: false,
      multi_storefront_enabled: true,
      storefront_limits: { active: 1, total_including_inactive: 1 },
    },
  };
}

function accountUuid(seed: number): string {
  const hex = (seed >>> 0).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

export const storeProfile: ResourceDecl<StoreProfile> = {
  name: 'store-information',
  label: 'store information',
  id: 'singleton',
  seed: (ctx) => [
    {
      id: 1,
      name: ctx.store.info.name,
      address: '685 Third Avenue\nNew York, NY 10017\nUnited States',
      country: 'United States',
      country_code: 'US',
      admin_email: `admin@${domainOf(ctx.store.info.hash)}`,
      order_email: `orders@${domainOf(ctx.store.info.hash)}`,
      phone: '555-0100',
    },
  ],
  // Raised when the name, address, country, email or phone change (webhooks.v3.yml); the data is only `{type: "store"}`.
  webhooks: { type: 'store', updated: 'store/information/updated', omitId: true },
};

export const storeInformationFamily: FamilyDecl = {
  name: 'store-information',
  envelope: 'v2',
  // The metafield table (metafields.ts) is declared here, the first family; the owners' families serve their routes.
  resources: [storeProfile, metafieldResource],
  routes: [
    { method: 'GET', path: '/store', op: 'get', resource: 'store-information', scope: 'store_v2_information', spec: { file: V2_INFO }, summary: 'Get store information', view: (item, ctx) => storeView(item as StoreProfile, ctx) },
    {
      method: 'GET',
      path: '/time',
      op: 'custom',
      resource: 'store-information',
      scope: 'store_v2_information',
      spec: { file: V2_INFO },
      summary: "Get the platform's time (Unix seconds, simulated clock)",
      handler: (_req, ctx) => ({ status: 200, body: { time: Math.floor(ctx.clock.now() / 1000) } }),
    },
    // The V3 store information document is the store's metafields.
    ...metafieldRoutes({ type: 'store', base: '/store', metafieldParam: 'metafieldId', file: 'store_information.v3.yml', scope: 'store_v2_information', envelope: 'v3' }),
  ],
};

/** What the control plane may change in the store profile: the fields the merchant edits in the control panel. */
export const storeProfilePatch = z
  .object({
    name: z.string().min(1).max(255),
    address: z.string().max(1000),
    country: z.string().min(1).max(100),
    country_code: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code'),
    admin_email: z.email(),
    order_email: z.email(),
    phone: z.string().max(50),
  })
  .partial()
  .strict();

/**
 * A merchant's change of the store profile in the control panel (the platform has no API for it):
 * `PATCH /__sim/stores/{hash}/information`. Raises `store/information/updated` when something changed.
 */
export function updateStoreProfile(ctx: FamilyContext, patch: z.infer<typeof storeProfilePatch>): StoreProfile {
  const profiles = ctx.collection<StoreProfile>('store-information');
  const current = profiles.require(1);
  const next: StoreProfile = { ...current, ...patch, id: 1 };
  if (Object.keys(patch).every((k) => current[k] === next[k])) return current;
  return profiles.replace(next);
}
