/**
 * `bc-harness sim`: run the simulator until SIGINT/SIGTERM. With `--json`, print exactly one
 * ready line on stdout (DESIGN.md section 8) and nothing else there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CATALOG_PROFILES, type CatalogProfile, destinationProblem, FULL_SCOPES, countByFamily, listServedOperations, startSimulator, type RunningSimulator, type OperationRow } from '../../../simulator/index.ts';
import { planNames, type PlanName } from '../../../lib/plans.ts';
import { CertificateError, prepareTls, SERVED_NAMES } from '../../intercept/certificates.ts';
import { UsageError } from '../exit-codes.ts';
import { intOption, numberOption } from '../options.ts';

export interface SimFlags {
  port: number;
  host: string;
  plan: PlanName;
  quota?: number;
  seed: number;
  timeScale: number;
  stores: number;
  json?: boolean;
  runDir?: string;
  products?: number;
  customers?: number;
  pastOrders?: number;
  catalog?: string;
  customerUpdateMs?: number;
  strictDestinations?: boolean;
  sign?: boolean;
  fixedTokens?: boolean;
  appUrl?: string;
  appScopes?: string;
  tls?: boolean;
  httpsPort?: number;
  ca?: string;
  /** Print the table of served operations (with --json: as JSON) and exit. */
  listOperations?: boolean;
}

/** The CA file of a simulator started with --tls (for its ready line). */
const caFiles = new WeakMap<RunningSimulator, string>();

export function readyLine(running: RunningSimulator) {
  return {
    url: running.url,
    // With --tls: the same API over HTTPS for api.bigcommerce.com, login.bigcommerce.com and
    // loopback, and the CA that signed its certificate (what NODE_EXTRA_CA_CERTS points to).
    ...(running.httpsUrl ? { httpsUrl: running.httpsUrl, caFile: caFiles.get(running) ?? null } : {}),
    controlToken: running.sim.controlToken,
    stores: [...running.sim.stores.values()].map((s) => ({
      hash: s.info.hash,
      plan: s.info.plan,
      accessToken: s.accounts[0]!.accessToken,
      clientId: s.accounts[0]!.clientId,
      // Verifies --sign webhook signatures (Standard Webhooks keyed with its base64).
      clientSecret: running.sim.clientSecret(s.accounts[0]!.clientId),
    })),
    // Single-click apps (--app-url): what the app's own configuration holds.
    apps: running.sim.apps.list().map((a) => ({ name: a.name, clientId: a.clientId, clientSecret: a.clientSecret, accountUuid: a.accountUuid, callbacks: a.callbacks, scopes: a.scopes })),
  };
}

export async function startFromFlags(flags: SimFlags): Promise<RunningSimulator> {
  if (!planNames.includes(flags.plan)) throw new UsageError(`--plan must be one of ${planNames.join(', ')}; got "${flags.plan}".`);
  if (flags.quota !== undefined && flags.quota < 1) throw new UsageError('--quota must be a positive number of requests per 30-second window.');
  if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host) && !process.env.BC_HARNESS_ALLOW_NON_LOOPBACK) {
    throw new UsageError(`--host ${flags.host} is not loopback. The control plane must not be exposed; set BC_HARNESS_ALLOW_NON_LOOPBACK=1 if you really mean it.`);
  }
  if (flags.appScopes !== undefined && flags.appUrl === undefined) throw new UsageError('--app-scopes needs --app-url: give the app\'s base URL (its /auth, /load and /uninstall callbacks).');
  const appProblem = flags.appUrl !== undefined ? destinationProblem(flags.appUrl, flags.strictDestinations ?? false) : undefined;
  if (appProblem) throw new UsageError(`--app-url ${appProblem}; got "${flags.appUrl}". Give the app's base URL, for example http://127.0.0.1:3000.`);
  const appScopes = flags.appScopes !== undefined ? flags.appScopes.split(/[\s,]+/).filter(Boolean) : [...FULL_SCOPES];
  const badScope = appScopes.find((s) => !/^[a-z0-9_]+$/.test(s));
  if (badScope !== undefined) throw new UsageError(`--app-scopes: "${badScope}" is not an OAuth scope name such as store_v2_orders or store_v2_products_read_only.`);
  if (flags.httpsPort !== undefined && !flags.tls && !flags.ca) throw new UsageError('--https-port needs --tls.');
  if (flags.catalog !== undefined && !(CATALOG_PROFILES as readonly string[]).includes(flags.catalog)) throw new UsageError(`--catalog must be one of ${CATALOG_PROFILES.join(', ')}; got "${flags.catalog}".`);
  let tls: Awaited<ReturnType<typeof prepareTls>> | undefined;
  if (flags.tls || flags.ca) {
    // A CA per run directory (reused when it is there), or the one given with --ca.
    const dir = flags.runDir ? join(resolve(flags.runDir), 'tls') : join(mkdtempSync(join(tmpdir(), 'bc-harness-sim-')), 'tls');
    try {
      tls = await prepareTls({ dir, ...(flags.ca ? { ca: flags.ca } : {}) });
    } catch (error) {
      if (error instanceof CertificateError) throw new UsageError(error.message);
      throw error;
    }
  }
  const running = await startSimulator({
    ...(tls
      ? { tls: { cert: tls.server.certPem, key: tls.server.keyPem, serverNames: SERVED_NAMES, port: flags.httpsPort ?? 0, onRefused: (r: { reason: string }) => process.stderr.write(`[sim] ${r.reason}\n`) } }
      : {}),
    port: flags.port,
    host: flags.host,
    plan: flags.plan,
    ...(flags.quota !== undefined ? { quota: flags.quota } : {}),
    seed: flags.seed,
    timeScale: flags.timeScale,
    stores: flags.stores,
    ...(flags.runDir ? { ledgerPath: join(resolve(flags.runDir), 'ledger.jsonl') } : {}),
    ...(flags.products !== undefined ? { products: flags.products } : {}),
    ...(flags.customers !== undefined ? { customers: flags.customers } : {}),
    ...(flags.pastOrders !== undefined ? { pastOrders: flags.pastOrders } : {}),
    ...(flags.catalog !== undefined ? { catalog: flags.catalog as CatalogProfile } : {}),
    ...(flags.customerUpdateMs !== undefined ? { customerUpdateMs: flags.customerUpdateMs } : {}),
    strictDestinations: flags.strictDestinations ?? false,
    signWebhooks: flags.sign ?? false,
    deterministicTokens: flags.fixedTokens ?? false,
    ...(flags.appUrl !== undefined ? { apps: [{ name: 'app', appUrl: flags.appUrl, scopes: appScopes }] } : {}),
  });
  if (tls) caFiles.set(running, tls.ca.certFile);
  return running;
}

/** `sim --list-operations`: a table (or one JSON document) of every operation served, with the count per family. */
export function printOperations(rows: readonly OperationRow[], json: boolean, log: (line: string) => void): void {
  const byFamily = countByFamily(rows);
  if (json) {
    log(JSON.stringify({ count: rows.length, byFamily, operations: rows }));
    return;
  }
  const width = (pick: (r: OperationRow) => string) => Math.max(...rows.map((r) => pick(r).length));
  const [wf, wm, wp] = [width((r) => r.family), width((r) => r.method), width((r) => r.path)];
  for (const r of rows) {
    const doc = r.specFile ? `${r.specFile} ${r.specPath}` : '(hand-written; see test/simulator/conformance.test.ts)';
    log(`${r.family.padEnd(wf)}  ${r.method.padEnd(wm)}  ${r.path.padEnd(wp)}  ${doc}`);
  }
  log('');
  for (const [family, n] of Object.entries(byFamily)) log(`${String(n).padStart(4)}  ${family}`);
  log(`${String(rows.length).padStart(4)}  operations in all`);
}

export function printHuman(running: RunningSimulator, log: (line: string) => void): void {
  const line = readyLine(running);
  log(`BigCommerce simulator listening on ${line.url} (time scale ${running.sim.clock.scale}, seed ${running.sim.seed})`);
  for (const s of line.stores) {
    const store = running.sim.store(s.hash)!;
    log('');
    log(`Store ${s.hash} (${s.plan} plan): ${store.products.size} products, ${store.customers.size} customers, ${store.orders.size} past orders`);
    log(`  API base:      ${line.url}/stores/${s.hash}/v3   (and /v2)`);
    log(`  X-Auth-Token:  ${s.accessToken}`);
    log(`  try:           curl -s -H 'X-Auth-Token: ${s.accessToken}' ${line.url}/stores/${s.hash}/v2/orders?limit=2`);
  }
  if (line.httpsUrl) {
    log('');
    log(`HTTPS:           ${line.httpsUrl}, and https://api.bigcommerce.com through the proxy of \`bc-harness run\` (CA ${line.caFile})`);
    log(`  try:           curl -s --cacert ${line.caFile} --connect-to api.bigcommerce.com:443:127.0.0.1:${new URL(line.httpsUrl).port} -H 'X-Auth-Token: ${line.stores[0]!.accessToken}' https://api.bigcommerce.com/stores/${line.stores[0]!.hash}/v2/orders?limit=2`);
  }
  log('');
  log(`Control plane:   ${line.url}/__sim   (Authorization: Bearer ${line.controlToken})`);
  log(`  place orders:  curl -s -X POST -H 'Authorization: Bearer ${line.controlToken}' -H 'content-type: application/json' -d '{"profile":"typical","count":5}' ${line.url}/__sim/stores/${line.stores[0]!.hash}/orders`);
  log(`  ledger:        curl -s -H 'Authorization: Bearer ${line.controlToken}' ${line.url}/__sim/ledger`);
  log('');
  log('Press Ctrl-C to stop.');
}

export async function waitForSignal(running: RunningSimulator): Promise<void> {
  await new Promise<void>((resolveSignal) => {
    const stop = () => resolveSignal();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
}

export function registerSim(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('sim')
    .description('Run the mock BigCommerce store(s): Management API with real quotas, webhooks, control plane')
    .option('--port <n>', 'port to listen on (0 = any free port)', intOption('--port', 0, 65_535), 0)
    .option('--host <host>', 'address to listen on (loopback only)', '127.0.0.1')
    .option('--plan <plan>', `store plan: ${planNames.join(', ')}`, 'standard')
    .option('--quota <n>', 'requests per 30-second window (required to limit enterprise)', intOption('--quota', 1, 10_000_000))
    .option('--seed <n>', 'seed for the generated stores (same seed, same store)', intOption('--seed', 0, 2 ** 31 - 1), 1)
    .option('--time-scale <n>', 'simulated seconds per real second (60 = a minute per second)', numberOption('--time-scale', 0.001, 1_000_000), 1)
    .option('--stores <n>', 'number of stores', intOption('--stores', 1, 100), 1)
    .option('--products <n>', 'products per store', intOption('--products', 1, 100_000))
    .option('--customers <n>', 'customers per store', intOption('--customers', 1, 1_000_000))
    .option('--past-orders <n>', 'past orders per store', intOption('--past-orders', 0, 1_000_000))
    .option('--catalog <profile>', `seeded catalog: ${CATALOG_PROFILES.join(' or ')} (worst-case adds an 8-level category chain, a 600-variant product, Unicode names at maximum lengths, customers with 10 addresses; default typical)`)
    .option('--customer-update-ms <n>', 'simulated ms a PUT /v3/customers takes, holding one of its 3 concurrent slots (default 250)', intOption('--customer-update-ms', 0, 600_000))
    .option('--run-dir <dir>', 'write the ledger to <dir>/ledger.jsonl')
    .option('--strict-destinations', 'demand https on port 443 for webhook destinations, as the platform does')
    .option('--sign', 'sign webhook callbacks with Standard Webhooks headers')
    .option('--app-url <url>', 'register a single-click app whose callbacks are <url>/auth, /load, /uninstall and /remove_user (install it through the control plane)')
    .option('--app-scopes <list>', 'the app\'s OAuth scopes, space- or comma-separated (default: every full scope)')
    .option('--tls', 'also serve HTTPS for api.bigcommerce.com, login.bigcommerce.com and loopback, with a CA made per run directory (<run-dir>/tls/ca.pem)')
    .option('--https-port <n>', 'HTTPS port with --tls (0 = any free port)', intOption('--https-port', 0, 65_535))
    .option('--ca <dir-or-files>', 'with --tls, sign with this CA: a directory holding ca.pem and ca-key.pem, one PEM file holding both, or CERT.pem,KEY.pem (implies --tls)')
    .option('--fixed-tokens', 'derive the tokens from --seed, the same every run (for tests; anyone who knows the seed knows them). Default: random tokens')
    .option('--json', 'print one JSON ready line on stdout and nothing else')
    .option('--list-operations', 'print every Management API operation the simulator serves (family, method, path, official document) and exit; with --json, as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ bc-harness sim                                  # one Standard store on a free port
  $ bc-harness sim --json --port 0 --time-scale 60  # for scripts: one ready line, a minute per second
  $ bc-harness sim --plan enterprise --quota 900    # Enterprise with a configured quota
  $ bc-harness sim --stores 3 --seed 42 --run-dir runs/demo
  $ bc-harness sim --json --seed 7 --fixed-tokens   # the same tokens every run, for a test fixture
  $ bc-harness sim --catalog worst-case --json      # the typical store plus deep categories, 600 variants, Unicode at maximum lengths
  $ bc-harness sim --list-operations                # every operation served, by family, with its official document
  $ bc-harness sim --json --tls --run-dir runs/demo > runs/demo/sim.json   # also HTTPS as api.bigcommerce.com (see bc-harness run)`,
    )
    .action((flags: SimFlags) =>
      run(async () => {
        if (flags.listOperations) {
          printOperations(listServedOperations(), flags.json ?? false, (l) => console.log(l));
          return 0;
        }
        const running = await startFromFlags(flags);
        if (flags.json) process.stdout.write(`${JSON.stringify(readyLine(running))}\n`);
        else printHuman(running, (l) => console.log(l));
        await waitForSignal(running);
        return 0;
      }),
    );
}
