/**
 * What the verifier reads: the simulator's ground-truth ledger, the connected systems' journals,
 * the alerts the integration sent to ALERT_URL, and the quota windows. Lines are parsed leniently
 * (a line the verifier does not need is skipped, never fatal) but every field it relies on is
 * checked with zod, so a malformed line is reported instead of silently misread.
 */
import { z } from 'zod';

/** One line of the simulator ledger (`GET /__sim/ledger`, `ledger.jsonl`). */
export const ledgerLineSchema = z.looseObject({
  kind: z.string(),
  at: z.string(),
  store: z.string().optional(),
});
export type LedgerLine = z.infer<typeof ledgerLineSchema> & Record<string, unknown>;

export const resourceLineSchema = z.looseObject({
  kind: z.enum(['resource:created', 'resource:updated', 'resource:deleted']),
  at: z.string(),
  resource: z.string(),
  id: z.union([z.number(), z.string()]),
  body: z.unknown(),
});

export const apiRequestLineSchema = z.looseObject({
  kind: z.literal('api:request'),
  at: z.string(),
  client: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  quotaLeft: z.number().nullable().optional(),
  faults: z.array(z.string()).optional(),
  /** When the request was taken up (simulated); `at` is when its answer was ended. */
  startedAt: z.string().optional(),
});

export const quotaLimitedLineSchema = z.looseObject({
  kind: z.literal('quota:limited'),
  at: z.string(),
  client: z.string(),
  limitedBy: z.string().optional(),
  resetMs: z.number(),
});

export const webhookEventLineSchema = z.looseObject({
  kind: z.literal('webhook:event'),
  at: z.string(),
  scope: z.string(),
  hash: z.string(),
  data: z.looseObject({ type: z.string().optional(), id: z.union([z.number(), z.string()]).optional() }).optional(),
  hooks: z.array(z.number()).default([]),
});

export const webhookAttemptLineSchema = z.looseObject({
  kind: z.literal('webhook:attempt'),
  at: z.string(),
  hookId: z.number(),
  scope: z.string(),
  hash: z.string(),
  attempt: z.number(),
  outcome: z.enum(['delivered', 'failed', 'timeout', 'network-error', 'denylisted']),
  status: z.number().optional(),
  fault: z.string().optional(),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});

export const webhookDroppedLineSchema = z.looseObject({
  kind: z.literal('webhook:dropped'),
  at: z.string(),
  hookId: z.number(),
  scope: z.string(),
  hash: z.string(),
  reason: z.string(),
});

export const hookDeactivatedLineSchema = z.looseObject({
  kind: z.literal('hook:deactivated'),
  at: z.string(),
  id: z.number(),
  reason: z.string(),
});

export const faultsChangedLineSchema = z.looseObject({
  kind: z.literal('faults:changed'),
  at: z.string(),
  plan: z.looseObject({
    api: z.looseObject({ renameFields: z.array(z.object({ resource: z.string(), from: z.string(), to: z.string() })).default([]) }).optional(),
  }),
});

/** One journal line of a connected-system mock (`GET /{system}/journal`, `journal-<system>.jsonl`). */
export const journalLineSchema = z.looseObject({
  kind: z.literal('write'),
  at: z.string(),
  system: z.string(),
  method: z.string(),
  resource: z.string(),
  key: z.string(),
  status: z.number(),
  body: z.unknown(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  existed: z.boolean().optional(),
});
export type JournalLine = z.infer<typeof journalLineSchema>;

/** A change a connected system published on a feed (`GET /{system}/published`, `published-<system>.jsonl`). */
export const publishedLineSchema = z.looseObject({
  kind: z.literal('record:published'),
  at: z.string(),
  system: z.string(),
  resource: z.string(),
  key: z.string(),
  body: z.record(z.string(), z.unknown()),
});

/** One request the integration sent to ALERT_URL, as the harness's alert sink recorded it. */
export const alertLineSchema = z.object({
  /** Simulated time it arrived. */
  at: z.string(),
  path: z.string().default('/'),
  body: z.unknown(),
});
export type AlertLine = z.infer<typeof alertLineSchema>;

/** The store's quota windows (`GET /__sim/stores/{hash}/quota`). */
export const quotaSnapshotSchema = z.object({
  plan: z.string(),
  /** Requests per window, null when the plan is unlimited. */
  perWindow: z.number().nullable(),
  windowMs: z.number().default(30_000),
  windows: z.array(
    z.object({
      start: z.string(),
      used: z.number(),
      usedByOthers: z.number().default(0),
      refused: z.number().default(0),
      byClient: z.record(z.string(), z.number()).default({}),
    }),
  ),
});
export type QuotaSnapshot = z.infer<typeof quotaSnapshotSchema>;

export const msOf = (iso: string): number => Date.parse(iso);
