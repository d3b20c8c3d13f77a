/**
 * The served JSON of an order, built once per order version (issue 15). The order read is the
 * harness's hottest request; spreading a ~90-field order into a new object and stringifying it on
 * every read was most of the route's own cost and much of the server's garbage.
 *
 * An entry stays valid while everything the JSON depends on is unchanged:
 * - the order's `revision`, bumped on every change (`touchOrder`, `setStatus` in
 *   simulator/domain/store/order-kit.ts);
 * - the fault plan, compared by identity: a plan that renames fields changes the JSON, and
 *   `setFaults` always installs a new plan object (plans are never mutated in place);
 * - the base URL of the links (protocol, Host and store hash of the request);
 * - the variant: which includes were asked for and the consignment structure.
 * The cache holds at most `maxChars` characters of JSON (16 Mi by default), oldest entries out
 * first, so a long run that reads every order once does not keep them all.
 */
import type { FaultPlan } from '../domain/faults.ts';
import type { OrderAggregate } from '../domain/model.ts';

interface Entry {
  revision: number;
  plan: FaultPlan;
  base: string;
  variant: string;
  text: string;
}

export interface OrderJsonCache {
  /** The cached JSON if it was built for this revision, plan, base URL and variant. */
  get(agg: OrderAggregate, plan: FaultPlan, base: string, variant: string): string | undefined;
  set(agg: OrderAggregate, plan: FaultPlan, base: string, variant: string, text: string): void;
  /** Entries and characters held (for tests and diagnostics). */
  stats(): { entries: number; chars: number };
}

export const DEFAULT_ORDER_CACHE_CHARS = 16 * 2 ** 20;

export function createOrderJsonCache(options: { maxChars?: number } = {}): OrderJsonCache {
  const maxChars = options.maxChars ?? DEFAULT_ORDER_CACHE_CHARS;
  // One entry per order (its latest variant); a Map iterates in insertion order, so the first
  // key is the oldest entry.
  const entries = new Map<OrderAggregate, Entry>();
  let chars = 0;

  return {
    get(agg, plan, base, variant) {
      const e = entries.get(agg);
      return e !== undefined && e.revision === agg.revision && e.plan === plan && e.base === base && e.variant === variant ? e.text : undefined;
    },
    set(agg, plan, base, variant, text) {
      const old = entries.get(agg);
      if (old) {
        chars -= old.text.length;
        entries.delete(agg);
      }
      // A huge order (a worst-case one with include=consignments.line_items) is not worth a slot.
      if (text.length > maxChars / 8) return;
      entries.set(agg, { revision: agg.revision, plan, base, variant, text });
      chars += text.length;
      for (const [key, e] of entries) {
        if (chars <= maxChars) break;
        entries.delete(key);
        chars -= e.text.length;
      }
    },
    stats: () => ({ entries: entries.size, chars }),
  };
}
