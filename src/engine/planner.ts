/**
 * The fetch planner. Webhooks only name what changed; the planner turns the inbox into pending
 * ids per lane (one row per id however many events named it), lets ids wait up to the batch
 * window so a burst shares its fetches, then reads them in the fewest calls (order id ranges of up
 * to 250, customers 250 per `id:in`), maps every record through its routes and stages the results
 * in the outbox, in one transaction with completing the work. A failed fetch keeps the work and
 * retries it with backoff; after the retry budget it is dead-lettered for a person to replay. A
 * fetch the API rejects for good (a 4xx other than 408, 409, 425 and 429) is dead-lettered at once:
 * asking again only repeats the rejection.
 *
 * Every due item ends each run fetched, backed off or dead-lettered: a key that can never be
 * fetched (an id the platform cannot produce, left by an older engine: ids.ts) is dead-lettered
 * without a call. An item that did none of these would be due again at once, and the planner would
 * spin on it; a run that finds more to do now starts the next one from a fresh event-loop turn, so
 * the receiver and /healthz are served in between whatever happens.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Random } from '../../lib/random.ts';
import { ApiUnavailable, type BcClient } from './bc-client.ts';
import { fetchCart, fetchCustomers, fetchOrdersByIds, fetchRefunds, PAGE_LIMIT, planIdRanges, UnexpectedAnswer } from './bc-sources.ts';
import type { EngineDb } from './db.ts';
import type { DeadLetters } from './dlq.ts';
import type { EngineBus } from './events.ts';
import type { FlowSelection } from './flows/index.ts';
import { describe, keyProblem, routeWebhook, shortKey } from './ids.ts';
import type { Inbox } from './inbox.ts';
import type { Logger } from './logger.ts';
import type { Mapper } from './mapper.ts';
import type { Outbox } from './outbox.ts';
import { backoffDelay, isPermanentRejection, WRITE_BACKOFF, type BackoffPolicy } from './retry.ts';
import { inTimedSlices } from './slices.ts';
import { createSerialTask, type SerialTask } from './timers.ts';
import type { Lane, WorkItem, WorkQueue } from './work-queue.ts';
import { TargetUnavailable, type ConnectedClient } from './writers/connected.ts';

type Json = Record<string, any>;

export interface Planner {
  /** Look at the inbox and the work queue now. */
  kick(): void;
  /** Map fetched orders (from the planner or the sweep) into the outbox. */
  ingestOrders(sources: Json[], ctx: { observedAt: number; fromSweep: boolean }): void;
  /** Map fetched customers into the outbox (deciding create or update per contact). */
  ingestCustomers(customers: Json[], observedAt: number): Promise<void>;
  idle(): Promise<void>;
  stop(): void;
}

export interface PlannerOptions {
  clock: Clock;
  db: EngineDb;
  inbox: Inbox;
  work: WorkQueue;
  outbox: Outbox;
  dlq: DeadLetters;
  bc: BcClient;
  crm: ConnectedClient;
  mapper: Mapper;
  selection: FlowSelection;
  bus: EngineBus;
  logger: Logger;
  random: Random;
  /** Simulated ms an id may wait for others to share its fetch. */
  batchWindowMs: number;
  backoff?: BackoffPolicy;
  /** Called when records were staged (wakes the writers). */
  onStaged: () => void;
  /** Called for store/hook/deliveryException (wakes the monitor). */
  onDeliveryException: () => void;
}

/** How many ids make a full fetch for a lane (no point waiting for more). */
const FULL: Record<Lane, number> = { order: PAGE_LIMIT, customer: PAGE_LIMIT, refund: 1, cart: 1, remap: 1 };
const LANE_ORDER: Lane[] = ['order', 'refund', 'customer', 'cart', 'remap'];

export function createPlanner(options: PlannerOptions): Planner {
  const { clock, db, inbox, work, outbox, dlq, bc, crm, mapper, selection, bus, logger, random } = options;
  const backoff = options.backoff ?? WRITE_BACKOFF;
  const orderRoutes = selection.routesFrom('bc-order');
  const refundRoutes = selection.routesFrom('bc-refund');
  const customerRoutes = selection.routesFrom('bc-customer');
  const cartRoutes = selection.routesFrom('bc-cart');
  const wanted: Record<Lane, boolean> = {
    order: orderRoutes.length > 0,
    refund: refundRoutes.length > 0,
    customer: customerRoutes.length > 0,
    cart: cartRoutes.length > 0,
    remap: true,
  };

  const planInbox = () => {
    for (;;) {
      const events = inbox.takeNew(1000);
      if (events.length === 0) return;
      let exception = false;
      db.tx(() => {
        for (const e of events) {
          let data: Json | undefined;
          try {
            data = (JSON.parse(e.payload) as Json).data;
          } catch {
            data = undefined;
          }
          const routed = routeWebhook(e.scope, data);
          // Stored by an engine that did not check ids yet: the id can never be fetched.
          if ('field' in routed) {
            logger.warn('webhook event dropped: its id can never be fetched', { scope: e.scope, hash: e.hash, reason: `${routed.field}: ${routed.problem}` });
            continue;
          }
          const target = routed.route;
          if (target === 'delivery-exception') exception = true;
          else if (target && wanted[target.lane]) work.enqueue(target.lane, target.key, e.receivedAt);
        }
        inbox.markPlanned(events.map((e) => e.seq));
      });
      if (exception) options.onDeliveryException();
    }
  };

  /** Take work out of the queue into the dead-letter queue (kind `fetch`), in the caller's transaction. */
  const deadLetterFetch = (item: WorkItem, reason: string, attempts: number, now: number) => {
    // A key can be as long as whatever an older engine let in: keep the entry readable and bounded.
    const key = shortKey(item.key);
    const { id, isNew } = dlq.add({ spec: `fetch:${item.lane}`, key, target: 'source', kind: 'fetch', reason, payload: { lane: item.lane, key }, attempts, lane: item.lane, sourceKey: key }, now);
    work.remove(item.lane, item.key);
    bus.emit('job:dead-lettered', { id, spec: `fetch:${item.lane}`, key, target: 'source', kind: 'fetch', reason, isNew, open: dlq.openCount() });
  };

  /** A fetch failed: try again later, or dead-letter the work once the budget is spent or the API rejected it for good. */
  const failItems = (items: WorkItem[], error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof UnexpectedAnswer && isPermanentRejection(error.status);
    const now = clock.now();
    bus.emit('fetch:failed', { lane: items[0]?.lane ?? 'order', keys: items.length, error: text });
    db.tx(() => {
      for (const item of items) {
        const failures = item.attempts + 1;
        if (permanent) deadLetterFetch(item, `could not read ${item.lane} ${shortKey(item.key)}: the API rejected the read (a permanent ${(error as UnexpectedAnswer).status}, not retried): ${text}`, failures, now);
        else if (failures >= backoff.maxAttempts) deadLetterFetch(item, `could not read ${item.lane} ${shortKey(item.key)}: ${text}`, failures, now);
        else work.retryLater(item, now + backoffDelay(failures, backoff, random), text);
      }
    });
    if (permanent) logger.warn('fetch rejected by the API; dead-lettered without retrying', { lane: items[0]?.lane, keys: items.length, error: text });
    else logger.warn('fetch failed; will retry', { lane: items[0]?.lane, keys: items.length, error: text });
  };

  /** Items whose key can never be fetched end here, without a call; the rest are returned. */
  const endUnfetchable = (lane: Lane, items: WorkItem[]): WorkItem[] => {
    const fetchable: WorkItem[] = [];
    const unfetchable: [WorkItem, string][] = [];
    for (const item of items) {
      const problem = keyProblem(lane, item.key);
      if (problem) unfetchable.push([item, problem]);
      else fetchable.push(item);
    }
    if (unfetchable.length > 0) {
      const now = clock.now();
      db.tx(() => {
        for (const [item, problem] of unfetchable) deadLetterFetch(item, `${lane} ${describe(item.key)} can never be fetched: ${problem}`, item.attempts, now);
      });
      logger.warn('work dead-lettered: its id can never be fetched', { lane, keys: unfetchable.length, example: describe(unfetchable[0]![0].key) });
    }
    return fetchable;
  };

  const isFetchError = (error: unknown) => error instanceof ApiUnavailable || error instanceof UnexpectedAnswer;

  const ingestOrders = (sources: Json[], ctx: { observedAt: number; fromSweep: boolean }) => {
    const now = clock.now();
    for (const source of sources) {
      for (const route of orderRoutes) mapper.map(route, source, { observedAt: ctx.observedAt, now, lane: 'order', sourceKey: String(source.id) });
      // The sweep backfills refunds too: a refunded order's refunds are read like a webhook's.
      if (ctx.fromSweep && wanted.refund && Number(source.refunded_amount ?? 0) > 0) work.enqueue('refund', String(source.id), now);
    }
  };

  const ingestCustomers = async (customers: Json[], observedAt: number) => {
    // The spec sends some fields only when it creates the contact (writeMode: onCreate: the CRM
    // owns them afterwards), so each contact is looked up once: known to the outbox, or to the CRM.
    const ops = new Map<number, 'create' | 'update'>();
    for (const c of customers) {
      const email = String(c.email ?? '').trim().toLowerCase();
      const known = customerRoutes.some((r) => outbox.get(r.spec, String(c.email ?? ''))?.state === 'sent');
      ops.set(c.id, known ? 'update' : (await crm.exists(`/contacts/${encodeURIComponent(email)}`)) ? 'update' : 'create');
    }
    const now = clock.now();
    // In slices of real time, like orders: a page is 250 customers.
    await inTimedSlices(customers, {
      tx: db.tx,
      each: (c) => {
        for (const route of customerRoutes) mapper.map(route, c, { observedAt, now, lane: 'customer', sourceKey: String(c.id), operation: ops.get(c.id)! });
      },
    });
  };

  const fetchLane = async (lane: Lane, items: WorkItem[]): Promise<void> => {
    switch (lane) {
      case 'order': {
        // One call per id range: commit each range as it arrives, so progress survives a crash.
        const byId = new Map(items.map((i) => [Number(i.key), i]));
        for (const range of planIdRanges([...byId.keys()]).slice(0, 40)) {
          const rangeItems = range.ids.map((id) => byId.get(id)!);
          try {
            const { sources, calls } = await fetchOrdersByIds(bc, range.ids);
            const observedAt = Math.min(...rangeItems.map((i) => i.since));
            // Map a page in slices of a few real ms, each its own transaction with the work it
            // completes, and let the event loop breathe between them: a page of heavy orders
            // takes hundreds of ms to map, and the receiver must keep answering in milliseconds.
            await inTimedSlices(sources, {
              tx: db.tx,
              each: (o) => {
                ingestOrders([o], { observedAt, fromSweep: false });
                const item = byId.get(Number(o.id));
                if (item) work.complete(item);
              },
              afterSlice: options.onStaged,
            });
            // Asked for and not returned: deleted or archived, nothing to sync.
            db.tx(() => {
              for (const item of rangeItems) work.complete(item);
            });
            bus.emit('fetch:completed', { lane, requested: range.ids.length, received: sources.length, calls });
          } catch (error) {
            if (!isFetchError(error)) throw error;
            failItems(rangeItems, error);
          }
          options.onStaged();
        }
        return;
      }
      case 'customer': {
        for (let i = 0; i < items.length; i += PAGE_LIMIT) {
          const chunk = items.slice(i, i + PAGE_LIMIT);
          try {
            const { customers, calls } = await fetchCustomers(bc, chunk.map((c) => Number(c.key)).filter((n) => Number.isInteger(n)));
            await ingestCustomers(customers, Math.min(...chunk.map((c) => c.since)));
            db.tx(() => {
              for (const item of chunk) work.complete(item);
            });
            bus.emit('fetch:completed', { lane, requested: chunk.length, received: customers.length, calls });
          } catch (error) {
            if (!isFetchError(error) && !(error instanceof TargetUnavailable)) throw error;
            failItems(chunk, error);
          }
          options.onStaged();
        }
        return;
      }
      case 'refund':
        for (const item of items) {
          try {
            const refunds = (await fetchRefunds(bc, Number(item.key))) ?? [];
            const now = clock.now();
            db.tx(() => {
              for (const refund of refunds) for (const route of refundRoutes) mapper.map(route, refund, { observedAt: item.since, now, lane: 'refund', sourceKey: item.key });
              work.complete(item);
            });
            bus.emit('fetch:completed', { lane, requested: 1, received: refunds.length, calls: 1 });
          } catch (error) {
            if (!isFetchError(error)) throw error;
            failItems([item], error);
          }
        }
        options.onStaged();
        return;
      case 'cart':
        for (const item of items) {
          try {
            const cart = await fetchCart(bc, item.key);
            const now = clock.now();
            db.tx(() => {
              // A cart that became an order (404) has nothing left to say: the order does.
              if (cart) for (const route of cartRoutes) mapper.map(route, cart, { observedAt: item.since, now, lane: 'cart', sourceKey: item.key });
              work.complete(item);
            });
            bus.emit('fetch:completed', { lane, requested: 1, received: cart ? 1 : 0, calls: 1 });
          } catch (error) {
            if (!isFetchError(error)) throw error;
            failItems([item], error);
          }
        }
        options.onStaged();
        return;
      case 'remap': {
        // A bulk replay can be thousands of dead letters: in slices of real time too.
        const now = clock.now();
        await inTimedSlices(items, {
          tx: db.tx,
          each: (item) => {
            const entry = dlq.get(Number(item.key));
            const route = entry ? selection.route(entry.spec) : undefined;
            const source = (entry?.payload as Json | undefined)?.source;
            if (route && source !== undefined) mapper.map(route, source, { observedAt: now, now });
            else logger.warn('cannot map a replayed dead letter again: its flow is not running or it has no stored source', { deadLetter: item.key });
            work.complete(item);
          },
          afterSlice: options.onStaged,
        });
        return;
      }
      default:
        return lane satisfies never;
    }
  };

  const run = async () => {
    planInbox();
    for (const lane of LANE_ORDER) {
      const now = clock.now();
      // Count first, read only when the lane will be fetched: during a burst every webhook kicks
      // the planner while thousands of ids wait for their window, and reading them all on every
      // kick made each order cost in proportion to the backlog (issue 15).
      const { n, oldest } = work.dueSummary(lane, now);
      if (n === 0 || oldest === undefined) continue;
      if (wanted[lane] && n < FULL[lane] && oldest + options.batchWindowMs > now) continue;
      const due = work.due(lane, now, 10_000);
      if (!wanted[lane]) {
        db.tx(() => due.forEach((i) => work.complete(i)));
        continue;
      }
      const items = endUnfetchable(lane, due);
      if (items.length > 0) await fetchLane(lane, items);
    }
    // When to look again: a lane's batch window closing, or backed-off work falling due.
    const now = clock.now();
    let wake = Number.POSITIVE_INFINITY;
    for (const lane of LANE_ORDER) {
      const { n, oldest } = work.dueSummary(lane, now);
      if (n > 0 && oldest !== undefined) wake = Math.min(wake, n >= FULL[lane] ? now : oldest + options.batchWindowMs);
      const next = work.nextDue(lane, now);
      if (next !== undefined) wake = Math.min(wake, next);
    }
    // More to do now (a page of ranges left over, say): go again from a fresh turn of the event
    // loop, never in the same chain of promises, so the receiver and /healthz are served between
    // runs even if a run made no progress.
    if (wake <= now) setImmediate(() => task.kick());
    else if (Number.isFinite(wake)) task.kickAt(wake);
  };

  const task: SerialTask = createSerialTask(clock, run, (error) => logger.error('planner failed', { error: error instanceof Error ? error.stack : String(error) }));

  return {
    kick: () => task.kick(),
    ingestOrders,
    ingestCustomers,
    idle: () => task.idle(),
    stop: () => task.stop(),
  };
}
