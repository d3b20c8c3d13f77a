import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin/bc-harness.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, exit, stderr: () => stderr };
}

describe('bc-harness sim', () => {
  it('prints exactly one JSON ready line, serves the store, writes the ledger to the run directory and stops cleanly on SIGTERM', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'bc-harness-run-'));
    dirs.push(runDir);
    const { child, exit } = run(['sim', '--json', '--port', '0', '--seed', '5', '--run-dir', runDir, '--products', '30']);
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (l) => lines.push(l));
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBe(1);
    const ready = JSON.parse(lines[0]!);
    expect(ready).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      controlToken: expect.any(String),
      stores: [{ hash: expect.any(String), plan: 'standard', accessToken: expect.any(String), clientId: expect.any(String), clientSecret: expect.any(String) }],
      apps: [],
    });
    const [store] = ready.stores;
    const res = await request(`${ready.url}/stores/${store.hash}/v3/catalog/products?limit=1`, { headers: { 'x-auth-token': store.accessToken } });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(lines).toHaveLength(1);
    const ledger = readFileSync(join(runDir, 'ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(ledger.some((e) => e.kind === 'api:request' && e.path.includes('/v3/catalog/products'))).toBe(true);
    expect(ledger.every((e) => typeof e.kind === 'string' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  const readLine = (c: ReturnType<typeof run>) => new Promise<string>((resolve) => createInterface({ input: c.child.stdout }).once('line', resolve));
  const twice = async (args: string[]) => {
    const first = run(args);
    const second = run(args);
    const lines = await Promise.all([readLine(first), readLine(second)]);
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    await Promise.all([first.exit, second.exit]);
    return lines.map((l) => JSON.parse(l));
  };

  it('gives the same store but new random tokens for the same seed', async () => {
    const [a, b] = await twice(['sim', '--json', '--seed', '11']);
    expect(b.stores.map((s: { hash: string; clientId: string }) => [s.hash, s.clientId])).toEqual(a.stores.map((s: { hash: string; clientId: string }) => [s.hash, s.clientId]));
    expect(b.controlToken).not.toBe(a.controlToken);
    expect(b.stores[0].accessToken).not.toBe(a.stores[0].accessToken);
  });

  it('gives the same tokens and store for the same seed with --fixed-tokens', async () => {
    const [a, b] = await twice(['sim', '--json', '--seed', '11', '--fixed-tokens', '--app-url', 'http://127.0.0.1:9/app', '--app-scopes', 'store_v2_orders store_v2_products_read_only']);
    expect({ ...b, url: undefined }).toEqual({ ...a, url: undefined });
    expect(a.apps).toEqual([
      {
        name: 'app',
        clientId: expect.any(String),
        clientSecret: expect.any(String),
        accountUuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/),
        callbacks: { auth: 'http://127.0.0.1:9/app/auth', load: 'http://127.0.0.1:9/app/load', uninstall: 'http://127.0.0.1:9/app/uninstall', removeUser: 'http://127.0.0.1:9/app/remove_user' },
        scopes: ['store_v2_orders', 'store_v2_products_read_only'],
      },
    ]);
    expect(a.stores[0].clientSecret).not.toBe(a.apps[0].clientSecret);
  });

  it('gives the mocks a random control token, or the same one for the same seed with --fixed-tokens', async () => {
    const [a, b] = await twice(['mocks', '--json', '--seed', '11', '--products', '20', '--customers', '10']);
    expect(b.controlToken).not.toBe(a.controlToken);
    const [c, d] = await twice(['mocks', '--json', '--seed', '11', '--products', '20', '--customers', '10', '--fixed-tokens']);
    expect(d.controlToken).toBe(c.controlToken);
  });

  it.each([
    [['sim', '--plan', 'gold'], /--plan must be one of standard, plus, pro, enterprise/],
    [['sim', '--port', 'eighty'], /--port must be a whole number/],
    [['sim', '--time-scale', '-5'], /--time-scale must be a number/],
    [['sim', '--host', '0.0.0.0'], /not loopback/],
    [['nope'], /unknown command/],
    [['sim', '--app-url', 'http://example.com/app'], /--app-url must be https on port 443/],
    [['sim', '--app-url', 'http://127.0.0.1:9', '--app-scopes', 'store_v2_orders,Bad-Scope'], /--app-scopes: "Bad-Scope" is not an OAuth scope/],
  ])('rejects %j with exit code 2 and a message naming the flag', async (args, message) => {
    const c = run(args);
    expect(await c.exit).toBe(2);
    expect(c.stderr()).toMatch(message);
  });

  it('prints help with examples', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    expect(code).toBe(0);
    expect(out).toMatch(/Examples:/);
    expect(out).toMatch(/--time-scale/);
    expect(out).toMatch(/--fixed-tokens/);
  });
});
