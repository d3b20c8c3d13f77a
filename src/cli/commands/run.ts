/**
 * `bc-harness run [flags] -- CMD args`: run a program (a vendor's integration, a script, curl)
 * against a running simulator and mocks, routed the way `bc-harness uat` routes a command
 * integration: proxy variables to the harness's CONNECT proxy, the run's CA for every TLS stack
 * that reads one from the environment, and the Node preload, so a program that hard-codes
 * https://api.bigcommerce.com reaches the simulator unchanged. It exits with the program's exit
 * code. See docs/decisions/0012-intercepting-unchanged-integrations.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { startIntercept, type RunningIntercept } from '../../intercept/start-intercept.ts';
import { UsageError } from '../exit-codes.ts';

export interface RunFlags {
  sim?: string;
  https?: string;
  ca?: string;
  mocks?: string;
  store?: string;
  intercept: boolean;
}

interface SimReady {
  url: string;
  httpsUrl?: string;
  caFile?: string | null;
  stores?: { hash: string; accessToken?: string; clientId?: string }[];
}

interface MocksReady {
  url: string;
}

/** A ready line given as a URL, the JSON itself, or a file holding it (`bc-harness sim --json > sim.json`). */
export function readReady<T extends { url: string }>(value: string, flag: string): T {
  const text = value.trim();
  if (/^https?:\/\//.test(text)) return { url: text.replace(/\/+$/, '') } as T;
  let json = text;
  if (!text.startsWith('{')) {
    if (!existsSync(text)) throw new UsageError(`${flag} ${value}: not a URL, a JSON ready line or a file. Give the URL, or the file \`bc-harness ${flag === '--sim' ? 'sim' : 'mocks'} --json\` wrote its ready line to.`);
    json = readFileSync(text, 'utf8').trim().split('\n')[0] ?? '';
  }
  try {
    const parsed = JSON.parse(json) as T;
    if (typeof parsed.url !== 'string') throw new Error('it has no "url"');
    return parsed;
  } catch (error) {
    throw new UsageError(`${flag} ${value}: the ready line is not usable (${(error as Error).message}). Give the line \`bc-harness ${flag === '--sim' ? 'sim' : 'mocks'} --json\` printed, or the URL.`);
  }
}

/** The integration contract's variables (docs/integration-contract.md) from the ready lines. */
export function contractEnv(sim: SimReady, mocks: MocksReady | undefined, storeHash?: string): Record<string, string> {
  const env: Record<string, string> = {};
  const store = storeHash ? sim.stores?.find((s) => s.hash === storeHash) : sim.stores?.[0];
  if (storeHash && !store) throw new UsageError(`--store ${storeHash}: the simulator's ready line has no such store (it has ${(sim.stores ?? []).map((s) => s.hash).join(', ') || 'none'}).`);
  const hash = store?.hash ?? storeHash;
  if (hash) {
    env.BIGCOMMERCE_API_URL = `${sim.url}/stores/${hash}`;
    env.BIGCOMMERCE_STORE_HASH = hash;
  }
  if (store?.accessToken) env.BIGCOMMERCE_ACCESS_TOKEN = store.accessToken;
  if (store?.clientId) env.BIGCOMMERCE_CLIENT_ID = store.clientId;
  if (mocks) {
    env.ERP_URL = `${mocks.url}/erp`;
    env.THREEPL_URL = `${mocks.url}/3pl`;
    env.CRM_URL = `${mocks.url}/crm`;
    env.MARKETING_URL = `${mocks.url}/marketing`;
  }
  return env;
}

export async function runCommand(argv: string[], flags: RunFlags, log: (line: string) => void): Promise<number> {
  const simValue = flags.sim ?? process.env.BC_HARNESS_SIM;
  if (!simValue) throw new UsageError('Failed to run: give the simulator with --sim (its ready-line file, the JSON line, or its URL), or set BC_HARNESS_SIM. Start one with `bc-harness sim --json --tls > sim.json`.');
  const sim = readReady<SimReady>(simValue, '--sim');
  const mocksValue = flags.mocks ?? process.env.BC_HARNESS_MOCKS;
  const mocks = mocksValue ? readReady<MocksReady>(mocksValue, '--mocks') : undefined;
  const env = contractEnv(sim, mocks, flags.store);
  let intercept: RunningIntercept | undefined;
  if (flags.intercept) {
    const httpsUrl = flags.https ?? sim.httpsUrl;
    const caFile = flags.ca ?? sim.caFile ?? undefined;
    if (!httpsUrl || !caFile) throw new UsageError(`Failed to route the program to the simulator: ${!httpsUrl ? 'the simulator serves no HTTPS (start it with `bc-harness sim --tls`, or give --https URL)' : 'no CA file (give --ca FILE, the ready line\'s caFile)'}. Or run with --no-intercept to give it only BIGCOMMERCE_API_URL.`);
    if (!existsSync(caFile)) throw new UsageError(`--ca ${caFile}: no such file. It is the simulator's ready line's caFile (<run-dir>/tls/ca.pem).`);
    intercept = await startIntercept({
      simulatorUrl: sim.url,
      simulatorHttpsUrl: httpsUrl,
      caFile,
      harnessUrls: mocks ? [mocks.url] : [],
      log,
      ...(process.env.NODE_OPTIONS ? { nodeOptions: process.env.NODE_OPTIONS } : {}),
    });
    Object.assign(env, intercept.env);
  }
  const [file, ...args] = argv;
  if (!file) throw new UsageError('Failed to run: no command. Put it after --, e.g. bc-harness run --sim sim.json -- node vendor-app.js');
  try {
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    if (exit.error) throw new UsageError(`Failed to start ${file}: ${(exit.error as NodeJS.ErrnoException).code ?? exit.error.message}. Check the command after --.`);
    if (intercept) {
      const s = intercept.proxy.stats();
      const list = (r: Record<string, number>) => Object.entries(r).map(([h, n]) => `${h} x${n}`).join(', ') || 'none';
      log(`[run] proxy: tunnels ${list(s.tunnels)}; forwarded ${list(s.forwarded)}; refused ${list(s.refused)}`);
    }
    // A program killed by a signal exits like a shell reports it: 128 + the signal's number.
    const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
    return exit.code ?? 128 + (signals[exit.signal ?? ''] ?? 1);
  } finally {
    await intercept?.close();
  }
}

export function registerRun(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('run')
    .description('Run a program against a running simulator, routed so that https://api.bigcommerce.com reaches it unchanged; exits with its exit code')
    .argument('<command...>', 'the program and its arguments, after --')
    .option('--sim <ready>', 'the simulator: the file its `sim --json --tls` ready line was written to, the JSON line, or its URL (env BC_HARNESS_SIM)')
    .option('--mocks <ready>', 'the connected-system mocks: their ready-line file, the JSON, or the URL (env BC_HARNESS_MOCKS); sets ERP_URL, THREEPL_URL, CRM_URL, MARKETING_URL')
    .option('--https <url>', "the simulator's HTTPS URL, when --sim is only a URL")
    .option('--ca <file>', "the simulator's CA certificate, when --sim is only a URL")
    .option('--store <hash>', 'the store to give the program (default: the first in the ready line)')
    .option('--no-intercept', 'do not route: only the BIGCOMMERCE_* and connected-system variables')
    .addHelpText(
      'after',
      `
Sets for the program: BIGCOMMERCE_API_URL, _STORE_HASH, _ACCESS_TOKEN, _CLIENT_ID (and ERP_URL ... with --mocks);
HTTPS_PROXY/HTTP_PROXY to the harness's proxy (api.bigcommerce.com and login.bigcommerce.com to the
simulator, every other host refused), NO_PROXY for loopback, NODE_EXTRA_CA_CERTS, SSL_CERT_FILE,
REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE for the run's CA, and NODE_OPTIONS=--require <preload> for Node
programs that ignore proxy variables.

Examples:
  $ bc-harness sim --json --tls --run-dir runs/demo > runs/demo/sim.json &
  $ bc-harness run --sim runs/demo/sim.json -- node vendor-app.js
  $ bc-harness run --sim runs/demo/sim.json -- curl -s -H "X-Auth-Token: $TOKEN" https://api.bigcommerce.com/stores/$HASH/v2/orders
  $ bc-harness run --sim runs/demo/sim.json --no-intercept -- python3 my_integration.py`,
    )
    .action((command: string[], flags: RunFlags) => run(() => runCommand(command, flags, (line) => process.stderr.write(`${line}\n`))));
}
