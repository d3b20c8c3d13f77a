/**
 * Building the light webhook payload: a pure function. The platform sends only `scope`,
 * `store_id` (a string), `data` (type, id and the scope's extras), `hash`, `created_at` (Unix
 * seconds) and `producer` (bigcommerce-facts.md section c, "Payload"); the integration must
 * fetch the resource itself. `hash` is the SHA-1 of the JSON-encoded payload, so a duplicate
 * firing carries the same hash.
 */
import crypto from 'node:crypto';
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

// `crypto.hash` (Node 20.12+) hashes a string in one call, without a Hash object per event.
const sha1Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string, encoding: 'hex') => string }).hash('sha1', text, 'hex')
    : (text) => crypto.createHash('sha1').update(text).digest('hex');

// The delivered body of each payload, written while the payload is built: the hashed text and the
// body share every part but the hash, so neither is serialized a second time (the dispatcher asks
// `payloadBody` once per event, not once per hook). Payloads are never changed after they are built.
const bodies = new WeakMap<WebhookPayload, string>();

interface PayloadInput {
  scope: string;
  storeId: string;
  storeHash: string;
  data: WebhookData;
  createdAtMs: number;
}

/**
 * The text `JSON.stringify` gives for {scope, store_id, data, created_at, producer} (the hashed
 * form), in two parts: the body is the same text with `"hash"` between them.
 */
function hashedParts(input: PayloadInput): { head: string; tail: string; createdAt: number; producer: string } {
  const createdAt = Math.floor(input.createdAtMs / 1000);
  const producer = `stores/${input.storeHash}`;
  const head = `{"scope":${JSON.stringify(input.scope)},"store_id":${JSON.stringify(input.storeId)},"data":${JSON.stringify(input.data)}`;
  const tail = `,"created_at":${JSON.stringify(createdAt)},"producer":${JSON.stringify(producer)}}`;
  return { head, tail, createdAt, producer };
}

export function buildWebhookPayload(input: PayloadInput): WebhookPayload {
  const { head, tail, createdAt, producer } = hashedParts(input);
  const hash = sha1Hex(head + tail);
  const payload: WebhookPayload = { scope: input.scope, store_id: input.storeId, data: input.data, hash, created_at: createdAt, producer };
  bodies.set(payload, `${head},"hash":"${hash}"${tail}`);
  return payload;
}

/**
 * The `hash` `buildWebhookPayload` would give, without the payload: the ledger records every event
 * with its hash, and most events of a run (inventory scopes) go to no hook, so nothing is delivered.
 */
export function webhookHash(input: PayloadInput): string {
  const { head, tail } = hashedParts(input);
  return sha1Hex(head + tail);
}

/** The payload's JSON as delivered: what `JSON.stringify(payload)` gives, built once with the payload. */
export function payloadBody(payload: WebhookPayload): string {
  let body = bodies.get(payload);
  if (body === undefined) bodies.set(payload, (body = JSON.stringify(payload)));
  return body;
}

/** The hostname a destination's failures are counted under (facts: per domain, not per URL). */
export function destinationDomain(destination: string): string {
  try {
    return new URL(destination).hostname;
  } catch {
    return destination;
  }
}
