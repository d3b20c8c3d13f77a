/**
 * `bc-harness sim --tls` (its ready line's httpsUrl and caFile) and `bc-harness run -- CMD`: the
 * command runs routed to that simulator and the run exits with the command's exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyLine, startFromFlags, type SimFlags } from '../../src/cli/commands/sim.ts';
import type { RunningSimulator } from '../../simulator/http/server.ts';

const BIN = join(process.cwd(), 'bin/bc-harness.js');
const dir = mkdtempSync(join(tmpdir(), 'bc-run-'));
let running: RunningSimulator;
let ready: ReturnType<typeof readyLine>;
const readyFile = join(dir, 'sim.json');

const flags = (extra: Partial<SimFlags>): SimFlags => ({ port: 0, host: '127.0.0.1', plan: 'standard', seed: 3, timeScale: 1, stores: 1, products: 20, customers: 10, pastOrders: 4, ...extra });

beforeAll(async () => {
  running = await startFromFlags(flags({ tls: true, runDir: join(dir, 'run') }));
  ready = readyLine(running);
  writeFileSync(readyFile, `${JSON.stringify(ready)}\n`);
}, 30_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

function harness(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NODE_OPTIONS', 'BC_HARNESS_SIM']) delete env[k];
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('bc-harness sim --tls', () => {
  it('adds httpsUrl and caFile to the ready line, the CA in <run-dir>/tls', () => {
    expect(ready.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.caFile).toBe(join(dir, 'run', 'tls', 'ca.pem'));
  });

  it('refuses --https-port without --tls, and a --ca that is not there, as invalid input', async () => {
    await expect(startFromFlags(flags({ httpsPort: 8443 }))).rejects.toThrow(/--https-port needs --tls/);
    await expect(startFromFlags(flags({ ca: join(dir, 'nope.pem') }))).rejects.toThrow(/Failed to read the CA file .*nope\.pem/);
  });
});

describe('bc-harness run', () => {
  it('runs an unchanged program against https://api.bigcommerce.com and exits with its code', async () => {
    const program = `
const https = require('node:https');
https.get('https://api.bigcommerce.com/stores/' + process.env.BIGCOMMERCE_STORE_HASH + '/v2/orders/count', { headers: { 'X-Auth-Token': process.env.BIGCOMMERCE_ACCESS_TOKEN } }, (res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => { console.log(res.statusCode + ' ' + JSON.parse(body).count); process.exit(5); });
}).on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const file = join(dir, 'vendor.cjs');
    writeFileSync(file, program);
    const out = await harness(['run', '--sim', readyFile, '--', process.execPath, file]);
    expect(out.stdout.trim()).toBe(`200 ${running.sim.stores.get(ready.stores[0]!.hash)!.orders.size}`);
    expect(out.code).toBe(5);
    expect(out.stderr).toMatch(/\[run\] proxy: tunnels none; forwarded none; refused none/);
  }, 60_000);

  it('with --no-intercept only gives the BIGCOMMERCE_* variables', async () => {
    const out = await harness(['run', '--sim', readyFile, '--no-intercept', '--', process.execPath, '-e', 'console.log(JSON.stringify({ api: process.env.BIGCOMMERCE_API_URL, proxy: process.env.HTTPS_PROXY ?? null }))']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ api: `${ready.url}/stores/${ready.stores[0]!.hash}`, proxy: null });
  }, 60_000);

  it('refuses to route to a simulator without HTTPS, saying to start it with --tls (exit 2)', async () => {
    const out = await harness(['run', '--sim', ready.url, '--', process.execPath, '-e', '0']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/serves no HTTPS \(start it with `bc-harness sim --tls`/);
  }, 60_000);
});
