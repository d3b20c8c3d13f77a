/**
 * How the integration treated each 429. The platform's rule (bigcommerce-facts.md section b): when
 * `X-Rate-Limit-Requests-Left` reaches 0 the next request gets a 429 and the client must wait
 * `X-Rate-Limit-Time-Reset-Ms` before trying again. The ledger says when each 429 was answered,
 * how long the window still had (`quota:limited.resetMs`, simulated) and when the client's next
 * requests arrived, so each 429 is judged from ground truth:
 *
 * - requests already in flight when the 429 came back are not the client's choice: those arriving
 *   within a short grace after it are excused;
 * - any later request before the window reset (less a small tolerance for timer precision)
 *   ignored the 429.
 *
 * Grace and tolerance are a few real milliseconds converted to simulated time, because that is
 * what a network round trip and a timer cost at the run's time scale; both are capped at a share
 * of the window so a very high scale cannot excuse everything (the report then warns that the
 * scale is too high to judge this faithfully).
 */
import type { ApiCall, RateLimitHit } from './ledger-index.ts';

export interface RateLimitEvent {
  /** Simulated ms the 429 was answered. */
  at: number;
  method: string;
  path: string;
  /** Simulated ms until the window refreshed. */
  resetMs: number;
  respected: boolean;
  /** Requests sent after the grace and before the window refreshed. */
  violations: { at: number; method: string; path: string; status: number }[];
  /** Simulated ms from the 429 to the client's first request after the grace, if any. */
  nextRequestAfterMs?: number;
}

export interface RateLimitAnalysis {
  /** One per run-out: the first 429 after the window's quota ran out, with the requests sent before it reset. */
  events: RateLimitEvent[];
  /** 429s answered because the quota ran out. */
  limited: number;
  /** 429s without rate-limit headers (platform load), which only ask for a backoff. */
  platformLimited: number;
  /** Quota 429s not followed by waiting the reset time: the client's next request after the grace came before it. */
  ignored: number;
  graceMs: number;
  toleranceMs: number;
}

export interface RateLimitOptions {
  timeScale: number;
  windowMs?: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function rateLimitAllowances(options: RateLimitOptions): { graceMs: number; toleranceMs: number } {
  const windowMs = options.windowMs ?? 30_000;
  const scale = options.timeScale > 0 ? options.timeScale : 1;
  return {
    graceMs: clamp(20 * scale, 250, windowMs / 2),
    toleranceMs: clamp(2 * scale, 50, windowMs / 10),
  };
}

export function analyzeRateLimits(calls: readonly ApiCall[], hits: readonly RateLimitHit[], options: RateLimitOptions): RateLimitAnalysis {
  const { graceMs, toleranceMs } = rateLimitAllowances(options);
  const windowMs = options.windowMs ?? 30_000;
  const events: RateLimitEvent[] = [];
  let hitIndex = 0;
  let platformLimited = 0;
  let limited = 0;
  let block: { event: RateLimitEvent; until: number; graceUntil: number } | undefined;
  let awaitingNext: { event: RateLimitEvent; graceUntil: number } | undefined;
  // Each 429 is judged on its own too: ignored when the client's next request after the grace
  // came before that 429's reset. A client that hammers on through a run-out gets a 429 for every
  // request and ignores each of them; counting only the first of each run-out (the events) would
  // say "19 of 220,149 ignored" of a client that waited for none.
  let ignored = 0;
  let next = 0;

  for (const [index, call] of calls.entries()) {
    const isPlatform429 = call.status === 429 && call.faults.includes('platform-429');
    const isQuota429 = call.status === 429 && !isPlatform429;
    if (isPlatform429) platformLimited++;
    if (block && call.at >= block.until - toleranceMs) block = undefined;
    if (awaitingNext && call.at > awaitingNext.graceUntil) {
      awaitingNext.event.nextRequestAfterMs = call.at - awaitingNext.event.at;
      awaitingNext = undefined;
    }
    if (block && call.at > block.graceUntil) {
      block.event.violations.push({ at: call.at, method: call.method, path: call.path, status: call.status });
      block.event.respected = false;
    }
    if (isQuota429) {
      limited++;
      // The ledger writes each 429's quota:limited line in answer order; pair them in order.
      const hit = hits[hitIndex++];
      const graceUntil = call.at + graceMs;
      // Calls are in time order and graceUntil only grows, so one forward pointer finds each
      // 429's next request after its grace.
      if (next <= index) next = index + 1;
      while (next < calls.length && calls[next]!.at <= graceUntil) next++;
      if (next < calls.length && calls[next]!.at < call.at + (hit?.resetMs ?? windowMs) - toleranceMs) ignored++;
      if (!block) {
        const resetMs = hit?.resetMs ?? windowMs;
        const event: RateLimitEvent = { at: call.at, method: call.method, path: call.path, resetMs, respected: true, violations: [] };
        events.push(event);
        block = { event, until: call.at + resetMs, graceUntil: call.at + graceMs };
        awaitingNext = { event, graceUntil: call.at + graceMs };
      }
    }
  }
  return { events, limited, platformLimited, ignored, graceMs, toleranceMs };
}
