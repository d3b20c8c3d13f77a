/**
 * `npm run bench`: the simulator's throughput and memory benchmarks, one child process each, then
 * a table on stdout and the figures in bench/results/latest.json (plus a timestamped copy).
 *
 *   npm run bench                          # everything, about 5 minutes
 *   npm run bench -- --only=http,memory    # a subset of: http-inprocess, http-child, https-child, http (all three),
 *                                          # webhooks, webhooks-sustained, memory, load-runner, engine
 *   npm run bench -- --profile             # also CPU-profile the server child (bench/results/profiles/)
 *   npm run bench -- --only=uat-profile    # opt-in, not in the default set: a whole UAT run profiled per
 *                                          # process (bench/uat-profile.ts; BENCH_UAT_* env picks the run)
 *   npm run bench -- --only=order-cost     # opt-in: the simulator's CPU per order (bench/order-cost.ts)
 *   npm run bench -- --only=engine-receiver  # opt-in: the engine's CPU per order and receiver answer time
 *                                          # (bench/engine-receiver.ts; BENCH_ER_* env picks the size)
 *   npm run bench -- --only=prism-orders   # opt-in: the order read against Prism 5.14 side by side,
 *                                          # alternating rounds (bench/prism-orders.ts; BENCH_ROUNDS, BENCH_BEFORE_ROOT)
 *
 * Everything listens on 127.0.0.1 only. See docs/benchmarks.md for what each one measures.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo, RESULTS_DIR, ROOT } from './lib.ts';
import { summarise } from './profile-summary.ts';
import { uatProfileRows, type UatProfileResult } from './uat-profile-lib.ts';

interface BenchSpec {
  id: string;
  group: string;
  file: string;
  args: string[];
  nodeArgs: string[];
  timeoutS: number;
  profiles: boolean;
  env?: Record<string, string>;
  /** Runs only when --only names it, and is not held to the run's budget (its own timeout only). */
  optIn?: boolean;
}

const SPECS: BenchSpec[] = [
  { id: 'http-inprocess', group: 'http', file: 'http-orders.ts', args: ['inprocess'], nodeArgs: [], timeoutS: 75, profiles: false },
  { id: 'http-child', group: 'http', file: 'http-orders.ts', args: ['child'], nodeArgs: [], timeoutS: 75, profiles: true },
  // The same read over HTTPS (`sim --tls`, as https://api.bigcommerce.com): what TLS costs.
  { id: 'https-child', group: 'http', file: 'http-orders.ts', args: ['https'], nodeArgs: [], timeoutS: 75, profiles: true },
  { id: 'webhooks', group: 'webhooks', file: 'webhooks.ts', args: [], nodeArgs: [], timeoutS: 90, profiles: true },
  // The same with three times the callbacks: shows whether the rate holds as the 2-minute
  // denylist window fills (it did not when this was written; see docs/benchmarks.md).
  { id: 'webhooks-sustained', group: 'webhooks', file: 'webhooks.ts', args: [], nodeArgs: [], timeoutS: 90, profiles: true, env: { BENCH_DELIVERIES: '60000', BENCH_DEADLINE: '60', BENCH_NAME: 'webhooks-sustained' } },
  { id: 'memory', group: 'memory', file: 'memory.ts', args: [], nodeArgs: ['--expose-gc'], timeoutS: 120, profiles: false },
  { id: 'load-runner', group: 'load', file: 'load-runner.ts', args: [], nodeArgs: [], timeoutS: 120, profiles: false },
  // The reference engine: API calls per synced order, the highest sustained order rate, its
  // memory through a doorbuster (bench/engine.ts, runEngineBench).
  { id: 'engine', group: 'engine', file: 'engine.ts', args: [], nodeArgs: [], timeoutS: 170, profiles: false },
  // A whole UAT run (issue 15): minutes at small size, 10 to 25 at full size, so opt-in
  // (--only=uat-profile), with its own timeout (BENCH_UAT_TIMEOUT_S, default an hour).
  // The engine's CPU per order and its receiver's answer time (issue 15), a minute or two: opt-in
  // (--only=engine-receiver); BENCH_ER_* env picks the size (bench/engine-receiver.ts).
  { id: 'engine-receiver', group: 'engine-receiver', file: 'engine-receiver.ts', args: [], nodeArgs: [], timeoutS: 600, profiles: false, optIn: true },
  // The order read against Prism 5.14 on the official orders spec (issue 15), alternating rounds
  // of 15 s: about two minutes, so opt-in (--only=prism-orders).
  { id: 'prism-orders', group: 'prism', file: 'prism-orders.ts', args: [], nodeArgs: [], timeoutS: 420, profiles: false, optIn: true },
  // The orchestrator's (simulator's) CPU per order placed, delivered and read (issue 15): seconds,
  // but too noisy on a shared machine to hold to a target, so opt-in (--only=order-cost).
  { id: 'order-cost', group: 'order-cost', file: 'order-cost.ts', args: [], nodeArgs: [], timeoutS: 300, profiles: false, optIn: true },
  { id: 'uat-profile', group: 'uat', file: 'uat-profile.ts', args: [], nodeArgs: [], timeoutS: Number(process.env.BENCH_UAT_TIMEOUT_S) > 0 ? Number(process.env.BENCH_UAT_TIMEOUT_S) : 3600, profiles: false, optIn: true },
];

const argv = process.argv.slice(2);
const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
const profile = argv.includes('--profile');
const unknown = argv.filter((a) => !a.startsWith('--only=') && a !== '--profile');
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}. Use --only=<ids> (${SPECS.map((s) => s.id).join(', ')}, http) and --profile.`);
  process.exit(2);
}
const selected = SPECS.filter((s) => (!only && !s.optIn) || (only && (only.includes(s.id) || only.includes(s.group))));
if (selected.length === 0) {
  console.error(`--only matched nothing; ids: ${SPECS.map((s) => s.id).join(', ')}, http.`);
  process.exit(2);
}

// The whole run stops by itself: each benchmark gets its own timeout, capped by what is left of
// this budget (a normal run takes about 100 s for the simulator's benchmarks, plus the load
// runner's, plus about 110 s for the engine's).
const BUDGET_S = 420;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const profileRoot = join(RESULTS_DIR, 'profiles', stamp);
const running = new Set<number>();
// Process groups a benchmark started besides its own (Prism's), reported over IPC: ended with it.
const extraGroups = new Set<number>();
const killGroups = () => {
  for (const pid of extraGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};

function onSignal(signal: NodeJS.Signals) {
  // Each benchmark runs in its own process group (it may have spawned a simulator): end them.
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  killGroups();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function runOne(spec: BenchSpec, timeoutS: number): Promise<Record<string, any>> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
  let profileDir: string | undefined;
  if (profile && spec.profiles) {
    profileDir = join(profileRoot, spec.id);
    mkdirSync(profileDir, { recursive: true });
    env.BENCH_PROFILE_DIR = profileDir;
  }
  const started = performance.now();
  const child = spawn(process.execPath, [...spec.nodeArgs, '--import', 'tsx', join(ROOT, 'bench', spec.file), ...spec.args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group, so a timeout ends the simulator it spawned as well.
    detached: true,
  });
  running.add(child.pid!);
  let result: Record<string, any> | undefined;
  child.on('message', (m: { type?: string; result?: Record<string, any>; pid?: number }) => {
    if (m?.type === 'result') result = m.result;
    if (m?.type === 'process-group' && typeof m.pid === 'number') extraGroups.add(m.pid);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, timeoutS * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  running.delete(child.pid!);
  // The benchmark stops what it started; after a timeout or a crash, this does.
  killGroups();
  extraGroups.clear();
  const wallS = Math.round((performance.now() - started) / 100) / 10;
  if (!result) return { name: spec.id, error: timedOut ? `timed out after ${timeoutS} s` : `exited with code ${code} and no result`, wallS };
  if (profileDir) {
    const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    // The main thread's profile is the biggest one (tsx also runs a worker thread).
    const main = files.map((f) => join(profileDir!, f)).sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    if (main) {
      result.profile = main;
      console.error(`\n  CPU profile of the ${spec.id} server: ${main}\n${summarise(JSON.parse(readFileSync(main, 'utf8')), 12).replace(/^/gm, '  ')}\n`);
    }
  }
  return { ...result, wallS };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

interface Row {
  benchmark: string;
  result: string;
  target: string;
  status: string;
  notes: string;
}

function rowFor(r: Record<string, any>): Row | Row[] {
  const other = r.cpu?.otherCores;
  const noise = typeof other === 'number' && other >= 0.2 ? `other load on the machine ${fmt(other, 2)} cores; ` : '';
  if (r.error) return { benchmark: r.name, result: `FAILED: ${r.error}`, target: '', status: 'ERROR', notes: '' };
  switch (r.name) {
    case 'http-orders-inprocess':
    case 'http-orders-child':
    case 'http-orders-https': {
      const bad = r.non2xx + r.errors + r.timeouts;
      const cpu = r.mode !== 'inprocess' ? `server ${fmt(r.cpu?.server, 2)} cores, autocannon ${fmt(r.cpu?.loadGenerator, 2)}` : `server+autocannon ${fmt(r.cpu?.serverAndLoadGenerator, 2)} cores`;
      return {
        benchmark: r.mode === 'https' ? 'GET /v2/orders/{id} over HTTPS, server in own process' : r.mode === 'child' ? 'GET /v2/orders/{id}, server in own process' : 'GET /v2/orders/{id}, server in-process',
        result: `${fmt(r.rps)} req/s, p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms`,
        target: `>= ${fmt(r.target)} req/s`,
        status: bad > 0 ? 'ERRORS' : r.rps >= r.target ? 'MET' : 'MISSED',
        notes: `${noise}${fmt(r.requests)} requests in ${fmt(r.durationS, 1)} s, ${r.connections} conns, ${fmt(r.orders)} orders; non-2xx ${r.non2xx}, errors ${r.errors}; quota counted ${fmt(r.quotaCounted)}; ${cpu}`,
      };
    }
    case 'webhooks':
    case 'webhooks-sustained':
      return {
        benchmark: `Webhook deliveries, ${fmt(r.target)} callbacks`,
        result: `${fmt(r.deliveriesPerSecond)} deliveries/s (${fmt(r.received)} in ${fmt(r.seconds, 2)} s)`,
        target: `>= ${fmt(r.targetPerSecond)}/s`,
        status: r.duplicates > 0 || r.badBodies > 0 || (r.outcome === 'reached' && r.pendingAfter !== 0) ? 'ERRORS' : r.outcome === 'reached' && r.deliveriesPerSecond >= r.targetPerSecond ? 'MET' : 'MISSED',
        notes: `${noise}${r.outcome === 'reached' ? '' : `deadline reached before all ${fmt(r.target)} callbacks arrived; `}${r.hooks} hooks x ${fmt(r.orders)} orders; pending afterwards ${fmt(r.pendingAfter)}${r.pendingAfter === 0 ? ` (drained in ${fmt(r.drainMs)} ms)` : ''}; duplicates ${r.duplicates}; callbacks per second ${(r.perSecondSamples as number[]).map((n) => fmt(n)).join(' ')}; server ${fmt(r.cpu?.server, 2)} cores`,
      };
    case 'memory':
      return {
        benchmark: `Memory after ${fmt(r.orders)} typical orders`,
        result: `rss ${fmt(r.after.rssMiB)} MiB, heapUsed ${fmt(r.after.heapUsedMiB)} MiB (after GC), ${fmt(r.seconds, 1)} s`,
        target: `rss < ${fmt(r.targetMiB)} MiB`,
        status: r.failure ? 'ERRORS' : r.after.rssMiB < r.targetMiB ? 'MET' : 'MISSED',
        notes: `${noise}${fmt(r.ordersPerSecond)} orders/s; ${fmt(r.heapPerOrderKiB, 2)} KiB heap per order; old space ${fmt(r.heapSpaces?.old_space?.committedMiB)} MiB committed / ${fmt(r.heapSpaces?.old_space?.usedMiB)} MiB used; peak rss ${fmt(r.peakRssMiB)} MiB; ledger ${fmt(r.ledgerEntries)} entries, ${fmt(r.ledgerFileMiB)} MiB on disk`,
      };
    case 'load-runner':
      return {
        benchmark: 'Embedded k6 runner, 1 request per iteration',
        result: `highest sustained ${fmt(r.highestSustainedRate)} iterations/s; start lag p99 ${r.lagP99AtTargetMs === null ? 'n/a' : `${fmt(r.lagP99AtTargetMs, 2)} ms`} at ${fmt(r.target)}/s`,
        target: `>= ${fmt(r.target)}/s`,
        status: r.highestSustainedRate >= r.target ? 'MET' : 'MISSED',
        notes: `${noise}${(r.steps as { rate: number; started: number; dropped: number; lagMs: { p99: number } }[]).map((step) => `${fmt(step.rate)}/s: ${fmt(step.started)} started, ${fmt(step.dropped)} dropped, lag p99 ${fmt(step.lagMs.p99, 1)} ms`).join('; ')}`,
      };
    case 'prism-orders': {
      const s = r.summary.simulator;
      const p = r.summary.prism;
      const bad = (r.results as { non2xx: number; errors: number; timeouts: number }[]).reduce((n, x) => n + x.non2xx + x.errors + x.timeouts, 0);
      const otherLoad = r.cpu?.otherCoresMax >= 0.2 ? `other load on the machine up to ${fmt(r.cpu.otherCoresMax, 2)} cores; ` : '';
      const before = r.summary['simulator-before'];
      return {
        benchmark: `GET /v2/orders/{id} against Prism 5.14, ${r.rounds} alternating rounds each`,
        result: `simulator ${fmt(s.medianRps)} req/s (p99 ${fmt(s.medianP99)} ms), Prism ${fmt(p.medianRps)} req/s (p99 ${fmt(p.medianP99)} ms): ${fmt(r.ratio.medianRps, 2)}x`,
        target: `>= ${r.target.ratio}x, p99 < ${r.target.p99Ms} ms`,
        status: bad > 0 ? 'ERRORS' : r.ratio.medianRps >= r.target.ratio && s.medianP99 < r.target.p99Ms ? 'MET' : 'MISSED',
        notes: `${otherLoad}medians of ${r.rounds} rounds of ${r.durationS} s, ${r.connections} conns; best simulator ${fmt(s.bestRps)} req/s, best Prism ${fmt(p.bestRps)} req/s (${fmt(r.ratio.bestRps, 2)}x); per-round ratios ${(r.ratio.perRound as number[]).join(', ')}; server CPU per request (median) simulator ${fmt(s.medianCpuUsPerRequest)} us, Prism ${fmt(p.medianCpuUsPerRequest)} us${before ? `; simulator-before (${r.beforeRoot}) median ${fmt(before.medianRps)} req/s, p99 ${fmt(before.medianP99)} ms, ${fmt(before.medianCpuUsPerRequest)} us CPU/request` : ''}; non-2xx/errors/timeouts ${bad}`,
      };
    }
    case 'uat-profile':
      return uatProfileRows(r as UatProfileResult);
    case 'order-cost':
      return {
        benchmark: `Simulator CPU per order placed, delivered and read, ${fmt(r.orders)} orders`,
        result: `${fmt(r.cpuMsPerOrder, 2)} CPU ms/order (user ${fmt(r.userMsPerOrder, 2)}, system ${fmt(r.systemMsPerOrder, 2)})`,
        target: '',
        status: r.failedAttempts > 0 ? 'ERRORS' : 'MEASURED',
        notes: `${noise}${fmt(r.deliveriesPerOrder, 2)} deliveries and ${fmt(r.ledgerLinesPerOrder, 1)} ledger lines per order; ${r.hooks} hooks, concurrency ${r.concurrency}; machine ${fmt(r.machineCores, 2)} cores busy`,
      };
    case 'engine-receiver':
      return (['burst', 'trickle'] as const).map((k) => {
        const p = r[k];
        return {
          benchmark: `Engine: CPU per order and receiver answer, ${k === 'burst' ? `burst of ${fmt(p.orders)}` : `${fmt(p.orders)} orders at ${fmt(p.rate)}/s`}, ${r.timeScale}x`,
          result: `${fmt(p.engineCpuMsPerOrder, 2)} CPU ms/order; engine-side answer p50/p95/p99 ${fmt(p.engineAnswerMs.p50, 2)}/${fmt(p.engineAnswerMs.p95, 2)}/${fmt(p.engineAnswerMs.p99, 2)} ms`,
          target: '',
          status: p.drained ? 'MEASURED' : 'ERRORS',
          notes: `platform-side answer p50/p95/p99 ${fmt(p.platformAnswerMs.p50, 1)}/${fmt(p.platformAnswerMs.p95, 1)}/${fmt(p.platformAnswerMs.p99, 1)} ms over ${fmt(p.callbacks)} callbacks (includes this process's own lag); CPU split user ${fmt(p.engineCpuSplitMsPerOrder.user, 2)}, system ${fmt(p.engineCpuSplitMsPerOrder.system, 2)}, main thread ${fmt(p.engineCpuSplitMsPerOrder.mainThread, 2)} ms/order; idle ${fmt(r.idleCpuMsPerSecond.start, 1)}/${fmt(r.idleCpuMsPerSecond.after, 1)} CPU ms per real s (start/after); load average ${(r.machine.loadAverage as number[]).join(' ')}`,
        };
      });
    case 'engine': {
      const s = r.sustained;
      const last = (s.steps as { ordersPerSecond: number; sustained: boolean; engineCores: number | null; lagSeconds: number | null }[]).at(-1);
      const failed = r.failure ? `${r.failure}; ` : '';
      return [
        {
          benchmark: 'Engine: API calls per synced order, steady',
          result: `${fmt(r.steady.callsPerOrder, 3)} (${fmt(r.steady.apiCalls)} calls, ${fmt(r.steady.orders)} orders)`,
          target: `<= ${fmt(r.steady.target, 1)}`,
          status: r.failure ? 'ERRORS' : r.steady.callsPerOrder <= r.steady.target ? 'MET' : 'MISSED',
          notes: `${failed}one order per simulated second for ${r.steady.simMinutes} simulated minutes at ${r.steady.timeScale}x, Standard plan; ${fmt(r.steady.orderReads)} of the calls read orders, the rest are webhook checks and sweeps`,
        },
        {
          benchmark: `Engine: API calls per synced order, burst of ${fmt(r.burst.orders)}`,
          result: `${fmt(r.burst.callsPerOrder, 3)} (${fmt(r.burst.apiCalls)} calls)`,
          target: `<= ${fmt(r.burst.target, 1)}`,
          status: r.failure ? 'ERRORS' : r.burst.callsPerOrder <= r.burst.target ? 'MET' : 'MISSED',
          notes: `${failed}drained in ${fmt(r.burst.drainRealSeconds, 1)} real s (${fmt(r.burst.drainSimSeconds)} simulated); webhook answers p50 ${fmt(r.burst.webhookAnswerMs.p50, 2)} ms, p99 ${fmt(r.burst.webhookAnswerMs.p99, 2)} ms over ${fmt(r.burst.webhookAnswerMs.callbacks)} callbacks`,
        },
        {
          benchmark: 'Engine: highest order rate sustained, Standard plan, real time',
          result: `${fmt(s.highestOrdersPerSecond)} orders/s`,
          target: `quota ceiling ${fmt(s.quotaCeilingOrdersPerSecond)}/s`,
          status: s.highestOrdersPerSecond > 0 ? 'MEASURED' : 'ERRORS',
          notes: `${s.quotaRequestsPerSecond} requests/s x ${s.ordersPerRequest} orders per request (${fmt(s.engineQuotaCeilingOrdersPerSecond)}/s with the engine's 20% headroom); steps of ${s.stepSeconds} s: ${(s.steps as { ordersPerSecond: number; sustained: boolean; limitedBy: string; placedPerSecond: number; lagSeconds: number | null; engineCores: number | null }[]).map((x) => `${x.ordersPerSecond}/s ${x.sustained ? `ok (lag ${fmt(x.lagSeconds, 1)} s, engine ${fmt(x.engineCores, 2)} cores)` : x.limitedBy === 'engine' ? 'engine fell behind' : `harness placed only ${fmt(x.placedPerSecond)}/s (engine ${fmt(x.engineCores, 2)} cores)`}`).join(', ')}; stopped by: ${s.stoppedBy}${last && last.sustained ? ' (the highest step offered was kept up with)' : ''}`,
        },
        {
          benchmark: `Engine: resident memory through the ${fmt(r.burst.orders)}-order burst`,
          result: `${fmt(r.memory.baselineMiB)} -> peak ${fmt(r.memory.peakMiB)} -> ${fmt(r.memory.endMiB)} MiB`,
          target: `flat, < ${fmt(r.memory.targetMiB)} MiB`,
          status: r.memory.peakMiB < r.memory.targetMiB ? 'MET' : 'MISSED',
          notes: `rss of the engine process (bc-harness engine), ${r.memory.samples} samples every 200 ms`,
        },
      ];
    }
    default:
      return { benchmark: r.name, result: JSON.stringify(r).slice(0, 80), target: '', status: '', notes: '' };
  }
}

function table(rows: Row[]): string {
  const cols: (keyof Row)[] = ['benchmark', 'result', 'target', 'status'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))])) as Record<keyof Row, number>;
  const line = (r: Record<keyof Row, string>) => cols.map((c) => r[c].padEnd(width[c])).join(' | ');
  const header = line({ benchmark: 'Benchmark', result: 'Result', target: 'Target', status: 'Status', notes: '' });
  return [header, cols.map((c) => '-'.repeat(width[c])).join('-|-'), ...rows.map((r) => line(r))].join('\n');
}

async function main() {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const ignore = join(RESULTS_DIR, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  const machine = machineInfo();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'simulator', 'src', 'bin', 'package.json']);
  console.error(`bc-harness benchmarks on ${machine.nproc} x ${machine.cpuModel}, ${machine.memTotal}, node ${machine.node}; commit ${commit}${dirty ? ' (uncommitted changes under simulator/, src/, bin/ or package.json)' : ''}`);
  const t0 = performance.now();
  const results: Record<string, any>[] = [];
  for (const spec of selected) {
    const left = BUDGET_S - (performance.now() - t0) / 1000;
    if (left < 15 && !spec.optIn) {
      results.push({ name: spec.id, error: `skipped: the ${BUDGET_S} s budget of the run is used up` });
      continue;
    }
    console.error(`\n> ${spec.id}`);
    results.push(await runOne(spec, spec.optIn ? spec.timeoutS : Math.min(spec.timeoutS, Math.floor(left))));
  }
  const rows = results.flatMap((r) => rowFor(r));
  const out = {
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
    machine,
    git: { commit, dirty: dirty ? dirty.split('\n') : [] },
    results,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(out, null, 2)}\n`;
  writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
  writeFileSync(join(RESULTS_DIR, `${stamp}.json`), json);

  console.log(`\nbc-harness benchmarks: ${machine.nproc} x ${machine.cpuModel}, ${machine.memTotal} RAM, node ${machine.node}, commit ${commit}${dirty ? '+dirty' : ''}\n`);
  console.log(table(rows));
  console.log('');
  for (const r of rows) if (r.notes) console.log(`- ${r.benchmark}: ${r.notes}`);
  console.log(`\nTotal ${out.wallSeconds} s. Results: ${join('bench', 'results', 'latest.json')} (and ${stamp}.json).`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

await main();
