/**
 * Paces the engine's Management API calls by what the store says is left. Every response carries
 * `X-Rate-Limit-Requests-Quota`, `-Requests-Left` and `-Time-Reset-Ms` (facts section b); the quota
 * is per store and shared by every app, so the engine keeps `headroom` of each window for the
 * others and never spends it, waits for the window to reset once it reaches that reserve, and after
 * a 429 sends nothing at all until the reset it was told.
 *
 * Requests wait in lanes served by priority (webhook health first, then orders, then inventory,
 * customers, carts and catalog): when the budget is scarce an order fetch goes before a price
 * update. Time is the engine's virtual clock; the header values are real milliseconds (DESIGN.md
 * section 3), converted with the clock's scale.
 */
import type { Clock, TimerHandle } from '../../lib/clock.ts';

export const apiLanes = ['monitor', 'orders', 'inventory', 'customers', 'carts', 'catalog'] as const;
export type ApiLane = (typeof apiLanes)[number];

/** What a response said about the quota; all times simulated milliseconds. */
export interface QuotaObservation {
  quota?: number;
  left?: number;
  resetMs?: number;
  /** A 429 with the rate-limit headers: nothing may be sent until the reset. */
  limited?: boolean;
}

export interface LimiterSnapshot {
  quota?: number;
  left?: number;
  reserve: number;
  resetAt?: number;
  blockedUntil: number;
  inFlight: number;
  waiting: number;
}

export type Release = (observation: QuotaObservation) => void;

export interface Limiter {
  /** Wait for permission to send one request; call the release with what the response said. */
  acquire(lane: ApiLane): Promise<Release>;
  snapshot(): LimiterSnapshot;
  close(): void;
}

export interface LimiterOptions {
  clock: Clock;
  /** Share of each window left for other apps (0..0.9). */
  headroom: number;
  /** Requests in flight at most. */
  maxConcurrency: number;
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: (release: Release) => void;
  reject: (error: Error) => void;
}

export function createLimiter(options: LimiterOptions): Limiter {
  const { clock } = options;
  let quota: number | undefined;
  let left: number | undefined;
  let resetAt: number | undefined;
  let blockedUntil = 0;
  let inFlight = 0;
  let seq = 0;
  let closed = false;
  const waiting: Waiter[] = [];
  let timer: { handle: TimerHandle; at: number } | undefined;

  const reserve = () => (quota === undefined ? 0 : Math.floor(quota * options.headroom));

  /** Whether one more request may go now; otherwise when to look again (undefined = on a release). */
  const decide = (now: number): { go: true } | { go: false; wakeAt?: number } => {
    if (now < blockedUntil) return { go: false, wakeAt: blockedUntil };
    if (inFlight >= options.maxConcurrency) return { go: false };
    // Nothing known yet, or the window has rolled over since the last answer: one probe at a
    // time until a response says what the new window holds.
    if (quota === undefined || left === undefined || (resetAt !== undefined && now >= resetAt)) return inFlight === 0 ? { go: true } : { go: false };
    if (left - inFlight - reserve() > 0) return { go: true };
    return { go: false, ...(resetAt !== undefined ? { wakeAt: resetAt } : {}) };
  };

  const arm = (at: number) => {
    if (timer && timer.at <= at) return;
    timer?.handle.cancel();
    const handle = clock.setTimer(Math.max(0, at - clock.now()), () => {
      if (timer?.handle === handle) timer = undefined;
      pump();
    });
    timer = { handle, at };
  };

  const pump = () => {
    if (closed) return;
    while (waiting.length > 0) {
      const verdict = decide(clock.now());
      if (!verdict.go) {
        if (verdict.wakeAt !== undefined) arm(verdict.wakeAt);
        return;
      }
      const next = waiting.shift()!;
      inFlight++;
      let released = false;
      next.resolve((observation) => {
        if (released) return;
        released = true;
        inFlight--;
        observe(observation);
        pump();
      });
    }
  };

  const observe = (o: QuotaObservation) => {
    const now = clock.now();
    if (o.quota !== undefined) quota = o.quota;
    if (o.left !== undefined) left = o.left;
    if (o.resetMs !== undefined) resetAt = now + o.resetMs;
    if (o.limited) {
      left = 0;
      // The reset value is rounded up to a whole real millisecond by the sender; one simulated
      // millisecond more keeps a wait from ending a hair before the window does.
      blockedUntil = Math.max(blockedUntil, now + (o.resetMs ?? 0) + 1);
      resetAt = blockedUntil;
    }
  };

  return {
    acquire(lane) {
      if (closed) return Promise.reject(new Error('Failed to send a Management API request: the engine is stopping.'));
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = { priority: (apiLanes as readonly string[]).indexOf(lane), seq: seq++, resolve, reject };
        // Keep the queue sorted by priority, then arrival.
        let i = waiting.length;
        while (i > 0 && (waiting[i - 1]!.priority > waiter.priority)) i--;
        waiting.splice(i, 0, waiter);
        pump();
      });
    },
    snapshot: () => ({ ...(quota !== undefined ? { quota } : {}), ...(left !== undefined ? { left } : {}), reserve: reserve(), ...(resetAt !== undefined ? { resetAt } : {}), blockedUntil, inFlight, waiting: waiting.length }),
    close() {
      closed = true;
      timer?.handle.cancel();
      for (const w of waiting.splice(0)) w.reject(new Error('Failed to send a Management API request: the engine is stopping.'));
    },
  };
}
