/**
 * Webhook delivery on a worker thread (issue 15). In a UAT the simulator, the mocks and the
 * orchestrator share one event loop; at a flash sale's peak it is saturated, so (1) each
 * delivery's HTTP client work competed with everything else on it, and (2) a delivery's
 * `durationMs`, measured on that loop, included the time the receiver's answer waited for the
 * loop: the verifier's receiver-latency check blamed the integration for the harness's own lag.
 * Here one worker thread runs the undici pool and `timedRequest`, and measures `durationMs` on its
 * own loop; the main thread only posts requests and resolves promises.
 *
 * Same interface as `createUndiciDeliver` (deliver.ts), which stays the in-thread alternative.
 */
import { Worker } from 'node:worker_threads';
import { HARNESS_DELIVERY_ERROR, type Deliver, type DeliveryRequest, type DeliveryResult } from '../domain/webhooks/dispatcher.ts';

/** Main thread to worker: one delivery, in an array of those posted in the same turn of the loop. */
export interface WorkerDeliveryRequest extends DeliveryRequest {
  id: number;
}

/** Worker to main thread: one delivery's result. */
export interface WorkerDeliveryResult extends DeliveryResult {
  id: number;
}

export interface WorkerDeliverOptions {
  /** Keep-alive connections per destination origin, as createUndiciDeliver's. */
  connections?: number;
  /** Real ms `close()` waits for deliveries in flight before it terminates the worker. */
  closeWaitMs?: number;
  /** Where a worker's death is reported (once per death); default console.error. */
  log?: (message: string) => void;
}

export type WorkerDeliver = Deliver & {
  close(): Promise<void>;
  /**
   * Starts the worker now instead of with the first delivery. Booting it (a thread, undici) takes
   * 0.2 to 0.5 real seconds; on a running clock that would make the first deliveries late in
   * simulated time too (a second is over two simulated minutes at 144x).
   */
  start(): void;
  /** The running worker, if one was started (tests terminate it to check recovery). */
  currentWorker(): Worker | undefined;
};

interface Pending {
  resolve: (result: DeliveryResult) => void;
  /** performance.now() on the main thread when deliver() was called, for failures only. */
  started: number;
}

interface Slot {
  worker: Worker;
  /** Posted to this worker, not yet answered. */
  pending: Map<number, Pending>;
}

const ENTRY = new URL('./deliver-worker-thread.mjs', import.meta.url);

export function createWorkerDeliver(options: WorkerDeliverOptions = {}): WorkerDeliver {
  const log = options.log ?? ((message: string) => console.error(`[simulator] ${message}`));
  let slot: Slot | undefined;
  let nextId = 1;
  let closing = false;
  /** Called but not yet posted: they go out together at the end of this turn of the loop. */
  let queue: Array<WorkerDeliveryRequest & Pending> = [];
  let settledWaiter: (() => void) | undefined;

  const settle = (own: Slot, id: number, result: DeliveryResult): void => {
    const entry = own.pending.get(id);
    if (!entry) return;
    own.pending.delete(id);
    entry.resolve(result);
    if (own.pending.size > 0) return;
    own.worker.unref();
    if (settledWaiter && queue.length === 0) settledWaiter();
  };

  // Started on the first delivery or by start(), not always with the simulator: most simulators in
  // tests never deliver, and booting a worker costs a few hundred ms of CPU.
  const start = (): Slot => {
    // No inherited flags: the thread is plain JavaScript and needs no loader, and some of the
    // parent's flags are refused in a worker (`node --input-type=module -e` kills it at boot).
    const worker = new Worker(ENTRY, { execArgv: [], workerData: { connections: options.connections } });
    const own: Slot = { worker, pending: new Map() };
    let failure: string | undefined;
    worker.on('message', (results: WorkerDeliveryResult[]) => {
      for (const { id, ...result } of results) settle(own, id, result);
    });
    worker.on('error', (error) => {
      failure = error.message;
    });
    worker.on('exit', (code) => {
      if (slot === own) slot = undefined;
      if (!closing) {
        log(
          `Webhook delivery worker exited (${failure ?? `exit code ${code}`}); ${own.pending.size} deliveries in flight end as '${HARNESS_DELIVERY_ERROR.workerExited}' and are retried on the webhook ladder, later deliveries start a new worker.`,
        );
      }
      abandon(own);
    });
    // An idle worker never keeps a process alive (the simulator's server does, while it runs);
    // one with deliveries in flight does, like the sockets of the in-thread deliver, so a
    // delivery's promise never dangles in a process that exits under it. After the listeners:
    // adding a 'message' listener refs the worker's port again.
    worker.unref();
    return own;
  };

  /** Ends every delivery still in flight on a worker that is gone. */
  const abandon = (own: Slot): void => {
    const now = performance.now();
    for (const [id, { started }] of [...own.pending]) settle(own, id, { error: HARNESS_DELIVERY_ERROR.workerExited, durationMs: now - started });
  };

  const flush = (): void => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    slot ??= start();
    const message: WorkerDeliveryRequest[] = [];
    for (const { id, url, headers, body, timeoutMs, resolve, started } of batch) {
      slot.pending.set(id, { resolve, started });
      message.push({ id, url, headers, body, timeoutMs });
    }
    slot.worker.ref();
    slot.worker.postMessage(message);
  };

  const deliver = (({ url, headers, body, timeoutMs }) =>
    new Promise<DeliveryResult>((resolve) => {
      if (closing) {
        resolve({ error: HARNESS_DELIVERY_ERROR.deliverClosed, durationMs: 0 });
        return;
      }
      if (queue.length === 0) setImmediate(flush);
      queue.push({ id: nextId++, url, headers, body, timeoutMs, resolve, started: performance.now() });
    })) as WorkerDeliver;

  deliver.currentWorker = () => slot?.worker;

  deliver.start = () => {
    if (!closing) slot ??= start();
  };

  deliver.close = async () => {
    if (closing) return;
    closing = true;
    flush();
    const own = slot;
    if (!own) return;
    if (own.pending.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.closeWaitMs ?? 1_000);
        settledWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await own.worker.terminate();
    // Whatever was still in flight after the wait ends as 'worker-exited'.
    abandon(own);
  };

  return deliver;
}
