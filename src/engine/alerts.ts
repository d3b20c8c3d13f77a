/**
 * Alerts: a JSON POST to ALERT_URL and a log line, so a failure is never silent (failure pattern
 * `silent-failure`). Raised when
 *
 * - `failure-rate`: the share of failed fetches, writes and polls over the alert window crosses
 *   the threshold (from a minimum number of attempts, so one failure in two is not an incident),
 *   or one system has failed that many attempts in a row however long they took. The second rule
 *   is what catches a system that is down: the writers then send one probe at a time with a
 *   backoff of up to a minute, so a whole window may hold fewer attempts than the minimum and
 *   the rate alone would never speak;
 * - `quota-headroom`: the store's quota left drops below half of the engine's reserve (other apps
 *   are eating the headroom) or a 429 arrives;
 * - `hook-deactivated`: the monitor found a webhook off or gone and repaired it;
 * - `dead-letters`: the dead-letter queue grew.
 *
 * Each kind is raised at most once per window (the cooldown), with what happened meanwhile in its
 * details. Besides the throttled alert, every record that enters the dead-letter queue is reported
 * on its own (`{"kind": "dead-letter", "key", "spec", "target", "flow", "reason"}`), so whoever
 * reads ALERT_URL can account for each record the engine gave up on, not only the first of a
 * window. Both are stored in SQLite before they are sent and sent with a few retries, so one
 * raised just before a crash is still delivered after the restart.
 */
import type { Clock } from '../../lib/clock.ts';
import type { EngineDb } from './db.ts';
import type { EngineBus } from './events.ts';
import type { HttpTransport } from './http.ts';
import type { Logger } from './logger.ts';
import { createSerialTask, sleep } from './timers.ts';

export const alertKinds = ['failure-rate', 'quota-headroom', 'hook-deactivated', 'dead-letters'] as const;
export type AlertKind = (typeof alertKinds)[number];

export interface Alerts {
  raise(kind: AlertKind, message: string, details?: Record<string, unknown>): boolean;
  /** Count an attempt toward the failure rate; `system` names what was called (a target, a lane). */
  outcome(ok: boolean, system?: string): void;
  idle(): Promise<void>;
  stop(): void;
}

export interface AlertOptions {
  clock: Clock;
  db: EngineDb;
  transport: HttpTransport;
  bus: EngineBus;
  logger: Logger;
  alertUrl?: string;
  engineId: () => string;
  /** Window for the failure rate and cooldown per kind, simulated ms. */
  windowMs: number;
  failureRate: number;
  /** Attempts in the window before the failure rate can alert. */
  minAttempts?: number;
  /** The flow a mapping spec belongs to, for dead-letter reports. */
  flowOf?: (spec: string) => string | undefined;
}

const DELIVERY_TRIES = 5;

export function createAlerts(options: AlertOptions): Alerts {
  const { clock, db, transport, bus, logger } = options;
  const minAttempts = options.minAttempts ?? 10;
  const lastRaised = new Map<AlertKind, number>();
  const suppressed = new Map<AlertKind, number>();
  // Attempt outcomes in the window, oldest first (simulated time).
  const window: { at: number; ok: boolean }[] = [];
  // Failures in a row per system, and when the streak began (simulated time).
  const streaks = new Map<string, { failures: number; since: number }>();
  const insert = db.sqlite.prepare('INSERT INTO alerts (kind, message, details, at) VALUES (?, ?, ?, ?)');
  const undelivered = db.sqlite.prepare<[], { id: number; kind: string; message: string; details: string; at: number; attempts: number }>(
    `SELECT id, kind, message, details, at, attempts FROM alerts WHERE delivered = 0 AND attempts < ${DELIVERY_TRIES} ORDER BY id LIMIT 50`,
  );
  const delivered = db.sqlite.prepare('UPDATE alerts SET delivered = 1, attempts = attempts + 1 WHERE id = ?');
  const failed = db.sqlite.prepare('UPDATE alerts SET attempts = attempts + 1 WHERE id = ?');

  const deliver = createSerialTask(
    clock,
    async () => {
      if (!options.alertUrl) return;
      for (let round = 0; round < DELIVERY_TRIES; round++) {
        const pending = undelivered.all();
        if (pending.length === 0) return;
        let failures = 0;
        for (const a of pending) {
          try {
            const details = JSON.parse(a.details) as Record<string, unknown>;
            // A dead-letter report is the record itself; an alert has a message and details.
            const body = a.kind === 'dead-letter' ? { kind: a.kind, ...details, message: a.message, at: new Date(a.at).toISOString(), engine: options.engineId() } : { kind: a.kind, message: a.message, details, at: new Date(a.at).toISOString(), engine: options.engineId() };
            const res = await transport.send({ method: 'POST', url: options.alertUrl, body: JSON.stringify(body), timeoutMs: 10_000 });
            if (res.status >= 200 && res.status < 300) delivered.run(a.id);
            else {
              failed.run(a.id);
              failures++;
            }
          } catch {
            failed.run(a.id);
            failures++;
          }
        }
        if (failures === 0) return;
        await sleep(clock, 5_000 * 2 ** round);
      }
    },
    (error) => logger.error('alert delivery failed', { error: error instanceof Error ? error.stack : String(error) }),
  );

  const raise = (kind: AlertKind, message: string, details: Record<string, unknown> = {}): boolean => {
    const now = clock.now();
    const last = lastRaised.get(kind);
    if (last !== undefined && now - last < options.windowMs) {
      suppressed.set(kind, (suppressed.get(kind) ?? 0) + 1);
      return false;
    }
    lastRaised.set(kind, now);
    const alsoSuppressed = suppressed.get(kind) ?? 0;
    suppressed.delete(kind);
    const full = { ...details, ...(alsoSuppressed > 0 ? { similarSinceLastAlert: alsoSuppressed } : {}) };
    insert.run(kind, message, JSON.stringify(full), now);
    logger.warn(`ALERT ${kind}: ${message}`, { alert: kind, details: full });
    bus.emit('alert:raised', { kind, message });
    deliver.kick();
    return true;
  };

  const outcome = (ok: boolean, system = 'any') => {
    const now = clock.now();
    window.push({ at: now, ok });
    while (window.length > 0 && window[0]!.at < now - options.windowMs) window.shift();
    if (ok) {
      streaks.delete(system);
      return;
    }
    const streak = streaks.get(system) ?? { failures: 0, since: now };
    streak.failures++;
    streaks.set(system, streak);
    if (streak.failures >= minAttempts) {
      const raised = raise('failure-rate', `${system}: the last ${streak.failures} attempts all failed, over ${Math.round((now - streak.since) / 1000)} simulated seconds`, { system, failures: streak.failures, since: new Date(streak.since).toISOString() });
      if (raised) return;
    }
    if (window.length < minAttempts) return;
    const failures = window.filter((w) => !w.ok).length;
    const rate = failures / window.length;
    if (rate >= options.failureRate) {
      raise('failure-rate', `${Math.round(rate * 100)}% of ${window.length} attempts failed in the last ${Math.round(options.windowMs / 1000)} simulated seconds (threshold ${Math.round(options.failureRate * 100)}%)`, { failures, attempts: window.length });
    }
  };

  // Subscriptions: what the stages report, turned into alerts.
  bus.on('write:succeeded', (e) => outcome(true, e.target));
  bus.on('write:failed', (e) => outcome(false, e.target));
  bus.on('fetch:completed', (e) => outcome(true, `bigcommerce ${e.lane}`));
  bus.on('fetch:failed', (e) => outcome(false, `bigcommerce ${e.lane}`));
  bus.on('job:dead-lettered', (e) => {
    if (!e.isNew) return;
    const flow = options.flowOf?.(e.spec);
    const record = { id: e.id, key: e.key, spec: e.spec, target: e.target, ...(flow ? { flow } : {}), deadLetterKind: e.kind, reason: e.reason };
    insert.run('dead-letter', `dead-lettered ${e.spec} ${e.key}: ${e.reason.slice(0, 300)}`, JSON.stringify(record), clock.now());
    deliver.kick();
    raise('dead-letters', `the dead-letter queue grew to ${e.open}: ${e.spec} ${e.key} (${e.kind}): ${e.reason.slice(0, 300)}`, { open: e.open, latest: record });
  });
  bus.on('quota:observed', (e) => {
    if (e.reserve > 0 && e.left < Math.floor(e.reserve / 2)) raise('quota-headroom', `only ${e.left} of ${e.quota} requests left in the window; the engine keeps ${e.reserve} for other apps, so others are using it`, { left: e.left, quota: e.quota, reserve: e.reserve });
  });
  bus.on('quota:limited', (e) => raise('quota-headroom', `the store's API quota is used up (429); waiting ${Math.round(e.resetMs / 1000)} simulated seconds for the window to reset`, { lane: e.lane, resetMs: e.resetMs }));

  // Alerts stored before a crash and never delivered go out now.
  deliver.kick();

  return {
    raise,
    outcome,
    idle: () => deliver.idle(),
    stop: () => deliver.stop(),
  };
}
