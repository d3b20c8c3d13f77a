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
  writes: number;
}

export function createCatalogBacklog(specs: readonly CompiledSpec[]): CatalogBacklog {
  const flows: Flow[] = [];
  for (const stream of STREAMS) {
    const spec = specs.find((s) => s.spec.name === stream.spec);
    if (stream.source.kind === 'published' && stream.store && spec) flows.push({ stream, spec, expected: new Map(), held: new Map(), writes: 0 });
  }
  const holds = (flow: Flow, key: string) => {
    const held = flow.held.get(key);
    const expected = flow.expected.get(key)!;
    return held !== undefined && diffRecords(expected, held, { only: Object.keys(expected), limit: 1 }).length === 0;
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
      }
    },
    pending() {
      let n = 0;
      for (const flow of flows) {
        if (flow.writes === 0) continue;
        for (const key of flow.expected.keys()) if (!holds(flow, key)) n++;
      }
      return n;
    },
  };
}
