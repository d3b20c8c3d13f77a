/**
 * The ground-truth ledger: every resource mutation (with the full resource after the change),
 * webhook event, delivery attempt and API request, as JSON Lines.
 *
 * The ledger is append-only and can grow to hundreds of megabytes in a long flash sale, so it is
 * spooled to a file (the run directory's `ledger.jsonl`, or a temporary file) instead of being
 * held in memory; reading it streams the file. Lines are buffered and written in chunks because a
 * synchronous write per event would dominate request latency.
 */
import { closeSync, createReadStream, fsyncSync, mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { makePrivateDir, openPrivateFile } from './private-files.ts';

export type LedgerKind =
  | 'resource:created'
  | 'resource:updated'
  | 'resource:deleted'
  | 'webhook:event'
  | 'webhook:attempt'
  | 'webhook:dropped'
  | 'hook:deactivated'
  | 'hook:notification'
  | 'api:request'
  | 'quota:limited'
  | 'cart:abandoned'
  | 'store:reset'
  | 'clock:advanced'
  | 'faults:changed'
  /** The app lifecycle (simulator/domain/apps.ts): registration, install code, token exchange, callbacks, uninstall. */
  | 'app:registered'
  | 'app:code-issued'
  | 'app:token'
  | 'app:callback'
  | 'app:installed'
  | 'app:uninstalled'
  /** A connected-system mock's journal line (the mocks spool their journals the same way). */
  | 'write'
  /** A change a connected-system mock published on its feeds (their `published-<system>.jsonl`). */
  | 'record:published';

export interface LedgerEntry {
  kind: LedgerKind;
  /** Simulated time, ISO-8601. */
  at: string;
  store?: string;
  [key: string]: unknown;
}

export interface Ledger {
  append(entry: LedgerEntry): void;
  /** Entries written so far. */
  readonly count: number;
  /** Write buffered lines to the file. */
  flush(): void;
  /** A stream of the whole ledger (flushes first). */
  stream(): Readable;
  readonly path: string;
  close(): void;
}

export interface LedgerOptions {
  /** Write to this file (for example `<runDir>/ledger.jsonl`); otherwise a temporary file. */
  path?: string;
  /** Buffered bytes before a write. */
  chunkBytes?: number;
}

export function createLedger(options: LedgerOptions = {}): Ledger {
  const temporary = options.path === undefined;
  const path = options.path ?? join(mkdtempSync(join(tmpdir(), 'bc-harness-ledger-')), 'ledger.jsonl');
  // Orders with their customers' addresses: owner-only (issue 14; see private-files.ts).
  makePrivateDir(dirname(path));
  const fd = openPrivateFile(path, 'w');
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  // Lines are encoded straight into one reused buffer: holding them as strings until a flush
  // let them survive young-generation collections, which doubled the resident size of a long run.
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let buffered = 0;
  let count = 0;
  let closed = false;

  const flush = () => {
    if (buffered === 0 || closed) return;
    let written = 0;
    while (written < buffered) written += writeSync(fd, buffer, written, buffered - written);
    buffered = 0;
  };
  // Flush on a short real-time timer too, so a reader sees recent events without a request.
  const timer = setInterval(flush, 250);
  timer.unref();

  return {
    append(entry) {
      if (closed) return;
      const json = JSON.stringify(entry);
      count++;
      // UTF-8 needs at most 3 bytes per UTF-16 code unit, so a line whose worst case fits in what
      // is left of the buffer is encoded straight in: measuring it first (Buffer.byteLength) walked
      // every line twice, and `${json}\n` copied it once more. Only a line near a chunk's end is measured.
      if (json.length * 3 + 1 > chunkBytes - buffered) {
        const bytes = Buffer.byteLength(json) + 1;
        if (bytes > chunkBytes - buffered) flush();
        if (bytes > chunkBytes) {
          writeSync(fd, `${json}\n`);
          return;
        }
      }
      buffered += buffer.write(json, buffered);
      buffer[buffered++] = 0x0a;
    },
    get count() {
      return count;
    },
    flush,
    stream() {
      flush();
      return createReadStream(path, { encoding: 'utf8' });
    },
    path,
    close() {
      if (closed) return;
      flush();
      clearInterval(timer);
      closed = true;
      try {
        fsyncSync(fd);
      } catch {
        // fsync is best effort (some filesystems refuse it); the data was written.
      }
      closeSync(fd);
      if (temporary) rmSync(dirname(path), { recursive: true, force: true });
    },
  };
}

/**
 * `inner`, with `tap` seeing every entry just before it is appended: how a run watches the ledger
 * as it is written (the UAT's counters, the whole-run profile) without a second reader.
 */
export function tapLedger(inner: Ledger, tap: (entry: LedgerEntry) => void): Ledger {
  return {
    append(entry) {
      tap(entry);
      inner.append(entry);
    },
    get count() {
      return inner.count;
    },
    flush: () => inner.flush(),
    stream: () => inner.stream(),
    path: inner.path,
    close: () => inner.close(),
  };
}
