/**
 * Benchmark: the embedded k6 runner's highest sustained arrival rate and its scheduling accuracy.
 *
 * A constant-arrival-rate k6 script (one `http.asyncRequest` GET per iteration) runs for a few
 * seconds at each of a rising list of rates against a trivial HTTP endpoint in its own process
 * (the target should not share the runner's event loop, as a real target would not). A rate is
 * "sustained" when at most 1% of its arrivals were dropped (no free VU), the p99 start lag stays
 * under 50 ms, and the run ended within 10% of its planned duration (no backlog). The start lag is
 * the actual start of each iteration minus its scheduled start.
 *
 *   node --import tsx bench/load-runner.ts
 *
 * Env: BENCH_LOAD_RATES (default 2000,5000,8000,10000,15000,20000,25000,30000), BENCH_LOAD_SECONDS (5).
 * Exported as `runLoadRunnerBench()` for bench/run.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runK6Script } from '../src/load/runner.ts';
import { cpuWindow, log, machineInfo, report, round } from './lib.ts';

export interface LoadRunnerStep {
  rate: number;
  scheduled: number;
  started: number;
  dropped: number;
  droppedShare: number;
  durationS: number;
  lagMs: { p50: number; p99: number; max: number };
  httpMedianMs: number;
  failedRequests: number;
  cpu: Record<string, number | null>;
  sustained: boolean;
}

export interface LoadRunnerBenchResult {
  name: 'load-runner';
  /** Iterations per second aimed for (the issue: 5,000 with one request each on 2 cores). */
  target: number;
  highestSustainedRate: number;
  /** Start lag p99 at the target rate (or the highest sustained one if the target was not reached). */
  lagP99AtTargetMs: number | null;
  seconds: number;
  steps: LoadRunnerStep[];
  machine: ReturnType<typeof machineInfo>;
}

const SUSTAINED = { maxDroppedShare: 0.01, maxLagP99Ms: 50, maxOverrun: 0.1 };

// The target: a keep-alive HTTP server answering a small JSON body, nothing else.
const TARGET_SOURCE = `
const http = require('node:http');
const body = Buffer.from('{"ok":true}');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

// One request per iteration; pre-allocated VUs cover 20 ms iterations, maxVUs 100 ms.
const SCRIPT_SOURCE = `import http from 'k6/http';
const RATE = Number(__ENV.RATE);
export const options = {
  scenarios: {
    bench: { executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: __ENV.DURATION, preAllocatedVUs: Math.ceil(RATE / 50), maxVUs: Math.ceil(RATE / 10) },
  },
};
export default async function () {
  await http.asyncRequest('GET', __ENV.TARGET_URL);
}
`;

async function startTarget(): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', TARGET_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`Failed to start the benchmark target: it exited with code ${code}.`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function runLoadRunnerBench(options: { rates?: number[]; seconds?: number } = {}): Promise<LoadRunnerBenchResult> {
  const rates = options.rates ?? (process.env.BENCH_LOAD_RATES ?? '2000,5000,8000,10000,15000,20000,25000,30000').split(',').map(Number);
  const seconds = options.seconds ?? Number(process.env.BENCH_LOAD_SECONDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-runner-'));
  const script = join(dir, 'arrival-rate.js');
  writeFileSync(script, SCRIPT_SOURCE);
  const target = await startTarget();
  const quiet = { write() {}, isTTY: false };
  const steps: LoadRunnerStep[] = [];
  try {
    // Warm-up (JIT, connections), not measured.
    await runK6Script({ script, env: { RATE: '1000', DURATION: '1s', TARGET_URL: target.url }, stdout: quiet, stderr: quiet, progress: false });
    let failuresInARow = 0;
    for (const rate of rates) {
      log(`[load-runner] ${rate} iterations/s for ${seconds} s`);
      const cpu = cpuWindow({ runner: process.pid, target: target.pid });
      const result = await runK6Script({ script, env: { RATE: String(rate), DURATION: `${seconds}s`, TARGET_URL: target.url }, stdout: quiet, stderr: quiet, progress: false });
      const used = cpu();
      const metrics = result.summary?.metrics ?? {};
      const scheduled = rate * seconds + 1;
      const lag = result.schedulingLag ?? { p50: 0, p99: 0, max: 0, count: 0 };
      const droppedShare = result.dropped / scheduled;
      const durationS = result.testRunDurationMs / 1000;
      const sustained = result.exitCode === 0 && droppedShare <= SUSTAINED.maxDroppedShare && lag.p99 <= SUSTAINED.maxLagP99Ms && durationS <= seconds * (1 + SUSTAINED.maxOverrun);
      const step: LoadRunnerStep = {
        rate,
        scheduled,
        started: result.complete,
        dropped: result.dropped,
        droppedShare: round(droppedShare, 4),
        durationS: round(durationS, 2),
        lagMs: { p50: round(lag.p50, 2), p99: round(lag.p99, 2), max: round(lag.max, 1) },
        httpMedianMs: round(metrics.http_req_duration?.values.med ?? 0, 3),
        failedRequests: metrics.http_req_failed?.values.passes ?? 0,
        cpu: { runner: (used as Record<string, number | null>).runner ?? null, target: (used as Record<string, number | null>).target ?? null, machine: used.machineCores, other: used.otherCores },
        sustained,
      };
      steps.push(step);
      log(`[load-runner]   started ${step.started}, dropped ${step.dropped} (${(droppedShare * 100).toFixed(2)}%), lag p50 ${step.lagMs.p50} ms p99 ${step.lagMs.p99} ms, runner ${step.cpu.runner} cores -> ${sustained ? 'sustained' : 'not sustained'}`);
      failuresInARow = sustained ? 0 : failuresInARow + 1;
      if (failuresInARow >= 2) break;
    }
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const best = steps.filter((s) => s.sustained).reduce((max, s) => Math.max(max, s.rate), 0);
  const atTarget = steps.find((s) => s.rate === 5000 && s.sustained) ?? steps.find((s) => s.rate === best);
  return { name: 'load-runner', target: 5000, highestSustainedRate: best, lagP99AtTargetMs: atTarget?.lagMs.p99 ?? null, seconds, steps, machine: machineInfo() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report(await runLoadRunnerBench());
}
