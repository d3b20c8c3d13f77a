/**
 * What a target writer does with a batch of outbox rows, as one closed set of outcomes the pump
 * knows how to act on (retry.ts says which answer is which).
 */
import type { OutboxRow, Target } from '../outbox.ts';

export type WriteResult =
  | { outcome: 'ok'; remoteIds?: (string | undefined)[] }
  | { outcome: 'transient'; error: string; /** a floor for the wait (Retry-After), simulated ms */ minDelayMs?: number }
  | { outcome: 'permanent'; error: string }
  | { outcome: 'defer'; untilMs: number; reason: string };

export interface TargetWriter {
  target: Target;
  /** Rows per call: the target's batch limit (1 for single-record endpoints). */
  batchSize: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Send the rows as one call; the result applies to all of them (a batch is all or nothing). */
  send(rows: OutboxRow[]): Promise<WriteResult>;
  /**
   * For targets without an idempotent key (BigCommerce shipments and refunds): after a send that
   * may have landed (a crash or a lost answer), look for the record before sending it again.
   */
  verify?(row: OutboxRow): Promise<{ found: boolean; remoteId?: string } | { unavailable: string }>;
  /** Whether the row may go now, or must wait for something else to be delivered first. */
  ready?(row: OutboxRow, now: number): WriteResult | undefined;
}
