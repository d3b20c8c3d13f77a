/**
 * The engine's HTTP front on a thread of its own (receiver-host.ts starts it). At a flash sale's
 * peak the main thread runs the mapper's SQLite slices (10-21 ms each), parses 7 MB order pages
 * and writes to the connected systems; a receiver on that loop answered behind all of it (p95
 * 32.5 real ms at 144x where 20.8 are allowed). Here the receiver checks, validates, commits to the
 * inbox file (which only this thread writes) and answers on a loop that does nothing else.
 *
 * What the receiver would have told the main thread directly (metrics events, log lines, "wake
 * the planner") goes there by message, batched per turn of this loop; `GET /metrics` and `GET
 * /healthz` need the main thread's state and are asked for by message.
 */
import type { MessagePort } from 'node:worker_threads';
import { createVirtualClock } from '../../lib/clock.ts';
import { createEngineBus, type EngineEvents } from './events.ts';
import { createFront } from './front.ts';
import { createInboxWriter } from './inbox.ts';
import type { Logger, LogLevel } from './logger.ts';
import { createReceiver } from './receiver.ts';

export interface ReceiverThreadData {
  inboxPath: string;
  secret: string;
  storeHash: string;
  knownScopes: string[];
  /** Rebuilds the engine's running clock here (lib/clock.ts `realStart`). */
  clock: { scale: number; start: number; realStart: number };
  port: number;
  host: string;
}

/** Thread to main thread, in arrays of those produced in one turn of the loop. */
export type FromReceiverThread =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; error: string }
  | { kind: 'received'; event: EngineEvents['webhook:received'] }
  | { kind: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> }
  | { kind: 'accepted' }
  | { kind: 'ask'; id: number; what: 'metrics' | 'health' }
  | { kind: 'pruned'; id: number; n?: number; error?: string }
  | { kind: 'closed' };

/** Main thread to thread. */
export type ToReceiverThread = { kind: 'answer'; id: number; text?: string; error?: string } | { kind: 'prune'; id: number; before: number; upTo: number } | { kind: 'close' };

export function runReceiverThread(port: MessagePort, data: ReceiverThreadData): void {
  let out: FromReceiverThread[] = [];
  const flush = () => {
    const batch = out;
    out = [];
    if (batch.length > 0) port.postMessage(batch);
  };
  const post = (message: FromReceiverThread) => {
    if (out.length === 0) setImmediate(flush);
    out.push(message);
  };

  const clock = createVirtualClock(data.clock);
  const inbox = createInboxWriter(data.inboxPath);
  const bus = createEngineBus();
  bus.on('webhook:received', (event) => post({ kind: 'received', event }));
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => post({ kind: 'log', level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = { log, info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
  let acceptedPosted = false;
  const onAccepted = () => {
    // One wake-up per batch is enough: the planner takes everything new.
    if (acceptedPosted) return;
    acceptedPosted = true;
    post({ kind: 'accepted' });
    setImmediate(() => (acceptedPosted = false));
  };
  const receiver = createReceiver({ inbox, clock, secret: data.secret, storeHash: data.storeHash, knownScopes: new Set(data.knownScopes), bus, logger, onAccepted });

  let nextAsk = 1;
  const asked = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  const ask = (what: 'metrics' | 'health') =>
    new Promise<string>((resolve, reject) => {
      const id = nextAsk++;
      asked.set(id, { resolve, reject });
      post({ kind: 'ask', id, what });
    });
  const server = createFront({ receiver, metrics: () => ask('metrics'), health: () => ask('health') });

  port.on('message', (message: ToReceiverThread) => {
    switch (message.kind) {
      case 'answer': {
        const waiting = asked.get(message.id);
        asked.delete(message.id);
        if (message.error !== undefined) waiting?.reject(new Error(message.error));
        else waiting?.resolve(message.text ?? '');
        return;
      }
      case 'prune': {
        try {
          post({ kind: 'pruned', id: message.id, n: inbox.prune(message.before, message.upTo) });
        } catch (error) {
          post({ kind: 'pruned', id: message.id, error: (error as Error).message });
        }
        return;
      }
      case 'close': {
        server.closeAllConnections();
        server.close(() => {
          inbox.close();
          post({ kind: 'closed' });
          flush();
          port.close();
        });
        return;
      }
    }
  });

  server.once('error', (error) => {
    post({ kind: 'failed', error: error.message });
    flush();
    inbox.close();
    port.close();
  });
  server.listen(data.port, data.host, () => {
    const address = server.address();
    post({ kind: 'listening', port: typeof address === 'object' && address ? address.port : data.port });
  });
}
