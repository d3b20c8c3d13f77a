/**
 * Waiting on the virtual clock. Every engine timer (backoff, batch windows, polls, the monitor)
 * goes through these, so at TIME_SCALE 60 "five minutes" takes five real seconds and a test never
 * sleeps on real time for simulated time.
 */
import type { Clock, TimerHandle } from '../../lib/clock.ts';

/** Resolve after `ms` simulated milliseconds. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimer(Math.max(0, ms), resolve);
  });
}

/**
 * An async job that runs one at a time: `kick()` runs it now, or once more after the current run
 * when one is in progress; `kickAt(at)` schedules a run at a simulated time (the earliest pending
 * one wins). Errors go to `onError` and never stop later runs.
 */
export interface SerialTask {
  kick(): void;
  kickAt(at: number): void;
  /** Resolves when no run is in progress (for shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function createSerialTask(clock: Clock, run: () => Promise<void>, onError: (error: unknown) => void): SerialTask {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: { handle: TimerHandle; at: number } | undefined;

  const start = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again && !stopped);
      } catch (error) {
        onError(error);
      } finally {
        running = undefined;
      }
      // A kick that arrived while an error unwound still deserves a run.
      if (again && !stopped) start();
    })();
  };

  return {
    kick: start,
    kickAt(at) {
      if (stopped) return;
      if (timer && timer.at <= at) return;
      timer?.handle.cancel();
      const handle = clock.setTimer(Math.max(0, at - clock.now()), () => {
        if (timer?.handle === handle) timer = undefined;
        start();
      });
      timer = { handle, at };
    },
    idle: () => running ?? Promise.resolve(),
    stop() {
      stopped = true;
      timer?.handle.cancel();
      timer = undefined;
    },
  };
}

/** Run `fn` every `periodMs` simulated milliseconds (first run after one period). */
export function every(clock: Clock, periodMs: number, fn: () => void): { stop(): void } {
  let stopped = false;
  let handle: TimerHandle | undefined;
  const tick = () => {
    if (stopped) return;
    fn();
    handle = clock.setTimer(periodMs, tick);
  };
  handle = clock.setTimer(periodMs, tick);
  return {
    stop() {
      stopped = true;
      handle?.cancel();
    },
  };
}
