/**
 * The Management API client: every call waits for the limiter, feeds the rate-limit headers back
 * to it, waits out a 429 for the reset it names (not counted as a failure), and retries transient
 * failures with jittered exponential backoff a bounded number of times before giving up with an
 * `ApiUnavailable` (the caller keeps the work and tries again later). Any other answer is returned
 * as is: a 404 for an archived order is information, not an error.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Random } from '../../lib/random.ts';
import type { EngineBus } from './events.ts';
import { header, NetworkError, type HttpTransport } from './http.ts';
import type { ApiLane, Limiter, QuotaObservation } from './limiter.ts';
import { API_BACKOFF, backoffDelay, classifyStatus, mayRetry, type BackoffPolicy } from './retry.ts';
import { sleep } from './timers.ts';

export interface BcResponse {
  status: number;
  body: unknown;
}

export class ApiUnavailable extends Error {
  constructor(
    readonly what: string,
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(`Failed to ${what}: ${detail} after ${attempts} tries.`);
    this.name = 'ApiUnavailable';
  }
}

export interface BcClient {
  request(lane: ApiLane, method: string, path: string, body?: unknown): Promise<BcResponse>;
}

export interface BcClientOptions {
  apiUrl: string;
  accessToken: string;
  clock: Clock;
  limiter: Limiter;
  transport: HttpTransport;
  random: Random;
  bus: EngineBus;
  backoff?: BackoffPolicy;
}

/** Real milliseconds in a header, as simulated milliseconds on this clock. */
export const realToSim = (clock: Clock, realMs: number) => (clock.scale === 0 ? realMs : realMs * clock.scale);

function observationOf(clock: Clock, status: number, headers: Record<string, string | string[] | undefined>): QuotaObservation & { hasHeaders: boolean } {
  const num = (name: string) => {
    const v = header(headers, name);
    const n = v === undefined ? Number.NaN : Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const quota = num('x-rate-limit-requests-quota');
  const left = num('x-rate-limit-requests-left');
  const reset = num('x-rate-limit-time-reset-ms');
  const hasHeaders = quota !== undefined && left !== undefined && reset !== undefined;
  return {
    hasHeaders,
    ...(quota !== undefined ? { quota } : {}),
    ...(left !== undefined ? { left } : {}),
    ...(reset !== undefined ? { resetMs: realToSim(clock, reset) } : {}),
    limited: status === 429 && hasHeaders,
  };
}

export function createBcClient(options: BcClientOptions): BcClient {
  const { clock, limiter, transport, random, bus } = options;
  const policy = options.backoff ?? API_BACKOFF;
  return {
    async request(lane, method, path, body) {
      const url = `${options.apiUrl}${path}`;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      let failures = 0;
      for (;;) {
        const release = await limiter.acquire(lane);
        const started = performance.now();
        let status: number;
        let answer: unknown;
        let observation: ReturnType<typeof observationOf>;
        try {
          // Parsed as it arrives: a page of 250 orders is several MB (json-body.ts).
          const res = await transport.sendJson({ method, url, headers: { 'x-auth-token': options.accessToken }, ...(payload !== undefined ? { body: payload } : {}) });
          status = res.status;
          answer = res.body;
          observation = observationOf(clock, status, res.headers);
        } catch (error) {
          release({});
          bus.emit('api:requested', { lane, method, path, status: 'network-error', realMs: performance.now() - started });
          if (!(error instanceof NetworkError)) throw error;
          failures++;
          if (!mayRetry(failures, policy)) throw new ApiUnavailable(`${method} ${path}`, error.code, failures);
          await sleep(clock, backoffDelay(failures, policy, random));
          continue;
        }
        release(observation);
        bus.emit('api:requested', { lane, method, path, status, realMs: performance.now() - started });
        if (observation.quota !== undefined && observation.left !== undefined) {
          bus.emit('quota:observed', { quota: observation.quota, left: observation.left, reserve: limiter.snapshot().reserve });
        }
        const outcome = classifyStatus(status, observation.hasHeaders);
        switch (outcome) {
          case 'ok':
          case 'permanent':
            return { status, body: answer };
          case 'rate-limited':
            // The limiter now holds every request until the reset; this one simply goes again.
            bus.emit('quota:limited', { lane, resetMs: observation.resetMs ?? 0 });
            continue;
          case 'transient':
            failures++;
            if (!mayRetry(failures, policy)) throw new ApiUnavailable(`${method} ${path}`, `HTTP ${status}`, failures);
            await sleep(clock, backoffDelay(failures, policy, random));
            continue;
          default:
            return outcome satisfies never;
        }
      }
    },
  };
}
