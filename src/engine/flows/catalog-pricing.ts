/**
 * Catalog and pricing, ERP to BigCommerce: the price list polled by watermark every five minutes
 * (a delta costs one read when nothing changed, and a price storm must reach the store within
 * minutes, not at the next hourly run), written with `PUT /v3/catalog/products` in batches of 10, the platform's limit (more
 * is a 413). Keyed by the BigCommerce product id the ERP keeps as webId.
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const catalogPricingFlow: FlowDefinition = {
  id: 'catalog-pricing',
  routes: [{ spec: 'erp-price-list-to-bigcommerce-products', flow: 'catalog-pricing', source: 'erp-price-list', target: 'bc.product', policy: 'upsert' }],
  feeds: [{ name: 'erp-price-list', source: 'erp-price-list', system: 'erp', path: '/price-list', everyMs: 5 * MINUTE }],
  scopes: [],
};
