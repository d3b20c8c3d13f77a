/**
 * Thresholds in k6's expression syntax: `<aggregation> <operator> <number>`, for example
 * `p(95)<500`, `rate<0.01`, `count>0`, `avg<200`, `med<=100`, `value>0`, with the aggregations k6
 * allows per metric type (k6 docs, "Thresholds": counter count/rate, gauge value, rate rate, trend
 * avg/min/max/med/p(N)). Each expression is evaluated on its own, as k6 does.
 */
import { parseDuration } from './durations.ts';
import { type Metric, type MetricType, type Sink, type Submetric, trendPercentile, trendStat } from './metrics.ts';

export type Aggregation = { kind: 'count' } | { kind: 'rate' } | { kind: 'value' } | { kind: 'avg' } | { kind: 'min' } | { kind: 'max' } | { kind: 'med' } | { kind: 'p'; p: number };
export type Operator = '>' | '>=' | '<' | '<=' | '==' | '===' | '!=';

export interface ThresholdExpression {
  source: string;
  aggregation: Aggregation;
  operator: Operator;
  value: number;
}

export interface Threshold extends ThresholdExpression {
  abortOnFail: boolean;
  /** Milliseconds of test time before abortOnFail may stop the test. */
  delayAbortEvalMs: number;
  /** Last evaluation: true when the threshold is crossed (failed). */
  failed: boolean;
}

export interface ThresholdSet {
  /** The key as written: `http_req_duration` or `http_req_duration{name:foo}`. */
  key: string;
  target: Metric | Submetric;
  metricType: MetricType;
  thresholds: Threshold[];
}

export class ThresholdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

const EXPRESSION = /^\s*([a-z]+)(?:\(\s*(\d+(?:\.\d+)?)\s*\))?\s*(===|==|!=|>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

export function parseThresholdExpression(source: string): ThresholdExpression {
  const match = EXPRESSION.exec(source);
  if (!match) {
    throw new ThresholdError(`"${source}" is not a threshold expression; write <aggregation><operator><number>, for example "p(95)<500", "rate<0.01" or "count>0".`);
  }
  const [, name, pct, operator, value] = match;
  let aggregation: Aggregation;
  switch (name) {
    case 'count':
    case 'rate':
    case 'value':
    case 'avg':
    case 'min':
    case 'max':
    case 'med':
      if (pct !== undefined) throw new ThresholdError(`"${source}": ${name} takes no argument.`);
      aggregation = { kind: name };
      break;
    case 'p': {
      if (pct === undefined) throw new ThresholdError(`"${source}": a percentile needs its argument, e.g. p(95).`);
      const p = Number(pct);
      if (p < 0 || p > 100) throw new ThresholdError(`"${source}": percentile ${p} is outside 0..100.`);
      aggregation = { kind: 'p', p };
      break;
    }
    default:
      throw new ThresholdError(`"${source}": unknown aggregation "${name}" (count, rate, value, avg, min, max, med or p(N)).`);
  }
  return { source, aggregation, operator: operator as Operator, value: Number(value) };
}

/** Which aggregations each metric type supports (k6 docs, "Threshold syntax"). */
export function aggregationAllowed(type: MetricType, aggregation: Aggregation): boolean {
  switch (type) {
    case 'counter':
      return aggregation.kind === 'count' || aggregation.kind === 'rate';
    case 'gauge':
      return aggregation.kind === 'value';
    case 'rate':
      return aggregation.kind === 'rate';
    case 'trend':
      return ['avg', 'min', 'max', 'med', 'p'].includes(aggregation.kind);
    default:
      throw new ThresholdError(`unknown metric type ${type satisfies never}`);
  }
}

export function aggregationName(aggregation: Aggregation): string {
  return aggregation.kind === 'p' ? `p(${aggregation.p})` : aggregation.kind;
}

/** The aggregated value a threshold compares; a counter's rate is per second of test time. */
export function aggregate(sink: Sink, aggregation: Aggregation, testRunDurationMs: number): number {
  switch (sink.kind) {
    case 'counter':
      if (aggregation.kind === 'count') return sink.count;
      return testRunDurationMs > 0 ? sink.count / (testRunDurationMs / 1000) : 0;
    case 'gauge':
      return sink.value;
    case 'rate':
      return sink.total === 0 ? 0 : sink.passes / sink.total;
    case 'trend':
      if (aggregation.kind === 'p') return trendPercentile(sink, aggregation.p / 100);
      return trendStat(sink, aggregation.kind);
    default:
      throw new ThresholdError(`unknown sink ${(sink satisfies never as Sink).kind}`);
  }
}

export function compare(left: number, operator: Operator, right: number): boolean {
  switch (operator) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
    default:
      throw new ThresholdError(`unknown operator ${operator satisfies never}`);
  }
}

/** Evaluate every threshold of a set; returns true when at least one is crossed. */
export function evaluateThresholdSet(set: ThresholdSet, testRunDurationMs: number): boolean {
  let anyFailed = false;
  for (const t of set.thresholds) {
    t.failed = !compare(aggregate(set.target.sink, t.aggregation, testRunDurationMs), t.operator, t.value);
    anyFailed ||= t.failed;
  }
  return anyFailed;
}

export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string | number };

/** Parse one metric's list of thresholds as written in `options.thresholds`. */
export function parseThresholdList(key: string, input: unknown): Omit<Threshold, 'failed'>[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((item, i): Omit<Threshold, 'failed'> => {
    if (typeof item === 'string') return { ...parseThresholdExpression(item), abortOnFail: false, delayAbortEvalMs: 0 };
    if (item && typeof item === 'object' && typeof (item as { threshold?: unknown }).threshold === 'string') {
      const o = item as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
      const unknownKeys = Object.keys(o).filter((k) => !['threshold', 'abortOnFail', 'delayAbortEval'].includes(k));
      if (unknownKeys.length > 0) throw new ThresholdError(`thresholds["${key}"][${i}]: unknown field(s) ${unknownKeys.join(', ')} (threshold, abortOnFail, delayAbortEval).`);
      return {
        ...parseThresholdExpression(o.threshold),
        abortOnFail: o.abortOnFail === true,
        delayAbortEvalMs: o.delayAbortEval === undefined ? 0 : parseDuration(o.delayAbortEval, `thresholds["${key}"][${i}].delayAbortEval`),
      };
    }
    throw new ThresholdError(`thresholds["${key}"][${i}] must be an expression string or {threshold, abortOnFail, delayAbortEval}; got ${JSON.stringify(item)}.`);
  });
}
