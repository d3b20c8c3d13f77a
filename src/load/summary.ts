/**
 * The end of a test run in k6's shapes (../shared/k6-reference/README.md, "Summary export vs
 * handleSummary data"):
 *
 * - `buildSummaryData`: the `handleSummary(data)` object (`metrics.<name>.values`, thresholds as
 *   `{ok}`, groups and checks as arrays, `options`, `state`);
 * - `toSummaryExport`: the `--summary-export` file (flat stats, thresholds as `true` = failed,
 *   groups and checks as objects keyed by name);
 * - `renderTextSummary`: k6's default "compact" end-of-test text.
 *
 * Pure functions of the run's aggregates, so a test can build them from any registry.
 */
import type { GroupNode, GroupTree } from './group-tree.ts';
import { EXPECTED_RESPONSE_SUBMETRIC, type Metric, type MetricRegistry, type MetricType, sinkValues, type Submetric, type ValueType } from './metrics.ts';
import type { ThresholdSet } from './thresholds.ts';

export interface SummaryMetric {
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export interface SummaryData {
  root_group: SummaryGroup;
  metrics: Record<string, SummaryMetric>;
  setup_data?: unknown;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
}

export interface ExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, ExportGroup>;
  checks: Record<string, SummaryCheck>;
}

/** The `--summary-export` file: what `bc-harness load` writes whichever runner ran. */
export interface SummaryExport {
  root_group: ExportGroup;
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
  setup_data?: unknown;
}

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] as const;

export interface SummaryInput {
  registry: MetricRegistry;
  tree: GroupTree;
  thresholds: ThresholdSet[];
  trendStats: readonly string[];
  summaryTimeUnit?: string;
  testRunDurationMs: number;
  /** Present when setup() returned something (k6 then includes it in both shapes). */
  setupData?: { value: unknown };
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  noColor?: boolean;
}

function groupToSummary(node: GroupNode): SummaryGroup {
  return {
    name: node.name,
    path: node.path,
    id: node.id,
    groups: [...node.groups.values()].map(groupToSummary),
    checks: [...node.checks.values()].map((c) => ({ ...c })),
  };
}

/**
 * A metric is in the summary when it received a sample (k6 lists observed metrics only) or when
 * a threshold names it, so a crossed threshold on a silent metric is still visible. Sub-metrics are
 * there when a threshold names them, plus k6's own `{expected_response:true}` once it saw one.
 */
export function buildSummaryData(input: SummaryInput): SummaryData {
  const metrics: Record<string, SummaryMetric> = {};
  const thresholdsByKey = new Map(input.thresholds.map((t) => [t.key, t]));
  const entry = (target: Metric | Submetric, type: MetricType, contains: ValueType, key: string) => {
    const set = thresholdsByKey.get(key);
    const value: SummaryMetric = { type, contains, values: sinkValues(target.sink, input.testRunDurationMs, input.trendStats) };
    if (set) value.thresholds = Object.fromEntries(set.thresholds.map((t) => [t.source, { ok: !t.failed }]));
    metrics[key] = value;
  };
  for (const metric of input.registry.all()) {
    if (metric.observed || thresholdsByKey.has(metric.name)) entry(metric, metric.type, metric.contains, metric.name);
    for (const sub of metric.submetrics) {
      const wanted = thresholdsByKey.has(sub.name) || (sub.name === EXPECTED_RESPONSE_SUBMETRIC && sub.observed);
      if (wanted) entry(sub, metric.type, metric.contains, sub.name);
    }
  }
  return {
    root_group: groupToSummary(input.tree.root),
    metrics,
    ...(input.setupData ? { setup_data: input.setupData.value } : {}),
    options: { summaryTrendStats: [...input.trendStats], summaryTimeUnit: input.summaryTimeUnit ?? '', noColor: input.noColor ?? false },
    state: { isStdOutTTY: input.stdoutIsTTY ?? false, isStdErrTTY: input.stderrIsTTY ?? false, testRunDurationMs: input.testRunDurationMs },
  };
}

function groupToExport(group: SummaryGroup): ExportGroup {
  return {
    name: group.name,
    path: group.path,
    id: group.id,
    groups: Object.fromEntries(group.groups.map((g) => [g.name, groupToExport(g)])),
    checks: Object.fromEntries(group.checks.map((c) => [c.name, { ...c }])),
  };
}

/** handleSummary data -> the `--summary-export` shape (k6 `lib/summary` legacy export). */
export function toSummaryExport(data: SummaryData): SummaryExport {
  const metrics: SummaryExport['metrics'] = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    let flat: Record<string, number | Record<string, boolean>>;
    switch (m.type) {
      case 'rate':
        // The export calls the ratio `value`; handleSummary calls it `rate`.
        flat = { passes: m.values.passes!, fails: m.values.fails!, value: m.values.rate! };
        break;
      case 'counter':
      case 'gauge':
      case 'trend':
        flat = { ...m.values };
        break;
      default:
        throw new Error(`unknown metric type ${m.type satisfies never}`);
    }
    // In the export `true` means the threshold failed: the inverse of handleSummary's `ok`.
    if (m.thresholds) flat.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([expr, t]) => [expr, !t.ok]));
    metrics[name] = flat;
  }
  return {
    root_group: groupToExport(data.root_group),
    metrics,
    ...(data.setup_data !== undefined ? { setup_data: data.setup_data } : {}),
  };
}

// ---- text summary -------------------------------------------------------------------------

function toFixedNoTrailingZeros(value: number, precision: number): string {
  return String(Number.parseFloat(value.toFixed(precision)));
}

function toFixedNoTrailingZerosTrunc(value: number, precision: number): string {
  const mult = 10 ** precision;
  return toFixedNoTrailingZeros(Math.trunc(mult * value) / mult, precision);
}

/** k6's duration humanizer (jslib summary `humanizeGenericDuration`), input in milliseconds. */
export function humanizeDuration(ms: number, timeUnit = ''): string {
  const units: Record<string, { unit: string; coef: number }> = { s: { unit: 's', coef: 0.001 }, ms: { unit: 'ms', coef: 1 }, us: { unit: 'µs', coef: 1000 } };
  const fixed = units[timeUnit];
  if (fixed) return `${(ms * fixed.coef).toFixed(2)}${fixed.unit}`;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${toFixedNoTrailingZerosTrunc(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${toFixedNoTrailingZerosTrunc(ms, 2)}ms`;
  let result = `${toFixedNoTrailingZerosTrunc((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return result;
  result = `${rest % 60}m${result}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return result;
  return `${rest}h${result}`;
}

export function humanizeBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  if (bytes < 10) return `${bytes} B`;
  const e = Math.floor(Math.log(bytes) / Math.log(1000));
  const value = Math.floor((bytes / 1000 ** e) * 10 + 0.5) / 10;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[e | 0]}`;
}

function humanizeValue(value: number, metric: { type: MetricType; contains: ValueType }, timeUnit: string): string {
  // A rate is truncated, not rounded, to two decimals (k6 prints 16.66% for 5/30).
  if (metric.type === 'rate') return `${(Math.trunc(value * 100 * 100) / 100).toFixed(2)}%`;
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(value);
    case 'time':
      return humanizeDuration(value, timeUnit);
    case 'default':
      return toFixedNoTrailingZeros(value, 6);
    default:
      throw new Error(`unknown value type ${metric.contains satisfies never}`);
  }
}

function nonTrendColumns(m: SummaryMetric, timeUnit: string): string[] {
  switch (m.type) {
    case 'counter':
      return [humanizeValue(m.values.count!, m, timeUnit), `${humanizeValue(m.values.rate!, m, timeUnit)}/s`];
    case 'gauge':
      return [humanizeValue(m.values.value!, m, timeUnit), `min=${humanizeValue(m.values.min!, m, timeUnit)}`, `max=${humanizeValue(m.values.max!, m, timeUnit)}`];
    case 'rate':
      return [humanizeValue(m.values.rate!, m, timeUnit), `${m.values.passes} out of ${m.values.passes! + m.values.fails!}`];
    case 'trend':
      return [];
    default:
      throw new Error(`unknown metric type ${m.type satisfies never}`);
  }
}

interface Row {
  label: string;
  metric: SummaryMetric;
}

function splitKey(key: string): { parent: string; selector?: string } {
  const open = key.indexOf('{');
  return open === -1 ? { parent: key } : { parent: key.slice(0, open), selector: key.slice(open + 1, -1) };
}

/** Align metric rows the way k6 does: dotted names, then value columns padded across all rows. */
function renderRows(rows: Row[], trendStats: readonly string[], timeUnit: string, indent: string): string[] {
  const nameWidth = Math.max(0, ...rows.map((r) => [...r.label].length));
  const trendWidths = trendStats.map(() => 0);
  let valueWidth = 0;
  const extraWidths = [0, 0];
  const cells = rows.map((r) => {
    if (r.metric.type === 'trend') {
      const cols = trendStats.map((stat, i) => {
        const text = stat === 'count' ? String(r.metric.values[stat]) : humanizeValue(r.metric.values[stat] ?? 0, r.metric, timeUnit);
        trendWidths[i] = Math.max(trendWidths[i]!, [...text].length);
        return text;
      });
      return { trend: cols };
    }
    const cols = nonTrendColumns(r.metric, timeUnit);
    valueWidth = Math.max(valueWidth, [...cols[0]!].length);
    cols.slice(1).forEach((c, i) => (extraWidths[i] = Math.max(extraWidths[i]!, [...c].length)));
    return { plain: cols };
  });
  return rows.map((r, i) => {
    const cell = cells[i]!;
    let data: string;
    if ('trend' in cell) {
      data = cell.trend!.map((text, j) => `${trendStats[j]}=${text}${' '.repeat(trendWidths[j]! - [...text].length)}`).join(' ');
    } else {
      const [value, ...extras] = cell.plain!;
      data = value! + ' '.repeat(valueWidth - [...value!].length);
      if (extras.length === 1) data += ` ${extras[0]}`;
      else if (extras.length > 1) data += ` ${extras.map((e, j) => e + ' '.repeat(extraWidths[j]! - [...e].length)).join(' ')}`;
    }
    return `${indent}${r.label}${'.'.repeat(nameWidth - [...r.label].length + 3)}: ${data}`;
  });
}

type Section = 'CUSTOM' | 'HTTP' | 'EXECUTION' | 'NETWORK' | 'HIDDEN';

/** Where the compact summary shows a metric; checks and group_duration are shown elsewhere or not at all. */
function sectionOf(name: string, custom: boolean): Section {
  if (custom) return 'CUSTOM';
  switch (name) {
    case 'http_req_duration':
    case 'http_req_failed':
    case 'http_reqs':
      return 'HTTP';
    case 'dropped_iterations':
    case 'iteration_duration':
    case 'iterations':
    case 'vus':
    case 'vus_max':
      return 'EXECUTION';
    case 'data_received':
    case 'data_sent':
      return 'NETWORK';
    default:
      return 'HIDDEN';
  }
}

const BUILTIN_NAMES = new Set([
  'vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'data_received', 'data_sent', 'checks', 'group_duration',
  'http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending',
  'http_req_waiting', 'http_req_receiving',
]);

export interface TextSummaryExtras {
  /** Check paths in the order they were first seen anywhere in the tree (k6 lists them so). */
  checkOrder?: string[];
  /** The value a threshold compared, for statistics not in summaryTrendStats (e.g. p(99.9)). */
  thresholdValue?: (key: string, expression: string) => number | undefined;
}

/** k6's default (`compact`) end-of-test summary. */
export function renderTextSummary(data: SummaryData, extras: TextSummaryExtras = {}): string {
  const timeUnit = data.options.summaryTimeUnit;
  const trendStats = data.options.summaryTrendStats;
  const out: string[] = [''];

  // THRESHOLDS: one block per metric with thresholds; a sub-metric nests under its parent when
  // the parent has thresholds too, else it stands alone under its full name.
  const withThresholds = Object.keys(data.metrics).filter((k) => data.metrics[k]!.thresholds).sort();
  if (withThresholds.length > 0) {
    out.push('', '  █ THRESHOLDS ', '');
    const thresholdLines = (key: string, indent: string) =>
      Object.entries(data.metrics[key]!.thresholds!).map(([expr, t]) => {
        const metric = data.metrics[key]!;
        const agg = /^\s*([a-z]+(?:\([^)]*\))?)/.exec(expr)?.[1]?.replace(/\s+/g, '') ?? expr;
        const value = extras.thresholdValue?.(key, expr) ?? (metric.type === 'rate' ? metric.values.rate! : (metric.values[agg] ?? Number.NaN));
        return `${indent}${t.ok ? '✓' : '✗'} '${expr}' ${agg}=${humanizeValue(value, metric, timeUnit)}`;
      });
    const blocks: string[][] = [];
    for (const key of withThresholds) {
      const { parent, selector } = splitKey(key);
      if (selector !== undefined && data.metrics[parent]?.thresholds) continue;
      const block = [`    ${key}`, ...thresholdLines(key, '    ')];
      if (selector === undefined) {
        for (const sub of withThresholds.filter((k) => k !== key && splitKey(k).parent === key)) {
          block.push('', `      {${splitKey(sub).selector}}`, ...thresholdLines(sub, '      '));
        }
      }
      blocks.push(block);
    }
    blocks.forEach((b, i) => {
      out.push(...b);
      if (i < blocks.length - 1) out.push('');
    });
    out.push('');
  }

  out.push('', '  █ TOTAL RESULTS ', '');
  const checks = data.metrics.checks;
  if (checks) {
    const total = checks.values.passes! + checks.values.fails!;
    const seconds = data.state.testRunDurationMs / 1000;
    const totals: Row[] = [
      { label: 'checks_total', metric: { type: 'counter', contains: 'default', values: { count: total, rate: seconds > 0 ? total / seconds : 0 } } },
      { label: 'checks_succeeded', metric: { type: 'rate', contains: 'default', values: { rate: total ? checks.values.passes! / total : 0, passes: checks.values.passes!, fails: checks.values.fails! } } },
      { label: 'checks_failed', metric: { type: 'rate', contains: 'default', values: { rate: total ? checks.values.fails! / total : 0, passes: checks.values.fails!, fails: checks.values.passes! } } },
    ];
    out.push(...renderRows(totals, trendStats, timeUnit, '    '), '');
    const flat = flattenChecks(data.root_group);
    const order = extras.checkOrder ?? flat.map((c) => c.path);
    const byPath = new Map(flat.map((c) => [c.path, c]));
    for (const c of order.map((p) => byPath.get(p)).filter((c): c is SummaryCheck => c !== undefined)) {
      out.push(`    ${c.fails > 0 ? '✗' : '✓'} ${c.name}`);
      if (c.fails > 0) out.push(`      ↳  ${Math.floor((100 * c.passes) / (c.passes + c.fails))}% — ✓ ${c.passes} / ✗ ${c.fails}`);
    }
    out.push('');
  }

  const sections: Record<Exclude<Section, 'HIDDEN'>, Row[]> = { CUSTOM: [], HTTP: [], EXECUTION: [], NETWORK: [] };
  const parents = Object.keys(data.metrics).filter((k) => !k.includes('{')).sort();
  for (const name of parents) {
    const section = sectionOf(name, !BUILTIN_NAMES.has(name));
    if (section === 'HIDDEN') continue;
    sections[section].push({ label: name, metric: data.metrics[name]! });
    const subs = Object.keys(data.metrics).filter((k) => splitKey(k).parent === name && k !== name).sort();
    for (const sub of subs) sections[section].push({ label: `  { ${splitKey(sub).selector} }`, metric: data.metrics[sub]! });
  }
  // Compact mode aligns every section to the same widths, so render all rows together.
  const all = (Object.keys(sections) as (keyof typeof sections)[]).flatMap((s) => sections[s]);
  const rendered = renderRows(all, trendStats, timeUnit, '    ');
  let at = 0;
  const blocks: string[] = [];
  for (const s of Object.keys(sections) as (keyof typeof sections)[]) {
    const rows = sections[s];
    if (rows.length === 0) continue;
    blocks.push([`    ${s}`, ...rendered.slice(at, at + rows.length)].join('\n'));
    at += rows.length;
  }
  out.push(blocks.join('\n\n'), '', '', '', '');
  return out.join('\n');
}

function flattenChecks(group: SummaryGroup): SummaryCheck[] {
  return [...group.checks, ...group.groups.flatMap(flattenChecks)];
}
