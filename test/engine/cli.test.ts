import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startTestSim } from '../support/simulator.ts';

const BIN = join(process.cwd(), 'bin/bc-harness.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BIGCOMMERCE_|ERP_URL|THREEPL_URL|CRM_URL|MARKETING_URL|ALERT_URL|TIME_SCALE|WEBHOOK_|ENGINE_)/.test(k)));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const env = {
  BIGCOMMERCE_API_URL: 'http://127.0.0.1:9/stores/s0abc12',
  BIGCOMMERCE_ACCESS_TOKEN: 'token',
  BIGCOMMERCE_WEBHOOK_SECRET: 'a-long-secret',
  ERP_URL: 'http://127.0.0.1:9/erp',
  THREEPL_URL: 'http://127.0.0.1:9/3pl',
  CRM_URL: 'http://127.0.0.1:9/crm',
  MARKETING_URL: 'http://127.0.0.1:9/marketing',
};

describe('bc-harness engine and dlq on the command line', () => {
  it.each([
    [[], {}, /BIGCOMMERCE_API_URL \(--api-url\) is required/],
    [['--time-scale', 'fast'], env, /TIME_SCALE \(--time-scale\) must be a number/],
    [['--flows', 'orders,nope'], env, /ENGINE_FLOWS \(--flows\) must list flow ids/],
    [[], { ...env, ERP_URL: 'ftp://erp' }, /ERP_URL \(--erp-url\) must be an http\(s\) URL/],
  ])('engine %j exits 2 naming the variable and the flag', async (args, e, message) => {
    const r = await run(['engine', '--json', ...args], e);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('engine exits 2 naming the access token when the store refuses it, and prints no ready line', async () => {
    const sim = await startTestSim();
    const dir = mkdtempSync(join(tmpdir(), 'bc-harness-cli-'));
    try {
      const r = await run(['engine', '--json', '--db', join(dir, 'engine.sqlite')], { ...env, BIGCOMMERCE_API_URL: `${sim.url}/stores/${sim.hash}`, BIGCOMMERCE_ACCESS_TOKEN: 'not-the-token' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Failed to register the webhooks: the API answered 401.*BIGCOMMERCE_ACCESS_TOKEN \(--access-token\)/);
      expect(r.stdout).toBe('');
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('engine --help lists every variable and has examples', async () => {
    const r = await run(['engine', '--help']);
    expect(r.code).toBe(0);
    for (const v of ['BIGCOMMERCE_API_URL', 'BIGCOMMERCE_WEBHOOK_SECRET', 'WEBHOOK_PORT', 'ERP_URL', 'THREEPL_URL', 'CRM_URL', 'MARKETING_URL', 'ALERT_URL', 'TIME_SCALE']) expect(r.stdout).toContain(v);
    expect(r.stdout).toMatch(/Examples:/);
  });

  it.each([
    [['dlq', 'list', '--db', '/nonexistent/engine.sqlite'], /does not exist/],
    [['dlq', 'show', 'x', '--db', '/nonexistent/engine.sqlite'], /dead letter number/],
    [['dlq', 'replay'], /or pass --all/],
    [['dlq', 'list', '--state', 'lost'], /--state must be/],
  ])('%j exits 2 with a message', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
