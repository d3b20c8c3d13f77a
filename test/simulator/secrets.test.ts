/**
 * Issue 14, item 8: files that hold secrets or personal data are owner-only, and the ledger keeps
 * fingerprints of hook secrets, never the secrets.
 *
 * Before the fix: `ledger.jsonl` and the engine's SQLite file were 0644, and a hook created with
 * `headers: {"x-webhook-secret": ...}` appeared in the ledger with the secret in plain text.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../lib/ledger.ts';
import { redactHook } from '../../simulator/domain/redact.ts';
import { openEngineDb } from '../../src/engine/db.ts';
import { createAlertSink } from '../../src/uat/alert-sink.ts';
import { createRunDirectory, writeJson } from '../../src/uat/run-directory.ts';
import { createVirtualClock } from '../../lib/clock.ts';
import type { TestSim } from '../support/simulator.ts';
import { useWebhookWorld } from '../support/webhook-world.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-secrets-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12);

describe('files with personal data or secrets are owner-only', () => {
  it('creates the ledger 0600 in a 0700 directory, and tightens a ledger an older run left 0644', () => {
    const dir = scratch();
    const path = join(dir, 'run', 'nested', 'ledger.jsonl');
    const ledger = createLedger({ path });
    ledger.append({ kind: 'store:reset', at: new Date(0).toISOString() });
    ledger.close();
    expect(mode(path)).toBe(0o600);
    expect(mode(join(dir, 'run', 'nested'))).toBe(0o700);
    expect(mode(join(dir, 'run'))).toBe(0o700);

    const old = join(dir, 'old-ledger.jsonl');
    writeFileSync(old, '');
    chmodSync(old, 0o644);
    createLedger({ path: old }).close();
    expect(mode(old)).toBe(0o600);
  });

  it("keeps the engine's SQLite file and its WAL and shared-memory files 0600", () => {
    const dir = scratch();
    const path = join(dir, 'state', 'engine.sqlite');
    const db = openEngineDb(path);
    db.sqlite.exec('CREATE TABLE probe (x); INSERT INTO probe VALUES (1);');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
    expect(mode(join(dir, 'state'))).toBe(0o700);
    db.close();

    // A file an older version left world-readable is tightened, companions included.
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const again = openEngineDb(path);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    again.close();
  });

  it('makes a new run directory 0700 with 0600 files, and leaves a folder the user already had as it was', async () => {
    const dir = scratch();
    const run = createRunDirectory(join(dir, 'runs', 'one'), 'ignored');
    expect(mode(run)).toBe(0o700);
    expect(mode(writeJson(run, 'run.json', { ok: true }))).toBe(0o600);
    const sink = await createAlertSink({ clock: createVirtualClock({ start: 0, scale: 0 }), file: join(run, 'alerts.jsonl') });
    await fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'dead-letter', record: 'order/1' }) });
    await sink.close();
    expect(mode(join(run, 'alerts.jsonl'))).toBe(0o600);

    createRunDirectory(dir, 'x');
    chmodSync(dir, 0o755);
    createRunDirectory(dir, 'x');
    expect(mode(dir)).toBe(0o755);
  });
});

describe('the ledger keeps fingerprints of hook secrets', () => {
  const { setup } = useWebhookWorld();

  async function ledgerText(sim: TestSim): Promise<string> {
    return (await sim.control('GET', '/ledger')).text;
  }

  it('delivers the real header but records only its fingerprint, and fingerprints credentials in a destination', async () => {
    const { sim, receiver } = await setup();
    const secret = 'engine-secret-7f3a9c-not-for-the-ledger';
    const created = await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url, headers: { 'x-webhook-secret': secret } });
    expect(created.status).toBe(200);
    // The platform API itself still shows the hook's headers to its own account.
    expect(created.body.data.headers).toEqual({ 'x-webhook-secret': secret });
    await sim.api('PUT', `/v3/hooks/${created.body.data.id}`, { headers: { 'x-webhook-secret': `${secret}-rotated` } });

    await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 });
    await expect.poll(() => receiver.received.length).toBe(1);
    expect(receiver.received[0]!.headers['x-webhook-secret']).toBe(`${secret}-rotated`);

    const text = await ledgerText(sim);
    expect(text).not.toContain(secret);
    const hookLines = text.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.resource === 'hook' && e.id === created.body.data.id);
    expect(hookLines.map((e) => e.kind)).toEqual(['resource:created', 'resource:updated']);
    // Correlate: same id, scope and destination; the secret's fingerprint is `sha256sum | cut -c1-12`.
    expect(hookLines[0].body).toMatchObject({ id: created.body.data.id, scope: 'store/order/created', destination: receiver.url, headers: { 'x-webhook-secret': `redacted:sha256:${sha12(secret)}` } });
    expect(hookLines[1].body.headers).toEqual({ 'x-webhook-secret': `redacted:sha256:${sha12(`${secret}-rotated`)}` });
  });

  it('fingerprints user info in a destination URL and leaves everything else of the hook alone', () => {
    const hook = { id: 3, client_id: 'c', store_hash: 'h', scope: 'store/order/*', destination: 'https://erp-user:p%40ss@erp.example.com/hooks?x=1', is_active: true, headers: null, created_at: 1, updated_at: 2 };
    const redacted = redactHook(hook);
    expect(redacted.destination).toBe(`https://redacted:sha256:${sha12('erp-user:p@ss')}@erp.example.com/hooks?x=1`);
    expect(redacted.destination).not.toContain('p%40ss');
    expect({ ...redacted, destination: hook.destination }).toEqual(hook);
    expect(redactHook({ ...hook, destination: 'https://erp.example.com/a@b' }).destination).toBe('https://erp.example.com/a@b');
  });
});
