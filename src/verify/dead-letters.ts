/**
 * Alerts and dead letters as the integration reported them to ALERT_URL (README, "The UAT run:
 * ALERT_URL"). The harness accepts what real integrations send: one JSON object per alert, a JSON
 * array, an Alertmanager-style `{alerts: [...]}` or a `{deadLetters: [...]}` batch. An object whose
 * `kind` (or `type`, `event`) says dead letter is a dead-letter report; anything else is an alert.
 */
import { msOf, type AlertLine } from './inputs.ts';

export interface DeadLetterReport {
  at: number;
  /** The record's key as the integration named it: a source id (order 104) or a target key. */
  key: string;
  reason: string;
  spec?: string;
  stream?: string;
  flow?: string;
  target?: string;
}

export interface AlertReport {
  at: number;
  message: string;
  severity?: string;
  pattern?: string;
  flow?: string;
}

const DEAD_LETTER_KINDS = new Set(['dead-letter', 'dead_letter', 'deadletter', 'deadlettered', 'dead-lettered', 'job:dead-lettered', 'record:dead-lettered', 'dlq']);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function kindOf(o: Record<string, unknown>): string {
  return String(o.kind ?? o.type ?? o.event ?? '').toLowerCase();
}

function errorText(v: unknown): string | undefined {
  if (typeof v === 'string') return text(v);
  if (Array.isArray(v)) {
    const parts = v.map((e) => (typeof e === 'string' ? e : obj(e) ? [text(obj(e)!.field), text(obj(e)!.message)].filter(Boolean).join(': ') : '')).filter(Boolean);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  const o = obj(v);
  return o ? (text(o.message) ?? text(o.reason)) : undefined;
}

export interface NormalizedReports {
  alerts: AlertReport[];
  deadLetters: DeadLetterReport[];
  /** Dead-letter reports without a reason (the integration said "failed" but not why). */
  unexplained: DeadLetterReport[];
}

export function normalizeReports(lines: readonly AlertLine[]): NormalizedReports {
  const alerts: AlertReport[] = [];
  const deadLetters: DeadLetterReport[] = [];
  const visit = (value: unknown, at: number, forceDeadLetter: boolean) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, at, forceDeadLetter);
      return;
    }
    const o = obj(value);
    if (!o) {
      const t = text(value);
      if (t) alerts.push({ at, message: t });
      return;
    }
    if (Array.isArray(o.deadLetters)) {
      for (const v of o.deadLetters) visit(v, at, true);
      return;
    }
    if (Array.isArray(o.alerts)) {
      for (const v of o.alerts) visit(v, at, false);
      return;
    }
    const record = obj(o.record);
    const key = text(o.key) ?? text(o.sourceId) ?? text(o.recordId) ?? text(o.externalId) ?? text(o.orderId) ?? text(o.id) ?? (record ? (text(record.key) ?? text(record.id)) : undefined);
    if (forceDeadLetter || DEAD_LETTER_KINDS.has(kindOf(o))) {
      const reason = text(o.reason) ?? errorText(o.errors) ?? errorText(o.error) ?? text(o.message) ?? '';
      deadLetters.push({
        at,
        key: key ?? '',
        reason,
        ...(text(o.spec) ? { spec: text(o.spec) } : {}),
        ...(text(o.stream) ? { stream: text(o.stream) } : {}),
        ...(text(o.flow) ? { flow: text(o.flow) } : {}),
        ...(text(o.target) ?? text(o.system) ? { target: text(o.target) ?? text(o.system) } : {}),
      });
      return;
    }
    // An alert about the dead-letter queue that names one record (the reference engine's
    // `dead-letters` alert carries the newest entry in `details`) also accounts for that record.
    const details = obj(o.details);
    if (details && /dead.?letter/.test(kindOf(o)) && text(details.key)) {
      deadLetters.push({
        at,
        key: text(details.key)!,
        reason: text(details.reason) ?? text(o.message) ?? '',
        ...(text(details.spec) ? { spec: text(details.spec) } : {}),
      });
    }
    const annotations = obj(o.annotations);
    const labels = obj(o.labels);
    const message = text(o.message) ?? text(o.text) ?? text(o.summary) ?? text(o.title) ?? (annotations ? (text(annotations.summary) ?? text(annotations.description)) : undefined) ?? JSON.stringify(o).slice(0, 200);
    alerts.push({
      at,
      message,
      ...(text(o.severity) ?? (labels ? text(labels.severity) : undefined) ? { severity: text(o.severity) ?? text(labels?.severity) } : {}),
      ...(text(o.pattern) ? { pattern: text(o.pattern) } : {}),
      ...(text(o.flow) ? { flow: text(o.flow) } : {}),
    });
  };
  for (const line of lines) {
    const at = msOf(line.at);
    visit(line.body, Number.isNaN(at) ? 0 : at, false);
  }
  // One entry per record (and spec): an integration may report a dead letter in an alert and
  // again in its exported queue. The earliest report counts; a reason from any of them explains it.
  const unique = new Map<string, DeadLetterReport>();
  for (const d of [...deadLetters].sort((a, b) => a.at - b.at)) {
    const key = d.spec ? `${d.spec}|${d.key}` : `${d.stream ?? d.flow ?? ''}|${d.target ?? ''}|${d.key}`;
    const seen = unique.get(key);
    if (!seen) unique.set(key, { ...d });
    else if (!seen.reason && d.reason) seen.reason = d.reason;
  }
  const list = [...unique.values()];
  return { alerts, deadLetters: list, unexplained: list.filter((d) => d.reason.trim() === '') };
}
