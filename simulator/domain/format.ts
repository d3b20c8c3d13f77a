/**
 * The platform's wire formats. V2 money is a string with four decimals ("62.6793") and V2 dates
 * are RFC-2822 ("Tue, 05 Mar 2019 21:40:11 +0000"); V3 uses numbers and ISO-8601
 * (bigcommerce-facts.md section d).
 */

// Orders repeat the same few amounts ("0.0000", shipping rates, list prices) in dozens of fields;
// sharing one string per amount keeps 100,000 orders in memory affordable.
const moneyCache = new Map<number, string>();
const MONEY_CACHE_MAX = 100_000;

/** A V2 money string with four decimals. */
export function money(value: number): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  let text = moneyCache.get(rounded);
  if (text === undefined) {
    text = rounded.toFixed(4);
    if (moneyCache.size < MONEY_CACHE_MAX) moneyCache.set(rounded, text);
  }
  return text;
}

/** Round to cents the way a checkout does before formatting. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

let lastRfc: { second: number; text: string } | undefined;

/** RFC-2822 in UTC with the platform's "+0000" offset. */
export function rfc2822(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (lastRfc?.second === second) return lastRfc.text;
  const d = new Date(second * 1000);
  const text = `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  lastRfc = { second, text };
  return text;
}

let lastIsoMs: { ms: number; text: string } | undefined;

/**
 * `new Date(epochMs).toISOString()`, the ledger's timestamp. Every line of an order (a dozen and
 * more, with their deliveries) falls in the same millisecond, so the last one is kept.
 */
export function isoMs(epochMs: number): string {
  if (lastIsoMs?.ms === epochMs) return lastIsoMs.text;
  const text = new Date(epochMs).toISOString();
  lastIsoMs = { ms: epochMs, text };
  return text;
}

/** ISO-8601 with seconds and a +00:00 offset, as V3 returns it. */
export function iso(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/**
 * Parse a date filter the way V2 accepts it: RFC-2822 or ISO-8601 (and, leniently, Unix seconds).
 * Returns undefined when the value is not a date.
 */
export function parseDateFilter(value: string): number | undefined {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
