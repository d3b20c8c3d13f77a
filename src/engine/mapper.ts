/**
 * The mapper: a source record through a route's mapping spec, exactly as written
 * (`applyMapping`, the function the verifier also uses), into the outbox. A skip rule that holds
 * drops the record with its reason; a record the spec rejects (a constraint with action `reject`,
 * a missing required value) goes to the dead-letter queue with every error, never half-written to
 * the target.
 */
import { applyMapping, type ApplyOptions } from '../mappings/apply-mapping.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import type { DeadLetters } from './dlq.ts';
import type { EngineBus } from './events.ts';
import type { Route } from './flows/types.ts';
import type { Outbox } from './outbox.ts';
import type { Lane } from './work-queue.ts';

export type MapOutcome = 'staged' | 'unchanged' | 'skipped' | 'dead-lettered';

export interface MapContext {
  observedAt: number;
  now: number;
  /** Where a BigCommerce source can be fetched again (for replaying a mapping dead letter). */
  lane?: Lane;
  sourceKey?: string;
  operation?: ApplyOptions['operation'];
}

export interface Mapper {
  map(route: Route, source: unknown, ctx: MapContext): MapOutcome;
  spec(name: string): CompiledSpec;
}

export function createMapper(options: { specs: Map<string, CompiledSpec>; outbox: Outbox; dlq: DeadLetters; bus: EngineBus }): Mapper {
  const { specs, outbox, dlq, bus } = options;
  const spec = (name: string) => {
    const s = specs.get(name);
    if (!s) throw new Error(`Failed to map with spec ${name}: it is not loaded. Check ENGINE_MAPPINGS (--mappings).`);
    return s;
  };
  return {
    spec,
    map(route, source, ctx) {
      const compiled = spec(route.spec);
      const result = applyMapping(compiled, source, ctx.operation ? { operation: ctx.operation } : {});
      const specKey = result.key;
      const key = route.keyOf && result.record ? route.keyOf(result.record, specKey) : String(specKey ?? '');
      if (result.skipped) {
        bus.emit('record:skipped', { spec: route.spec, key, reason: result.skipped.reason });
        return 'skipped';
      }
      if (result.errors.length > 0 || !result.request || key === '') {
        const reason = result.errors.length > 0
          ? `mapping rejected the record: ${result.errors.map((e) => `${e.field}: ${e.message}${e.value !== undefined ? ` (${e.value})` : ''}`).join('; ')}`
          : `mapping produced no ${result.request ? 'key' : 'target request'}`;
        const { id, isNew } = dlq.add(
          {
            spec: route.spec,
            key,
            target: route.target,
            kind: 'mapping',
            reason,
            payload: { source, record: result.record, errors: result.errors, warnings: result.warnings },
            attempts: 1,
            ...(ctx.lane ? { lane: ctx.lane } : {}),
            ...(ctx.sourceKey ? { sourceKey: ctx.sourceKey } : {}),
          },
          ctx.now,
        );
        bus.emit('job:dead-lettered', { id, spec: route.spec, key, target: route.target, kind: 'mapping', reason, isNew, open: dlq.openCount() });
        return 'dead-lettered';
      }
      const outcome = outbox.stage(
        { spec: route.spec, key, target: route.target, policy: route.policy, method: result.request.method, path: result.request.path, body: result.record, observedAt: ctx.observedAt },
        ctx.now,
      );
      if (outcome === 'staged') bus.emit('record:staged', { spec: route.spec, key });
      // A source that was rejected by the spec and now maps (someone fixed it) closes its entry.
      dlq.resolveMapping(route.spec, key, ctx.now);
      return outcome;
    },
  };
}
