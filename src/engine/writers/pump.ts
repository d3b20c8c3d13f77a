/**
 * Delivers one target's outbox: takes due rows, sends them in the target's batches with its
 * concurrency, and records each outcome durably (sent, retry at a jittered backoff, or dead).
 *
 * A circuit per target: after a transient failure the target gets one probe at a time, spaced by
 * backoff, instead of every pending record hammering a system that is down; the first success
 * closes it and makes everything that waited due at once. So a ten-minute ERP outage costs a
 * handful of probes, spends nobody's retry budget, and drains as soon as the ERP answers.
 *
 * A batch the target rejects as a whole (one poison item in 2,000) is split in halves until the
 * poison is alone, so one bad record never blocks its neighbours.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Random } from '../../../lib/random.ts';
import type { DeadLetters } from '../dlq.ts';
import type { EngineBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { Outbox, OutboxRow } from '../outbox.ts';
import { backoffDelay, mayRetry, type BackoffPolicy } from '../retry.ts';
import { createSerialTask } from '../timers.ts';
import type { TargetWriter, WriteResult } from './types.ts';

export interface Pump {
  kick(): void;
  idle(): Promise<void>;
  stop(): void;
}

export interface PumpOptions {
  writer: TargetWriter;
  outbox: Outbox;
  dlq: DeadLetters;
  clock: Clock;
  random: Random;
  bus: EngineBus;
  logger: Logger;
  backoff: BackoffPolicy;
  /** Probe spacing while the target is failing. */
  circuit?: BackoffPolicy;
}

const CIRCUIT: BackoffPolicy = { baseMs: 1_000, capMs: 60_000, maxAttempts: Number.POSITIVE_INFINITY };

export function createPump(options: PumpOptions): Pump {
  const { writer, outbox, dlq, clock, random, bus, logger, backoff } = options;
  const circuitPolicy = options.circuit ?? CIRCUIT;
  let failures = 0;
  let openUntil = 0;

  const deadLetter = (row: OutboxRow, kind: 'rejected' | 'exhausted', reason: string, attempts: number) => {
    const now = clock.now();
    if (!outbox.markDead(row, reason, now)) return;
    const { id, isNew } = dlq.add({ spec: row.spec, key: row.key, target: row.target, kind, reason, payload: { method: row.method, path: row.path, body: JSON.parse(row.body) }, attempts }, now);
    bus.emit('job:dead-lettered', { id, spec: row.spec, key: row.key, target: row.target, kind, reason, isNew, open: dlq.openCount() });
    logger.warn('dead-lettered', { target: row.target, spec: row.spec, key: row.key, kind, reason: reason.slice(0, 300) });
  };

  // One commit per batch outcome: a batch of 250 sales orders was 250 commits (issue 15).
  const apply = (rows: OutboxRow[], result: WriteResult) => outbox.tx(() => applyNow(rows, result));
  const applyNow = (rows: OutboxRow[], result: WriteResult) => {
    const now = clock.now();
    switch (result.outcome) {
      case 'ok': {
        rows.forEach((row, i) => outbox.markSent(row, now, result.remoteIds?.[i]));
        bus.emit('write:succeeded', { target: writer.target, spec: rows[0]!.spec, records: rows.length, latencyMs: rows.map((r) => now - r.observedAt) });
        return;
      }
      case 'transient': {
        bus.emit('write:failed', { target: writer.target, spec: rows[0]!.spec, records: rows.length, transient: true, error: result.error });
        for (const row of rows) {
          const tries = row.attempts + 1;
          if (!mayRetry(tries, backoff)) deadLetter(row, 'exhausted', `gave up after ${tries} tries: ${result.error}`, tries);
          else outbox.markRetry(row, now + Math.max(result.minDelayMs ?? 0, backoffDelay(tries, backoff, random)), result.error, now);
        }
        failures++;
        openUntil = Math.max(openUntil, now + Math.max(result.minDelayMs ?? 0, backoffDelay(failures, circuitPolicy, random)));
        return;
      }
      case 'permanent': {
        bus.emit('write:failed', { target: writer.target, spec: rows[0]!.spec, records: rows.length, transient: false, error: result.error });
        for (const row of rows) deadLetter(row, 'rejected', result.error, row.attempts + 1);
        return;
      }
      case 'defer':
        for (const row of rows) outbox.defer(row, result.untilMs);
        return;
      default:
        return result satisfies never;
    }
  };

  const sendBatch = async (rows: OutboxRow[]): Promise<void> => {
    const now = clock.now();
    const sendable: OutboxRow[] = [];
    for (const row of rows) {
      const waiting = writer.ready?.(row, now);
      if (waiting) {
        apply([row], waiting);
        continue;
      }
      if (writer.verify && row.state === 'inflight') {
        // A send of this record may have landed before a crash or a lost answer: look first.
        const seen = await writer.verify(row);
        if ('unavailable' in seen) {
          apply([row], { outcome: 'transient', error: `could not check whether it was already written: ${seen.unavailable}` });
          continue;
        }
        if (seen.found) {
          apply([row], { outcome: 'ok', remoteIds: [seen.remoteId] });
          continue;
        }
      }
      sendable.push(row);
    }
    if (sendable.length === 0) return;
    if (writer.verify) outbox.tx(() => sendable.forEach((row) => outbox.markInflight(row, clock.now())));
    const result = await writer.send(sendable);
    if (result.outcome === 'permanent' && sendable.length > 1) {
      // Find the poison: halves until each rejection is one record.
      const half = Math.ceil(sendable.length / 2);
      await sendBatch(sendable.slice(0, half));
      await sendBatch(sendable.slice(half));
      return;
    }
    apply(sendable, result);
    if (result.outcome === 'ok' && failures > 0) {
      logger.info('target answering again', { target: writer.target, afterFailures: failures });
      failures = 0;
      openUntil = 0;
      outbox.releaseTarget(writer.target);
    }
  };

  const run = async () => {
    for (;;) {
      const now = clock.now();
      if (openUntil > now) {
        task.kickAt(openUntil);
        return;
      }
      const probing = failures > 0;
      const rows = outbox.due(writer.target, now, probing ? 1 : writer.batchSize * writer.concurrency);
      if (rows.length === 0) {
        const next = outbox.nextDue(writer.target);
        if (next !== undefined) task.kickAt(Math.max(next, now + 1));
        return;
      }
      const batches: OutboxRow[][] = [];
      for (let i = 0; i < rows.length; i += writer.batchSize) batches.push(rows.slice(i, i + writer.batchSize));
      await Promise.all(batches.map((b) => sendBatch(b)));
    }
  };

  const task = createSerialTask(clock, run, (error) => logger.error('writer failed', { target: writer.target, error: error instanceof Error ? error.stack : String(error) }));
  return { kick: () => task.kick(), idle: () => task.idle(), stop: () => task.stop() };
}
