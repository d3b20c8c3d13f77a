/**
 * Test support for engine tests that must survive an engine that stops answering: the engine runs
 * as the real command (`node bin/bc-harness.js engine --json`) in a child process against a
 * world's simulator and mocks, so a frozen event loop freezes the child, not the test. Also a way
 * to sign and post a webhook the way the platform would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { SECRET, type World } from '../support/engine-world.ts';

const BIN = join(process.cwd(), 'bin/bc-harness.js');

export interface EngineProcess {
  child: ChildProcess;
  ready: { webhookUrl: string; healthUrl: string; metricsUrl: string; db: string; engineId: string };
  stderr(): string;
  /** GET /healthz with a short timeout; throws when the engine does not answer. */
  health(): Promise<{ ok: boolean; inbox: number; work: Record<string, number>; deadLetters: number }>;
  kill(): Promise<void>;
}

export function engineEnv(w: World, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BIGCOMMERCE_|ERP_URL|THREEPL_URL|CRM_URL|MARKETING_URL|ALERT_URL|TIME_SCALE|WEBHOOK_|ENGINE_)/.test(k)));
  return {
    ...clean,
    BIGCOMMERCE_API_URL: `${w.sim.url}/stores/${w.sim.hash}`,
    BIGCOMMERCE_ACCESS_TOKEN: w.sim.token,
    BIGCOMMERCE_WEBHOOK_SECRET: SECRET,
    WEBHOOK_PORT: '0',
    ERP_URL: `${w.mocks.url}/erp`,
    THREEPL_URL: `${w.mocks.url}/3pl`,
    CRM_URL: `${w.mocks.url}/crm`,
    MARKETING_URL: `${w.mocks.url}/marketing`,
    ALERT_URL: w.alerts.url,
    TIME_SCALE: String(w.clock.scale),
    ENGINE_DB: join(w.dir, 'engine.sqlite'),
    ...extra,
  };
}

export async function spawnEngine(env: NodeJS.ProcessEnv): Promise<EngineProcess> {
  const child = spawn(process.execPath, [BIN, 'engine', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = await new Promise<EngineProcess['ready']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 30 s; stderr: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`engine exited with ${code} before its ready line; stderr: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  return {
    child,
    ready,
    stderr: () => stderr,
    async health() {
      const res = await request(ready.healthUrl, { headersTimeout: 3_000, bodyTimeout: 3_000 });
      return JSON.parse(await res.body.text());
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A light payload as the platform builds it (hash made unique so it is never a duplicate). */
export function webhook(w: World, scope: string, data: Record<string, unknown>): string {
  const unsigned = { scope, store_id: '1000001', data, created_at: Math.floor(w.clock.now() / 1000), producer: `stores/${w.sim.hash}` };
  return JSON.stringify({ ...unsigned, hash: createHash('sha1').update(JSON.stringify(unsigned) + randomBytes(8).toString('hex')).digest('hex') });
}

export async function postWebhook(url: string, body: string, secret = SECRET): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': secret }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
  return { status: res.statusCode, text: await res.body.text() };
}
