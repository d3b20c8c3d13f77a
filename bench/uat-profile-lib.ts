/**
 * Pure helpers of the whole-run UAT profile (bench/uat-profile.ts): reading /proc/<pid>/stat,
 * naming the harness's processes, the per-order arithmetic, a CPU profile split by module path,
 * and the rows the bench runner prints. No I/O here, so each can be tested on its own
 * (test/bench/uat-profile-lib.test.ts).
 */
import { relative } from 'node:path';

/** Clock ticks per second of /proc's utime/stime/cutime/cstime (USER_HZ, 100 on Linux). */
export const USER_HZ = 100;

export interface ProcStat {
  pid: number;
  /** The command name (comm), without its parentheses; it may hold spaces and ')'. */
  comm: string;
  state: string;
  ppid: number;
  /** User plus system CPU of this process (all its threads), seconds. */
  cpuSeconds: number;
  /** User plus system CPU of its children that it has waited for, seconds. */
  childrenCpuSeconds: number;
}

/**
 * One line of /proc/<pid>/stat (proc(5)). The command name can hold spaces and parentheses, so
 * the fields are counted from the last ')'. Undefined when the text is not a stat line.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ") ": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), 1-based as in proc(5).
  const f = text.slice(close + 2).trim().split(/\s+/);
  const n = (i: number) => Number(f[i - 3]);
  const [ppid, utime, stime, cutime, cstime] = [n(4), n(14), n(15), n(16), n(17)];
  if (![pid, ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  return { pid, comm: text.slice(open + 1, close), state: f[0] ?? '?', ppid, cpuSeconds: (utime + stime) / USER_HZ, childrenCpuSeconds: (cutime + cstime) / USER_HZ };
}

export type ProcessRole = 'engine' | 'load-runner' | 'other';

/**
 * Which part of the harness a child process is, from its argv (/proc/<pid>/cmdline): the
 * reference engine is `node bin/bc-harness.js engine --json`, the load runner
 * `node bin/bc-harness.js load <scenario> ...` (or a k6 binary it started). Anything else (the
 * dead-letter export after the run, say) is `other`; a process without a role of its own takes
 * its parent's (bench/uat-profile.ts does that).
 */
export function classifyProcess(argv: readonly string[]): ProcessRole {
  const bin = argv.findIndex((a) => a.endsWith('bc-harness.js'));
  const command = bin >= 0 ? argv[bin + 1] : undefined;
  if (command === 'engine') return 'engine';
  if (command === 'load') return 'load-runner';
  if (argv[0] !== undefined && /(^|\/)k6$/.test(argv[0])) return 'load-runner';
  return 'other';
}

/** Seconds per order placed; null when no order was placed (a division would mislead). */
export function perOrder(seconds: number | null | undefined, orders: number): number | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || orders <= 0) return null;
  return seconds / orders;
}

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentiles (as src/verify/percentile.ts and k6 report them), one sort. */
export function summariseLatencies(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1]! };
}

// ---- a CPU profile of the orchestrator process, split by module path ----

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The part of the orchestrator process a source file belongs to, or undefined for code that
 * serves whoever called it (node_modules, Node's internals): such frames are charged to the
 * nearest project frame below them on the stack.
 */
export function bucketOfUrl(url: string, root: string): string | undefined {
  const path = url.replace(/^file:\/\//, '');
  if (path === '' || path.includes('/node_modules/') || path.startsWith('node:')) return undefined;
  const rel = path.startsWith(root) ? relative(root, path) : path;
  if (rel.startsWith('simulator/')) return 'simulator';
  // The shared basics (clock, ledger writer, events) run in every process; charged to their own bucket.
  if (rel.startsWith('lib/')) return 'shared basics (lib)';
  if (rel.startsWith('src/mocks/')) return 'mocks';
  if (rel.startsWith('src/intercept/')) return 'intercept';
  if (rel.startsWith('src/uat/')) return 'orchestrator (src/uat)';
  if (rel.startsWith('src/verify/') || rel.startsWith('src/reports/') || rel.startsWith('src/tco/')) return 'verify and reports';
  if (rel.startsWith('bench/')) return 'bench itself';
  if (rel.startsWith('src/')) return 'other project code';
  return undefined;
}

// A Map, not an object literal: a frame named `toString` must not find Object.prototype's.
const SPECIAL = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'garbage collector'],
  ['(program)', 'runtime (program)'],
]);

/**
 * Self time of every sample charged to the nearest project frame on its stack (leaf first): a
 * sample in express or undici under a simulator route counts for the simulator. Samples with no
 * project frame at all (the HTTP parser, timers, the loader) are "libraries and runtime, no
 * project frame". Returns milliseconds per bucket.
 */
export function attributeProfile(profile: CpuProfile, bucketOf: (url: string) => string | undefined): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const bucketOfNode = (id: number): string => {
    const path: number[] = [];
    let found: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const known = memo.get(cur);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(cur);
      const frame = byId.get(cur)!.callFrame;
      found = SPECIAL.get(frame.functionName) ?? bucketOf(frame.url);
      if (found !== undefined) break;
    }
    const bucket = found ?? 'libraries and runtime, no project frame';
    for (const p of path) memo.set(p, bucket);
    return bucket;
  };
  const out: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const b = bucketOfNode(id);
    out[b] = (out[b] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return out;
}

// ---- what the bench runner prints ----

export interface ProcessFigures {
  /** orchestrator, engine, load-runner, other. */
  role: string;
  pids: number[];
  cpuSeconds: number | null;
  cpuSecondsPerOrder: number | null;
  /** Event-loop delay beyond the 10 ms sampling resolution, p99, real ms; null: not measured. */
  loopDelayP99Ms: number | null;
  loopDelayMaxMs: number | null;
  /** Where the figures come from. */
  source: string;
}

export interface UatProfileResult {
  name: 'uat-profile';
  scenario: string;
  timeScale: number;
  volumeScale: number | null;
  runner: string;
  ordersPlaced: number;
  expectedOrders: number | null;
  wallSeconds: number;
  loadRealSeconds: number | null;
  processes: ProcessFigures[];
  orchestratorPhases: Record<string, number>;
  orchestratorSplit?: Record<string, number>;
  childrenCpuSecondsExact: number | null;
  latency: {
    receiverAnswerP95RealMs: number | null;
    receiverAnswerP95SimSeconds: number | null;
    harnessLagP99Ms: number | null;
    apiServerMs: LatencySummary;
    controlPlaneServerMs: LatencySummary;
    mocksServerMs: LatencySummary;
    loadClientMs: { p95: number | null; med: number | null; max: number | null } | null;
  };
  fidelity: { verdict: string; faithful: boolean | null; droppedArrivals: number | null; problems: { kind: string; text: string }[]; warnings: string[] };
  cpu: { otherCores: number | null; machineCores: number | null };
  runDir?: string;
  profile?: string;
  /** With --cpu-prof: each Node child's whole-life profile (engine, load runner), by pid. */
  childProfiles?: { pid: number; role: string; file: string }[];
}

export interface Row {
  benchmark: string;
  result: string;
  target: string;
  status: string;
  notes: string;
}

const num = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The table rows of one uat-profile result: one per process, then harness latency and fidelity. */
export function uatProfileRows(r: UatProfileResult): Row[] {
  const what = `UAT ${r.scenario} ${r.timeScale}x${r.volumeScale !== null ? ` vol ${r.volumeScale}` : ''}`;
  const noise = r.cpu.otherCores !== null && r.cpu.otherCores >= 0.2 ? `other load on the machine ${num(r.cpu.otherCores, 2)} cores; ` : '';
  const rows: Row[] = r.processes.map((p) => ({
    benchmark: `${what}: ${p.role}`,
    result: `${num(p.cpuSeconds, 1)} CPU s, ${num(p.cpuSecondsPerOrder === null ? null : p.cpuSecondsPerOrder * 1000, 2)} CPU ms/order, loop delay p99 ${p.loopDelayP99Ms === null ? 'n/a' : `${num(p.loopDelayP99Ms, 1)} ms`}`,
    target: '',
    status: 'MEASURED',
    notes: `${noise}pid ${p.pids.join(', ') || 'n/a'}; ${p.source}${p.loopDelayMaxMs !== null ? `; loop delay max ${num(p.loopDelayMaxMs, 1)} ms` : ''}${p.pids.length === 1 && p.role.startsWith('orchestrator') ? `; CPU by phase: ${Object.entries(r.orchestratorPhases).map(([k, v]) => `${k} ${num(v, 1)} s`).join(', ')}` : ''}`,
  }));
  const l = r.latency;
  rows.push({
    benchmark: `${what}: harness latency`,
    result: `receiver p95 ${l.receiverAnswerP95RealMs === null ? 'n/a' : `${num(l.receiverAnswerP95RealMs, 1)} ms (${num(l.receiverAnswerP95SimSeconds, 1)} s simulated)`}, API p95 ${num(l.apiServerMs.p95, 1)} ms, control p95 ${num(l.controlPlaneServerMs.p95, 1)} ms`,
    target: '',
    status: 'MEASURED',
    notes: `server-side: API p50/p99 ${num(l.apiServerMs.p50, 1)}/${num(l.apiServerMs.p99, 1)} ms over ${num(l.apiServerMs.count)}, control plane p50/p99 ${num(l.controlPlaneServerMs.p50, 1)}/${num(l.controlPlaneServerMs.p99, 1)} ms over ${num(l.controlPlaneServerMs.count)}, ${l.mocksServerMs.count > 0 ? `mocks p95 ${num(l.mocksServerMs.p95, 1)} ms over ${num(l.mocksServerMs.count)}` : 'mocks on their own thread (not timed)'}; load runner's requests p95 ${num(l.loadClientMs?.p95 ?? null, 1)} ms; orchestrator loop lag p99 ${num(l.harnessLagP99Ms, 1)} ms (load and drain)`,
  });
  const f = r.fidelity;
  rows.push({
    benchmark: `${what}: fidelity and verdict`,
    result: `${f.verdict}; ${num(r.ordersPlaced)} orders${r.expectedOrders !== null ? ` of ${num(r.expectedOrders)}` : ''}; dropped arrivals ${num(f.droppedArrivals)}; fidelity problems: ${f.problems.map((p) => p.kind).join(', ') || 'none'}`,
    target: 'faithful, 0 dropped',
    status: f.faithful && (f.droppedArrivals ?? 0) === 0 ? 'FAITHFUL' : 'NOT FAITHFUL',
    // The verifier's warnings restate each problem with its fix, so they alone are printed.
    notes: `${noise}wall ${num(r.wallSeconds, 1)} s (load ${num(r.loadRealSeconds, 1)} s); ${f.warnings.join(' | ') || f.problems.map((p) => `${p.kind}: ${p.text}`).join(' | ') || 'no fidelity problem, no warning'}`,
  });
  if (r.orchestratorSplit) {
    // Shares of the busy time: idle is the event loop waiting, not work.
    const busy = Object.entries(r.orchestratorSplit).filter(([k]) => k !== 'idle');
    const total = busy.reduce((s, [, v]) => s + v, 0);
    rows.push({
      benchmark: `${what}: orchestrator CPU profile (load and drain)`,
      result: busy
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, ms]) => `${k} ${num((100 * ms) / total)}%`)
        .join(', '),
      target: '',
      status: 'MEASURED',
      notes: Object.entries(r.orchestratorSplit)
        .sort((a, b) => b[1] - a[1])
        .map(([k, ms]) => `${k} ${num(ms / 1000, 1)} s`)
        .join('; '),
    });
  }
  return rows;
}
