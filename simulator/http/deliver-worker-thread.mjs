// The delivery worker's loop (deliver-worker.ts starts it): requests arrive in batches from the
// main thread, go out through one undici pool with the same `timedRequest` as the in-thread
// deliver, and their results go back in batches. `durationMs` is measured here, on a loop that does
// nothing else, so it is the receiver's answer time and not the time the answer waited for the
// simulator's busy main loop.
//
// Plain JavaScript, like timed-request.mjs: a worker thread does not inherit the parent's module
// hooks, so TypeScript here would need tsx registered in the worker, which made each boot cost
// about 0.8 s instead of 0.2 s. Message shapes: WorkerDeliveryRequest and WorkerDeliveryResult in
// deliver-worker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createDeliveryAgent, timedRequest } from './timed-request.mjs';

const port = parentPort;
if (!port) throw new Error('Failed to start the delivery worker: deliver-worker-thread.mjs runs only as a worker thread. Use createWorkerDeliver() from deliver-worker.ts.');
const agent = createDeliveryAgent(workerData?.connections);

// Results finished in the same turn of the loop go back in one message.
let results = [];
const flush = () => {
  const batch = results;
  results = [];
  port.postMessage(batch);
};

port.on('message', (batch) => {
  for (const { id, url, headers, body, timeoutMs } of batch) {
    void timedRequest(agent, url, { method: 'POST', headers, body }, timeoutMs).then((result) => {
      if (results.length === 0) setImmediate(flush);
      results.push({ id, ...result });
    });
  }
});
