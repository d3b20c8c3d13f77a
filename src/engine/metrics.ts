/**
 * Prometheus metrics in the text exposition format (written by hand: a few counters, gauges and
 * one histogram do not need a client library). Counters come from subscribing to the engine's
 * events; gauges (queues, quota) are read when scraped. Latencies are simulated seconds, from the
 * moment the engine first saw a change to its delivery.
 */
import type { EngineBus } from './events.ts';

type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
};

interface Family {
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: Map<string, { labels: Labels; value: number }>;
}

export interface GaugeReading {
  name: string;
  help: string;
  samples: { labels?: Labels; value: number }[];
}

export interface Metrics {
  inc(name: string, labels?: Labels, by?: number): void;
  observeLatency(seconds: number, labels: Labels): void;
  render(gauges: GaugeReading[]): string;
  /** A counter's current value (for tests and the bench). */
  value(name: string, labels?: Labels): number;
}

const LATENCY_BUCKETS = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600];
/** Real seconds the receiver took to answer an accepted webhook. */
// Sub-millisecond bounds too: at 144x a receiver's 0.5 ms is 72 simulated ms, worth telling apart from 1 ms.
const ANSWER_BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function createMetrics(bus: EngineBus): Metrics {
  const families = new Map<string, Family>();
  const family = (name: string, help: string, type: Family['type']) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help, type, values: new Map() }));
    return f;
  };
  const HELP: Record<string, [string, Family['type']]> = {
    bc_engine_webhooks_received_total: ['Webhook callbacks received, by outcome.', 'counter'],
    bc_engine_api_requests_total: ['Management API requests, by lane and status.', 'counter'],
    bc_engine_api_rate_limited_total: ['429 answers with rate-limit headers (each followed by a wait for the reset).', 'counter'],
    bc_engine_fetch_calls_total: ['Management API calls spent fetching records, by lane.', 'counter'],
    bc_engine_records_fetched_total: ['Records fetched from BigCommerce, by lane.', 'counter'],
    bc_engine_records_staged_total: ['Records staged for delivery, by spec.', 'counter'],
    bc_engine_records_skipped_total: ['Records a spec skip rule dropped, by spec.', 'counter'],
    bc_engine_writes_total: ['Delivery attempts, by target and outcome.', 'counter'],
    bc_engine_records_written_total: ['Records delivered, by target.', 'counter'],
    bc_engine_dead_letters_total: ['Records dead-lettered, by spec and kind.', 'counter'],
    bc_engine_hook_checks_total: ['Webhook checks, by action taken.', 'counter'],
    bc_engine_sweeps_total: ['Reconciliation sweeps, by source.', 'counter'],
    bc_engine_alerts_total: ['Alerts raised, by kind.', 'counter'],
  };
  const inc = (name: string, labels: Labels = {}, by = 1) => {
    const [help, type] = HELP[name] ?? ['', 'counter'];
    const f = family(name, help, type);
    const k = labelText(labels);
    const v = f.values.get(k);
    if (v) v.value += by;
    else f.values.set(k, { labels, value: by });
  };
  const histograms = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  const observeLatency = (seconds: number, labels: Labels) => {
    const k = labelText(labels);
    let h = histograms.get(k);
    if (!h) histograms.set(k, (h = { labels, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) h!.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  };

  const answer = { buckets: ANSWER_BUCKETS.map(() => 0), sum: 0, count: 0, observe(seconds: number) {
    ANSWER_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.buckets[i]!++;
    });
    this.sum += seconds;
    this.count++;
  } };
  bus.on('webhook:received', (e) => {
    inc('bc_engine_webhooks_received_total', { outcome: e.outcome });
    if (e.outcome === 'accepted' || e.outcome === 'duplicate') answer.observe(e.realMs / 1000);
  });
  bus.on('api:requested', (e) => inc('bc_engine_api_requests_total', { lane: e.lane, status: String(e.status) }));
  bus.on('quota:limited', () => inc('bc_engine_api_rate_limited_total'));
  bus.on('fetch:completed', (e) => {
    inc('bc_engine_fetch_calls_total', { lane: e.lane }, e.calls);
    inc('bc_engine_records_fetched_total', { lane: e.lane }, e.received);
  });
  bus.on('record:staged', (e) => inc('bc_engine_records_staged_total', { spec: e.spec }));
  bus.on('record:skipped', (e) => inc('bc_engine_records_skipped_total', { spec: e.spec }));
  bus.on('write:succeeded', (e) => {
    inc('bc_engine_writes_total', { target: e.target, outcome: 'ok' });
    inc('bc_engine_records_written_total', { target: e.target }, e.records);
    for (const ms of e.latencyMs) observeLatency(Math.max(0, ms) / 1000, { target: e.target });
  });
  bus.on('write:failed', (e) => inc('bc_engine_writes_total', { target: e.target, outcome: e.transient ? 'transient' : 'permanent' }));
  bus.on('job:dead-lettered', (e) => inc('bc_engine_dead_letters_total', { spec: e.spec, kind: e.kind }));
  bus.on('hook:checked', (e) => inc('bc_engine_hook_checks_total', { action: e.action }));
  bus.on('sweep:completed', (e) => inc('bc_engine_sweeps_total', { source: e.source }));
  bus.on('alert:raised', (e) => inc('bc_engine_alerts_total', { kind: e.kind }));

  return {
    inc,
    observeLatency,
    value: (name, labels = {}) => families.get(name)?.values.get(labelText(labels))?.value ?? 0,
    render(gauges) {
      const lines: string[] = [];
      for (const [name, f] of [...families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
        for (const { labels, value } of f.values.values()) lines.push(`${name}${labelText(labels)} ${value}`);
      }
      lines.push('# HELP bc_engine_sync_latency_seconds Simulated seconds from seeing a change to delivering it, by target.', '# TYPE bc_engine_sync_latency_seconds histogram');
      for (const h of histograms.values()) {
        LATENCY_BUCKETS.forEach((b, i) => lines.push(`bc_engine_sync_latency_seconds_bucket${labelText({ ...h.labels, le: String(b) })} ${h.buckets[i]}`));
        lines.push(`bc_engine_sync_latency_seconds_bucket${labelText({ ...h.labels, le: '+Inf' })} ${h.count}`);
        lines.push(`bc_engine_sync_latency_seconds_sum${labelText(h.labels)} ${h.sum}`);
        lines.push(`bc_engine_sync_latency_seconds_count${labelText(h.labels)} ${h.count}`);
      }
      lines.push('# HELP bc_engine_webhook_answer_seconds Real seconds from a webhook reaching the receiver to its 200.', '# TYPE bc_engine_webhook_answer_seconds histogram');
      ANSWER_BUCKETS.forEach((b, i) => lines.push(`bc_engine_webhook_answer_seconds_bucket{le="${b}"} ${answer.buckets[i]}`));
      lines.push(`bc_engine_webhook_answer_seconds_bucket{le="+Inf"} ${answer.count}`, `bc_engine_webhook_answer_seconds_sum ${answer.sum}`, `bc_engine_webhook_answer_seconds_count ${answer.count}`);
      for (const g of gauges) {
        lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
        for (const s of g.samples) lines.push(`${g.name}${labelText(s.labels ?? {})} ${s.value}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
