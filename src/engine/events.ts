/**
 * The engine's typed events, named `noun:verb` (DESIGN.md section 7). Stages emit them; metrics,
 * alerts and the log subscribe, so no stage calls the others to report what it did.
 */
import { createEventBus, type EventBus } from '../../lib/events.ts';
import type { DeadLetterKind } from './dlq.ts';
import type { ApiLane } from './limiter.ts';
import type { Target } from './outbox.ts';

export type ReceiveOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unauthorized' | 'malformed' | 'invalid' | 'too-large' | 'wrong-method' | 'not-found';

export type HookRepair = 'created' | 'reactivated' | 'repointed' | 'healthy';

export interface EngineEvents {
  'webhook:received': { outcome: ReceiveOutcome; scope?: string; reason?: string; /** Real ms from the request's arrival in the handler to the answer. */ realMs: number };
  'api:requested': { lane: ApiLane; method: string; path: string; status: number | 'network-error'; realMs: number };
  'quota:observed': { quota: number; left: number; reserve: number };
  'quota:limited': { lane: ApiLane; resetMs: number };
  'fetch:completed': { lane: string; requested: number; received: number; calls: number };
  'fetch:failed': { lane: string; keys: number; error: string };
  'record:staged': { spec: string; key: string };
  'record:skipped': { spec: string; key: string; reason: string };
  'write:succeeded': { target: Target; spec: string; records: number; latencyMs: number[] };
  'write:failed': { target: Target; spec: string; records: number; transient: boolean; error: string };
  'job:dead-lettered': { id: number; spec: string; key: string; target: Target | 'source'; kind: DeadLetterKind; reason: string; isNew: boolean; open: number };
  'hook:checked': { scope: string; action: HookRepair; wasActive?: boolean };
  'sweep:completed': { source: 'orders' | 'customers'; seen: number; pages: number; watermark: string };
  'feed:polled': { feed: string; records: number; watermark: string | null };
  'alert:raised': { kind: string; message: string };
}

export type EngineBus = EventBus<EngineEvents>;

export const createEngineBus = (): EngineBus => createEventBus<EngineEvents>();
