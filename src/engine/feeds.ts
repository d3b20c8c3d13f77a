/**
 * Polls the connected systems' change feeds (`GET <feed>?since=<watermark>`, DESIGN.md section
 * 8): every record changed since the watermark goes through its routes into the outbox, and the
 * watermark advances to the feed's `nextSince` in the same transaction, so a crash re-reads at most
 * one page and re-stages identical records (which the outbox ignores).
 *
 * Feeds compare `updatedAt >= since`, so each poll sees the last record of the previous one again;
 * that is harmless for the same reason. A full page is followed at once by the next.
 */
import type { Clock } from '../../lib/clock.ts';
import { createKv, type EngineDb } from './db.ts';
import type { EngineBus } from './events.ts';
import type { FlowSelection } from './flows/index.ts';
import type { Feed, FeedSystem } from './flows/types.ts';
import type { Logger } from './logger.ts';
import type { Mapper } from './mapper.ts';
import { createSerialTask, every, type SerialTask } from './timers.ts';
import { TargetUnavailable, type ConnectedClient } from './writers/connected.ts';

export const FEED_PAGE = 1000;

export interface FeedPoller {
  start(): void;
  /** Poll every feed now (after an outage, or from tests). */
  pollAll(): void;
  idle(): Promise<void>;
  stop(): void;
}

export function createFeedPoller(options: {
  clock: Clock;
  db: EngineDb;
  selection: FlowSelection;
  clients: Record<FeedSystem, ConnectedClient>;
  mapper: Mapper;
  bus: EngineBus;
  logger: Logger;
  /** Overrides every feed's own interval (simulated ms). */
  everyMs?: number;
  onStaged: () => void;
  /** A poll failed or succeeded (for the failure-rate alert). */
  onOutcome: (ok: boolean, system: string) => void;
}): FeedPoller {
  const { clock, db, selection, clients, mapper, bus, logger } = options;
  const kv = createKv(db);
  const timers: { stop(): void }[] = [];
  const tasks = new Map<string, SerialTask>();

  const pollFeed = async (feed: Feed) => {
    const routes = selection.routesFrom(feed.source);
    for (let page = 0; page < 100; page++) {
      const watermarkKey = `feed:${feed.name}`;
      const since = kv.get(watermarkKey);
      let result: Awaited<ReturnType<ConnectedClient['feed']>>;
      try {
        result = await clients[feed.system].feed(feed.path, since, FEED_PAGE);
      } catch (error) {
        if (!(error instanceof TargetUnavailable)) throw error;
        options.onOutcome(false, `${feed.system} feed ${feed.name}`);
        logger.warn('feed poll failed; the next poll retries from the same watermark', { feed: feed.name, error: error.message });
        return;
      }
      options.onOutcome(true, `${feed.system} feed ${feed.name}`);
      const now = clock.now();
      db.tx(() => {
        for (const record of result.data) for (const route of routes) mapper.map(route, record, { observedAt: now, now });
        if (result.nextSince) kv.set(watermarkKey, result.nextSince);
      });
      bus.emit('feed:polled', { feed: feed.name, records: result.data.length, watermark: result.nextSince ?? since ?? null });
      if (result.data.length > 0) options.onStaged();
      if (result.data.length < FEED_PAGE) return;
      if (result.nextSince === since) {
        // More than a page of records share one timestamp: the feed has no cursor to go past
        // them. Say so loudly instead of spinning; the next poll tries again.
        logger.error('feed cannot advance: a full page of records shares one updatedAt', { feed: feed.name, since });
        return;
      }
    }
  };

  for (const feed of selection.feeds) {
    tasks.set(feed.name, createSerialTask(clock, () => pollFeed(feed), (error) => logger.error('feed poller failed', { feed: feed.name, error: error instanceof Error ? error.stack : String(error) })));
  }

  return {
    start() {
      for (const feed of selection.feeds) {
        const task = tasks.get(feed.name)!;
        task.kick();
        timers.push(every(clock, options.everyMs ?? feed.everyMs, () => task.kick()));
      }
    },
    pollAll() {
      for (const task of tasks.values()) task.kick();
    },
    idle: async () => {
      await Promise.all([...tasks.values()].map((t) => t.idle()));
    },
    stop() {
      for (const t of timers) t.stop();
      for (const t of tasks.values()) t.stop();
    },
  };
}
