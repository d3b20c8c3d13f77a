/**
 * k6 durations: parsing the strings scripts write (`'10s'`, `'1m30s'`, `'500ms'`, `'1.5h'`, `'2d'`)
 * and printing them the way k6 does (Go's `time.Duration.String()`: `40s`, `1m0s`, `10m30s`).
 *
 * k6 reads a duration with Go's `time.ParseDuration` plus a `d` unit, and a bare number as
 * milliseconds, so both forms are accepted here.
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

/** Milliseconds for a k6 duration; `field` names the option in the error message. */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new DurationError(`${field}: ${value} is not a duration (a number of milliseconds >= 0, or a string like "30s").`);
    return value;
  }
  if (typeof value !== 'string') throw new DurationError(`${field}: expected a duration like "30s" or "1m30s", got ${JSON.stringify(value)}.`);
  const text = value.trim();
  if (text === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('-')) throw new DurationError(`${field}: "${value}" is negative; durations must be >= 0.`);
  let total = 0;
  let at = text.startsWith('+') ? 1 : 0;
  if (at === text.length) throw new DurationError(`${field}: "${value}" is not a duration like "30s" or "1m30s".`);
  while (at < text.length) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    if (!match) throw new DurationError(`${field}: "${value}" is not a duration like "30s", "1m30s" or "500ms" (units ns, us, ms, s, m, h, d).`);
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    at = PART.lastIndex;
  }
  return total;
}

function trimFraction(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** Go's `time.Duration.String()` for a duration in milliseconds. */
export function formatGoDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${sign}${abs}ns`;
  if (abs < 1_000_000) return `${sign}${trimFraction(abs / 1_000, 3)}µs`;
  if (abs < 1_000_000_000) return `${sign}${trimFraction(abs / 1_000_000, 6)}ms`;
  const hours = Math.floor(abs / 3.6e12);
  const minutes = Math.floor((abs % 3.6e12) / 6e10);
  const seconds = (abs % 6e10) / 1e9;
  let out = sign;
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${trimFraction(seconds, 9)}s`;
}
