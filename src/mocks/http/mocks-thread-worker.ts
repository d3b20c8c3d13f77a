/**
 * The connected-system mocks on their own thread (started by mocks-thread.ts; entered through
 * mocks-thread-entry.mjs). They run exactly as `startMocks` runs them in-thread, on a clock that
 * mirrors the orchestrator's: the same scale, anchored to the same simulated instant, and every
 * jump of either clock applied to both (see mocks-thread.ts for the messages).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createVirtualClock, type Clock } from '../../../lib/clock.ts';
import type { LedgerEntry } from '../../../lib/ledger.ts';
import type { PublishedEntry, SystemName } from '../domain/systems.ts';
import type { MocksThreadData, ToMocksThread, FromMocksThread } from './mocks-thread.ts';
import { startMocks } from './server.ts';

const port = parentPort;
if (!port) throw new Error('Failed to start the mocks thread: mocks-thread-worker.ts runs only as a worker thread. Use startMocksOnThread() from mocks-thread.ts.');
const data = workerData as MocksThreadData;
const post = (message: FromMocksThread): void => port.postMessage(message);

// Anchor: the orchestrator read (sim, real) together; simulated time since then is real time since
// then at the same scale. performance.timeOrigin + performance.now() is the same epoch-based time
// on every thread, so the two clocks agree to within a simulated millisecond (both floor).
const real = performance.timeOrigin + performance.now();
const base = createVirtualClock({ scale: data.scale, start: data.anchorSim + (data.scale === 0 ? 0 : (real - data.anchorReal) * data.scale) });
// A jump asked of the mocks (POST /__mocks/clock) moves the orchestrator's clock too.
const clock: Clock = {
  ...base,
  advance(ms) {
    base.advance(ms);
    post({ type: 'advanced', ms });
  },
};

// What the orchestrator watches, sent once per turn of the loop.
let synced: string[] = [];
let published: PublishedEntry[] = [];
let journalled = 0;
let queued = false;
const flush = (): void => {
  queued = false;
  const message: FromMocksThread = { type: 'events', synced, published, journalled };
  synced = [];
  published = [];
  journalled = 0;
  post(message);
};
const queue = (): void => {
  if (queued) return;
  queued = true;
  setImmediate(flush);
};

const onJournal = (entry: LedgerEntry): void => {
  journalled++;
  // The ERP holds a sales order once a PUT or POST of it succeeded (systems.ts): the orchestrator's
  // "synced" count, which it read in-thread from getSalesOrder before.
  const e = entry as { system?: SystemName; resource?: string; status?: number; key?: string };
  if (e.system === 'erp' && e.resource === 'sales-order' && (e.status === 200 || e.status === 201) && e.key !== undefined) synced.push(e.key);
  queue();
};

const mocks = await startMocks({ ...data.options, clock, onJournal, onPublished: (entry) => {
  published.push(entry);
  queue();
} });

port.on('message', (message: ToMocksThread) => {
  if (message.type === 'advance') {
    base.advance(message.ms);
    return;
  }
  if (message.type === 'close') {
    // Whatever the systems wrote in this turn goes out first; close flushes the journals to disk.
    if (queued) flush();
    void mocks.close().then(
      () => post({ type: 'closed' }),
      (error: unknown) => post({ type: 'closed', error: error instanceof Error ? error.message : String(error) }),
    );
  }
});

post({ type: 'ready', url: mocks.url, controlToken: mocks.controlToken });
