/**
 * k6's metrics model: four metric types with their sinks, the built-in metrics, and sub-metrics
 * (`http_req_duration{name:foo}`) that aggregate only the samples whose tags match.
 *
 * Only aggregates are kept (a trend keeps its values, as k6's trend sink does, so percentiles are
 * exact); samples themselves are not stored, so memory grows with the number of trend values, not
 * with tags. A sample is offered to each sub-metric of its metric, which is how k6 fills them.
 */

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** k6's `contains`: how a value is shown (`time` in milliseconds, `data` in bytes). */
export type ValueType = 'default' | 'time' | 'data';
export type Tags = Record<string, string>;

export interface CounterSink {
  kind: 'counter';
  count: number;
}
export interface GaugeSink {
  kind: 'gauge';
  value: number;
  min: number;
  max: number;
  seen: boolean;
}
export interface RateSink {
  kind: 'rate';
  /** Samples with a non-zero value (k6 calls them passes even for http_req_failed). */
  passes: number;
  total: number;
}
export interface TrendSink {
  kind: 'trend';
  count: number;
  sum: number;
  min: number;
  max: number;
  values: Float64Array;
  sorted: boolean;
}
export type Sink = CounterSink | GaugeSink | RateSink | TrendSink;

export interface Submetric {
  /** The key as written in the thresholds, e.g. `http_req_duration{name:foo}`. */
  name: string;
  parent: string;
  /** The part between the braces, e.g. `name:foo`. */
  suffix: string;
  tags: Tags;
  sink: Sink;
  observed: boolean;
}

export interface Metric {
  name: string;
  type: MetricType;
  contains: ValueType;
  custom: boolean;
  sink: Sink;
  observed: boolean;
  submetrics: Submetric[];
}

export class MetricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricError';
  }
}

/** The metrics k6 itself emits, with their types (k6 docs, "Built-in metrics"). */
export const BUILTIN_METRICS: readonly { name: string; type: MetricType; contains: ValueType }[] = [
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_blocked', type: 'trend', contains: 'time' },
  { name: 'http_req_connecting', type: 'trend', contains: 'time' },
  { name: 'http_req_tls_handshaking', type: 'trend', contains: 'time' },
  { name: 'http_req_sending', type: 'trend', contains: 'time' },
  { name: 'http_req_waiting', type: 'trend', contains: 'time' },
  { name: 'http_req_receiving', type: 'trend', contains: 'time' },
];

/** k6 creates this sub-metric itself, so it is in every summary that saw an expected response. */
export const EXPECTED_RESPONSE_SUBMETRIC = 'http_req_duration{expected_response:true}';

// k6 v0.4x: "Metric names must only include up to 128 ASCII letters, numbers, or underscores and
// start with a letter or an underscore."
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

export function createSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return { kind: 'counter', count: 0 };
    case 'gauge':
      return { kind: 'gauge', value: 0, min: 0, max: 0, seen: false };
    case 'rate':
      return { kind: 'rate', passes: 0, total: 0 };
    case 'trend':
      return { kind: 'trend', count: 0, sum: 0, min: 0, max: 0, values: new Float64Array(64), sorted: true };
    default:
      throw new MetricError(`unknown metric type ${type satisfies never}`);
  }
}

export function addToSink(sink: Sink, value: number): void {
  switch (sink.kind) {
    case 'counter':
      sink.count += value;
      return;
    case 'gauge':
      sink.value = value;
      if (!sink.seen || value < sink.min) sink.min = value;
      if (!sink.seen || value > sink.max) sink.max = value;
      sink.seen = true;
      return;
    case 'rate':
      sink.total += 1;
      if (value !== 0) sink.passes += 1;
      return;
    case 'trend': {
      if (sink.count === sink.values.length) {
        const grown = new Float64Array(sink.values.length * 2);
        grown.set(sink.values);
        sink.values = grown;
      }
      sink.values[sink.count] = value;
      if (sink.count === 0 || value < sink.min) sink.min = value;
      if (sink.count === 0 || value > sink.max) sink.max = value;
      sink.count += 1;
      sink.sum += value;
      sink.sorted = false;
      return;
    }
    default:
      throw new MetricError(`unknown sink ${(sink satisfies never as Sink).kind}`);
  }
}

/**
 * k6's trend percentile: linear interpolation between the sorted values around index
 * pct * (n - 1) (k6 `metrics.TrendSink.P`). The reference README confirms this reproduces the
 * export exactly from the raw samples.
 */
export function trendPercentile(sink: TrendSink, pct: number): number {
  if (sink.count === 0) return 0;
  if (sink.count === 1) return sink.values[0]!;
  if (!sink.sorted) {
    sink.values.subarray(0, sink.count).sort();
    sink.sorted = true;
  }
  const i = pct * (sink.count - 1);
  const lo = sink.values[Math.floor(i)]!;
  const hi = sink.values[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** One trend statistic as named in `summaryTrendStats` or a threshold: avg, min, med, max, count, p(N). */
export function trendStat(sink: TrendSink, stat: string): number {
  switch (stat) {
    case 'avg':
      return sink.count === 0 ? 0 : sink.sum / sink.count;
    case 'min':
      return sink.min;
    case 'max':
      return sink.max;
    case 'med':
      return trendPercentile(sink, 0.5);
    case 'count':
      return sink.count;
    default: {
      const p = parsePercentileStat(stat);
      if (p === undefined) throw new MetricError(`"${stat}" is not a trend statistic (avg, min, med, max, count or p(N)).`);
      return trendPercentile(sink, p / 100);
    }
  }
}

export function parsePercentileStat(stat: string): number | undefined {
  const match = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (!match) return undefined;
  const p = Number(match[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

export function isTrendStat(stat: string): boolean {
  return ['avg', 'min', 'med', 'max', 'count'].includes(stat) || parsePercentileStat(stat) !== undefined;
}

/** The values a summary shows for a sink (handleSummary shape: a rate has `rate`, not `value`). */
export function sinkValues(sink: Sink, testRunDurationMs: number, trendStats: readonly string[]): Record<string, number> {
  const seconds = testRunDurationMs / 1000;
  switch (sink.kind) {
    case 'counter':
      return { count: sink.count, rate: seconds > 0 ? sink.count / seconds : 0 };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.total === 0 ? 0 : sink.passes / sink.total, passes: sink.passes, fails: sink.total - sink.passes };
    case 'trend':
      return Object.fromEntries(trendStats.map((stat) => [stat, trendStat(sink, stat)]));
    default:
      throw new MetricError(`unknown sink ${(sink satisfies never as Sink).kind}`);
  }
}

/**
 * Parse a threshold key: `metric` or `metric{tag:value,other:value}` (k6 `ParseMetricName`). The
 * value keeps everything after the first colon, so `group:::checkout` selects group `::checkout`.
 */
export function parseMetricKey(key: string): { metric: string; suffix?: string; tags?: Tags } {
  const open = key.indexOf('{');
  if (open === -1) return { metric: key.trim() };
  if (!key.endsWith('}')) throw new MetricError(`the threshold key "${key}" has a "{" without a closing "}" (write metric{tag:value}).`);
  const metric = key.slice(0, open).trim();
  const suffix = key.slice(open + 1, -1);
  const tags: Tags = {};
  for (const pair of suffix.split(',')) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    const unquote = (s: string) => s.trim().replace(/^["']|["']$/g, '');
    if (colon === -1) tags[unquote(pair)] = '';
    else tags[unquote(pair.slice(0, colon))] = unquote(pair.slice(colon + 1));
  }
  if (Object.keys(tags).length === 0) throw new MetricError(`the threshold key "${key}" selects no tags; write metric{tag:value}.`);
  return { metric, suffix, tags };
}

export interface MetricRegistry {
  /** Define a metric; defining an existing name again returns it if the type matches. */
  define(name: string, type: MetricType, contains: ValueType, custom: boolean): Metric;
  get(name: string): Metric | undefined;
  /** The sub-metric for a key like `checks{check:foo}`, created on first use. */
  submetric(key: string): Submetric;
  add(metric: Metric, value: number, tags: Tags): void;
  all(): Metric[];
}

export function createMetricRegistry(): MetricRegistry {
  const metrics = new Map<string, Metric>();
  const registry: MetricRegistry = {
    define(name, type, contains, custom) {
      const existing = metrics.get(name);
      if (existing) {
        if (existing.type !== type) throw new MetricError(`metric "${name}" already exists as a ${existing.type}; it cannot be redefined as a ${type}.`);
        return existing;
      }
      if (!METRIC_NAME.test(name)) {
        throw new MetricError(`"${name}" is not a valid metric name: use up to 128 ASCII letters, digits or underscores, starting with a letter or underscore.`);
      }
      const metric: Metric = { name, type, contains, custom, sink: createSink(type), observed: false, submetrics: [] };
      metrics.set(name, metric);
      return metric;
    },
    get: (name) => metrics.get(name),
    submetric(key) {
      const parsed = parseMetricKey(key);
      const parent = metrics.get(parsed.metric);
      if (!parent) throw new MetricError(`no metric named "${parsed.metric}" (in "${key}").`);
      if (!parsed.tags) throw new MetricError(`"${key}" is not a sub-metric key.`);
      const existing = parent.submetrics.find((s) => s.name === key);
      if (existing) return existing;
      const sub: Submetric = { name: key, parent: parent.name, suffix: parsed.suffix!, tags: parsed.tags, sink: createSink(parent.type), observed: false };
      parent.submetrics.push(sub);
      return sub;
    },
    add(metric, value, tags) {
      addToSink(metric.sink, value);
      metric.observed = true;
      for (const sub of metric.submetrics) {
        let match = true;
        for (const k in sub.tags) {
          if (tags[k] !== sub.tags[k]) {
            match = false;
            break;
          }
        }
        if (match) {
          addToSink(sub.sink, value);
          sub.observed = true;
        }
      }
    },
    all: () => [...metrics.values()],
  };
  for (const m of BUILTIN_METRICS) registry.define(m.name, m.type, m.contains, false);
  registry.submetric(EXPECTED_RESPONSE_SUBMETRIC);
  return registry;
}
