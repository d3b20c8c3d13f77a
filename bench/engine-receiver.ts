/**
 * The reference engine's cost per order and its receiver's answer time (issue 15). At 144x every
 * real millisecond the receiver takes is 144 simulated ones, and the engine shares two cores with
 * the simulator and the load runner, so these two figures decide whether a compressed run is
 * faithful.
 *
 * The simulator (Standard plan) and the mocks run in this process, the engine as the real command
 * in a child (bench/engine.ts, startWorld), so the engine's CPU is its own: /proc/<pid>/stat
 * before and after each phase, divided by the orders. CPU time, not wall time: the machine is
 * shared, and CPU per order is what another engineer's test run disturbs least.
 *
 * Two phases, each ending when every order is in the ERP and the engine's outbox holds nothing
 * pending (the 3PL and marketing writes done too):
 * - burst: N orders placed at once (the doorbuster);
 * - trickle: M orders at R orders per real second (a flash sale at 144x is about 8 a second).
 *
 * Receiver answer time, two views: the platform's (`durationMs` of the simulator's delivery
 * attempts, what the verifier's `receiverAnswerP95RealMs` reads; it includes this process's own
 * event-loop lag) and the engine's (`bc_engine_webhook_answer_seconds`, handler to 200,
 * interpolated within its histogram buckets as Prometheus' histogram_quantile does).
 *
 *   node --import tsx bench/engine-receiver.ts [--orders=2000] [--trickle=600] [--rate=20] [--time-scale=144] [--idle=5] [--cpu-prof]
 *   npm run bench -- --only=engine-receiver   # opt-in
 *
 * Env (the flags win): BENCH_ER_ORDERS, BENCH_ER_TRICKLE, BENCH_ER_RATE, BENCH_ER_TIME_SCALE, BENCH_ER_IDLE_S
 * (seconds of each idle measurement, default 5),
 * BENCH_ER_CPU_PROF=1 (the engine runs under --cpu-prof; the profile is summarised on stderr
 * with bench/profile-summary.ts and kept under bench/results/profiles/).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delivered, percentile, place, startWorld, waitFor, type World } from './engine.ts';
import { log, machineInfo, processCpuSeconds, report, RESULTS_DIR, round, type MachineInfo } from './lib.ts';
import { summarise } from './profile-summary.ts';

export interface Quantiles {
  p50: number;
  p95: number;
  p99: number;
  max?: number;
  count: number;
}

export interface PhaseResult {
  orders: number;
  /** Orders per real second asked for (trickle) or null (all at once). */
  rate: number | null;
  engineCpuMs: number;
  engineCpuMsPerOrder: number;
  /** The same split: user and system time, and what the main thread used (ms per order). */
  engineCpuSplitMsPerOrder: { user: number; system: number; mainThread: number };
  callbacks: number;
  /** The platform's view (simulator delivery attempts), real ms. */
  platformAnswerMs: Quantiles;
  /** The engine's own view (handler to 200), real ms, interpolated in histogram buckets. */
  engineAnswerMs: Quantiles;
  drainRealSeconds: number;
  drained: boolean;
}

export interface EngineReceiverResult {
  name: 'engine-receiver';
  timeScale: number;
  machine: MachineInfo & { loadAverage: number[] };
  /**
   * Engine CPU while nothing is placed (sweeps, hook checks, timers), ms per real second: at
   * start (before any order) and after both phases (the outbox full of what they delivered). At a
   * high time scale this per-simulated-time cost, not the per-order one, is most of a long run's.
   */
  idleCpuMsPerSecond: { start: number; after: number; seconds: number };
  burst: PhaseResult;
  trickle: PhaseResult;
  profile: string | null;
  failure: string | null;
}

const arg = (name: string, env: string, fallback: number) => {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = Number(flag ? flag.slice(name.length + 3) : (process.env[env] ?? fallback));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} (${env}) must be a positive number, not ${flag ?? process.env[env]}.`);
  return value;
};

/** Cumulative bucket counts of the engine's answer histogram, from its /metrics. */
async function answerBuckets(w: World): Promise<{ le: number; n: number }[]> {
  const text = await (await fetch(w.metricsUrl)).text();
  const out: { le: number; n: number }[] = [];
  for (const m of text.matchAll(/^bc_engine_webhook_answer_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)) out.push({ le: m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), n: Number(m[2]) });
  return out;
}

/** Quantiles of the answers between two readings, linear within a bucket (histogram_quantile). */
export function bucketQuantiles(before: { le: number; n: number }[], after: { le: number; n: number }[]): Quantiles {
  const counts = after.map((b, i) => ({ le: b.le, n: b.n - (before[i]?.n ?? 0) }));
  const total = counts.at(-1)?.n ?? 0;
  const q = (p: number) => {
    if (total === 0) return 0;
    const rank = p * total;
    let lower = 0;
    let below = 0;
    for (const b of counts) {
      if (b.n >= rank) {
        // Past the last finite bound there is nothing to interpolate towards: report the bound.
        if (!Number.isFinite(b.le)) return lower * 1000;
        return (lower + ((b.le - lower) * (rank - below)) / Math.max(1, b.n - below)) * 1000;
      }
      if (Number.isFinite(b.le)) lower = b.le;
      below = b.n;
    }
    return lower * 1000;
  };
  return { p50: round(q(0.5), 2), p95: round(q(0.95), 2), p99: round(q(0.99), 2), count: total };
}

/** Undelivered outbox records (pending or in flight), from the engine's gauges. */
async function outboxOpen(w: World): Promise<number> {
  const text = await (await fetch(w.metricsUrl)).text();
  let n = 0;
  for (const m of text.matchAll(/^bc_engine_outbox_records\{target="[^"]+",state="(pending|inflight)"\} (\S+)$/gm)) n += Number(m[2]);
  const inbox = Number(/^bc_engine_inbox_new (\S+)$/m.exec(text)?.[1] ?? 0);
  return n + inbox;
}

/**
 * The engine's CPU split three ways, in seconds: user and system time of the whole process, and
 * the main thread's share (the rest is V8's GC helpers, libuv's pool and the like).
 */
function cpuSplit(pid: number): { user: number; system: number; main: number } {
  const fields = (text: string) => text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  try {
    const f = fields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const m = fields(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    // utime and stime are fields 14 and 15 of proc(5), in clock ticks (100 a second on Linux).
    return { user: Number(f[11]) / 100, system: Number(f[12]) / 100, main: (Number(m[11]) + Number(m[12])) / 100 };
  } catch {
    return { user: Number.NaN, system: Number.NaN, main: Number.NaN };
  }
}

/** The engine's CPU over `seconds` of nothing placed, ms per real second. */
async function idleCpu(w: World, seconds: number): Promise<number> {
  const c0 = processCpuSeconds(w.engine.pid!) ?? Number.NaN;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return round((((processCpuSeconds(w.engine.pid!) ?? Number.NaN) - c0) * 1000) / seconds, 1);
}

async function phase(w: World, orders: number, rate: number | null): Promise<PhaseResult> {
  const answers: number[] = [];
  const off = w.sim.running.sim.bus.on('webhook:attempt', (e) => {
    if (e.outcome === 'delivered') answers.push(e.durationMs);
  });
  const buckets0 = await answerBuckets(w);
  const cpu0 = processCpuSeconds(w.engine.pid!) ?? Number.NaN;
  const split0 = cpuSplit(w.engine.pid!);
  const t0 = performance.now();
  const ids: number[] = [];
  if (rate === null) ids.push(...(await place(w, orders)));
  else {
    // Ten placements a second, each a tenth of the rate.
    const per = Math.max(1, Math.round(rate / 10));
    for (let tick = 0; ids.length < orders; tick++) {
      ids.push(...(await place(w, Math.min(per, orders - ids.length))));
      const due = t0 + ((tick + 1) * 1000 * per) / rate;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    }
  }
  const inErp = await waitFor(() => delivered(w, ids) === ids.length, 180_000, 100);
  let open = await outboxOpen(w);
  for (const until = performance.now() + 60_000; open > 0 && performance.now() < until; open = await outboxOpen(w)) await new Promise((r) => setTimeout(r, 100));
  const cpu1 = processCpuSeconds(w.engine.pid!) ?? Number.NaN;
  const split1 = cpuSplit(w.engine.pid!);
  const drainRealSeconds = (performance.now() - t0) / 1000;
  off();
  answers.sort((a, b) => a - b);
  const engineCpuMs = (cpu1 - cpu0) * 1000;
  return {
    orders: ids.length,
    rate,
    engineCpuMs: round(engineCpuMs, 0),
    engineCpuMsPerOrder: round(engineCpuMs / Math.max(1, ids.length), 2),
    engineCpuSplitMsPerOrder: {
      user: round(((split1.user - split0.user) * 1000) / Math.max(1, ids.length), 2),
      system: round(((split1.system - split0.system) * 1000) / Math.max(1, ids.length), 2),
      mainThread: round(((split1.main - split0.main) * 1000) / Math.max(1, ids.length), 2),
    },
    callbacks: answers.length,
    platformAnswerMs: { p50: round(percentile(answers, 50), 2), p95: round(percentile(answers, 95), 2), p99: round(percentile(answers, 99), 2), max: round(answers.at(-1) ?? 0, 2), count: answers.length },
    engineAnswerMs: bucketQuantiles(buckets0, await answerBuckets(w)),
    drainRealSeconds: round(drainRealSeconds, 1),
    drained: inErp && open === 0,
  };
}

export async function runEngineReceiverBench(): Promise<EngineReceiverResult> {
  const burst = arg('orders', 'BENCH_ER_ORDERS', 2000);
  const trickle = arg('trickle', 'BENCH_ER_TRICKLE', 600);
  const rate = arg('rate', 'BENCH_ER_RATE', 20);
  const timeScale = arg('time-scale', 'BENCH_ER_TIME_SCALE', 144);
  const idleSeconds = arg('idle', 'BENCH_ER_IDLE_S', 5);
  const cpuProf = process.argv.includes('--cpu-prof') || process.env.BENCH_ER_CPU_PROF === '1';
  const profDir = join(RESULTS_DIR, 'profiles', `engine-receiver-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const w = await startWorld(timeScale, cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {});
  let result: EngineReceiverResult | undefined;
  try {
    // Start-up settles (hooks checked, first sweep), then a quiet second for the per-time cost.
    await new Promise((r) => setTimeout(r, 1500));
    const idleStart = await idleCpu(w, idleSeconds);
    log(`[engine-receiver] ${timeScale}x; burst of ${burst} orders`);
    const b = await phase(w, burst, null);
    log(`[engine-receiver] burst: ${b.engineCpuMsPerOrder} engine CPU ms/order (${b.engineCpuSplitMsPerOrder.user} user, ${b.engineCpuSplitMsPerOrder.system} system, ${b.engineCpuSplitMsPerOrder.mainThread} main thread); answers platform p50/p95/p99 ${b.platformAnswerMs.p50}/${b.platformAnswerMs.p95}/${b.platformAnswerMs.p99} ms, engine ${b.engineAnswerMs.p50}/${b.engineAnswerMs.p95}/${b.engineAnswerMs.p99} ms over ${b.callbacks} callbacks; drained ${b.drained} in ${b.drainRealSeconds} s`);
    log(`[engine-receiver] trickle: ${trickle} orders at ${rate}/s`);
    const t = await phase(w, trickle, rate);
    log(`[engine-receiver] trickle: ${t.engineCpuMsPerOrder} engine CPU ms/order (${t.engineCpuSplitMsPerOrder.user} user, ${t.engineCpuSplitMsPerOrder.system} system, ${t.engineCpuSplitMsPerOrder.mainThread} main thread); answers platform p50/p95/p99 ${t.platformAnswerMs.p50}/${t.platformAnswerMs.p95}/${t.platformAnswerMs.p99} ms, engine ${t.engineAnswerMs.p50}/${t.engineAnswerMs.p95}/${t.engineAnswerMs.p99} ms over ${t.callbacks} callbacks; drained ${t.drained} in ${t.drainRealSeconds} s`);
    const idleAfter = await idleCpu(w, idleSeconds);
    log(`[engine-receiver] idle: ${idleStart} CPU ms per real second at start, ${idleAfter} after the phases`);
    const failure = [b, t].filter((p) => !p.drained).map((p) => `${p.rate === null ? 'burst' : 'trickle'}: not every order reached its targets`).join('; ') || null;
    result = { name: 'engine-receiver', timeScale, machine: { ...machineInfo(), loadAverage: loadavg().map((l) => round(l, 2)) }, idleCpuMsPerSecond: { start: idleStart, after: idleAfter, seconds: idleSeconds }, burst: b, trickle: t, profile: null, failure };
  } finally {
    await w.close();
  }
  if (cpuProf) {
    // The engine wrote its profile when SIGTERM made it exit.
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const kept = join(profDir, 'engine.cpuprofile');
      renameSync(join(profDir, file), kept);
      result.profile = kept;
      log(summarise(JSON.parse(readFileSync(kept, 'utf8')), 30));
    } else log('[engine-receiver] the engine wrote no .cpuprofile');
  }
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  report(await runEngineReceiverBench());
}
