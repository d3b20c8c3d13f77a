/**
 * The whole-run profile of a UAT (issue 15): runs a scenario against the reference engine through
 * runUat, in this process, and reports per process the CPU seconds per order placed and the
 * event-loop delay, the harness latency that time compression multiplies, and the fidelity verdict.
 *
 *   npm run bench -- --only=uat-profile                 # opt-in; env below picks the run
 *   BENCH_UAT_SCENARIO=doorbuster BENCH_UAT_TIME_SCALE=60 BENCH_UAT_VOLUME_SCALE=0.2 npm run bench -- --only=uat-profile
 *   node --import tsx bench/uat-profile.ts --scenario=flash-sale-10x --time-scale=480 --volume-scale=0.05 [--cpu-prof] [--keep]
 *
 * Env (flags win): BENCH_UAT_SCENARIO (flash-sale-10x), BENCH_UAT_TIME_SCALE (144),
 * BENCH_UAT_VOLUME_SCALE (the scenario's full volume), BENCH_UAT_RUNNER (embedded),
 * BENCH_UAT_CPU_PROF=1 (profile this process during load and drain, split by module path, and
 * every Node child for its whole life: bench/results/profiles/uat-profile-children-<time>/<pid>.cpuprofile;
 * `node --import tsx bench/profile-summary.ts FILE --stretches=30` lists what blocked a loop),
 * BENCH_UAT_KEEP=1 (keep the run directory; it is deleted otherwise).
 *
 * Which processes there are (src/uat/orchestrator.ts): the simulator, the mocks and the alert
 * sink run inside the orchestrator, which is this process; the engine and the load runner are its
 * children. So "orchestrator" is the simulator, the mocks and the UAT's own work together;
 * --cpu-prof separates them. Children's CPU comes from /proc/<pid>/stat sampled every 500 ms (the
 * last sample before exit) and, for Node children, from a preload that also measures their
 * event-loop delay (bench/loop-delay-preload.cjs) and writes both at exit.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { DEFAULTS, type UatOptions } from '../src/uat/config.ts';
import { runUat, waitForQuiet, type UatStages } from '../src/uat/orchestrator.ts';
import { startSimulator } from '../simulator/index.ts';
import { startIntegration } from '../src/uat/integration-process.ts';
import { runLoad } from '../src/uat/load-process.ts';
import { verifyRunDirectory } from '../src/verify/verify-run-directory.ts';
import { tapLedger, type Ledger } from '../lib/ledger.ts';
import { log, machineJiffies, report, RESULTS_DIR, ROOT, round } from './lib.ts';
import { attributeProfile, bucketOfUrl, classifyProcess, parseProcStat, perOrder, summariseLatencies, type CpuProfile, type ProcessFigures, type ProcessRole, type UatProfileResult } from './uat-profile-lib.ts';

// ---- configuration ----

function config() {
  const flags = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !['scenario', 'time-scale', 'volume-scale', 'runner', 'cpu-prof', 'keep'].includes(m[1]!)) {
      console.error(`Unknown argument ${a}: use --scenario=NAME, --time-scale=N, --volume-scale=N, --runner=embedded|k6|auto, --cpu-prof, --keep.`);
      process.exit(2);
    }
    flags.set(m[1]!, m[2] ?? '1');
  }
  const pick = (flag: string, env: string) => flags.get(flag) ?? process.env[env];
  const positive = (flag: string, env: string, fallback: number | undefined) => {
    const raw = pick(flag, env);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      console.error(`--${flag} / ${env} must be a positive number; got "${raw}".`);
      process.exit(2);
    }
    return n;
  };
  const runner = pick('runner', 'BENCH_UAT_RUNNER') ?? 'embedded';
  if (!['embedded', 'k6', 'auto'].includes(runner)) {
    console.error(`--runner / BENCH_UAT_RUNNER must be embedded, k6 or auto; got "${runner}".`);
    process.exit(2);
  }
  return {
    scenario: pick('scenario', 'BENCH_UAT_SCENARIO') ?? 'flash-sale-10x',
    timeScale: positive('time-scale', 'BENCH_UAT_TIME_SCALE', 144)!,
    volumeScale: positive('volume-scale', 'BENCH_UAT_VOLUME_SCALE', undefined),
    runner: runner as UatOptions['runner'],
    cpuProf: ['1', 'true'].includes(pick('cpu-prof', 'BENCH_UAT_CPU_PROF') ?? ''),
    keep: ['1', 'true'].includes(pick('keep', 'BENCH_UAT_KEEP') ?? ''),
  };
}

// ---- the children, from /proc ----

interface Sampled {
  pid: number;
  ppid: number;
  argv: string[];
  role: ProcessRole;
  cpuSeconds: number;
}

function readStat(pid: number) {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Direct children of a process, over all its threads (/proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    // The process ended meanwhile.
  }
  return out;
}

/**
 * Samples every descendant of this process every 500 ms and keeps each one's last CPU reading:
 * a child's /proc entry goes when it is reaped, so the last sample is at most 500 ms short.
 */
function createChildSampler(rolesByPid: Map<number, ProcessRole>) {
  const seen = new Map<number, Sampled>();
  const sample = () => {
    const queue = childrenOf(process.pid).map((pid) => ({ pid, parentRole: undefined as ProcessRole | undefined }));
    while (queue.length > 0) {
      const { pid, parentRole } = queue.shift()!;
      const stat = readStat(pid);
      if (!stat) continue;
      let entry = seen.get(pid);
      if (!entry) {
        let argv: string[] = [];
        try {
          argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        } catch {
          // Gone already.
        }
        const own = rolesByPid.get(pid) ?? classifyProcess(argv);
        entry = { pid, ppid: stat.ppid, argv, role: own === 'other' && parentRole ? parentRole : own, cpuSeconds: 0 };
        seen.set(pid, entry);
      }
      entry.cpuSeconds = stat.cpuSeconds;
      for (const c of childrenOf(pid)) queue.push({ pid: c, parentRole: entry.role });
    }
  };
  const timer = setInterval(sample, 500);
  timer.unref();
  sample();
  return {
    seen,
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

// ---- the servers in this process: per-request time by surface ----

function timeRequests(server: Server, classify: (url: string) => string, into: Record<string, number[]>) {
  // Prepended so the clock starts before express handles the request.
  server.prependListener('request', (req, res) => {
    const started = performance.now();
    const surface = classify(req.url ?? '');
    res.once('finish', () => (into[surface] ??= []).push(round(performance.now() - started, 2)));
  });
}

const roundOrNull = (n: unknown, digits = 1) => (typeof n === 'number' && Number.isFinite(n) ? round(n, digits) : null);

// ---- the run ----

async function main() {
  const c = config();
  const work = mkdtempSync(join(tmpdir(), 'bc-uat-profile-'));
  const out = join(work, 'run');
  const loopDir = join(work, 'loop-delay');
  mkdirSync(loopDir);
  // Children inherit this process's environment (integration-process.ts, load-process.ts).
  process.env.BENCH_LOOP_DELAY_DIR = loopDir;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require "${join(ROOT, 'bench', 'loop-delay-preload.cjs')}"`.trim();
  // With --cpu-prof every Node child (engine, load runner) is profiled too, whole life, by the preload.
  const childProfiles = c.cpuProf ? join(ROOT, 'bench', 'results', 'profiles', `uat-profile-children-${new Date().toISOString().replace(/[:.]/g, '-')}`) : undefined;
  if (childProfiles) {
    mkdirSync(childProfiles, { recursive: true });
    process.env.BENCH_CHILD_PROFILE_DIR = childProfiles;
  }

  const rolesByPid = new Map<number, ProcessRole>();
  const latencies: Record<string, number[]> = {};
  const apiDurations: number[] = [];
  let ordersPlaced = 0;
  const cpuMarks: { phase: string; usage: NodeJS.CpuUsage }[] = [];
  const mark = (phase: string) => cpuMarks.push({ phase, usage: process.cpuUsage() });
  let session: Session | undefined;
  let profile: CpuProfile | undefined;

  const tap = (inner: Ledger): Ledger =>
    tapLedger(inner, (entry) => {
      const e = entry as { kind: string; durationMs?: unknown; resource?: unknown };
      if (e.kind === 'api:request' && typeof e.durationMs === 'number') apiDurations.push(e.durationMs);
      else if (e.kind === 'resource:created' && e.resource === 'order') ordersPlaced++;
    });

  const stages: Partial<UatStages> = {
    startSimulator: async (options) => {
      const running = await startSimulator({ ...options, ...(options?.ledger ? { ledger: tap(options.ledger) } : {}) });
      timeRequests(running.server, (url) => (url.startsWith('/__sim') ? 'control' : url.startsWith('/stores/') ? 'api' : 'other'), latencies);
      return running;
    },
    startIntegration: async (options) => {
      const running = await startIntegration(options);
      if (running.pid !== undefined) rolesByPid.set(running.pid, 'engine');
      return running;
    },
    runLoad: async (options) => {
      mark('setup');
      if (c.cpuProf) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      try {
        return await runLoad(options);
      } finally {
        mark('load');
      }
    },
    drain: async (options) => {
      try {
        return await waitForQuiet(options);
      } finally {
        mark('drain');
        if (session) {
          profile = (await session.post('Profiler.stop')).profile as unknown as CpuProfile;
          session.disconnect();
        }
      }
    },
    verifyAndReport: async (runDir, options) => {
      mark('stop');
      try {
        return await verifyRunDirectory(runDir, options);
      } finally {
        mark('verify and report');
      }
    },
  };

  const options: UatOptions = {
    scenario: c.scenario,
    integration: 'reference',
    plan: DEFAULTS.plan,
    timeScale: c.timeScale,
    ...(c.volumeScale !== undefined ? { volumeScale: c.volumeScale } : {}),
    seed: DEFAULTS.seed,
    out,
    runner: c.runner,
    scenarioEnv: {},
    readyTimeoutMs: DEFAULTS.readyTimeoutMs,
    products: DEFAULTS.products,
    customers: DEFAULTS.customers,
    pastOrders: DEFAULTS.pastOrders,
  };

  log(`uat-profile: ${c.scenario} at ${c.timeScale}x${c.volumeScale !== undefined ? `, volume ${c.volumeScale}` : ''}, runner ${c.runner}, reference engine; run directory ${out}`);
  const m0 = machineJiffies();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  cpuMarks.push({ phase: 'start', usage: cpu0 });
  const children = createChildSampler(rolesByPid);
  const result = await runUat(options, { log: (line) => log(line), stages });
  children.stop();
  const cpuEnd = process.cpuUsage();
  const wallSeconds = (performance.now() - t0) / 1000;
  const m1 = machineJiffies();

  // ---- per process ----
  const exits = new Map<number, { p99Ms: number | null; maxMs: number | null; cpuSeconds: number }>();
  for (const f of readdirSync(loopDir)) {
    try {
      const e = JSON.parse(readFileSync(join(loopDir, f), 'utf8'));
      exits.set(e.pid, e);
    } catch {
      // A half-written file: the /proc sample stands.
    }
  }
  const runJson = existsSync(join(out, 'run.json')) ? JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) : undefined;
  const orchestratorCpu = (cpuEnd.user + cpuEnd.system - cpu0.user - cpu0.system) / 1e6;
  const processes: ProcessFigures[] = [
    {
      role: 'orchestrator (simulator, mocks, alert sink, UAT)',
      pids: [process.pid],
      cpuSeconds: round(orchestratorCpu, 2),
      cpuSecondsPerOrder: perOrder(orchestratorCpu, ordersPlaced),
      loopDelayP99Ms: roundOrNull(runJson?.harness?.eventLoopLagP99Ms),
      loopDelayMaxMs: roundOrNull(runJson?.harness?.eventLoopLagMaxMs),
      source: 'process.cpuUsage() over the whole run (incl. verify); loop delay from run.json (load and drain)',
    },
  ];
  for (const role of ['engine', 'load-runner', 'other'] as const) {
    const group = [...children.seen.values()].filter((s) => s.role === role);
    if (group.length === 0) continue;
    let cpu = 0;
    let fromExit = 0;
    let p99: number | null = null;
    let max: number | null = null;
    for (const s of group) {
      const e = exits.get(s.pid);
      // The preload's figure is taken at exit, so it is never short of the last /proc sample.
      cpu += e ? Math.max(e.cpuSeconds, s.cpuSeconds) : s.cpuSeconds;
      if (e) {
        fromExit++;
        if (e.p99Ms !== null) p99 = Math.max(p99 ?? 0, e.p99Ms);
        if (e.maxMs !== null) max = Math.max(max ?? 0, e.maxMs);
      }
    }
    processes.push({
      role,
      pids: group.map((s) => s.pid),
      cpuSeconds: round(cpu, 2),
      cpuSecondsPerOrder: perOrder(cpu, ordersPlaced),
      loopDelayP99Ms: p99 === null ? null : round(p99, 1),
      loopDelayMaxMs: max === null ? null : round(max, 1),
      source: `${group.map((s) => s.argv.slice(1, 4).join(' ').replaceAll(`${ROOT}/`, '').slice(0, 60)).join('; ')}; CPU ${fromExit === group.length ? 'at exit (preload)' : `/proc last sample${fromExit > 0 ? ` (${fromExit} of ${group.length} at exit)` : ''}`}, whole life; loop delay over its whole life`,
    });
  }
  // The exact total of every child this process has reaped (cutime + cstime), a check on the sum above.
  const self = readStat(process.pid);
  const childrenExact = self ? round(self.childrenCpuSeconds, 2) : null;

  // ---- phases of the orchestrator's CPU ----
  const phases: Record<string, number> = {};
  for (let i = 1; i < cpuMarks.length; i++) {
    const a = cpuMarks[i - 1]!.usage;
    const b = cpuMarks[i]!.usage;
    phases[cpuMarks[i]!.phase] = round((b.user + b.system - a.user - a.system) / 1e6, 2);
  }

  let profileFile: string | undefined;
  let split: Record<string, number> | undefined;
  if (profile) {
    const dir = join(RESULTS_DIR, 'profiles');
    mkdirSync(dir, { recursive: true });
    profileFile = join(dir, `uat-profile-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    writeFileSync(profileFile, JSON.stringify(profile));
    split = Object.fromEntries(Object.entries(attributeProfile(profile, (url) => bucketOfUrl(url, ROOT))).map(([k, v]) => [k, Math.round(v)]));
  }

  // ---- latency and fidelity ----
  const v = result.verification;
  const receiver = v?.fidelity.receiverAnswerP95RealMs ?? null;
  let loadClient: UatProfileResult['latency']['loadClientMs'] = null;
  try {
    const m = JSON.parse(readFileSync(join(out, 'load-summary.json'), 'utf8')).metrics?.http_req_duration;
    if (m) loadClient = { p95: roundOrNull(m['p(95)'], 2), med: roundOrNull(m.med, 2), max: roundOrNull(m.max, 2) };
  } catch {
    // No summary: the load did not run.
  }
  const load = v?.fidelity.load as { droppedIterations?: number; expectedOrders?: number } | null | undefined;
  const ours = orchestratorCpu + (childrenExact ?? 0);
  const cores = m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * availableParallelism() : null;
  const machineCores = cores === null ? null : round(cores, 2);
  const figures: UatProfileResult = {
    name: 'uat-profile',
    scenario: c.scenario,
    timeScale: c.timeScale,
    volumeScale: c.volumeScale ?? null,
    runner: runJson?.load?.runner ?? c.runner,
    ordersPlaced,
    expectedOrders: load?.expectedOrders ?? null,
    wallSeconds: round(wallSeconds, 1),
    loadRealSeconds: runJson?.load?.realSeconds ?? null,
    processes,
    orchestratorPhases: phases,
    ...(split ? { orchestratorSplit: split } : {}),
    childrenCpuSecondsExact: childrenExact,
    latency: {
      receiverAnswerP95RealMs: receiver === null ? null : round(receiver, 1),
      receiverAnswerP95SimSeconds: receiver === null ? null : round((receiver * c.timeScale) / 1000, 1),
      harnessLagP99Ms: roundOrNull(runJson?.harness?.eventLoopLagP99Ms),
      apiServerMs: summariseLatencies(apiDurations),
      controlPlaneServerMs: summariseLatencies(latencies.control ?? []),
      mocksServerMs: summariseLatencies(latencies.mocks ?? []),
      loadClientMs: loadClient,
    },
    fidelity: {
      verdict: result.verdict,
      faithful: v ? v.fidelity.faithful : null,
      droppedArrivals: load?.droppedIterations ?? null,
      problems: (v?.fidelity.problems ?? []).map((p) => ({ kind: p.kind, text: p.text })),
      warnings: v?.fidelity.warnings ?? (result.error ? [`no verification: ${result.error}`] : []),
    },
    cpu: { machineCores, otherCores: machineCores === null ? null : round(Math.max(0, machineCores - ours / wallSeconds), 2) },
    ...(c.keep ? { runDir: out } : {}),
    ...(profileFile ? { profile: profileFile } : {}),
    ...(childProfiles && existsSync(childProfiles)
      ? {
          childProfiles: readdirSync(childProfiles)
            .filter((f) => f.endsWith('.cpuprofile'))
            .map((f) => {
              const pid = Number(f.replace('.cpuprofile', ''));
              let argv: string[] = [];
              try {
                argv = (JSON.parse(readFileSync(join(loopDir, `${pid}.json`), 'utf8')) as { argv?: string[] }).argv ?? [];
              } catch {
                // No loop-delay record for it: its role stays unknown.
              }
              return { pid, role: rolesByPid.get(pid) ?? classifyProcess(argv), file: join(childProfiles, f) };
            }),
        }
      : {}),
  };
  if (!c.keep) rmSync(work, { recursive: true, force: true });
  report(figures);
}

await main();
