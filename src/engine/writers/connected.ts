/**
 * Writers for the connected systems (ERP, 3PL, CRM, marketing): each record is the call its
 * mapping spec names (`target.write`): `PUT /sales-orders/{externalId}`, never the duplicating
 * POST; `PUT /fulfillment-orders/{externalId}`; `PUT /contacts/{email}`; `POST /events` with a
 * source-derived eventId. 422 and the other 4xx are permanent (dead-letter queue), 429 waits at
 * least its Retry-After, 5xx and network errors are transient.
 */
import type { Clock } from '../../../lib/clock.ts';
import { realToSim } from '../bc-client.ts';
import { describeError, header, NetworkError, parseJson, type HttpResponse, type HttpTransport } from '../http.ts';
import type { Outbox, OutboxRow, Target } from '../outbox.ts';
import { classifyStatus, retryAfterMs } from '../retry.ts';
import type { TargetWriter, WriteResult } from './types.ts';

export class TargetUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnavailable';
  }
}

export interface ConnectedClient {
  baseUrl: string;
  send(method: string, path: string, body?: string): Promise<HttpResponse>;
  /** GET a record: true when it exists, false on 404; TargetUnavailable otherwise. */
  exists(path: string): Promise<boolean>;
  /** One page of a change feed. */
  feed(path: string, since: string | undefined, limit: number): Promise<{ data: Record<string, unknown>[]; nextSince: string | null }>;
}

export function createConnectedClient(baseUrl: string, transport: HttpTransport): ConnectedClient {
  const send = (method: string, path: string, body?: string) => transport.send({ method, url: `${baseUrl}${path}`, ...(body !== undefined ? { body } : {}) });
  return {
    baseUrl,
    send,
    async exists(path) {
      let res: HttpResponse;
      try {
        res = await send('GET', path);
      } catch (error) {
        throw new TargetUnavailable(error instanceof Error ? error.message : String(error));
      }
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      throw new TargetUnavailable(`GET ${baseUrl}${path} answered ${res.status}`);
    },
    async feed(path, since, limit) {
      const query = new URLSearchParams({ limit: String(limit), ...(since ? { since } : {}) });
      let res: HttpResponse;
      try {
        res = await send('GET', `${path}?${query}`);
      } catch (error) {
        throw new TargetUnavailable(error instanceof Error ? error.message : String(error));
      }
      const body = parseJson(res.text) as { data?: Record<string, unknown>[]; meta?: { nextSince?: string | null } } | undefined;
      if (res.status !== 200 || !Array.isArray(body?.data)) throw new TargetUnavailable(`GET ${baseUrl}${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { data: body.data, nextSince: body.meta?.nextSince ?? null };
    },
  };
}

/** The outcome of a connected system's answer. */
export function resultOf(clock: Clock, res: HttpResponse): WriteResult {
  const outcome = classifyStatus(res.status, false);
  const detail = () => describeError(res.status, res.text);
  switch (outcome) {
    case 'ok':
      return { outcome: 'ok' };
    case 'permanent':
      return { outcome: 'permanent', error: detail() };
    case 'rate-limited':
    case 'transient': {
      const wait = res.status === 429 ? retryAfterMs(header(res.headers, 'retry-after')) : undefined;
      return { outcome: 'transient', error: detail(), ...(wait !== undefined ? { minDelayMs: realToSim(clock, wait) } : {}) };
    }
    default:
      return outcome satisfies never;
  }
}

export function createConnectedWriter(options: {
  target: Target;
  client: ConnectedClient;
  clock: Clock;
  concurrency?: number;
  ready?: TargetWriter['ready'];
}): TargetWriter {
  const { client, clock } = options;
  return {
    target: options.target,
    batchSize: 1,
    concurrency: options.concurrency ?? 8,
    ...(options.ready ? { ready: options.ready } : {}),
    async send([row]: OutboxRow[]) {
      try {
        return resultOf(clock, await client.send(row!.method, row!.path, row!.body));
      } catch (error) {
        if (error instanceof NetworkError) return { outcome: 'transient', error: error.message };
        throw error;
      }
    },
  };
}

/** A credit memo waits until its order's sales order is in the ERP (the ERP refuses it before). */
export function waitForSalesOrder(outbox: Outbox, retryMs: number): NonNullable<TargetWriter['ready']> {
  return (row, now) => {
    const orderRef = String((JSON.parse(row.body) as { orderRef?: unknown }).orderRef ?? '');
    const order = outbox.get('orders-to-erp-sales-order', orderRef);
    if (order && (order.state === 'pending' || order.state === 'inflight')) {
      return { outcome: 'defer', untilMs: now + retryMs, reason: `waiting for sales order ${orderRef} to reach the ERP` };
    }
    return undefined;
  };
}
