/**
 * Conformance rows of the first families (issue 13): store information, currencies, channels,
 * sites, categories and trees, brands, and their metafields. Run by
 * test/simulator/families-conformance.test.ts (row.ts says how tables work).
 */
import type { TestSim } from '../../support/simulator.ts';
import { created, type DocumentException, type Row, type RowTable } from './row.ts';

const currency = (code: string) => ({ currency_code: code, currency_exchange_rate: '1.2345', decimal_places: 2, decimal_token: '.', thousands_token: ',', name: `Test ${code} ✓`, token: code, token_location: 'left' });
let unique = 0;
const next = () => ++unique;

const rows: Row[] = [
  // ---- store information ----
  { op: 'GET /v2/store', send: (sim) => sim.api('GET', '/v2/store') },
  { op: 'GET /v2/time', send: (sim) => sim.api('GET', '/v2/time') },

  // ---- currencies ----
  { op: 'GET /v2/currencies', send: (sim) => sim.api('GET', '/v2/currencies') },
  { op: 'POST /v2/currencies', send: (sim) => sim.api('POST', '/v2/currencies', currency('CHF')) },
  { op: 'GET /v2/currencies/{id}', send: (sim) => sim.api('GET', '/v2/currencies/2') },
  { op: 'PUT /v2/currencies/{id}', send: (sim) => sim.api('PUT', '/v2/currencies/3', { currency_exchange_rate: '0.81', name: 'Pfund Sterling £' }) },
  {
    op: 'DELETE /v2/currencies/{id}',
    send: async (sim) => {
      const c = await created(sim, 'POST', '/v2/currencies', currency('SEK'));
      return sim.api('DELETE', `/v2/currencies/${c.id}`);
    },
  },
  // Runs against whatever non-default currencies exist; other rows create their own again.
  { op: 'DELETE /v2/currencies', note: 'deletes every non-default currency', send: (sim) => sim.api('DELETE', '/v2/currencies') },

  // ---- channels ----
  { op: 'GET /v3/channels', send: (sim) => sim.api('GET', '/v3/channels?available=true') },
  { op: 'POST /v3/channels', send: (sim) => sim.api('POST', '/v3/channels', { name: `Marktplatz ${next()} — ü`, type: 'marketplace', platform: 'ebay' }) },
  { op: 'GET /v3/channels/{channel_id}', send: (sim) => sim.api('GET', '/v3/channels/1') },
  { op: 'PUT /v3/channels/{channel_id}', send: (sim) => sim.api('PUT', '/v3/channels/2', { is_visible: false, external_id: 'amzn-us-2' }) },
  { op: 'GET /v3/channels/currency-assignments', send: (sim) => sim.api('GET', '/v3/channels/currency-assignments') },
  {
    op: 'POST /v3/channels/currency-assignments',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `POS ${next()}`, type: 'pos', platform: 'clover' });
      return sim.api('POST', '/v3/channels/currency-assignments', [{ channel_id: ch.data.id, enabled_currencies: ['USD'], default_currency: 'USD' }]);
    },
  },
  {
    op: 'PUT /v3/channels/currency-assignments',
    send: async (sim) => {
      await sim.api('POST', '/v2/currencies', currency('NOK'));
      return sim.api('PUT', '/v3/channels/currency-assignments', [{ channel_id: 1, enabled_currencies: ['USD', 'NOK'], default_currency: 'USD' }]);
    },
  },
  { op: 'GET /v3/channels/{channel_id}/currency-assignments', send: (sim) => sim.api('GET', '/v3/channels/1/currency-assignments') },
  {
    op: 'POST /v3/channels/{channel_id}/currency-assignments',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Storefront ${next()}`, type: 'storefront', platform: 'bigcommerce' });
      return sim.api('POST', `/v3/channels/${ch.data.id}/currency-assignments`, { enabled_currencies: ['USD'], default_currency: 'USD' });
    },
  },
  { op: 'PUT /v3/channels/{channel_id}/currency-assignments', send: (sim) => sim.api('PUT', '/v3/channels/1/currency-assignments', { enabled_currencies: ['USD'], default_currency: 'USD' }) },
  {
    op: 'DELETE /v3/channels/{channel_id}/currency-assignments',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Temp ${next()}`, type: 'marketing', platform: 'google' });
      await created(sim, 'POST', `/v3/channels/${ch.data.id}/currency-assignments`, { enabled_currencies: ['USD'], default_currency: 'USD' });
      return sim.api('DELETE', `/v3/channels/${ch.data.id}/currency-assignments`);
    },
  },
  { op: 'GET /v3/channels/{channel_id}/site', send: (sim) => sim.api('GET', '/v3/channels/1/site') },
  {
    op: 'POST /v3/channels/{channel_id}/site',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Headless ${next()}`, type: 'storefront', platform: 'next' });
      return sim.api('POST', `/v3/channels/${ch.data.id}/site`, { url: `https://headless-${unique}.example.com` });
    },
  },
  { op: 'PUT /v3/channels/{channel_id}/site', send: (sim) => sim.api('PUT', '/v3/channels/1/site', { url: 'https://www.example-shop.com' }) },
  {
    op: 'DELETE /v3/channels/{channel_id}/site',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Short-lived ${next()}`, type: 'storefront', platform: 'next' });
      await created(sim, 'POST', `/v3/channels/${ch.data.id}/site`, { url: `https://gone-${unique}.example.com` });
      return sim.api('DELETE', `/v3/channels/${ch.data.id}/site`);
    },
  },

  // ---- sites ----
  { op: 'GET /v3/sites', send: (sim) => sim.api('GET', '/v3/sites?channel_id:in=1') },
  {
    op: 'POST /v3/sites',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Site owner ${next()}`, type: 'storefront', platform: 'next' });
      return sim.api('POST', '/v3/sites', { url: `https://site-${unique}.example.com`, channel_id: ch.data.id });
    },
  },
  { op: 'GET /v3/sites/{site_id}', send: (sim) => sim.api('GET', '/v3/sites/1000') },
  { op: 'PUT /v3/sites/{site_id}', send: (sim) => sim.api('PUT', '/v3/sites/1000', { url: 'https://shop.example.com' }) },
  {
    op: 'DELETE /v3/sites/{site_id}',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Doomed ${next()}`, type: 'storefront', platform: 'next' });
      const site = await created(sim, 'POST', '/v3/sites', { url: `https://doomed-${unique}.example.com`, channel_id: ch.data.id });
      return sim.api('DELETE', `/v3/sites/${site.data.id}`);
    },
  },
  { op: 'GET /v3/sites/{site_id}/routes', send: (sim) => sim.api('GET', '/v3/sites/1000/routes') },
  { op: 'POST /v3/sites/{site_id}/routes', send: (sim) => sim.api('POST', '/v3/sites/1000/routes', { type: 'blog', matching: '*', route: '/blog/{slug}/' }) },
  { op: 'PUT /v3/sites/{site_id}/routes', send: (sim) => sim.api('PUT', '/v3/sites/1000/routes', [{ id: 1, route: '/products/{slug}/' }]) },
  { op: 'GET /v3/sites/{site_id}/routes/{route_id}', send: (sim) => sim.api('GET', '/v3/sites/1000/routes/2') },
  { op: 'PUT /v3/sites/{site_id}/routes/{route_id}', send: (sim) => sim.api('PUT', '/v3/sites/1000/routes/3', { route: '/c/{slug}/' }) },
  {
    op: 'DELETE /v3/sites/{site_id}/routes/{route_id}',
    send: async (sim) => {
      const r = await created(sim, 'POST', '/v3/sites/1000/routes', { type: 'static', matching: 'about', route: '/about-us/' });
      return sim.api('DELETE', `/v3/sites/1000/routes/${r.data.id}`);
    },
  },

  // ---- categories (channel 1's tree) ----
  { op: 'GET /v3/catalog/categories', send: (sim) => sim.api('GET', '/v3/catalog/categories?limit=250&sort=name') },
  { op: 'POST /v3/catalog/categories', send: (sim) => sim.api('POST', '/v3/catalog/categories', { name: `Neuheiten ${next()} ✨`, parent_id: 1, custom_url: { url: `/neu-${unique}/`, is_customized: true } }) },
  {
    op: 'DELETE /v3/catalog/categories',
    send: async (sim) => {
      const c = await created(sim, 'POST', '/v3/catalog/categories', { name: `Filter me ${next()}`, parent_id: 0 });
      return sim.api('DELETE', `/v3/catalog/categories?id:in=${c.data.id}`);
    },
  },
  { op: 'GET /v3/catalog/categories/{category_id}', send: (sim) => sim.api('GET', '/v3/catalog/categories/24') },
  { op: 'PUT /v3/catalog/categories/{category_id}', send: (sim) => sim.api('PUT', '/v3/catalog/categories/25', { description: '<p>Töpfe</p>', sort_order: 3 }) },
  {
    op: 'DELETE /v3/catalog/categories/{category_id}',
    send: async (sim) => {
      const c = await created(sim, 'POST', '/v3/catalog/categories', { name: `Delete me ${next()}`, parent_id: 0 });
      return sim.api('DELETE', `/v3/catalog/categories/${c.data.id}`);
    },
  },

  // ---- category trees ----
  { op: 'GET /v3/catalog/trees', send: (sim) => sim.api('GET', '/v3/catalog/trees') },
  {
    op: 'PUT /v3/catalog/trees',
    send: async (sim) => {
      const ch = await created(sim, 'POST', '/v3/channels', { name: `Tree owner ${next()}`, type: 'storefront', platform: 'next' });
      return sim.api('PUT', '/v3/catalog/trees', [{ name: `Baum ${unique}`, channels: [ch.data.id] }]);
    },
  },
  {
    op: 'DELETE /v3/catalog/trees',
    send: async (sim) => {
      const tree = await created(sim, 'PUT', '/v3/catalog/trees', [{ name: `Empty tree ${next()}` }]);
      return sim.api('DELETE', `/v3/catalog/trees?id:in=${tree.data[0].id}`);
    },
  },
  { op: 'GET /v3/catalog/trees/{tree_id}/categories', send: (sim) => sim.api('GET', '/v3/catalog/trees/1/categories') },
  { op: 'GET /v3/catalog/trees/categories', send: (sim) => sim.api('GET', '/v3/catalog/trees/categories?tree_id:in=1&limit=250') },
  { op: 'POST /v3/catalog/trees/categories', send: (sim) => sim.api('POST', '/v3/catalog/trees/categories', [{ name: `Trail Running ${next()}`, parent_id: 4, tree_id: 1 }, { name: `Ski ${unique}`, parent_id: 4, tree_id: 1, is_visible: false }]) },
  { op: 'PUT /v3/catalog/trees/categories', send: (sim) => sim.api('PUT', '/v3/catalog/trees/categories', [{ category_id: 26, name: 'Messer & Scheren' }]) },
  {
    op: 'DELETE /v3/catalog/trees/categories',
    send: async (sim) => {
      const made = await created(sim, 'POST', '/v3/catalog/trees/categories', [{ name: `Ephemeral ${next()}`, parent_id: 0, tree_id: 1 }]);
      return sim.api('DELETE', `/v3/catalog/trees/categories?category_id:in=${made.data[0].category_id}`);
    },
  },

  // ---- brands ----
  { op: 'GET /v3/catalog/brands', send: (sim) => sim.api('GET', '/v3/catalog/brands?sort=name&direction=desc') },
  { op: 'POST /v3/catalog/brands', send: (sim) => sim.api('POST', '/v3/catalog/brands', { name: `Ünïcødé Brand ${next()} 😀`, meta_keywords: ['a', 'b'] }) },
  {
    op: 'DELETE /v3/catalog/brands',
    send: async (sim) => {
      const b = await created(sim, 'POST', '/v3/catalog/brands', { name: `Filtered brand ${next()}` });
      return sim.api('DELETE', `/v3/catalog/brands?id:in=${b.data.id}`);
    },
  },
  { op: 'GET /v3/catalog/brands/{brand_id}', send: (sim) => sim.api('GET', '/v3/catalog/brands/1') },
  { op: 'PUT /v3/catalog/brands/{brand_id}', send: (sim) => sim.api('PUT', '/v3/catalog/brands/2', { page_title: 'Neu — jetzt' }) },
  {
    op: 'DELETE /v3/catalog/brands/{brand_id}',
    send: async (sim) => {
      const b = await created(sim, 'POST', '/v3/catalog/brands', { name: `Short brand ${next()}` });
      return sim.api('DELETE', `/v3/catalog/brands/${b.data.id}`);
    },
  },
];

/**
 * The metafield rows of one owner type (metafields.ts serves the same routes for each): every row
 * creates the metafields it reads, changes or deletes, on an owner that exists.
 */
function metafieldRows(owner: { v3base: string; ownerId?: number; param?: string }): Row[] {
  const { v3base, ownerId } = owner;
  const per = ownerId === undefined ? `${v3base}/metafields` : `${v3base}/${ownerId}/metafields`;
  const perKey = owner.param ? `${v3base}/{${owner.param}}/metafields` : `${v3base}/metafields`;
  const singleParam = v3base === '/store' ? 'metafieldId' : 'metafield_id';
  const field = () => ({ namespace: 'erp', key: `external-id-${next()}`, value: `EXT-${unique} — ü`, permission_set: 'write', description: 'The ERP id' });
  const make = async (sim: TestSim): Promise<number> => {
    const res = ownerId === undefined ? await created(sim, 'POST', `/v3${v3base}/metafields`, [field()]) : await created(sim, 'POST', `/v3${per}`, field());
    return Array.isArray(res.data) ? res.data[0].id : res.data.id;
  };
  const rows: Row[] = [
    { op: `GET /v3${perKey}/{${singleParam}}`, send: async (sim) => sim.api('GET', `/v3${per}/${await make(sim)}`) },
    { op: `PUT /v3${perKey}/{${singleParam}}`, send: async (sim) => sim.api('PUT', `/v3${per}/${await make(sim)}`, { value: 'updated ✓' }) },
    { op: `DELETE /v3${perKey}/{${singleParam}}`, send: async (sim) => sim.api('DELETE', `/v3${per}/${await make(sim)}`) },
    {
      op: `GET /v3${v3base}/metafields`,
      send: async (sim) => {
        await make(sim);
        return sim.api('GET', `/v3${v3base}/metafields?namespace=erp`);
      },
    },
    { op: `POST /v3${v3base}/metafields`, send: (sim) => sim.api('POST', `/v3${v3base}/metafields`, [{ ...field(), ...(ownerId === undefined ? {} : { resource_id: ownerId }) }]) },
    { op: `PUT /v3${v3base}/metafields`, send: async (sim) => sim.api('PUT', `/v3${v3base}/metafields`, [{ id: await make(sim), value: 'batch-updated' }]) },
    { op: `DELETE /v3${v3base}/metafields`, send: async (sim) => sim.api('DELETE', `/v3${v3base}/metafields`, [await make(sim)]) },
  ];
  if (ownerId !== undefined) {
    rows.push(
      {
        op: `GET /v3${perKey}`,
        send: async (sim) => {
          await make(sim);
          return sim.api('GET', `/v3${per}`);
        },
      },
      { op: `POST /v3${perKey}`, send: (sim) => sim.api('POST', `/v3${per}`, field()) },
    );
  }
  return rows;
}

rows.push(
  ...metafieldRows({ v3base: '/store' }),
  ...metafieldRows({ v3base: '/catalog/categories', ownerId: 24, param: 'category_id' }),
  ...metafieldRows({ v3base: '/catalog/brands', ownerId: 3, param: 'brand_id' }),
  ...metafieldRows({ v3base: '/channels', ownerId: 1, param: 'channel_id' }),
);

/**
 * Where the official document is wrong about what the platform answers, the row's answer is
 * checked against the document with these corrections, each with its reason.
 */
const CHANNEL_METAFIELD_REASON =
  'channels.v3.yml answers the per-channel metafield operations with the catalog\'s bare "Metafield" schema ("Metafield for products, categories, variants, and brands"), even for the list, and its resource_type enum lacks "channel"; the batch operations of the same document (/channels/metafields) and every other metafield document use the {data, meta} envelope and name the owner type. Checked: the metafield in data (the first one of a list), with resource_type read as a documented value.';
const channelMetafield = (m: any) => ({ ...m, resource_type: 'category' });
const DOCUMENT_EXCEPTIONS: Record<string, DocumentException> = {
  'POST /v3/channels/{channel_id}/metafields': { reason: CHANNEL_METAFIELD_REASON, adapt: (body) => channelMetafield(body.data) },
  'GET /v3/channels/{channel_id}/metafields': { reason: CHANNEL_METAFIELD_REASON, adapt: (body) => channelMetafield(body.data[0]) },
  'GET /v3/channels/{channel_id}/metafields/{metafield_id}': { reason: CHANNEL_METAFIELD_REASON, adapt: (body) => channelMetafield(body.data) },
  'PUT /v3/channels/{channel_id}/metafields/{metafield_id}': { reason: CHANNEL_METAFIELD_REASON, adapt: (body) => channelMetafield(body.data) },
};

export const table: RowTable = { name: 'first families', rows, exceptions: DOCUMENT_EXCEPTIONS };
