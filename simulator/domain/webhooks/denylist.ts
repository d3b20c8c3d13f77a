/**
 * The per-destination denylist (bigcommerce-facts.md section c, "Denylist"): a success ratio over
 * a sliding 2-minute window, not evaluated until 100 requests have been sent in the window; below
 * 90% the domain is blocked for 3 minutes, per client. Failures are counted per domain.
 */
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
  // Per key, outcomes in time order; pruned to the window on every touch.
  const outcomes = new Map<string, { at: number; ok: boolean }[]>();
  const blocks = new Map<string, number>();

  const prune = (key: string, now: number) => {
    const list = outcomes.get(key);
    if (!list) return [];
    let drop = 0;
    while (drop < list.length && list[drop]!.at <= now - options.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    return list;
  };

  return {
    record(key, ok, now) {
      let list = outcomes.get(key);
      if (!list) outcomes.set(key, (list = []));
      list.push({ at: now, ok });
      prune(key, now);
      if ((blocks.get(key) ?? -Infinity) > now) return false;
      if (list.length < options.minRequests) return false;
      const okCount = list.reduce((n, o) => n + (o.ok ? 1 : 0), 0);
      if (okCount / list.length < options.threshold) {
        blocks.set(key, now + options.blockMs);
        // A fresh window after the block: the old failures already cost the block.
        outcomes.set(key, []);
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
      const list = prune(key, now);
      return { total: list.length, ok: list.filter((o) => o.ok).length };
    },
    clear() {
      outcomes.clear();
      blocks.clear();
    },
  };
}
