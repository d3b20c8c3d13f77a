/**
 * k6's log lines (logrus text format), which k6 writes to stderr and scripts' `console.log` joins:
 * `time="2026-11-27T03:52:05Z" level=warning msg="..." executor=... scenario=...`.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface K6Logger {
  log(level: LogLevel, message: string, fields?: Record<string, string | number>): void;
  /** Log a message once per key, as k6 does for "Insufficient VUs". */
  once(key: string, level: LogLevel, message: string, fields?: Record<string, string | number>): void;
}

function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : JSON.stringify(value);
}

export function createK6Logger(write: (line: string) => void, now: () => Date = () => new Date()): K6Logger {
  const seen = new Set<string>();
  const logger: K6Logger = {
    log(level, message, fields = {}) {
      const time = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const extra = Object.entries(fields)
        .map(([k, v]) => ` ${k}=${quoteIfNeeded(String(v))}`)
        .join('');
      write(`time="${time}" level=${level} msg=${JSON.stringify(message)}${extra}\n`);
    },
    once(key, level, message, fields) {
      if (seen.has(key)) return;
      seen.add(key);
      logger.log(level, message, fields);
    },
  };
  return logger;
}

/** Format console arguments as k6 does: strings as they are, everything else as JSON. */
export function formatConsoleArgs(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return String(a);
      if (a === undefined) return 'undefined';
      if (typeof a === 'function') return '[object Function]';
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}
