/**
 * The iterations a scenario has running, so that at the end of its duration it can give them
 * their gracefulStop and then interrupt the rest (k6 `getDurationContexts`).
 */
import { waitUntil } from './timing.ts';
import type { RunningIteration } from './types.ts';

export interface Inflight {
  track(iteration: RunningIteration): void;
  size(): number;
  /** Wait up to `graceMs` for running iterations to finish, then interrupt the rest. */
  drain(graceMs: number, signal: AbortSignal): Promise<void>;
  interruptAll(): void;
}

export function createInflight(): Inflight {
  const running = new Set<RunningIteration>();
  let changed: (() => void) | undefined;
  return {
    track(iteration) {
      running.add(iteration);
      void iteration.done.then(() => {
        running.delete(iteration);
        changed?.();
      });
    },
    size: () => running.size,
    async drain(graceMs, signal) {
      if (running.size > 0 && graceMs > 0 && !signal.aborted) {
        // One timer for the whole grace period, cancelled as soon as nothing is left to wait for
        // (a pending timer would keep the process alive for up to gracefulStop).
        const stopWaiting = new AbortController();
        const onStop = () => stopWaiting.abort();
        signal.addEventListener('abort', onStop, { once: true });
        let expired = false;
        const timedOut = waitUntil(performance.now() + graceMs, stopWaiting.signal).then(() => (expired = true));
        while (running.size > 0 && !expired && !signal.aborted) {
          const oneDone = new Promise<void>((resolve) => (changed = resolve));
          await Promise.race([oneDone, timedOut]);
          changed = undefined;
        }
        stopWaiting.abort();
        signal.removeEventListener('abort', onStop);
      }
      for (const it of running) it.interrupt();
    },
    interruptAll() {
      for (const it of running) it.interrupt();
    },
  };
}
