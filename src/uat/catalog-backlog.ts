/**
 * The drain's view of the flows into the store: which items' newest published change (ERP stock,
 * prices) the store does not hold yet. The UAT run waits for this backlog as it waits for orders
 * not yet in the ERP, but only for a flow the integration runs (it has written that resource at
 * least once), so an integration without catalog flows is not waited for.
 *
 * It compares values, not times: an integration that skips writing a value the store already
 * holds from its last write is caught up. Progress only; the verdict is the verifier's.
 */
import { applyMapping } from '../mappings/apply-mapping.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import { parsePath, readPath } from '../mappings/path.ts';
import { diffRecords } from '../verify/diff-records.ts';
import { STREAMS, type StreamDefinition } from '../verify/streams.ts';
import { readBackRecord } from '../verify/verify-store-stream.ts';

export interface CatalogBacklog {
  /** A connected system published a change (`record:published`). */
  published(entry: { system: string; resource: string; body: unknown }): void;
  /** The store's resource after a change made through the API (`resource:updated`, not by an order). */
  stored(resource: string, body: Record<string, unknown>): void;
  /** Items whose newest published value the store does not hold, over the flows the integration runs. */
  pending(): number;
}

interface Flow {
  stream: StreamDefinition;
  spec: CompiledSpec;
  expected: Map<string, Record<string, unknown>>;
  held: Map<string, Record<string, unknown>>;
  /** Keys whose expected value the store does not hold: kept up to date on every event, because the drain asks ten times a second. */
  pending: Set<string>;
  writes: number;
}

export function createCatalogBacklog(specs: readonly CompiledSpec[]): CatalogBacklog {
  const flows: Flow[] = [];
  for (const stream of STREAMS) {
    const spec = specs.find((s) => s.spec.name === stream.spec);
    // Stock and prices: the flows the drain waits for (the others follow orders by hours, and
    // their changes at the very end are in flight, not outstanding).
    const catalog = stream.target.resource === 'variant' || stream.target.resource === 'product';
    if (stream.source.kind === 'published' && stream.store?.mode === 'state' && catalog && spec) flows.push({ stream, spec, expected: new Map(), held: new Map(), pending: new Set(), writes: 0 });
  }
  const recheck = (flow: Flow, key: string) => {
    const held = flow.held.get(key);
    const expected = flow.expected.get(key);
    if (expected === undefined || (held !== undefined && diffRecords(expected, held, { only: Object.keys(expected), limit: 1 }).length === 0)) flow.pending.delete(key);
    else flow.pending.add(key);
  };
  return {
    published(entry) {
      for (const flow of flows) {
        const source = flow.stream.source as Extract<StreamDefinition['source'], { kind: 'published' }>;
        if (entry.system !== source.system || entry.resource !== source.resource) continue;
        const mapped = applyMapping(flow.spec, entry.body);
        // A change the spec skips or rejects is not the store's to hold (it is dead-lettered).
        if (mapped.skipped || mapped.errors.length > 0) continue;
        const key = flow.spec.key.target ? readPath(mapped.record, parsePath(flow.spec.key.target).segments) : undefined;
        if (key === undefined || key === null) continue;
        flow.expected.set(String(key), readBackRecord(mapped.record, flow.stream.store!.fields));
        recheck(flow, String(key));
      }
    },
    stored(resource, body) {
      for (const flow of flows) {
        if (flow.stream.target.resource !== resource) continue;
        const key = body[flow.stream.store!.keyField];
        if (key === undefined || key === null) continue;
        flow.writes++;
        // A copy: the tap hands over the store's live object, which a later shopper order changes.
        flow.held.set(String(key), { ...body });
        recheck(flow, String(key));
      }
    },
    pending() {
      return flows.reduce((n, flow) => n + (flow.writes === 0 ? 0 : flow.pending.size), 0);
    },
  };
}
