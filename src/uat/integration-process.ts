/**
 * The integration under test as a black-box child process (DESIGN.md section 2): the reference
 * engine (`bc-harness engine --json`), a naive fixture, or any command a vendor gives. It gets its
 * connection details from the environment of DESIGN.md section 8 and is ready when it prints a
 * JSON line with `webhookUrl` on stdout or starts listening on WEBHOOK_PORT; a program that does
 * neither (a pure poller) is taken as ready once it has run for a moment without exiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPrivateWriteStream } from '../../lib/private-files.ts';
import { closest, didYouMean } from '../suggest.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(PROJECT_ROOT, 'bin', 'bc-harness.js');
export const NAIVE_DIR = join(PROJECT_ROOT, 'src', 'fixtures', 'naive');

/** The naive fixtures: one flaw each, the pattern it shows and the scenario that provokes it. */
export const NAIVE_INTEGRATIONS = {
  'no-health-monitor': { pattern: 'webhook-deactivation', scenario: 'webhook-outage', flaw: 'never checks its webhooks, so a deactivated hook stays off and nothing is backfilled' },
  'payload-as-data': { pattern: 'payload-as-data', scenario: 'worst-case-orders', flaw: 'builds records from the light webhook payload without reading the order' },
  'fixed-poller': { pattern: 'rate-limit-breach', scenario: 'doorbuster', flaw: 'polls on a fixed timer, ignores the rate-limit headers and drops a record when it gets a 429' },
  'drift-blind': { pattern: 'mapping-drift', scenario: 'api-drift', flaw: 'reads fixed field names, so a renamed field silently reads as empty' },
  'silent-failure': { pattern: 'silent-failure', scenario: 'worst-case-orders', flaw: 'swallows target and mapping errors: no dead-letter queue, no alert' },
} as const;
export type NaiveName = keyof typeof NAIVE_INTEGRATIONS;

export type IntegrationSpec = { kind: 'reference' } | { kind: 'naive'; name: NaiveName } | { kind: 'command'; command: string };

export class IntegrationStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationStartError';
  }
}

/** What `--integration` accepts by name; anything else is a command. */
export const BUILTIN_INTEGRATIONS = ['reference', ...Object.keys(NAIVE_INTEGRATIONS).map((n) => `naive-${n}`)];

/** One word a shell would run as a program: no space, slash, quote or other shell syntax. */
const BARE_WORD = /^[A-Za-z0-9._-]+$/;

/**
 * The built-in a bare word is probably a typo of: at most two edits away (case aside), or a naive
 * fixture's name without its `naive-` prefix. Such a word is refused rather than run through the
 * shell, where it would only fail with "command not found" (exit 127) and no hint.
 */
function typoOfBuiltin(word: string): string | undefined {
  if (!BARE_WORD.test(word)) return undefined;
  const bare = Object.keys(NAIVE_INTEGRATIONS);
  const [near] = closest(word, [...BUILTIN_INTEGRATIONS, ...bare], { max: 1, within: 2 });
  if (near === undefined) return undefined;
  return bare.includes(near) ? `naive-${near}` : near;
}

export function parseIntegration(arg: string): IntegrationSpec {
  const value = arg.trim();
  if (value === 'reference') return { kind: 'reference' };
  if (value.startsWith('naive-') && !/\s/.test(value)) {
    const name = value.slice('naive-'.length);
    if (!(name in NAIVE_INTEGRATIONS)) {
      const near = didYouMean(value, BUILTIN_INTEGRATIONS.filter((b) => b.startsWith('naive-')), { max: 1 });
      throw new IntegrationStartError(`Failed to choose the integration: ${value} is not a naive fixture.${near} Use one of ${BUILTIN_INTEGRATIONS.slice(1).join(', ')}, reference, or a command in quotes.`);
    }
    return { kind: 'naive', name: name as NaiveName };
  }
  if (value === '') throw new IntegrationStartError('Failed to choose the integration: --integration is empty; use reference, naive-<name> or a command in quotes.');
  const typo = typoOfBuiltin(value);
  if (typo !== undefined) {
    // "./name" and "exec name" are the same program for the shell, and neither is a bare word.
    throw new IntegrationStartError(`Failed to choose the integration: "${value}" is not a built-in integration. Did you mean "${typo}"? To run a command of that name, write it as "./${value}" or with arguments (e.g. "exec ${value}").`);
  }
  return { kind: 'command', command: value };
}

/** The longest --name: it goes into the run directory's name and every report's title. */
export const MAX_NAME_LENGTH = 60;

/**
 * Checks a `--name` and returns it trimmed. It is printed in reports and becomes part of the run
 * id (a directory name; runId replaces what a file name cannot hold), so it must be a short,
 * visible label: no control or invisible characters, something to read.
 */
export function checkIntegrationName(name: string): string {
  const label = name.trim();
  const fix = 'Give a short label such as "acme-connector-2.1", or leave --name out.';
  if (label === '') throw new IntegrationStartError(`Failed to use --name: it is empty. ${fix}`);
  if (/\p{C}/u.test(label)) throw new IntegrationStartError(`Failed to use --name ${JSON.stringify(label)}: it holds a control or invisible character. ${fix}`);
  if ([...label].length > MAX_NAME_LENGTH) throw new IntegrationStartError(`Failed to use --name "${label}": it is ${[...label].length} characters long, at most ${MAX_NAME_LENGTH} fit in the run directory's name and the report titles. ${fix}`);
  if (!/[\p{L}\p{N}]/u.test(label)) throw new IntegrationStartError(`Failed to use --name "${label}": it has no letter or digit to read. ${fix}`);
  return label;
}

/** The integration's name in the reports and the run id: `name` (checked) when given, else one derived from the spec. */
export function integrationLabel(spec: IntegrationSpec, name?: string): string {
  if (name !== undefined) return checkIntegrationName(name);
  switch (spec.kind) {
    case 'reference':
      return 'reference';
    case 'naive':
      return `naive-${spec.name}`;
    case 'command':
      return 'command';
    default:
      return spec satisfies never;
  }
}

/** The program to spawn for an integration. */
export function integrationCommand(spec: IntegrationSpec): { file: string; args: string[]; shell: boolean; display: string } {
  switch (spec.kind) {
    case 'reference':
      return { file: process.execPath, args: [BIN, 'engine', '--json'], shell: false, display: 'node bin/bc-harness.js engine --json' };
    case 'naive': {
      const file = join(NAIVE_DIR, `naive-${spec.name}.ts`);
      return { file: process.execPath, args: ['--import', 'tsx', file], shell: false, display: `node --import tsx src/fixtures/naive/naive-${spec.name}.ts` };
    }
    case 'command':
      return { file: spec.command, args: [], shell: true, display: spec.command };
    default:
      return spec satisfies never;
  }
}

/** A free loopback port for WEBHOOK_PORT. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (open: boolean) => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

export interface RunningIntegration {
  pid: number | undefined;
  command: string;
  /** The ready line, when the integration printed one. */
  ready: Record<string, unknown> | undefined;
  readyBy: 'ready-line' | 'port' | 'running';
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartIntegrationOptions {
  spec: IntegrationSpec;
  env: Record<string, string>;
  webhookPort: number;
  logFile: string;
  readyTimeoutMs: number;
  /** Without a ready line or a listening port, ready after running this long (real ms). */
  assumeReadyAfterMs?: number;
  cwd?: string;
}

export async function startIntegration(options: StartIntegrationOptions): Promise<RunningIntegration> {
  const cmd = integrationCommand(options.spec);
  if (options.spec.kind === 'naive' && !existsSync(cmd.args[2]!)) throw new IntegrationStartError(`Failed to start naive-${options.spec.name}: ${cmd.args[2]} is missing.`);
  const log = createPrivateWriteStream(options.logFile, 'a');
  log.write(`# ${new Date().toISOString()} starting: ${cmd.display}\n`);
  const child: ChildProcess = spawn(cmd.file, cmd.args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    shell: cmd.shell,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops what a shell command started.
    detached: true,
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      log.write(`# exited with ${signal ?? code}\n`);
      resolveExit(exitInfo);
    });
    child.once('error', (error) => {
      exitInfo = { code: 127, signal: null };
      log.write(`# failed to start: ${error.message}\n`);
      resolveExit(exitInfo);
    });
  });
  child.stderr!.pipe(log, { end: false });
  let ready: Record<string, unknown> | undefined;
  let sawReadyLine: (() => void) | undefined;
  const readyLine = new Promise<void>((r) => (sawReadyLine = r));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    if (ready) return;
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) return;
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      if ('webhookUrl' in parsed) {
        ready = parsed;
        sawReadyLine?.();
      }
    } catch {
      // Not the ready line; it stays in the log.
    }
  });

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || exitInfo) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
  };

  const started = Date.now();
  let readyBy: RunningIntegration['readyBy'] | undefined;
  const assumeAfter = options.assumeReadyAfterMs ?? 5_000;
  while (!readyBy) {
    if (exitInfo) {
      log.end();
      throw new IntegrationStartError(`Failed to start the integration (${cmd.display}): it exited with ${exitInfo.signal ?? `code ${exitInfo.code}`} before it was ready. Its output is in ${options.logFile}.`);
    }
    if (ready) readyBy = 'ready-line';
    // The built-ins print their ready line once their hooks are registered and their start-up sweep
    // is done; they listen before that, so a listening port is not readiness for them (orders placed
    // in between would wait for the next sweep, long after the drain). A command may do either.
    else if (options.spec.kind === 'command' && (await portOpen(options.webhookPort))) {
      // A port that opens may still print its ready line a moment later; give it that moment.
      await Promise.race([readyLine, new Promise((r) => setTimeout(r, 300))]);
      readyBy = ready ? 'ready-line' : 'port';
    } else if (options.spec.kind === 'command' && Date.now() - started >= assumeAfter) readyBy = 'running';
    else if (Date.now() - started > options.readyTimeoutMs) {
      killGroup('SIGKILL');
      await exited;
      log.end();
      throw new IntegrationStartError(`Failed to start the integration (${cmd.display}): not ready after ${Math.round(options.readyTimeoutMs / 1000)} s (no JSON ready line with "webhookUrl" on stdout, nothing listening on WEBHOOK_PORT ${options.webhookPort}). Its output is in ${options.logFile}.`);
    } else await Promise.race([readyLine, exited, new Promise((r) => setTimeout(r, 100))]);
  }

  return {
    pid: child.pid,
    command: cmd.display,
    ready,
    readyBy,
    exited,
    alive: () => exitInfo === undefined,
    async stop(graceMs = 8_000) {
      if (!exitInfo) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((r) => log.end(() => r()));
      return exitInfo!;
    },
  };
}
