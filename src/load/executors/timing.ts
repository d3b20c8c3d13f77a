/**
 * Waiting for a moment on the real clock. Only timers, no busy-waiting: spinning on setImmediate
 * for sub-millisecond precision cost a tenth of a core per arrival-rate scenario and made the
 * p99 start lag worse on a loaded machine, while a timer lands within about a millisecond.
 */

export const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Resolve at performance.now() >= `at`; returns true when `signal` aborted first. */
export async function waitUntil(at: number, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return true;
    const remaining = at - performance.now();
    if (remaining <= 0) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remaining);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
