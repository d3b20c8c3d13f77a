// The delivery worker's entry (deliver-worker.ts starts it). A worker thread does not inherit the
// parent's module hooks: under vitest, and under bin/bc-harness.js (which registers tsx in the
// main thread only), a Worker of a .ts file fails to load. So this plain ESM file registers tsx in
// the worker itself, then loads the TypeScript. The worker starts without the parent's flags
// (deliver-worker.ts), so this is the only registration in it however the parent was started.
import { register } from 'tsx/esm/api';

register();
await import('./deliver-worker-thread.ts');
