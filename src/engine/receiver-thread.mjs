// The receiver thread's entry (receiver-host.ts starts it). A worker thread does not inherit the
// parent's module hooks (`node --import tsx`), so tsx is registered here before the TypeScript
// receiver is imported: the receiver's code (zod validation, ids.ts routeWebhook) is reused as it
// is rather than forked into plain JavaScript. It costs ~0.6 s of CPU once per engine boot
// (simulator/http/deliver-worker-thread.mjs, which boots per simulator, stayed plain JavaScript).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

if (!parentPort) throw new Error('Failed to start the receiver thread: receiver-thread.mjs runs only as a worker thread. Use startReceiverFront() from receiver-host.ts.');
register();
const { runReceiverThread } = await import('./receiver-thread.ts');
runReceiverThread(parentPort, workerData);
