/**
 * Where the engine's HTTP front (front.ts: the webhook receiver, /metrics, /healthz) runs:
 *
 * - 'worker' (the default when the engine owns its clock): on a thread of its own
 *   (receiver-thread.ts), so a webhook's answer never waits for the main thread's mapper slices,
 *   JSON parsing or writes. Metrics events, log lines and planner wake-ups come back by message,
 *   batched per turn of the thread's loop; /metrics and /healthz are asked of the main thread.
 * - 'main': on the main thread, as before. For an injected clock the thread cannot share (a manual
 *   clock moved by `advance`, a simulator's clock a test jumps), and for comparison.
 *
 * Either way only the receiver writes the inbox file (inbox.ts), so an insert never waits for
 * another writer's lock.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../lib/clock.ts';
import type { EngineBus } from './events.ts';
import { createFront } from './front.ts';
import { createInboxWriter, type InboxWriter } from './inbox.ts';
import type { Logger } from './logger.ts';
import { createReceiver } from './receiver.ts';
import type { FromReceiverThread, ReceiverThreadData, ToReceiverThread } from './receiver-thread.ts';

export type ReceiverOn = 'worker' | 'main';

export interface ReceiverFrontOptions {
  on: ReceiverOn;
  inboxPath: string;
  port: number;
  host: string;
  secret: string;
  storeHash: string;
  knownScopes: ReadonlySet<string>;
  clock: Clock;
  /** How the receiver thread rebuilds `clock` (required for 'worker'). */
  clockState?: { scale: number; start: number; realStart: number };
  bus: EngineBus;
  logger: Logger;
  /** A new event was stored (wakes the planner). */
  onAccepted: () => void;
  metrics(): string;
  health(): string;
}

export interface ReceiverFront {
  readonly on: ReceiverOn;
  /** The port it listens on (the one asked for, or the one picked for 0). */
  readonly port: number;
  /** InboxWriter.prune, run by the inbox's writer (the receiver's thread). */
  prune(before: number, plannedUpTo: number): Promise<number>;
  close(): Promise<void>;
  /** The running thread, when on 'worker' (tests terminate it to check the restart). */
  currentWorker(): Worker | undefined;
}

const ENTRY = new URL('./receiver-thread.mjs', import.meta.url);

export async function startReceiverFront(options: ReceiverFrontOptions): Promise<ReceiverFront> {
  return options.on === 'worker' ? startOnWorker(options) : startOnMain(options);
}

async function startOnMain(options: ReceiverFrontOptions): Promise<ReceiverFront> {
  const inbox: InboxWriter = createInboxWriter(options.inboxPath);
  const receiver = createReceiver({ ...options, inbox });
  const server: Server = createFront({ receiver, metrics: options.metrics, health: options.health });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    inbox.close();
    throw error;
  }
  return {
    on: 'main',
    port: (server.address() as AddressInfo).port,
    prune: async (before, upTo) => inbox.prune(before, upTo),
    currentWorker: () => undefined,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      inbox.close();
    },
  };
}

async function startOnWorker(options: ReceiverFrontOptions): Promise<ReceiverFront> {
  if (!options.clockState) throw new Error('Failed to start the receiver thread: it needs the clock state (scale, start, realStart) to rebuild the engine clock.');
  const data: ReceiverThreadData = {
    inboxPath: options.inboxPath,
    secret: options.secret,
    storeHash: options.storeHash,
    knownScopes: [...options.knownScopes],
    clock: options.clockState,
    port: options.port,
    host: options.host,
  };
  let closing = false;
  let nextPrune = 1;
  let pruning = new Map<number, { resolve: (n: number) => void; reject: (error: Error) => void }>();

  const boot = (port: number) =>
    new Promise<{ worker: Worker; port: number }>((resolve, reject) => {
      // No inherited flags: some of the parent's are refused in a worker; the entry registers tsx.
      const worker = new Worker(ENTRY, { execArgv: [], workerData: { ...data, port } });
      let listening = false;
      let failure: string | undefined;
      worker.on('message', (batch: FromReceiverThread[]) => {
        for (const m of batch) {
          switch (m.kind) {
            case 'listening':
              listening = true;
              resolve({ worker, port: m.port });
              break;
            case 'failed':
              failure = m.error;
              break;
            case 'received':
              options.bus.emit('webhook:received', m.event);
              break;
            case 'log':
              options.logger.log(m.level, m.msg, m.fields);
              break;
            case 'accepted':
              options.onAccepted();
              break;
            case 'ask': {
              let reply: ToReceiverThread;
              try {
                reply = { kind: 'answer', id: m.id, text: m.what === 'metrics' ? options.metrics() : options.health() };
              } catch (error) {
                reply = { kind: 'answer', id: m.id, error: (error as Error).message };
              }
              worker.postMessage(reply);
              break;
            }
            case 'pruned': {
              const waiting = pruning.get(m.id);
              pruning.delete(m.id);
              if (m.error !== undefined) waiting?.reject(new Error(m.error));
              else waiting?.resolve(m.n ?? 0);
              break;
            }
            case 'closed':
              break;
          }
        }
      });
      worker.on('error', (error) => (failure = error.stack ?? error.message));
      worker.on('exit', (code) => {
        const reason = failure ?? `exit code ${code}`;
        for (const { reject: fail } of pruning.values()) fail(new Error(`the receiver thread exited (${reason})`));
        pruning = new Map();
        if (!listening) {
          reject(new Error(`Failed to start the webhook receiver on ${options.host}:${port}: ${reason}`));
          return;
        }
        if (closing || current?.worker !== worker) return;
        // Webhooks would go unanswered (and the platform deactivate the hooks): start it again on
        // the same port. Events it stored are in the inbox file; the planner finds them there.
        options.logger.error('the webhook receiver thread died; starting it again', { error: reason });
        current = undefined;
        boot(bound).then(
          (next) => {
            if (closing) void next.worker.terminate();
            else current = next;
          },
          (error: Error) => options.logger.error('could not restart the webhook receiver thread; webhooks go unanswered until the engine restarts', { error: error.message }),
        );
      });
    });

  let current: { worker: Worker; port: number } | undefined = await boot(options.port);
  const bound = current.port;

  return {
    on: 'worker',
    port: bound,
    currentWorker: () => current?.worker,
    prune(before, upTo) {
      const own = current;
      if (!own) return Promise.reject(new Error('the receiver thread is not running'));
      return new Promise<number>((resolve, reject) => {
        const id = nextPrune++;
        pruning.set(id, { resolve, reject });
        own.worker.postMessage({ kind: 'prune', id, before, upTo } satisfies ToReceiverThread);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const own = current;
      current = undefined;
      if (!own) return;
      const exited = new Promise<void>((resolve) => own.worker.once('exit', () => resolve()));
      own.worker.postMessage({ kind: 'close' } satisfies ToReceiverThread);
      const timer = setTimeout(() => void own.worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
