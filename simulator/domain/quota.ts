/**
 * The store's API quota: one budget per store, shared by every client of the store
 * (bigcommerce-facts.md section b: "The quota is per store, shared by all apps").
 *
 * Each request costs one unit; a request over quota is refused with 429 and consumes nothing.
 * Windows are fixed 30-second windows. When a window starts is not documented; by default a
 * window opens with the first request after the previous one expired (so `Time-Reset-Ms` counts
 * down from 30 s at a client's first call), and `anchor: 'epoch'` aligns windows to multiples of
 * 30 s instead. See docs/decisions/0002-quota-windows.md.
 */
import type { Clock } from '../../lib/clock.ts';
import { HOUR_MS, type PlanQuota } from '../../lib/plans.ts';

export type QuotaAnchor = 'first-request' | 'epoch';

export interface QuotaOptions {
  clock: Clock;
  quota: PlanQuota;
  anchor?: QuotaAnchor;
  /** Fraction of each window other apps use, spread evenly over the window (0..0.95). */
  otherAppsShare?: number;
}

export interface QuotaDecision {
  allowed: boolean;
  /** Why a request was refused. */
  limitedBy?: 'window' | 'hour';
  /** Requests allowed this window (header value). Unlimited stores report 2^31-1. */
  quota: number;
  /** Requests left this window after this request. */
  left: number;
  windowMs: number;
  /** Simulated ms until the window (or, when the hourly cap bit, the hour) refreshes. */
  resetMs: number;
  /** Requests left in the rolling hour (legacy `X-BC-ApiLimit-Remaining`). */
  hourLeft: number;
}

export interface WindowStats {
  start: number;
  used: number;
  usedByOthers: number;
  refused: number;
  byClient: Record<string, number>;
}

export interface Quota {
  consume(clientId: string): QuotaDecision;
  /** Look without consuming. */
  peek(): QuotaDecision;
  setOtherAppsShare(share: number): void;
  /** Closed and current windows, oldest first (for reports). */
  history(): WindowStats[];
  reset(): void;
}

// What an unlimited plan reports as its quota: clients parse the header as an integer.
export const UNLIMITED_QUOTA_HEADER = 2_147_483_647;
const MAX_HISTORY = 20_000;

export function createQuota(options: QuotaOptions): Quota {
  const { clock, quota } = options;
  const anchor = options.anchor ?? 'first-request';
  let share = options.otherAppsShare ?? 0;
  let window: WindowStats | undefined;
  let hourStart = -Infinity;
  let hourUsed = 0;
  const closed: WindowStats[] = [];

  const windowStartFor = (now: number): number =>
    anchor === 'epoch' ? now - (now % quota.windowMs) : now;

  const current = (now: number): WindowStats => {
    if (!window || now >= window.start + quota.windowMs) {
      if (window) {
        settleOthers(window, window.start + quota.windowMs);
        closed.push(window);
        if (closed.length > MAX_HISTORY) closed.splice(0, closed.length - MAX_HISTORY);
      }
      window = { start: windowStartFor(now), used: 0, usedByOthers: 0, refused: 0, byClient: {} };
    }
    if (now >= hourStart + HOUR_MS) {
      hourStart = anchor === 'epoch' ? now - (now % HOUR_MS) : now;
      hourUsed = 0;
    }
    return window;
  };

  const othersAt = (w: WindowStats, now: number): number => {
    if (!quota.perWindow || share <= 0) return 0;
    const elapsed = Math.min(1, (now - w.start) / quota.windowMs);
    return Math.floor(share * quota.perWindow * elapsed);
  };

  // Other apps keep sending through the whole window whether or not this store's integration asks
  // anything; their use is recorded lazily on each request, so a window is settled when it closes
  // (or is reported): the others took their share, up to what the window had left.
  const settleOthers = (w: WindowStats, at: number): void => {
    if (!quota.perWindow) return;
    w.usedByOthers = Math.max(w.usedByOthers, Math.min(othersAt(w, at), Math.max(0, quota.perWindow - w.used)));
  };

  const decide = (now: number, w: WindowStats, consumeOne: boolean): QuotaDecision => {
    w.usedByOthers = Math.max(w.usedByOthers, othersAt(w, now));
    const windowReset = w.start + quota.windowMs - now;
    const perWindow = quota.perWindow;
    const windowLeft = perWindow === undefined ? Infinity : perWindow - w.used - w.usedByOthers;
    const hourLeft = quota.perHour === undefined ? Infinity : quota.perHour - hourUsed;
    const headerQuota = perWindow ?? UNLIMITED_QUOTA_HEADER;
    const clampLeft = (n: number) => (n === Infinity ? UNLIMITED_QUOTA_HEADER : Math.max(0, n));
    if (consumeOne && (windowLeft <= 0 || hourLeft <= 0)) {
      w.refused++;
      const byHour = hourLeft <= 0 && windowLeft > 0;
      return {
        allowed: false,
        limitedBy: byHour ? 'hour' : 'window',
        quota: headerQuota,
        left: 0,
        windowMs: quota.windowMs,
        resetMs: byHour ? hourStart + HOUR_MS - now : windowReset,
        hourLeft: clampLeft(hourLeft),
      };
    }
    const cost = consumeOne ? 1 : 0;
    return {
      allowed: true,
      quota: headerQuota,
      left: clampLeft(windowLeft - cost),
      windowMs: quota.windowMs,
      resetMs: windowReset,
      hourLeft: clampLeft(hourLeft - cost),
    };
  };

  return {
    consume(clientId) {
      const now = clock.now();
      const w = current(now);
      const decision = decide(now, w, true);
      if (decision.allowed) {
        w.used++;
        hourUsed++;
        w.byClient[clientId] = (w.byClient[clientId] ?? 0) + 1;
      }
      return decision;
    },
    peek() {
      const now = clock.now();
      return decide(now, current(now), false);
    },
    setOtherAppsShare(next) {
      share = next;
    },
    history() {
      if (window) settleOthers(window, Math.min(clock.now(), window.start + quota.windowMs));
      return window ? [...closed, window] : [...closed];
    },
    reset() {
      window = undefined;
      closed.length = 0;
      hourStart = -Infinity;
      hourUsed = 0;
    },
  };
}
