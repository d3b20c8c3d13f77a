/**
 * Inventory levels, ERP to BigCommerce: the ERP's stock feed polled by watermark, written as
 * absolute adjustments (setting a count twice is harmless) of up to 2,000 items per request, the
 * Inventory API's limit. Stock is per SKU and location, so that is the outbox key.
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const inventoryFlow: FlowDefinition = {
  id: 'inventory',
  routes: [
    {
      spec: 'erp-inventory-to-bigcommerce',
      flow: 'inventory',
      source: 'erp-inventory',
      target: 'bc.inventory',
      policy: 'upsert',
      keyOf: (record, key) => `${String(key)}@${String(record.location_id)}`,
    },
  ],
  feeds: [{ name: 'erp-inventory', source: 'erp-inventory', system: 'erp', path: '/inventory', everyMs: 5 * MINUTE }],
  scopes: [],
};
