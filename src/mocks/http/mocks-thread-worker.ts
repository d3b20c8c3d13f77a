/**
 * The connected-system mocks on their own thread (started by mocks-thread.ts; entered through
 * mocks-thread-entry.mjs). They run exactly as `startMocks` runs them in-thread, on a clock that
 * is the orchestrator's rebuilt: the same formula, and the jumps of both in shared memory (see
 * mocks-thread.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerEntry } from '../../../lib/ledger.ts';
import type { PublishedEntry, SystemName } from '../domain/systems.ts';
import { linkedClock, type MocksThreadData, type ToMocksThread, type FromMocksThread } from './mocks-thread.ts';
import { startMocks } from './server.ts';

const port = parentPort;
if (!port) throw new Error('Failed to start the mocks thread: mocks-thread-worker.ts runs only as a worker thread. Use startMocksOnThread() from mocks-thread.ts.');
const data = workerData as MocksThreadData;
const post = (message: FromMocksThread): void => port.postMessage(message);

// The orchestrator's clock, rebuilt: same formula, jumps in shared memory (mocks-thread.ts).
const clock = linkedClock(data.clock);
// A jump asked of the mocks (POST /__mocks/clock): the orchestrator's clock already sees it; tell
// it to run the timers it brought due.
clock.onJump(() => post({ type: 'jumped' }));

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
  if (message.type === 'sync') {
    clock.sync();
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
