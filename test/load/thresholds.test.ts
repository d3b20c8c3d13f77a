/**
 * Threshold expressions in k6's syntax, table-driven from the examples in k6's documentation
 * ("Thresholds": http_req_failed rate<0.01, http_req_duration p(95)<200, p(99.9) < 2000, checks
 * rate>0.9, count<10, value<4000, avg<200, med<=100, ===, !=) and evaluated on sinks whose
 * statistics are known.
 */
import { describe, expect, test } from 'vitest';
import { addToSink, createSink, type MetricType } from '../../src/load/metrics.ts';
import { aggregate, aggregationAllowed, compare, parseThresholdExpression, parseThresholdList, ThresholdError } from '../../src/load/thresholds.ts';

function sinkOf(type: MetricType, values: number[]) {
  const sink = createSink(type);
  for (const v of values) addToSink(sink, v);
  return sink;
}

// 1..100 ms: avg 50.5, med 50.5, p(95) 95.05, p(99.9) 99.901, min 1, max 100.
const latencies = Array.from({ length: 100 }, (_, i) => i + 1);

describe('parsing', () => {
  test.each([
    ['rate<0.01', { kind: 'rate' }, '<', 0.01],
    ['p(95)<200', { kind: 'p', p: 95 }, '<', 200],
    ['p(99.9) < 2000', { kind: 'p', p: 99.9 }, '<', 2000],
    ['p(90) < 400', { kind: 'p', p: 90 }, '<', 400],
    ['count>0', { kind: 'count' }, '>', 0],
    ['count>=20', { kind: 'count' }, '>=', 20],
    ['value<4000', { kind: 'value' }, '<', 4000],
    ['avg<200', { kind: 'avg' }, '<', 200],
    ['med<=100', { kind: 'med' }, '<=', 100],
    ['max>0', { kind: 'max' }, '>', 0],
    ['min>500', { kind: 'min' }, '>', 500],
    ['rate==1', { kind: 'rate' }, '==', 1],
    ['rate===1', { kind: 'rate' }, '===', 1],
    ['count!=3', { kind: 'count' }, '!=', 3],
    ['avg < 1e3', { kind: 'avg' }, '<', 1000],
  ])('%s', (source, aggregation, operator, value) => {
    expect(parseThresholdExpression(source)).toEqual({ source, aggregation, operator, value });
  });

  test.each(['p95<200', 'p()<1', 'p(101)<1', 'rate', 'rate<', '<0.1', 'mean<10', 'count>>1', 'avg(3)<1'])('%s is refused with a message that shows the syntax', (bad) => {
    expect(() => parseThresholdExpression(bad)).toThrow(ThresholdError);
  });

  test('the object form carries abortOnFail and delayAbortEval (k6 docs: { threshold, abortOnFail, delayAbortEval })', () => {
    expect(parseThresholdList('http_req_failed', [{ threshold: 'rate <= 0.01', abortOnFail: true, delayAbortEval: '10s' }, 'rate<0.5'])).toEqual([
      { source: 'rate <= 0.01', aggregation: { kind: 'rate' }, operator: '<=', value: 0.01, abortOnFail: true, delayAbortEvalMs: 10_000 },
      { source: 'rate<0.5', aggregation: { kind: 'rate' }, operator: '<', value: 0.5, abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    expect(() => parseThresholdList('x', [{ threshold: 'rate<1', abortOnFial: true }])).toThrow(/unknown field/);
  });
});

describe('aggregations allowed per metric type', () => {
  test.each([
    ['counter', 'count', true],
    ['counter', 'rate', true],
    ['counter', 'avg', false],
    ['gauge', 'value', true],
    ['gauge', 'max', false],
    ['rate', 'rate', true],
    ['rate', 'count', false],
    ['trend', 'p(95)', true],
    ['trend', 'med', true],
    ['trend', 'avg', true],
    ['trend', 'count', false],
    ['trend', 'rate', false],
  ] as const)('%s %s: %s', (type, agg, allowed) => {
    expect(aggregationAllowed(type, parseThresholdExpression(`${agg}<1`).aggregation)).toBe(allowed);
  });
});

describe('evaluation', () => {
  test.each([
    ['trend', latencies, 'p(95)<200', true],
    ['trend', latencies, 'p(95)<95', false],
    ['trend', latencies, 'p(95)<95.1', true],
    ['trend', latencies, 'p(99.9) < 2000', true],
    ['trend', latencies, 'avg<50.5', false],
    ['trend', latencies, 'avg<=50.5', true],
    ['trend', latencies, 'med<=50.5', true],
    ['trend', latencies, 'max<100', false],
    ['trend', latencies, 'min>=1', true],
    ['rate', [1, 0, 0, 0], 'rate<0.01', false],
    ['rate', [0, 0, 0, 0], 'rate<0.01', true],
    ['rate', [1, 1, 1, 0], 'rate>0.9', false],
    ['rate', [1, 1, 1, 1], 'rate==1', true],
    ['counter', [1, 1, 1], 'count<10', true],
    ['counter', [1, 1, 1], 'count==3', true],
    ['counter', [1, 1, 1], 'count!=3', false],
    ['gauge', [3000, 4500, 3900], 'value<4000', true],
    ['gauge', [3000, 3900, 4500], 'value<4000', false],
  ] as const)('%s %j: %s passes = %s', (type, values, expr, passes) => {
    const t = parseThresholdExpression(expr);
    expect(compare(aggregate(sinkOf(type, [...values]), t.aggregation, 1000), t.operator, t.value)).toBe(passes);
  });

  test('a counter rate is per second of test time', () => {
    expect(aggregate(sinkOf('counter', [1, 1, 1, 1]), { kind: 'rate' }, 2000)).toBe(2);
  });

  test('percentiles interpolate linearly at p * (n - 1), like k6', () => {
    const t = sinkOf('trend', [10, 20, 30, 40]);
    expect(aggregate(t, { kind: 'p', p: 50 }, 1)).toBe(25);
    expect(aggregate(t, { kind: 'p', p: 90 }, 1)).toBeCloseTo(37, 9);
    expect(aggregate(sinkOf('trend', []), { kind: 'p', p: 95 }, 1)).toBe(0);
  });
});
