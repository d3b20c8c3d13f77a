/**
 * The served JSON of an order, built and UTF-8 encoded once per order version (issue 15). The
 * order reads are the harness's hottest requests; spreading a ~90-field order into a new object
 * and stringifying it on every read was most of the route's own cost and much of the server's
 * garbage. The JSON is kept as bytes, not text: the engine's batch read answers up to 250 large
 * orders (with non-ASCII text, two-byte strings) at once, and measuring the text's UTF-8 length and
 * then encoding it again on the socket blocked the event loop for hundreds of milliseconds.
 *
 * An entry stays valid while everything the JSON depends on is unchanged:
 * - the order's `revision`, bumped on every change (`touchOrder`, `setStatus` in
 *   simulator/domain/store/order-kit.ts);
 * - the fault plan, compared by identity: a plan that renames fields changes the JSON, and
 *   `setFaults` always installs a new plan object (plans are never mutated in place);
 * - the base URL of the links (protocol, Host and store hash of the request);
 * - the variant: which includes were asked for and the consignment structure.
 * The cache holds at most `maxBytes` bytes of JSON, oldest entries out first, so a long run that
 * reads every order once does not keep them all. The default (256 MiB) holds a full-size flash
 * sale (5,000 orders of the flash-sale mix read with their consignment line items came to 152 MB
 * in a measured run, ~30 KB each), so the engine's batch reads do not thrash it. The Buffers live
 * outside the V8 heap (counted in the process's `external`/`arrayBuffers` memory, not `heapUsed`),
 * so a full cache does not make the garbage collector's work grow.
 */
import type { FaultPlan } from '../domain/faults.ts';
import type { OrderAggregate } from '../domain/model.ts';

interface Entry {
  revision: number;
  plan: FaultPlan;
  base: string;
  variant: string;
  bytes: Buffer;
}

export interface OrderJsonCache {
  /** The cached JSON bytes if they were built for this revision, plan, base URL and variant. */
  get(agg: OrderAggregate, plan: FaultPlan, base: string, variant: string): Buffer | undefined;
  set(agg: OrderAggregate, plan: FaultPlan, base: string, variant: string, bytes: Buffer): void;
  /** Entries and bytes held (for tests and diagnostics). */
  stats(): { entries: number; bytes: number };
}

export const DEFAULT_ORDER_CACHE_BYTES = 256 * 2 ** 20;

/**
 * A string's UTF-8 bytes in a Buffer of their own. `Buffer.from` puts a short string in a slice of
 * a shared 8 KiB pool, and a cached slice would keep the whole slab alive, uncounted by the bound.
 */
export function utf8Bytes(text: string): Buffer {
  // One encoding pass into a scratch buffer big enough for any text of this length (3 bytes per
  // UTF-16 unit at most), then a copy of the exact bytes: measuring the UTF-8 length first is a
  // second pass, and on a two-byte string (any emoji or CJK in the order) it was the slower one
  // (a 63,000-character order: 129 µs measured then written, 72 µs this way; ASCII 23 -> 14 µs).
  // The scratch grows to fit, up to 4 MiB kept for the process; a larger text gets its own.
  const need = text.length * 3;
  const into = need <= scratch.length ? scratch : need <= SCRATCH_MAX ? (scratch = Buffer.allocUnsafeSlow(need)) : Buffer.allocUnsafeSlow(need);
  const { written } = encoder.encodeInto(text, into);
  const bytes = Buffer.allocUnsafeSlow(written);
  into.copy(bytes, 0, 0, written);
  return bytes;
}
const encoder = new TextEncoder();
const SCRATCH_MAX = 4 * 2 ** 20;
let scratch = Buffer.allocUnsafeSlow(1 << 16);

export function createOrderJsonCache(options: { maxBytes?: number } = {}): OrderJsonCache {
  const maxBytes = options.maxBytes ?? DEFAULT_ORDER_CACHE_BYTES;
  // One entry per order (its latest variant); a Map iterates in insertion order, so the first
  // key is the oldest entry.
  const entries = new Map<OrderAggregate, Entry>();
  let held = 0;

  return {
    get(agg, plan, base, variant) {
      const e = entries.get(agg);
      return e !== undefined && e.revision === agg.revision && e.plan === plan && e.base === base && e.variant === variant ? e.bytes : undefined;
    },
    set(agg, plan, base, variant, bytes) {
      const old = entries.get(agg);
      if (old) {
        held -= old.bytes.length;
        entries.delete(agg);
      }
      // One order taking more than an eighth of the bound would push out many others for itself.
      if (bytes.length > maxBytes / 8) return;
      entries.set(agg, { revision: agg.revision, plan, base, variant, bytes });
      held += bytes.length;
      for (const [key, e] of entries) {
        if (held <= maxBytes) break;
        entries.delete(key);
        held -= e.bytes.length;
      }
    },
    stats: () => ({ entries: entries.size, bytes: held }),
  };
}
