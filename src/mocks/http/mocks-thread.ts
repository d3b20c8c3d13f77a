/**
 * The connected-system mocks on a worker thread, for the UAT run (issue 15). In-thread, the mocks
 * shared the orchestrator's one event loop with the simulator: at a flash sale's peak, parsing,
 * validating and journalling the integration's writes took about a tenth of a loop that was already
 * saturated placing orders, so placements queued and the load runner dropped arrivals. Here they
 * run as `startMocks` runs them, on a loop of their own.
 *
 * One clock, two copies. Both threads build the same clock from the same formula (scale, start,
 * real start), and every jump (a 52-hour outage; POST /__mocks/clock) is added to a counter in
 * shared memory that both clocks' `now()` read, so a jump on either thread is seen on the other at
 * once. A message then tells the other thread to run the timers the jump brought due.
 *
 * What the orchestrator read from the mocks in-thread comes as batched messages instead: which
 * sales orders the ERP holds, how many journal lines were written, and what the systems published.
 * The journals and feeds are the same files in the run directory, flushed when `close()` resolves.
 */
import { Worker } from 'node:worker_threads';
import { createVirtualClock, type Clock } from '../../../lib/clock.ts';
import type { PublishedEntry } from '../domain/systems.ts';
import type { MocksOptions } from './server.ts';

/** What the thread is started with (workerData): plain data, and the clock's shared jumps. */
export interface MocksThreadData {
  options: Omit<MocksOptions, 'clock' | 'onPublished' | 'onJournal'>;
  clock: LinkedClockState;
}

/** `sync`: the orchestrator's clock jumped; run the timers that brought due. */
export type ToMocksThread = { type: 'sync' } | { type: 'close' };

export type FromMocksThread =
  | { type: 'ready'; url: string; controlToken: string }
  | { type: 'events'; synced: string[]; published: PublishedEntry[]; journalled: number }
  | { type: 'jumped' }
  | { type: 'closed'; error?: string };

export interface MocksOnThreadOptions extends Omit<MocksOptions, 'clock' | 'onJournal' | 'timeScale' | 'start'> {
  /** The orchestrator's clock, from `createLinkedClock`. */
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

/** How the mocks thread rebuilds the orchestrator's clock: its formula, and the jumps, shared. */
export interface LinkedClockState {
  scale: number;
  start: number;
  realStart: number;
  /** Total simulated ms jumped, by either thread (one BigInt64 slot). */
  jumps: SharedArrayBuffer;
}

/**
 * A clock whose jumps live in shared memory (`state.jumps`), so a jump made on one thread is in
 * the other's `now()` at once, with no message in between: the verifier compares the time an
 * order was read (the simulator's clock) with the time it was written to a mock (the mocks'
 * clock), and a jump the mocks learnt of a message later made a write look older than its read.
 * Timers catch up at `sync()`, which the thread that did not jump runs when told.
 */
export interface LinkedClock extends Clock {
  readonly state: LinkedClockState;
  /** Run the timers a jump made on the other thread brought due. */
  sync(): void;
  /** Called after every jump made on this side (the orchestrator tells the mocks thread). */
  onJump(fn: (() => void) | undefined): void;
}

export function createLinkedClock(options: { scale: number; start?: number }): LinkedClock {
  const realStart = performance.timeOrigin + performance.now();
  const state: LinkedClockState = { scale: options.scale, start: options.start ?? Math.round(realStart), realStart, jumps: new SharedArrayBuffer(8) };
  return linkedClock(state);
}

/** The clock of `state` on this thread (the mocks thread calls it with the state it was given). */
export function linkedClock(state: LinkedClockState): LinkedClock {
  const base = createVirtualClock({ scale: state.scale, start: state.start, realStart: state.realStart });
  const jumps = new BigInt64Array(state.jumps);
  // Jumps already applied to `base` (its timers fired for them).
  let applied = 0n;
  let onJump: (() => void) | undefined;
  const pending = () => Number(Atomics.load(jumps, 0) - applied);
  const sync = () => {
    const total = Atomics.load(jumps, 0);
    if (total <= applied) return;
    const step = Number(total - applied);
    applied = total;
    base.advance(step);
  };
  return {
    ...base,
    state,
    now: () => base.now() + pending(),
    // Due from the time this thread reads now, including a jump not yet synced.
    setTimer: (delayMs, fn) => base.setTimer(delayMs + pending(), fn),
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`Failed to advance the clock: ${ms} is not a duration >= 0.`);
      Atomics.add(jumps, 0, BigInt(Math.round(ms)));
      sync();
      onJump?.();
    },
    sync,
    onJump(fn) {
      onJump = fn;
    },
  };
}

const ENTRY = new URL('./mocks-thread-entry.mjs', import.meta.url);

export function startMocksOnThread(options: MocksOnThreadOptions): Promise<MocksOnThread> {
  const { clock, onPublished, ...rest } = options;
  const data: MocksThreadData = { options: rest, clock: clock.state };
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
          clock.onJump(() => worker.postMessage({ type: 'sync' } satisfies ToMocksThread));
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
        case 'jumped':
          clock.sync();
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
      clock.onJump(undefined);
      if (!closing) died = `the connected-system mocks' thread stopped (${failure ?? `exit code ${code}`})`;
      closed?.();
      if (!ready) reject(new Error(`Failed to start the connected-system mocks on their thread: ${failure ?? `it exited with code ${code}`}.`));
    });

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= new Promise<void>((done) => {
        clock.onJump(undefined);
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
