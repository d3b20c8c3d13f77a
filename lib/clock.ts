/**
 * The one virtual clock. Simulated time = start + (real elapsed) * scale + jumps.
 *
 * Everything time-based in the simulator (quota windows, the webhook retry ladder, the denylist,
 * hook inactivity, timestamps) reads this clock and schedules through it, so a 48-hour webhook
 * outage plays out in seconds at a high scale, and a test can jump the clock with `advance()`
 * instead of sleeping. Values the simulator sends to clients in headers are converted back to real
 * units with `toRealMs`, so an external program that sleeps on them behaves correctly.
 */

export interface Clock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Simulated milliseconds per real millisecond (0 = manual: time moves only by `advance`). */
  readonly scale: number;
  /** Run `fn` once simulated time has moved `delayMs` forward. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  /** Jump simulated time forward, firing every timer that falls due on the way, in order. */
  advance(ms: number): void;
  /** Convert a simulated duration to the real duration it takes at this scale. */
  toRealMs(simMs: number): number;
  /** Stop all timers (on shutdown). */
  dispose(): void;
}

export interface TimerHandle {
  cancel(): void;
}

export interface ClockOptions {
  /** Simulated start time (epoch ms); defaults to the real now. */
  start?: number;
  /** Time scale; 1 = real time, 60 = one real second is one simulated minute, 0 = manual. */
  scale?: number;
  /** Injected real time source, for unit tests. */
  realNow?: () => number;
  /**
   * The real time (as `realNow` reads it) that `start` corresponds to; defaults to the real now.
   * Another thread that passes the same `start`, `scale` and `realStart` gets a clock with the
   * same `now()`: `performance.timeOrigin + performance.now()` is epoch-based on every thread.
   */
  realStart?: number;
}

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

// setTimeout takes at most 2^31-1 ms; a longer real wait is re-armed on expiry.
const MAX_REAL_DELAY = 2_147_483_647;

export function createVirtualClock(options: ClockOptions = {}): Clock {
  const realNow = options.realNow ?? (() => performance.timeOrigin + performance.now());
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) {
    throw new RangeError(`Failed to create the clock: time scale ${scale} is not a number >= 0. Pass 1 for real time, 60 for a minute per second.`);
  }
  const realStart = options.realStart ?? realNow();
  const simStart = options.start ?? Math.round(realStart);
  let jumped = 0;
  let seq = 0;
  let disposed = false;
  let armed: { handle: NodeJS.Timeout; due: number } | undefined;
  // A binary heap would be faster; timers number in the thousands at most, so a sorted array
  // with binary insertion keeps the code obvious.
  const timers: Timer[] = [];

  const now = (): number => {
    const real = scale === 0 ? 0 : (realNow() - realStart) * scale;
    return Math.floor(simStart + real + jumped);
  };

  const insert = (timer: Timer): void => {
    let lo = 0;
    let hi = timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = timers[mid]!;
      if (t.due < timer.due || (t.due === timer.due && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    timers.splice(lo, 0, timer);
  };

  const runDue = (): void => {
    // The armed timeout (if this is it) has fired; a real timer may fire a little early against
    // performance.now(), so forget it and re-arm for whatever is still pending.
    if (armed) clearTimeout(armed.handle);
    armed = undefined;
    // Timers scheduled by a firing timer for "now" run in this same pass, in order.
    for (;;) {
      const first = timers[0];
      if (!first || first.due > now()) break;
      timers.shift();
      if (!first.cancelled) {
        try {
          first.fn();
        } catch (error) {
          // A failing timer callback must not stop the clock for everyone else.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    arm();
  };

  const arm = (): void => {
    if (disposed) return;
    const first = timers[0];
    // In manual mode only timers already due run by themselves (on the next tick); the rest
    // wait for advance().
    if (!first || (scale === 0 && first.due > now())) {
      if (armed) clearTimeout(armed.handle);
      armed = undefined;
      return;
    }
    if (armed && armed.due === first.due) return;
    if (armed) clearTimeout(armed.handle);
    const realDelay = scale === 0 ? 0 : Math.min(MAX_REAL_DELAY, Math.max(0, Math.ceil((first.due - now()) / scale)));
    const handle = setTimeout(runDue, realDelay);
    handle.unref?.();
    armed = { handle, due: first.due };
  };

  return {
    now,
    scale,
    setTimer(delayMs, fn) {
      const timer: Timer = { due: now() + Math.max(0, delayMs), seq: seq++, fn, cancelled: false };
      insert(timer);
      if (timers[0] === timer) arm();
      return {
        cancel() {
          timer.cancelled = true;
        },
      };
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`Failed to advance the clock: ${ms} is not a duration >= 0.`);
      // Step through due timers one at a time so each sees the simulated time it was due at.
      const target = now() + ms;
      for (;;) {
        const first = timers.find((t) => !t.cancelled);
        if (!first || first.due > target) break;
        const step = first.due - now();
        if (step > 0) jumped += step;
        runDue();
      }
      const rest = target - now();
      if (rest > 0) jumped += rest;
      runDue();
    },
    toRealMs(simMs) {
      return scale === 0 ? simMs : simMs / scale;
    },
    dispose() {
      disposed = true;
      if (armed) clearTimeout(armed.handle);
      armed = undefined;
      timers.length = 0;
    },
  };
}
