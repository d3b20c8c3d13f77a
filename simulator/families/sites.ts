/**
 * Sites and routes (sites.v3.yml): the URL a channel's storefront lives at, and the route patterns
 * that build its links (an integration that emails product links reads them). Site 1000 serves
 * channel 1 (`default_site_id` in `GET /v2/store`), with the platform's default routes for products,
 * brands, categories and pages. One site per channel. Routes live under their site and go with it.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { Channel } from './channels.ts';
import { intFilters, textFilters } from './filters.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, OperationRequest, ResourceDecl } from './model.ts';

const FILE = 'sites.v3.yml';

const ROUTE_TYPES = ['product', 'brand', 'category', 'page', 'blog', 'home', 'cart', 'checkout', 'search', 'account', 'login', 'returns', 'static'] as const;

export interface SiteUrl {
  url: string;
  type: 'primary' | 'canonical' | 'checkout';
  created_at: string;
  updated_at: string;
}

export interface Site extends Item {
  id: number;
  url: string;
  channel_id: number;
  created_at: string;
  updated_at: string;
  ssl_status: 'dedicated' | 'shared';
  urls: SiteUrl[];
  is_checkout_url_customized: boolean;
}

export interface SiteRoute extends Item {
  id: number;
  site_id: number;
  type: (typeof ROUTE_TYPES)[number];
  matching: string;
  route: string;
}

const urlsFor = (url: string, at: string, checkout = url): SiteUrl[] => [
  { url, type: 'primary', created_at: at, updated_at: at },
  { url, type: 'canonical', created_at: at, updated_at: at },
  { url: checkout, type: 'checkout', created_at: at, updated_at: at },
];

/** A new site record for a channel (also used by `/channels/{channel_id}/site`). */
export function newSite(url: string, channelId: number, ctx: FamilyContext): Omit<Site, 'id'> {
  const at = ctx.nowIso();
  return { url, channel_id: channelId, created_at: at, updated_at: at, ssl_status: 'shared', urls: urlsFor(url, at), is_checkout_url_customized: false };
}

export function siteWithUrl(site: Site, url: string, ctx: FamilyContext): Site {
  const at = ctx.nowIso();
  const checkout = site.is_checkout_url_customized ? site.urls.find((u) => u.type === 'checkout')?.url ?? url : url;
  return { ...site, url, updated_at: at, urls: urlsFor(url, at, checkout).map((u) => ({ ...u, created_at: site.created_at })) };
}

export function siteFor(ctx: FamilyContext, channelId: number): Site | undefined {
  return ctx.collection<Site>('site').all().find((s) => s.channel_id === channelId);
}

export const siteResource: ResourceDecl<Site> = {
  name: 'site',
  label: 'site',
  id: 'sequence',
  firstId: 1000,
  seed(ctx) {
    const at = new Date(ctx.seededAt - 400 * 86_400_000).toISOString();
    const url = `https://store-${ctx.store.info.hash}.mybigcommerce.com`;
    return [{ id: 1000, url, channel_id: 1, created_at: at, updated_at: at, ssl_status: 'shared', urls: urlsFor(url, at), is_checkout_url_customized: false }];
  },
  create: (input, ctx) => newSite(String(input.url), Number(input.channel_id), ctx),
  update: (item, patch, ctx) => siteWithUrl(item, String(patch.url ?? item.url), ctx),
  check(next, ctx) {
    ctx.collection<Channel>('channel').require(next.channel_id);
    const other = siteFor(ctx, next.channel_id);
    if (other && other.id !== next.id) throw new DomainError('unprocessable', `Failed to create a site for channel ${next.channel_id}: it already has site ${other.id}.`, { channel_id: 'already has a site' });
  },
  onDelete(site, ctx) {
    const routes = ctx.collection<SiteRoute>('site-route');
    for (const r of routes.all()) if (r.site_id === site.id) routes.remove(r.id);
  },
  filters: {
    ...intFilters<Site>('channel_id', (s) => s.channel_id, ['in']),
    'url_type:in': { type: 'string-list', test: (s: Site, v: string[]) => s.urls.some((u) => v.includes(u.type)) } as FilterDecl<Site>,
  },
};

const DEFAULT_ROUTES: Pick<SiteRoute, 'type' | 'matching' | 'route'>[] = [
  { type: 'product', matching: '*', route: '/{slug}/' },
  { type: 'brand', matching: '*', route: '/brands/{slug}/' },
  { type: 'category', matching: '*', route: '/{slug}/' },
  { type: 'page', matching: '*', route: '/{slug}/' },
  { type: 'home', matching: '', route: '/' },
  { type: 'cart', matching: '', route: '/cart.php' },
  { type: 'checkout', matching: '', route: '/checkout' },
  { type: 'search', matching: '', route: '/search.php' },
  { type: 'account', matching: '', route: '/account.php' },
  { type: 'login', matching: '', route: '/login.php' },
];

export const siteRouteResource: ResourceDecl<SiteRoute> = {
  name: 'site-route',
  label: 'site route',
  id: 'sequence',
  seed: () => DEFAULT_ROUTES.map((r, i) => ({ ...r, id: i + 1, site_id: 1000 }) as SiteRoute),
  create: (input) => ({ type: input.type, matching: input.matching ?? '*', route: input.route, site_id: Number(input.site_id) }) as Omit<SiteRoute, 'id'>,
  check(next, ctx) {
    ctx.collection<Site>('site').require(next.site_id);
  },
  filters: { type: { type: 'string', test: (r: SiteRoute, v: string) => r.type === v } as FilterDecl<SiteRoute> },
};

const routeBody = z.object({ type: z.enum(ROUTE_TYPES), matching: z.string().max(255), route: z.string().min(1, 'is required').max(255) });
const routeView = (item: Item) => {
  const { site_id: _site, ...rest } = item as SiteRoute;
  return rest;
};
/** A site's routes only: `/sites/{site_id}/routes...` (and 404 when the site does not exist). */
const ofSite = (item: Item, req: OperationRequest, ctx: FamilyContext) => {
  ctx.collection('site').require(req.params.site_id ?? '');
  return (item as SiteRoute).site_id === Number(req.params.site_id);
};
const siteIdOf = (req: OperationRequest) => ({ site_id: Number(req.params.site_id) });

export const sitesFamily: FamilyDecl = {
  name: 'sites',
  envelope: 'v3',
  resources: [siteResource, siteRouteResource],
  routes: [
    { method: 'GET', path: '/sites', op: 'list', resource: 'site', scope: 'store_sites', spec: { file: FILE }, listMeta: 'sites', summary: 'List sites' },
    { method: 'POST', path: '/sites', op: 'create', resource: 'site', scope: 'store_sites', spec: { file: FILE }, status: 201, body: z.object({ url: z.string().url('must be an absolute URL such as https://shop.example.com'), channel_id: z.number().int().positive() }), summary: 'Create a site' },
    { method: 'GET', path: '/sites/{site_id}', op: 'get', resource: 'site', scope: 'store_sites', spec: { file: FILE }, summary: 'Get a site' },
    { method: 'PUT', path: '/sites/{site_id}', op: 'update', resource: 'site', scope: 'store_sites', spec: { file: FILE }, body: z.object({ url: z.string().url('must be an absolute URL such as https://shop.example.com') }), summary: "Update a site's URL" },
    { method: 'DELETE', path: '/sites/{site_id}', op: 'delete', resource: 'site', scope: 'store_sites', spec: { file: FILE }, summary: 'Delete a site and its routes' },
    { method: 'GET', path: '/sites/{site_id}/routes', op: 'list', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, scopeTo: ofSite, view: routeView, summary: "List a site's routes" },
    { method: 'POST', path: '/sites/{site_id}/routes', op: 'create', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, status: 201, body: routeBody, fromPath: siteIdOf, view: routeView, summary: 'Create a site route' },
    { method: 'PUT', path: '/sites/{site_id}/routes', op: 'batch-update', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, scopeTo: ofSite, body: routeBody.partial().extend({ id: z.number().int().positive() }), view: routeView, summary: "Update several of a site's routes" },
    { method: 'GET', path: '/sites/{site_id}/routes/{route_id}', op: 'get', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, scopeTo: ofSite, view: routeView, summary: 'Get a site route' },
    // The spec documents 201 for this update.
    { method: 'PUT', path: '/sites/{site_id}/routes/{route_id}', op: 'update', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, status: 201, scopeTo: ofSite, body: routeBody.partial(), view: routeView, summary: 'Update a site route' },
    { method: 'DELETE', path: '/sites/{site_id}/routes/{route_id}', op: 'delete', resource: 'site-route', scope: 'store_sites', spec: { file: FILE }, scopeTo: ofSite, summary: 'Delete a site route' },
  ],
};
