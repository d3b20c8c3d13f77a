/**
 * One record stream checked against ground truth: every source record the ledger holds goes
 * through the stream's mapping spec (each version the record had), and the result is compared
 * with what the target's journal shows. Nothing comes from the integration except its dead-letter
 * reports, which only decide whether a record that did not arrive was accounted for.
 *
 * Per record:
 * - the spec skips every version: not expected;
 * - some version maps without errors: it must reach the target (`write`);
 * - every version the spec does not skip is rejected: it must be dead-lettered (`dead-letter`).
 *
 * Outcomes: `correct` (the target's record equals the expected record of one of the versions),
 * `corrupted` (it differs from all of them: diffs against the nearest), `held` (a `dead-letter`
 * record that was dead-lettered: the spec's reject rule fired, so holding it is right), `lost`
 * (neither in the target nor justly held). A dead letter for a record the spec accepts is not an
 * excuse (DESIGN.md section 4: a dead letter is handled only when the spec's reject rule fires for
 * that record): the record is lost, and the dead letter stays on it as evidence of what the
 * integration said.
 */
import { applyMapping, evaluateCondition, type MappingIssue, type MappingResult } from '../mappings/apply-mapping.ts';
import type { CompiledField, CompiledSpec } from '../mappings/compile.ts';
import { parsePath, readPath } from '../mappings/path.ts';
import type { DeadLetterReport } from './dead-letters.ts';
import { diffRecords, type FieldDiff } from './diff-records.ts';
import type { JournalIndex, JournalWrite, Rename, SourceVersion } from './ledger-index.ts';
import { percentile } from './percentile.ts';
import type { StreamDefinition, StreamMeasure } from './streams.ts';

export type RecordOutcome = 'correct' | 'corrupted' | 'held' | 'lost';

export interface StreamRecordResult {
  sourceId: string;
  targetKey: string;
  disposition: 'write' | 'dead-letter';
  outcome: RecordOutcome;
  /** Simulated ms the source record first existed. */
  createdAt: number;
  /** When the record first qualified for the flow (its first version the spec does not skip). */
  exportableAt: number;
  firstAttemptAt?: number;
  /** First accepted write. */
  syncedAt?: number;
  latencyMs?: number;
  attempts: number;
  rejected: { at: number; status: number; errors: string }[];
  duplicates: number;
  diffs?: FieldDiff[];
  /** Why the spec rejects it (for `dead-letter` records). */
  specErrors?: MappingIssue[];
  deadLetter?: { at: number; reason: string };
  /** Created before the first platform rename of a field this stream reads. */
  preDrift: boolean;
  /** Broken by a rename: lost silently, or corrupted on a field derived from the renamed one. */
  driftBroken: boolean;
  /** Fields of the first attempt's body (payload-as-data evidence). */
  firstAttemptFields?: string[];
}

export interface StreamResult {
  stream: StreamDefinition;
  /** False when the stream could not be checked (its spec is missing); `note` says why. */
  available: boolean;
  /**
   * The integration is judged on this stream: it is in the run's scope, or the integration wrote
   * to its target (or dead-lettered) for at least one of its records. An integration that never touches the 3PL is
   * not accused of losing every fulfilment order; the report lists the stream as not covered.
   */
  covered: boolean;
  /** The integration wrote to the stream's target (or dead-lettered one of its records): it runs this flow. */
  active?: boolean;
  note?: string;
  records: StreamRecordResult[];
  skipped: number;
  /** Keys the target received that no source record of the run explains. */
  unexpectedKeys: string[];
  renames: Rename[];
  measures: Record<StreamMeasure, number | null>;
}

export interface VerifyStreamInput {
  stream: StreamDefinition;
  spec: CompiledSpec | undefined;
  /** Source records with their versions, oldest first. */
  sources: { id: string; versions: SourceVersion[] }[];
  journals: JournalIndex;
  deadLetters: readonly DeadLetterReport[];
  renames: readonly Rename[];
  /** A synced record slower than this is late. */
  lateAfterMs: number;
  /** Keys other streams on the same target expect (so shared targets do not flag each other). */
  otherExpectedKeys?: ReadonlySet<string>;
  /** The stream is in the run's scope (judged even if the integration never wrote to it). */
  inScope?: boolean;
  /** Transform a source version before mapping (abandoned carts are rendered as GET /v3/carts shows them). */
  prepare?: (body: Record<string, unknown>) => Record<string, unknown>;
}

const isOk = (status: number) => status >= 200 && status < 300;

/** Top-level (or products[]) source path a platform rename of `resource.from` affects. */
export function renamedPath(r: Rename): string | undefined {
  switch (r.resource) {
    case 'order':
    case 'customer':
      return r.from;
    case 'order_product':
      return `products[].${r.from}`;
    default:
      return undefined;
  }
}

function fieldReads(fields: readonly CompiledField[], into: Set<string>): void {
  for (const f of fields) {
    for (const r of f.reads) into.add(r);
    for (const c of f.when) for (const r of c.reads) into.add(r);
    if (f.fields) fieldReads(f.fields, into);
  }
}

/** Every source path the spec reads: fields, conditions, skip rules and the key. */
export function specReads(spec: CompiledSpec): Set<string> {
  const reads = new Set<string>([spec.key.sourcePath]);
  fieldReads(spec.fields, reads);
  for (const s of spec.skip) for (const c of s.conditions) for (const r of c.reads) reads.add(r);
  return reads;
}

function applyRename(body: Record<string, unknown>, r: Rename): Record<string, unknown> {
  const copy = { ...body };
  if (r.resource === 'order_product' && Array.isArray(copy.products)) {
    copy.products = (copy.products as Record<string, unknown>[]).map((p) => {
      const q = { ...p };
      if (r.from in q) {
        q[r.to] = q[r.from];
        delete q[r.from];
      }
      return q;
    });
  } else if (r.from in copy) {
    copy[r.to] = copy[r.from];
    delete copy[r.from];
  }
  return copy;
}

function safeRead(data: unknown, field: string): unknown {
  try {
    return readPath(data, parsePath(field).segments);
  } catch {
    return undefined;
  }
}

const listPath = (field: string) => field.replace(/\[\d+\]/g, '[]');

function skippedBySpec(spec: CompiledSpec, source: unknown): boolean {
  return spec.skip.some((rule) => rule.conditions.every((c) => evaluateCondition(c, { root: source, current: source })));
}

export function emptyMeasures(): Record<StreamMeasure, number | null> {
  return {
    expected: 0,
    expectedDeadLetters: 0,
    skipped: 0,
    inFlight: 0,
    synced: 0,
    correct: 0,
    lost: 0,
    deadLettered: 0,
    deadLetteredUnjustified: 0,
    unsynced: 0,
    duplicated: 0,
    corrupted: 0,
    corruptedBeforeDrift: 0,
    late: 0,
    rejectedByTarget: 0,
    unexpectedWrites: 0,
    syncLatencyP50Seconds: null,
    syncLatencyP95Seconds: null,
    syncLatencyP99Seconds: null,
    syncLatencyMaxSeconds: null,
    syncLatencyPeakP95Seconds: null,
  };
}

/** The record the target holds for a key, by how the target keeps writes. */
function effectiveRecord(writes: readonly JournalWrite[], semantics: StreamDefinition['target']['semantics']): unknown {
  const accepted = writes.filter((w) => isOk(w.status));
  if (accepted.length === 0) return undefined;
  switch (semantics) {
    case 'replace':
      return accepted.at(-1)!.body;
    case 'first-wins':
      return accepted[0]!.body;
    case 'merge':
      return accepted.reduce<Record<string, unknown>>((acc, w) => ({ ...acc, ...((w.body as Record<string, unknown>) ?? {}) }), {});
    default:
      return semantics satisfies never;
  }
}

export function verifyStream(input: VerifyStreamInput): StreamResult {
  const { stream, spec } = input;
  const measures = emptyMeasures();
  if (!spec) {
    return { stream, available: false, covered: false, note: `The mapping spec ${stream.spec} is not loaded, so this stream cannot be checked.`, records: [], skipped: 0, unexpectedKeys: [], renames: [], measures };
  }
  const targetId = `${stream.target.system}:${stream.target.resource}`;
  const byKey = input.journals.writes.get(targetId) ?? new Map<string, JournalWrite[]>();
  const reads = specReads(spec);
  const renames = input.renames.filter((r) => {
    const path = renamedPath(r);
    const resourceMatches = stream.source.kind === 'resource' && (r.resource === stream.source.resource || (r.resource === 'order_product' && stream.source.resource === 'order'));
    return resourceMatches && path !== undefined && reads.has(path);
  });
  const firstRenameAt = renames.length > 0 ? Math.min(...renames.map((r) => r.at)) : undefined;
  const targetKeyPath = spec.key.target;
  const records: StreamRecordResult[] = [];
  const expectedKeys = new Set<string>();
  let skipped = 0;

  for (const source of input.sources) {
    if (source.versions.length === 0) continue;
    const bodies = source.versions.map((v) => (input.prepare ? input.prepare(v.body) : v.body));
    const memo = new Map<number, MappingResult>();
    const mapped = (i: number): MappingResult => {
      let r = memo.get(i);
      if (!r) memo.set(i, (r = applyMapping(spec, bodies[i])));
      return r;
    };
    // Disposition from the newest version backwards: one accepted version means it must arrive.
    let disposition: 'write' | 'dead-letter' | 'skipped' = 'skipped';
    for (let i = bodies.length - 1; i >= 0; i--) {
      const r = mapped(i);
      if (r.skipped) continue;
      if (r.errors.length === 0) {
        disposition = 'write';
        break;
      }
      disposition = 'dead-letter';
    }
    if (disposition === 'skipped') {
      skipped++;
      continue;
    }
    const newestUnskipped = [...bodies.keys()].reverse().find((i) => !mapped(i).skipped)!;
    const keyValue = targetKeyPath ? readPath(mapped(newestUnskipped).record, parsePath(targetKeyPath).segments) : undefined;
    const targetKey = keyValue === undefined || keyValue === null ? source.id : String(keyValue);
    expectedKeys.add(targetKey);
    const writes = byKey.get(targetKey) ?? [];
    const createdAt = source.versions[0]!.at;
    const exportableIndex = bodies.findIndex((b) => !skippedBySpec(spec, b));
    const exportableAt = source.versions[Math.max(0, exportableIndex)]!.at;
    const accepted = writes.filter((w) => isOk(w.status));
    const syncedAt = accepted[0]?.atMs;
    const duplicates = stream.target.semantics === 'first-wins' ? 0 : writes.filter((w) => isOk(w.status) && w.method === 'POST' && w.existed === true).length;
    const rejected = writes.filter((w) => w.status >= 400).map((w) => ({ at: w.atMs, status: w.status, errors: (w.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ') }));
    const deadLetter = input.deadLetters.find((d) => matchesStream(d, stream) && (d.key === source.id || d.key === targetKey));
    const record: StreamRecordResult = {
      sourceId: source.id,
      targetKey,
      disposition,
      outcome: 'lost',
      createdAt,
      exportableAt,
      ...(writes[0] ? { firstAttemptAt: writes[0].atMs } : {}),
      ...(syncedAt !== undefined ? { syncedAt, latencyMs: Math.max(0, syncedAt - exportableAt) } : {}),
      attempts: writes.length,
      rejected,
      duplicates,
      ...(disposition === 'dead-letter' ? { specErrors: mapped(newestUnskipped).errors } : {}),
      ...(deadLetter ? { deadLetter: { at: deadLetter.at, reason: deadLetter.reason } } : {}),
      preDrift: firstRenameAt === undefined || createdAt < firstRenameAt,
      driftBroken: false,
      ...(writes[0] && writes[0].body && typeof writes[0].body === 'object' ? { firstAttemptFields: Object.keys(writes[0].body as object) } : {}),
    };

    const effective = effectiveRecord(writes, stream.target.semantics);
    // A record the target already held before the run (a seeded CRM contact) is updated, not
    // created: fields the spec sends on create only (writeMode: onCreate, owned by the target)
    // are then rightly left out.
    const firstAccepted = writes.find((w) => isOk(w.status));
    const update = firstAccepted?.existed === true && stream.target.semantics === 'merge';
    const updateMemo = new Map<number, MappingResult>();
    const compared = (i: number): MappingResult => {
      if (!update) return mapped(i);
      let r = updateMemo.get(i);
      if (!r) updateMemo.set(i, (r = applyMapping(spec, bodies[i], { operation: 'update' })));
      return r;
    };
    if (effective !== undefined) {
      const compare = (expected: unknown) =>
        stream.target.semantics === 'merge' ? diffRecords(expected, effective, { only: Object.keys((expected as Record<string, unknown>) ?? {}) }) : diffRecords(expected, effective);
      let best: FieldDiff[] | undefined;
      for (let i = bodies.length - 1; i >= 0; i--) {
        const r = compared(i);
        if (r.skipped) continue;
        const diffs = compare(r.record);
        // Only a version the spec accepts can be the right record; a rejected one is "written
        // although the spec holds it back", which is corruption with the diffs to what was held.
        if (diffs.length === 0 && r.errors.length === 0) {
          best = [];
          break;
        }
        if (!best || diffs.length < best.length) best = diffs.length === 0 ? r.errors.map((e) => ({ field: e.field, expected: `(held back: ${e.message})`, actual: safeRead(effective, e.field) })) : diffs;
      }
      if (best && best.length === 0) record.outcome = 'correct';
      else {
        record.outcome = 'corrupted';
        record.diffs = best ?? [];
      }
    } else if (deadLetter && disposition === 'dead-letter') {
      record.outcome = 'held';
    }

    // Drift: a record that existed while a renamed field was gone, and broke without a dead letter.
    const active = renames.filter((r) => r.at <= (record.syncedAt ?? record.firstAttemptAt ?? Infinity) && (r.until ?? Infinity) > createdAt);
    if (active.length > 0) {
      if (record.outcome === 'lost') record.driftBroken = true;
      else if (record.outcome === 'corrupted' && record.diffs) {
        const renamedSource = active.reduce((b, r) => applyRename(b, r), bodies[newestUnskipped]!);
        const drifted = applyMapping(spec, renamedSource);
        const affected = new Set(diffRecords(mapped(newestUnskipped).record, drifted.record ?? {}).map((d) => listPath(d.field)));
        // A rename that empties a required field rejects the record: every field is then at risk.
        const rejectedByDrift = drifted.skipped !== undefined || drifted.errors.length > 0;
        record.driftBroken = rejectedByDrift || record.diffs.some((d) => affected.has(listPath(d.field)));
      }
    }
    records.push(record);
  }

  const other = input.otherExpectedKeys ?? new Set<string>();
  const unexpectedKeys = [...byKey.keys()].filter((k) => !expectedKeys.has(k) && !other.has(k) && (byKey.get(k) ?? []).some((w) => isOk(w.status)));

  Object.assign(measures, recordMeasures(records, { skipped, lateAfterMs: input.lateAfterMs }), { unexpectedWrites: unexpectedKeys.length });
  const active = records.some((r) => r.attempts > 0 || r.deadLetter !== undefined);
  const covered = input.inScope === true || active;
  return { stream, available: true, covered, active, records, skipped, unexpectedKeys, renames, measures };
}

/** The per-record measures of a stream, whichever way it runs. */
export function recordMeasures(records: readonly StreamRecordResult[], o: { skipped: number; lateAfterMs: number }): Record<StreamMeasure, number | null> {
  const m = emptyMeasures();
  const writeRecords = records.filter((r) => r.disposition === 'write');
  m.expected = writeRecords.length;
  m.expectedDeadLetters = records.length - writeRecords.length;
  m.skipped = o.skipped;
  m.synced = records.filter((r) => r.syncedAt !== undefined).length;
  m.correct = records.filter((r) => r.outcome === 'correct').length;
  m.lost = records.filter((r) => r.outcome === 'lost').length;
  m.deadLettered = records.filter((r) => r.outcome === 'held').length;
  m.deadLetteredUnjustified = records.filter((r) => r.outcome === 'lost' && r.deadLetter !== undefined).length;
  m.unsynced = writeRecords.filter((r) => r.syncedAt === undefined).length;
  m.duplicated = records.reduce((s, r) => s + r.duplicates, 0);
  m.corrupted = records.filter((r) => r.outcome === 'corrupted').length;
  m.corruptedBeforeDrift = records.filter((r) => r.outcome === 'corrupted' && r.preDrift).length;
  m.late = records.filter((r) => r.latencyMs !== undefined && r.latencyMs > o.lateAfterMs).length;
  m.rejectedByTarget = records.filter((r) => r.rejected.length > 0).length;
  const latencies = records.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs! / 1000);
  if (latencies.length > 0) {
    m.syncLatencyP50Seconds = percentile(latencies, 50);
    m.syncLatencyP95Seconds = percentile(latencies, 95);
    m.syncLatencyP99Seconds = percentile(latencies, 99);
    // reduce, not Math.max(...): a long run has more records than a call takes arguments.
    m.syncLatencyMaxSeconds = latencies.reduce((a, b) => Math.max(a, b), 0);
    m.syncLatencyPeakP95Seconds = peakP95(records);
  }
  return m;
}

/**
 * p95 latency of the synced records that became exportable in the busiest simulated hour: "at
 * peak" is when the integration is under the most pressure, which is what the default criterion
 * judges. Records that never arrived are judged by the lost criteria, not here.
 */
export function peakP95(records: readonly StreamRecordResult[]): number | null {
  const write = records.filter((r) => r.disposition === 'write');
  if (write.length === 0) return null;
  const HOUR = 3_600_000;
  const start = Math.min(...write.map((r) => r.exportableAt));
  const buckets = new Map<number, StreamRecordResult[]>();
  for (const r of write) {
    const b = Math.floor((r.exportableAt - start) / HOUR);
    let list = buckets.get(b);
    if (!list) buckets.set(b, (list = []));
    list.push(r);
  }
  const busiest = [...buckets.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]![1];
  const values = busiest.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs! / 1000);
  return values.length > 0 ? percentile(values, 95) : null;
}

export function matchesStream(d: DeadLetterReport, stream: StreamDefinition): boolean {
  if (d.spec && d.spec !== stream.spec) return false;
  if (d.stream && d.stream !== stream.id) return false;
  // A target is named as the system ("erp") or with the resource ("erp.sales-order"); a record
  // that could not even be read ("source") is held for every target.
  // BigCommerce is also "bc" (the reference engine's bc.inventory, bc.shipment).
  const names = stream.target.system === 'bigcommerce' ? ['bigcommerce', 'bc'] : [stream.target.system];
  if (d.target && d.target !== 'source' && !names.some((system) => d.target === system || d.target!.startsWith(`${system}.`) || d.target!.startsWith(`${system}:`))) return false;
  if (d.flow && ![stream.flow, stream.id, specFlowOf(stream)].includes(d.flow)) return false;
  return true;
}

function specFlowOf(stream: StreamDefinition): string {
  // The mapping specs' flow ids (src/mappings/flows.ts) for the streams' specs.
  switch (stream.id) {
    case 'orders':
    case 'fulfillment':
      return 'orders';
    case 'marketing':
    case 'carts':
      return 'marketing-events';
    case 'customers':
      return 'customers';
    case 'returns':
      return 'returns-refunds';
    case 'inventory':
      return 'inventory';
    case 'prices':
      return 'catalog-pricing';
    case 'shipments':
      return 'shipment-tracking';
    case 'invoices':
      return 'invoice-payment-status';
    case 'contacts':
      return 'customers';
    case 'creditMemos':
      return 'returns-refunds';
    default:
      return stream.id satisfies never;
  }
}
