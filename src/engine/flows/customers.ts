/**
 * Customers, both ways, one system of record per field (mappings/customers-*.yml). BigCommerce
 * changes arrive by webhook and are fetched in batches of up to 250 (`id:in`); CRM changes are
 * polled from its feed and written with `PUT /v3/customers` in batches of 10 (the platform's
 * limit; the Management API client sends one request at a time, within the 3 concurrent updates
 * the platform allows). Each direction writes only the fields its source owns, and the outbox
 * skips a body identical to the one last delivered, so the two directions settle instead of
 * echoing each other's writes forever.
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const customersFlow: FlowDefinition = {
  id: 'customers',
  routes: [
    { spec: 'customers-to-crm-contact', flow: 'customers', source: 'bc-customer', target: 'crm.contact', policy: 'upsert' },
    { spec: 'crm-contact-to-customers', flow: 'customers', source: 'crm-contacts', target: 'bc.customer', policy: 'upsert' },
  ],
  feeds: [{ name: 'crm-contacts', source: 'crm-contacts', system: 'crm', path: '/contacts', everyMs: 10 * MINUTE }],
  scopes: ['store/customer/created', 'store/customer/updated'],
};
