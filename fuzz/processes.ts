/**
 * The processes under fuzz run as real children (the `bc-harness` command), so "the process stays
 * up" means something: a crash ends the child, not the fuzzer. Each prints one JSON ready line on
 * stdout (DESIGN.md section 8); stderr is kept (its last 64 kB) to show after a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { request } from 'undici';

export const BIN = fileURLToPath(new URL('../bin/bc-harness.js', import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const STDERR_KEEP = 64 * 1024;

export interface ChildProcessTarget<R> {
  child: ChildProcess;
  ready: R;
  /** Whether the child is still running. */
  alive(): boolean;
  /** How the child ended, when it did ("exit code 1", "signal SIGSEGV"). */
  ended(): string | undefined;
  /** The end of what the child wrote on stderr. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/** Spawn `command args` and wait for its JSON ready line on stdout. */
export async function spawnReady<R>(command: string, args: string[], options: SpawnOptions = {}): Promise<ChildProcessTarget<R>> {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let endedAs: string | undefined;
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
  });
  child.once('exit', (code, signal) => (endedAs = signal ? `signal ${signal}` : `exit code ${code}`));
  const lines = createInterface({ input: child.stdout! });
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Failed to start ${args.slice(0, 2).join(' ')}: no ready line within ${readyTimeoutMs / 1000} s. stderr: ${stderr.slice(-2000)}`));
    }, readyTimeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`Failed to start ${args.slice(0, 2).join(' ')}: it ended (${endedAs}) before its ready line. stderr: ${stderr.slice(-2000)}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as R);
      } catch {
        reject(new Error(`Failed to start ${args.slice(0, 2).join(' ')}: its ready line is not JSON: ${line.slice(0, 200)}`));
      }
    });
  });
  // Whatever else reaches stdout is drained so the child never blocks on a full pipe.
  lines.on('line', () => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    ready,
    alive,
    ended: () => endedAs,
    stderr: () => stderr.slice(-STDERR_KEEP),
    async stop() {
      if (!alive()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A `bc-harness <command>` child. */
export function spawnCli<R>(args: string[], options: SpawnOptions = {}): Promise<ChildProcessTarget<R>> {
  return spawnReady<R>(process.execPath, [BIN, ...args], options);
}

/** Why `url` did not answer 200 within `timeoutMs`, or undefined when it did. */
export async function healthProblem(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<string | undefined> {
  const started = performance.now();
  try {
    const res = await request(url, { headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
    if (res.statusCode !== 200) return `${url} answered ${res.statusCode}`;
    return undefined;
  } catch (error) {
    return `${url} did not answer within ${timeoutMs} ms (${Math.round(performance.now() - started)} ms: ${(error as Error).message})`;
  }
}
