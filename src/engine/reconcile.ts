/**
 * The reconciliation sweep: what webhooks missed (a deactivated hook, a dropped delivery, an
 * outage of the engine itself) is read back by watermark and goes through the same mapping and
 * outbox as everything else, so whatever was already delivered is recognised and not written
 * again. It runs on start, on a schedule (the specs say every 15 minutes) and after the monitor
 * repaired a hook.
 *
 * Orders are read by `min_date_modified` sorted by date_modified, keyset style: each page starts
 * at the last date seen, so an order modified during the sweep moves behind the cursor and is
 * read again rather than skipped. When a whole page shares one second (a flash sale), that second
 * is drained by id. The new watermark is the last date seen, which is never later than a change
 * that has not been read. On the very first start the watermark is just past the newest order:
 * the engine syncs from now on, an initial import is a separate job.
 */
import type { Clock } from '../../lib/clock.ts';
import { ApiUnavailable, type BcClient } from './bc-client.ts';
import { completeOrders, dateMs, ORDER_INCLUDE, PAGE_LIMIT, UnexpectedAnswer } from './bc-sources.ts';
import { createKv, type EngineDb } from './db.ts';
import type { EngineBus } from './events.ts';
import type { FlowSelection } from './flows/index.ts';
import type { Logger } from './logger.ts';
import type { Planner } from './planner.ts';
import { inTimedSlices } from './slices.ts';
import { createSerialTask } from './timers.ts';

type Json = Record<string, any>;

const MAX_PAGES = 80;
const iso = (ms: number) => new Date(ms).toISOString();

export interface Reconciler {
  /** Run a sweep now (or right after the one in progress). */
  sweep(): void;
  idle(): Promise<void>;
  stop(): void;
}

export function createReconciler(options: { clock: Clock; db: EngineDb; bc: BcClient; planner: Planner; selection: FlowSelection; bus: EngineBus; logger: Logger; onStaged: () => void }): Reconciler {
  const { clock, db, bc, planner, selection, bus, logger } = options;
  const kv = createKv(db);
  const wantOrders = selection.routesFrom('bc-order').length > 0 || selection.routesFrom('bc-refund').length > 0;
  const wantCustomers = selection.routesFrom('bc-customer').length > 0;

  const list = async (path: string): Promise<Json[]> => {
    const res = await bc.request('orders', 'GET', path);
    if (res.status === 204) return [];
    if (res.status !== 200 || !Array.isArray(res.body)) throw new UnexpectedAnswer(`list orders for the sweep (${path})`, res.status, res.body);
    return res.body as Json[];
  };

  const ingest = async (raws: Json[]) => {
    const { sources } = await completeOrders(bc, 'orders', raws);
    const now = clock.now();
    // In slices of real time, like the planner, so the receiver keeps answering while a page is mapped.
    await inTimedSlices(sources, { tx: db.tx, each: (o) => planner.ingestOrders([o], { observedAt: now, fromSweep: true }) });
    options.onStaged();
  };

  const sweepOrders = async () => {
    const key = 'sweep:orders';
    const stored = kv.get(key);
    if (stored === undefined) {
      // Past the newest order's second: orders from before the engine existed are not its job.
      const [newest] = await list('/v2/orders?sort=date_modified:desc&limit=1');
      kv.set(key, iso(newest ? dateMs(newest.date_modified) + 1000 : 0));
      return;
    }
    let cursor = Date.parse(stored);
    let seen = 0;
    let pages = 0;
    while (pages < MAX_PAGES) {
      pages++;
      const raws = await list(`/v2/orders?min_date_modified=${encodeURIComponent(iso(cursor))}&sort=date_modified:asc&limit=${PAGE_LIMIT}&${ORDER_INCLUDE}`);
      if (raws.length === 0) break;
      await ingest(raws);
      seen += raws.length;
      const last = dateMs(raws.at(-1)!.date_modified);
      if (raws.length < PAGE_LIMIT) {
        cursor = Math.max(cursor, last);
        break;
      }
      if (last > cursor) {
        // The next page starts at the last second seen (re-reading its orders is harmless).
        cursor = last;
        continue;
      }
      // A full page inside one second: drain that second by id, then move past it.
      let minId = Math.max(...raws.map((o) => o.id)) + 1;
      while (pages < MAX_PAGES) {
        pages++;
        const same = await list(`/v2/orders?min_date_modified=${encodeURIComponent(iso(cursor))}&max_date_modified=${encodeURIComponent(iso(cursor + 999))}&min_id=${minId}&sort=id:asc&limit=${PAGE_LIMIT}&${ORDER_INCLUDE}`);
        if (same.length > 0) await ingest(same);
        seen += same.length;
        if (same.length < PAGE_LIMIT) break;
        minId = Math.max(...same.map((o) => o.id)) + 1;
      }
      cursor += 1000;
    }
    kv.set(key, iso(cursor));
    bus.emit('sweep:completed', { source: 'orders', seen, pages, watermark: iso(cursor) });
  };

  const sweepCustomers = async () => {
    const key = 'sweep:customers';
    const get = async (path: string) => {
      const res = await bc.request('customers', 'GET', path);
      if (res.status !== 200) throw new UnexpectedAnswer(`list customers for the sweep (${path})`, res.status, res.body);
      return ((res.body as Json)?.data ?? []) as Json[];
    };
    const stored = kv.get(key);
    if (stored === undefined) {
      const [newest] = await get('/v3/customers?sort=date_modified:desc&limit=1');
      kv.set(key, iso(newest ? dateMs(newest.date_modified) + 1000 : 0));
      return;
    }
    let cursor = Date.parse(stored);
    let seen = 0;
    let pages = 0;
    for (let page = 1; pages < MAX_PAGES; pages++) {
      const customers = await get(`/v3/customers?date_modified:min=${encodeURIComponent(iso(cursor))}&sort=date_modified:asc&include=addresses&limit=${PAGE_LIMIT}&page=${page}`);
      if (customers.length === 0) break;
      await planner.ingestCustomers(customers, clock.now());
      options.onStaged();
      seen += customers.length;
      const last = dateMs(customers.at(-1)!.date_modified);
      if (customers.length < PAGE_LIMIT) {
        cursor = Math.max(cursor, last);
        break;
      }
      // Customers change one by one, not in bursts: within one second the next page is enough.
      if (last > cursor) {
        cursor = last;
        page = 1;
      } else page++;
    }
    kv.set(key, iso(cursor));
    bus.emit('sweep:completed', { source: 'customers', seen, pages, watermark: iso(cursor) });
  };

  const run = async () => {
    try {
      if (wantOrders) await sweepOrders();
      if (wantCustomers) await sweepCustomers();
    } catch (error) {
      if (error instanceof ApiUnavailable || error instanceof UnexpectedAnswer || (error instanceof Error && error.name === 'TargetUnavailable')) {
        logger.warn('sweep failed; the next one starts from the same watermark', { error: error.message });
        return;
      }
      throw error;
    }
  };

  const task = createSerialTask(clock, run, (error) => logger.error('sweep failed', { error: error instanceof Error ? error.stack : String(error) }));
  return { sweep: () => task.kick(), idle: () => task.idle(), stop: () => task.stop() };
}
