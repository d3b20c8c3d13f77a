/**
 * How the engine reacts to an answer, and how long it waits before trying again.
 *
 * - 429 with the rate-limit headers: the store's quota window is used up; wait until it resets
 *   (`X-Rate-Limit-Time-Reset-Ms`, facts section b: "Clients should sleep for Time-Reset-Ms").
 *   That wait is the limiter's job and is not a failure.
 * - 429 without them (platform load, facts section b), 408, 5xx and network errors: transient;
 *   back off exponentially with full jitter (a random delay between 0 and min(cap, base * 2^n)),
 *   so a thousand records waiting on the same outage do not come back in lockstep. Bounded twice:
 *   the delay by `capMs`, the tries by `maxAttempts`, after which the record is dead-lettered.
 * - Any other 4xx: permanent. Retrying a record the target rejected only repeats the rejection;
 *   it goes to the dead-letter queue with the reason.
 * - A connected system's 429 carries Retry-After (seconds); it is honoured as a minimum wait.
 */
import type { Random } from '../../lib/random.ts';

export type Outcome = 'ok' | 'rate-limited' | 'transient' | 'permanent';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
}

/** Management API reads inside one fetch: short, the work queue retries the fetch later anyway. */
export const API_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 6 };

/** Durable writes from the outbox: long enough that an hour-long outage loses nothing. */
export const WRITE_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000, maxAttempts: 30 };

/** The simulated delay before try number `failures + 1`, after `failures` failures (>= 1). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: Random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** Whether another try is allowed after this many failures. */
export const mayRetry = (failures: number, policy: BackoffPolicy) => failures < policy.maxAttempts;

export function classifyStatus(status: number, hasRateLimitHeaders: boolean): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return hasRateLimitHeaders ? 'rate-limited' : 'transient';
  if (status === 408 || status >= 500) return 'transient';
  return 'permanent';
}

/** Seconds of a Retry-After header (delta-seconds or an HTTP date), in real milliseconds. */
export function retryAfterMs(value: string | string[] | undefined, realNow: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - realNow);
}

/**
 * A Management API answer to a read that no retry will change: a 4xx other than 408 (request
 * timeout), 409 (conflict), 425 (too early) and 429 (rate limited). The record is dead-lettered
 * at once rather than asked for again 30 times.
 */
export const isPermanentRejection = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 425 && status !== 429;
