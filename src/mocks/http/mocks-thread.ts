/**
 * The connected-system mocks on a worker thread, for the UAT run (issue 15). In-thread, the mocks
 * shared the orchestrator's one event loop with the simulator: at a flash sale's peak, parsing,
 * validating and journalling the integration's writes took about a tenth of a loop that was already
 * saturated placing orders, so placements queued and the load runner dropped arrivals. Here they
 * run as `startMocks` runs them, on a loop of their own.
 *
 * One clock, two copies. The UAT's claim that a jump (a 52-hour outage) moves the simulator and the
 * mocks together holds by messages: the orchestrator's clock is wrapped (`linkClock`) so a jump is
 * sent to the thread, and a jump the mocks are asked for (POST /__mocks/clock) is applied to the
 * orchestrator's clock. Between jumps both compute the same simulated time from the same anchor.
 *
 * What the orchestrator read from the mocks in-thread comes as batched messages instead: which
 * sales orders the ERP holds, how many journal lines were written, and what the systems published.
 * The journals and feeds are the same files in the run directory, flushed when `close()` resolves.
 */
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../../lib/clock.ts';
import type { PublishedEntry } from '../domain/systems.ts';
import type { MocksOptions } from './server.ts';

/** What the thread is started with (workerData): plain data only. */
export interface MocksThreadData {
  options: Omit<MocksOptions, 'clock' | 'onPublished' | 'onJournal'>;
  scale: number;
  /** The orchestrator's simulated and epoch-real time, read together. */
  anchorSim: number;
  anchorReal: number;
}

export type ToMocksThread = { type: 'advance'; ms: number } | { type: 'close' };

export type FromMocksThread =
  | { type: 'ready'; url: string; controlToken: string }
  | { type: 'events'; synced: string[]; published: PublishedEntry[]; journalled: number }
  | { type: 'advanced'; ms: number }
  | { type: 'closed'; error?: string };

export interface MocksOnThreadOptions extends Omit<MocksOptions, 'clock' | 'onJournal' | 'timeScale' | 'start'> {
  /** The orchestrator's clock, as `linkClock` returned it. */
  clock: LinkedClock;
}

export interface MocksOnThread {
  url: string;
  controlToken: string;
  /** Journal lines the systems wrote so far (every system). */
  journalCount(): number;
  /** Whether the ERP holds a sales order under this key (a PUT or POST of it succeeded). */
  salesOrderSynced(key: string): boolean;
  /** Why the thread stopped before `close()` was asked (a bug in the harness), if it did. */
  failure(): string | undefined;
  close(): Promise<void>;
}

/** A clock whose jumps are also sent to the mocks thread once one is attached. */
export interface LinkedClock extends Clock {
  /** The clock this one wraps: a jump the thread reports is applied here, so it is not sent back. */
  readonly inner: Clock;
  attach(send: ((ms: number) => void) | undefined): void;
}

export function linkClock(inner: Clock): LinkedClock {
  let send: ((ms: number) => void) | undefined;
  return {
    ...inner,
    inner,
    advance(ms) {
      inner.advance(ms);
      send?.(ms);
    },
    attach(fn) {
      send = fn;
    },
  };
}

const ENTRY = new URL('./mocks-thread-entry.mjs', import.meta.url);

export function startMocksOnThread(options: MocksOnThreadOptions): Promise<MocksOnThread> {
  const { clock, onPublished, ...rest } = options;
  const anchorReal = performance.timeOrigin + performance.now();
  const data: MocksThreadData = { options: rest, scale: clock.scale, anchorSim: clock.now(), anchorReal };
  // No inherited flags: the entry registers tsx itself, and some of the parent's are refused in a
  // worker (`node --input-type=module -e` kills it at boot).
  const worker = new Worker(ENTRY, { execArgv: [], workerData: data });
  const synced = new Set<string>();
  let journalled = 0;
  let closed: (() => void) | undefined;
  let failure: string | undefined;
  let died: string | undefined;

  return new Promise<MocksOnThread>((resolve, reject) => {
    let ready = false;
    worker.on('message', (message: FromMocksThread) => {
      switch (message.type) {
        case 'ready': {
          ready = true;
          clock.attach((ms) => worker.postMessage({ type: 'advance', ms } satisfies ToMocksThread));
          resolve({
            url: message.url,
            controlToken: message.controlToken,
            journalCount: () => journalled,
            salesOrderSynced: (key) => synced.has(key),
            failure: () => died,
            close: () => close(),
          });
          return;
        }
        case 'events':
          journalled += message.journalled;
          for (const key of message.synced) synced.add(key);
          if (onPublished) for (const entry of message.published) onPublished(entry);
          return;
        case 'advanced':
          clock.inner.advance(message.ms);
          return;
        case 'closed':
          if (message.error) failure = `the mocks failed to close: ${message.error}`;
          closed?.();
      }
    });
    worker.on('error', (error) => {
      failure = error.message;
    });
    worker.on('exit', (code) => {
      clock.attach(undefined);
      if (!closing) died = `the connected-system mocks' thread stopped (${failure ?? `exit code ${code}`})`;
      closed?.();
      if (!ready) reject(new Error(`Failed to start the connected-system mocks on their thread: ${failure ?? `it exited with code ${code}`}.`));
    });

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= new Promise<void>((done) => {
        clock.attach(undefined);
        closed = done;
        worker.postMessage({ type: 'close' } satisfies ToMocksThread);
      }).then(async () => {
        await worker.terminate();
        if (failure) throw new Error(failure);
      });
      return closing;
    };
  });
}
