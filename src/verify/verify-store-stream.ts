/**
 * A flow into the store checked against ground truth: every change a connected system published
 * (the ERP's stock counts and prices) goes through the stream's mapping spec, and the result is
 * compared with the store's own state after each write the integration made through the API. The
 * integration's counters are never read; its dead-letter reports only explain a change that did
 * not arrive.
 *
 * A key (an item) changes many times, and a later change supersedes an earlier one: the store only
 * has to end up with the newest value, not replay every step. So a change counts as synced at the
 * first API write, at or after it was published, that left the store equal to its expected record
 * or to that of a newer change already published by then. Its latency runs from its publication to
 * that write. Consecutive changes that map to the same record (an ERP stock movement that leaves
 * the available count unchanged) are one change for the store.
 *
 * Outcomes: `correct` (synced), `corrupted` (the integration wrote the item after the change but
 * the store never held the change's value: diffs against the store's last state), `held`
 * (the spec rejects it and it was reported, as for the other streams), `lost` (never written after
 * the change and not justly held: a dead letter for a change the spec accepts is no excuse). Changes published in the last `inFlightAfter` stretch of the run that have not
 * arrived are in flight, not lost: a poll-based flow reads them at its next poll.
 */
import { applyMapping, type MappingResult } from '../mappings/apply-mapping.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import { parsePath, readPath } from '../mappings/path.ts';
import type { DeadLetterReport } from './dead-letters.ts';
import { diffRecords, type FieldDiff } from './diff-records.ts';
import type { ApiCall, SourceVersion, StoreState } from './ledger-index.ts';
import type { StreamDefinition } from './streams.ts';
import { emptyMeasures, matchesStream, recordMeasures, type StreamRecordResult, type StreamResult } from './verify-stream.ts';

export interface VerifyStoreStreamInput {
  stream: StreamDefinition;
  spec: CompiledSpec | undefined;
  /** The feed's changes by source key (item number), oldest first. */
  changes: ReadonlyMap<string, readonly SourceVersion[]>;
  /**
   * The store's resource over time, oldest first: after each API write (stock, prices), or every
   * version whoever made it (orders, customers), or the resources created (shipments, refunds).
   */
  storeWrites: readonly StoreState[];
  /** The states are the integration's API writes only, so one that misses a change is a wrong write. */
  statesAreWrites: boolean;
  /** The integration's API calls, for the writes it attempted. */
  calls: readonly ApiCall[];
  deadLetters: readonly DeadLetterReport[];
  lateAfterMs: number;
  /** Changes published at or after this simulated ms that have not arrived are in flight. */
  inFlightAfter: number;
  inScope?: boolean;
}

interface Change {
  at: number;
  version: number;
  source: Record<string, unknown>;
  mapped: MappingResult;
  /** The expected record as the store returns it (fields renamed, write-only ones dropped). */
  readBack: Record<string, unknown>;
}

/** The expected record in the store's own field names. */
export function readBackRecord(record: Record<string, unknown> | undefined, fields: Readonly<Record<string, string | null>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record ?? {})) {
    const to = k in fields ? fields[k] : k;
    if (to !== null && to !== undefined) out[to] = v;
  }
  return out;
}

const sameRecord = (a: Record<string, unknown>, b: Record<string, unknown>) => diffRecords(a, b, { limit: 1 }).length === 0;

export function verifyStoreStream(input: VerifyStoreStreamInput): StreamResult {
  const { stream, spec } = input;
  const measures = emptyMeasures();
  if (!spec || !stream.store) {
    return { stream, available: false, covered: false, note: `The mapping spec ${stream.spec} is not loaded, so this stream cannot be checked.`, records: [], skipped: 0, unexpectedKeys: [], renames: [], measures };
  }
  const { keyField, fields } = stream.store;
  const store = stream.store;
  const expectedInStore = (record: Record<string, unknown> | undefined) => (store.project ? store.project(record ?? {}) : readBackRecord(record, fields));
  const holdsRecord = (expected: Record<string, unknown>, body: Record<string, unknown>) => diffRecords(expected, body, { subset: true, limit: 1 }).length === 0;
  const targetKeyPath = spec.key.target ? parsePath(spec.key.target).segments : undefined;

  // The store's states by the key the spec writes (a variant's SKU, a product's id).
  const statesByKey = new Map<string, StoreState[]>();
  for (const s of input.storeWrites) {
    const k = s.body[keyField];
    if (k === undefined || k === null || k === '') continue;
    let list = statesByKey.get(String(k));
    if (!list) statesByKey.set(String(k), (list = []));
    list.push(s);
  }
  const writesAttempted = input.calls.filter((c) => c.method !== 'GET' && stream.store!.writes.test(c.path));

  const records: StreamRecordResult[] = [];
  let skipped = 0;
  let inFlight = 0;

  for (const [sourceKey, versions] of input.changes) {
    // Effective changes: skip what the spec does not carry, fold repeats of the same record.
    const changes: Change[] = [];
    versions.forEach((v, version) => {
      const mapped = applyMapping(spec, v.body);
      if (mapped.skipped) {
        skipped++;
        return;
      }
      const readBack = expectedInStore(mapped.record);
      const last = changes.at(-1);
      if (last && last.mapped.errors.length === 0 && mapped.errors.length === 0 && sameRecord(last.readBack, readBack)) return;
      changes.push({ at: v.at, version: version + 1, source: v.body, mapped, readBack });
    });
    if (changes.length === 0) continue;
    const newest = changes.at(-1)!;
    const keyValue = targetKeyPath ? readPath(newest.mapped.record, targetKeyPath) : store.targetKeyOf?.(newest.source);
    const targetKey = keyValue === undefined || keyValue === null ? sourceKey : String(keyValue);
    const states = statesByKey.get(targetKey) ?? [];
    // By key, not by time: an integration's queue stamps entries with its own clock, which can be
    // minutes of simulated time off the harness's at a high scale (the dead-letter export does).
    const deadLetter = input.deadLetters.find((d) => matchesStream(d, stream) && (d.key === sourceKey || d.key === targetKey || d.key.startsWith(`${targetKey}@`) || d.key.startsWith(`${sourceKey}@`)));
    const rejectedAfter = (since: number, until?: number) =>
      writesAttempted
        .filter((c) => c.at >= since && c.status >= 400 && (until === undefined || c.at <= until))
        .slice(0, 3)
        .map((c) => ({ at: c.at, status: c.status, errors: `${c.method} ${c.path.replace(/^\/stores\/[^/]+/, '')}` }));

    if (store.mode === 'create') {
      // One record per source record: the resource it created (found through the link), once.
      const created = states.filter((x) => store.link!(newest.source, x.body));
      const first = created[0];
      const disposition = newest.mapped.errors.length === 0 ? 'write' : 'dead-letter';
      const record: StreamRecordResult = {
        sourceId: sourceKey,
        targetKey,
        disposition,
        outcome: 'lost',
        createdAt: changes[0]!.at,
        exportableAt: changes[0]!.at,
        ...(first ? { firstAttemptAt: first.at, syncedAt: first.at, latencyMs: Math.max(0, first.at - changes[0]!.at) } : {}),
        attempts: created.length,
        rejected: rejectedAfter(changes[0]!.at, first?.at),
        duplicates: Math.max(0, created.length - 1),
        ...(disposition === 'dead-letter' ? { specErrors: newest.mapped.errors } : {}),
        ...(deadLetter ? { deadLetter: { at: deadLetter.at, reason: deadLetter.reason } } : {}),
        preDrift: true,
        driftBroken: false,
      };
      if (first) {
        if (disposition === 'write' && changes.some((c) => c.mapped.errors.length === 0 && holdsRecord(c.readBack, first.body))) record.outcome = 'correct';
        else {
          record.outcome = 'corrupted';
          record.diffs = disposition === 'write' ? diffRecords(newest.readBack, first.body, { subset: true }) : newest.mapped.errors.map((e) => ({ field: e.field, expected: `(held back: ${e.message})`, actual: readPath(first.body, parsePath(e.field).segments) }));
        }
      } else if (deadLetter && disposition === 'dead-letter') record.outcome = 'held';
      if (record.outcome === 'lost' && changes[0]!.at >= input.inFlightAfter) inFlight++;
      else records.push(record);
      continue;
    }

    // The newest change published by `at` that a store state holds (-1: none).
    const holdsAt = (body: Record<string, unknown>, at: number) => {
      for (let j = changes.length - 1; j >= 0; j--) {
        const c = changes[j]!;
        if (c.at > at || c.mapped.errors.length > 0) continue;
        if (holdsRecord(c.readBack, body)) return j;
      }
      return -1;
    };
    // The store's state only changes at a write, and what it should hold only at a publication:
    // those are the moments a change can become synced. At each, the newest change it holds.
    const moments = [...new Set([...states.map((x) => x.at), ...changes.map((c) => c.at)])].sort((a, b) => a - b);
    let w = -1;
    const held = moments.map((at) => {
      while (w + 1 < states.length && states[w + 1]!.at <= at) w++;
      return { at, newest: w >= 0 ? holdsAt(states[w]!.body, at) : -1 };
    });

    changes.forEach((change, i) => {
      const disposition = change.mapped.errors.length === 0 ? 'write' : 'dead-letter';
      // Synced: the first moment from its publication on at which the store holds it or a newer
      // published change (a change back to the value the integration last wrote needs no write).
      const syncedAt = held.find((m) => m.at >= change.at && m.newest >= i)?.at;
      // Only states the integration wrote can be wrong writes; an order's or a customer's other
      // versions (a sale, another flow) say nothing about this one.
      const after = input.statesAreWrites ? states.filter((s) => s.at >= change.at) : [];
      const record: StreamRecordResult = {
        sourceId: `${sourceKey} #${change.version}`,
        targetKey,
        disposition,
        outcome: 'lost',
        createdAt: change.at,
        exportableAt: change.at,
        ...(after[0] ? { firstAttemptAt: after[0].at } : {}),
        ...(syncedAt !== undefined ? { syncedAt, latencyMs: syncedAt - change.at } : {}),
        attempts: after.length,
        rejected: rejectedAfter(change.at, syncedAt),
        duplicates: 0,
        ...(disposition === 'dead-letter' ? { specErrors: change.mapped.errors } : {}),
        ...(deadLetter ? { deadLetter: { at: deadLetter.at, reason: deadLetter.reason } } : {}),
        preDrift: true,
        driftBroken: false,
      };
      if (disposition === 'write' && syncedAt !== undefined) record.outcome = 'correct';
      else if (disposition === 'dead-letter' && after.length === 0) record.outcome = deadLetter ? 'held' : 'lost';
      else if (after.length > 0 && syncedAt === undefined) {
        // Written after the change, but the store never held it (or holds what the spec rejects).
        record.outcome = 'corrupted';
        const lastState = after.at(-1)!.body;
        record.diffs =
          disposition === 'write'
            ? diffRecords(newest.mapped.errors.length === 0 ? newest.readBack : change.readBack, lastState, { subset: true })
            : change.mapped.errors.map((e) => ({ field: e.field, expected: `(held back: ${e.message})`, actual: lastState[fields[e.field] ?? e.field] }));
      }
      if (record.outcome === 'lost' && change.at >= input.inFlightAfter) {
        inFlight++;
        return;
      }
      records.push(record);
    });
  }

  Object.assign(measures, recordMeasures(records, { skipped, lateAfterMs: input.lateAfterMs }), { inFlight });
  // Items the integration wrote that the feed never changed in this run (a full resync writes
  // everything) are expected, not suspicious: the store's values are the ERP's either way.
  const active = writesAttempted.length > 0 || records.some((r) => r.deadLetter !== undefined);
  const covered = input.inScope === true || active;
  const note = inFlight > 0 ? `${inFlight} ${stream.noun}(s) published in the last stretch of the run had not reached the store yet; they are in flight, not lost.` : undefined;
  return { stream, available: true, covered, active, ...(note ? { note } : {}), records, skipped, unexpectedKeys: [], renames: [], measures };
}

export type { FieldDiff };
