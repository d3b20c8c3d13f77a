/**
 * The delivery worker's loop (entered through deliver-worker-entry.mjs): requests arrive in
 * batches from deliver-worker.ts, go out through one undici pool with the same `timedRequest` as
 * the in-thread deliver, and their results go back in batches. `durationMs` is measured here, on a
 * loop that does nothing else, so it is the receiver's answer time and not the time the answer
 * waited for the simulator's busy main loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDeliveryAgent, timedRequest } from './deliver.ts';
import type { WorkerDeliveryRequest, WorkerDeliveryResult } from './deliver-worker.ts';

const port = parentPort;
if (!port) throw new Error('Failed to start the delivery worker: deliver-worker-thread.ts runs only as a worker thread. Use createWorkerDeliver() from deliver-worker.ts.');
const agent = createDeliveryAgent((workerData as { connections?: number } | undefined)?.connections);

// Results finished in the same turn of the loop go back in one message.
let results: WorkerDeliveryResult[] = [];
const flush = (): void => {
  const batch = results;
  results = [];
  port.postMessage(batch);
};

port.on('message', (batch: WorkerDeliveryRequest[]) => {
  for (const { id, url, headers, body, timeoutMs } of batch) {
    void timedRequest(agent, url, { method: 'POST', headers, body }, timeoutMs).then((result) => {
      if (results.length === 0) setImmediate(flush);
      results.push({ id, ...result });
    });
  }
});
