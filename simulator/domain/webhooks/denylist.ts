/**
 * The per-destination denylist (bigcommerce-facts.md section c, "Denylist"): a success ratio over
 * a sliding 2-minute window, not evaluated until 100 requests have been sent in the window; below
 * 90% the domain is blocked for 3 minutes, per client. Failures are counted per domain.
 */
import { createFifo, type Fifo } from '../fifo.ts';

export interface DenylistOptions {
  windowMs: number;
  minRequests: number;
  threshold: number;
  blockMs: number;
}

export const DEFAULT_DENYLIST: DenylistOptions = { windowMs: 120_000, minRequests: 100, threshold: 0.9, blockMs: 180_000 };

export interface Denylist {
  /** Record an outcome; returns true when this outcome put the key on the denylist. */
  record(key: string, ok: boolean, now: number): boolean;
  blockedUntil(key: string, now: number): number | undefined;
  /** Currently blocked keys with their remaining time, for `/v3/hooks/admin`. */
  blocked(now: number): { key: string; until: number }[];
  stats(key: string, now: number): { total: number; ok: number };
  clear(): void;
}

export function createDenylist(options: DenylistOptions = DEFAULT_DENYLIST): Denylist {
  // Per key, outcomes in time order with running counts, so recording one is O(1) however many
  // deliveries the two-minute window holds.
  const windows = new Map<string, { outcomes: Fifo<{ at: number; ok: boolean }>; ok: number }>();
  const blocks = new Map<string, number>();

  const windowOf = (key: string) => {
    let w = windows.get(key);
    if (!w) windows.set(key, (w = { outcomes: createFifo(), ok: 0 }));
    return w;
  };

  const prune = (w: { outcomes: Fifo<{ at: number; ok: boolean }>; ok: number }, now: number) => {
    for (let first = w.outcomes.peek(); first && first.at <= now - options.windowMs; first = w.outcomes.peek()) {
      w.outcomes.shift();
      if (first.ok) w.ok--;
    }
  };

  return {
    record(key, ok, now) {
      const w = windowOf(key);
      w.outcomes.push({ at: now, ok });
      if (ok) w.ok++;
      prune(w, now);
      if ((blocks.get(key) ?? -Infinity) > now) return false;
      const total = w.outcomes.size;
      if (total < options.minRequests) return false;
      if (w.ok / total < options.threshold) {
        blocks.set(key, now + options.blockMs);
        // A fresh window after the block: the old failures already cost the block.
        windows.delete(key);
        return true;
      }
      return false;
    },
    blockedUntil(key, now) {
      const until = blocks.get(key);
      return until !== undefined && until > now ? until : undefined;
    },
    blocked(now) {
      return [...blocks.entries()].filter(([, until]) => until > now).map(([key, until]) => ({ key, until }));
    },
    stats(key, now) {
      const w = windows.get(key);
      if (!w) return { total: 0, ok: 0 };
      prune(w, now);
      return { total: w.outcomes.size, ok: w.ok };
    },
    clear() {
      windows.clear();
      blocks.clear();
    },
  };
}
