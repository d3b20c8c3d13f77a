/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/marketing-event.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The marketing platform's event: the body of POST /events (DESIGN.md section 8). The platform dedupes on eventId, so a replayed event is harmless only if the id is derived from the source record. Each event needs an email to reach a profile; it keeps at most 50 items per event. Closed objects: the platform refuses unknown properties.
 */
export interface MarketingEvent {
  eventId: string;
  type: 'order_placed' | 'cart_abandoned';
  occurredAt: string;
  email: string;
  /**
   * Whether the shopper agreed to marketing email; the platform sends campaigns only to profiles with consent and keeps the event either way.
   */
  emailOptIn?: boolean;
  profile?: MarketingProfile;
  orderId?: number;
  cartId?: string;
  value?: number;
  currency?: string;
  itemCount?: number;
  /**
   * @maxItems 50
   */
  items?: MarketingEventItem[];
}
export interface MarketingProfile {
  customerId?: number;
  firstName?: string;
  lastName?: string;
  locale?: string;
  country?: string;
}
export interface MarketingEventItem {
  sku: string;
  name: string;
  quantity: number;
  price: number;
  url?: string;
  imageUrl?: string;
}
