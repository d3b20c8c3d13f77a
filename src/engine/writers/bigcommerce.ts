/**
 * Writers to BigCommerce, within the platform's batch limits (facts sections e and f):
 * inventory adjustments of up to 2,000 items, product updates of 10, customer updates of 10 (the
 * Management API client sends one request at a time, inside the 3 concurrent customer updates
 * allowed), order status updates, shipments and refunds one by one. All go through the limiter.
 *
 * Shipments and refunds have no external reference on the platform, so they are sent once and,
 * when an earlier send may have landed (a crash, a timeout), looked for first: the shipment by the
 * 3PL shipment id in its comments, the refund by the memo number in its item reasons.
 */
import { ApiUnavailable, type BcClient } from '../bc-client.ts';
import { describeError } from '../http.ts';
import type { ApiLane } from '../limiter.ts';
import type { OutboxRow, Target } from '../outbox.ts';
import type { TargetWriter, WriteResult } from './types.ts';

type Json = Record<string, any>;

export const INVENTORY_BATCH = 2000;
export const PRODUCT_BATCH = 10;
export const CUSTOMER_BATCH = 10;

async function call(bc: BcClient, lane: ApiLane, method: string, path: string, body: unknown): Promise<WriteResult & { body?: unknown }> {
  try {
    const res = await bc.request(lane, method, path, body);
    if (res.status >= 200 && res.status < 300) return { outcome: 'ok', body: res.body };
    return { outcome: 'permanent', error: describeError(res.status, res.body) };
  } catch (error) {
    if (error instanceof ApiUnavailable) return { outcome: 'transient', error: error.message };
    throw error;
  }
}

const bodies = (rows: OutboxRow[]) => rows.map((r) => JSON.parse(r.body) as Json);

function batchWriter(target: Target, lane: ApiLane, batchSize: number, build: (rows: OutboxRow[]) => { method: string; path: string; body: unknown }, bc: BcClient): TargetWriter {
  return {
    target,
    batchSize,
    concurrency: 1,
    async send(rows) {
      const req = build(rows);
      const { body: _b, ...result } = await call(bc, lane, req.method, req.path, req.body);
      return result;
    },
  };
}

export function createInventoryWriter(bc: BcClient): TargetWriter {
  // Absolute adjustments: setting a count twice is harmless (the spec's key notes).
  return batchWriter('bc.inventory', 'inventory', INVENTORY_BATCH, (rows) => ({ method: 'PUT', path: '/v3/inventory/adjustments/absolute', body: { reason: 'ERP stock sync (bc-harness engine)', items: bodies(rows) } }), bc);
}

export function createProductWriter(bc: BcClient): TargetWriter {
  return batchWriter('bc.product', 'catalog', PRODUCT_BATCH, (rows) => ({ method: 'PUT', path: '/v3/catalog/products', body: bodies(rows) }), bc);
}

export function createCustomerWriter(bc: BcClient): TargetWriter {
  return batchWriter('bc.customer', 'customers', CUSTOMER_BATCH, (rows) => ({ method: 'PUT', path: '/v3/customers', body: bodies(rows) }), bc);
}

export function createOrderStatusWriter(bc: BcClient): TargetWriter {
  return {
    target: 'bc.order',
    batchSize: 1,
    concurrency: 1,
    async send([row]) {
      const { body: _b, ...result } = await call(bc, 'orders', row!.method, row!.path, JSON.parse(row!.body));
      return result;
    },
  };
}

const orderOf = (path: string) => /\/orders\/(\d+)\//.exec(path)?.[1];

export function createShipmentWriter(bc: BcClient): TargetWriter {
  return {
    target: 'bc.shipment',
    batchSize: 1,
    concurrency: 1,
    async send([row]) {
      const result = await call(bc, 'orders', row!.method, row!.path, JSON.parse(row!.body));
      if (result.outcome !== 'ok') return result;
      return { outcome: 'ok', remoteIds: [String((result.body as Json)?.id ?? '')] };
    },
    async verify(row) {
      const body = JSON.parse(row.body) as Json;
      try {
        const res = await bc.request('orders', 'GET', `/v2/orders/${orderOf(row.path)}/shipments?limit=250`);
        if (res.status === 204 || res.status === 404) return { found: false };
        if (res.status !== 200 || !Array.isArray(res.body)) return { unavailable: `HTTP ${res.status}` };
        const match = (res.body as Json[]).find((s) => s.comments === body.comments);
        return match ? { found: true, remoteId: String(match.id) } : { found: false };
      } catch (error) {
        if (error instanceof ApiUnavailable) return { unavailable: error.message };
        throw error;
      }
    },
  };
}

export function createRefundWriter(bc: BcClient): TargetWriter {
  return {
    target: 'bc.refund',
    batchSize: 1,
    concurrency: 1,
    async send([row]) {
      const body = JSON.parse(row!.body) as Json;
      const orderId = orderOf(row!.path);
      // The spec maps "refund to the original payment" to original-payment and leaves the
      // gateway to the engine: the gateway of the order's purchase transaction. (The platform's
      // refund_quotes would also say it; the simulator does not serve them.)
      if (body.payments?.[0]?.provider_id === 'original-payment') {
        try {
          const res = await bc.request('orders', 'GET', `/v3/orders/${orderId}/transactions`);
          if (res.status !== 200) return { outcome: 'permanent', error: `cannot find the original payment of order ${orderId}: HTTP ${res.status}` };
          const purchase = ((res.body as Json)?.data as Json[] | undefined)?.find((t) => t.event === 'purchase' || t.event === 'capture' || t.event === 'authorization');
          if (!purchase) return { outcome: 'permanent', error: `order ${orderId} has no purchase transaction to refund to` };
          body.payments[0].provider_id = purchase.gateway;
        } catch (error) {
          if (error instanceof ApiUnavailable) return { outcome: 'transient', error: error.message };
          throw error;
        }
      }
      const result = await call(bc, 'orders', row!.method, row!.path, body);
      if (result.outcome !== 'ok') return result;
      return { outcome: 'ok', remoteIds: [String(((result.body as Json)?.data as Json | undefined)?.id ?? '')] };
    },
    async verify(row) {
      const marker = `ERP credit memo ${row.key}:`;
      try {
        const res = await bc.request('orders', 'GET', `/v3/orders/${orderOf(row.path)}/payment_actions/refunds`);
        if (res.status === 404) return { found: false };
        if (res.status !== 200) return { unavailable: `HTTP ${res.status}` };
        const match = (((res.body as Json)?.data ?? []) as Json[]).find((r) => (r.items as Json[] | undefined)?.some((i) => String(i.reason ?? '').startsWith(marker)));
        return match ? { found: true, remoteId: String(match.id) } : { found: false };
      } catch (error) {
        if (error instanceof ApiUnavailable) return { unavailable: error.message };
        throw error;
      }
    },
  };
}
