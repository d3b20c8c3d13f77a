/**
 * Marketing events, BigCommerce to the marketing platform: one `order_placed` per order and one
 * `cart_abandoned` per abandoned cart. Events happen once, so the writer sends each exactly once
 * (policy `once`); the platform also dedupes on the source-derived eventId, which makes a resend
 * after a crash harmless. Abandoned carts cannot be backfilled: the platform has no list of them,
 * only the webhook and `GET /v3/carts/{id}`.
 */
import { ORDER_SCOPES } from './orders.ts';
import type { FlowDefinition } from './types.ts';

export const marketingEventsFlow: FlowDefinition = {
  id: 'marketing-events',
  routes: [
    { spec: 'orders-to-marketing-events', flow: 'marketing-events', source: 'bc-order', target: 'marketing.event', policy: 'once' },
    { spec: 'abandoned-carts-to-marketing-events', flow: 'marketing-events', source: 'bc-cart', target: 'marketing.event', policy: 'once' },
  ],
  feeds: [],
  scopes: [...ORDER_SCOPES, 'store/cart/abandoned'],
};
