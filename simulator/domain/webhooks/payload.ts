/**
 * Building the light webhook payload: a pure function. The platform sends only `scope`,
 * `store_id` (a string), `data` (type, id and the scope's extras), `hash`, `created_at` (Unix
 * seconds) and `producer` (bigcommerce-facts.md section c, "Payload"); the integration must
 * fetch the resource itself. `hash` is the SHA-1 of the JSON-encoded payload, so a duplicate
 * firing carries the same hash.
 */
import { createHash } from 'node:crypto';
import type { WebhookPayload as WebhookPayloadContract, WebhookPayloadData } from '../../../contracts/generated/index.ts';
import type { StripIndex } from '../../../contracts/known-keys.ts';

/**
 * The `data` of a payload is the contract's (contracts/bigcommerce/webhook-payload.schema.json):
 * `type`, an `id` that is absent on store-level events (`store/app/uninstalled` carries only
 * `{type: "store"}`, webhooks.v3.yml), the typed extras of the scopes that have them, and any other
 * key, so every emitter's extras are checked against the contract.
 */
export type WebhookData = WebhookPayloadData;

/** The payload as delivered: exactly the contract's fields, no others. */
export type WebhookPayload = StripIndex<WebhookPayloadContract>;

export function buildWebhookPayload(input: { scope: string; storeId: string; storeHash: string; data: WebhookData; createdAtMs: number }): WebhookPayload {
  const unsigned = {
    scope: input.scope,
    store_id: input.storeId,
    data: input.data,
    created_at: Math.floor(input.createdAtMs / 1000),
    producer: `stores/${input.storeHash}`,
  };
  const hash = createHash('sha1').update(JSON.stringify(unsigned)).digest('hex');
  return { scope: unsigned.scope, store_id: unsigned.store_id, data: unsigned.data, hash, created_at: unsigned.created_at, producer: unsigned.producer };
}

/** The hostname a destination's failures are counted under (facts: per domain, not per URL). */
export function destinationDomain(destination: string): string {
  try {
    return new URL(destination).hostname;
  } catch {
    return destination;
  }
}
