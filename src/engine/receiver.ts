/**
 * The webhook receiver: check the shared secret (constant time), read a small body, validate the
 * light payload, commit it to the inbox (deduplicated on `hash`) and answer 200. Nothing else
 * happens on the request: the planner picks the event up after the answer has gone, so the
 * platform never waits on the engine's work and a slow ERP cannot get the hook denylisted
 * (facts section c: a destination below 90% success over 2 minutes is blocked).
 *
 * Group commit: the events validated in one turn of the event loop are inserted in one
 * transaction when the turn ends (setImmediate), then each is answered. In a flash sale at 144x
 * about 2,300 webhooks a real second arrive, up to 64 at once; a WAL commit each queued them behind
 * each other. A 200 still goes only after the event's row is committed; if the transaction fails,
 * every request of the group gets the 500 one alone would have got. (queueMicrotask would not
 * group: node drains microtasks after each socket's callback, so every group would be one.) The
 * answer time the engine measures (handler to answer, `webhook:received` realMs) so includes the
 * wait for the rest of the turn: its median rises under a burst while the sender's view, which
 * includes the queue in front of the handler, falls.
 *
 * Bad input never throws past here: a wrong secret is a 401, a body over the limit a 413 (read to
 * the end first, so the sender sees the answer rather than a reset), malformed JSON a 400, a
 * payload that is not a webhook a 400, and so is one naming an id the platform cannot produce (an
 * order id that is not a positive integer up to 2^31-1, a cart id that is not a UUID: ids.ts), with
 * the field named, so such an id never reaches the work table; a scope the engine did not subscribe
 * to is accepted (the platform would otherwise retry it for two days) and logged. Only a failure to
 * store the event answers 500, which makes the platform retry, which is what it is for.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import type { EngineBus, ReceiveOutcome } from './events.ts';
import { routeWebhook } from './ids.ts';
import type { InboxInsert, InboxRecord, InboxWriter } from './inbox.ts';
import type { Logger } from './logger.ts';
import { SECRET_HEADER } from './monitor.ts';

/** Light payloads are a few hundred bytes; anything near this is not a webhook. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Past this much of an oversized body, stop reading and drop the connection. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

const payloadSchema = z.object({
  scope: z.string().regex(/^store\/[A-Za-z/]+$/, 'must be a webhook scope such as store/order/created'),
  store_id: z.string().min(1),
  data: z.object({ type: z.string(), id: z.union([z.number(), z.string()]) }).loose(),
  hash: z.string().regex(/^[0-9a-f]{40}$/, 'must be the 40-character SHA-1 of the payload'),
  created_at: z.number().int(),
  producer: z.string().regex(/^stores\/[a-z0-9]+$/, 'must be stores/{store_hash}'),
});

const digest = (text: string) => createHash('sha256').update(text).digest();

export interface ReceiverOptions {
  inbox: Pick<InboxWriter, 'insertMany'>;
  clock: Clock;
  secret: string;
  storeHash: string;
  /** Scopes the engine subscribed to; others are accepted and ignored. */
  knownScopes: ReadonlySet<string>;
  bus: EngineBus;
  logger: Logger;
  /** After an event was stored and answered (wakes the planner). */
  onAccepted: () => void;
}

export type Receiver = (req: IncomingMessage, res: ServerResponse) => void;

/** A validated event waiting for its group's commit, and whom to answer once it is committed. */
interface Pending {
  record: InboxRecord;
  res: ServerResponse;
  started: number;
  scope: string;
}

export function createReceiver(options: ReceiverOptions): Receiver {
  const { inbox, clock, bus, logger } = options;
  const expected = digest(options.secret);

  const answer = (res: ServerResponse, started: number, status: number, outcome: ReceiveOutcome, message?: string, scope?: string) => {
    if (!res.headersSent && !res.destroyed) {
      // The platform recommends sending no response headers; a short JSON body helps people debugging.
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '' : JSON.stringify({ error: message }));
    }
    bus.emit('webhook:received', { outcome, ...(scope ? { scope } : {}), ...(message ? { reason: message } : {}), realMs: performance.now() - started });
  };

  /** Read the body; resolves undefined when it was too large (the rest is drained). */
  const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      let tooLarge = declared > MAX_BODY_BYTES;
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        if (tooLarge) {
          chunks.length = 0;
          if (size > MAX_DRAIN_BYTES) req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      // A light payload comes in one chunk: no copy then.
      req.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      req.on('error', reject);
      req.on('close', () => {
        if (!req.complete) reject(new Error('the sender closed the connection before the body ended'));
      });
    });

  /** What an exception past the checks gets (as before group commit: the request's own catch). */
  const failed = (res: ServerResponse, started: number, error: unknown) => {
    logger.error('webhook receiver failed', { error: error instanceof Error ? error.stack : String(error) });
    if (!res.headersSent) answer(res, started, 500, 'malformed', 'internal error');
  };

  let group: Pending[] = [];
  /** Commit the turn's events in one transaction, then answer each as it would have been alone. */
  const commitGroup = () => {
    const pending = group;
    group = [];
    let stored: InboxInsert[] | undefined;
    let storeError: Error | undefined;
    try {
      stored = inbox.insertMany(pending.map((p) => p.record));
    } catch (error) {
      storeError = error as Error;
    }
    let anyAccepted = false;
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i]!;
      try {
        if (!stored) {
          logger.error('could not store a webhook; answering 500 so the platform retries', { error: storeError!.message });
          answer(p.res, p.started, 500, 'malformed', 'could not store the event; retry later', p.scope);
        } else if (p.record.ignored) {
          logger.info('webhook accepted but ignored: the engine did not subscribe to this scope', { scope: p.scope, hash: p.record.hash });
          answer(p.res, p.started, 200, 'ignored', undefined, p.scope);
        } else {
          answer(p.res, p.started, 200, stored[i]!, undefined, p.scope);
          if (stored[i] === 'accepted') anyAccepted = true;
        }
      } catch (error) {
        failed(p.res, p.started, error);
      }
    }
    // One wake-up for the group: the planner takes everything new.
    if (anyAccepted) setImmediate(options.onAccepted);
  };

  return (req, res) => {
    const started = performance.now();
    void (async () => {
      if (req.method !== 'POST') {
        req.resume();
        answer(res, started, 405, 'wrong-method', 'webhooks are POSTed');
        return;
      }
      const secret = req.headers[SECRET_HEADER];
      const given = digest(Array.isArray(secret) ? secret.join(',') : (secret ?? ''));
      // Compare digests: constant time whatever the lengths, so timing tells nothing of the secret.
      const authorized = timingSafeEqual(given, expected);
      let body: Buffer | undefined;
      try {
        body = await readBody(req);
      } catch {
        // The sender went away; there is nobody to answer.
        bus.emit('webhook:received', { outcome: 'malformed', reason: 'connection closed mid-body', realMs: performance.now() - started });
        return;
      }
      if (!authorized) return answer(res, started, 401, 'unauthorized', `missing or wrong ${SECRET_HEADER} header`);
      if (!body) return answer(res, started, 413, 'too-large', `the body is over ${MAX_BODY_BYTES} bytes; webhook payloads are light`);
      const text = body.toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        return answer(res, started, 400, 'malformed', `the body is not JSON: ${(error as Error).message}`);
      }
      const parsed = payloadSchema.safeParse(json);
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        logger.warn('webhook rejected: not a webhook payload', { reason: message });
        return answer(res, started, 400, 'invalid', message);
      }
      const p = parsed.data;
      if (p.producer !== `stores/${options.storeHash}`) {
        logger.warn('webhook rejected: another store', { producer: p.producer });
        return answer(res, started, 400, 'invalid', `this engine serves stores/${options.storeHash}, not ${p.producer}`, p.scope);
      }
      // The id must be one the platform can produce, or the engine could never fetch it.
      const routed = routeWebhook(p.scope, p.data);
      if ('field' in routed) {
        const message = `${routed.field}: ${routed.problem}`;
        logger.warn('webhook rejected: an id the platform cannot produce', { scope: p.scope, hash: p.hash, reason: message });
        return answer(res, started, 400, 'invalid', message, p.scope);
      }
      const known = options.knownScopes.has(p.scope);
      if (group.length === 0) setImmediate(commitGroup);
      group.push({ record: { hash: p.hash, scope: p.scope, resourceId: String(p.data.id).slice(0, 200), payload: text, receivedAt: clock.now(), ignored: !known }, res, started, scope: p.scope });
    })().catch((error) => failed(res, started, error));
  };
}
