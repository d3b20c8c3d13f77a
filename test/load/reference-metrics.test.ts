/**
 * The metrics engine, thresholds and summary shapes against what real k6 computed from the very
 * same samples: the raw `--out json` streams in ../shared/k6-reference are replayed into the
 * embedded runner's registry, and the export, the threshold verdicts, the group tree and the text
 * summary must come out as k6 wrote them in the same run.
 */
import { describe, expect, test } from 'vitest';
import { createGroupTree, type GroupTree } from '../../src/load/group-tree.ts';
import { BUILTIN_METRICS, createMetricRegistry, type MetricRegistry, type MetricType, parseMetricKey, type ValueType } from '../../src/load/metrics.ts';
import { loadScriptExports } from '../../src/load/scenario-catalog.ts';
import { buildSummaryData, renderTextSummary, type SummaryData, toSummaryExport } from '../../src/load/summary.ts';
import { aggregate, evaluateThresholdSet, parseThresholdList, type ThresholdSet } from '../../src/load/thresholds.ts';
import { hasReference, readReference, readReferenceJson, referencePath } from './support/reference.ts';

const STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

interface Replay {
  registry: MetricRegistry;
  tree: GroupTree;
  thresholds: ThresholdSet[];
  durationMs: number;
  data: SummaryData;
}

/** Feed a k6 `--out json` stream into a fresh registry, with the script's own thresholds. */
async function replay(ndjsonFile: string, script: string, exportFile: string): Promise<Replay> {
  const registry = createMetricRegistry();
  const tree = createGroupTree();
  const builtin = new Set(BUILTIN_METRICS.map((m) => m.name));
  const lines = readReference(ndjsonFile).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const line of lines) {
    if (line.type === 'Metric' && !builtin.has(line.data.name)) registry.define(line.data.name, line.data.type as MetricType, line.data.contains as ValueType, true);
  }
  const exported = await loadScriptExports(referencePath(script), { BASE_URL: 'http://127.0.0.1:1' });
  const thresholds: ThresholdSet[] = Object.entries((exported.options as { thresholds?: Record<string, unknown> }).thresholds ?? {}).map(([key, list]) => {
    const parsed = parseMetricKey(key);
    const metric = registry.get(parsed.metric)!;
    return { key, target: parsed.tags ? registry.submetric(key) : metric, metricType: metric.type, thresholds: parseThresholdList(key, list).map((t) => ({ ...t, failed: false })) };
  });
  for (const line of lines) {
    if (line.type !== 'Point') continue;
    const tags = line.data.tags as Record<string, string>;
    registry.add(registry.get(line.metric)!, line.data.value, tags);
    if (line.metric === 'checks') {
      const node = tree.check(tags.group!, tags.check!);
      if (line.data.value) node.passes += 1;
      else node.fails += 1;
    }
    if (line.metric === 'group_duration') tree.group(tags.group!);
  }
  // A counter's rate is count / test duration, so the duration is read back from the export.
  const iterations = readReferenceJson(exportFile).metrics.iterations;
  const durationMs = (iterations.count / iterations.rate) * 1000;
  for (const set of thresholds) evaluateThresholdSet(set, durationMs);
  const data = buildSummaryData({ registry, tree, thresholds, trendStats: STATS, testRunDurationMs: durationMs });
  return { registry, tree, thresholds, durationMs, data };
}

function expectSameExport(ours: ReturnType<typeof toSummaryExport>, theirs: any) {
  expect(Object.keys(ours.metrics).sort()).toEqual(Object.keys(theirs.metrics).sort());
  for (const [name, metric] of Object.entries(theirs.metrics as Record<string, Record<string, unknown>>)) {
    const mine = ours.metrics[name]!;
    expect(Object.keys(mine).sort(), name).toEqual(Object.keys(metric).sort());
    for (const [stat, value] of Object.entries(metric)) {
      if (stat === 'thresholds') expect(mine.thresholds, `${name} thresholds`).toEqual(value);
      else expect(mine[stat] as number, `${name}.${stat}`).toBeCloseTo(value as number, 6);
    }
  }
  expect(ours.root_group).toEqual(theirs.root_group);
}

describe.skipIf(!hasReference)('replaying real k6 samples (../shared/k6-reference)', () => {
  test('f1: every metric, sub-metric, threshold verdict and check in the export matches k6 (from its 1,140 raw points)', async () => {
    const r = await replay('f1-checks-thresholds.out-json.metrics.ndjson', 'f1-checks-thresholds.js', 'f1-checks-thresholds.out-json.export.json');
    expectSameExport(toSummaryExport(r.data), readReferenceJson('f1-checks-thresholds.out-json.export.json'));
  });

  test('f1: the compact text summary is the one k6 printed, line for line', async () => {
    const r = await replay('f1-checks-thresholds.out-json.metrics.ndjson', 'f1-checks-thresholds.js', 'f1-checks-thresholds.out-json.export.json');
    const byKey = new Map(r.thresholds.map((s) => [s.key, s]));
    const text = renderTextSummary(r.data, {
      checkOrder: r.tree.checksInOrder().map((c) => c.path),
      thresholdValue: (key, expr) => {
        const set = byKey.get(key)!;
        return aggregate(set.target.sink, set.thresholds.find((t) => t.source === expr)!.aggregation, r.durationMs);
      },
    });
    const stdout = readReference('f1-checks-thresholds.out-json.stdout.txt');
    const theirs = stdout.slice(stdout.indexOf('  █ THRESHOLDS'), stdout.indexOf('\nrunning (')).trimEnd();
    const ours = text.slice(text.indexOf('  █ THRESHOLDS')).trimEnd();
    expect(ours.split('\n')).toEqual(theirs.split('\n'));
  });

  test('e: two scenarios with scenario tags, vus and vus_max points: the export matches k6', async () => {
    const r = await replay('e-two-scenarios.out-json.metrics.ndjson', 'e-two-scenarios.js', 'e-two-scenarios.out-json.export.json');
    expectSameExport(toSummaryExport(r.data), readReferenceJson('e-two-scenarios.out-json.export.json'));
  });

  test('c: the dropped_iterations points add up to the count k6 reported', async () => {
    const points = readReference('c-dropped-iterations.out-json.dropped-samples.ndjson').split('\n').filter((l) => l.includes('"Point"'));
    const registry = createMetricRegistry();
    for (const p of points) registry.add(registry.get('dropped_iterations')!, JSON.parse(p).data.value, JSON.parse(p).data.tags);
    expect(registry.get('dropped_iterations')!.sink).toEqual({ kind: 'counter', count: readReferenceJson('c-dropped-iterations.out-json.export.json').metrics.dropped_iterations.count });
  });

  test('i: handleSummary data converts to exactly the --summary-export k6 wrote in the same run', () => {
    const data = readReferenceJson<SummaryData>('i-handle-summary.handle-summary.json');
    expect(toSummaryExport(data)).toEqual(readReferenceJson('i-handle-summary.export.json'));
  });

  test('i: handleSummary data built by the runner has k6\'s shape (types, contains, values keys, ok verdicts, arrays, options, state)', async () => {
    const theirs = readReferenceJson<SummaryData>('i-handle-summary.handle-summary.json');
    // The same metrics as k6 recorded them, replayed from the export's own numbers is not
    // possible (no raw stream for i), so the shape is compared metric by metric on a replay of f1.
    const r = await replay('f1-checks-thresholds.out-json.metrics.ndjson', 'f1-checks-thresholds.js', 'f1-checks-thresholds.out-json.export.json');
    const shape = (d: SummaryData) => ({
      top: Object.keys(d).sort(),
      options: Object.keys(d.options).sort(),
      state: Object.keys(d.state).sort(),
      trend: { type: d.metrics.http_req_duration!.type, contains: d.metrics.http_req_duration!.contains, values: Object.keys(d.metrics.http_req_duration!.values).sort() },
      counter: Object.keys(d.metrics.http_reqs!.values).sort(),
      rate: Object.keys(d.metrics.checks!.values).sort(),
      dataContains: d.metrics.data_received!.contains,
      threshold: Object.values(d.metrics.checks!.thresholds!)[0],
      groupsAreArrays: Array.isArray(d.root_group.groups) && Array.isArray(d.root_group.checks),
      rootId: d.root_group.id,
    });
    const ours = { ...r.data, setup_data: { n: 42, startedBy: 'setup' } };
    expect({ ...shape(ours), threshold: Object.keys(shape(ours).threshold!) }).toEqual({ ...shape(theirs), threshold: Object.keys(shape(theirs).threshold!) });
    expect(r.data.metrics.checks!.thresholds).toEqual({ 'rate>0.5': { ok: true }, 'rate>0.99': { ok: false } });
  });
});

if (!hasReference) {
  test.skip('replaying real k6 samples: skipped because ../shared/k6-reference is absent', () => {});
}
