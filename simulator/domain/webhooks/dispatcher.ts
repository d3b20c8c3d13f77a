/**
 * Webhook delivery with the platform's rules: success is a 2xx within the timeout (3xx and
 * anything else fail); failures walk the retry ladder; a destination whose success ratio drops
 * below 90% over 2 minutes (from 100 requests) is denylisted for 3 minutes while its events
 * queue; after the last retry the hook is deactivated and a `store/hook/deliveryException`
 * follows; hooks with no events for 90 days are deactivated too.
 *
 * The transport is injected (`deliver`), so this module never touches HTTP and its rules can be
 * unit-tested with a fake; all waiting goes through the virtual clock.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Clock, TimerHandle } from '../../../lib/clock.ts';
import type { EventBus } from '../../../lib/events.ts';
import { decideWebhookFaults, type FaultPlan, type WebhookFaultDecision } from '../faults.ts';
import type { Hook } from '../model.ts';
import type { Random } from '../../../lib/random.ts';
import { createFifo, type Fifo } from '../fifo.ts';
import { createDenylist, DEFAULT_DENYLIST, type DenylistOptions } from './denylist.ts';
import { destinationDomain, payloadBody, type WebhookPayload } from './payload.ts';
import { RETRY_LADDER_SECONDS, retryDelayMs } from './retry-ladder.ts';

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface DeliveryResult {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Network error or timeout, when none did. */
  error?: string;
  /** Real milliseconds the attempt took. */
  durationMs: number;
}

export type Deliver = (request: DeliveryRequest) => Promise<DeliveryResult>;

/**
 * `error` values of an attempt the harness itself failed to make: its delivery worker died with the
 * attempt in flight, or delivery was closed under it (deliver-worker.ts). The receiver never saw
 * such an attempt, so the verifier holds it against the run's fidelity, never against the
 * integration (src/verify/fidelity.ts, harness-delivery-failed).
 */
export const HARNESS_DELIVERY_ERROR = {
  /** The delivery worker died with the attempt in flight (or was terminated on close). */
  workerExited: 'worker-exited',
  /** The deliver was closed before the attempt could be made. */
  deliverClosed: 'deliver-closed',
} as const;
export const HARNESS_DELIVERY_ERRORS: readonly string[] = Object.values(HARNESS_DELIVERY_ERROR);

export type DeliveryOutcome = 'delivered' | 'failed' | 'timeout' | 'network-error' | 'denylisted';

export interface WebhookEvents {
  'webhook:attempt': {
    store: string;
    hookId: number;
    scope: string;
    hash: string;
    attempt: number;
    outcome: DeliveryOutcome;
    /** An injected fault that decided this attempt's outcome. */
    fault?: 'unreachable';
    status?: number;
    error?: string;
    durationMs: number;
    faults: string[];
    nextRetryInMs?: number;
  };
  'webhook:dropped': { store: string; hookId: number; scope: string; hash: string; reason: 'fault' | 'hook-inactive' | 'hook-deleted' };
  'webhook:denylisted': { store: string; clientId: string; domain: string; untilMs: number };
  'hook:deactivated': { store: string; hookId: number; reason: 'retries-exhausted' | 'inactivity' };
}

/** What the dispatcher needs from the store's hook registry. */
export interface HookDirectory {
  /** `scope`: the event to deliver, when asked for a delivery (a deleted hook may still take a farewell event). */
  get(store: string, hookId: number, scope?: string): Hook | undefined;
  /** Deactivate (is_active false) and record why; returns the updated hook. */
  deactivate(store: string, hookId: number, reason: 'retries-exhausted' | 'inactivity'): Hook | undefined;
  /** Raise a `store/hook/deliveryException` event for the client's exception hook. */
  raiseDeliveryException(store: string, clientId: string, data: { id: number; error_code: number; message: string }): void;
  /** Every hook of every store, for the inactivity sweep. */
  all(): Iterable<Hook>;
  /** Signing secret of the hook's client, when callbacks are signed. */
  signingSecret(store: string, clientId: string): string | undefined;
}

export interface DispatcherOptions {
  clock: Clock;
  deliver: Deliver;
  hooks: HookDirectory;
  bus: EventBus<WebhookEvents>;
  random: Random;
  faults: () => FaultPlan;
  ladderSeconds?: readonly number[];
  denylist?: DenylistOptions;
  /** Real milliseconds a receiver has to answer. Not documented by the platform; default 10 s. */
  timeoutMs?: number;
  /** Simulated ms without events before a hook is deactivated (platform: 90 days). */
  inactivityMs?: number;
  /** Deliveries in flight per destination domain; more wait their turn. */
  maxInFlightPerDomain?: number;
}

interface Job {
  store: string;
  hookId: number;
  payload: WebhookPayload;
  body: string;
  /** 0 for the first try, n for the n-th retry. */
  retry: number;
  faults: string[];
  /**
   * The Standard Webhooks message id (`webhook-id`), the same on every retry of the job. Made at
   * the first signed attempt: most runs do not sign, and a UUID per delivery was pure cost.
   */
  id?: string;
  /** Run after this job's first attempt (releases a job held back to arrive out of order). */
  after?: () => void;
}

export interface Dispatcher {
  /** Queue delivery of a payload to one hook. */
  enqueue(store: string, hook: Hook, payload: WebhookPayload): void;
  /** Note activity on a hook (an event for its scope), resetting its inactivity timer. */
  touch(hookId: number): void;
  /** Deliveries queued, in flight or waiting for a retry. */
  pending(): number;
  denylisted(now?: number): { clientId: string; domain: string; untilMs: number }[];
  reset(): void;
  stop(): void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const INACTIVITY_MS = 90 * 86_400_000;
const HOUR_MS = 3_600_000;
// "90001: will retry (at most once per 10 min per destination)" (facts section c).
const WILL_RETRY_NOTICE_MS = 600_000;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { clock, deliver, hooks, bus, random } = options;
  const ladder = options.ladderSeconds ?? RETRY_LADDER_SECONDS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inactivityMs = options.inactivityMs ?? INACTIVITY_MS;
  const maxInFlight = options.maxInFlightPerDomain ?? 64;
  const denylist = createDenylist(options.denylist ?? DEFAULT_DENYLIST);
  const timers = new Set<TimerHandle>();
  const lastActivity = new Map<number, number>();
  const lastWillRetryNotice = new Map<string, number>();
  const held = new Map<number, Job>();
  const inFlight = new Map<string, number>();
  const waiting = new Map<string, Fifo<Job>>();
  let scheduled = 0;
  let stopped = false;
  const signers = new Map<string, Webhook>();
  // A hook's destination is parsed as a URL twice per attempt; a run has a handful of them.
  const domains = new Map<string, string>();
  const domainOf = (destination: string) => {
    let domain = domains.get(destination);
    if (domain === undefined) {
      if (domains.size >= 1024) domains.clear();
      domains.set(destination, (domain = destinationDomain(destination)));
    }
    return domain;
  };
  /** The library takes the key base64-encoded; the key itself is the client secret's bytes. */
  const signerFor = (secret: string) => {
    let signer = signers.get(secret);
    if (!signer) signers.set(secret, (signer = new Webhook(Buffer.from(secret, 'utf8').toString('base64'))));
    return signer;
  };

  const schedule = (delayMs: number, job: Job) => {
    scheduled++;
    const handle = clock.setTimer(delayMs, () => {
      timers.delete(handle);
      scheduled--;
      void start(job);
    });
    timers.add(handle);
  };

  const denyKey = (clientId: string, domain: string) => `${clientId} ${domain}`;

  const start = async (job: Job): Promise<void> => {
    if (stopped) return;
    const hook = hooks.get(job.store, job.hookId, job.payload.scope);
    if (!hook || !hook.is_active) {
      bus.emit('webhook:dropped', { store: job.store, hookId: job.hookId, scope: job.payload.scope, hash: job.payload.hash, reason: hook ? 'hook-inactive' : 'hook-deleted' });
      return;
    }
    const domain = domainOf(hook.destination);
    const key = denyKey(hook.client_id, domain);
    const blockedUntil = denylist.blockedUntil(key, clock.now());
    if (blockedUntil !== undefined) {
      // Events raised during a block go to the retry queue: try again when the block lifts.
      bus.emit('webhook:attempt', {
        store: job.store,
        hookId: job.hookId,
        scope: job.payload.scope,
        hash: job.payload.hash,
        attempt: job.retry,
        outcome: 'denylisted',
        durationMs: 0,
        faults: job.faults,
        nextRetryInMs: blockedUntil - clock.now(),
      });
      schedule(blockedUntil - clock.now(), job);
      return;
    }
    const busy = inFlight.get(domain) ?? 0;
    if (busy >= maxInFlight) {
      let queue = waiting.get(domain);
      if (!queue) waiting.set(domain, (queue = createFifo()));
      queue.push(job);
      return;
    }
    inFlight.set(domain, busy + 1);
    try {
      await attempt(job, hook, key);
    } finally {
      const after = job.after;
      job.after = undefined;
      after?.();
      inFlight.set(domain, (inFlight.get(domain) ?? 1) - 1);
      const next = waiting.get(domain)?.shift();
      if (next) void start(next);
    }
  };

  const attempt = async (job: Job, hook: Hook, key: string): Promise<void> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'bc-harness-simulator',
      ...(hook.headers ?? {}),
    };
    if (job.faults.length > 0) headers['x-sim-fault'] = job.faults.join(',');
    const secret = hooks.signingSecret(job.store, hook.client_id);
    if (secret) {
      // Standard Webhooks signing with the library the platform's docs point to, "keyed with the
      // base64-encoded client_secret" (facts section c, since 2025-01). Header names follow the
      // Standard Webhooks spec; the platform's exact names are not confirmed.
      const at = new Date(Math.floor(clock.now() / 1000) * 1000);
      const id = (job.id ??= `msg_${randomUUID()}`);
      headers['webhook-id'] = id;
      headers['webhook-timestamp'] = String(at.getTime() / 1000);
      headers['webhook-signature'] = signerFor(secret).sign(id, at, job.body);
    }
    // An unreachable receiver (fault) fails like a refused connection, without a request.
    const plan = options.faults().webhooks;
    const unreachable = plan.unreachable > 0 && random() < plan.unreachable;
    const result: DeliveryResult = unreachable
      ? { error: 'ECONNREFUSED', durationMs: 0 }
      : await deliver({ url: hook.destination, headers, body: job.body, timeoutMs });
    if (stopped) return;
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const outcome: DeliveryOutcome = ok
      ? 'delivered'
      : result.status !== undefined
        ? 'failed'
        : result.error === 'timeout'
          ? 'timeout'
          : 'network-error';
    const now = clock.now();
    const domain = domainOf(hook.destination);
    if (denylist.record(key, ok, now)) {
      const untilMs = now + (options.denylist ?? DEFAULT_DENYLIST).blockMs;
      bus.emit('webhook:denylisted', { store: job.store, clientId: hook.client_id, domain, untilMs });
      hooks.raiseDeliveryException(job.store, hook.client_id, { id: hook.id, error_code: 90003, message: `Domain ${domain} is blocked for ${Math.round((untilMs - now) / 1000)} seconds` });
    }
    const nextDelay = ok ? undefined : retryDelayMs(ladder, job.retry + 1);
    // Built key by key in the ledger's order (the optional keys where they were), without a
    // throwaway object per optional key: one event per delivery.
    const event: WebhookEvents['webhook:attempt'] = { store: job.store, hookId: job.hookId, scope: job.payload.scope, hash: job.payload.hash, attempt: job.retry, outcome } as WebhookEvents['webhook:attempt'];
    if (unreachable) event.fault = 'unreachable';
    if (result.status !== undefined) event.status = result.status;
    if (result.error !== undefined) event.error = result.error;
    event.durationMs = result.durationMs;
    event.faults = job.faults;
    if (nextDelay !== undefined) event.nextRetryInMs = nextDelay;
    bus.emit('webhook:attempt', event);
    if (ok) return;
    if (nextDelay !== undefined) {
      const last = lastWillRetryNotice.get(key) ?? -Infinity;
      if (now - last >= WILL_RETRY_NOTICE_MS) {
        lastWillRetryNotice.set(key, now);
        hooks.raiseDeliveryException(job.store, hook.client_id, { id: hook.id, error_code: 90001, message: `Delivery failed (${result.status ?? result.error}); the event will be retried` });
      }
      schedule(nextDelay, { ...job, retry: job.retry + 1 });
      return;
    }
    const current = hooks.get(job.store, job.hookId);
    if (current?.is_active) {
      hooks.deactivate(job.store, job.hookId, 'retries-exhausted');
      bus.emit('hook:deactivated', { store: job.store, hookId: job.hookId, reason: 'retries-exhausted' });
      hooks.raiseDeliveryException(job.store, hook.client_id, { id: hook.id, error_code: 90002, message: 'Retries exhausted; the webhook was deactivated' });
    }
  };

  const releaseHeld = (hookId: number) => {
    const job = held.get(hookId);
    if (!job) return;
    held.delete(hookId);
    schedule(0, job);
  };

  const sweepInactive = () => {
    const now = clock.now();
    for (const hook of hooks.all()) {
      if (!hook.is_active) continue;
      const last = lastActivity.get(hook.id) ?? hook.updated_at * 1000;
      if (now - last >= inactivityMs) {
        hooks.deactivate(hook.store_hash, hook.id, 'inactivity');
        bus.emit('hook:deactivated', { store: hook.store_hash, hookId: hook.id, reason: 'inactivity' });
      }
    }
    if (!stopped) sweepTimer = clock.setTimer(HOUR_MS, sweepInactive);
  };
  let sweepTimer: TimerHandle = clock.setTimer(HOUR_MS, sweepInactive);

  return {
    enqueue(store, hook, payload) {
      if (stopped) return;
      lastActivity.set(hook.id, clock.now());
      const decision: WebhookFaultDecision = decideWebhookFaults(options.faults(), payload.scope, random);
      // One event goes to every hook that matches it: its body was serialized once, with the payload.
      const body = payloadBody(payload);
      const job: Job = { store, hookId: hook.id, payload, body, retry: 0, faults: [] };
      if (decision.drop) {
        bus.emit('webhook:dropped', { store, hookId: hook.id, scope: payload.scope, hash: payload.hash, reason: 'fault' });
        return;
      }
      if (decision.delayMs > 0) job.faults.push('delay');
      if (decision.outOfOrder && !held.has(hook.id)) {
        // Hold this one back; it goes out right after the hook's next delivery (or after a
        // minute if none comes), so the receiver sees the two in the wrong order.
        job.faults.push('out-of-order');
        held.set(hook.id, job);
        const handle = clock.setTimer(60_000, () => {
          timers.delete(handle);
          if (held.get(hook.id) === job) releaseHeld(hook.id);
        });
        timers.add(handle);
        return;
      }
      if (held.has(hook.id)) {
        // The held job goes out once this one has been attempted, so it arrives second.
        job.after = () => releaseHeld(hook.id);
      }
      schedule(decision.delayMs, job);
      if (decision.duplicate) {
        // Its own message id (made at its first signed attempt), as the platform's second firing has.
        schedule(decision.delayMs, { ...job, faults: [...job.faults, 'duplicate'] });
      }
    },
    touch(hookId) {
      lastActivity.set(hookId, clock.now());
    },
    pending() {
      let queued = 0;
      for (const q of waiting.values()) queued += q.size;
      let flying = 0;
      for (const n of inFlight.values()) flying += n;
      return scheduled + queued + flying + held.size;
    },
    denylisted(now = clock.now()) {
      return denylist.blocked(now).map(({ key, until }) => {
        const [clientId, domain] = key.split(' ') as [string, string];
        return { clientId, domain, untilMs: until };
      });
    },
    reset() {
      for (const t of timers) t.cancel();
      timers.clear();
      held.clear();
      waiting.clear();
      scheduled = 0;
      denylist.clear();
      lastActivity.clear();
      lastWillRetryNotice.clear();
    },
    stop() {
      stopped = true;
      sweepTimer.cancel();
      for (const t of timers) t.cancel();
      timers.clear();
    },
  };
}
