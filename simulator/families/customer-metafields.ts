/**
 * Customer metafields (customers.v3.yml): `/v3/customers/{customerId}/metafields` and the batch
 * `/v3/customers/metafields`, the shared metafield table (metafields.ts) with
 * `resource_type: customer`. The customers stay the store's own (store.ts): the owner is looked up
 * in `ctx.store.customers`, so a customer created through `POST /v3/customers` can hold metafields
 * at once. The document names the path parameters `customerId` and `metafieldId`.
 */
import type { FamilyDecl } from './model.ts';
import { metafieldRoutes } from './metafields.ts';

export const customerMetafieldsFamily: FamilyDecl = {
  name: 'customer-metafields',
  envelope: 'v3',
  resources: [],
  routes: metafieldRoutes({ type: 'customer', exists: (id, ctx) => ctx.store.customers.has(id), base: '/customers', param: 'customerId', metafieldParam: 'metafieldId', file: 'customers.v3.yml', scope: 'store_v2_customers' }),
};
