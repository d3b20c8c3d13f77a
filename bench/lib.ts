/**
 * Shared helpers for the benchmarks: starting the simulator in-process or as a child process
 * (the `bc-harness sim --json` CLI), a tiny HTTP client for setup calls, machine facts and
 * formatting. Benchmarks are not tests: nothing here asserts, it measures and reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startSimulator, type RunningSimulator, type StartOptions } from '../simulator/index.ts';
import { parseProcStat } from './uat-profile-lib.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

/** What every benchmark needs to talk to a simulator, wherever it runs. */
export interface SimTarget {
  url: string;
  hash: string;
  /** X-Auth-Token of the store's full-access account. */
  token: string;
  controlToken: string;
  /** The HTTPS listener of a simulator started with --tls. */
  httpsUrl?: string;
  /** Server process id (this process for in-process). */
  pid: number;
  close(): Promise<void>;
}

export interface InProcessSim extends SimTarget {
  running: RunningSimulator;
}

export async function startInProcess(options: StartOptions): Promise<InProcessSim> {
  const running = await startSimulator(options);
  const store = running.sim.stores.get([...running.sim.stores.keys()][0]!)!;
  return {
    running,
    url: running.url,
    hash: store.info.hash,
    token: store.accounts[0]!.accessToken,
    controlToken: running.sim.controlToken,
    pid: process.pid,
    close: () => running.close(),
  };
}

export interface ChildSim extends SimTarget {
  child: ChildProcess;
}

/**
 * Spawn `node bin/bc-harness.js sim --json --port 0 ...` and read its one ready line. With
 * `cpuProfDir`, the child runs under `--cpu-prof` and writes a .cpuprofile there when it exits
 * (on SIGTERM the CLI closes the server and exits normally, which writes the profile).
 */
export async function spawnSim(args: string[], options: { cpuProfDir?: string; timeoutMs?: number; root?: string } = {}): Promise<ChildSim> {
  // `root`: another checkout's simulator (a before/after comparison in one run, bench/prism-orders.ts).
  const root = options.root ?? ROOT;
  const nodeArgs = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    // Extra flags for the server process, e.g. BENCH_SERVER_NODE_ARGS=--no-turbo-inlining so a
    // profile charges inlined helpers to themselves instead of their callers.
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin', 'bc-harness.js'), 'sim', '--json', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; httpsUrl?: string; controlToken: string; stores: { hash: string; accessToken: string }[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Failed to start the simulator child: no ready line within the timeout.')), options.timeoutMs ?? 30_000);
    child.once('exit', (code, signal) => reject(new Error(`The simulator child exited before its ready line (code ${code}, signal ${signal}).`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch (error) {
        reject(new Error(`The simulator child printed a ready line that is not JSON: ${line} (${(error as Error).message})`));
      }
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    url: ready.url,
    ...(ready.httpsUrl ? { httpsUrl: ready.httpsUrl } : {}),
    hash: ready.stores[0]!.hash,
    token: ready.stores[0]!.accessToken,
    controlToken: ready.controlToken,
    pid: child.pid!,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // The CLI closes the server and exits on SIGTERM (which also writes a --cpu-prof profile).
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hard);
    },
  };
}

export interface JsonResponse {
  status: number;
  body: any;
}

export async function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<JsonResponse> {
  const raw = body === undefined ? undefined : JSON.stringify(body);
  const res = await request(url, { method: method as 'GET', headers: { ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: raw });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, body: parsed };
}

export const api = (sim: SimTarget, method: string, path: string, body?: unknown) => call(method, `${sim.url}/stores/${sim.hash}${path}`, { 'x-auth-token': sim.token }, body);
export const control = (sim: SimTarget, method: string, path: string, body?: unknown) => call(method, `${sim.url}/__sim${path}`, { authorization: `Bearer ${sim.controlToken}` }, body);

export function expectStatus(res: JsonResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`Failed to ${what}: expected HTTP ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** Place shopper orders through the control plane in batches; returns the new order ids. */
export async function placeOrders(sim: SimTarget, count: number, batch = 500, profile = 'typical'): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += batch) {
    const res = await control(sim, 'POST', `/stores/${sim.hash}/orders`, { profile, count: Math.min(batch, count - done) });
    expectStatus(res, 201, 'place shopper orders');
    ids.push(...(res.body.ids as number[]));
  }
  return ids;
}

/** Every order id in the store (seeded past orders and placed ones), through the V2 list. */
export async function listOrderIds(sim: SimTarget): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const res = await api(sim, 'GET', `/v2/orders?limit=250&page=${page}`);
    if (res.status === 204) break;
    expectStatus(res, 200, 'list orders');
    const list = res.body as { id: number }[];
    ids.push(...list.map((o) => o.id));
    if (list.length < 250) break;
  }
  return ids;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux only). */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.cpuSeconds;
  } catch {
    return undefined;
  }
}

/** Peak and current resident set of a process, from /proc (Linux only), in bytes. */
export function processRss(pid: number): { rss?: number; hwm?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return {};
  }
}

/** Busy and total jiffies of the whole machine, from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is in user.
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    const total = n.slice(0, 8).reduce((s, v) => s + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Measure CPU over a window: the machine as a whole and the given processes, in cores (1.0 = one
 * core busy for the whole window). `otherCores` is what the rest of the machine used meanwhile,
 * for example another test run on the same box, which makes the figures less reliable.
 */
export function cpuWindow(pids: Record<string, number>) {
  const cores = availableParallelism();
  const m0 = machineJiffies();
  const p0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpuSeconds(pid)]));
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machineJiffies();
    const byProcess: Record<string, number | null> = {};
    let ours = 0;
    for (const [k, pid] of Object.entries(pids)) {
      const a = p0[k];
      const b = processCpuSeconds(pid);
      byProcess[k] = a !== undefined && b !== undefined ? round((b - a) / seconds, 2) : null;
      ours += byProcess[k] ?? 0;
    }
    const machine = m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : null;
    return {
      seconds: round(seconds, 2),
      machineCores: machine === null ? null : round(machine, 2),
      ...byProcess,
      otherCores: machine === null ? null : round(Math.max(0, machine - ours), 2),
    };
  };
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memTotal: string;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memTotal: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const mib = (bytes: number) => bytes / 2 ** 20;
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Send this benchmark's result to the runner (IPC) or print it when run directly. */
export function report(result: unknown): void {
  if (process.send) process.send({ type: 'result', result });
  else console.log(JSON.stringify(result, null, 2));
}

export function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
