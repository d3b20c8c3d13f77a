/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/hook.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * A V3 webhook subscription: the `data` of GET/POST/PUT/DELETE /v3/hooks(/{id}) and the items of GET /v3/hooks. Mirrors webhooks.v3.yml components.schemas.webhook_Full (allOf ids/timestamps + webhook_Base); the GET /hooks/{webhook_id} 200 response (webhook_Resp) inlines the same fields. The removed events_history_enabled field is deliberately absent (facts section c). All fields are in every spec example.
 */
export interface Hook {
  id: number;
  /**
   * The API client that created the hook; hooks are visible only to it (facts section c).
   */
  client_id: string;
  store_hash: string;
  /**
   * Event scope, e.g. "store/order/created"; families have wildcards such as "store/order/*".
   */
  scope: string;
  /**
   * Callback URL; the platform requires HTTPS on port 443 (facts section c).
   */
  destination: string;
  /**
   * Set to false by the platform after retries are exhausted or 90 days of inactivity (facts section c).
   */
  is_active: boolean;
  /**
   * Custom headers sent with every callback (e.g. basic-auth credentials), or null.
   */
  headers: {
    [k: string]: string;
  } | null;
  /**
   * Unix seconds.
   */
  created_at: number;
  /**
   * Unix seconds.
   */
  updated_at: number;
  [k: string]: unknown;
}
