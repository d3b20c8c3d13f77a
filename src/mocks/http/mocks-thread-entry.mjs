// The mocks thread's entry (mocks-thread.ts starts it). A worker thread does not inherit the
// parent's module hooks (`node --import tsx`), and the mocks are TypeScript that reaches into the
// simulator's catalog generator and the mapping validator, so this plain ESM file registers tsx in
// the worker itself, then loads them. It costs about half a second of CPU, once per UAT run.
import { register } from 'tsx/esm/api';

register();
await import('./mocks-thread-worker.ts');
